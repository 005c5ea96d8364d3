"""The front door's queue and its decisions, through HTTP as the front door and the teams would use them."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.frontdoor.models import Decision, Referral, Transfer
from continuum.programmes.eligibility import when
from continuum.workingdays import working_days_between
from tests.frontdoor import screening_world as sw

TODAY = datetime.date.today()


def _decide(client, referral, **answers):
    data = {
        "level": "2",
        "rationale": "Known to police, no statutory involvement; early help fits",
        "route": "advice",
        "outcome_for_referrer": "We will offer the family advice and a local group.",
        **answers,
    }
    return client.post(reverse("frontdoor:decide", args=[referral.pk]), data)


def _errors(response) -> str:
    return response.content.decode()


# The queue.


def test_the_queue_lists_new_referrals_oldest_first_with_their_wait_and_flags(world, client_for):
    now = timezone.now()
    old = sw.referral(world, world.cara, received_at=now - datetime.timedelta(days=10))
    new = sw.referral(world, world.amy, received_at=now - datetime.timedelta(minutes=5))
    dup = sw.referral(world, world.cara, received_at=now - datetime.timedelta(days=2), duplicate_of=old)
    closed = sw.referral(world, world.dan, received_at=now - datetime.timedelta(days=20))
    closed.status = Referral.Status.CLOSED
    closed.save()

    body = client_for("frontdoor").get(reverse("frontdoor:queue")).content.decode()

    assert body.index(old.reference) < body.index(dup.reference) < body.index(new.reference)
    assert closed.reference not in body
    assert f"Possible duplicate of {old.reference}" in body
    assert body.count("Overdue") == 2  # ten days and two days old; five minutes is not
    assert "Less than a working day" in body
    assert f"{working_days_between(timezone.localtime(old.received_at).date(), TODAY)} working days" in body
    assert "within 1 working day" in body


def test_the_queue_reading_is_audited_with_the_referrals_shown(world, client_for):
    r = sw.referral(world, world.cara)
    client_for("frontdoor").get(reverse("frontdoor:queue"))
    event = AuditEvent.objects.get(event="frontdoor.queue_view")
    assert event.action == "view" and event.detail["shown"] == [str(r.pk)]


@override_settings(DECISION_TARGET_WORKING_DAYS=30)
def test_the_decision_target_comes_from_the_setting(world, client_for):
    sw.referral(world, world.cara, received_at=timezone.now() - datetime.timedelta(days=10))
    body = client_for("frontdoor").get(reverse("frontdoor:queue")).content.decode()
    assert "within 30 working days" in body
    assert "Overdue" not in body


def test_the_queue_pages_twenty_five_at_a_time(world, client_for):
    start = timezone.now() - datetime.timedelta(days=60)
    made = [sw.referral(world, world.cara, received_at=start + datetime.timedelta(hours=i)) for i in range(27)]
    client = client_for("frontdoor")
    first = client.get(reverse("frontdoor:queue")).content.decode()
    second = client.get(reverse("frontdoor:queue") + "?page=2").content.decode()
    assert made[0].reference in first and made[24].reference in first and made[25].reference not in first
    assert made[25].reference in second and made[26].reference in second and made[0].reference not in second
    assert "27 referrals are waiting" in first


@pytest.mark.parametrize("username", ["dsl_north", "alice", "manager", "police", "analyst", "admin", "nobody"])
def test_only_the_front_door_reaches_the_queue_and_the_decision_page(world, client_for, username):
    r = sw.referral(world, world.amy)
    client = client_for(username)
    assert client.get(reverse("frontdoor:queue")).status_code == 403
    assert client.get(reverse("frontdoor:decide", args=[r.pk])).status_code == 403
    assert _decide(client, r).status_code == 403
    assert not Decision.objects.exists()


def test_the_queue_shows_what_each_team_has_yet_to_answer(world, client_for):
    sw.power()
    r = sw.referral(world, sw.child_known_to_police(world, age=9))
    client = client_for("frontdoor")
    _decide(client, r, route="programme", programme=str(_power().pk), programme_team=str(sw.team(world, "eh").pk))
    body = client.get(reverse("frontdoor:queue")).content.decode()
    assert "Waiting for a team&#39;s answer" in body or "Waiting for a team's answer" in body
    assert "Test Early Help team" in body


# Screening.


def _power():
    from continuum.programmes.models import Programme

    return Programme.objects.get(slug="test-power")


def test_the_decide_page_shows_the_referral_involvements_and_previous_decisions(world, client_for):
    client = client_for("frontdoor")
    earlier = sw.referral(world, world.amy, received_at=timezone.now() - datetime.timedelta(days=200))
    _decide(client, earlier, level="2", route="advice")
    r = sw.referral(world, world.amy, story="Missing from home twice this month.")
    body = client.get(reverse("frontdoor:decide", args=[r.pk])).content.decode()
    assert "Missing from home twice this month." in body
    assert "To stay at this school" in body and "Help at home in the evenings" in body
    assert "Amy Ashdown" in body
    assert earlier.reference in body and "Level 2: early help, additional needs; advice and signposting" in body
    assert "Early help" in body and "Alice Tester" in body  # the open involvement and who is allocated
    assert "Test CAMHS" in body  # health detail is withheld from the front door, but not that CAMHS is involved
    assert AuditEvent.objects.filter(event="frontdoor.referral_view", object_id=str(r.pk), action="view").count() == 1


def test_eligibility_is_shown_with_each_rule_and_its_reason(world, client_for):
    sw.power()
    client = client_for("frontdoor")
    eight = sw.child_known_to_police(world, age=8, given_name="Kit")
    fourteen = sw.child_known_to_police(world, age=14, given_name="Lou")

    body = client.get(reverse("frontdoor:decide", args=[sw.referral(world, eight).pk])).content.decode()
    eligible = body[body.index("Eligible (") : body.index("Not eligible (")]
    assert "POWER" in eligible
    assert f"aged 8 on {when(TODAY)}; POWER takes ages 8–13" in body
    assert f"open on {when(TODAY)}: known to police" in body

    body = client.get(reverse("frontdoor:decide", args=[sw.referral(world, fourteen).pk])).content.decode()
    not_eligible = body[body.index("Not eligible (") :]
    assert "POWER" in not_eligible
    assert f"aged 14 on {when(TODAY)}; POWER takes ages 8–13" in not_eligible
    assert "Not met" in not_eligible


def test_checking_eligibility_at_a_level_saves_nothing_and_keeps_the_answers(world, client_for):
    sw.power(rules=[{"kind": "level", "min": 2, "max": 3}])
    r = sw.referral(world, world.cara)
    client = client_for("frontdoor")
    body = client.post(
        reverse("frontdoor:decide", args=[r.pk]), {"action": "check", "level": "3", "rationale": "Kept words"}
    ).content.decode()
    assert "level of need 3; POWER takes levels 2–3" in body
    assert "Kept words" in body
    assert "There is a problem" not in body
    assert not Decision.objects.exists()


# Deciding: contradictions refused, nothing saved.


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"level": "4", "route": "advice"}, "A level 4 (specialist) need cannot be routed to advice and signposting"),
        ({"level": "4", "route": "no_further_action"}, "cannot be routed to no further action"),
        ({"level": "4", "route": "programme"}, "cannot be routed to an early-help programme"),
        ({"level": "2", "route": "programme"}, "Choose the programme for the programme route"),
        ({"level": "2", "route": "step_up"}, "A step up to children&#39;s social care is for a level 4"),
        ({"level": "4", "route": "step_up"}, "Choose the children&#39;s social care team for the step up"),
        ({"level": "2", "route": "existing_episode"}, "Choose the team whose episode of support this joins"),
        ({"rationale": "  "}, "Give the rationale for the level of need and the route"),
        ({"level": ""}, "Select the level of need"),
        ({"level": "7"}, "Select the level of need"),
        ({"route": "somewhere"}, "Select the route"),
        ({"outcome_for_referrer": ""}, "Write what the referrer will be told"),
    ],
)
def test_contradictions_are_refused_with_a_message_and_nothing_saved(world, client_for, answers, message):
    r = sw.referral(world, world.cara)
    response = _decide(client_for("frontdoor"), r, **answers)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    r.refresh_from_db()
    assert r.status == Referral.Status.NEW and r.closed_at is None
    assert not Decision.objects.exists() and not Transfer.objects.exists()
    assert not AuditEvent.objects.filter(event="frontdoor.referral_decide").exists()


def test_every_problem_is_shown_at_once(world, client_for):
    r = sw.referral(world, world.cara)
    body = _decide(
        client_for("frontdoor"), r, level="4", route="advice", rationale="", outcome_for_referrer=""
    ).content.decode()
    summary = body[body.index("There is a problem") : body.index("Screen and decide</h1>")]
    messages = [
        "Give the rationale for the level of need and the route",
        "A level 4 (specialist) need cannot be routed to advice and signposting",
        "Write what the referrer will be told",
    ]
    assert [summary.index(m) for m in messages] == sorted(summary.index(m) for m in messages)  # in page order
    assert not Decision.objects.exists()


def test_answers_for_another_route_are_set_aside(world, client_for):
    sw.power()
    r = sw.referral(world, world.cara)
    eh = str(sw.team(world, "eh").pk)
    _decide(client_for("frontdoor"), r, route="advice", programme=str(_power().pk), programme_team=eh, step_up_team=eh)
    d = Decision.objects.get()
    assert (d.route, d.programme, d.team) == ("advice", None, None)
    assert not Transfer.objects.exists()


def test_forged_choices_are_refused_with_a_message(world, client_for):
    sw.power()
    r = sw.referral(world, sw.child_known_to_police(world, age=9))
    client = client_for("frontdoor")
    for answers in (
        {"route": "programme", "programme": "not-a-programme", "programme_team": str(sw.team(world, "eh").pk)},
        {"route": "programme", "programme": str(_power().pk), "programme_team": "00000000-0000-0000-0000-000000000000"},
        {"level": "4", "route": "step_up", "step_up_team": "'; DROP TABLE frontdoor_decision; --"},
    ):
        response = _decide(client, r, **answers)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_programme_route_without_a_team_is_refused(world, client_for):
    sw.power()
    r = sw.referral(world, sw.child_known_to_police(world, age=9))
    body = _decide(client_for("frontdoor"), r, route="programme", programme=str(_power().pk)).content.decode()
    assert "Choose the team that will run the programme for the child" in body
    assert not Decision.objects.exists()


def test_a_step_up_to_a_team_outside_social_care_is_refused(world, client_for):
    r = sw.referral(world, world.cara)
    body = _decide(
        client_for("frontdoor"), r, level="4", route="step_up", step_up_team=str(sw.team(world, "eh").pk)
    ).content.decode()
    assert "Choose a team from the list" in body  # the form offers only social care teams
    assert not Decision.objects.exists()


def test_a_programme_the_child_is_not_eligible_for_needs_a_reason_for_the_exception(world, client_for):
    sw.power()
    fourteen = sw.child_known_to_police(world, age=14)
    r = sw.referral(world, fourteen)
    client = client_for("frontdoor")
    answers = {"route": "programme", "programme": str(_power().pk), "programme_team": str(sw.team(world, "eh").pk)}
    body = _decide(client, r, **answers).content.decode()
    assert "The child is not eligible for POWER (aged 14 on" in body
    assert "give the reason for making an exception" in body
    assert not Decision.objects.exists()

    _decide(client, r, override_reason="Brother is in POWER; the worker knows the family", **answers)
    decision = Decision.objects.get()
    assert decision.programme == _power()
    assert decision.eligibility["override_reason"] == "Brother is in POWER; the worker knows the family"
    assert decision.eligibility["programmes"][0]["eligible"] is False


def test_an_existing_episode_must_be_one_the_team_holds(world, client_for):
    client = client_for("frontdoor")
    r = sw.referral(world, world.amy)
    csc = sw.team(world, "csc")  # holds nothing for amy
    body = _decide(client, r, level="3", route="existing_episode", episode_team=str(csc.pk)).content.decode()
    assert "Choose a team from the list" in body
    assert not Decision.objects.exists()
    _decide(client, r, level="3", route="existing_episode", episode_team=str(sw.team(world, "eh").pk))
    transfer = Transfer.objects.get()
    assert transfer.team == sw.team(world, "eh") and transfer.status == "pending"


# Deciding: what is recorded.


def test_advice_closes_the_referral_and_records_the_first_decision(world, client_for):
    r = sw.referral(world, world.cara)
    response = _decide(client_for("frontdoor"), r)
    assert response.status_code == 302 and response["Location"] == reverse("frontdoor:queue")
    r.refresh_from_db()
    assert r.status == Referral.Status.CLOSED and r.closed_at is not None
    d = Decision.objects.get()
    assert (d.level, d.route, d.change, d.previous_level) == (2, "advice", "first", None)
    assert d.outcome_for_referrer == "We will offer the family advice and a local group."
    assert d.decided_by == world.frontdoor
    events = list(AuditEvent.objects.filter(object_id=str(r.pk)).values_list("event", flat=True))
    assert "frontdoor.referral_decide" in events and "frontdoor.referral_close" in events
    assert not Transfer.objects.exists()


def test_stepping_up_and_down_are_recorded_as_such(world, client_for):
    client = client_for("frontdoor")
    levels = [
        ("2", "advice", "first"),
        ("4", "step_up", "step_up"),
        ("4", "step_up", "same"),
        ("1", "no_further_action", "step_down"),
    ]
    csc = str(sw.team(world, "csc").pk)
    for n, (level, route, change) in enumerate(levels):
        r = sw.referral(world, world.dan, received_at=timezone.now() - datetime.timedelta(days=100 - n))
        extra = {"step_up_team": csc} if route == "step_up" else {}
        assert _decide(client, r, level=level, route=route, **extra).status_code == 302
        d = Decision.objects.get(referral=r)
        assert d.change == change, (level, route)
    changes = list(Decision.objects.order_by("decided_at").values_list("previous_level", "level", "change"))
    assert changes == [(None, 2, "first"), (2, 4, "step_up"), (4, 4, "same"), (4, 1, "step_down")]


def test_a_programme_route_stores_the_eligibility_shown_and_sends_a_transfer(world, client_for):
    sw.power()
    nine = sw.child_known_to_police(world, age=9)
    r = sw.referral(world, nine)
    eh = sw.team(world, "eh")
    response = _decide(
        client_for("frontdoor"), r, route="programme", programme=str(_power().pk), programme_team=str(eh.pk)
    )
    assert response.status_code == 302
    d = Decision.objects.get()
    assert d.programme == _power() and d.team == eh
    shown = d.eligibility["programmes"]
    assert shown == [
        {
            "slug": "test-power",
            "name": "POWER",
            "rules_version": 1,
            "eligible": True,
            "rules": [
                {"rule": "age", "passed": True, "reason": f"aged 9 on {when(TODAY)}; POWER takes ages 8–13"},
                {"rule": "known to police", "passed": True, "reason": f"open on {when(TODAY)}: known to police"},
                {
                    "rule": "not open to youth justice, CAMHS or social care",
                    "passed": True,
                    "reason": "not open to youth justice, CAMHS, child in need (s17), child protection plan "
                    f"or looked after on {when(TODAY)}",
                },
            ],
        }
    ]
    assert d.eligibility["level_of_need"] == 2 and d.eligibility["as_of"] == TODAY.isoformat()
    r.refresh_from_db()
    assert r.status == Referral.Status.TRANSFERRED and r.closed_at is None
    t = Transfer.objects.get()
    assert (t.team, t.status, t.decision) == (eh, "pending", d)


def test_a_referral_already_decided_cannot_be_decided_again(world, client_for):
    r = sw.referral(world, world.cara)
    client = client_for("frontdoor")
    _decide(client, r)
    response = _decide(client, r, level="3")
    assert "This referral is not waiting for a decision" in response.content.decode()
    assert Decision.objects.count() == 1


def test_a_guessed_referral_is_refused_like_a_missing_one(world, client_for):
    import uuid

    response = client_for("frontdoor").get(reverse("frontdoor:decide", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="refused", event="frontdoor.referral_view").exists()


# Working days and the target's setting.


def test_working_days_leave_out_weekends_and_englands_bank_holidays():
    assert working_days_between(datetime.date(2026, 11, 27), datetime.date(2026, 11, 29)) == 0  # Friday to Sunday
    assert working_days_between(datetime.date(2026, 11, 27), datetime.date(2026, 11, 30)) == 1  # to Monday
    # Christmas Day is a Friday and Boxing Day's holiday moves to Monday 28 December.
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)) == 1
    assert working_days_between(datetime.date(2026, 12, 29), datetime.date(2026, 12, 24)) == 0


@pytest.mark.parametrize(("value", "message"), [("0", "must be 1 or more, not 0"), ("soon", "must be a whole number")])
def test_a_bad_decision_target_stops_the_service_with_one_line(tmp_path, value, message):
    from tests.test_cli import continuum, one_line

    var = tmp_path / "var"
    (var / "vendor").mkdir(parents=True)
    result = continuum(
        "check",
        cwd=tmp_path,
        CONTINUUM_VAR_DIR=str(var),
        CONTINUUM_SECRET_KEY="test-only-secret-key-for-the-decision-target-check",
        CONTINUUM_DECISION_TARGET_WORKING_DAYS=value,
    )
    assert result.returncode == 2
    assert "CONTINUUM_DECISION_TARGET_WORKING_DAYS" in one_line(result) and message in one_line(result)
