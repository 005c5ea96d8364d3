"""The settings of causes for concern (signals/concerns.toml): categories, closing outcomes, the review period.

Plain Python (no Django): `load_concern_settings(path)` reads and checks the file, and raises
ConcernSettingsError naming the file and the entry at fault.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("concerns.toml")
VERSION = 1
TOP_LEVEL_KEYS = frozenset({"version", "review_days", "categories", "outcomes"})
CHOICE_KEYS = frozenset({"label", "hint"})
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # stored in a 40-character column
MAX_REVIEW_DAYS = 365


class ConcernSettingsError(ValueError):
    """The concern settings file is malformed: the message names the file and the entry."""


@dataclass(frozen=True)
class Choice:
    """A category or an outcome: its stored code, the label people read and a hint for choosing it."""

    code: str
    label: str
    hint: str


@dataclass(frozen=True)
class ConcernSettings:
    review_days: int
    categories: tuple[Choice, ...]
    outcomes: tuple[Choice, ...]

    def category_label(self, code: str) -> str:
        """The category's label; the code itself for one the settings no longer list."""
        return next((c.label for c in self.categories if c.code == code), code)

    def outcome_label(self, code: str) -> str:
        return next((c.label for c in self.outcomes if c.code == code), code)

    @property
    def category_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.categories)

    @property
    def outcome_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.outcomes)


def load_concern_settings(path: Path | str | None = None) -> ConcernSettings:
    """Read and check the settings file (the packaged concerns.toml by default)."""
    path = Path(path) if path is not None else DEFAULT_PATH

    def fail(entry: str, why: str) -> ConcernSettingsError:
        return ConcernSettingsError(f"{path}: [{entry}] {why}")

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConcernSettingsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConcernSettingsError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConcernSettingsError(f"{path}: is not valid TOML ({exc})") from None
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        raise fail(sorted(unknown)[0], f"is not a setting (the settings are {', '.join(sorted(TOP_LEVEL_KEYS))})")
    if raw.get("version") != VERSION:
        raise fail("version", f"must be {VERSION}")
    days = raw.get("review_days")
    if type(days) is not int or not 1 <= days <= MAX_REVIEW_DAYS:
        raise fail("review_days", f"must be a whole number of days from 1 to {MAX_REVIEW_DAYS}")
    return ConcernSettings(
        review_days=days,
        categories=_choices(raw.get("categories"), "categories", fail),
        outcomes=_choices(raw.get("outcomes"), "outcomes", fail),
    )


def _choices(table: object, name: str, fail: Callable[[str, str], ConcernSettingsError]) -> tuple[Choice, ...]:
    if not isinstance(table, dict) or not table:
        raise fail(name, "must list at least one entry, each as a table with a label and a hint")
    found = []
    for code, entry in table.items():
        where = f"{name}.{code}"
        if not CODE.match(code):
            raise fail(
                where, "a code is lower case letters, digits and underscores, at most 40, starting with a letter"
            )
        if not isinstance(entry, dict):
            raise fail(where, "must be a table with a label and a hint")
        unknown = set(entry) - CHOICE_KEYS
        if unknown:
            raise fail(where, f"{sorted(unknown)[0]!r} is not a setting (give a label and a hint)")
        for key in sorted(CHOICE_KEYS):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise fail(where, f"needs a {key} (text)")
        found.append(Choice(code=code, label=entry["label"].strip(), hint=entry["hint"].strip()))
    seen: set[str] = set()
    for choice in found:
        if choice.label.casefold() in seen:
            raise fail(f"{name}.{choice.code}", f"the label {choice.label!r} is used twice")
        seen.add(choice.label.casefold())
    return tuple(found)
