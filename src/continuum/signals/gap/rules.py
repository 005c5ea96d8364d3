"""The gap finder's rules, read from readable configuration (signals/gap_rules.toml) and checked key by key.

Plain Python. `load_rules(path=None)` returns `GapRules`, or raises `RulesError` naming the file and the entry it
could not read, and why.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from continuum import vocabulary as v
from continuum.signals.feeds.catalogue import FEEDS

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "gap_rules.toml"
INDICATOR_WINDOWS = ("last_90_days", "school_year", "last_12_months")
DIMENSIONS = {
    "locality": "Locality",
    "school": "School",
    "age_band": "Age",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
}
REFERENCES = ("largest", "everyone_else")
NOT_WORKING_WITH = {"school_roll": "every pupil has one"}
AGENCIES = dict(v.AGENCY_KIND)
INVOLVEMENTS = dict(v.INVOLVEMENT_KIND)
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class RulesError(ValueError):
    """The rules file cannot be used: the message names the file and the entry."""


@dataclass(frozen=True)
class Signal:
    name: str
    label: str
    agency: str
    kind: str = ""  # an event kind, or
    where: tuple[tuple[str, tuple[str, ...] | bool], ...] = ()  # (column, codes or a boolean)
    indicator: str = ""  # an indicator met over its window
    indicator_window: str = ""

    @property
    def feed(self) -> str:
        """The feed whose events this signal counts ("" for an indicator)."""
        return _EVENT_FEED.get(self.kind, ("", ""))[0]


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    window_days: int
    min_agencies: int
    signals: tuple[Signal, ...]
    involvements: tuple[str, ...]


@dataclass(frozen=True)
class GapRules:
    path: Path
    min_age: int
    max_age: int
    age_bands: tuple[tuple[int, int], ...]
    signals: dict[str, Signal]
    rules: dict[str, Rule]
    references: dict[str, str]  # dimension -> "largest" or "everyone_else"

    def age_band(self, age: int) -> str:
        """The label of the band an age falls in ("" outside every band)."""
        for low, high in self.age_bands:
            if low <= age <= high:
                return f"{low} to {high}"
        return ""

    @property
    def age_band_labels(self) -> list[str]:
        return [f"{low} to {high}" for low, high in self.age_bands]


def _event_feeds() -> dict[str, tuple[str, Any]]:
    """Each event kind -> (its feed, its table), from the feed catalogue."""
    found: dict[str, tuple[str, Any]] = {}
    for feed in FEEDS.values():
        for table in feed.tables:
            if table.event is not None:
                found[table.event.kind] = (feed.kind, table)
    return found


_EVENT_FEED = _event_feeds()


def load_rules(path: Path | str | None = None) -> GapRules:
    """The rules in `path` (the packaged gap_rules.toml by default), every key checked."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None
    return _Reader(path).read(raw)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, entry: str, why: str) -> RulesError:
        return RulesError(f"{self.path}: {entry}: {why}")

    def keys(
        self, entry: str, table: Any, *, required: set[str], optional: frozenset[str] | set[str] = frozenset()
    ) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise self.fail(entry, "must be a table")
        unknown = sorted(set(table) - required - set(optional))
        if unknown:
            raise self.fail(
                entry, f"unknown key {unknown[0]!r} (expected {', '.join(sorted(required | set(optional)))})"
            )
        missing = sorted(required - set(table))
        if missing:
            raise self.fail(entry, f"missing {missing[0]!r}")
        return table

    def text(self, entry: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, "must be some text")
        return value.strip()

    def whole(self, entry: str, value: Any, *, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.fail(entry, f"must be a whole number from {minimum} to {maximum}")
        return value

    def names(self, entry: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(x, str) for x in value):
            raise self.fail(entry, "must be a list of names")
        if len(set(value)) != len(value):
            raise self.fail(entry, "names a value twice")
        return value

    def read(self, raw: dict[str, Any]) -> GapRules:
        self.keys("the file", raw, required={"version", "population", "signals", "rules", "cohort"})
        if raw["version"] != 1:
            raise self.fail("version", "must be 1")
        population = self.keys("population", raw["population"], required={"min_age", "max_age", "age_bands"})
        min_age = self.whole("population.min_age", population["min_age"], minimum=0, maximum=17)
        max_age = self.whole("population.max_age", population["max_age"], minimum=min_age, maximum=17)
        bands = self.age_bands(population["age_bands"], min_age, max_age)
        if not isinstance(raw["signals"], dict) or not raw["signals"]:
            raise self.fail("signals", "must define at least one signal")
        signals = {name: self.signal(name, entry) for name, entry in raw["signals"].items()}
        if not isinstance(raw["rules"], dict) or not raw["rules"]:
            raise self.fail("rules", "must define at least one rule")
        rules = {name: self.rule(name, entry, signals) for name, entry in raw["rules"].items()}
        cohort = self.keys("cohort", raw["cohort"], required=set(DIMENSIONS))
        references = {}
        for dimension in DIMENSIONS:
            entry = self.keys(f"cohort.{dimension}", cohort[dimension], required={"reference"})
            if entry["reference"] not in REFERENCES:
                raise self.fail(f"cohort.{dimension}.reference", f"must be one of {', '.join(REFERENCES)}")
            references[dimension] = entry["reference"]
        return GapRules(self.path, min_age, max_age, bands, signals, rules, references)

    def age_bands(self, value: Any, min_age: int, max_age: int) -> tuple[tuple[int, int], ...]:
        entry = "population.age_bands"
        if not isinstance(value, list) or not value:
            raise self.fail(entry, "must be a list of [lowest, highest] ages")
        bands: list[tuple[int, int]] = []
        expected = min_age
        for i, band in enumerate(value):
            if not (isinstance(band, list) and len(band) == 2 and all(isinstance(x, int) for x in band)):
                raise self.fail(f"{entry}[{i}]", "must be [lowest, highest] ages")
            low, high = band
            if low != expected or high < low:
                raise self.fail(f"{entry}[{i}]", f"must start at {expected} and not end before it starts")
            bands.append((low, high))
            expected = high + 1
        if expected != max_age + 1:
            raise self.fail(entry, f"must cover every age from {min_age} to {max_age} and no other")
        return tuple(bands)

    def signal(self, name: str, entry: Any) -> Signal:
        where = f"signals.{name}"
        if not NAME.match(name):
            raise self.fail(where, "a name is lower-case letters, digits and _")
        table = self.keys(
            where,
            entry,
            required={"label", "agency"},
            optional={"kind", "where", "indicator", "indicator_window"},
        )
        label = self.text(f"{where}.label", table["label"])
        agency = table["agency"]
        if agency not in AGENCIES:
            raise self.fail(f"{where}.agency", f"{agency!r} is not a kind of agency ({', '.join(AGENCIES)})")
        if "indicator" in table:
            if "kind" in table or "where" in table:
                raise self.fail(where, "is either an event kind (with where) or an indicator, not both")
            indicator = table["indicator"]
            if not isinstance(indicator, str) or not NAME.match(indicator):
                raise self.fail(f"{where}.indicator", "must be an indicator's name")
            window = table.get("indicator_window")
            if window not in INDICATOR_WINDOWS:
                raise self.fail(f"{where}.indicator_window", f"must be one of {', '.join(INDICATOR_WINDOWS)}")
            return Signal(name, label, agency, indicator=indicator, indicator_window=window)
        if "indicator_window" in table:
            raise self.fail(f"{where}.indicator_window", "is only for an indicator")
        kind = table.get("kind")
        if kind not in _EVENT_FEED:
            raise self.fail(f"{where}.kind", f"{kind!r} is not an event kind ({', '.join(sorted(_EVENT_FEED))})")
        columns = {c.name: c for c in _EVENT_FEED[kind][1].columns}
        conditions: list[tuple[str, tuple[str, ...] | bool]] = []
        raw_where = table.get("where", {})
        if not isinstance(raw_where, dict):
            raise self.fail(f"{where}.where", "must be a table of column = values")
        for column_name, wanted in raw_where.items():
            at = f"{where}.where.{column_name}"
            column = columns.get(column_name)
            if column is None:
                raise self.fail(at, f"is not a column of the {kind} events' table")
            if column.kind == "boolean":
                if not isinstance(wanted, bool):
                    raise self.fail(at, "is a yes/no column: true or false")
                conditions.append((column_name, wanted))
            elif column.codes is not None:
                codes = self.names(at, wanted)
                unknown = [c for c in codes if c not in column.codes]
                if unknown:
                    raise self.fail(at, f"{unknown[0]!r} is not one of its codes ({', '.join(column.codes)})")
                conditions.append((column_name, tuple(codes)))
            else:
                raise self.fail(at, "only coded and yes/no columns can be matched")
        return Signal(name, label, agency, kind=kind, where=tuple(conditions))

    def rule(self, name: str, entry: Any, signals: dict[str, Signal]) -> Rule:
        where = f"rules.{name}"
        if not NAME.match(name):
            raise self.fail(where, "a name is lower-case letters, digits and _ (at most 40)")
        table = self.keys(where, entry, required={"label", "window_days", "min_agencies", "signals", "involvements"})
        label = self.text(f"{where}.label", table["label"])
        window = self.whole(f"{where}.window_days", table["window_days"], minimum=1, maximum=3 * 366)
        chosen = []
        for signal in self.names(f"{where}.signals", table["signals"]):
            if signal not in signals:
                raise self.fail(f"{where}.signals", f"{signal!r} is not a signal defined under [signals]")
            chosen.append(signals[signal])
        agencies = {s.agency for s in chosen}
        min_agencies = self.whole(
            f"{where}.min_agencies", table["min_agencies"], minimum=2, maximum=max(2, len(agencies))
        )
        if min_agencies > len(agencies):
            raise self.fail(f"{where}.min_agencies", f"its signals come from only {len(agencies)} agency")
        involvements = self.names(f"{where}.involvements", table["involvements"])
        for kind in involvements:
            if kind in NOT_WORKING_WITH:
                raise self.fail(
                    f"{where}.involvements",
                    f"{kind!r} does not mean someone is working with the child: {NOT_WORKING_WITH[kind]}",
                )
            if kind not in INVOLVEMENTS:
                raise self.fail(f"{where}.involvements", f"{kind!r} is not a kind of involvement")
        return Rule(name, label, window, min_agencies, tuple(chosen), tuple(involvements))
