"""Loading casework and the questionnaires from a county snapshot: everything or nothing, questionnaires scored
at load, safe to repeat, and a bad row named by file, row and field."""

from __future__ import annotations

import datetime
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from continuum.casework.models import (
    Assessment,
    AssessmentDomain,
    ClosureFeedback,
    Cohort,
    CohortAttendance,
    CohortMember,
    CohortSession,
    Episode,
    EpisodeFamilyMember,
    Goal,
    GoalRating,
    Plan,
    Review,
    Session,
    TeamMember,
)
from continuum.county.load import LoadFailed, county_load
from continuum.measures.models import Questionnaire
from continuum.people.models import Person
from continuum.synth import generate

MODELS = {
    "episodes": Episode,
    "episode_family_members": EpisodeFamilyMember,
    "team_members": TeamMember,
    "assessments": Assessment,
    "assessment_domains": AssessmentDomain,
    "plans": Plan,
    "goals": Goal,
    "goal_ratings": GoalRating,
    "reviews": Review,
    "sessions": Session,
    "cohorts": Cohort,
    "cohort_members": CohortMember,
    "cohort_sessions": CohortSession,
    "cohort_attendance": CohortAttendance,
    "closure_feedback": ClosureFeedback,
    "questionnaires": Questionnaire,
}
AS_OF = datetime.date(2025, 3, 31)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("county")
    generate(path, children=1_500, seed=2, as_of=AS_OF)
    return path


@pytest.fixture
def snapshot(generated: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(generated, folder)
    return folder


def _rows(folder: Path, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(folder / f"{name}.parquet").to_pylist()
    return rows


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    schema = pq.read_schema(folder / f"{name}.parquet")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / f"{name}.parquet")


def test_a_generated_county_loads_its_casework_and_scores_every_questionnaire(db, snapshot: Path) -> None:
    report = county_load(snapshot)
    for name, model in MODELS.items():
        rows = pq.read_metadata(snapshot / f"{name}.parquet").num_rows
        assert report.counts[name] == rows == model.objects.count(), name
    assert Episode.objects.filter(end_date__isnull=True).exists()
    assert Episode.objects.filter(closure_reason="stepped_up", step_up_referral__isnull=False).exists()
    questionnaire = Questionnaire.objects.filter(informant="parent").order_by("pk").first()
    assert questionnaire is not None and questionnaire.measure.slug == "sdq"
    items = {f"sdq{i}" for i in range(1, 26)}
    assert len(items & set(questionnaire.responses)) >= 24 and "difficulties" in questionnaire.responses
    scored = Questionnaire.objects.exclude(scores__total=None).count()
    assert scored >= 0.95 * Questionnaire.objects.count()
    assert all(q.bands.get("total") for q in Questionnaire.objects.exclude(scores__total=None)[:50])
    domain = AssessmentDomain.objects.exclude(areas=[]).first()
    assert domain is not None and isinstance(domain.areas, list)


def test_loading_the_same_snapshot_again_changes_nothing(db, snapshot: Path) -> None:
    county_load(snapshot)
    before = {name: model.objects.count() for name, model in MODELS.items()}
    scores = dict(Questionnaire.objects.values_list("pk", "scores"))
    county_load(snapshot)
    assert {name: model.objects.count() for name, model in MODELS.items()} == before
    assert dict(Questionnaire.objects.values_list("pk", "scores")) == scores


def _closed_episode(folder: Path, having: str) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """A closed episode with rows in `having`, those rows, and the index of the first of them."""
    episodes = {row["episode_id"]: row for row in _rows(folder, "episodes") if row["end_date"]}
    rows = _rows(folder, having)
    at = next(i for i, row in enumerate(rows) if row["episode_id"] in episodes)
    return episodes[rows[at]["episode_id"]], rows, at


def _session_after_the_end(folder: Path) -> tuple[str, int]:
    episode, rows, at = _closed_episode(folder, "sessions")
    rows[at]["held_on"] = episode["end_date"]
    _write(folder, "sessions", rows)
    return f"is not before the episode's end ({episode['end_date']})", at


def _questionnaire_after_the_end(folder: Path) -> tuple[str, int]:
    episode, rows, at = _closed_episode(folder, "questionnaires")
    rows[at]["completed_on"] = (datetime.date.fromisoformat(episode["end_date"]) + datetime.timedelta(3)).isoformat()
    _write(folder, "questionnaires", rows)
    return "is not before the episode's end", at


def _change(name: str, **values: Any) -> Callable[[Path], tuple[str, int]]:
    def change(folder: Path) -> tuple[str, int]:
        rows = _rows(folder, name)
        rows[0].update(values)
        _write(folder, name, rows)
        return "", 0

    return change


def _closed_without(field: str, reason: str, value: Any) -> Callable[[Path], tuple[str, int]]:
    def change(folder: Path) -> tuple[str, int]:
        rows = _rows(folder, "episodes")
        at = next(i for i, row in enumerate(rows) if row["closure_reason"] == reason)
        rows[at][field] = value
        _write(folder, "episodes", rows)
        return "", at

    return change


def _quote_without_consent(folder: Path) -> tuple[str, int]:
    rows = _rows(folder, "closure_feedback")
    at = next(i for i, row in enumerate(rows) if row["quote"])
    rows[at]["consent_to_quote"] = False
    _write(folder, "closure_feedback", rows)
    return "", at


def _a_thirteenth_power_session(folder: Path) -> tuple[str, int]:
    power = {row["episode_id"] for row in _rows(folder, "episodes") if row["programme"] == "power"}
    rows = _rows(folder, "sessions")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["episode_id"]] = counts.get(row["episode_id"], 0) + 1
    full = next(e for e, n in counts.items() if n == 12 and e in power)
    last = max(i for i, row in enumerate(rows) if row["episode_id"] == full)
    rows.insert(last + 1, {**rows[last], "session_id": str(uuid.UUID(int=13))})
    _write(folder, "sessions", rows)
    return "", last + 1


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        pytest.param(_session_after_the_end, "sessions.parquet, row {row}, field held_on: ", id="session-after-close"),
        pytest.param(
            _questionnaire_after_the_end,
            "questionnaires.parquet, row {row}, field completed_on: ",
            id="questionnaire-after-close",
        ),
        pytest.param(
            _change("goal_ratings", rating=11),
            "goal_ratings.parquet, row 1, field rating: 11 is not between 0 and 10",
            id="goal-rating-of-11",
        ),
        pytest.param(
            _change("questionnaires", sdq4=3),
            "questionnaires.parquet, row 1, field sdq4: 3 is not between 0 and 2",
            id="sdq-item-of-3",
        ),
        pytest.param(
            _change("questionnaires", informant="self", version="4-17"),
            "questionnaires.parquet, row 1, field version: the self-report form has no 4-17 version",
            id="self-report-on-the-parent-form",
        ),
        pytest.param(
            _change("questionnaires", informant="grandparent"),
            "questionnaires.parquet, row 1, field informant: 'grandparent' is not one of",
            id="unknown-informant",
        ),
        pytest.param(
            _change("assessment_domains", domain="parenting_capacity", areas="housing"),
            "assessment_domains.parquet, row 1, field areas: 'housing' is not an area of parenting_capacity",
            id="area-of-another-domain",
        ),
        pytest.param(
            _closed_without("closure_reason", "needs_met", None),
            "episodes.parquet, row {row}, field closure_reason: is required for a closed episode",
            id="closed-without-a-reason",
        ),
        pytest.param(
            _closed_without("step_up_referral_id", "stepped_up", None),
            "episodes.parquet, row {row}, field step_up_referral_id: is required when the episode was stepped up",
            id="step-up-without-its-referral",
        ),
        pytest.param(
            _closed_without("step_down_to", "stepped_down", None),
            "episodes.parquet, row {row}, field step_down_to: is required when the episode was stepped down",
            id="step-down-without-where",
        ),
        pytest.param(
            _quote_without_consent,
            "closure_feedback.parquet, row {row}, field quote: must be empty unless the family consented",
            id="quote-without-consent",
        ),
        pytest.param(
            _a_thirteenth_power_session,
            "sessions.parquet, row {row}, field episode_id: the episode has more than the programme's limit of 12",
            id="thirteenth-power-session",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_and_field_and_nothing_is_loaded(
    db, snapshot: Path, break_it: Callable[[Path], tuple[str, int]], expected: str
) -> None:
    why, at = break_it(snapshot)
    with pytest.raises(LoadFailed) as refused:
        county_load(snapshot)
    message = str(refused.value)
    assert expected.format(row=at + 1) in message and why in message
    assert not Person.objects.exists() and not Episode.objects.exists() and not Questionnaire.objects.exists()


def test_open_episodes_bring_their_booked_next_session_and_a_closed_one_may_not(db, tmp_path: Path) -> None:
    generate(tmp_path, children=800, seed=2, as_of=datetime.date(2025, 3, 31))
    county_load(tmp_path)
    booked = Episode.objects.exclude(next_session_on=None)
    assert booked.exists() and not booked.exclude(end_date=None).exists()
    assert all(e.next_session_on > datetime.date(2025, 3, 31) for e in booked)

    episodes = pq.read_table(tmp_path / "episodes.parquet").to_pandas()
    closed = episodes.end_date.notna().idxmax()
    episodes.loc[closed, "next_session_on"] = episodes.loc[closed, "end_date"]
    episodes.to_parquet(tmp_path / "episodes.parquet", index=False)
    with pytest.raises(LoadFailed, match="next_session_on"):
        county_load(tmp_path)
