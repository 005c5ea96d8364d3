"""What every casework service needs: who may change an episode, and the episode locked while it changes.

- The lead practitioner, and the manager of the lead's team, lead the episode: they open, assess, plan,
  review, close, and add to the team around the family.
- A current member of the team around the family also works with the family: they record sessions and rate
  goals with the family.
- Anyone else is refused as if the episode did not exist (a guessed id tells nothing).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from continuum.agencies import access
from continuum.casework.models import Episode
from continuum.identifiers import record_id

if TYPE_CHECKING:
    from continuum.agencies.access import Actor


def manages_lead(actor: Actor | Any, episode: Episode) -> bool:
    """The actor is a team manager of the lead practitioner's team."""
    profile = access.profile_of(actor)
    return (
        profile is not None
        and profile.role == "team_manager"
        and profile.team_id is not None
        and profile.team_id == episode.lead_practitioner.team_id
    )


def leads(actor: Actor | Any, episode: Episode) -> bool:
    """The actor leads the episode: its lead practitioner, or the manager of the lead's team."""
    profile = access.profile_of(actor)
    if profile is None or not access.can_lead_casework(actor):
        return False
    return profile.pk == episode.lead_practitioner_id or manages_lead(actor, episode)


def works_on(actor: Actor | Any, episode: Episode) -> bool:
    """The actor leads the episode or is a current member of its team around the family."""
    profile = access.profile_of(actor)
    if profile is None:
        return False
    return leads(actor, episode) or episode.team_around_family.current().filter(practitioner=profile).exists()


def locked_episode(actor: Actor | Any, episode_id: Any, *, lead: bool = True) -> Episode:
    """The episode, locked for the change, if the actor may make it; otherwise the same 404 as no episode."""
    wanted = record_id(episode_id)
    episode = (
        Episode.objects.select_for_update(of=("self",))
        .select_related("lead_practitioner", "programme", "person")
        .filter(pk=wanted)
        .first()
        if wanted
        else None
    )
    if episode is None or not (leads(actor, episode) if lead else works_on(actor, episode)):
        from continuum.audit.services import audit_refusal, record_type

        audit_refusal(
            actor=actor,
            object_type=record_type(Episode),
            object_id=str(episode_id),
            why="change episode: " + ("no such record" if episode is None else "does not work on the episode"),
            event="casework.episode_view",
            person=episode.person_id if episode else None,
        )
        raise Http404("No episode you can change has that reference")
    return episode


def still_open(episode: Episode, *, what: str, on: datetime.date | None = None, field: str | None = None) -> None:
    """Refuse a change to a closed episode, or one dated after its close, before its start or in the future;
    the message goes on `field` (the date's) when given."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: message} if field else message)

    if episode.end_date is not None:
        if on is not None and on > episode.end_date:
            raise refuse(
                f"The episode closed on {episode.end_date:%-d %B %Y}: a {what} on {on:%-d %B %Y} is after it closed"
            )
        raise refuse(f"The episode closed on {episode.end_date:%-d %B %Y}: no {what} can be recorded after it closed")
    if on is not None and on < episode.start_date:
        raise refuse(f"The episode started on {episode.start_date:%-d %B %Y}: a {what} cannot be dated before it")
    if on is not None and on > timezone.localdate():
        raise refuse(f"The date of the {what} must be today or in the past")
