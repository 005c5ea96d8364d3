"""People's own parts of the record: education, the household, and family and relationships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from continuum import vocabulary as v
from continuum.people.models import HouseholdMember, Person, Relationship
from continuum.people.selectors import RecordContext, iso, record_section

# How a relationship reads from the other end: if A is parent of B, B's record shows A as "Parent"
# and A's record shows B as "Child".
_LOOKS_AFTER = ("parent", "step_parent", "grandparent", "carer")
_INVERSE_LABEL = {
    "parent": "Child",
    "step_parent": "Step-child",
    "grandparent": "Grandchild",
    "carer": "Cared for",
}


@dataclass(frozen=True)
class Education:
    upn: str
    send_status: str
    send_label: str


@record_section(
    "education", title="Education", template="people/section_education.html", order=10, category="education"
)
def _education(ctx: RecordContext) -> Education:
    p = ctx.person
    return Education(upn=p.upn, send_status=p.send_status, send_label=p.get_send_status_display())


@_education.export
def _(shown: Education) -> dict[str, Any]:
    return {"upn": shown.upn, "send_status": shown.send_status}


@dataclass(frozen=True)
class HouseholdMemberView:
    person_id: Any
    name: str
    role: str
    age: int | None
    can_open: bool


@record_section("household", title="Household", template="people/section_household.html", order=20)
def _household(ctx: RecordContext) -> list[HouseholdMemberView]:
    """Everyone living in the person's current household now, the person first."""
    person = ctx.person
    if not person.household_id:
        return []
    members = list(
        HouseholdMember.objects.current()
        .filter(household_id=person.household_id)
        .select_related("person")
        .order_by("person__date_of_birth")
    )
    openable = ctx.openable(m.person_id for m in members)
    # Someone who looks after this person is named as the relationships section names them ("Carer" for a
    # foster carer, whose household role is "Parent" of their own family), so the record uses one word.
    looks_after = dict(
        Relationship.objects.current()
        .filter(to_person=person, kind__in=_LOOKS_AFTER, from_person__in=[m.person_id for m in members])
        .values_list("from_person_id", "kind")
    )
    shown = [
        HouseholdMemberView(
            person_id=m.person_id,
            name=m.person.display_name,
            role=v.label(v.RELATIONSHIP_KIND, looks_after[m.person_id])
            if m.person_id in looks_after
            else m.get_household_role_display(),
            age=m.person.age(),
            can_open=m.person_id in openable,
        )
        for m in members
    ]
    return sorted(shown, key=lambda m: m.person_id != person.pk)


@_household.export
def _(shown: list[HouseholdMemberView]) -> dict[str, Any]:
    return {"household": [{**_reference(m), "name": m.name, "role": m.role, "age": m.age} for m in shown]}


def _reference(shown: HouseholdMemberView | RelatedPerson) -> dict[str, str]:
    """A download names everyone the page names, but gives the record reference only of those the viewer may open."""
    return {"person_id": str(shown.person_id)} if shown.can_open else {}


@dataclass(frozen=True)
class RelatedPerson:
    person_id: Any
    name: str
    label: str
    can_open: bool
    start_date: Any
    end_date: Any
    source: str
    confidence: str


@record_section(
    "relationships", title="Family and relationships", template="people/section_relationships.html", order=30
)
def _relationships(ctx: RecordContext) -> list[RelatedPerson]:
    person: Person = ctx.person
    found = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).select_related(
        "from_person", "to_person"
    )
    if not ctx.shows("inferred_relationships"):
        # Inferred from records and not confirmed: only the roles a rule names see these.
        found = found.exclude(confidence="inferred")
    links = list(found)
    openable = ctx.openable({link.from_person_id for link in links} | {link.to_person_id for link in links})
    related = []
    for link in links:
        outgoing = link.from_person_id == person.pk
        other = link.to_person if outgoing else link.from_person
        kind_label = v.label(v.RELATIONSHIP_KIND, link.kind)
        label = _INVERSE_LABEL.get(link.kind, kind_label) if outgoing else kind_label
        related.append(
            RelatedPerson(
                person_id=other.pk,
                name=other.display_name,
                label=label,
                can_open=other.pk in openable,
                start_date=link.start_date,
                end_date=link.end_date,
                source=link.source,
                confidence=v.label(v.CONFIDENCE, link.confidence),
            )
        )
    return sorted(related, key=lambda r: (r.end_date is not None, r.label, r.name))


@_relationships.export
def _(shown: list[RelatedPerson]) -> dict[str, Any]:
    return {
        "relationships": [
            {
                **_reference(r),
                "name": r.name,
                "relationship": r.label,
                "start_date": iso(r.start_date),
                "end_date": iso(r.end_date),
                "source": r.source,
                "confidence": r.confidence,
            }
            for r in shown
        ]
    }
