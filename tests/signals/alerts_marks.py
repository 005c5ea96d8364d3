"""Hand-built attendance marks for the attendance protocol's tests, landed in a real store by the marks loader
(check_marks, prepare_marks, commit), as a school's register would be.

    store = land(tmp_path, {pupil(1): background(FRIDAY) + at(FRIDAY, "N N N")})

A pupil's sessions are written as codes separated by spaces, two a school day (morning, afternoon), on the school
days (Monday to Friday) that end on a given day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from continuum.identifiers import upn_check_letter
from continuum.signals.feeds.marks import check_marks, prepare_marks

URN = "100001"
OTHER_URN = "100002"
HEADER = "upn,given_name,family_name,date_of_birth,school_urn,date,session,code"
# A Friday in the autumn term; the four school weeks that end on it are its 28-day window (40 sessions).
FRIDAY = datetime.date(2024, 11, 29)

Mark = tuple[datetime.date, str, str, str]  # date, session, code, school URN


def pupil(n: int) -> str:
    """A valid UPN (its check letter matches)."""
    body = f"8{n:011d}"
    return upn_check_letter(body) + body


def school_days(last: datetime.date, count: int) -> list[datetime.date]:
    """The `count` weekdays up to and including `last`, in order."""
    days: list[datetime.date] = []
    day = last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days[::-1]


def at(last: datetime.date, codes: str, *, urn: str = URN) -> list[Mark]:
    """Sessions coded in order (AM, PM, AM ...), the last of them the afternoon of `last`."""
    written = codes.split()
    days = school_days(last, (len(written) + 1) // 2)
    slots = [(day, session) for day in days for session in ("AM", "PM")][-len(written) :]
    return [(day, session, code, urn) for (day, session), code in zip(slots, written, strict=True)]


def present(last: datetime.date, days: int, *, urn: str = URN) -> list[Mark]:
    """Present at every session of the `days` school days up to `last`."""
    return [(day, session, "/", urn) for day in school_days(last, days) for session in ("AM", "PM")]


def with_marks(base: Iterable[Mark], *changes: Iterable[Mark]) -> list[Mark]:
    """The base marks with later ones replacing those of the same session (and school)."""
    marks = {(d, s, u): c for d, s, c, u in base}
    for change in changes:
        marks.update({(d, s, u): c for d, s, c, u in change})
    return [(d, s, c, u) for (d, s, u), c in sorted(marks.items())]


def land(folder: Path, pupils: dict[str, Iterable[Mark]], *, store: Path | None = None) -> Path:
    """The pupils' marks checked and landed in `store` (by default folder/feeds/attendance), as the attendance
    feed's loader lands them (a later load's mark replaces the stored one of the same session); the store's path."""
    lines = [HEADER]
    for upn, marks in pupils.items():
        for day, session, code, urn in marks:
            lines.append(f"{upn},Test,Pupil,2013-05-01,{urn},{day.isoformat()},{session},{code}")
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "attendance.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = check_marks([source], work=folder / "work")
    assert not checked.errors, checked.errors
    store = store or folder / "feeds" / "attendance"
    prepare_marks(checked, store=store).commit()
    return store


def pupils_of(mapping: dict[str, str]) -> pa.Table:
    """The pupils table (upn -> person_id) the protocol joins marks to."""
    return pa.table({"upn": list(mapping), "person_id": list(mapping.values())})


def children(*person_ids: str) -> pa.Table:
    return pa.table({"person_id": pa.array(list(person_ids), pa.string())})
