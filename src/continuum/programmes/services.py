"""Changing the programme catalogue: administrators only, every change audited in its own transaction.

Eligibility rules are versioned: a change adds a version with a note and never edits an old one, so a
decision that recorded the version it used can always be explained.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, audit_record
from continuum.programmes.eligibility import problems
from continuum.programmes.models import Programme, RuleSet

__all__ = ["EDITABLE_FIELDS", "programme_save", "rules_version_add"]

# What an administrator may change; the slug too, since nothing outside the catalogue stores it.
EDITABLE_FIELDS = (
    "slug",
    "name",
    "provider",
    "category",
    "modalities",
    "needs",
    "summary",
    "min_age",
    "max_age",
    "session_limit",
    "typical_weeks",
    "duration",
    "capacity",
    "unit_cost",
    "unit_cost_year",
    "unit_cost_basis",
    "measures",
    "evidence_rating",
    "evidence_summary",
    "outcome_figures",
    "source",
    "active",
)


def _require_administrator(actor: Actor) -> None:
    if not isinstance(actor, SystemActor):
        access.require(access.can_manage_accounts(actor))


def programme_save(*, actor: Actor, programme: Programme, wanted: dict[str, Any]) -> Programme:
    """Add a programme, or change one, from the values wanted (only EDITABLE_FIELDS are read).

    Raises ValidationError naming the field when a value is refused (a negative capacity, the oldest age
    below the youngest, ...); nothing is saved then.
    """
    _require_administrator(actor)
    with transaction.atomic():
        current = Programme.objects.select_for_update().filter(pk=programme.pk).first()
        target = current or Programme(pk=programme.pk)
        before = {f: getattr(target, f) for f in EDITABLE_FIELDS} if current else {}
        for name in EDITABLE_FIELDS:
            if name in wanted:
                setattr(target, name, wanted[name])
        target.full_clean()
        target.save()
        changed = sorted(f for f in EDITABLE_FIELDS if current is None or getattr(target, f) != before[f])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if current else AuditAction.CREATE,
            obj=target,
            event="programmes.programme_save",
            purpose=f"Programme {target.name} {'changed' if current else 'added'}",
            detail={"slug": target.slug, "fields": changed},
        )
    return target


def rules_version_add(*, actor: Actor, programme_id: Any, rules: Any, note: str) -> RuleSet:
    """Add the next version of a programme's eligibility rules, refused when the rules have problems.

    Raises ValidationError with the problems under "rules" (or "note" when it is missing); nothing is
    saved then. The programme row is locked so that two administrators cannot both add version N.
    """
    _require_administrator(actor)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if found := problems(rules):
        errors["rules"] = [f"{p[0].upper()}{p[1:]}" for p in found]
    if not note:
        errors["note"] = ["Say what changed and why"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme_id)
        latest = programme.rule_sets.aggregate(latest=Max("version"))["latest"] or 0
        rule_set = RuleSet.objects.create(
            programme=programme,
            version=latest + 1,
            rules=rules,
            note=note,
            created_by=None if isinstance(actor, SystemActor) else actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=rule_set,
            event="programmes.rules_version",
            purpose=note,
            detail={"programme": programme.slug, "version": rule_set.version},
        )
    return rule_set
