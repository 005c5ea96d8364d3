"""Recording an early help assessment: the whole family, by the three domains of the assessment triangle, strengths
as well as needs, the child's and the parents' own words; it proposes the level of need. A re-assessment names the
one before, so its page can show what changed domain by domain."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Assessment, AssessmentDomain
from continuum.casework.services._common import locked_episode, still_open


@dataclass(frozen=True)
class DomainAnswer:
    """One domain as the assessor recorded it."""

    concern: int | None
    strengths: str
    needs: str = ""
    areas: Sequence[str] = field(default_factory=tuple)


def assessment_record(
    *,
    actor: Actor,
    episode_id: Any,
    completed_on: datetime.date,
    domains: Mapping[str, DomainAnswer],
    child_words: str,
    parent_words: str,
    summary: str,
    proposed_level: int | None,
) -> Assessment:
    """Record an assessment (every domain answered, nothing saved otherwise); the latest one before it becomes
    its `previous`, so a re-assessment shows what changed."""
    errors: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    concerns = {int(c) for c in v.codes(v.CONCERN)}
    for code, label in v.ASSESSMENT_DOMAIN:
        answer = domains.get(code)
        if answer is None:
            problem(f"{code}-concern", f"{label}: the assessment needs every domain; this one is missing")
            continue
        if answer.concern not in concerns:
            problem(f"{code}-concern", f"{label}: select how much concern it raises")
        if not answer.strengths.strip():
            problem(f"{code}-strengths", f"{label}: say what the strengths are")
        known = v.codes(v.ASSESSMENT_AREA[code])
        if not set(answer.areas) <= known:
            problem(f"{code}-areas", f"{label}: choose areas from the list")
    unknown = set(domains) - v.codes(v.ASSESSMENT_DOMAIN)
    if unknown:
        problem("__all__", f"No such domain of the assessment: {', '.join(sorted(unknown))}")
    if not child_words.strip():
        problem("child_words", "Record what the child said, in their own words")
    if not parent_words.strip():
        problem("parent_words", "Record what the parents or carers said, in their own words")
    if not summary.strip():
        problem("summary", "Write the analysis: what life is like for the child and what needs to change")
    if proposed_level not in {int(c) for c in v.codes(v.LEVEL_OF_NEED)}:
        problem("proposed_level", "Select the level of need the assessment proposes")
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="assessment", on=completed_on, field="completed_on")
        if errors:
            raise ValidationError(errors)
        profile = access.profile_of(actor)
        assert profile is not None and proposed_level is not None  # locked_episode: the actor leads; checked above
        previous = episode.assessments.order_by("-completed_on", "-created_at").first()
        assessment = Assessment.objects.create(
            episode=episode,
            previous=previous,
            completed_on=completed_on,
            assessor=profile,
            child_words=child_words.strip(),
            parent_words=parent_words.strip(),
            summary=summary.strip(),
            proposed_level=proposed_level,
            created_by=None if isinstance(actor, SystemActor) else actor,
        )
        AssessmentDomain.objects.bulk_create(
            [
                AssessmentDomain(
                    assessment=assessment,
                    domain=code,
                    concern=domains[code].concern or 0,  # checked above: one of the concern codes
                    strengths=domains[code].strengths.strip(),
                    needs=domains[code].needs.strip(),
                    areas=list(dict.fromkeys(domains[code].areas)),
                )
                for code, _ in v.ASSESSMENT_DOMAIN
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assessment,
            person=episode.person_id,
            event="casework.assessment_record",
            purpose="Re-assessment" if previous else "Early help assessment",
            detail={"episode": str(episode.pk), "proposed_level": proposed_level},
        )
    return assessment
