"""The indicators' definitions: `signals/indicators.toml` read and checked, every key of every entry.

Plain Python (no Django). A mistake names the file and the entry (`indicators.toml: [indicators.absence_rate]
unknown settings ['denominatr'] ...`), as the access policy's loader does, so a council's analyst who edits the
file sees at once what to fix. Categories are checked against the access policy by the app (it reads the policy);
here a category need only be a name.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.codes import ATTENDANCE, ATTENDANCE_CATEGORY

PACKAGED = Path(__file__).resolve().parent.parent / "indicators.toml"

SOURCES = ("attendance", "events")
MEASURES = ("rate", "count", "threshold")
MARK_CATEGORIES = frozenset(ATTENDANCE_CATEGORY.values())
# The windows the engine knows how to draw (each ends on the day the indicators are computed as at).
WINDOW_NAMES = ("last_90_days", "school_year", "last_12_months")
SCHOOL_YEAR_STARTS = (8, 1)  # 1 August, as the marks store's academic_year and the school census's autumn term
MAX_EARLIER = 6

TOP_KEYS = frozenset({"version", "windows", "indicators"})
WINDOW_KEYS = frozenset({"label", "description", "earlier"})
INDICATOR_KEYS = frozenset(
    {
        "label",
        "category",
        "source",
        "measure",
        "count",
        "out_of",
        "at_least_percent",
        "definition",
        "denominator",
        "reference",
        "windows",
    }
)
MARK_KEYS = frozenset({"categories", "codes"})
EVENT_KEYS = frozenset({"kinds", "where"})
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")  # ChildIndicator.indicator holds 40 characters; a URL slug too


class DefinitionsError(ValueError):
    """The definitions file is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class Window:
    name: str
    label: str
    description: str
    earlier: int  # how many earlier periods of the same length the trend shows

    def periods(self, as_of: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        """(first day, last day) of the window as at `as_of`, then of each earlier period, newest first."""
        found = []
        for k in range(self.earlier + 1):
            if self.name == "last_90_days":
                end = as_of - datetime.timedelta(days=90 * k)
                found.append((end - datetime.timedelta(days=89), end))
            elif self.name == "last_12_months":
                start = _years_before(as_of, k + 1) + datetime.timedelta(days=1)
                found.append((start, _years_before(as_of, k)))
            else:  # school_year: from 1 August to the same day of the year
                year = as_of.year - ((as_of.month, as_of.day) < SCHOOL_YEAR_STARTS)
                found.append((datetime.date(year - k, *SCHOOL_YEAR_STARTS), _years_before(as_of, k)))
        return found


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` years earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Marks:
    """Attendance marks in any of these DfE categories, or with any of these codes."""

    categories: frozenset[str]
    codes: frozenset[str]


@dataclass(frozen=True)
class Events:
    """Events of any of these kinds whose detail has, for every field named, one of the values listed."""

    kinds: tuple[str, ...]
    where: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    category: str  # of the access policy: who may read a child's value
    source: str  # attendance or events
    measure: str  # rate, count or threshold
    count: Marks | Events  # what is counted (a rate's numerator)
    out_of: Marks | None  # a rate's denominator
    at_least: Fraction | None  # a threshold's percentage
    definition: str
    denominator: str
    reference: str
    windows: tuple[str, ...]

    @property
    def is_rate(self) -> bool:
        return self.measure in ("rate", "threshold")

    @property
    def event_kinds(self) -> tuple[str, ...]:
        return self.count.kinds if isinstance(self.count, Events) else ("attendance",)


@dataclass(frozen=True)
class Definitions:
    path: Path
    sha256: str
    windows: dict[str, Window]
    indicators: dict[str, Indicator]  # in the file's order

    def check_categories(self, known: Collection[str], category_of_event: Callable[[str], str]) -> None:
        """Refuse a category the access policy does not have, or one that shows an agency's events to viewers the
        policy would not show those events (a police count must be police_intelligence)."""
        for indicator in self.indicators.values():
            where = f"indicators.{indicator.name}"
            if indicator.category not in known:
                raise _fail(self.path, where, f"category {indicator.category!r} is not in the access policy")
            for kind in indicator.event_kinds:
                try:
                    expected = category_of_event(kind)
                except KeyError:
                    continue
                if expected != indicator.category:
                    raise _fail(
                        self.path,
                        where,
                        f"category must be {expected!r}: the access policy puts {kind} events there",
                    )


def load_definitions(path: Path | str | None = None) -> Definitions:
    """Read and check the definitions (the packaged signals/indicators.toml by default); DefinitionsError names
    the file and the entry that is wrong."""
    path = Path(path) if path is not None else PACKAGED
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionsError(f"{path}: cannot read the indicator definitions: {exc}") from None
    if raw.get("version") != 1:
        raise _fail(path, "version", "this release understands indicator definitions version 1")
    _known(path, raw, TOP_KEYS, "the top level")
    windows = _windows(path, raw.get("windows"))
    indicators_raw = raw.get("indicators")
    if not isinstance(indicators_raw, dict) or not indicators_raw:
        raise _fail(path, "indicators", "must hold at least one indicator ([indicators.NAME])")
    indicators = {name: _indicator(path, name, entry, windows) for name, entry in indicators_raw.items()}
    return Definitions(path, hashlib.sha256(data).hexdigest(), windows, indicators)


def _fail(path: Path, where: str, why: str) -> DefinitionsError:
    return DefinitionsError(f"{path}: [{where}] {why}")


def _known(path: Path, entry: object, allowed: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise _fail(path, where, "must be a table of settings")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(path, where, f"unknown settings {unknown}; the known ones are {sorted(allowed)}")
    return entry


def _text(path: Path, entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, f"{key} must be some text")
    return " ".join(value.split())


def _names(path: Path, value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, f"{key} must be a list of names")
    if len(set(value)) != len(value):
        raise _fail(path, where, f"{key} names something twice")
    return tuple(value)


def _windows(path: Path, raw: object) -> dict[str, Window]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, "windows", "must describe the windows indicators use ([windows.last_90_days] ...)")
    found = {}
    for name, entry in raw.items():
        where = f"windows.{name}"
        if name not in WINDOW_NAMES:
            raise _fail(path, where, f"unknown window; the known ones are {list(WINDOW_NAMES)}")
        _known(path, entry, WINDOW_KEYS, where)
        earlier = entry.get("earlier", 3)
        if not isinstance(earlier, int) or isinstance(earlier, bool) or not 0 <= earlier <= MAX_EARLIER:
            raise _fail(path, where, f"earlier must be a whole number from 0 to {MAX_EARLIER}")
        found[name] = Window(
            name, _text(path, entry, "label", where), _text(path, entry, "description", where), earlier
        )
    return found


def _indicator(path: Path, name: str, entry: object, windows: dict[str, Window]) -> Indicator:
    where = f"indicators.{name}"
    if not NAME.fullmatch(name):
        raise _fail(path, where, "a name is lower-case letters, digits and _, at most 40, starting with a letter")
    raw = _known(path, entry, INDICATOR_KEYS, where)
    source, measure = raw.get("source"), raw.get("measure")
    if source not in SOURCES:
        raise _fail(path, where, f"source must be one of {list(SOURCES)}, not {source!r}")
    if measure not in MEASURES:
        raise _fail(path, where, f"measure must be one of {list(MEASURES)}, not {measure!r}")
    if "count" not in raw:
        raise _fail(path, where, "count must say what is counted")
    count: Marks | Events = (
        _marks(path, raw["count"], f"{where}.count")
        if source == "attendance"
        else _events(path, raw["count"], f"{where}.count")
    )
    out_of, at_least = None, None
    if measure == "count":
        for key in ("out_of", "at_least_percent"):
            if key in raw:
                raise _fail(path, where, f"{key} is for a rate or a threshold, not a count")
    else:
        if source != "attendance":
            raise _fail(path, where, "a rate or a threshold is of attendance marks (events are counted)")
        if "out_of" not in raw:
            raise _fail(path, where, "out_of must say what the rate is out of (the denominator)")
        out_of = _marks(path, raw["out_of"], f"{where}.out_of")
        if out_of.codes:
            raise _fail(path, f"{where}.out_of", "the denominator is categories of marks, not codes")
    if measure == "threshold":
        percent = raw.get("at_least_percent")
        if not isinstance(percent, int | float) or isinstance(percent, bool) or not 0 < percent <= 100:
            raise _fail(path, where, "at_least_percent must be a number above 0 and at most 100")
        at_least = Fraction(str(percent))
    elif "at_least_percent" in raw:
        raise _fail(path, where, "at_least_percent is for a threshold")
    chosen = _names(path, raw.get("windows"), "windows", where)
    for window in chosen:
        if window not in windows:
            raise _fail(path, where, f"window {window!r} is not described under [windows]")
    category = raw.get("category")
    if not isinstance(category, str) or not NAME.fullmatch(category):
        raise _fail(path, where, "category must name a category of the access policy")
    return Indicator(
        name=name,
        label=_text(path, raw, "label", where),
        category=category,
        source=source,
        measure=measure,
        count=count,
        out_of=out_of,
        at_least=at_least,
        definition=_text(path, raw, "definition", where),
        denominator=_text(path, raw, "denominator", where),
        reference=_text(path, raw, "reference", where),
        windows=chosen,
    )


def _marks(path: Path, raw: object, where: str) -> Marks:
    entry = _known(path, raw, MARK_KEYS, where)
    categories = _names(path, entry["categories"], "categories", where) if "categories" in entry else ()
    codes = _names(path, entry["codes"], "codes", where) if "codes" in entry else ()
    if not categories and not codes:
        raise _fail(path, where, "must name categories of marks, or codes, or both")
    if unknown := sorted(set(categories) - MARK_CATEGORIES):
        raise _fail(path, where, f"unknown categories {unknown}; the DfE's are {sorted(MARK_CATEGORIES)}")
    if unknown := sorted(set(codes) - set(ATTENDANCE)):
        raise _fail(path, where, f"unknown attendance codes {unknown}")
    return Marks(frozenset(categories), frozenset(codes))


def _event_columns() -> dict[str, dict[str, Any]]:
    """Each kind of event and its table's columns."""
    found: dict[str, dict[str, Any]] = {}
    for feed in FEEDS.values():
        for table in feed.tables:
            if table.event is not None:
                found.setdefault(table.event.kind, {}).update({c.name: c for c in table.columns})
    return found


def _events(path: Path, raw: object, where: str) -> Events:
    entry = _known(path, raw, EVENT_KEYS, where)
    kinds = _names(path, entry.get("kinds"), "kinds", where)
    columns = _event_columns()
    if unknown := sorted(set(kinds) - set(columns)):
        raise _fail(path, where, f"unknown kinds of event {unknown}; the feeds send {sorted(columns)}")
    conditions = entry.get("where", {})
    if not isinstance(conditions, dict):
        raise _fail(path, where, "where must be a table of field = [values]")
    found = []
    for field, values in conditions.items():
        if not isinstance(values, list) or not values:
            raise _fail(path, where, f"where.{field} must be a list of values")
        for kind in kinds:
            column = columns[kind].get(field)
            if column is None:
                raise _fail(path, where, f"where.{field}: {kind} events have no field {field!r}")
            if column.kind == "boolean" and not all(isinstance(v, bool) for v in values):
                raise _fail(path, where, f"where.{field} is yes or no: write true or false")
            coded = column.codes if column.kind != "boolean" and column.codes is not None else None
            if coded is not None and (unknown := sorted(str(v) for v in values if str(v) not in coded)):
                raise _fail(path, where, f"where.{field}: unknown codes {unknown}")
        # As JSON text holds them (the SQL compares the text of the detail's value).
        found.append((field, tuple(("true" if v else "false") if isinstance(v, bool) else str(v) for v in values)))
    return Events(kinds, tuple(found))
