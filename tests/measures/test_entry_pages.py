"""The questionnaire pages, tried the way a practitioner, a young person on their device, or an attacker would."""

from __future__ import annotations

import datetime

import pytest

from continuum.audit.models import AuditEvent
from continuum.measures.models import Measure, Questionnaire
from tests.measures import world as w
from tests.queries import assert_database_query_count

TODAY = datetime.date.today()
ANSWERS = {f"sdq{n}": str(n % 3) for n in range(1, 26)} | {"difficulties": "2", "impact_distress": "3"}


@pytest.fixture
def amy_session(world):
    episode = w.episode(world, world.amy, start=TODAY - datetime.timedelta(days=30))
    return w.session(world, episode, TODAY - datetime.timedelta(days=1))


def _enter(session, form="sdq-parent-4-17", *, respondent=False, timepoint="entry"):
    tail = "respondent/" if respondent else ""
    return f"/measures/sessions/{session.pk}/questionnaire/{form}/{tail}?timepoint={timepoint}"


def test_the_practitioner_chooses_a_questionnaire_then_enters_it_and_sees_the_scores(world, client_for, amy_session):
    client = client_for("alice", csrf=False)
    start = f"/measures/sessions/{amy_session.pk}/questionnaire/"
    page = client.get(start)
    assert page.status_code == 200 and "SDQ self-report, 11-17" in page.content.decode()
    chosen = client.post(start, {"form": "sdq-parent-4-17", "timepoint": "entry", "mode": "practitioner"})
    assert chosen.status_code == 302 and chosen["Location"] == _enter(amy_session)
    form = client.get(chosen["Location"]).content.decode()
    assert "Item 1" in form and "Item 25" in form and "Certainly true" in form and "Impact: leisure activities" in form
    saved = client.post(chosen["Location"], ANSWERS)
    q = Questionnaire.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/measures/questionnaires/{q.pk}/"
    result = client.get(saved["Location"]).content.decode()
    assert "Total difficulties" in result and "Close to average 0 to 13; Slightly raised 14 to 16" in result
    assert f">{q.scores['total']}<" in result or str(q.scores["total"]) in result
    assert q.completed_by_respondent is False and q.timepoint == "entry"


def test_a_teacher_form_asks_only_the_teachers_impact_questions(world, client_for, amy_session):
    body = client_for("alice").get(_enter(amy_session, "sdq-teacher-4-17")).content.decode()
    assert "Impact: classroom learning" in body and "Impact: home life" not in body


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({**ANSWERS, "sdq7": "3"}, "Item 7: choose one of the answers given"),
        ({**ANSWERS, "difficulties": "9"}, "choose one of the answers given"),
        ({"sdq1": "2"}, "Too few items are answered"),
        ({**ANSWERS, "sdq3": "<script>"}, "Item 3: choose one of the answers given"),
    ],
)
def test_bad_answers_show_the_error_summary_and_save_nothing(world, client_for, amy_session, answers, error):
    page = client_for("alice").post(_enter(amy_session), answers)
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body and error in body
    assert "<script>" not in body
    assert not Questionnaire.objects.exists()


def test_no_such_form_or_timepoint(world, client_for, amy_session):
    client = client_for("alice")
    assert client.get(_enter(amy_session, "sdq-self-4-17")).status_code == 404
    assert client.get(_enter(amy_session, "index-parent-nothing")).status_code == 404
    assert client.get(_enter(amy_session, timepoint="later")).status_code == 302


@pytest.mark.parametrize("username", ["bob", "dsl_south", "analyst", "nobody"])
def test_who_may_not_open_the_child_gets_the_same_404(world, client_for, amy_session, username):
    client = client_for(username)
    assert client.get(f"/measures/sessions/{amy_session.pk}/questionnaire/").status_code == 404
    assert client.post(_enter(amy_session), ANSWERS).status_code == 404
    assert not Questionnaire.objects.exists()


def test_a_school_that_may_open_the_child_but_leads_no_casework_is_refused(world, client_for, amy_session):
    assert client_for("dsl_north").get(_enter(amy_session)).status_code == 403


def test_the_respondent_sees_only_the_questions_and_hands_the_device_back(world, client_for, amy_session):
    client = client_for("alice")
    page = client.get(_enter(amy_session, respondent=True))
    body = page.content.decode()
    assert page.status_code == 200 and "Item 1" in body
    for leak in ("Ashdown", "Amy", "Alice", "My caseload", "Sign out", amy_session.episode.reference, "Session on"):
        assert leak not in body, leak
    saved = client.post(_enter(amy_session, respondent=True), ANSWERS)
    q = Questionnaire.objects.get()
    assert q.completed_by_respondent is True
    assert saved["Location"] == f"/measures/questionnaires/{q.pk}/handed-back/"
    thanks = client.get(saved["Location"]).content.decode()
    assert "give the device back" in thanks and "Total difficulties" not in thanks and "Ashdown" not in thanks
    for leak in ("Alice", "My caseload", str(q.scores["total"]) + "<"):
        assert leak not in thanks, leak
    audit = AuditEvent.objects.get(event="measures.questionnaire_record")
    assert "respondent" in audit.purpose


def test_a_respondent_error_shows_nothing_of_the_case_either(world, client_for, amy_session):
    body = client_for("alice").post(_enter(amy_session, respondent=True), {"sdq1": "7"}).content.decode()
    assert "There is a problem" in body and "Ashdown" not in body and "My caseload" not in body


def test_the_result_page_is_read_through_the_child_and_audited(world, client_for, amy_session):
    client_for("alice").post(_enter(amy_session), ANSWERS)
    q = Questionnaire.objects.get()
    assert client_for("bob").get(f"/measures/questionnaires/{q.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="refused", event="measures.questionnaire_view").count() == 1
    client = client_for("manager")
    client.get(f"/measures/questionnaires/{q.pk}/")
    with assert_database_query_count(12):
        assert client.get(f"/measures/questionnaires/{q.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", event="measures.questionnaire_view").count() == 2


def test_the_entry_page_runs_a_fixed_number_of_queries(world, client_for, amy_session):
    client = client_for("alice")
    client.get(_enter(amy_session))
    with assert_database_query_count(8):
        assert client.get(_enter(amy_session)).status_code == 200


def test_a_custom_index_is_entered_from_its_definition(world, client_for, amy_session):
    client = client_for("alice")
    url = _enter(amy_session, "index-parent-restorative-parenting-recovery-index")
    body = client.get(url).content.decode()
    assert "Looks after their own hygiene with little prompting" in body
    items = Measure.objects.get(slug="restorative-parenting-recovery-index").definition["items"]
    saved = client.post(url, {key: "2" for key in items})
    assert saved.status_code == 302
    result = client.get(saved["Location"]).content.decode()
    assert "Recovery index" in result and "recovering" in result


def test_a_device_handed_to_the_young_person_is_locked_to_the_questionnaire_until_the_practitioner_unlocks_it(
    world, client_for, amy_session
):
    alice = world.users["alice"]
    alice.set_password("pencil harbour ladder")
    alice.save()
    client = client_for("alice")
    form = _enter(amy_session, respondent=True)
    assert client.get(form).status_code == 200
    # The young person tries the service's other pages, and an address typed by hand: each asks for the password.
    for elsewhere in (
        "/",
        "/children/",
        f"/children/{world.amy.pk}/",
        f"/measures/sessions/{amy_session.pk}/questionnaire/",
    ):
        refused = client.get(elsewhere)
        assert refused.status_code == 302 and refused["Location"].startswith("/measures/unlock/?next="), elsewhere
    # Their own form still works; so does the thank-you page after it.
    sent = client.post(form, ANSWERS)
    assert sent.status_code == 302 and sent["Location"].endswith("/handed-back/")
    assert client.get(sent["Location"]).status_code == 200
    result = f"/measures/questionnaires/{Questionnaire.objects.get().pk}/"
    assert client.get(result)["Location"] == f"/measures/unlock/?next={result.replace('/', '%2F')}"
    # A wrong password or none keeps the device locked; an off-site "next" is never followed.
    for wrong in ("", "guess"):
        page = client.post("/measures/unlock/", {"password": wrong, "next": result})
        assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert client.get("/children/").status_code == 302
    back = client.post("/measures/unlock/", {"password": "pencil harbour ladder", "next": "https://evil.example/"})
    assert back.status_code == 302 and back["Location"] == "/"
    assert client.get(result).status_code == 200
    assert client.get("/children/").status_code == 200


def test_a_practitioner_who_may_open_the_child_but_does_not_work_on_the_episode_may_not_enter_a_questionnaire(
    world, client_for, amy_session
):
    from continuum.agencies.access import SystemActor
    from continuum.agencies.services import involvement_open

    # Bob's agency works with amy, so he may open her record; the episode is alice's and he is not in its team.
    involvement_open(
        actor=SystemActor("test"),
        person=world.amy,
        agency=world.agencies["csc"],
        kind="cin",
        start_date=TODAY - datetime.timedelta(days=5),
    )
    bob = client_for("bob")
    assert bob.get(f"/children/{world.amy.pk}/").status_code == 200
    assert bob.get(f"/measures/sessions/{amy_session.pk}/questionnaire/").status_code == 403
    assert bob.post(_enter(amy_session), ANSWERS).status_code == 403
    assert not Questionnaire.objects.exists()
