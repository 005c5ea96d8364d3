"""The synthetic county's year at the front door: realistic, internally consistent, and true to what the
service itself would allow (capacity, the contradictions a decision may not hold)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from continuum import vocabulary as vocab
from continuum.synth import generate
from continuum.workingdays import is_working_day
from tests.synth.test_synth import AS_OF, CONTRACT, PROGRAMME_SLUGS

CHILDREN = 20_000
# The ages each programme takes, as the generator chooses them (the catalogue's own rules may be wider).
PROGRAMME_AGES = {
    "power": (8, 13),
    "functional-family-therapy": (10, 14),
    "lyft": (11, 17),
    "staying-together": (11, 17),
    "strengthening-families": (3, 17),
    "step-up-step-down": (0, 17),
    "more-than-mentors": (11, 17),
    "harmony-groups": (0, 5),
    "no-wrong-door": (12, 17),
}


class County:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.frames = {name: pq.read_table(path / f"{name}.parquet").to_pandas() for name in CONTRACT}

    def __getattr__(self, name: str) -> pd.DataFrame:
        return self.frames[name.replace("truth_", "truth/")]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    path = tmp_path_factory.mktemp("county")
    generate(path, children=CHILDREN, seed=7, as_of=AS_OF)
    return County(path)


def _when(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True).dt.tz_convert("Europe/London")


def _referrals(county: County) -> pd.DataFrame:
    agencies = county.agencies.set_index("agency_id")
    people = county.people.set_index("person_id")
    r = county.referrals.copy()
    r["source"] = agencies.kind.loc[r.referrer_agency_id].values
    r["received"] = _when(r.received_at)
    born = pd.to_datetime(people.date_of_birth.loc[r.person_id].values)
    received = r.received.dt.tz_localize(None)
    before = (received.dt.month < born.month) | ((received.dt.month == born.month) & (received.dt.day < born.day))
    r["age"] = received.dt.year - born.year - before.astype(int)
    return r


def _working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start`, up to and including `end`."""
    return sum(is_working_day(start + datetime.timedelta(days=i)) for i in range(1, (end - start).days + 1))


# --- referrals ------------------------------------------------------------------------------------------


def test_a_year_of_referrals_at_the_rate_the_generator_states(county: County) -> None:
    r = _referrals(county)
    # Besides the year's referrals, lead practitioners' step ups from episodes of support.
    stepped_up = r.referral_id.isin(county.episodes.step_up_referral_id)
    assert len(r) - stepped_up.sum() == round(650 * CHILDREN / 10_000)
    first = datetime.datetime.combine(AS_OF - datetime.timedelta(days=366), datetime.time(), datetime.UTC)
    assert (r.received >= first).all()
    assert (r.received.dt.date < AS_OF).all()  # the county stands at the start of the as-of day
    assert r.reference.str.match(r"^FD-\d{4}-\d{6}$").all() and r.reference.is_unique
    assert (r.age >= 0).all()


def test_schools_refer_most_and_referrals_peak_at_ten_to_twelve(county: County) -> None:
    r = _referrals(county)
    sources = r.source.value_counts(normalize=True)
    assert sources.index[0] == "school" and sources["school"] > 0.25
    assert sources["police"] > sources["health"] > sources["youth_justice"]
    assert set(sources.index) <= {
        "school",
        "police",
        "health",
        "early_help",
        "voluntary",
        "childrens_social_care",
        "camhs",
        "youth_justice",
    }
    by_age = r.age.value_counts().reindex(range(18), fill_value=0)
    bands = {low: by_age.loc[low : low + 2].sum() for low in range(0, 16)}
    assert max(bands, key=bands.get) in (9, 10, 11)  # the busiest three years of age include 10 and 11
    assert by_age.loc[10:12].sum() > 1.5 * by_age.loc[4:6].sum()


def test_schools_refer_their_own_pupils(county: County) -> None:
    r = _referrals(county)
    schools = r[r.source == "school"]
    rolls = county.involvements[(county.involvements.kind == "school_roll")]
    pupils = set(zip(rolls.person_id, rolls.agency_id, strict=True))
    assert all((p, a) in pupils for p, a in zip(schools.person_id, schools.referrer_agency_id, strict=True))
    staff = county.practitioners.set_index("practitioner_id")
    referrers = staff.loc[r.referrer_practitioner_id.dropna()]
    assert (referrers.agency_id.values == r.dropna(subset=["referrer_practitioner_id"]).referrer_agency_id.values).all()
    assert set(staff.role.loc[schools.referrer_practitioner_id]) == {"school_dsl"}
    assert r.referrer_practitioner_id.notna().mean() > 0.99


def test_reasons_go_with_who_refers(county: County) -> None:
    r = _referrals(county).set_index("referral_id")
    reasons = county.referral_reasons.assign(source=lambda f: r.source.loc[f.referral_id].values)
    assert not reasons.duplicated(["referral_id", "reason"]).any()
    per_referral = reasons.groupby("referral_id").size()
    assert set(per_referral.index) == set(r.index) and per_referral.max() <= 3 and per_referral.mean() > 1.3
    by_reason = reasons.groupby("reason").source.agg(lambda s: s.value_counts(normalize=True).idxmax())
    assert by_reason["school_attendance"] == "school"
    assert by_reason["domestic_abuse"] == "police"
    assert by_reason["mental_health"] in ("health", "camhs")
    assert len(set(reasons.reason)) >= 10


def test_consent_is_mostly_given_and_never_skipped_without_a_reason(county: County) -> None:
    r = county.referrals
    consent = r.consent.value_counts(normalize=True)
    assert consent["given"] > 0.75 and 0.05 < consent["refused"] < 0.15 and 0.01 < consent["not_sought"] < 0.1
    assert r[r.consent == "not_sought"].consent_reason.notna().all()
    assert r[r.consent != "not_sought"].consent_reason.isna().all()


def test_duplicates_and_re_referrals(county: County) -> None:
    r = _referrals(county).sort_values("received")
    flagged = r.dropna(subset=["possible_duplicate_of_id"])
    earlier = r.set_index("referral_id").loc[flagged.possible_duplicate_of_id]
    assert (earlier.person_id.values == flagged.person_id.values).all()
    gap = flagged.received.reset_index(drop=True) - earlier.received.reset_index(drop=True)
    assert (gap > pd.Timedelta(0)).all() and (gap <= pd.Timedelta(days=30)).all()
    assert 0.03 < len(flagged) / len(r) < 0.09
    # Every second referral within 30 days is flagged, against the latest earlier one.
    previous = r.groupby("person_id").received.shift()
    within = (r.received - previous) <= pd.Timedelta(days=30)
    assert (within == r.possible_duplicate_of_id.notna()).all()
    within_a_year = (r.received - previous) <= pd.Timedelta(days=365)
    assert 0.15 < within_a_year.mean() < 0.3


def test_the_truth_keeps_the_details_as_the_referrer_typed_them(county: County) -> None:
    typed = county.truth_referral_details.set_index("referral_id")
    r = county.referrals.set_index("referral_id")
    assert set(typed.index) == set(r.index)
    assert (typed.person_id.loc[r.index].values == r.person_id.values).all()
    record = county.people.set_index("person_id").loc[typed.person_id]
    changed = typed.changes != ""
    assert 0.15 < changed.mean() < 0.4
    differs = (
        (typed.given_name.values != record.given_name.values)
        | (typed.family_name.values != record.family_name.values)
        | (typed.date_of_birth.fillna("").values != record.date_of_birth.values)
    )
    assert (differs == changed.values).all()
    changes = typed.changes.str.split(";").explode()
    for change in ("nickname", "given_name_typo", "family_name_typo", "day_month_swapped", "date_of_birth_unknown"):
        assert (changes == change).sum() > 5, change
    people = county.people.set_index("person_id")
    swapped = typed[typed.changes.str.contains("day_month_swapped")]
    true = people.date_of_birth.loc[swapped.person_id]
    assert (swapped.date_of_birth.str[5:7].values == true.str[8:10].values).all()
    assert (swapped.date_of_birth.str[8:10].values == true.str[5:7].values).all()
    nicknamed = typed[typed.changes.str.contains("nickname") & ~typed.changes.str.contains("given_name_typo")]
    full = people.given_name.loc[nicknamed.person_id]
    assert (nicknamed.given_name.values != full.values).all()


def test_the_family_named_lives_with_the_child_and_is_related(county: County) -> None:
    family = county.referral_family_members.merge(county.referrals[["referral_id", "person_id"]], on="referral_id")
    family.columns = ["referral_id", "member_id", "relationship", "child_id"]
    home = county.people.set_index("person_id").household_id
    assert (home.loc[family.member_id].values == home.loc[family.child_id].values).all()
    rel = county.relationships
    pairs = set(zip(rel.from_person_id, rel.to_person_id, strict=True))
    assert all((m, c) in pairs or (c, m) in pairs for m, c in zip(family.member_id, family.child_id, strict=True))
    assert set(family.relationship) <= {"parent", "step_parent", "grandparent", "carer", "sibling", "half_sibling"} | {
        "step_sibling"
    }
    assert family.referral_id.nunique() > 0.8 * len(county.referrals)


# --- decisions, transfers, allocation -------------------------------------------------------------------


def test_decisions_never_hold_a_contradiction(county: County) -> None:
    d = county.decisions
    assert set(d.level) == {1, 2, 3, 4}
    assert d[d.level == 4].route.isin(["step_up", "existing_episode"]).all()
    assert (d[d.route == "step_up"].level == 4).all()
    assert ((d.route == "programme") == d.programme.notna()).all()
    assert (d.route.isin(["programme", "step_up", "existing_episode"]) == d.team_id.notna()).all()
    assert set(d.programme.dropna()) <= PROGRAMME_SLUGS
    first = d.previous_level.isna()
    assert (d.change[first] == "first").all()
    later = d[~first]
    expected = (
        later.level.gt(later.previous_level)
        .map({True: "step_up", False: ""})
        .where(later.level != later.previous_level, "same")
    )
    expected = expected.where(~later.level.lt(later.previous_level), "step_down")
    assert (later.change == expected).all()
    assert d.rationale.str.len().min() > 20 and d.outcome_for_referrer.notna().all()
    routes = d.route.value_counts(normalize=True)
    assert all(0.05 < routes[r] < 0.5 for r in ("no_further_action", "advice", "programme", "step_up"))


def test_decisions_come_after_the_referral_and_most_within_a_working_day(county: County) -> None:
    d = county.decisions.assign(decided=lambda f: _when(f.decided_at))
    received = _referrals(county).set_index("referral_id").received
    assert (d.decided.reset_index(drop=True) > received.loc[d.referral_id].reset_index(drop=True)).all()
    assert (d.decided.dt.date < AS_OF).all()
    first = d.sort_values("decided").groupby("referral_id").decided.first()
    days = [_working_days_between(received.loc[ref].date(), when.date()) for ref, when in first.items()]
    assert 0.7 < sum(day <= 1 for day in days) / len(days) < 0.9
    undecided = set(received.index) - set(first.index)
    assert undecided and (county.referrals.set_index("referral_id").status.loc[list(undecided)] == "new").all()


def test_children_fit_the_programmes_they_are_routed_to(county: County) -> None:
    d = county.decisions[county.decisions.route == "programme"].merge(
        _referrals(county)[["referral_id", "person_id"]], on="referral_id"
    )
    born = pd.to_datetime(county.people.set_index("person_id").date_of_birth.loc[d.person_id].values)
    decided = _when(d.decided_at).dt.tz_localize(None)
    before = (decided.dt.month < born.month) | ((decided.dt.month == born.month) & (decided.dt.day < born.day))
    age = decided.dt.year - born.year - before.astype(int)
    for slug, (low, high) in PROGRAMME_AGES.items():
        ages = age[d.programme == slug]
        assert ages.between(low, high).all(), slug
    assert len(set(d.programme)) >= 6 and "power" in set(d.programme)
    teams = county.teams.set_index("team_id").name
    assert teams.loc[d.team_id].str.endswith("Early Help Team").all()


def test_transfers_are_for_programmes_and_step_ups_and_declines_give_reasons(county: County) -> None:
    t = county.transfers.merge(county.decisions[["decision_id", "route", "team_id"]], on="decision_id")
    team_routes = ["programme", "step_up", "existing_episode"]
    assert t.route.isin(team_routes).all() and (t.team_id_x == t.team_id_y).all()
    sent = county.decisions[county.decisions.route.isin(team_routes)]
    assert set(sent.decision_id) == set(t.decision_id)
    kinds = county.teams.merge(county.agencies[["agency_id", "kind"]], on="agency_id").set_index("team_id").kind
    assert (kinds.loc[t[t.route == "step_up"].team_id_x] == "childrens_social_care").all()
    assert (t[t.route == "existing_episode"].status != "declined").all()
    status = t.status.value_counts(normalize=True)
    assert status["accepted"] > 0.75 and 0.05 < status["declined"] < 0.2
    assert t[t.status == "declined"].decline_reason.notna().all()
    assert t[t.status != "declined"].decline_reason.isna().all()
    assert (t.status == "pending").eq(t.responded_at.isna()).all()
    answered = t.dropna(subset=["responded_at"])
    assert (_when(answered.responded_at) > _when(answered.sent_at)).all()
    # A decline comes back to the front door, which decides again (a step down to advice).
    declined = t[t.status == "declined"]
    again = (
        county.decisions[
            county.decisions.referral_id.isin(
                county.decisions.set_index("decision_id").referral_id.loc[declined.decision_id]
            )
        ]
        .groupby("referral_id")
        .size()
    )
    assert (again >= 1).all() and (again == 2).mean() > 0.8


def test_allocations_respect_caseload_capacity_every_day_they_start(county: County) -> None:
    r = county.referrals.dropna(subset=["allocation_id"])
    allocations = county.allocations.set_index("allocation_id")
    mine = allocations.loc[r.allocation_id]
    assert (mine.kind == "lead").all() and (mine.person_id.values == r.person_id.values).all()
    staff = county.practitioners.set_index("practitioner_id")
    assert (staff.role.loc[mine.practitioner_id] == "practitioner").all()
    eh_teams = county.teams[county.teams.name.str.endswith("Early Help Team")].team_id
    assert staff.team_id.loc[mine.practitioner_id].isin(eh_teams).all()
    leads = county.allocations[county.allocations.kind == "lead"]
    end = leads.end_date.fillna("9999-12-31")
    for practitioner, start in zip(mine.practitioner_id, mine.start_date, strict=True):
        held = leads[(leads.practitioner_id == practitioner) & (leads.start_date <= start) & (end > start)]
        assert held.person_id.nunique() <= staff.caseload_capacity.loc[practitioner], (practitioner, start)
    # Each allocation is an early-help episode the practitioner leads.
    episodes = county.involvements[county.involvements.kind == "early_help"]
    led = set(zip(episodes.person_id, episodes.lead_practitioner_id, episodes.start_date, strict=True))
    assert all((p, q, s) in led for p, q, s in zip(mine.person_id, mine.practitioner_id, mine.start_date, strict=True))


def test_waiting_lists_are_first_come_first_served(county: County) -> None:
    w = county.waiting_list_entries
    assert len(w) > 10
    assert set(w.programme) <= PROGRAMME_SLUGS
    assert (w.end_date.dropna() >= w.start_date[w.end_date.notna()]).all()
    assert (w.end_date.isna() == w.outcome.isna()).all()
    allocated = w[w.outcome == "Allocated to a practitioner"].sort_values(["start_date", "end_date"])
    for _, queue in allocated.groupby(["programme", "team_id"]):
        assert queue.end_date.is_monotonic_increasing
    r = county.referrals.set_index("referral_id")
    allocated_referrals = r.loc[allocated.referral_id]
    assert allocated_referrals.allocation_id.notna().all()
    starts = county.allocations.set_index("allocation_id").start_date.loc[allocated_referrals.allocation_id]
    assert (starts.values == allocated.end_date.values).all()
    waiting = w[w.end_date.isna()]
    assert (r.status.loc[waiting.referral_id] == "waiting").all()
    assert (r.status == "waiting").sum() == len(waiting)


def test_each_referral_stands_where_its_record_says(county: County) -> None:
    r = county.referrals.set_index("referral_id")
    assert set(r.status) <= {"new", "decided", "transferred", "allocated", "waiting", "closed"}
    assert (r.closed_at.notna() == (r.status == "closed")).all()
    closed = r.dropna(subset=["closed_at"])
    assert (_when(closed.closed_at) >= _when(closed.received_at)).all()
    allocations = county.allocations.set_index("allocation_id")
    allocated = r[r.status == "allocated"]
    assert allocations.end_date.loc[allocated.allocation_id].isna().all()
    pending = county.transfers[county.transfers.status == "pending"]
    referral_of = county.decisions.set_index("decision_id").referral_id
    assert (r.status.loc[referral_of.loc[pending.decision_id]] == "transferred").all()


def test_schools_take_up_offers(county: County) -> None:
    offers = county.school_offers
    kinds = county.agencies.set_index("agency_id").kind
    assert (kinds.loc[offers.agency_id] == "school").all()
    assert set(offers.offer) == vocab.codes(vocab.SCHOOL_OFFER)
    assert offers.on.between((AS_OF - datetime.timedelta(days=366)).isoformat(), AS_OF.isoformat()).all()
    schools = (kinds == "school").sum()
    assert 0.3 * schools < offers.agency_id.nunique() <= schools
    assert offers.note.notna().all()


def test_the_summary_counts_the_front_door(county: County) -> None:
    import json

    summary = json.loads((county.path / "truth" / "summary.json").read_text())
    assert sum(summary["referrals_by_source"].values()) == len(county.referrals)
    assert sum(summary["decisions_by_route"].values()) == len(county.decisions)


@pytest.mark.parametrize("children", [1, 3, 10, 16, 40])
def test_a_county_of_a_few_children_still_has_its_front_door_tables(tmp_path: Path, children: int) -> None:
    manifest = generate(tmp_path, children=children, seed=1, as_of=AS_OF)
    assert manifest["counts"]["referrals"] == round(650 * children / 10_000)
    for name in CONTRACT:
        assert pq.read_table(tmp_path / f"{name}.parquet").schema.names == list(CONTRACT[name]), name
