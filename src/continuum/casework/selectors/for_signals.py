"""What the single multi-agency view (signals) reads of casework: a child's episodes of support, with the lead
practitioner and the current team around the family, and how to reach them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from continuum.casework.models import Episode, TeamMember

if TYPE_CHECKING:
    from continuum.agencies.models import Practitioner


@dataclass(frozen=True)
class Worker:
    """A practitioner working with the child, and how to reach them."""

    name: str
    role: str  # "Lead practitioner", or what they do for the family
    agency: str
    agency_kind: str
    email: str
    phone: str  # their agency's


@dataclass(frozen=True)
class EpisodeForView:
    reference: str
    programme: str
    start_date: datetime.date
    end_date: datetime.date | None
    closure: str
    lead: Worker
    team: list[Worker] = field(default_factory=list)  # the current team around the family


def _worker(practitioner: Practitioner, role: str) -> Worker:
    agency = practitioner.agency
    return Worker(
        name=practitioner.name,
        role=role,
        agency=agency.name,
        agency_kind=agency.kind,
        email=practitioner.email or agency.contact_email,
        phone=agency.contact_phone,
    )


def episodes_for_view(*, person_id: Any) -> list[EpisodeForView]:
    """The child's episodes of support, newest first (two queries). Not audited: the caller has opened the child's
    record (access.person_or_404) and audits the read this is part of; it decides who may read early help."""
    episodes = episodes_with_current_team(person_id=person_id)
    return [
        EpisodeForView(
            reference=e.reference,
            programme=e.programme.name if e.programme else "No programme",
            start_date=e.start_date,
            end_date=e.end_date,
            closure=e.get_closure_reason_display() if e.closure_reason else "",
            lead=_worker(e.lead_practitioner, "Lead practitioner"),
            team=[_worker(m.practitioner, m.role) for m in e.current_team],
        )
        for e in episodes
    ]


def episodes_with_current_team(*, person_id: Any):  # the type is inferred: a queryset whose rows have current_team
    """A child's episodes, newest first, with the programme, the lead practitioner's agency and the current team
    around the family (`current_team`): for the record's section and the single view alike (two queries)."""
    return (
        Episode.objects.filter(person_id=person_id)
        .select_related("programme", "lead_practitioner__agency")
        .prefetch_related(
            Prefetch(
                "team_around_family",
                queryset=TeamMember.objects.current().select_related("practitioner__agency"),
                to_attr="current_team",
            )
        )
        .order_by("-start_date", "reference")
    )
