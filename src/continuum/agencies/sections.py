"""Agencies' parts of a child's record: the agencies involved, and the practitioners allocated.

Each involvement and allocation is shown only where an information-sharing rule lets the viewer read
its category (an allocation's category is that of the practitioner's kind of agency).
"""

from __future__ import annotations

from typing import Any

from continuum.agencies.models import Allocation, Involvement
from continuum.people.selectors import RecordContext, iso, record_section


@record_section("involvements", title="Agencies involved", template="agencies/section_involvements.html", order=40)
def _involvements(ctx: RecordContext) -> list[Involvement]:
    involvements = ctx.person.involvements.select_related("agency", "team", "lead_practitioner").order_by(
        "end_date", "-start_date"
    )
    return [i for i in involvements if ctx.shows(ctx.policy.category_of(i.kind))]


@_involvements.export
def _(shown: list[Involvement]) -> dict[str, Any]:
    return {
        "involvements": [
            {"kind": i.kind, "agency": i.agency.name, "start_date": iso(i.start_date), "end_date": iso(i.end_date)}
            for i in shown
        ]
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
