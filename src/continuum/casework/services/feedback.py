"""The child's or family's feedback at closure, quoted only with their consent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import ClosureFeedback
from continuum.casework.services._common import locked_episode


def feedback_record(
    *,
    actor: Actor,
    episode_id: Any,
    given_by: str,
    helpfulness: int | None,
    what_helped: str = "",
    what_could_be_better: str = "",
    consent_to_quote: bool = False,
    quote: str = "",
) -> ClosureFeedback:
    """Record feedback as the episode ends (before or after it is closed). A quote needs consent; without
    consent nothing is kept to quote."""
    errors: dict[str, str] = {}
    if given_by not in v.codes(v.VOICE):
        errors["given_by"] = "Select who gave the feedback"
    if helpfulness is None or not 1 <= helpfulness <= 5:
        errors["helpfulness"] = "Select how helpful the support was, from 1 to 5"
    if consent_to_quote and not quote.strip():
        errors["quote"] = "Write the words they agreed may be quoted"
    if quote.strip() and not consent_to_quote:
        errors["consent_to_quote"] = "A quote is kept only with their consent to quote it"
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        if errors:
            raise ValidationError(errors)
        assert helpfulness is not None
        feedback = ClosureFeedback.objects.create(
            episode=episode,
            given_by=given_by,
            given_on=timezone.localdate(),
            helpfulness=helpfulness,
            what_helped=what_helped.strip(),
            what_could_be_better=what_could_be_better.strip(),
            consent_to_quote=consent_to_quote,
            quote=quote.strip() if consent_to_quote else "",
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=feedback,
            person=episode.person_id,
            event="casework.feedback_record",
            purpose=f"Feedback from the {v.label(v.VOICE, given_by).lower()}",
        )
    return feedback
