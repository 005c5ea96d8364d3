"""The synthetic county's casework: episodes that follow from the front door's allocations, everything in them
consistent with the episode and the programme, and SDQs whose planted effect the data recovers."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from continuum.analytics.sdq import SDQ_INPUT_COLUMNS, sdq_score_table
from continuum.synth import generate
from continuum.synth._casework import EXIT_MISSING, LATENT_SHIFT, planted_change
from tests.synth.test_synth import AS_OF

CHILDREN = 5_000  # the default county, as `continuum synth` and the demo make it
SEED = 1
CASEWORK = (
    "episodes",
    "episode_family_members",
    "team_members",
    "assessments",
    "assessment_domains",
    "plans",
    "goals",
    "goal_ratings",
    "reviews",
    "sessions",
    "cohorts",
    "cohort_facilitators",
    "cohort_members",
    "cohort_sessions",
    "cohort_attendance",
    "closure_feedback",
    "questionnaires",
)
OTHERS = ("referrals", "decisions", "allocations", "people", "practitioners")


class County:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.frames = {name: pq.read_table(path / f"{name}.parquet").to_pandas() for name in CASEWORK + OTHERS}
        self.truth = json.loads((path / "truth" / "outcomes.json").read_text())

    def __getattr__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    path = tmp_path_factory.mktemp("county")
    generate(path, children=CHILDREN, seed=SEED, as_of=AS_OF)
    return County(path)


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date


def _with_episode(county: County, frame: pd.DataFrame) -> pd.DataFrame:
    episodes = county.episodes[["episode_id", "start_date", "end_date", "programme", "closure_reason"]]
    episodes = episodes.rename(columns={"start_date": "episode_start", "end_date": "episode_end"})
    return frame.merge(episodes, on="episode_id", how="left", validate="many_to_one")


def _inside(frame: pd.DataFrame, column: str) -> pd.Series:
    day = _dates(frame[column])
    start, end = _dates(frame.episode_start), _dates(frame.episode_end)
    return (day >= start) & (end.isna() | (day < end)) & (day < AS_OF)


# -- episodes ---------------------------------------------------------------------------------------------------


def test_every_episode_follows_a_lead_allocation_and_starts_on_or_after_it(county: County) -> None:
    e = county.episodes
    assert len(e) > 300 and e.reference.is_unique and e.reference.str.match(r"^EH-\d{4}-\d{6}$").all()
    allocations = county.allocations.set_index("allocation_id")
    linked = e.dropna(subset=["allocation_id"])
    assert len(linked) / len(e) > 0.95
    allocation = allocations.loc[linked.allocation_id]
    assert (allocation.person_id.values == linked.person_id.values).all()
    assert (allocation.practitioner_id.values == linked.lead_practitioner_id.values).all()
    assert (_dates(linked.start_date).values >= _dates(allocation.start_date).values).all()
    assert (_dates(e.start_date) < AS_OF).all()


def test_each_allocated_referral_has_its_episode_once_the_first_visit_is_due(county: County) -> None:
    referrals = county.referrals.dropna(subset=["allocation_id"])
    allocations = county.allocations.set_index("allocation_id").loc[referrals.allocation_id]
    due = (_dates(allocations.start_date) < AS_OF - datetime.timedelta(days=14)).values
    with_episode = referrals.referral_id.isin(county.episodes.referral_id).values
    assert with_episode[due].all()
    # A few children allocated in the last days have no episode yet: the caseload shows them as waiting.
    assert (~with_episode[~due]).any() or not (~due).any()
    # An episode from the front door carries its decision and the decision's programme.
    from_front_door = county.episodes.dropna(subset=["referral_id"])
    decisions = county.decisions.set_index("decision_id").loc[from_front_door.decision_id]
    assert (decisions.referral_id.values == from_front_door.referral_id.values).all()
    assert (decisions.programme.values == from_front_door.programme.values).all()


def test_closed_episodes_say_how_they_closed_and_open_ones_do_not(county: County) -> None:
    e = county.episodes
    closed, open_ = e[e.end_date.notna()], e[e.end_date.isna()]
    assert len(open_) > 50 and len(closed) > 200
    assert closed.closure_reason.notna().all() and closed.level_at_close.notna().all()
    assert open_[["closure_reason", "level_at_close", "step_down_to", "step_up_referral_id"]].isna().all().all()
    assert set(closed.closure_reason) == {
        "needs_met",
        "stepped_up",
        "stepped_down",
        "disengaged",
        "moved_away",
        "other",
    }
    down = closed[closed.closure_reason == "stepped_down"]
    assert down.step_down_to.notna().all() and down.step_down_note.notna().all()
    assert closed[closed.closure_reason != "stepped_down"].step_down_to.isna().all()
    assert closed[closed.closure_reason == "other"].closure_note.notna().all()
    assert (closed[closed.closure_reason == "stepped_up"].level_at_close == 4).all()
    assert (closed[closed.closure_reason == "needs_met"].level_at_close <= closed.level_at_start.max()).all()


def test_a_step_up_is_a_referral_to_social_care_made_by_the_lead_practitioner(county: County) -> None:
    up = county.episodes[county.episodes.closure_reason == "stepped_up"]
    assert len(up) > 0 and up.step_up_referral_id.notna().all()
    referrals = county.referrals.set_index("referral_id").loc[up.step_up_referral_id]
    assert (referrals.person_id.values == up.person_id.values).all()
    assert (referrals.referrer_practitioner_id.values == up.lead_practitioner_id.values).all()
    received = pd.to_datetime(referrals.received_at).dt.date.values
    assert (received < _dates(up.end_date).values).all() and (received >= _dates(up.start_date).values).all()
    assert referrals.story.str.startswith("Stepped up from an early-help episode").all()
    decisions = county.decisions[county.decisions.referral_id.isin(up.step_up_referral_id)]
    assert len(decisions) == len(up) and (decisions.route == "step_up").all() and (decisions.level == 4).all()


# -- what happens in an episode ----------------------------------------------------------------------------------


def test_sessions_fall_within_their_episode_and_the_programme_limit(county: County) -> None:
    s = _with_episode(county, county.sessions)
    assert len(s) > 2000 and _inside(s, "held_on").all()
    per_episode = s.groupby("episode_id").agg(n=("session_id", "size"), programme=("programme", "first"))
    assert per_episode[per_episode.programme == "power"].n.max() <= 12
    assert (per_episode[per_episode.programme == "power"].n == 12).any()
    assert per_episode[per_episode.programme == "more-than-mentors"].n.max() <= 10
    attended = s.attendance == "attended"
    assert 0.7 < attended.mean() < 0.9 and 0.08 < (s.attendance == "did_not_attend").mean() < 0.2
    assert s.duration_minutes[attended].notna().all() and s.duration_minutes[~attended].isna().all()
    assert s.duration_minutes.between(1, 600).all() or s.duration_minutes.isna().any()
    assert set(s.kind) <= {"one_to_one", "family", "group", "school"}


def test_assessments_plans_reviews_and_goal_ratings_fit_their_episode(county: County) -> None:
    a = _with_episode(county, county.assessments)
    assert _inside(a, "completed_on").all()
    domains = county.assessment_domains.groupby("assessment_id").domain.apply(frozenset)
    assert (domains == frozenset({"developmental_needs", "parenting_capacity", "family_environment"})).all()
    assert set(domains.index) == set(a.assessment_id)
    again = a.dropna(subset=["previous_assessment_id"])
    previous = a.set_index("assessment_id").loc[again.previous_assessment_id]
    assert len(again) > 0 and (previous.episode_id.values == again.episode_id.values).all()
    p = _with_episode(county, county.plans)
    assert p.episode_id.is_unique and _inside(p, "agreed_on").all()
    overdue = p.episode_end.isna() & (_dates(p.next_review_due) < AS_OF)
    assert overdue.any() and (overdue.sum() < p.episode_end.isna().sum() / 2)
    r = _with_episode(county, county.reviews)
    assert _inside(r, "held_on").all()
    ratings = county.goal_ratings
    assert ratings.rating.between(0, 10).all() and county.goals.goal_id.isin(ratings.goal_id).all()
    # Goal-based outcomes: most goals move up between the first and the last rating.
    ordered = ratings.sort_values(["goal_id", "rated_on"])
    change = ordered.groupby("goal_id").rating.last() - ordered.groupby("goal_id").rating.first()
    rated_again = ordered.groupby("goal_id").size() > 1
    assert (change[rated_again] > 0).mean() > 0.5


def test_the_team_around_the_family_comes_from_other_agencies(county: County) -> None:
    t = _with_episode(county, county.team_members)
    assert len(t) > 100 and _inside(t, "start_date").all()
    practitioners = county.practitioners.set_index("practitioner_id")
    roles = practitioners.loc[t.practitioner_id].role
    assert {"school_dsl", "health_practitioner"} <= set(roles)
    assert county.episode_family_members.groupby("episode_id").person_id.apply(lambda p: p.is_unique).all()


def test_the_group_programme_keeps_about_four_in_five_to_the_end(county: County) -> None:
    retention = county.truth["retention"]["strengthening-families"]
    assert 0.7 <= retention["realised_retention"] <= 0.92
    cohorts = county.cohorts
    assert (cohorts.programme == "strengthening-families").all() and cohorts.venue.notna().all()
    assert (county.cohort_facilitators.groupby("cohort_id").size() >= 1).all()
    sessions = county.cohort_sessions
    assert sessions.number.between(1, 8).all() and (_dates(sessions.held_on) < AS_OF).all()
    attendance = county.cohort_attendance
    members = set(zip(county.cohort_members.cohort_id, county.cohort_members.episode_id, strict=True))
    assert all(pair in members for pair in zip(attendance.cohort_id, attendance.episode_id, strict=True))
    held = set(zip(sessions.cohort_id, sessions.number, strict=True))
    assert all(pair in held for pair in zip(attendance.cohort_id, attendance.number, strict=True))


def test_feedback_is_quoted_only_with_consent(county: County) -> None:
    f = _with_episode(county, county.closure_feedback)
    assert len(f) > 50 and f.episode_end.notna().all() and _inside(f, "given_on").all()
    assert f[~f.consent_to_quote].quote.isna().all() and f[f.consent_to_quote].quote.notna().all()
    assert f.helpfulness.between(1, 5).all()


# -- SDQs ------------------------------------------------------------------------------------------------------


def test_no_questionnaire_before_an_episode_starts_or_after_it_ends(county: County) -> None:
    q = _with_episode(county, county.questionnaires)
    assert _inside(q, "completed_on").all()
    entry = q[q.timepoint == "entry"].set_index(["episode_id", "informant"]).completed_on
    exit_ = q[q.timepoint == "exit"].set_index(["episode_id", "informant"]).completed_on
    assert exit_.index.isin(entry.index).all()
    assert (_dates(exit_) > _dates(entry.loc[exit_.index])).all()
    items = q[[f"sdq{i}" for i in range(1, 26)]]
    answered = items.to_numpy(dtype=float)
    assert np.isin(answered[~np.isnan(answered)], [0, 1, 2]).all() and items.isna().any(axis=1).mean() < 0.06
    assert set(q.informant) == {"parent", "self", "teacher"}
    assert (q[q.informant == "self"].version == "11-17").all()
    assert (q[q.informant != "self"].version.isin(["4-17", "2-4"])).all()


def test_the_share_of_closed_episodes_without_an_exit_questionnaire_is_what_was_planted(county: County) -> None:
    planted = county.truth["sdq"]["missing_exit"]
    q = county.questionnaires[county.questionnaires.informant != "teacher"]
    closed = county.episodes[county.episodes.end_date.notna() & county.episodes.episode_id.isin(q.episode_id)]
    missing = ~closed.episode_id.isin(q[q.timepoint == "exit"].episode_id)
    assert planted["probability_by_closure_reason"] == EXIT_MISSING
    assert planted["closed_episodes_with_entry"] == len(closed)
    share, expected = missing.mean(), planted["expected_share"]
    assert 0.2 < expected < 0.45
    assert abs(share - expected) < 3 * math.sqrt(expected * (1 - expected) / len(closed))
    # Families who disengage rarely complete one; those whose needs were met usually do.
    by_reason = missing.groupby(closed.closure_reason).mean()
    assert by_reason["disengaged"] > 0.6 > 0.2 > by_reason["needs_met"]


def _changes(county: County) -> pd.DataFrame:
    """Total difficulties at entry and exit, scored by the analytics scorer, per episode (parent or self)."""
    q = county.questionnaires.rename(columns={"questionnaire_id": "response_id"})
    table = pq.read_table(county.path / "questionnaires.parquet").rename_columns(
        ["response_id" if c == "questionnaire_id" else c for c in q.columns]
    )
    scores = sdq_score_table(table.select(list(SDQ_INPUT_COLUMNS))).to_pandas()
    q = q.assign(total=scores.total.values)
    q = q[q.informant != "teacher"]
    wide = q.pivot_table(index="episode_id", columns="timepoint", values="total").dropna()
    wide["change"] = wide["exit"] - wide["entry"]
    programme = county.episodes.set_index("episode_id").programme.fillna("none")
    return wide.join(programme)


def _interval(change: pd.Series) -> tuple[float, float]:
    half = 1.96 * change.std(ddof=1) / math.sqrt(len(change))
    return change.mean() - half, change.mean() + half


@pytest.mark.parametrize("programme", ["power", "strengthening-families"])
def test_the_mean_change_in_total_difficulties_recovers_the_planted_effect(county: County, programme: str) -> None:
    planted = county.truth["sdq"]["programmes"][programme]
    assert planted["planted_mean_change_total_difficulties"] == round(planted_change(LATENT_SHIFT[programme]), 4)
    change = _changes(county)
    mine = change[change.programme == programme].change
    assert len(mine) == planted["paired_parent_or_self"] >= 20
    low, high = _interval(mine)
    assert low <= planted["planted_mean_change_total_difficulties"] <= high


def test_over_all_programmes_the_planted_effect_is_recovered_and_some_children_get_worse(county: County) -> None:
    change = _changes(county)
    programmes = county.truth["sdq"]["programmes"]
    planted = change.programme.map(lambda p: programmes[p]["planted_mean_change_total_difficulties"]).mean()
    low, high = _interval(change.change)
    assert low <= planted <= high < 0
    # A realistic spread: most improve a little, some a lot, some not at all, some get worse.
    assert (change.change <= -5).mean() > 0.15 and (change.change >= 5).mean() > 0.05
    assert (change.change.abs() < 5).mean() > 0.4


def test_the_planted_effect_is_the_expectation_of_the_item_model() -> None:
    # The quadrature in the generator against brute force over the same item model.
    from continuum.synth._casework import CHANGE_SD, LATENT_ENTRY_MEAN, LATENT_ENTRY_SD, expected_total

    rng = np.random.default_rng(5)
    entry = rng.normal(LATENT_ENTRY_MEAN, LATENT_ENTRY_SD, 400_000)
    exit_ = entry + LATENT_SHIFT["power"] + rng.normal(0, CHANGE_SD, len(entry))
    brute = expected_total(exit_).mean() - expected_total(entry).mean()
    assert abs(brute - planted_change(LATENT_SHIFT["power"])) < 0.03


def test_casework_is_the_same_for_the_same_seed_and_differs_for_another(tmp_path: Path) -> None:
    def digest(path: Path) -> dict[str, str]:
        files = [path / f"{name}.parquet" for name in CASEWORK] + [path / "truth" / "outcomes.json"]
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    runs = []
    for run, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / run, children=800, seed=seed, as_of=AS_OF)
        runs.append(digest(tmp_path / run))
    assert runs[0] == runs[1]
    assert runs[0]["episodes.parquet"] != runs[2]["episodes.parquet"]
