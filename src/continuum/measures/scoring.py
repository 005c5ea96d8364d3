"""The one place measures call `continuum.analytics` to score a response or check an index's definition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from continuum.analytics.indices import IndexDefinition, IndexDefinitionError, IndexResponseError
from continuum.analytics.sdq import SDQ_IMPACT_KEYS, SDQ_SCORES, SdqInputError, sdq_score

if TYPE_CHECKING:
    from continuum.measures.models import Measure

SDQ_ITEMS = tuple(f"sdq{n}" for n in range(1, 26))
SDQ_KEYS = frozenset({*SDQ_ITEMS, "difficulties", *(f"impact_{key}" for key in SDQ_IMPACT_KEYS)})


@dataclass(frozen=True)
class Scored:
    responses: dict[str, int | None]
    scores: dict[str, Any]
    bands: dict[str, str | None]


def _value(value: Any) -> Any:
    """A posted or typed answer as the scorer takes it: a whole number, or None when not answered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def score(measure: Measure, *, informant: str, version: str, responses: dict[str, Any]) -> Scored:
    """Score a response to a measure; ValidationError naming the field when it cannot be scored."""
    if measure.kind == "sdq":
        return _score_sdq(informant, version, responses)
    return _score_index(measure, responses)


def _score_sdq(informant: str, version: str, responses: dict[str, Any]) -> Scored:
    unknown = sorted(set(responses) - SDQ_KEYS)
    if unknown:
        raise ValidationError({"__all__": f"These are not SDQ questions: {', '.join(unknown)}"})
    answers = {key: _value(responses.get(key)) for key in sorted(SDQ_KEYS)}
    try:
        result = sdq_score(
            informant=informant,
            version=version,
            items=[answers[key] for key in SDQ_ITEMS],
            difficulties=answers["difficulties"],
            impact={key: answers[f"impact_{key}"] for key in SDQ_IMPACT_KEYS},
        )
    except SdqInputError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    scores = {name: getattr(result, name) for name in SDQ_SCORES}
    if all(value is None for value in scores.values()):
        raise ValidationError(
            {"sdq1": "Too few items are answered to give any score: enter the answers as ticked on the form"}
        )
    kept = {key: value for key, value in answers.items() if value is not None}
    return Scored(responses=kept, scores=scores, bands=dict(result.bands))


def index_definition(measure: Measure) -> IndexDefinition:
    return IndexDefinition.from_data(measure.definition)


def _score_index(measure: Measure, responses: dict[str, Any]) -> Scored:
    definition = index_definition(measure)
    answers = {key: _value(value) for key, value in responses.items()}
    try:
        result = definition.score(answers)
    except IndexResponseError as exc:
        raise ValidationError({exc.item: exc.message}) from None
    if all(value is None for value in result.scores.values()):
        first = next(iter(definition.items))
        raise ValidationError({first: "Too few items are answered to give any score: answer the items as rated"})
    kept = {key: value for key, value in answers.items() if value is not None}
    return Scored(responses=kept, scores=dict(result.scores), bands=dict(result.bands))


def index_reported(definition: IndexDefinition) -> list[tuple[str, str, bool, float | None]]:
    """What the outcome report shows of an index: (score key, label, higher is better, reliability), the total
    first, then each domain."""
    scores = ([definition.total] if definition.total else []) + list(definition.domains)
    return [(s.key, s.label, definition.higher_is_better, definition.reliability) for s in scores]


def index_bands(definition: IndexDefinition) -> dict[str, list[tuple[str, str]]]:
    """Each score's bands as (label, range) for the result page."""
    return {
        s.key: [(band.label, f"{band.min:g} to {band.max:g}") for band in s.bands] for s in definition.scores_defined()
    }


@dataclass(frozen=True)
class CheckedIndex:
    slug: str
    name: str
    definition: IndexDefinition


def check_index(data: dict[str, Any]) -> CheckedIndex:
    """An index definition checked by the analytics; ValidationError listing every problem."""
    try:
        definition = IndexDefinition.from_data(data)
    except IndexDefinitionError as exc:
        raise ValidationError({"definition": [str(p) for p in exc.problems]}) from None
    slug = slugify(definition.name)[:60].strip("-")
    if not slug:
        raise ValidationError({"definition": ["The index's name must contain letters or digits"]})
    return CheckedIndex(slug=slug, name=definition.name[:200], definition=definition)
