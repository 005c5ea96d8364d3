"""The assessment, the plan and goal ratings, reviews, sessions within the limit, courses and feedback."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from continuum.casework import selectors, services
from continuum.casework.models import (
    Assessment,
    ClosureFeedback,
    GoalRating,
    Session,
    SessionLimitExtension,
)
from tests.casework.helpers import TODAY, assess, days_ago, domains, open_for_amy, plan_with_goal, power, session


def _date(name: str, day=TODAY) -> dict[str, int]:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


# The assessment.


def test_an_assessment_without_a_domain_is_refused_and_nothing_is_saved(world):
    episode = open_for_amy(world)
    partial = domains()
    del partial["parenting_capacity"]
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            actor=world.alice,
            episode_id=episode.pk,
            completed_on=TODAY,
            domains=partial,
            child_words="x",
            parent_words="y",
            summary="z",
            proposed_level=2,
        )
    assert "Parenting capacity: the assessment needs every domain" in str(refused.value)
    assert not Assessment.objects.exists()


def test_the_assessment_form_asks_for_every_domain_and_the_familys_own_words(world, client_for):
    episode = open_for_amy(world)
    response = client_for("alice").post(reverse("casework:assessment_new", args=[episode.pk]), _date("completed_on"))
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    for words in (
        "The child&#39;s developmental needs: select how much concern",
        "Parenting capacity: say what the strengths",
        "Record what the child said",
        "Record what the parents or carers said",
    ):
        assert words in body, words
    assert not Assessment.objects.exists()


def test_the_assessment_shows_their_words_as_quotations_and_a_reassessment_shows_what_changed(world, client_for):
    episode = open_for_amy(world)
    first = assess(world, episode, on=20, developmental_needs=2, parenting_capacity=2, family_environment=1)
    again = assess(world, episode, on=2, developmental_needs=1, parenting_capacity=3, family_environment=1)
    assert again.previous == first
    page = client_for("alice").get(reverse("casework:assessment", args=[again.pk])).content.decode()
    assert "“I want to stop getting into fights”" in page and "What the child said" in page
    assert "“We need help with mornings”" in page and "What the parents or carers said" in page
    assert "Less concern: significant concern before, some concern now" in page
    assert "More concern: significant concern before, serious concern now" in page
    assert "No change: some concern" in page


def test_the_plan_offers_the_assessments_needs_as_starting_points(world, client_for):
    episode = open_for_amy(world)
    assess(world, episode)
    plan_with_goal(world, episode)
    page = client_for("alice").get(reverse("casework:goal_new", args=[episode.pk])).content.decode()
    assert "Needs from the assessment" in page and "Needs in parenting_capacity" in page


# Goals.


@pytest.mark.parametrize("rating", [11, -1])
def test_a_goal_rating_outside_nought_to_ten_is_refused(world, client_for, rating):
    episode = open_for_amy(world)
    goal = plan_with_goal(world, episode)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        services.goal_rate(actor=world.alice, goal_id=goal.pk, rating=rating, rated_by="child", rated_on=TODAY)
    response = client_for("alice").post(
        reverse("casework:goal_rate", args=[goal.pk]), {"rating": str(rating), "rated_by": "child", **_date("rated_on")}
    )
    assert response.status_code == 200 and "The rating must be a whole number from 0 to 10" in response.content.decode()
    assert GoalRating.objects.count() == 1  # only the first rating, when the goal was agreed


def test_goals_are_rated_over_time(world, client_for):
    episode = open_for_amy(world)
    goal = plan_with_goal(world, episode)
    response = client_for("alice").post(
        reverse("casework:goal_rate", args=[goal.pk]), {"rating": "7", "rated_by": "parent", **_date("rated_on")}
    )
    assert response.status_code == 302
    assert [r.rating for r in goal.ratings.all()] == [3, 7]
    page = client_for("alice").get(reverse("casework:episode", args=[episode.pk])).content.decode()
    assert "3/10" in page and "7/10" in page


def test_overdue_reviews_are_listed_for_the_lead_and_her_manager(world, client_for):
    episode = open_for_amy(world, start=100)
    plan_with_goal(world, episode, agreed=60, weeks=4)
    mine = client_for("alice").get(reverse("casework:caseload")).content.decode()
    assert "Overdue" in mine and "review was due" in mine
    team = client_for("manager").get(reverse("casework:team_caseload")).content.decode()
    assert "review was due" in team and episode.reference in team
    services.review_record(
        actor=world.alice,
        episode_id=episode.pk,
        held_on=TODAY,
        child_views="Better",
        family_views="Calmer",
        summary="Mornings are easier",
    )
    assert "review was due" not in client_for("alice").get(reverse("casework:caseload")).content.decode()


# Sessions and the session limit.


def test_the_session_limit_refuses_the_practitioner_naming_the_limit(world):
    episode = open_for_amy(world, programme=power(limit=3))
    session(world, episode, on=6)
    session(world, episode, on=5, attendance="did_not_attend")  # counts: the time was given
    session(world, episode, on=4, attendance="cancelled_by_family")  # does not count
    session(world, episode, on=3)
    with pytest.raises(ValidationError, match="POWER has a limit of 3 sessions, and 3 have been delivered"):
        session(world, episode, on=2)
    session(world, episode, on=2, attendance="cancelled_by_service")  # a cancellation may still be recorded
    assert Session.objects.count() == 5


def test_a_manager_agrees_more_sessions_with_a_reason_and_the_practitioner_cannot(world, client_for):
    episode = open_for_amy(world, programme=power(limit=1))
    session(world, episode, on=6)
    response = client_for("alice").post(
        reverse("casework:session_new", args=[episode.pk]),
        {**_date("held_on", days_ago(1)), "kind": "family", "attendance": "attended", "duration_minutes": "45"},
    )
    assert response.status_code == 200 and "POWER has a limit of 1 sessions" in response.content.decode()
    assert client_for("alice").get(reverse("casework:extend", args=[episode.pk])).status_code == 403
    with pytest.raises(ValidationError, match="Only a manager"):
        services.session_limit_extend(actor=world.alice, episode_id=episode.pk, extra_sessions=2, reason="More")
    refused = client_for("manager").post(reverse("casework:extend", args=[episode.pk]), {"extra_sessions": "2"})
    assert "Give the reason more sessions are needed" in refused.content.decode()
    agreed = client_for("manager").post(
        reverse("casework:extend", args=[episode.pk]), {"extra_sessions": "2", "reason": "Exams coming up"}
    )
    assert agreed.status_code == 302 and SessionLimitExtension.objects.get().agreed_by == world.manager
    response = client_for("alice").post(
        reverse("casework:session_new", args=[episode.pk]),
        {**_date("held_on", days_ago(1)), "kind": "family", "attendance": "attended", "duration_minutes": "45"},
    )
    assert response.status_code == 302
    assert Session.objects.count() == 2


def test_a_session_in_the_future_or_before_the_start_is_refused(world, client_for):
    episode = open_for_amy(world, start=10)
    for day, words in ((days_ago(-2), "must be today or in the past"), (days_ago(20), "cannot be dated before it")):
        response = client_for("alice").post(
            reverse("casework:session_new", args=[episode.pk]),
            {**_date("held_on", day), "kind": "family", "attendance": "attended", "duration_minutes": "45"},
        )
        assert words in response.content.decode()
    assert not Session.objects.exists()


# Group programmes.


def test_a_courses_retention_is_members_still_attending_over_those_who_started(world, client_for):
    programme = power()
    programme.retention_target = 70
    programme.save()
    episode = open_for_amy(world, programme=programme)
    cohort = services.cohort_create(
        actor=world.alice,
        programme_id=programme.pk,
        name="Spring at Northgate",
        venue="Northgate Academy",
        start_date=days_ago(20),
        planned_sessions=6,
    )
    services.cohort_facilitator_add(actor=world.alice, cohort_id=cohort.pk, practitioner_id=world.camhs.practitioner.pk)
    member = services.cohort_member_add(
        actor=world.alice, cohort_id=cohort.pk, episode_id=episode.pk, joined_on=days_ago(20)
    )
    services.cohort_session_record(
        actor=world.alice, cohort_id=cohort.pk, held_on=days_ago(14), attended_member_ids=[member.pk]
    )
    page = selectors.cohort_page(viewer=world.alice, cohort_id=cohort.pk)
    assert (page.retention.started, page.retention.retained, page.retention.percent, page.retention.meets_target) == (
        1,
        1,
        100,
        True,
    )
    services.cohort_member_leave(actor=world.alice, member_id=member.pk, left_on=days_ago(10))
    page = selectors.cohort_page(viewer=world.alice, cohort_id=cohort.pk)
    assert (page.retention.percent, page.retention.meets_target) == (0, False)
    html = client_for("alice").get(reverse("casework:cohort", args=[cohort.pk])).content.decode()
    assert "Amy Ashdown" in html and "against a target of 70%" in html and "Test CAMHS" in html
    # bob may not open amy: he sees the course, not her name.
    other = client_for("bob").get(reverse("casework:cohort", args=[cohort.pk])).content.decode()
    assert "Ashdown" not in other and "another team’s child" in other


# Feedback.


def test_quotes_are_summarised_only_with_consent_and_no_child_named(world, client_for):
    episode = open_for_amy(world)
    with pytest.raises(ValidationError, match="only with their consent"):
        services.feedback_record(
            actor=world.alice, episode_id=episode.pk, given_by="child", helpfulness=5, quote="Great"
        )
    services.feedback_record(
        actor=world.alice,
        episode_id=episode.pk,
        given_by="child",
        helpfulness=5,
        consent_to_quote=True,
        quote="Someone finally listened to me",
    )
    services.feedback_record(
        actor=world.alice,
        episode_id=episode.pk,
        given_by="parent",
        helpfulness=4,
        what_helped="Not to be quoted",
    )
    assert ClosureFeedback.objects.count() == 2
    assert client_for("alice").get(reverse("casework:feedback_summary", args=["test-power"])).status_code == 403
    for who in ("manager", "analyst"):
        page = client_for(who).get(reverse("casework:feedback_summary", args=["test-power"])).content.decode()
        assert "Someone finally listened to me" in page and "Not to be quoted" not in page
        assert "Ashdown" not in page and "Fewer than 5 responses" in page


def test_families_feedback_is_listed_by_programme_with_small_numbers_withheld(world, client_for):
    episode = open_for_amy(world)
    services.feedback_record(actor=world.alice, episode_id=episode.pk, given_by="parent", helpfulness=3)
    page = client_for("analyst").get(reverse("casework:feedback_index")).content.decode()
    assert "POWER" in page and "Fewer than 5" in page
    assert client_for("alice").get(reverse("casework:feedback_index")).status_code == 403


def test_the_close_page_says_the_exit_questionnaire_is_due(world, client_for):
    episode = open_for_amy(world, programme=power(measures=["SDQ"]))
    page = client_for("alice").get(reverse("casework:close", args=[episode.pk])).content.decode()
    assert "SDQ is due at the end" in page
    caseload = client_for("alice").get(reverse("casework:caseload")).content.decode()
    assert "SDQ at the start" in caseload
