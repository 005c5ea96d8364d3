"""A programme's own outcome index, defined as data (a TOML file, a JSON document or a dict), not code.

A definition names its items (each with its range of answers, and whether it is reverse-scored), its
domains (each naming its items, a scoring rule and how many items must be answered), an optional total
over every item, the bands of each score, whether higher is better, and optionally its reliability and
its source. `IndexDefinition.from_data` checks all of it and lists every problem at once;
`definition.score(responses)` scores one set of answers.

Scoring rules:
- `sum`: the sum of the answered items, prorated to all the domain's items when some are missing
  (mean of the answered x number of items) and rounded to a whole number, halves up, as the SDQ does.
- `mean`: the mean of the answered items, rounded to two decimals (halves up).
A reverse-scored item counts as (min + max - answer). With fewer items answered than the domain's
`minimum_answered`, the score is not given (None).

Bands are ranges with both ends included, in whole numbers for `sum` and to two decimals for `mean`;
they must not overlap and must cover every score the rule can give, with no gap: for `sum` from the sum
of the items' minimums to the sum of their maximums, for `mean` from the lowest item minimum to the
highest item maximum. A score then always has exactly one band.

`indices/restorative_parenting_recovery_index.toml` is an example: seed 003 names the five areas of the
Halliwell Restorative Parenting Recovery Index; its items, ranges and bands are invented here to show the
format, and are not the real index's.
"""

from __future__ import annotations

import decimal
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

RULES: Final = ("sum", "mean")
TOTAL: Final = "total"
EXAMPLES: Final = Path(__file__).parent / "indices"
_ROOT_KEYS: Final = {"name", "higher_is_better", "reliability", "source", "description", "items", "domains", "total"}
_ITEM_KEYS: Final = {"label", "min", "max", "reverse"}
_SCORE_KEYS: Final = {"label", "items", "rule", "minimum_answered", "bands"}
_BAND_KEYS: Final = {"label", "min", "max"}


class IndexDefinitionError(ValueError):
    """The definition has problems: every one of them, in `problems`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the index definition:\n" + "\n".join(f"- {p}" for p in problems)
        )


class IndexResponseError(ValueError):
    """An answer that the definition does not allow: which item, and why."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(f"{item}: {message}")
        self.item = item
        self.message = message


@dataclass(frozen=True)
class IndexItem:
    key: str
    label: str
    min: int
    max: int
    reverse: bool


@dataclass(frozen=True)
class Band:
    label: str
    min: float
    max: float


@dataclass(frozen=True)
class IndexScore:
    """A domain, or the total: its items, rule, the fewest answers scored, and bands (may be empty)."""

    key: str
    label: str
    items: tuple[str, ...]
    rule: str
    minimum_answered: int
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class IndexScores:
    """Each domain's score (and the total's, if defined) and its band; None where not scored or unbanded."""

    scores: dict[str, float | None]
    bands: dict[str, str | None]


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    higher_is_better: bool
    items: Mapping[str, IndexItem]
    domains: tuple[IndexScore, ...]
    total: IndexScore | None
    reliability: float | None = None
    source: str | None = None
    description: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> IndexDefinition:
        """The definition in `data`; IndexDefinitionError listing every problem if it is not valid."""
        problems: list[str] = []
        if not isinstance(data, Mapping):
            raise IndexDefinitionError(["the definition is not a table of settings"])
        for key in sorted(set(data) - _ROOT_KEYS):
            problems.append(f"{key!r} is not a setting of an index (expected: {', '.join(sorted(_ROOT_KEYS))})")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append("'name' is required: the index's name")
        higher = data.get("higher_is_better")
        if not isinstance(higher, bool):
            problems.append("'higher_is_better' is required: true or false")
        reliability = data.get("reliability")
        if reliability is not None and (not _number(reliability) or not 0 < reliability < 1):
            problems.append(f"'reliability' is {reliability!r}: it must be a number between 0 and 1")
        for key in ("source", "description"):
            if data.get(key) is not None and not isinstance(data.get(key), str):
                problems.append(f"{key!r} must be text")

        items = _items(data.get("items"), problems)
        domains: list[IndexScore] = []
        raw_domains = data.get("domains")
        if not isinstance(raw_domains, Mapping) or not raw_domains:
            problems.append("'domains' is required: at least one domain, each naming its items")
        else:
            for key, raw in raw_domains.items():
                if key == TOTAL:
                    problems.append("a domain may not be called 'total': that name is kept for the total")
                domain = _score(f"domain {key!r}", key, raw, items, problems, all_items=None)
                if domain:
                    domains.append(domain)
            for key in items:
                if not _mentions(raw_domains, key):
                    problems.append(f"item {key!r} is in no domain: every item belongs to at least one")
        total = None
        if data.get("total") is not None:
            total = _score("the total", TOTAL, data["total"], items, problems, all_items=tuple(items))
        if problems:
            raise IndexDefinitionError(problems)
        return cls(
            name=str(name).strip(),
            higher_is_better=bool(higher),
            items=items,
            domains=tuple(domains),
            total=total,
            reliability=float(reliability) if reliability is not None else None,
            source=data.get("source"),
            description=data.get("description"),
        )

    @classmethod
    def from_toml(cls, path: Path) -> IndexDefinition:
        """The definition in a TOML file; IndexDefinitionError if it cannot be read or is not valid."""
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise IndexDefinitionError([f"cannot read {path}: {exc.strerror or exc}"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise IndexDefinitionError([f"{path} is not valid TOML: {exc}"]) from None
        return cls.from_data(data)

    def scores_defined(self) -> tuple[IndexScore, ...]:
        """The domains, then the total if there is one."""
        return (*self.domains, self.total) if self.total else self.domains

    def score(self, responses: Mapping[str, int | None]) -> IndexScores:
        """Score one set of answers (item key -> answer, None or absent when not answered).

        Raises IndexResponseError for an unknown item or an answer outside the item's range.
        """
        answers: dict[str, int] = {}
        for key, answer in responses.items():
            item = self.items.get(key)
            if item is None:
                raise IndexResponseError(key, f"is not an item of the {self.name}")
            if answer is None:
                continue
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise IndexResponseError(key, f"{answer!r} is not a whole number from {item.min} to {item.max}")
            if not item.min <= answer <= item.max:
                raise IndexResponseError(key, f"{answer} is outside the item's range, {item.min} to {item.max}")
            answers[key] = item.min + item.max - answer if item.reverse else answer
        scores: dict[str, float | None] = {}
        bands: dict[str, str | None] = {}
        for definition in self.scores_defined():
            given = [answers[key] for key in definition.items if key in answers]
            value: float | None = None
            if len(given) >= definition.minimum_answered:
                mean = decimal.Decimal(sum(given)) / decimal.Decimal(len(given))
                if definition.rule == "sum":
                    value = float((mean * len(definition.items)).quantize(decimal.Decimal(1), decimal.ROUND_HALF_UP))
                else:
                    value = float(mean.quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP))
            scores[definition.key] = value
            bands[definition.key] = _band(definition.bands, value)
        return IndexScores(scores, bands)


def _band(bands: tuple[Band, ...], value: float | None) -> str | None:
    if value is None:
        return None
    for band in bands:
        if band.min <= value <= band.max:
            return band.label
    return None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _mentions(raw_domains: Mapping[str, Any], key: str) -> bool:
    """Whether any domain lists the item (a domain with problems of its own counts: it does name it)."""
    return any(isinstance(raw, Mapping) and key in (raw.get("items") or []) for raw in raw_domains.values())


def _items(raw: object, problems: list[str]) -> dict[str, IndexItem]:
    items: dict[str, IndexItem] = {}
    if not isinstance(raw, Mapping) or not raw:
        problems.append("'items' is required: at least one item, each with its range (min and max)")
        return items
    for key, spec in raw.items():
        where = f"item {key!r}"
        if not isinstance(spec, Mapping):
            problems.append(f"{where} must be a table with its min and max")
            continue
        for extra in sorted(set(spec) - _ITEM_KEYS):
            problems.append(f"{where}: {extra!r} is not a setting of an item (expected: label, min, max, reverse)")
        reverse = spec.get("reverse", False)
        if not isinstance(reverse, bool):
            problems.append(f"{where}: 'reverse' must be true or false")
            reverse = False
        low, high = spec.get("min"), spec.get("max")
        if low is None or high is None:
            if reverse:
                problems.append(f"{where} is reverse-scored but has no range: give its min and max to reverse it")
            else:
                problems.append(f"{where} has no range: give its min and max")
            continue
        if not (isinstance(low, int) and isinstance(high, int)) or isinstance(low, bool) or isinstance(high, bool):
            problems.append(f"{where}: min and max must be whole numbers, not {low!r} and {high!r}")
            continue
        if low >= high:
            problems.append(f"{where}: min ({low}) must be below max ({high})")
            continue
        label = spec.get("label", key)
        items[key] = IndexItem(key, str(label), low, high, reverse)
    return items


def _score(
    where: str,
    key: str,
    raw: object,
    items: Mapping[str, IndexItem],
    problems: list[str],
    *,
    all_items: tuple[str, ...] | None,
) -> IndexScore | None:
    """A domain (or, with `all_items`, the total over every item) checked; None if it has problems."""
    count = len(problems)
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be a table with its items and rule")
        return None
    allowed = _SCORE_KEYS - {"items"} if all_items is not None else _SCORE_KEYS
    for extra in sorted(set(raw) - allowed):
        problems.append(f"{where}: {extra!r} is not a setting here (expected: {', '.join(sorted(allowed))})")
    if all_items is not None:
        names: tuple[str, ...] = all_items
    else:
        listed = raw.get("items")
        if not isinstance(listed, list) or not listed:
            problems.append(f"{where} has no items: list the items it is scored from")
            return None
        names = tuple(str(item) for item in listed)
        for item in names:
            if item not in items:
                problems.append(f"{where} names item {item!r}, which is not defined under 'items'")
        for item in sorted({item for item in names if names.count(item) > 1}):
            problems.append(f"{where} names item {item!r} more than once")
    rule = raw.get("rule")
    if rule not in RULES:
        problems.append(f"{where}: 'rule' is {rule!r}: it must be 'sum' or 'mean'")
    minimum = raw.get("minimum_answered", len(names))
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 1 <= minimum <= len(names):
        problems.append(f"{where}: 'minimum_answered' is {minimum!r}: it must be a whole number from 1 to {len(names)}")
    # The bands are checked even when the rest has problems, so that every problem is listed at once;
    # their coverage only when the possible scores are known.
    known = [items[item] for item in names if item in items]
    span: tuple[float, float] | None = None
    if known and len(known) == len(names) and rule in RULES:
        if rule == "sum":
            span = float(sum(i.min for i in known)), float(sum(i.max for i in known))
        else:
            span = float(min(i.min for i in known)), float(max(i.max for i in known))
    bands = _bands(where, raw.get("bands"), span, 1.0 if rule == "sum" else 0.01, problems)
    if len(problems) > count:
        return None
    return IndexScore(key, str(raw.get("label", key)), names, str(rule), int(minimum), bands)


def _bands(
    where: str, raw: object, span: tuple[float, float] | None, step: float, problems: list[str]
) -> tuple[Band, ...]:
    """The bands, checked: no overlaps, and (given the `span` of possible scores) no gaps and nothing outside."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: 'bands' must be a list of ranges, each with a label, min and max")
        return ()
    bands: list[Band] = []
    for number, spec in enumerate(raw, start=1):
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: band {number} must be a table with a label, min and max")
            continue
        for extra in sorted(set(spec) - _BAND_KEYS):
            problems.append(f"{where}: band {number}: {extra!r} is not a setting of a band (expected: label, min, max)")
        label, low, high = spec.get("label"), spec.get("min"), spec.get("max")
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}: band {number} has no label")
            continue
        if not (isinstance(low, int | float) and isinstance(high, int | float) and _number(low) and _number(high)):
            problems.append(f"{where}: band {label!r} needs a min and max (not {low!r}, {high!r})")
            continue
        if low > high:
            problems.append(f"{where}: band {label!r} needs a min and max, min not above max (not {low!r}, {high!r})")
            continue
        if step == 1 and not (float(low).is_integer() and float(high).is_integer()):
            problems.append(f"{where}: band {label!r} ({low}-{high}): a summed score is a whole number")
            continue
        bands.append(Band(label.strip(), float(low), float(high)))
    if len(bands) != len(raw):
        return ()
    labels = [band.label for band in bands]
    for label in sorted({label for label in labels if labels.count(label) > 1}):
        problems.append(f"{where}: two bands are labelled {label!r}")
    ordered = sorted(bands, key=lambda band: (band.min, band.max))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.min <= before.max:
            problems.append(
                f"{where}: bands {before.label!r} ({_range(before)}) and {after.label!r} ({_range(after)}) overlap"
            )
        elif round(after.min - before.max, 2) > step:
            gap_from, gap_to = before.max + step, after.min - step
            gap = _shown(gap_from) if round(gap_to - gap_from, 2) <= 0 else f"{_shown(gap_from)}-{_shown(gap_to)}"
            problems.append(
                f"{where}: no band covers {gap}, between {before.label!r} ({_range(before)}) and "
                f"{after.label!r} ({_range(after)})"
            )
    if span is None:
        return tuple(bands)
    lowest, highest = span
    if ordered[0].min > lowest:
        problems.append(f"{where}: no band covers the lowest possible score, {_shown(lowest)}")
    if ordered[-1].max < highest:
        problems.append(f"{where}: no band covers the highest possible score, {_shown(highest)}")
    for band in ordered:
        if band.min < lowest or band.max > highest:
            problems.append(
                f"{where}: band {band.label!r} ({_range(band)}) goes outside the possible scores, "
                f"{_shown(lowest)} to {_shown(highest)}"
            )
    return tuple(bands)


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _range(band: Band) -> str:
    return f"{_shown(band.min)}-{_shown(band.max)}"


def example_index() -> IndexDefinition:
    """The example definition shipped with Continuum (seed 003's Restorative Parenting Recovery Index)."""
    return IndexDefinition.from_toml(EXAMPLES / "restorative_parenting_recovery_index.toml")
