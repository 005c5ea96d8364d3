"""The synthetic county: deterministic, true to the file contract, and shaped like England."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from continuum import vocabulary as vocab
from continuum.identifiers import nhs_number_is_valid, postcode_is_valid, upn_is_valid
from continuum.synth import generate
from tests.conftest import GUARANTEED_PROGRAMME_SLUGS

AS_OF = datetime.date(2025, 3, 31)
CHILDREN = 20_000

STR, BOOL, INT, FLOAT = pa.string(), pa.bool_(), pa.int64(), pa.float64()
CONTRACT = {
    "agencies": {
        "agency_id": STR,
        "name": STR,
        "kind": STR,
        "locality": STR,
        "school_phase": STR,
        "urn": STR,
        "place_id": STR,
        "contact_phone": STR,
        "contact_email": STR,
    },
    "teams": {"team_id": STR, "agency_id": STR, "name": STR, "locality": STR},
    "practitioners": {
        "practitioner_id": STR,
        "given_name": STR,
        "family_name": STR,
        "email": STR,
        "role": STR,
        "agency_id": STR,
        "team_id": STR,
        "caseload_capacity": INT,
    },
    "places": {"place_id": STR, "kind": STR, "name": STR, "locality": STR, "postcode": STR, "x": FLOAT, "y": FLOAT},
    "households": {
        "household_id": STR,
        "structure": STR,
        "address_line": STR,
        "town": STR,
        "locality": STR,
        "postcode": STR,
        "x": FLOAT,
        "y": FLOAT,
    },
    "people": {
        "person_id": STR,
        "given_name": STR,
        "middle_names": STR,
        "family_name": STR,
        "known_as": STR,
        "date_of_birth": STR,
        "dob_approximate": BOOL,
        "sex": STR,
        "ethnicity": STR,
        "first_language": STR,
        "nhs_number": STR,
        "upn": STR,
        "send_status": STR,
        "is_child": BOOL,
        "household_id": STR,
    },
    "addresses": {
        "person_id": STR,
        "address_line": STR,
        "town": STR,
        "postcode": STR,
        "start_date": STR,
        "end_date": STR,
    },
    "household_members": {
        "household_id": STR,
        "person_id": STR,
        "household_role": STR,
        "start_date": STR,
        "end_date": STR,
    },
    "relationships": {
        "relationship_id": STR,
        "from_person_id": STR,
        "to_person_id": STR,
        "kind": STR,
        "start_date": STR,
        "end_date": STR,
        "source": STR,
        "confidence": STR,
    },
    "involvements": {
        "involvement_id": STR,
        "person_id": STR,
        "agency_id": STR,
        "kind": STR,
        "start_date": STR,
        "end_date": STR,
        "team_id": STR,
        "lead_practitioner_id": STR,
    },
    "allocations": {
        "allocation_id": STR,
        "person_id": STR,
        "practitioner_id": STR,
        "kind": STR,
        "start_date": STR,
        "end_date": STR,
    },
    "truth/people": {
        "person_id": STR,
        "family_id": STR,
        "household_id": STR,
        "structure": STR,
        "birth_mother_id": STR,
        "birth_father_id": STR,
        "true_given_name": STR,
        "true_family_name": STR,
        "true_date_of_birth": STR,
    },
    "referrals": {
        "referral_id": STR,
        "reference": STR,
        "person_id": STR,
        "referrer_practitioner_id": STR,
        "referrer_name": STR,
        "referrer_agency_id": STR,
        "received_at": STR,
        "story": STR,
        "child_wants": STR,
        "family_wants": STR,
        "consent": STR,
        "consent_reason": STR,
        "status": STR,
        "possible_duplicate_of_id": STR,
        "closed_at": STR,
        "allocation_id": STR,
    },
    "referral_reasons": {"referral_id": STR, "reason": STR},
    "referral_family_members": {"referral_id": STR, "person_id": STR, "relationship": STR},
    "decisions": {
        "decision_id": STR,
        "referral_id": STR,
        "decided_by_practitioner_id": STR,
        "decided_at": STR,
        "level": INT,
        "previous_level": INT,
        "change": STR,
        "rationale": STR,
        "route": STR,
        "programme": STR,
        "team_id": STR,
        "outcome_for_referrer": STR,
    },
    "transfers": {
        "transfer_id": STR,
        "decision_id": STR,
        "team_id": STR,
        "sent_at": STR,
        "status": STR,
        "responded_at": STR,
        "decline_reason": STR,
    },
    "waiting_list_entries": {
        "waiting_list_entry_id": STR,
        "referral_id": STR,
        "programme": STR,
        "team_id": STR,
        "start_date": STR,
        "end_date": STR,
        "outcome": STR,
    },
    "school_offers": {"school_offer_id": STR, "agency_id": STR, "offer": STR, "on": STR, "note": STR},
    "truth/referral_details": {
        "referral_id": STR,
        "person_id": STR,
        "given_name": STR,
        "family_name": STR,
        "date_of_birth": STR,
        "changes": STR,
    },
    "episodes": {
        "episode_id": STR,
        "reference": STR,
        "person_id": STR,
        "programme": STR,
        "lead_practitioner_id": STR,
        "team_id": STR,
        "referral_id": STR,
        "decision_id": STR,
        "allocation_id": STR,
        "start_date": STR,
        "end_date": STR,
        "level_at_start": INT,
        "level_at_close": INT,
        "closure_reason": STR,
        "closure_note": STR,
        "step_down_to": STR,
        "step_down_note": STR,
        "step_up_referral_id": STR,
        "next_session_on": STR,
    },
    "episode_family_members": {"episode_id": STR, "person_id": STR, "relationship": STR},
    "team_members": {
        "team_member_id": STR,
        "episode_id": STR,
        "practitioner_id": STR,
        "role": STR,
        "start_date": STR,
        "end_date": STR,
    },
    "assessments": {
        "assessment_id": STR,
        "episode_id": STR,
        "previous_assessment_id": STR,
        "completed_on": STR,
        "assessor_practitioner_id": STR,
        "child_words": STR,
        "parent_words": STR,
        "summary": STR,
        "proposed_level": INT,
    },
    "assessment_domains": {
        "assessment_id": STR,
        "domain": STR,
        "concern": INT,
        "strengths": STR,
        "needs": STR,
        "areas": STR,
    },
    "plans": {
        "plan_id": STR,
        "episode_id": STR,
        "assessment_id": STR,
        "agreed_on": STR,
        "review_every_weeks": INT,
        "next_review_due": STR,
        "child_views": STR,
        "family_views": STR,
    },
    "goals": {
        "goal_id": STR,
        "plan_id": STR,
        "description": STR,
        "success_looks_like": STR,
        "who": STR,
        "target_date": STR,
        "agreed_with": STR,
        "achieved_on": STR,
    },
    "goal_ratings": {"goal_id": STR, "rated_on": STR, "rating": INT, "rated_by": STR},
    "reviews": {
        "review_id": STR,
        "episode_id": STR,
        "held_on": STR,
        "child_views": STR,
        "family_views": STR,
        "summary": STR,
        "next_review_due": STR,
        "reviewed_by_practitioner_id": STR,
    },
    "sessions": {
        "session_id": STR,
        "episode_id": STR,
        "held_on": STR,
        "kind": STR,
        "attendance": STR,
        "duration_minutes": INT,
        "practitioner_id": STR,
        "case_note": STR,
    },
    "cohorts": {
        "cohort_id": STR,
        "programme": STR,
        "name": STR,
        "venue": STR,
        "start_date": STR,
        "end_date": STR,
        "planned_sessions": INT,
    },
    "cohort_facilitators": {"cohort_id": STR, "practitioner_id": STR},
    "cohort_members": {"cohort_id": STR, "episode_id": STR, "joined_on": STR, "left_on": STR},
    "cohort_sessions": {"cohort_id": STR, "number": INT, "held_on": STR},
    "cohort_attendance": {"cohort_id": STR, "number": INT, "episode_id": STR, "attended": BOOL},
    "closure_feedback": {
        "feedback_id": STR,
        "episode_id": STR,
        "given_by": STR,
        "given_on": STR,
        "helpfulness": INT,
        "what_helped": STR,
        "what_could_be_better": STR,
        "consent_to_quote": BOOL,
        "quote": STR,
    },
    "questionnaires": {
        "questionnaire_id": STR,
        "measure": STR,
        "person_id": STR,
        "episode_id": STR,
        "timepoint": STR,
        "informant": STR,
        "version": STR,
        "completed_on": STR,
        **{f"sdq{i}": INT for i in range(1, 26)},
        "difficulties": INT,
        "impact_distress": INT,
        "impact_home": INT,
        "impact_friends": INT,
        "impact_classroom": INT,
        "impact_leisure": INT,
        "completed_by_respondent": BOOL,
    },
}
# The programmes the front door may route to: the catalogue's data migration guarantees these slugs.
PROGRAMME_SLUGS = GUARANTEED_PROGRAMME_SLUGS
CODES = {
    ("agencies", "kind"): vocab.AGENCY_KIND,
    ("agencies", "school_phase"): vocab.SCHOOL_PHASE,
    ("practitioners", "role"): vocab.ROLE,
    ("places", "kind"): vocab.PLACE_KIND,
    ("households", "structure"): vocab.HOUSEHOLD_STRUCTURE,
    ("people", "sex"): vocab.SEX,
    ("people", "ethnicity"): vocab.ETHNICITY,
    ("people", "first_language"): vocab.LANGUAGE,
    ("people", "send_status"): vocab.SEND_STATUS,
    ("household_members", "household_role"): vocab.HOUSEHOLD_ROLE,
    ("relationships", "kind"): vocab.RELATIONSHIP_KIND,
    ("relationships", "confidence"): vocab.CONFIDENCE,
    ("involvements", "kind"): vocab.INVOLVEMENT_KIND,
    ("allocations", "kind"): vocab.ALLOCATION_KIND,
    ("truth/people", "structure"): vocab.HOUSEHOLD_STRUCTURE,
    ("referrals", "consent"): vocab.CONSENT,
    ("referral_reasons", "reason"): vocab.REFERRAL_REASON,
    ("referral_family_members", "relationship"): vocab.RELATIONSHIP_KIND,
    ("decisions", "route"): vocab.ROUTE,
    ("school_offers", "offer"): vocab.SCHOOL_OFFER,
    ("episodes", "closure_reason"): vocab.CLOSURE_REASON,
    ("episodes", "step_down_to"): vocab.STEP_DOWN_TO,
    ("episode_family_members", "relationship"): vocab.RELATIONSHIP_KIND,
    ("assessment_domains", "domain"): vocab.ASSESSMENT_DOMAIN,
    ("goals", "agreed_with"): vocab.VOICE,
    ("goal_ratings", "rated_by"): vocab.RATED_BY,
    ("sessions", "kind"): vocab.SESSION_TYPE,
    ("sessions", "attendance"): vocab.SESSION_ATTENDANCE,
    ("closure_feedback", "given_by"): vocab.VOICE,
    ("questionnaires", "timepoint"): vocab.TIMEPOINT,
    ("questionnaires", "informant"): vocab.INFORMANT,
}
LOCALITIES = {"North Shireford", "South Shireford", "East Shireford", "West Shireford"}


class County:
    def __init__(self, path: Path, manifest: dict) -> None:
        self.path = path
        self.manifest = manifest
        self.arrow = {name: pq.read_table(path / f"{name}.parquet") for name in CONTRACT}
        self.frames = {name: table.to_pandas() for name, table in self.arrow.items()}

    def __getattr__(self, name: str) -> pd.DataFrame:
        return self.frames[name.replace("truth_", "truth/")]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    path = tmp_path_factory.mktemp("county")
    return County(path, generate(path, children=CHILDREN, seed=7, as_of=AS_OF))


def _hashes(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def _age(dob: pd.Series, on: datetime.date = AS_OF) -> pd.Series:
    born = pd.to_datetime(dob)
    before = (born.dt.month > on.month) | ((born.dt.month == on.month) & (born.dt.day > on.day))
    return on.year - born.dt.year - before.astype(int)


def _children(county: County) -> pd.DataFrame:
    return county.people[county.people.is_child]


def _open(county: County, kind: str) -> pd.DataFrame:
    rows = county.involvements
    return rows[(rows.kind == kind) & rows.end_date.isna()]


# --- determinism ------------------------------------------------------------------------------------------


def test_the_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", children=2_000, seed=3, as_of=AS_OF)
    second = generate(tmp_path / "b", children=2_000, seed=3, as_of=AS_OF)
    assert first == second
    assert _hashes(tmp_path / "a") == _hashes(tmp_path / "b")


def test_a_different_seed_writes_a_different_county(tmp_path: Path) -> None:
    generate(tmp_path / "a", children=2_000, seed=3, as_of=AS_OF)
    generate(tmp_path / "b", children=2_000, seed=4, as_of=AS_OF)
    a, b = _hashes(tmp_path / "a"), _hashes(tmp_path / "b")
    assert all(a[name] != b[name] for name in a if name.endswith(".parquet") and "agencies" not in name)


def test_progress_is_reported_stage_by_stage(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    generate(tmp_path, children=500, seed=1, as_of=AS_OF, progress=lambda *call: calls.append(call))
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and calls[-1][1] == calls[-1][2] and len({s for s, _, _ in calls}) >= 5


@pytest.mark.parametrize("bad", [{"children": 0}, {"children": 10_000_000}, {"children": 1.5}, {"seed": -1}])
def test_impossible_arguments_are_refused_before_anything_is_written(tmp_path: Path, bad: dict) -> None:
    arguments = {"children": 100, "seed": 1, "as_of": AS_OF, **bad}
    with pytest.raises(ValueError):
        generate(tmp_path / "out", **arguments)
    assert not (tmp_path / "out").exists()


# --- the file contract --------------------------------------------------------------------------------------


def test_every_table_has_exactly_the_contract_columns(county: County) -> None:
    for name, columns in CONTRACT.items():
        schema = county.arrow[name].schema
        assert schema.names == list(columns), name
        assert [schema.field(c).type for c in columns] == list(columns.values()), name
        assert schema.metadata is None or b"pandas" not in schema.metadata, name


def test_the_manifest_describes_the_files(county: County) -> None:
    manifest = json.loads((county.path / "manifest.json").read_text())
    assert manifest == county.manifest
    assert manifest["generator"] == "continuum.synth" and manifest["format_version"] == 1
    assert (manifest["seed"], manifest["children"], manifest["as_of"]) == (7, CHILDREN, AS_OF.isoformat())
    assert manifest["counts"] == {name: county.arrow[name].num_rows for name in CONTRACT}
    summary = json.loads((county.path / "truth" / "summary.json").read_text())
    assert sum(summary["children_by_age"].values()) == CHILDREN


def test_the_county_holds_exactly_the_children_asked_for(county: County) -> None:
    people = county.people
    assert people.is_child.sum() == CHILDREN
    assert (people.is_child == (_age(people.date_of_birth) < 18)).all()


def test_every_code_comes_from_the_vocabulary(county: County) -> None:
    for (table, column), code_list in CODES.items():
        values = set(county.frames[table][column].dropna())
        assert values <= vocab.codes(code_list), (table, column, values - vocab.codes(code_list))
    assert set(county.agencies.locality.dropna()) == LOCALITIES
    assert set(county.households.locality) == LOCALITIES
    assert set(county.relationships.source) == {"synthetic"}


def test_ids_are_distinct_canonical_uuids(county: County) -> None:
    for name, column in (
        ("agencies", "agency_id"),
        ("teams", "team_id"),
        ("practitioners", "practitioner_id"),
        ("places", "place_id"),
        ("households", "household_id"),
        ("people", "person_id"),
        ("relationships", "relationship_id"),
        ("involvements", "involvement_id"),
        ("allocations", "allocation_id"),
        ("referrals", "referral_id"),
        ("decisions", "decision_id"),
        ("transfers", "transfer_id"),
        ("waiting_list_entries", "waiting_list_entry_id"),
        ("school_offers", "school_offer_id"),
    ):
        ids = county.frames[name][column]
        assert ids.is_unique, name
        assert all(str(uuid.UUID(v)) == v for v in ids.sample(200, random_state=1, replace=True)), name


def test_every_reference_resolves(county: County) -> None:
    def within(values: pd.Series, ids: pd.Series) -> bool:
        return set(values.dropna()) <= set(ids)

    people, agencies, teams = county.people.person_id, county.agencies.agency_id, county.teams.team_id
    practitioners, households = county.practitioners.practitioner_id, county.households.household_id
    assert within(county.agencies.place_id, county.places.place_id)
    assert within(county.teams.agency_id, agencies)
    assert within(county.practitioners.agency_id, agencies) and within(county.practitioners.team_id, teams)
    assert within(county.people.household_id, households) and county.people.household_id.notna().all()
    for name, columns in (
        ("addresses", ["person_id"]),
        ("household_members", ["person_id"]),
        ("relationships", ["from_person_id", "to_person_id"]),
        ("involvements", ["person_id"]),
        ("allocations", ["person_id"]),
        ("truth/people", ["person_id", "birth_mother_id", "birth_father_id"]),
    ):
        for column in columns:
            assert within(county.frames[name][column], people), (name, column)
    assert within(county.household_members.household_id, households)
    assert within(county.involvements.agency_id, agencies) and within(county.involvements.team_id, teams)
    assert within(county.involvements.lead_practitioner_id, practitioners)
    assert within(county.allocations.practitioner_id, practitioners)
    assert (county.truth_people.person_id == county.people.person_id).all()


def test_dates_are_iso_and_in_order(county: County) -> None:
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for name in ("addresses", "household_members", "relationships", "involvements", "allocations"):
        frame = county.frames[name]
        for column in ("start_date", "end_date"):
            assert frame[column].dropna().map(iso.match).all(), (name, column)
        ended = frame.dropna(subset=["start_date", "end_date"])
        assert (ended.start_date <= ended.end_date).all(), name
        assert (frame.start_date.dropna() <= AS_OF.isoformat()).all(), name
    assert (county.people.date_of_birth <= AS_OF.isoformat()).all()


def test_nhs_numbers_are_from_the_test_range_valid_and_distinct(county: County) -> None:
    numbers = county.people.nhs_number.dropna()
    assert numbers.str.startswith("999").all()
    assert numbers.map(nhs_number_is_valid).all()
    assert numbers.is_unique
    assert 0.01 < county.people.nhs_number.isna().mean() < 0.035


def test_upns_are_valid_and_only_for_pupils_of_compulsory_school_age(county: County) -> None:
    people = county.people
    with_upn = people[people.upn.notna()]
    assert with_upn.upn.map(upn_is_valid).all()
    assert with_upn.upn.is_unique
    assert with_upn.upn.str[1:4].eq("999").all()
    start = AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1
    academic = _age(with_upn.date_of_birth, datetime.date(start, 8, 31))
    assert academic.between(5, 15).all()
    on_roll = _open(county, "school_roll").person_id
    assert with_upn.person_id.isin(on_roll).all()
    school_age = _children(county)[_age(_children(county).date_of_birth, datetime.date(start, 8, 31)).between(5, 15)]
    assert school_age.upn.notna().mean() > 0.97
    numbers = set(county.agencies.dropna(subset=["urn"]).index)  # establishment numbers belong to schools
    assert numbers and with_upn.upn.str[4:8].astype(int).between(2001, 7999).all()


def test_postcodes_are_valid_and_fictional(county: County) -> None:
    for frame in (county.households, county.places, county.addresses):
        assert frame.postcode.map(postcode_is_valid).all()
        assert frame.postcode.str.match(r"^SF\d{1,2} \d[A-Z]{2}$").all()


def test_practitioners_have_synthetic_email_addresses(county: County) -> None:
    emails = county.practitioners.email
    assert emails.str.match(r"^[a-z-]+\.[a-z-]+\d*@example\.org$").all()
    assert emails.is_unique


# --- households, addresses and relationships ---------------------------------------------------------------


def test_every_person_lives_at_their_household_address(county: County) -> None:
    current = county.addresses[county.addresses.end_date.isna()]
    assert current.person_id.is_unique and len(current) == len(county.people)
    merged = county.people.merge(current, on="person_id").merge(
        county.households, on="household_id", suffixes=("", "_h")
    )
    assert (merged.address_line == merged.address_line_h).all()
    assert (merged.postcode == merged.postcode_h).all() and (merged.town == merged.town_h).all()
    members = county.household_members[county.household_members.end_date.isna()]
    assert members.person_id.is_unique
    assert (
        members.set_index("person_id").household_id.loc[county.people.person_id].tolist()
        == county.people.household_id.tolist()
    )


def test_some_children_have_lived_elsewhere(county: County) -> None:
    children = _children(county).person_id
    earlier = county.addresses[county.addresses.end_date.notna() & county.addresses.person_id.isin(children)]
    share = earlier.person_id.nunique() / len(children)
    assert 0.13 < share < 0.24
    # One address at a time: each person's addresses follow one another without overlapping.
    rows = county.addresses.sort_values(["person_id", "start_date"])
    same = rows.person_id.values[1:] == rows.person_id.values[:-1]
    ends = rows.end_date.fillna("9999-12-31").values[:-1]
    assert (rows.start_date.values[1:][same] >= ends[same]).all()


def test_households_look_like_families_in_england(county: County) -> None:
    structure = county.households.structure.value_counts(normalize=True)
    assert 0.20 < structure["lone_parent"] < 0.26
    assert 0.08 < structure["step_family"] < 0.12
    assert 0.02 < structure["multigenerational"] < 0.08 and 0.005 < structure["kinship"] < 0.025
    size = _children(county).groupby("household_id").size()
    assert 1.6 < size.mean() < 1.9
    assert 0.40 < (size == 1).mean() < 0.52 and 0.33 < (size == 2).mean() < 0.43 and 0.12 < (size >= 3).mean() < 0.22


def _relationship_pairs(county: County, kinds: list[str]) -> pd.DataFrame:
    rows = county.relationships[county.relationships.kind.isin(kinds)]
    dob = county.people.set_index("person_id").date_of_birth
    return rows.assign(
        from_dob=pd.to_datetime(dob.loc[rows.from_person_id].values),
        to_dob=pd.to_datetime(dob.loc[rows.to_person_id].values),
    )


def test_parents_and_grandparents_are_old_enough(county: County) -> None:
    parents = _relationship_pairs(county, ["parent"])
    assert ((parents.to_dob - parents.from_dob).dt.days >= 15 * 365.25).all()
    assert (pd.to_datetime(parents.start_date) == parents.to_dob).all()  # a parent from the child's birth
    grandparents = _relationship_pairs(county, ["grandparent"])
    assert ((grandparents.to_dob - grandparents.from_dob).dt.days >= 30 * 365.25).all()
    truth = county.truth_people.merge(county.people[["person_id", "date_of_birth"]], on="person_id")
    dob = county.people.set_index("person_id").date_of_birth
    for column in ("birth_mother_id", "birth_father_id"):
        known = truth.dropna(subset=[column])
        gap = pd.to_datetime(known.date_of_birth.values) - pd.to_datetime(dob.loc[known[column]].values)
        assert (gap.days >= 15 * 365.25).all()


def test_every_child_with_a_birth_parent_in_the_data_is_linked_to_them(county: County) -> None:
    truth = county.truth_people
    parent_links = county.relationships[county.relationships.kind == "parent"]
    links = set(zip(parent_links.from_person_id, parent_links.to_person_id, strict=True))
    for column in ("birth_mother_id", "birth_father_id"):
        known = truth.dropna(subset=[column])
        assert all((p, c) in links for p, c in zip(known[column], known.person_id, strict=True))
    children = _children(county).person_id
    assert truth[truth.person_id.isin(children)].birth_mother_id.notna().mean() > 0.9


def test_brothers_and_sisters_share_a_household_or_a_parent(county: County) -> None:
    members = county.household_members
    homes = members.groupby("person_id").household_id.agg(set)
    parent_links = county.relationships[county.relationships.kind == "parent"]
    parents = parent_links.groupby("to_person_id").from_person_id.agg(set)
    siblings = county.relationships[county.relationships.kind.isin(["sibling", "half_sibling"])]
    assert len(siblings) > 0.3 * CHILDREN
    for a, b in zip(siblings.from_person_id, siblings.to_person_id, strict=True):
        assert homes[a] & homes[b] or parents.get(a, set()) & parents.get(b, set())
    # Full siblings have the same birth parents; half-siblings do not (where the parents are in the data).
    truth = county.truth_people.set_index("person_id").fillna("not in the data")
    for kind, same in (("sibling", True), ("half_sibling", False)):
        pairs = county.relationships[county.relationships.kind == kind]
        one, other = truth.loc[pairs.from_person_id], truth.loc[pairs.to_person_id]
        both = (one.birth_mother_id.values == other.birth_mother_id.values) & (
            one.birth_father_id.values == other.birth_father_id.values
        )
        assert both.all() if same else (both & (one.birth_mother_id.values != "not in the data")).sum() == 0, kind


def test_step_siblings_are_joined_by_a_couple(county: County) -> None:
    rows = county.relationships
    partners = rows[rows.kind == "partner"]
    couples = set(zip(partners.from_person_id, partners.to_person_id, strict=True))
    couples |= {(b, a) for a, b in couples}
    parents = rows[rows.kind == "parent"].groupby("to_person_id").from_person_id.agg(set)
    steps = rows[rows.kind == "step_sibling"]
    assert len(steps) > 0
    for a, b in zip(steps.from_person_id, steps.to_person_id, strict=True):
        assert any((x, y) in couples for x in parents.get(a, set()) for y in parents.get(b, set()))


def test_symmetric_relationships_are_stored_once(county: County) -> None:
    rows = county.relationships
    symmetric = rows[rows.kind.isin(vocab.SYMMETRIC_RELATIONSHIPS)]
    keys = [
        tuple(sorted(pair)) + (kind,)
        for pair, kind in zip(
            zip(symmetric.from_person_id, symmetric.to_person_id, strict=True), symmetric.kind, strict=True
        )
    ]
    assert len(keys) == len(set(keys))
    assert (rows.from_person_id != rows.to_person_id).all()


def test_current_partners_live_together(county: County) -> None:
    partners = county.relationships[(county.relationships.kind == "partner") & county.relationships.end_date.isna()]
    home = county.people.set_index("person_id").household_id
    assert (home.loc[partners.from_person_id].values == home.loc[partners.to_person_id].values).all()


def test_peers_are_teenagers(county: County) -> None:
    peers = _relationship_pairs(county, ["peer"])
    assert len(peers) > 0.02 * CHILDREN
    for column in ("from_dob", "to_dob"):
        assert (_age(peers[column].dt.strftime("%Y-%m-%d")).between(12, 17)).all()


# --- the children -------------------------------------------------------------------------------------------


def test_children_are_spread_over_every_year_of_age(county: County) -> None:
    share = _age(_children(county).date_of_birth).value_counts(normalize=True).sort_index()
    assert list(share.index) == list(range(18))
    assert share.between(0.045, 0.065).all()


def test_a_little_over_half_of_children_are_boys(county: County) -> None:
    sex = _children(county).sex.value_counts(normalize=True)
    assert 0.50 < sex["M"] < 0.525
    assert sex.get("U", 0) < 0.003


def test_ethnicity_matches_pupils_in_england(county: County) -> None:
    ethnicity = _children(county).ethnicity.value_counts(normalize=True)
    assert 0.60 < ethnicity["WBRI"] < 0.67
    groups = _children(county).ethnicity.map(vocab.ETHNICITY_GROUP).value_counts(normalize=True)
    assert 0.10 < groups["Asian"] < 0.14 and 0.05 < groups["Black"] < 0.075 and 0.06 < groups["Mixed"] < 0.085
    assert 0.005 < groups["Not known"] < 0.02


def test_first_language_follows_heritage(county: County) -> None:
    children = _children(county)
    other = children.first_language != "eng"
    assert 0.18 < other.mean() < 0.24
    assert other[children.ethnicity == "WBRI"].mean() < 0.01
    assert (children[children.ethnicity == "APKN"].first_language.isin(["urd", "pan", "other", "eng"])).all()


def test_send_is_as_common_as_in_english_schools_and_more_so_in_boys(county: County) -> None:
    children = _children(county)
    start = AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1
    pupils = children[_age(children.date_of_birth, datetime.date(start, 8, 31)).between(5, 15)]
    share = pupils.send_status.value_counts(normalize=True)
    assert 0.12 < share["K"] < 0.155 and 0.04 < share["E"] < 0.062
    boys, girls = pupils[pupils.sex == "M"], pupils[pupils.sex == "F"]
    assert (boys.send_status == "E").mean() > 1.8 * (girls.send_status == "E").mean()
    assert county.people[~county.people.is_child].send_status.isna().all()


def test_the_truth_keeps_what_the_record_only_estimates(county: County) -> None:
    both = county.people.merge(county.truth_people, on="person_id")
    assert (both.given_name == both.true_given_name).all() and (both.family_name == both.true_family_name).all()
    exact = both[~both.dob_approximate]
    assert (exact.date_of_birth == exact.true_date_of_birth).all()
    estimated = both[both.dob_approximate]
    assert len(estimated) > 0 and (estimated.date_of_birth <= estimated.true_date_of_birth).all()
    assert (estimated.date_of_birth.str[:4] == estimated.true_date_of_birth.str[:4]).all()
    assert (estimated.date_of_birth.str[5:] == "01-01").mean() > 0.8
    assert (estimated.date_of_birth != estimated.true_date_of_birth).mean() > 0.9


def test_names_fit_the_family(county: County) -> None:
    people = county.people
    assert 0.06 < people.known_as.notna().mean() < 0.10
    children = _children(county)
    # Most children share a family name with someone they live with, but not all.
    adults = people[~people.is_child].groupby("household_id").family_name.agg(set)
    shares = [
        name in adults.get(home, set()) or name.split("-")[-1] in adults.get(home, set())
        for name, home in zip(children.family_name, children.household_id, strict=True)
    ]
    assert 0.75 < np.mean(shares) < 0.97
    assert people.dob_approximate.mean() < 0.02


# --- agencies and services -----------------------------------------------------------------------------------


def test_the_county_has_its_agencies_and_enough_schools(county: County) -> None:
    agencies = county.agencies
    kinds = agencies.kind.value_counts()
    for kind in ("childrens_social_care", "early_help", "police", "health", "camhs", "youth_justice", "council"):
        assert kinds[kind] == 1
    assert 2 <= kinds["voluntary"] <= 3
    schools = agencies[agencies.kind == "school"]
    assert schools.urn.str.match(r"^\d{6}$").all() and schools.place_id.notna().all() and schools.name.is_unique
    assert agencies[agencies.kind != "school"][["urn", "place_id", "school_phase"]].isna().all().all()
    phase = schools.school_phase.value_counts()
    assert 0.8 * 7 * CHILDREN / 18 / 280 < phase["primary"] < 1.3 * 7 * CHILDREN / 18 / 280
    assert phase["secondary"] >= 4 and phase["special"] >= 1
    assert (schools.groupby("locality").size() >= 3).all()


def test_involvements_happen_at_english_rates(county: County) -> None:
    per_10k = {
        kind: _open(county, kind).person_id.nunique() / CHILDREN * 10_000
        for kind in ("cin", "cp_plan", "looked_after", "early_help", "camhs", "police_contact", "voluntary_support")
    }
    expected = {
        "cin": 330,
        "cp_plan": 40,
        "looked_after": 70,
        "early_help": 250,
        "camhs": 400,
        "police_contact": 150,
        "voluntary_support": 100,
    }
    for kind, rate in expected.items():
        assert 0.85 * rate < per_10k[kind] < 1.15 * rate, (kind, per_10k[kind])
    ten_to_seventeen = (_age(_children(county).date_of_birth) >= 10).sum()
    youth_justice = _open(county, "youth_justice").person_id.nunique() / ten_to_seventeen * 10_000
    assert 8 < youth_justice < 25
    closed = county.involvements[county.involvements.end_date.notna()]
    assert set(closed.kind) >= {"early_help", "cin", "cp_plan", "looked_after", "camhs", "police_contact"}


def test_services_see_the_ages_they_serve(county: County) -> None:
    age = _age(county.people.set_index("person_id").date_of_birth)

    def ages(kind: str) -> pd.Series:
        return age.loc[_open(county, kind).person_id]

    assert (ages("youth_justice") >= 10).all()
    assert (ages("health_visiting") < 5).all() and len(ages("health_visiting")) > 0.25 * CHILDREN
    assert (ages("camhs") >= 10).mean() > 0.75 and (ages("police_contact") >= 10).mean() > 0.7
    rolls = _open(county, "school_roll")
    assert rolls.person_id.is_unique
    assert ages("school_roll").between(4, 18).all()
    start = AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1
    compulsory = _children(county)[_age(_children(county).date_of_birth, datetime.date(start, 8, 31)).between(5, 15)]
    assert 0.975 < compulsory.person_id.isin(rolls.person_id).mean() < 0.998


def test_a_plan_or_care_sits_inside_an_open_social_care_episode(county: County) -> None:
    episode = set(_open(county, "cin").person_id)
    assert set(_open(county, "cp_plan").person_id) <= episode
    assert set(_open(county, "looked_after").person_id) <= episode
    assert not set(_open(county, "early_help").person_id) & episode


def test_a_child_has_one_episode_of_a_kind_at_a_time(county: County) -> None:
    rows = county.involvements.sort_values(["person_id", "kind", "start_date"])
    same = (rows.person_id.values[1:] == rows.person_id.values[:-1]) & (rows.kind.values[1:] == rows.kind.values[:-1])
    ends = rows.end_date.fillna("9999-12-31").values[:-1]
    assert (rows.start_date.values[1:][same] >= ends[same]).all()
    assert county.involvements.groupby(["person_id", "kind"]).size().max() <= 3


def test_looked_after_children_mostly_live_with_foster_carers(county: County) -> None:
    looked_after = _open(county, "looked_after").person_id
    carers = county.relationships[
        (county.relationships.kind == "carer") & county.relationships.to_person_id.isin(looked_after)
    ]
    assert carers.to_person_id.nunique() > 0.5 * looked_after.nunique()
    unaccompanied = county.people[county.people.person_id.isin(looked_after) & county.people.dob_approximate]
    assert len(unaccompanied) > 0


def test_statutory_cases_are_led_from_the_right_team_within_capacity(county: County) -> None:
    rows = county.involvements
    lead_kinds = ["early_help", "cin", "cp_plan", "looked_after", "youth_justice"]
    led = rows[rows.kind.isin(lead_kinds)]
    assert led.lead_practitioner_id.notna().all()
    staff = county.practitioners.set_index("practitioner_id")
    assert (staff.team_id.loc[led.lead_practitioner_id].values == led.team_id.values).all()
    assert (staff.agency_id.loc[led.lead_practitioner_id].values == led.agency_id.values).all()
    assert set(staff.role.loc[led.lead_practitioner_id]) == {"practitioner"}
    current = led[led.end_date.isna()]
    load = current.groupby("lead_practitioner_id").person_id.nunique()
    assert (load <= staff.caseload_capacity.loc[load.index]).all()
    assert not rows[~rows.kind.isin(lead_kinds)].lead_practitioner_id.notna().any()


def test_allocations_mirror_the_leads(county: County) -> None:
    rows = county.involvements
    current = rows[
        rows.kind.isin(["early_help", "cin", "cp_plan", "looked_after", "youth_justice"]) & rows.end_date.isna()
    ]
    leads = county.allocations[(county.allocations.kind == "lead") & county.allocations.end_date.isna()]
    assert set(zip(current.person_id, current.lead_practitioner_id, strict=True)) == set(
        zip(leads.person_id, leads.practitioner_id, strict=True)
    )
    around = county.allocations[county.allocations.kind == "team_around_family"]
    assert len(around) > 0 and around.person_id.isin(_open(county, "early_help").person_id).all()
    roles = county.practitioners.set_index("practitioner_id").role.loc[around.practitioner_id]
    assert set(roles) <= {"school_dsl", "health_practitioner"}


def test_staffing_fits_the_county(county: County) -> None:
    staff = county.practitioners
    roles = staff.role.value_counts()
    early_help = _open(county, "early_help").person_id.nunique()
    eh_team = county.teams[county.teams.name.str.endswith("Early Help Team")].team_id
    eh_practitioners = staff[(staff.role == "practitioner") & staff.team_id.isin(eh_team)]
    assert early_help / 20 < len(eh_practitioners) < early_help / 10
    assert eh_practitioners.caseload_capacity.between(15, 20).all()
    schools = county.agencies[county.agencies.kind == "school"].agency_id
    assert set(schools) <= set(staff[staff.role == "school_dsl"].agency_id)
    assert roles["team_manager"] >= len(county.teams) - len(schools)
    for role in ("front_door", "police_liaison", "panel_chair", "analyst", "administrator"):
        assert roles[role] >= 1
    assert staff[staff.role.isin(["analyst", "administrator"])].team_id.isna().all()
