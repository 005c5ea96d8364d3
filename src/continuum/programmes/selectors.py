"""Reading the programme catalogue, and a child's eligibility for each programme.

Eligibility is worked out from what the record holds on the date asked about: the child's date of birth,
the level of need the caller supplies (a decision being made, or the latest one), the involvements open
that day, the events agency feeds recorded (sources register with @event_source; the signals module adds
its feeds), and the locality of the child's household.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from continuum import tables
from continuum.programmes.eligibility import ChildFacts, Eligibility, Event, evaluate
from continuum.programmes.models import Programme, RuleSet

# name -> function(person, as_of) giving the events (kind, date) a source knows for the person
EventSource = Callable[[Any, datetime.date], Iterable[Event]]
_EVENT_SOURCES: dict[str, EventSource] = {}


def event_source(name: str) -> Callable[[EventSource], EventSource]:
    """Register where events about a person come from (the agency feeds, later)."""

    def register(fn: EventSource) -> EventSource:
        _EVENT_SOURCES[name] = fn
        return fn

    return register


def programme_list(*, active: bool = True) -> QuerySet[Programme]:
    """The catalogue. Not about any child: any signed-in user may read it, and it is not audited."""
    programmes = Programme.objects.order_by(Lower("name"), "slug")
    return programmes.filter(active=True) if active else programmes


def current_rules(programme: Programme) -> RuleSet | None:
    return programme.rule_sets.order_by("-version").first()


@dataclass(frozen=True)
class LibraryFilter:
    """What the library is narrowed to: any of the needs, any of the modalities, any of the evidence
    ratings (an empty set leaves that question open), and an age the programme takes."""

    needs: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    age: int | None = None

    def takes(self, programme: Programme) -> bool:
        return (
            (not self.needs or bool(self.needs & set(programme.needs)))
            and (not self.modalities or bool(self.modalities & set(programme.modalities)))
            and (not self.evidence or programme.evidence_rating in self.evidence)
            and (
                self.age is None
                or (
                    (programme.min_age is None or programme.min_age <= self.age)
                    and (programme.max_age is None or self.age <= programme.max_age)
                )
            )
        )


def programme_library(*, filters: LibraryFilter) -> list[Programme]:
    """The active programmes the filters select, by name. The catalogue is small (tens of programmes),
    and needs and modalities are JSON lists that SQLite cannot search, so it filters in Python."""
    return [p for p in programme_list() if filters.takes(p)]


def programme_page(*, slug: str) -> Programme:
    """One programme by its slug, with its rule-set versions newest first (404 when there is none)."""
    rule_sets = RuleSet.objects.order_by("-version").select_related("created_by")
    return get_object_or_404(Programme.objects.prefetch_related(Prefetch("rule_sets", queryset=rule_sets)), slug=slug)


def child_facts(*, person: Any, as_of: datetime.date, level_of_need: int | None) -> ChildFacts:
    """What eligibility rules may ask about a person on a date. The caller has already checked access."""
    household = getattr(person, "household", None)
    events: list[Event] = []
    for source in _EVENT_SOURCES.values():
        events.extend(e for e in source(person, as_of) if e.date <= as_of)
    return ChildFacts(
        id=str(person.pk),
        as_of=as_of,
        date_of_birth=person.date_of_birth,
        level_of_need=level_of_need,
        open_involvements=frozenset(person.involvements.current(on=as_of).values_list("kind", flat=True)),
        events=tuple(sorted(events, key=lambda e: (e.date, e.kind))),
        locality=(household.locality if household else "") or "",
    )


@dataclass(frozen=True)
class ProgrammeEligibility:
    programme: Programme
    rules_version: int | None
    result: Eligibility

    @property
    def eligible(self) -> bool:
        return self.result.eligible


def eligibility_for(*, person: Any, as_of: datetime.date, level_of_need: int | None) -> list[ProgrammeEligibility]:
    """Every active programme, eligible or not, with each rule's result and reason; eligible ones first.

    A programme with no rules yet takes anyone. Not audited: the page that shows it audits the read.
    """
    facts = child_facts(person=person, as_of=as_of, level_of_need=level_of_need)
    out = []
    for programme in programme_list().prefetch_related("rule_sets"):
        rules = max(programme.rule_sets.all(), key=lambda r: r.version, default=None)
        result = evaluate(rules.rules if rules else [], facts, programme=programme.name)
        out.append(ProgrammeEligibility(programme, rules.version if rules else None, result))
    return sorted(out, key=lambda e: (not e.eligible, e.programme.name))


def programme_slug_reader(required: bool) -> Callable[[Any], uuid.UUID | None]:
    """A `continuum.tables` reader for a programme named by its slug in a county snapshot: the id of the catalogue's
    programme with that slug, or a ValueError naming the slug. The catalogue is read once, at the first slug."""
    slug_text = tables.text(60, required)
    ids: dict[str, uuid.UUID] = {}

    def read(value: Any) -> uuid.UUID | None:
        slug = slug_text(value)
        if not slug:
            return None
        if not ids:
            ids.update(programme_list(active=False).values_list("slug", "pk"))
        if slug not in ids:
            raise ValueError(f"{slug!r} is not the slug of a programme in the catalogue")
        return ids[slug]

    return read
