"""Loading the front door's tables in a county snapshot: all or nothing, safe to repeat, and refusing, with the
file, line and field named, what the service itself would refuse."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.agencies.models import Agency, Allocation, Involvement
from continuum.audit.models import AuditEvent
from continuum.county.load import LoadFailed, county_load
from continuum.frontdoor.models import (
    Decision,
    Referral,
    ReferralFamilyMember,
    ReferralReason,
    SchoolOffer,
    Transfer,
    WaitingListEntry,
)
from continuum.people.models import Person
from continuum.synth import generate
from tests.county.test_county_load import IDS, SNAPSHOT, write_snapshot

ID = {
    name: f"00000000-0000-4000-9000-{i:012d}"
    for i, name in enumerate(["r1", "r2", "d1", "d2", "t1", "w1", "o1"], start=1)
}
FRONT_DOOR = {
    "referrals": [
        {
            "referral_id": ID["r1"],
            "reference": "FD-2026-000001",
            "person_id": IDS["child"],
            "referrer_practitioner_id": IDS["worker"],
            "referrer_name": "Pat Lee",
            "referrer_agency_id": IDS["eh"],
            "received_at": "2026-02-02T09:30:00Z",
            "story": "The child has been withdrawn at school since the summer.",
            "child_wants": "Someone to talk to",
            "family_wants": "",
            "consent": "given",
            "consent_reason": "",
            "status": "allocated",
            "possible_duplicate_of_id": "",
            "closed_at": "",
            "allocation_id": IDS["alloc"],
        },
        {
            "referral_id": ID["r2"],
            "reference": "FD-2026-000002",
            "person_id": IDS["child"],
            "referrer_practitioner_id": IDS["worker"],
            "referrer_name": "Pat Lee",
            "referrer_agency_id": IDS["eh"],
            "received_at": "2026-02-10T10:00:00+00:00",
            "story": "Attendance has dropped.",
            "child_wants": "",
            "family_wants": "",
            "consent": "not_sought",
            "consent_reason": "Telling the adults at home could put the child at risk.",
            "status": "closed",
            "possible_duplicate_of_id": ID["r1"],
            "closed_at": "2026-02-11T11:00:00Z",
            "allocation_id": "",
        },
    ],
    "referral_reasons": [
        {"referral_id": ID["r1"], "reason": "emotional_wellbeing"},
        {"referral_id": ID["r1"], "reason": "behaviour"},
        {"referral_id": ID["r2"], "reason": "school_attendance"},
    ],
    "referral_family_members": [{"referral_id": ID["r1"], "person_id": IDS["parent"], "relationship": "parent"}],
    "decisions": [
        {
            "decision_id": ID["d1"],
            "referral_id": ID["r1"],
            "decided_by_practitioner_id": IDS["worker"],
            "decided_at": "2026-02-03T10:00:00Z",
            "level": "2",
            "previous_level": "",
            "change": "first",
            "rationale": "Additional needs a targeted programme can meet.",
            "route": "programme",
            "programme": "power",
            "team_id": IDS["team"],
            "outcome_for_referrer": "Offered a place on a programme.",
        },
        {
            "decision_id": ID["d2"],
            "referral_id": ID["r2"],
            "decided_by_practitioner_id": IDS["worker"],
            "decided_at": "2026-02-11T10:00:00Z",
            "level": "2",
            "previous_level": "2",
            "change": "same",
            "rationale": "A further referral about the same concerns.",
            "route": "existing_episode",
            "programme": "",
            "team_id": IDS["team"],
            "outcome_for_referrer": "Added to the support the child already has.",
        },
    ],
    "transfers": [
        {
            "transfer_id": ID["t1"],
            "decision_id": ID["d1"],
            "team_id": IDS["team"],
            "sent_at": "2026-02-03T10:05:00Z",
            "status": "accepted",
            "responded_at": "2026-02-04T09:00:00Z",
            "decline_reason": "",
        }
    ],
    "waiting_list_entries": [
        {
            "waiting_list_entry_id": ID["w1"],
            "referral_id": ID["r1"],
            "programme": "power",
            "team_id": IDS["team"],
            "start_date": "2026-02-04",
            "end_date": "2026-02-05",
            "outcome": "Allocated to a practitioner",
        }
    ],
    "school_offers": [
        {
            "school_offer_id": ID["o1"],
            "agency_id": IDS["school"],
            "offer": "trauma_workshop",
            "on": "2026-01-20",
            "note": "Trauma-awareness workshop for teaching staff",
        }
    ],
}
Tables = dict[str, list[dict[str, str]]]


def snapshot(**changes: dict[int, dict[str, str]]) -> Tables:
    """The whole snapshot, with some front-door rows changed: snapshot(decisions={0: {"level": "4"}})."""
    tables = {name: [dict(r) for r in rows] for name, rows in {**SNAPSHOT, **FRONT_DOOR}.items()}
    for table, rows in changes.items():
        for row, fields in rows.items():
            tables[table][row].update(fields)
    return tables


def nothing_loaded() -> bool:
    return not (
        Person.objects.exists()
        or Agency.objects.exists()
        or Referral.objects.exists()
        or AuditEvent.objects.filter(action="import").exists()
    )


def test_the_front_door_loads_whole_and_again_without_duplicates(catalogue, tmp_path):
    folder = write_snapshot(tmp_path / "county", snapshot())
    report = county_load(folder)
    assert {name: report.counts[name] for name in FRONT_DOOR} == {name: len(rows) for name, rows in FRONT_DOOR.items()}
    first = Referral.objects.get(pk=ID["r1"])
    assert first.referrer is None and str(first.referrer_practitioner_id) == IDS["worker"]
    assert first.received_at == datetime.datetime(2026, 2, 2, 9, 30, tzinfo=datetime.UTC)
    assert first.allocation == Allocation.objects.get(pk=IDS["alloc"])
    assert Referral.objects.get(pk=ID["r2"]).possible_duplicate_of == first
    decision = Decision.objects.get(pk=ID["d1"])
    assert decision.programme == catalogue["power"] and decision.decided_by is None
    assert WaitingListEntry.objects.get().programme == catalogue["power"]
    assert Transfer.objects.get().status == "accepted" and SchoolOffer.objects.get().offer == "trauma_workshop"

    county_load(folder)
    county_load(folder)
    counts = [
        m.objects.count()
        for m in (Referral, ReferralReason, ReferralFamilyMember, Decision, Transfer, WaitingListEntry, SchoolOffer)
    ]
    assert counts == [2, 3, 1, 2, 1, 1, 1]


def test_a_reload_replaces_a_referrals_reasons_and_updates_its_decision(catalogue, tmp_path):
    county_load(write_snapshot(tmp_path / "first", snapshot()))
    changed = snapshot(decisions={0: {"programme": "staying-together"}})
    changed["referral_reasons"] = [{"referral_id": ID["r1"], "reason": "parenting"}]
    county_load(write_snapshot(tmp_path / "second", changed))
    assert sorted(ReferralReason.objects.values_list("reason", flat=True)) == ["parenting", "school_attendance"]
    assert Decision.objects.get(pk=ID["d1"]).programme == catalogue["staying-together"]


def test_a_snapshot_without_the_front_doors_files_still_loads(catalogue, tmp_path):
    county_load(write_snapshot(tmp_path / "county", SNAPSHOT))
    assert Person.objects.count() == 2 and not Referral.objects.exists()


def test_the_front_doors_files_come_together(catalogue, tmp_path):
    folder = write_snapshot(tmp_path / "county", snapshot())
    (folder / "transfers.csv").unlink()
    with pytest.raises(LoadFailed, match=r"transfers\.parquet or \.csv, line 0, field -: the file is missing"):
        county_load(folder)
    assert nothing_loaded()


REFUSED = [
    (
        {"decisions": {0: {"programme": "powr"}}},
        "decisions.csv, line 2, field programme: 'powr' is not the slug of a programme in the catalogue",
    ),
    (
        {"waiting_list_entries": {0: {"programme": "no-such-programme"}}},
        "waiting_list_entries.csv, line 2, field programme: 'no-such-programme' is not the slug of a programme",
    ),
    (
        {"decisions": {1: {"level": "4", "route": "advice", "change": "step_up", "team_id": ""}}},
        "decisions.csv, line 3, field route: a level 4 (specialist) decision cannot be advice and signposting",
    ),
    (
        {"decisions": {1: {"level": "4", "route": "no_further_action", "change": "step_up", "team_id": ""}}},
        "decisions.csv, line 3, field route: a level 4 (specialist) decision cannot be no further action",
    ),
    (
        {"decisions": {0: {"level": "4"}}},
        "decisions.csv, line 2, field route: a level 4 (specialist) decision cannot be an early-help programme",
    ),
    (
        {"decisions": {1: {"route": "step_up"}}},
        "decisions.csv, line 3, field route: a step up to children's social care is for level 4 (specialist), not",
    ),
    (
        {"decisions": {1: {"team_id": ""}}},
        "decisions.csv, line 3, field team_id: is required: add to an existing episode of support sends the child",
    ),
    (
        {"decisions": {1: {"route": "advice"}}},
        "decisions.csv, line 3, field team_id: must be empty: advice and signposting sends the child to no team",
    ),
    (
        {"decisions": {1: {"outcome_for_referrer": " "}}},
        "decisions.csv, line 3, field outcome_for_referrer: is required",
    ),
    (
        {"decisions": {0: {"programme": ""}}},
        "decisions.csv, line 2, field programme: is required when the route is an early-help programme",
    ),
    (
        {"decisions": {1: {"programme": "power"}}},
        "decisions.csv, line 3, field programme: must be empty: the route is add to an existing episode",
    ),
    (
        {"decisions": {1: {"level": "3", "change": "same"}}},
        "decisions.csv, line 3, field change: 'same' does not fit level 3 after level 2 (that is 'step_up')",
    ),
    (
        {"decisions": {0: {"previous_level": "3"}}},
        "decisions.csv, line 2, field change: 'first' does not fit level 2 after level 3 (that is 'step_down')",
    ),
    ({"decisions": {0: {"level": "5"}}}, "decisions.csv, line 2, field level: '5' is not between 1 and 4"),
    (
        {"decisions": {0: {"decided_at": "2026-02-01T10:00:00Z"}}},
        "decisions.csv, line 2, field decided_at: 2026-02-01T10:00:00+00:00 is before the referral was received",
    ),
    (
        {"decisions": {0: {"decided_at": "2026-02-03 10:00"}}},
        "decisions.csv, line 2, field decided_at: '2026-02-03 10:00' is not a date and time",
    ),
    (
        {"decisions": {0: {"decided_at": "2026-02-03T10:00:00"}}},
        "decisions.csv, line 2, field decided_at: '2026-02-03T10:00:00' has no offset from UTC",
    ),
    (
        {"referrals": {1: {"consent_reason": ""}}},
        "referrals.csv, line 3, field consent_reason: is required when consent was not sought",
    ),
    (
        {"referrals": {1: {"closed_at": ""}}},
        "referrals.csv, line 3, field closed_at: is required for a closed referral",
    ),
    (
        {"referrals": {1: {"possible_duplicate_of_id": ID["r2"]}}},
        f"referrals.csv, line 3, field possible_duplicate_of_id: {ID['r2']} is not a referral above this one",
    ),
    (
        {"referrals": {1: {"received_at": "2026-03-20T10:00:00Z", "closed_at": "2026-03-21T10:00:00Z"}}},
        "field possible_duplicate_of_id: " + ID["r1"] + " was not received in the 30 days before this one",
    ),
    (
        {"referrals": {0: {"person_id": "00000000-0000-4000-8000-999999999999"}}},
        "referrals.csv, line 2, field person_id: 00000000-0000-4000-8000-999999999999 is not in people",
    ),
    ({"referrals": {1: {"reference": "FD-2026-000001"}}}, "field reference: 'FD-2026-000001' appears more than once"),
    ({"referrals": {0: {"consent": "yes"}}}, "referrals.csv, line 2, field consent: 'yes' is not one of"),
    (
        {"referrals": {0: {"referrer_practitioner_id": ""}}},
        "referrals.csv, line 2, field referrer_practitioner_id: is required",
    ),
    (
        {"decisions": {0: {"decided_by_practitioner_id": ""}}},
        "decisions.csv, line 2, field decided_by_practitioner_id: is required",
    ),
    (
        {"transfers": {0: {"status": "declined"}}},
        "transfers.csv, line 2, field decline_reason: is required when the team declined",
    ),
    (
        {"transfers": {0: {"status": "pending"}}},
        "transfers.csv, line 2, field responded_at: must be empty while the transfer waits for the team",
    ),
    (
        {"decisions": {1: {"route": "no_further_action", "team_id": ""}}, "transfers": {0: {"decision_id": ID["d2"]}}},
        "transfers.csv, line 2, field decision_id: the decision routes the child to no further action, which sends",
    ),
    (
        {
            "decisions": {0: {"team_id": IDS["team"]}},
            "transfers": {0: {"team_id": "00000000-0000-4000-8000-999999999999"}},
        },
        "transfers.csv, line 2, field team_id: 00000000-0000-4000-8000-999999999999 is not in teams",
    ),
    (
        {"waiting_list_entries": {0: {"end_date": "2026-02-01"}}},
        "waiting_list_entries.csv, line 2, field end_date: 2026-02-01 is before the start date",
    ),
    ({"school_offers": {0: {"offer": "cake"}}}, "school_offers.csv, line 2, field offer: 'cake' is not one of"),
    (
        {"referral_reasons": {1: {"reason": "emotional_wellbeing"}}},
        "referral_reasons.csv, line 3, field reason: 'emotional_wellbeing' with this referral_id appears more than",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), REFUSED)
def test_a_row_the_service_would_refuse_stops_the_load_and_nothing_is_written(catalogue, tmp_path, changes, expected):
    folder = write_snapshot(tmp_path / "county", snapshot(**changes))
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    assert expected in str(caught.value), str(caught.value)
    assert "nothing was loaded" in str(caught.value)
    assert nothing_loaded()


def test_a_transfer_to_another_team_than_the_decisions_is_refused(catalogue, tmp_path):
    tables = snapshot()
    other = "00000000-0000-4000-9000-000000000098"
    tables["teams"].append({"team_id": other, "agency_id": IDS["eh"], "name": "South", "locality": "South"})
    tables["transfers"][0]["team_id"] = other
    with pytest.raises(LoadFailed) as caught:
        county_load(write_snapshot(tmp_path / "county", tables))
    assert f"transfers.csv, line 2, field team_id: {other} is not the team the decision sends the child to" in str(
        caught.value
    )
    assert nothing_loaded()


def test_the_command_line_names_an_unknown_programme_and_writes_nothing(catalogue, tmp_path):
    folder = write_snapshot(tmp_path / "county", snapshot(decisions={0: {"programme": "Power!"}}))
    with pytest.raises(CommandError) as caught:
        call_command("county", "load", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    assert "decisions.csv, line 2, field programme: 'Power!' is not the slug of a programme in the catalogue" in str(
        caught.value
    )
    assert "Traceback" not in str(caught.value) and nothing_loaded()


def test_a_reference_another_referral_holds_in_the_database_is_refused(catalogue, tmp_path):
    county_load(write_snapshot(tmp_path / "first", snapshot()))
    other = snapshot(referrals={1: {"reference": "FD-2026-000009"}})
    other["referrals"][0]["referral_id"] = "00000000-0000-4000-9000-000000000099"
    for table in ("referral_reasons", "referral_family_members", "decisions"):
        for row in other[table]:
            if row.get("referral_id") == ID["r1"]:
                row["referral_id"] = "00000000-0000-4000-9000-000000000099"
    other["waiting_list_entries"][0]["referral_id"] = "00000000-0000-4000-9000-000000000099"
    other["referrals"][1]["possible_duplicate_of_id"] = "00000000-0000-4000-9000-000000000099"
    with pytest.raises(LoadFailed) as caught:
        county_load(write_snapshot(tmp_path / "second", other))
    assert f"field reference: 'FD-2026-000001' already belongs to referral_id {ID['r1']}" in str(caught.value)
    assert Referral.objects.count() == 2


def synthetic(tmp_path: Path, children: int = 400) -> tuple[Path, dict]:
    manifest = generate(tmp_path, children=children, seed=3, as_of=datetime.date(2025, 3, 31))
    return tmp_path, manifest


def test_the_synthetic_county_loads_with_its_year_at_the_front_door(catalogue, tmp_path):
    folder, manifest = synthetic(tmp_path / "county")
    report = county_load(folder)
    assert {name: report.counts[name] for name in FRONT_DOOR} == {name: manifest["counts"][name] for name in FRONT_DOOR}
    for name, model in (
        ("referrals", Referral),
        ("decisions", Decision),
        ("transfers", Transfer),
        ("school_offers", SchoolOffer),
        ("referral_reasons", ReferralReason),
    ):
        assert model.objects.count() == manifest["counts"][name] > 0, name
    assert WaitingListEntry.objects.count() == manifest["counts"]["waiting_list_entries"]
    assert not Referral.objects.filter(referrer__isnull=False).exists()
    assert not Referral.objects.filter(referrer_practitioner__isnull=True).exists()
    assert set(Decision.objects.exclude(programme=None).values_list("programme__slug", flat=True)) <= set(catalogue)
    allocated = Referral.objects.filter(status="allocated")
    assert allocated.exists() and not allocated.filter(allocation=None).exists()
    assert Involvement.objects.filter(kind="early_help", person__referrals__in=allocated).exists()
    county_load(folder)
    assert Referral.objects.count() == manifest["counts"]["referrals"]
    assert ReferralReason.objects.count() == manifest["counts"]["referral_reasons"]
