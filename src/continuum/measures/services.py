"""Recording questionnaires and custom indices.

A questionnaire is scored by `continuum.analytics` when it is entered, and its answers, scores and bands are
saved with the audit row in one transaction; a response that cannot be scored is refused with the field it
names, and nothing is saved.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.selectors import episode_get, session_get
from continuum.measures import scoring
from continuum.measures.models import Measure, Questionnaire
from continuum.measures.selectors import may_enter_questionnaires


def questionnaire_record(
    *,
    actor: Actor,
    measure: str,
    informant: str,
    version: str,
    timepoint: str,
    responses: dict[str, Any],
    completed_by_respondent: bool = False,
    session_id: Any = None,
    episode_id: Any = None,
) -> Questionnaire:
    """Score and save one questionnaire entered on a session (or on an episode, between sessions).

    Refused with the same audited 404 as a missing session when the actor may not open the child, and with
    PermissionDenied when they may open it but neither lead casework nor sit in the team around the family.
    A response the measure cannot score raises ValidationError naming the field; nothing is saved.
    """
    if (session_id is None) == (episode_id is None):
        raise ValueError("give a session_id or an episode_id, not both")
    session = session_get(viewer=actor, session_id=session_id) if session_id is not None else None
    episode = session.episode if session is not None else episode_get(viewer=actor, episode_id=episode_id, audit=False)
    if not may_enter_questionnaires(actor, episode):
        raise PermissionDenied
    found = Measure.objects.filter(slug=measure, active=True).first()
    if found is None:
        raise ValidationError({"measure": f"There is no questionnaire called {measure!r}"})
    if timepoint not in v.codes(v.TIMEPOINT):
        raise ValidationError({"timepoint": "Say when in the episode the questionnaire was completed"})
    scored = scoring.score(found, informant=informant, version=version, responses=responses)
    with transaction.atomic():
        questionnaire = Questionnaire(
            measure=found,
            person_id=episode.person_id,
            episode=episode,
            session=session,
            timepoint=timepoint,
            informant=informant,
            version=version if found.kind == Measure.Kind.SDQ else "",
            completed_on=session.held_on if session is not None else timezone.localdate(),
            responses=scored.responses,
            scores=scored.scores,
            bands=scored.bands,
            completed_by_respondent=completed_by_respondent,
            entered_by=None if isinstance(actor, SystemActor) else actor,
        )
        questionnaire.full_clean()
        questionnaire.save()
        who = "the respondent on the practitioner's device" if completed_by_respondent else "the practitioner"
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=questionnaire,
            event="measures.questionnaire_record",
            purpose=f"{found.name} ({timepoint}), entered by {who}",
            detail={"measure": found.slug, "informant": informant, "timepoint": timepoint},
        )
    return questionnaire


def parse_definition(text: str, *, fmt: str) -> dict[str, Any]:
    """A definition pasted or uploaded as JSON or TOML, read into a dict; ValidationError if it cannot be read."""
    try:
        data = json.loads(text) if fmt == "json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({"definition": f"This is not valid JSON: {exc.msg} (line {exc.lineno})"}) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError({"definition": f"This is not valid TOML: {exc}"}) from None
    if not isinstance(data, dict):
        raise ValidationError({"definition": "The definition must be a JSON object or a TOML table"})
    return data


def index_add(*, actor: Actor, definition: dict[str, Any], source: str = "") -> Measure:
    """Add a custom index from its definition (checked by `continuum.analytics.indices`), audited.

    Every problem with the definition is listed in the ValidationError; nothing is saved.
    """
    if not (isinstance(actor, SystemActor) or access.can_manage_accounts(actor)):
        raise PermissionDenied
    checked = scoring.check_index(definition)
    with transaction.atomic():
        if Measure.objects.select_for_update().filter(slug=checked.slug).exists():
            raise ValidationError({"definition": f"There is already a measure with the slug {checked.slug!r}"})
        measure = Measure(
            slug=checked.slug, name=checked.name, kind=Measure.Kind.INDEX, definition=definition, source=source[:300]
        )
        measure.full_clean()
        try:
            measure.save()
        except IntegrityError:
            raise ValidationError(
                {"definition": f"There is already a measure with the slug {checked.slug!r}"}
            ) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=measure,
            event="measures.measure_save",
            purpose=f"Added the custom index {checked.name}",
            detail={"slug": checked.slug},
        )
    return measure
