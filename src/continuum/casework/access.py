"""The working relationship casework creates.

- team_around_family: the user is a current member of the team around the family in an episode of support
  for the child (usually from another agency). It lets them open the child's record, where the information-
  sharing rules still decide what they read: the episode, and nothing of the lead agency's other work.

The lead practitioner needs no source of their own: opening an episode allocates them to the child (agencies'
`allocated` relationship) and, when the lead's agency has no early help involvement open with the child, opens one
(`agency_involvement`, so the lead's colleagues work with the child too); closing the episode ends both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet

from continuum.agencies.access import relationship_source
from continuum.casework.models import TeamMember

if TYPE_CHECKING:
    from continuum.agencies.models import Practitioner


@relationship_source("team_around_family")
def _team_around_family(practitioner: Practitioner) -> QuerySet[Any]:
    # Closing an episode ends its members' places, so a current place means an open episode.
    return TeamMember.objects.current().filter(practitioner=practitioner).values(person_id=F("episode__person_id"))
