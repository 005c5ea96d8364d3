"""Entering a questionnaire on a session: scored by the analytics, saved with its audit row, or refused whole."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from continuum.analytics.sdq import sdq_score
from continuum.audit.models import AuditEvent
from continuum.measures.models import Questionnaire
from continuum.measures.services import questionnaire_record
from tests.measures import world as w

TODAY = datetime.date.today()
# A parent's answers: items 1-25, then the impact supplement.
ITEMS = [2, 1, 0, 2, 1, 0, 2, 1, 2, 0, 2, 1, 1, 2, 0, 1, 2, 1, 0, 2, 1, 0, 1, 1, 2]


def _responses(items=ITEMS, difficulties=1, impact=None):
    answers = {f"sdq{n}": value for n, value in enumerate(items, start=1)}
    answers["difficulties"] = difficulties
    answers.update({f"impact_{k}": v for k, v in (impact or {"distress": 2, "home": 3, "friends": 1}).items()})
    return answers


@pytest.fixture
def amy_session(world):
    episode = w.episode(world, world.amy, start=TODAY - datetime.timedelta(days=30))
    return w.session(world, episode, TODAY - datetime.timedelta(days=1))


def test_the_scores_saved_are_the_analytics_scores(world, amy_session):
    q = questionnaire_record(
        actor=world.alice,
        session_id=amy_session.pk,
        measure="sdq",
        informant="parent",
        version="4-17",
        timepoint="entry",
        responses=_responses(),
    )
    expected = sdq_score(
        informant="parent",
        version="4-17",
        items=ITEMS,
        difficulties=1,
        impact={"distress": 2, "home": 3, "friends": 1, "classroom": None, "leisure": None},
    )
    q.refresh_from_db()
    for name in ("emotional", "conduct", "hyperactivity", "peer", "prosocial", "total", "impact"):
        assert q.scores[name] == getattr(expected, name), name
    assert q.bands == expected.bands
    assert q.person_id == world.amy.pk and q.episode_id == amy_session.episode_id and q.session_id == amy_session.pk
    assert q.responses["sdq1"] == 2 and "impact_leisure" not in q.responses
    assert q.entered_by == world.alice and q.completed_on == amy_session.held_on
    audit = AuditEvent.objects.get(event="measures.questionnaire_record")
    assert audit.object_id == str(q.pk) and audit.person_id == world.amy.pk


def test_an_item_out_of_range_saves_nothing(world, amy_session):
    bad = _responses(items=[*ITEMS[:6], 3, *ITEMS[7:]])
    with pytest.raises(ValidationError) as refused:
        questionnaire_record(
            actor=world.alice,
            session_id=amy_session.pk,
            measure="sdq",
            informant="parent",
            version="4-17",
            timepoint="entry",
            responses=bad,
        )
    assert "sdq7" in refused.value.message_dict
    assert not Questionnaire.objects.exists()
    assert not AuditEvent.objects.filter(event="measures.questionnaire_record").exists()


def test_a_form_that_does_not_exist_saves_nothing(world, amy_session):
    with pytest.raises(ValidationError) as refused:
        questionnaire_record(
            actor=world.alice,
            session_id=amy_session.pk,
            measure="sdq",
            informant="self",
            version="4-17",
            timepoint="entry",
            responses=_responses(),
        )
    assert "version" in refused.value.message_dict
    assert not Questionnaire.objects.exists()


def test_too_few_answers_to_score_anything_saves_nothing(world, amy_session):
    with pytest.raises(ValidationError):
        questionnaire_record(
            actor=world.alice,
            session_id=amy_session.pk,
            measure="sdq",
            informant="parent",
            version="4-17",
            timepoint="exit",
            responses={"sdq1": 2, "sdq2": 1},
        )
    assert not Questionnaire.objects.exists()


def test_someone_who_may_not_open_the_child_gets_the_audited_404(world, amy_session):
    with pytest.raises(Http404):
        questionnaire_record(
            actor=world.bob,
            session_id=amy_session.pk,
            measure="sdq",
            informant="parent",
            version="4-17",
            timepoint="entry",
            responses=_responses(),
        )
    assert not Questionnaire.objects.exists()
    refusal = AuditEvent.objects.get(action="refused")
    assert refusal.actor_username == "bob" and refusal.person_id == world.amy.pk


def test_a_school_may_enter_only_from_the_team_around_the_family(world, amy_session):
    arguments = dict(
        session_id=amy_session.pk,
        measure="sdq",
        informant="teacher",
        version="4-17",
        timepoint="entry",
        responses=_responses(impact={"distress": 1, "friends": 0, "classroom": 2}),
    )
    with pytest.raises(PermissionDenied):  # opens amy's record (she is on the school's roll) but leads no casework
        questionnaire_record(actor=world.dsl_north, **arguments)
    w.team_member(world, amy_session.episode, "dsl_north", TODAY - datetime.timedelta(days=20))
    q = questionnaire_record(actor=world.dsl_north, **arguments)
    assert q.informant == "teacher" and q.scores["impact"] == 1


def test_a_custom_index_is_scored_from_its_definition(world, amy_session):
    from continuum.analytics.indices import example_index

    definition = example_index()
    answers = {key: 3 for key in definition.items}
    q = questionnaire_record(
        actor=world.alice,
        session_id=amy_session.pk,
        measure="restorative-parenting-recovery-index",
        informant="parent",
        version="",
        timepoint="entry",
        responses=answers,
    )
    expected = definition.score(answers)
    assert q.scores == expected.scores and q.bands == expected.bands
    with pytest.raises(ValidationError) as refused:
        questionnaire_record(
            actor=world.alice,
            session_id=amy_session.pk,
            measure="restorative-parenting-recovery-index",
            informant="parent",
            version="",
            timepoint="exit",
            responses={**answers, "self_care_1": 5},
        )
    assert "self_care_1" in refused.value.message_dict
    assert Questionnaire.objects.count() == 1
