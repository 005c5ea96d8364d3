"""The attendance protocol's settings (signals/attendance_protocol.toml): read and checked, every key. Plain Python.

    rules = load_rules()                 # the packaged file, or the path given
    rules.unexplained                    # ("N", "O")
    rules.consecutive_sessions, rules.low_rate_below, rules.recent_school_days, rules.involvement_kinds
    rules.actions                        # {"contacted_family": "Contacted the family", ...}

A problem raises RulesError naming the file and the entry ("attendance_protocol.toml: [consecutive] sessions: ...").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from continuum import vocabulary as v
from continuum.signals.feeds.codes import ATTENDANCE, ATTENDANCE_CATEGORY

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "attendance_protocol.toml"

# Every table and key the file may hold: a misspelt one is refused, never silently ignored.
KEYS: dict[str, frozenset[str]] = {
    "unexplained": frozenset({"codes"}),
    "consecutive": frozenset({"enabled", "sessions"}),
    "low_rate": frozenset({"enabled", "below_percent", "days", "min_possible_sessions"}),
    "recent": frozenset({"school_days"}),
    "involvements": frozenset({"kinds"}),
    "follow_up": frozenset({"actions", "note_required"}),
}
ABSENCES = frozenset({"authorised", "unauthorised"})
# Being on a school roll is not a service with a worker to follow an absence up.
NOT_A_SERVICE = frozenset({"school_roll"})


class RulesError(ValueError):
    """The attendance protocol's settings are wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class Rules:
    """The protocol as the settings say it. Percentages as numbers (90 means 90%)."""

    unexplained: tuple[str, ...]
    consecutive: bool
    consecutive_sessions: int
    low_rate: bool
    low_rate_below: float
    low_rate_days: int
    low_rate_min_sessions: int
    recent_school_days: int
    involvement_kinds: tuple[str, ...]
    actions: dict[str, str]
    note_required: frozenset[str]
    path: str = ""

    @property
    def rule_names(self) -> tuple[str, ...]:
        """The rules switched on, by the names alerts store."""
        return tuple(name for name, on in (("consecutive", self.consecutive), ("low_rate", self.low_rate)) if on)


def load_rules(path: Path | str | None = None) -> Rules:
    """Read and check the settings file (the packaged one by default)."""
    where = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{where}: not valid TOML: {exc}") from None
    return _checked(data, str(where))


def _checked(data: dict[str, Any], name: str) -> Rules:
    def fail(entry: str, why: str) -> RulesError:
        return RulesError(f"{name}: {entry}: {why}")

    unknown = set(data) - set(KEYS) - {"version"}
    if unknown:
        raise fail(f"[{sorted(unknown)[0]}]", f"not a setting of the attendance protocol (expected {_listed(KEYS)})")
    if data.get("version") != 1:
        raise fail("version", "must be 1")
    for table, keys in KEYS.items():
        if not isinstance(data.get(table), dict):
            raise fail(f"[{table}]", "missing: the file must have this table")
        extra = set(data[table]) - keys
        if extra:
            raise fail(f"[{table}] {sorted(extra)[0]}", f"not a setting (expected {_listed(keys)})")

    def value(table: str, key: str, kind: type, *, default: Any = None) -> Any:
        if key not in data[table]:
            if default is not None:
                return default
            raise fail(f"[{table}] {key}", "missing")
        found = data[table][key]
        # bool is an int in Python: a number must not be true or false, nor a yes/no a number
        if not isinstance(found, kind) or (kind is not bool and isinstance(found, bool)):
            raise fail(f"[{table}] {key}", f"must be {_kind(kind)}, not {found!r}")
        return found

    def whole(table: str, key: str, low: int, high: int) -> int:
        found: int = value(table, key, int)
        if not low <= found <= high:
            raise fail(f"[{table}] {key}", f"must be from {low} to {high}, not {found}")
        return found

    codes = value("unexplained", "codes", list)
    if not codes:
        raise fail("[unexplained] codes", "name at least one attendance code")
    for code in codes:
        if not isinstance(code, str) or code not in ATTENDANCE:
            raise fail("[unexplained] codes", f"{code!r} is not a DfE attendance code")
        if ATTENDANCE_CATEGORY[code] not in ABSENCES:
            raise fail("[unexplained] codes", f"{code!r} is not an absence ({ATTENDANCE[code].lower()})")
    if len(set(codes)) != len(codes):
        raise fail("[unexplained] codes", "a code is listed twice")

    below = value("low_rate", "below_percent", (int, float))  # type: ignore[arg-type]
    if not 0 < below <= 100:
        raise fail("[low_rate] below_percent", f"must be more than 0 and at most 100, not {below}")

    kinds = value("involvements", "kinds", list)
    known = {code for code, _ in v.INVOLVEMENT_KIND}
    if not kinds:
        raise fail("[involvements] kinds", "name at least one kind of involvement")
    for kind in kinds:
        if not isinstance(kind, str) or kind not in known:
            raise fail("[involvements] kinds", f"{kind!r} is not a kind of involvement (one of {sorted(known)})")
        if kind in NOT_A_SERVICE:
            raise fail("[involvements] kinds", f"{kind!r}: being on a school roll is not a service with a worker")
    if len(set(kinds)) != len(kinds):
        raise fail("[involvements] kinds", "a kind is listed twice")

    actions = value("follow_up", "actions", list)
    if not actions:
        raise fail("[follow_up] actions", "list at least one follow-up action")
    shown: dict[str, str] = {}
    for n, pair in enumerate(actions, start=1):
        entry = f"[follow_up] actions, entry {n}"
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and x.strip() for x in pair)):
            raise fail(entry, 'must be ["code", "what the worker did"]')
        code, words = pair
        if not code.replace("_", "").isalnum() or not code.islower() or len(code) > 40:
            raise fail(entry, f"{code!r}: a code is lower-case letters, digits and _ (at most 40)")
        if code in shown:
            raise fail(entry, f"{code!r} is listed twice")
        shown[code] = words.strip()
    note_required = value("follow_up", "note_required", list, default=[])
    for code in note_required:
        if code not in shown:
            raise fail("[follow_up] note_required", f"{code!r} is not one of the actions")

    consecutive = value("consecutive", "enabled", bool)
    low_rate = value("low_rate", "enabled", bool)
    rules = Rules(
        unexplained=tuple(codes),
        consecutive=consecutive,
        consecutive_sessions=whole("consecutive", "sessions", 1, 200),
        low_rate=low_rate,
        low_rate_below=float(below),
        low_rate_days=whole("low_rate", "days", 7, 366),
        low_rate_min_sessions=whole("low_rate", "min_possible_sessions", 1, 800),
        recent_school_days=whole("recent", "school_days", 1, 200),
        involvement_kinds=tuple(kinds),
        actions=shown,
        note_required=frozenset(note_required),
        path=name,
    )
    if not rules.rule_names:
        raise fail("[consecutive] enabled", "both rules are switched off: the protocol would never alert")
    return rules


def _listed(keys: Any) -> str:
    return ", ".join(sorted(keys))


def _kind(kind: Any) -> str:
    names = {bool: "true or false", int: "a whole number", list: "a list", str: "text"}
    if isinstance(kind, tuple):
        return "a number"
    return names.get(kind, kind.__name__)
