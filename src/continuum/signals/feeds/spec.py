"""What a feed is: its tables, each table's columns and accepted codes, the key that identifies a row in the
source, whom a row is about, and the event (if any) a row is. Plain Python: no Django.

The catalogue (`continuum.signals.feeds.catalogue.FEEDS`) holds one `Feed` per kind; the checker reads files
against it; docs/feeds/ describes the same definitions for people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

# How a cell is read. Dates follow the table's `dates` ("iso": YYYY-MM-DD; "dmy": DD/MM/YYYY as the DfE returns
# write them); "datetime" is ISO 8601 with a time (offset optional: a source's local time); "codes" is a
# comma-separated list of codes (CIN assessment factors); "upn" and "nhs_number" have check characters
# (a failure is a warning, not an error); "urn" is a school's six-digit unique reference number;
# "partial_postcode" is a postcode's district and sector ("AB1 2", the SSDA903 HOME_POST/PL_POST).
Kind = Literal[
    "text",
    "ref",
    "code",
    "codes",
    "date",
    "datetime",
    "time",
    "integer",
    "boolean",
    "upn",
    "nhs_number",
    "postcode",
    "partial_postcode",
    "urn",
]


@dataclass(frozen=True)
class Column:
    name: str  # exactly as the file's header spells it (DfE names keep their case: CHILD, DECOM, LAchildID)
    kind: Kind
    description: str
    required: bool = False
    codes: Mapping[str, str] | None = None  # "code"/"codes": every accepted code and its meaning
    max_length: int = 100  # text and ref
    minimum: int | None = None  # integer
    maximum: int | None = None


@dataclass(frozen=True)
class Person:
    """Which columns say who a row is about. `ref` is the source's own id for the person (SSDA903 CHILD, CIN
    LAchildID, a police nominal reference, a pupil's UPN); the rest name the identity details a row carries,
    None where the table has none. `sex_codes` maps the source's sex codes to Continuum's M, F, U."""

    ref: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    sex: str | None = None
    sex_codes: Mapping[str, str] = field(default_factory=dict)
    postcode: str | None = None
    upn: str | None = None
    nhs_number: str | None = None
    school_urn: str | None = None
    ethnicity: str | None = None


@dataclass(frozen=True)
class Event:
    """A row as an event in a child's timeline: its kind (one per table: police_incident, care_episode ...), the
    column with the day it happened and, for periods, the column with the day it ended."""

    kind: str
    label: str  # how people read the kind: "Police incident", "Period of care"
    occurred: str
    ended: str | None = None


# A check across one row's typed cells (end after start): None, or (field, why).
RowCheck = Callable[[Mapping[str, Any]], tuple[str, str] | None]


@dataclass(frozen=True)
class FeedTable:
    name: str  # "police"; for multi-table feeds the DfE table name: "header", "episodes", "reviews" ...
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the source key: unique within a file; a re-send replaces the row with the same key
    person: Person
    event: Event | None  # None: the table describes the person only (SSDA903 header, CIN child)
    dates: Literal["iso", "dmy"] = "iso"
    checks: tuple[RowCheck, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


@dataclass(frozen=True)
class Feed:
    kind: str  # attendance, suspensions, police, missing, health, youth_justice, ssda903, cin
    title: str
    description: str
    standard: str  # where its columns and codes come from (named publications)
    tables: tuple[FeedTable, ...]

    def table(self, name: str) -> FeedTable:
        return next(t for t in self.tables if t.name == name)

    def recognise(self, header: Sequence[str]) -> FeedTable | None:
        """The table a file holds, told by its header: a single-table feed's one table; for SSDA903 and CIN the
        table whose columns all appear in the header (a file name such as 2019-episodes.csv says nothing).

        Extra columns do not matter. When several tables' columns all appear, the one with the most columns wins
        (it explains more of the file); None when no table's columns all appear, or when two equally large tables
        do (a file that mixes two tables is not guessed at). Names are compared exactly, after trimming spaces and a
        byte order mark."""
        if len(self.tables) == 1:
            return self.tables[0]
        present = {name.strip().lstrip("\ufeff").strip() for name in header}
        matches = [t for t in self.tables if all(c.name in present for c in t.columns)]
        if not matches:
            return None
        widest = max(len(t.columns) for t in matches)
        best = [t for t in matches if len(t.columns) == widest]
        return best[0] if len(best) == 1 else None


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, field "-"; or file, line 0). A warning loads; an error does not."""

    file: str  # the file as the caller named it
    line: int  # CSV lines count the header as line 1
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.field}: {self.message}"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    name: str  # as the caller named it (shown in problems)
    sha256: str
    table: str | None  # the feed table it holds; None when not recognised
    rows: int  # data rows read (header and blank lines not counted)
    # What is wrong with the file as a whole (empty, unreadable, header matching no table, a missing column), none
    # of its rows loading; also in Checked.problems, where these are never cut short by the problem limit.
    problems: tuple[Problem, ...] = ()


@dataclass
class Row:
    """A checked row: its table, where it came from, its source key and its typed values.

    Values by column: str (text, ref, code; "" when blank), tuple[str, ...] (codes), datetime.date, datetime.datetime,
    datetime.time, int, bool, or None when blank. Identifiers that failed their check character keep their value
    and are named in `unusable` (the loader marks them unusable for linkage)."""

    table: str
    file: str
    line: int
    key: tuple[str, ...]
    values: dict[str, Any]
    unusable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rejected:
    """A row with errors, for the quarantine: its file and line, its cells as they arrived, and why."""

    file: str
    line: int
    cells: dict[str, str]
    reasons: tuple[Problem, ...]


@dataclass
class Checked:
    """Every file of one load, checked: the good rows (in file order, later files after earlier ones), every
    problem (errors and warnings), and the rejected rows. Nothing here has been written anywhere."""

    feed: str
    files: list[SourceFile]
    rows: list[Row]
    problems: list[Problem]
    rejected: list[Rejected]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


class CheckResult(Protocol):
    """What both checkers give (`Checked` here; attendance's `marks.CheckedMarks`): the files, every problem and the
    rejected rows; what the loader and the quarantine read."""

    @property
    def files(self) -> list[SourceFile]: ...
    @property
    def problems(self) -> list[Problem]: ...
    @property
    def rejected(self) -> list[Rejected]: ...
    @property
    def errors(self) -> list[Problem]: ...
    @property
    def warnings(self) -> list[Problem]: ...


Progress = Callable[[str, int, int], None]

DATE_FORMATS = {"iso": "YYYY-MM-DD", "dmy": "DD/MM/YYYY"}
