"""The model's reasons for a pair, in words a reviewer reads beside the two records.

One `Reason` per comparison of the model, from the pair's `gamma_<field>` (which level it fell in) and `bf_<field>`
(its Bayes factor, term frequencies included): what the level means ("Dates of birth have day and month the other
way round") and how far it moved the model ("some evidence for"). The words never hold a value of the records, so
they can be stored and shown whatever the reviewer may see of the records themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from continuum.linkage.engine.model import LEVELS, TrainedModel

# How strong a weight (log2 of the Bayes factor) is, by its size: below each bound, these words.
STRENGTHS = ((1.0, "little evidence"), (4.0, "some evidence"), (8.0, "strong evidence"))
STRONGEST = "very strong evidence"


@dataclass(frozen=True)
class Reason:
    field: str  # the comparison: one of records.FIELDS
    label: str  # the level's name in the model ("Day and month swapped")
    agrees: bool | None  # None when a side is missing (or the pair carries no level for it)
    weight: float  # log2 of the Bayes factor: + for a match, - against
    words: str  # plain English, no record values


def reasons(pair: Mapping[str, Any], model: TrainedModel) -> list[Reason]:
    """The reasons for one scored pair (a row of `predict.predict`), one per comparison of `model`, in its order."""
    found = []
    for comparison in model.splink["comparisons"]:
        name = comparison["output_column_name"]
        level = _level(comparison, pair.get(f"gamma_{name}"))
        if level is None:
            found.append(Reason(name, "Not compared", None, 0.0, f"{_subject(name)} not compared"))
            continue
        label = level["label_for_charts"]
        known = {lv.label: lv for lv in LEVELS.get(name, ())}.get(label)
        says = known.says if known else f"{_subject(name)}: {label.lower()}"
        agrees = (known.agrees if known else None) if not level.get("is_null_level") else None
        if level.get("is_null_level"):
            found.append(Reason(name, label, None, 0.0, f"{says}: no evidence either way"))
            continue
        weight = _weight(pair.get(f"bf_{name}"))
        found.append(Reason(name, label, agrees, weight, f"{says}: {strength(weight)}"))
    return found


def strength(weight: float) -> str:
    """How much a weight counts, and which way: "strong evidence against"."""
    size = abs(weight)
    words = next((words for bound, words in STRENGTHS if size < bound), STRONGEST)
    if size < STRENGTHS[0][0]:
        return f"{words} either way"
    return f"{words} {'for' if weight > 0 else 'against'}"


def _level(comparison: Mapping[str, Any], gamma: Any) -> Mapping[str, Any] | None:
    """The level a gamma value names: -1 the null level, else Splink's numbering (the last level 0, counting up)."""
    if gamma is None:
        return None
    levels = comparison["comparison_levels"]
    if int(gamma) == -1:
        return next((level for level in levels if level.get("is_null_level")), None)
    others = [level for level in levels if not level.get("is_null_level")]
    index = len(others) - 1 - int(gamma)
    return others[index] if 0 <= index < len(others) else None


def _weight(factor: Any) -> float:
    if factor is None or not isinstance(factor, int | float) or math.isnan(factor):
        return 0.0
    return round(math.log2(max(float(factor), 1e-300)), 3) if math.isfinite(factor) else 1000.0


def _subject(name: str) -> str:
    return name.replace("_", " ").capitalize()
