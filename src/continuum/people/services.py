"""Changing people's records. Each service checks access, validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.people.models import Address, Person, Relationship


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


# The default of every field person_update may change: "leave this field as it is".
UNCHANGED: Final[Any] = _Unchanged()


def _basis_to_change(actor: Actor, person_id: Any) -> str:
    """Why the actor may change this person's record (for the audit row); refused alike if missing or not theirs."""
    basis = access.access_basis(actor, person_id)
    if basis is None:
        raise ValidationError("No record you can change has that reference")
    return basis.audit


def person_create(
    *,
    actor: Actor,
    given_name: str,
    family_name: str,
    middle_names: str = "",
    known_as: str = "",
    date_of_birth: datetime.date | None = None,
    dob_approximate: bool = False,
    sex: str = "U",
    ethnicity: str = "NOBT",
    first_language: str = "",
    nhs_number: str = "",
    upn: str = "",
    send_status: str = "",
) -> Person:
    """Record a new person. Only roles that may open records may create them."""
    access.require(access.can_search_people(actor))
    person = Person(
        given_name=given_name,
        family_name=family_name,
        middle_names=middle_names,
        known_as=known_as,
        date_of_birth=date_of_birth,
        dob_approximate=dob_approximate,
        sex=sex,
        ethnicity=ethnicity,
        first_language=first_language,
        nhs_number=nhs_number,
        upn=upn,
        send_status=send_status,
    )
    person.full_clean()
    with transaction.atomic():
        person.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            event="people.person_create",
            purpose="New person recorded",
        )
    return person


def person_update(
    *,
    actor: Actor,
    person_id: Any,
    given_name: str = UNCHANGED,
    family_name: str = UNCHANGED,
    middle_names: str = UNCHANGED,
    known_as: str = UNCHANGED,
    date_of_birth: datetime.date | None = UNCHANGED,
    dob_approximate: bool = UNCHANGED,
    sex: str = UNCHANGED,
    ethnicity: str = UNCHANGED,
    first_language: str = UNCHANGED,
    nhs_number: str = UNCHANGED,
    upn: str = UNCHANGED,
    send_status: str = UNCHANGED,
) -> Person:
    """Change a person's details; the audit row lists which fields changed (not their values)."""
    given = {
        "given_name": given_name,
        "family_name": family_name,
        "middle_names": middle_names,
        "known_as": known_as,
        "date_of_birth": date_of_birth,
        "dob_approximate": dob_approximate,
        "sex": sex,
        "ethnicity": ethnicity,
        "first_language": first_language,
        "nhs_number": nhs_number,
        "upn": upn,
        "send_status": send_status,
    }
    changes = {name: value for name, value in given.items() if value is not UNCHANGED}
    basis = _basis_to_change(actor, person_id)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)  # exists: access_basis found it
        changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
        for name in changed:
            setattr(person, name, changes[name])
        person.full_clean()
        person.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            event="people.person_update",
            purpose=basis,
            detail={"fields": changed},
        )
    return person


def address_add(
    *,
    actor: Actor,
    person: Person,
    address_line: str,
    postcode: str,
    town: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Address:
    """Record an address; a new current address ends the one before it on the day the new one starts."""
    basis = _basis_to_change(actor, person.pk)
    address = Address(
        person=person, address_line=address_line, town=town, postcode=postcode, start_date=start_date, end_date=end_date
    )
    address.full_clean()
    with transaction.atomic():
        if address.end_date is None:
            Address.objects.current().filter(person=person).update(end_date=address.start_date)
        address.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=address, event="people.address_add", purpose=basis)
    return address


def relationship_add(
    *,
    actor: Actor,
    from_person: Person,
    to_person: Person,
    kind: str,
    source: str,
    confidence: str = "reported",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Relationship:
    """Record how two people are related; the actor must be able to open at least the first record."""
    basis = _basis_to_change(actor, from_person.pk)
    link = Relationship(
        from_person=from_person,
        to_person=to_person,
        kind=kind,
        source=source,
        confidence=confidence,
        start_date=start_date,
        end_date=end_date,
    )
    link.full_clean()
    with transaction.atomic():
        link.save()
        for person in (from_person, to_person):
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=link,
                person=person,
                event="people.relationship_add",
                purpose=basis,
                detail={"kind": link.kind},
            )
    return link


# A moved relationship end, journaled: [relationship id, "from" or "to", the person it left, the one it went to].
type RelationshipMove = list[str]
ENDS = {"from": "from_person_id", "to": "to_person_id"}


def move_relationships(*, from_person_id: Any, to_person_id: Any) -> list[RelationshipMove]:
    """Point every relationship end at one person to another (record linkage found them to be one person), and
    return what moved, for `restore_relationships`. A relationship between the two stays as it is (it would be a
    person's relationship with themselves). For the caller's transaction, which locks and audits the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move relationships inside the transaction that audits the change")
    journal: list[RelationshipMove] = []
    for end, column in ENDS.items():
        other = "to_person_id" if end == "from" else "from_person_id"
        moving = (
            Relationship.objects.select_for_update().filter(**{column: from_person_id}).exclude(**{other: to_person_id})
        )
        ids = sorted(str(pk) for pk in moving.values_list("pk", flat=True))
        Relationship.objects.filter(pk__in=ids).update(**{column: to_person_id})
        journal += [[pk, end, str(from_person_id), str(to_person_id)] for pk in ids]
    return journal


def restore_relationships(*, journal: list[RelationshipMove]) -> int:
    """Put back what `move_relationships` moved: each end still at the person it went to returns to the one it left
    (a relationship deleted since stays deleted). Returns how many ends went back. In the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("restore relationships inside the transaction that audits the change")
    restored = 0
    groups: dict[tuple[str, str, str], list[str]] = {}
    for pk, end, left, went in journal:
        groups.setdefault((end, left, went), []).append(pk)
    for (end, left, went), ids in sorted(groups.items()):
        column = ENDS[end]
        restored += Relationship.objects.filter(pk__in=ids, **{column: went}).update(**{column: left})
    return restored
