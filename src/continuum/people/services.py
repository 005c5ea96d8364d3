"""Changing people's records. Each service checks access, validates, writes and audits in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.agencies import access
from continuum.audit.models import AuditAction
from continuum.audit.services import audit_record
from continuum.people.models import Address, Person, Relationship

PERSON_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "known_as",
    "date_of_birth",
    "dob_approximate",
    "sex",
    "ethnicity",
    "first_language",
    "nhs_number",
    "upn",
    "send_status",
)


def _known_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")


def _basis_to_change(actor: Any, person_id: Any) -> str:
    """Why the actor may change this person's record; refused alike whether it is missing or not theirs."""
    basis = access.access_basis(actor, person_id)
    if basis is None:
        raise ValidationError("No record you can change has that reference")
    return basis


def person_create(*, actor: Any, **fields: Any) -> Person:
    """Record a new person. Only roles that may open records may create them."""
    access.require(access.can_search_people(actor))
    _known_fields(fields)
    person = Person(**fields)
    person.full_clean()
    with transaction.atomic():
        person.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            purpose="New person recorded",
        )
    return person


def person_update(*, actor: Any, person_id: Any, **changes: Any) -> Person:
    """Change a person's details; the audit row lists which fields changed (not their values)."""
    _known_fields(changes)
    basis = _basis_to_change(actor, person_id)
    person = Person.objects.get(pk=person_id)  # exists: access_basis found a relationship with it
    changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean()
    with transaction.atomic():
        person.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            purpose=basis,
            detail={"fields": changed},
        )
    return person


def address_add(*, actor: Any, person: Person, **fields: Any) -> Address:
    basis = _basis_to_change(actor, person.pk)
    address = Address(person=person, **fields)
    address.full_clean()
    with transaction.atomic():
        if address.end_date is None:
            # A new current address ends the previous one.
            person.addresses.filter(end_date__isnull=True).update(end_date=address.start_date)
        address.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="address",
            object_id=address.pk,
            person_id=person.pk,
            purpose=basis,
        )
    return address


def relationship_add(*, actor: Any, from_person: Person, to_person: Person, **fields: Any) -> Relationship:
    """Record how two people are related; the actor must be able to open at least the first record."""
    basis = _basis_to_change(actor, from_person.pk)
    link = Relationship(from_person=from_person, to_person=to_person, **fields)
    link.full_clean()
    with transaction.atomic():
        link.save()
        for person in (from_person, to_person):
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="relationship",
                object_id=link.pk,
                person_id=person.pk,
                purpose=basis,
                detail={"kind": link.kind},
            )
    return link
