"""The working relationship the audit module creates: an unexpired break-glass grant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from continuum.agencies.access import relationship_source
from continuum.audit.models import BreakGlassGrant

if TYPE_CHECKING:
    from continuum.agencies.models import Practitioner


@relationship_source("break_glass")
def _break_glass(practitioner: Practitioner) -> QuerySet[Any]:
    if practitioner.user_id is None:
        return BreakGlassGrant.objects.none().values("person_id")
    return BreakGlassGrant.objects.filter(user_id=practitioner.user_id, expires_at__gt=timezone.now()).values(
        "person_id"
    )
