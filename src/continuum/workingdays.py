"""Working days in England: Monday to Friday, not a bank holiday (the `holidays` package's calendar).

Plain Python. Used for review deadlines ("reviewed within two working days") and the front door's
decision target ("decided within one working day").
"""

from __future__ import annotations

import datetime
import functools

import holidays


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same time of day, `days` working days later (a Friday afternoon plus two is Tuesday afternoon)."""
    out = moment
    while days > 0:
        out += datetime.timedelta(days=1)
        if is_working_day(out.date()):
            days -= 1
    return out


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after `start`, up to and including `end` (none when `end` is not after `start`).

    A referral received on a Friday has waited one working day on the Monday, and still none on the Sunday.
    """
    days = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
