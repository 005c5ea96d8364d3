"""The working relationships the front door creates.

- open_referral: the user's agency referred the child and the referral is still open, so a school can
  follow what happened to its own referral.
- transfer_to_team: the child has been sent to the user's team to accept or decline, or the team accepted
  the child and has not yet allocated a practitioner (the child is waiting for one, perhaps on the team's
  waiting list); once allocated, the team sees the child through its allocation instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from continuum.agencies.access import relationship_source
from continuum.frontdoor.models import Referral, Transfer

if TYPE_CHECKING:
    from continuum.agencies.models import Practitioner


@relationship_source("open_referral")
def _open_referral(practitioner: Practitioner) -> QuerySet[Any]:
    return (
        Referral.objects.filter(referrer_agency_id=practitioner.agency_id)
        .exclude(status=Referral.Status.CLOSED)
        .values("person_id")
    )


@relationship_source("transfer_to_team")
def _transfer_to_team(practitioner: Practitioner) -> QuerySet[Any]:
    # Every source answers with a queryset of person_id, so the access module can ask it about one child.
    if practitioner.team_id is None:
        return Referral.objects.none().values("person_id")
    pending = Q(decisions__transfers__status=Transfer.Status.PENDING)
    accepted_waiting = Q(
        decisions__transfers__status=Transfer.Status.ACCEPTED,
        status__in=[Referral.Status.DECIDED, Referral.Status.WAITING],
    )
    return Referral.objects.filter(
        pending | accepted_waiting, decisions__transfers__team_id=practitioner.team_id
    ).values("person_id")
