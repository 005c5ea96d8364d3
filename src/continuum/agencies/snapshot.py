"""Agencies' tables in a county snapshot (columns in docs/county-format.md)."""

from __future__ import annotations

from continuum import tables as t
from continuum import vocabulary as v
from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner, Team

AGENCIES = t.Table(
    "agencies",
    {
        "agency_id": t.uuid_(),
        "name": t.text(200),
        "kind": t.code(v.AGENCY_KIND),
        "locality": t.text(100, False),
        "school_phase": t.code(v.SCHOOL_PHASE, False),
        "urn": t.text(6, False),
        "place_id": t.uuid_(False),
        "contact_phone": t.text(30, False),
        "contact_email": t.email(False),
    },
    key="agency_id",
    references={"place_id": "places"},
    unique=(("name",),),
    optional=frozenset({"contact_phone", "contact_email"}),
    model=Agency,
    renames={"agency_id": "id"},
)

TEAMS = t.Table(
    "teams",
    {"team_id": t.uuid_(), "agency_id": t.uuid_(), "name": t.text(200), "locality": t.text(100, False)},
    key="team_id",
    references={"agency_id": "agencies"},
    unique=(("agency_id", "name"),),
    model=Team,
    renames={"team_id": "id"},
)

PRACTITIONERS = t.Table(
    "practitioners",
    {
        "practitioner_id": t.uuid_(),
        "given_name": t.text(100),
        "family_name": t.text(100),
        "email": t.email(),
        "role": t.code(v.ROLE),
        "agency_id": t.uuid_(),
        "team_id": t.uuid_(False),
        "caseload_capacity": t.number(int, minimum=0, maximum=32767),  # a PositiveSmallIntegerField
    },
    key="practitioner_id",
    references={"agency_id": "agencies", "team_id": "teams"},
    model=Practitioner,
    renames={"practitioner_id": "id"},
)

INVOLVEMENTS = t.Table(
    "involvements",
    {
        "involvement_id": t.uuid_(),
        "person_id": t.uuid_(),
        "agency_id": t.uuid_(),
        "kind": t.code(v.INVOLVEMENT_KIND),
        "start_date": t.date(),
        "end_date": t.date(False),
        "team_id": t.uuid_(False),
        "lead_practitioner_id": t.uuid_(False),
    },
    key="involvement_id",
    references={
        "person_id": "people",
        "agency_id": "agencies",
        "team_id": "teams",
        "lead_practitioner_id": "practitioners",
    },
    checks=(t.ends_on_or_after_start,),
    model=Involvement,
    renames={"involvement_id": "id"},
)

ALLOCATIONS = t.Table(
    "allocations",
    {
        "allocation_id": t.uuid_(),
        "person_id": t.uuid_(),
        "practitioner_id": t.uuid_(),
        "kind": t.code(v.ALLOCATION_KIND),
        "start_date": t.date(),
        "end_date": t.date(False),
    },
    key="allocation_id",
    references={"person_id": "people", "practitioner_id": "practitioners"},
    checks=(t.ends_on_or_after_start,),
    model=Allocation,
    renames={"allocation_id": "id"},
)
