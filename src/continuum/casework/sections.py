"""The child's record: the casework section (episodes of support), for the page and the download.

Early help information (the category early_help), so shown to every viewer the sharing rules let read it: a
member of the team around the family from another agency sees the episode here, and the rules still decide what
else of the lead agency's they read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from continuum.agencies import access
from continuum.casework.selectors.for_signals import episodes_with_current_team
from continuum.people.selectors import RecordContext, record_section


@dataclass(frozen=True)
class EpisodeOnRecord:
    episode_id: Any
    reference: str
    programme: str
    lead: str
    start_date: datetime.date
    end_date: datetime.date | None
    level_at_start: str
    level_at_close: str
    closure: str
    team: list[str]


@dataclass(frozen=True)
class EpisodesOnRecord:
    person_id: Any
    episodes: list[EpisodeOnRecord]
    may_open: bool  # the viewer leads casework and the child has no open episode


@record_section(
    "episodes", title="Episodes of support", template="casework/record_section.html", order=60, category="early_help"
)
def _episodes(ctx: RecordContext) -> EpisodesOnRecord:
    episodes = episodes_with_current_team(person_id=ctx.person.pk)
    shown = [
        EpisodeOnRecord(
            episode_id=e.pk,
            reference=e.reference,
            programme=e.programme.name if e.programme else "No programme",
            lead=f"{e.lead_practitioner.name}, {e.lead_practitioner.agency.name}",
            start_date=e.start_date,
            end_date=e.end_date,
            level_at_start=e.get_level_at_start_display(),
            level_at_close=e.get_level_at_close_display() or "",
            closure=e.get_closure_reason_display() if e.closure_reason else "",
            team=[f"{m.practitioner.name}, {m.practitioner.agency.name} ({m.role})" for m in e.current_team],
        )
        for e in episodes
    ]
    is_open = any(e.end_date is None for e in shown)
    return EpisodesOnRecord(
        person_id=ctx.person.pk, episodes=shown, may_open=access.can_lead_casework(ctx.viewer) and not is_open
    )


@_episodes.export
def _(shown: EpisodesOnRecord) -> dict[str, Any]:
    return {
        "episodes_of_support": [
            {
                "reference": e.reference,
                "programme": e.programme,
                "lead": e.lead,
                "start": e.start_date.isoformat(),
                "end": e.end_date.isoformat() if e.end_date else None,
                "level_at_start": e.level_at_start,
                "level_at_close": e.level_at_close,
                "closure_reason": e.closure,
                "team_around_the_family": e.team,
            }
            for e in shown.episodes
        ]
    }
