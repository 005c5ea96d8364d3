"""Working days in England: Monday to Friday, not a bank holiday (the `holidays` package's calendar).

Plain Python. Used for review deadlines ("reviewed within two working days").
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
