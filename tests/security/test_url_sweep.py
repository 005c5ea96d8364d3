"""Walk every URL the application has, as every role, by GET and by POST, and check nothing leaks.

A module that adds a route with a new URL parameter says here how to fill it (FILL); the sweep fails
on any parameter it cannot fill, so no page escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from continuum.audit.services import break_glass_open
from continuum.frontdoor.drafts import Named
from continuum.frontdoor.services.referrals import draft_start, draft_update, referral_create
from continuum.people.selectors import break_glass_candidates
from tests.conftest import ACCOUNTS
from tests.security.test_child_access import ALLOWED

ROLES = [*ACCOUNTS, "nobody", "anonymous"]
# Pages anyone may reach without signing in: they show no child's data.
PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "healthz",
    "accounts/password/set/<uidb64>/<token>/",
    "accounts/password/done/",
    "accessibility/",
    "privacy/",
}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _grant(world: Any) -> Any:
    """A real break-glass grant: alice's emergency access to cara, for reviewers to find."""
    born = world.cara.date_of_birth
    break_glass_candidates(viewer=world.alice, family_name="Dunmore", given_name="", date_of_birth=born)
    return break_glass_open(
        actor=world.alice, person_id=world.cara.pk, reason_code="immediate_risk", reason="Sweep: a real grant to find"
    ).pk


def _draft(world: Any) -> Any:
    """A real draft referral: dsl_north has described amy, so the tell-it-once page has her to offer."""
    draft = draft_start(actor=world.dsl_north)
    born = world.amy.date_of_birth.isoformat()
    child = {"given_name": "Amy", "family_name": "Ashdown", "known_as": "", "date_of_birth": born, "postcode": ""}
    return draft_update(actor=world.dsl_north, draft_id=draft.pk, answers={"child": child}).pk


def _referral(world: Any) -> Any:
    """A real referral: Northgate's DSL referred amy (a pupil there, so nobody new may open her record)."""
    return referral_create(
        actor=world.dsl_north,
        child=Named(person_id=world.amy.pk),
        reasons=["school_attendance"],
        story="Sweep: a real referral to find",
        consent="given",
    ).pk


def _sweep_transfer(world: Any) -> Any:
    """A referral for amy sent to early help's team (which already works with her) to join its episode."""
    from continuum.frontdoor.services.decisions import decision_record
    from tests.frontdoor.screening_world import referral, team

    decision = decision_record(
        actor=world.frontdoor,
        referral_id=referral(world, world.amy, by="dsl_north").pk,
        level=3,
        rationale="Sweep: joins early help's open work",
        route="existing_episode",
        team_id=team(world, "eh").pk,
        outcome_for_referrer="Early help will pick this up",
    )
    return decision.transfers.get().pk


def _episode(world: Any) -> Any:
    """A real episode of support for amy, led by alice, with an assessment, a plan and a goal (another fill may have
    made the episode already: amy has at most one open)."""
    from continuum.casework.models import Episode, Plan
    from tests.casework.helpers import assess, open_for_amy, plan_with_goal

    episode = Episode.objects.filter(person=world.amy).first() or open_for_amy(world)
    if not episode.assessments.exists():
        assess(world, episode)
    if not Plan.objects.filter(episode=episode).exists():
        plan_with_goal(world, episode)
    return episode.pk


def _assessment(world: Any) -> Any:
    from continuum.casework.models import Assessment

    _episode(world)
    return Assessment.objects.filter(episode__person=world.amy).first().pk


def _goal(world: Any) -> Any:
    from continuum.casework.models import Goal

    _episode(world)
    return Goal.objects.filter(plan__episode__person=world.amy).first().pk


def _cohort(world: Any) -> Any:
    """A real course, alice facilitating, amy on it when her episode is for the course's programme."""
    from continuum.casework.models import Episode
    from continuum.casework.services import cohort_create, cohort_member_add
    from tests.casework.helpers import days_ago, power

    episode = Episode.objects.get(pk=_episode(world))
    programme = episode.programme or power()
    cohort = cohort_create(
        actor=world.alice,
        programme_id=programme.pk,
        name="Sweep course",
        venue="Northgate Academy",
        start_date=days_ago(10),
        planned_sessions=6,
    )
    if episode.programme_id == programme.pk:
        cohort_member_add(actor=world.alice, cohort_id=cohort.pk, episode_id=episode.pk, joined_on=days_ago(10))
    return cohort.pk


def _sweep_session(world: Any) -> Any:
    """A session in amy's episode of support, led by alice."""
    from continuum.casework.models import Episode, Session
    from tests.measures import world as casework

    episode = Episode.objects.get(pk=_episode(world))
    held = Session.objects.filter(episode=episode).first()
    return held.pk if held else casework.session(world, episode, episode.start_date).pk


def _sweep_questionnaire(world: Any) -> Any:
    """A parent SDQ alice entered on amy's session."""
    from continuum.casework.models import Session
    from continuum.measures.services import questionnaire_record

    session = Session.objects.filter(episode__person=world.amy).first()
    session_id = session.pk if session else _sweep_session(world)
    return questionnaire_record(
        actor=world.alice,
        session_id=session_id,
        measure="sdq",
        informant="parent",
        version="4-17",
        timepoint="entry",
        responses={f"sdq{n}": n % 3 for n in range(1, 26)},
    ).pk


def _linkage(world: Any) -> Any:
    """Record linkage's review, built once: amy's own record and an A&E record that is probably her, in review."""
    from tests.linkage import review_world

    if "linkage" not in vars(world):
        world.linkage = review_world.build(world)
    return world.linkage


def _identity_change(world: Any) -> Any:
    """A real merge: a police record's identity merged into amy's, for the history and its undo page."""
    from continuum.linkage.services import merge_identities

    linkage = _linkage(world)
    return merge_identities(
        actor=world.frontdoor,
        keep=linkage.amy_identity.pk,
        merge=linkage.police_record.identity_id,
        reason="Sweep: a real merge to find",
    ).pk


def _concern(world: Any) -> Any:
    """A real cause for concern: Northgate's DSL worries about amy and calls for triangulation."""
    from continuum.signals.services.concerns import concern_raise

    return concern_raise(
        actor=world.dsl_north,
        person_id=world.amy.pk,
        category="neglect",
        note="Sweep: a real concern to find",
        triangulation=True,
    ).pk


def _alert(world: Any) -> Any:
    """An attendance alert about amy for alice, her allocated worker (the nightly protocol raises them)."""
    import datetime

    from django.utils import timezone

    from continuum.signals.models import AttendanceAlert

    today = timezone.localdate()
    return AttendanceAlert.objects.create(
        key=f"{world.amy.pk}|consecutive|{today.isoformat()}",
        person=world.amy,
        recipient=world.alice.practitioner,
        rule="consecutive",
        school_urn="100001",
        first_absence=today - datetime.timedelta(days=1),
        last_absence=today,
        evidence={"rule": "consecutive", "codes": ["N", "O"], "sessions_needed": 3, "sessions": 3, "absences": []},
        raised_at=timezone.now(),
    ).pk


# URL parameter -> how to fill it with a real object of the test world.
FILL: dict[str, Callable[[Any], Any]] = {
    "person_id": lambda world: world.amy.pk,
    "grant_id": _grant,
    "uidb64": lambda world: urlsafe_base64_encode(force_bytes(world.alice.pk)),
    "token": lambda world: "set-password",  # not a valid token: the page says the link has expired
    "slug": lambda world: "power",  # a programme the migrations put in every database
    "draft_id": _draft,
    "step": lambda world: "child-matches",  # tell it once: the page that shows existing records
    "referral_id": _referral,
    "transfer_id": _sweep_transfer,
    "session_id": _sweep_session,
    "form": lambda world: "sdq-parent-4-17",  # a questionnaire form: the SDQ's parent 4-17 version
    "questionnaire_id": _sweep_questionnaire,
    "episode_id": _episode,
    "assessment_id": _assessment,
    "goal_id": _goal,
    "cohort_id": _cohort,
    "pair_id": lambda world: _linkage(world).amy_pair.pk,
    "change_id": _identity_change,
    "indicator": lambda world: "persistent_absence",  # an indicator in the packaged definitions
    "concern_id": _concern,
    "alert_id": _alert,
}


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # the Django admin holds no child's data and checks is_staff itself
            found.extend(_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


@pytest.fixture
def concrete(world) -> Callable[[str], str]:
    values: dict[str, Any] = {}

    def fill(route: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match["name"]
            if name not in FILL:
                pytest.fail(f"the sweep cannot fill <{name}> in {route!r}: add it to FILL in {__file__}")
            if name not in values:
                values[name] = FILL[name](world)
            return str(values[name])

        return "/" + PARAMETER.sub(value, route)

    return fill


def test_the_sweep_covers_every_page_with_a_child_in_it(world):
    routes = _patterns(get_resolver())
    assert "children/<uuid:person_id>/" in routes and "children/<uuid:person_id>/export.json" in routes
    assert len(routes) >= 12


def test_the_sweep_can_fill_every_parameter_of_every_route(world, concrete):
    for route in _patterns(get_resolver()):
        assert "<" not in concrete(route), route


def _client(world, username: str) -> Client:
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", ROLES)
def test_every_url_as_every_role(world, username, concrete):
    client = _client(world, username)
    may_see_amy = "amy" in ALLOWED.get(username, set())
    for route in _patterns(get_resolver()):
        url = concrete(route)
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404, 405}, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not may_see_amy:
            assert b"Ashdown" not in body, url
            assert world.amy.nhs_number.encode() not in body, url
        if username in ("anonymous",) and route not in PUBLIC:
            assert response.status_code in {302, 404, 405}, url


@pytest.mark.parametrize("username", ROLES)
def test_every_url_takes_a_post_as_every_role_without_error_or_leak(world, username, concrete):
    """An empty POST, and one naming amy, to every URL: refused, redirected or a form error; never a 500 or a leak.

    Each POST gets a fresh session, since one of them (sign out) ends it.
    """
    may_see_amy = "amy" in ALLOWED.get(username, set())
    for route in _patterns(get_resolver()):
        url = concrete(route)
        for data in ({}, {"person_id": str(world.amy.pk), "name": "Ashdown", "family_name": "Ashdown"}):
            response = _client(world, username).post(url, data)
            assert response.status_code in {200, 302, 400, 403, 404, 405}, (url, data, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if not may_see_amy:
                assert world.amy.nhs_number.encode() not in body, url
                assert b"Amy Ashdown" not in body, url
            if username == "anonymous" and route not in PUBLIC:
                assert response.status_code in {302, 404, 405}, (url, response.status_code)
