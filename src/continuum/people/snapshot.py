"""People's tables in a county snapshot (columns in docs/county-format.md)."""

from __future__ import annotations

from continuum import tables as t
from continuum import vocabulary as v
from continuum.identifiers import nhs_number_problem, upn_problem
from continuum.people.models import Address, Household, HouseholdMember, Person, Place, Relationship

PLACES = t.Table(
    "places",
    {
        "place_id": t.uuid_(),
        "kind": t.code(v.PLACE_KIND),
        "name": t.text(200),
        "locality": t.text(100, False),
        "postcode": t.postcode(False),
        "x": t.number(float),
        "y": t.number(float),
    },
    key="place_id",
    model=Place,
    renames={"place_id": "id"},
)

HOUSEHOLDS = t.Table(
    "households",
    {
        "household_id": t.uuid_(),
        "structure": t.code(v.HOUSEHOLD_STRUCTURE, False),
        "address_line": t.text(200, False),
        "town": t.text(100, False),
        "locality": t.text(100, False),
        "postcode": t.postcode(False),
    },
    key="household_id",
    model=Household,
    renames={"household_id": "id"},
)

PEOPLE = t.Table(
    "people",
    {
        "person_id": t.uuid_(),
        "given_name": t.text(100),
        "middle_names": t.text(200, False),
        "family_name": t.text(100),
        "known_as": t.text(100, False),
        "date_of_birth": t.date(required=False, past=True),
        "dob_approximate": t.boolean,
        "sex": t.code(v.SEX),
        "ethnicity": t.code(v.ETHNICITY),
        "first_language": t.code(v.LANGUAGE, False),
        "nhs_number": t.checked(t.text(10, False), nhs_number_problem),
        "upn": t.checked(t.text(13, False), upn_problem),
        "send_status": t.code(v.SEND_STATUS, False),
        "household_id": t.uuid_(False),
    },
    key="person_id",
    references={"household_id": "households"},
    model=Person,
    renames={"person_id": "id"},
)

ADDRESSES = t.Table(
    "addresses",
    {
        "person_id": t.uuid_(),
        "address_line": t.text(200),
        "town": t.text(100, False),
        "postcode": t.postcode(),
        "start_date": t.date(False),
        "end_date": t.date(False),
    },
    references={"person_id": "people"},
    checks=(t.ends_on_or_after_start,),
    model=Address,
    replace_by="person_id",
)

HOUSEHOLD_MEMBERS = t.Table(
    "household_members",
    {
        "household_id": t.uuid_(),
        "person_id": t.uuid_(),
        "household_role": t.code(v.HOUSEHOLD_ROLE),
        "start_date": t.date(False),
        "end_date": t.date(False),
    },
    references={"household_id": "households", "person_id": "people"},
    checks=(t.ends_on_or_after_start,),
    model=HouseholdMember,
    replace_by="person_id",
)


def _not_to_self(row: dict) -> tuple[str, str] | None:
    if row["from_person_id"] == row["to_person_id"]:
        return "to_person_id", "a person cannot be related to themselves"
    return None


RELATIONSHIPS = t.Table(
    "relationships",
    {
        "relationship_id": t.uuid_(),
        "from_person_id": t.uuid_(),
        "to_person_id": t.uuid_(),
        "kind": t.code(v.RELATIONSHIP_KIND),
        "start_date": t.date(False),
        "end_date": t.date(False),
        "source": t.text(100),
        "confidence": t.code(v.CONFIDENCE),
    },
    key="relationship_id",
    references={"from_person_id": "people", "to_person_id": "people"},
    checks=(t.ends_on_or_after_start, _not_to_self),
    model=Relationship,
    renames={"relationship_id": "id"},
)
