"""Agencies' parts of a child's record: the agencies involved, and the practitioners allocated.

Each involvement and allocation is shown only where an information-sharing rule lets the viewer read
its category (an allocation's category is that of the practitioner's kind of agency). Where a rule
withholds one, the record still says that another agency is involved and whom to contact — never
what the involvement is — so nobody concludes that, say, health is not involved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner
from continuum.people.selectors import RecordContext, iso, record_section


@dataclass(frozen=True)
class Contact:
    """Another agency working with the child, and whom to ask: nothing about what they do."""

    agency: str
    name: str = ""
    email: str = ""
    phone: str = ""

    def as_export(self) -> dict[str, str]:
        return {"agency": self.agency, "contact": self.name, "email": self.email, "phone": self.phone}


@dataclass
class AgenciesInvolved:
    shown: list[Involvement] = field(default_factory=list)
    withheld: list[Contact] = field(default_factory=list)


def _contact(agency: Agency, practitioner: Practitioner | None) -> Contact:
    if practitioner is not None and practitioner.email:
        return Contact(agency.name, practitioner.name, practitioner.email, agency.contact_phone)
    return Contact(agency.name, "", agency.contact_email, agency.contact_phone)


def _merge(contacts: list[Contact]) -> list[Contact]:
    """One line per agency, preferring a named practitioner to the agency's general contact."""
    best: dict[str, Contact] = {}
    for contact in contacts:
        if contact.agency not in best or (contact.name and not best[contact.agency].name):
            best[contact.agency] = contact
    return sorted(best.values(), key=lambda c: c.agency)


@record_section("involvements", title="Agencies involved", template="agencies/section_involvements.html", order=40)
def _involvements(ctx: RecordContext) -> AgenciesInvolved:
    involvements = ctx.person.involvements.select_related("agency", "team", "lead_practitioner").order_by(
        "end_date", "-start_date"
    )
    allocations = ctx.person.allocations.current().select_related("practitioner__agency")
    out = AgenciesInvolved()
    withheld = []
    for i in involvements:
        if ctx.shows(ctx.policy.category_of(i.kind)):
            out.shown.append(i)
        elif i.is_current():
            withheld.append(_contact(i.agency, i.lead_practitioner))
    for a in allocations:
        if not ctx.shows(ctx.policy.category_of_agency_kind(a.practitioner.agency.kind)):
            withheld.append(_contact(a.practitioner.agency, a.practitioner))
    out.withheld = _merge(withheld)
    return out


@_involvements.export
def _(shown: AgenciesInvolved) -> dict[str, Any]:
    return {
        "involvements": [
            {"kind": i.kind, "agency": i.agency.name, "start_date": iso(i.start_date), "end_date": iso(i.end_date)}
            for i in shown.shown
        ],
        "other_agencies_involved": [c.as_export() for c in shown.withheld],
    }


@record_section("allocations", title="Team around the child", template="agencies/section_allocations.html", order=50)
def _allocations(ctx: RecordContext) -> list[Allocation]:
    allocations = ctx.person.allocations.select_related("practitioner__agency").order_by("end_date", "-start_date")
    return [a for a in allocations if ctx.shows(ctx.policy.category_of_agency_kind(a.practitioner.agency.kind))]


@_allocations.export
def _(shown: list[Allocation]) -> dict[str, Any]:
    return {
        "allocations": [
            {
                "kind": a.kind,
                "practitioner": a.practitioner.name,
                "agency": a.practitioner.agency.name,
                "start_date": iso(a.start_date),
                "end_date": iso(a.end_date),
            }
            for a in shown
        ]
    }
