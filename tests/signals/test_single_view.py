"""The single multi-agency view of a child: who may open it, what each agency's worker sees of the others'
information, the timeline's filters, the linkage behind each feed event, and its audit."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.signals.selectors.single_view import UnknownFilter, confidence, single_view, summarise
from tests.conftest import ACCOUNTS
from tests.signals import single_view_world
from tests.signals.single_view_world import (
    AE_DAY,
    AE_WORDS,
    BEN_INCIDENT_DAY,
    INCIDENT_DAY,
    INCIDENT_WORDS,
    SUSPENSION_WORDS,
)


@pytest.fixture
def picture(world, tmp_path):
    return single_view_world.build(world, tmp_path)


def url(person) -> str:
    return reverse("signals:single_view", args=[person.pk])


def page(client, person, **query) -> str:
    response = client.get(url(person), query)
    assert response.status_code == 200
    return response.content.decode()


def timeline(html: str) -> str:
    """The timeline's items (the record's sections follow it)."""
    if 'data-testid="timeline"' not in html:
        return ""
    return html.split('data-testid="timeline"', 1)[1].split('<h2 class="govuk-heading-m">Agencies involved', 1)[0]


# --- Who may open it -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", [*ACCOUNTS, "nobody"])
@pytest.mark.parametrize("child", ["amy", "ben", "cara", "dan"])
def test_every_role_opens_the_view_exactly_when_it_may_open_the_record(world, picture, client_for, username, child):
    client = client_for(username)
    person = getattr(world, child)
    record = client.get(reverse("people:record", args=[person.pk])).status_code
    before = AuditEvent.objects.filter(event="signals.single_view").count()
    response = client.get(url(person))
    assert response.status_code == record
    audited = AuditEvent.objects.filter(event="signals.single_view").order_by("-id")
    assert audited.count() == before + 1  # opened or refused, it is in the trail
    row = audited.first()
    assert str(row.person_id) == str(person.pk)
    assert row.action == ("view" if response.status_code == 200 else "refused")


def test_a_refusal_reads_exactly_as_a_record_that_does_not_exist(world, picture, client_for):
    client = client_for("dsl_south")
    refused = client.get(url(world.amy))
    missing = client.get("/multi-agency/children/00000000-0000-0000-0000-000000000000/")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert b"Amy" not in refused.content and b"Ashdown" not in refused.content


def test_signed_out_visitors_are_sent_to_sign_in(world, picture, client):
    response = client.get(url(world.amy))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_title_names_the_page_never_the_child(world, picture, client_for):
    html = page(client_for("frontdoor"), world.amy)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Multi-agency view")
    assert "Amy" not in title and "Ashdown" not in title
    assert 'aria-current="page">Multi-agency view</a>' in html  # the record's tabs, this one current


# --- Information-sharing rules ---------------------------------------------------------------------------------------


def test_a_school_sees_that_police_are_involved_and_whom_to_call_but_not_what_happened(world, picture, client_for):
    html = page(client_for("dsl_north"), world.amy)
    withheld = html.split('data-testid="withheld"', 1)[1].split("</ul>", 1)[0]
    assert "Test Police is involved" in withheld
    assert "mash-police@example.org" in withheld and "0100 000 0001" in withheld
    for words in (INCIDENT_WORDS, "Operation Encompass", "Police incident", INCIDENT_DAY, "2026-05-17"):
        assert words not in html
    # Nor the health trust's attendance, nor how many of anything were withheld.
    assert "Test Health Trust is involved" in withheld
    for words in (AE_WORDS, AE_DAY, "2026-04-09", "self-harm"):
        assert words not in html
    # The school's own information (education) it does see, with where it came from.
    assert SUSPENSION_WORDS in timeline(html)
    assert "by Northgate Academy" in html
    assert "Suspensions and permanent exclusions feed" in html


def test_the_front_door_reads_the_police_incident_with_its_source_and_linkage(world, picture, client_for):
    html = timeline(page(client_for("frontdoor"), world.amy))
    assert INCIDENT_WORDS in html and INCIDENT_DAY in html and "by Test Police" in html
    assert "Police incidents feed. Linked to this child: 88.0% match probability, linked by a reviewer" in html
    assert "99.9% match probability, linked automatically" in html  # 0.99999 never reads as 100%
    assert BEN_INCIDENT_DAY not in html  # ben's record is linked to ben, not to amy


def test_health_detail_is_shown_only_to_health(world, picture, client_for):
    # The health trust has no service open with amy: a CAMHS clinician (health) may open her record.
    html = timeline(page(client_for("camhs"), world.amy))
    assert AE_WORDS in html and "self-harm" in html and AE_DAY in html
    assert "97.3% match probability, linked automatically" in html
    for username in ("frontdoor", "alice", "police", "dsl_north", "chair"):
        shown = page(client_for(username), world.amy)
        assert AE_WORDS not in shown and AE_DAY not in shown, username
        assert "Test Health Trust is involved" in shown, username


def test_the_police_see_their_incident_and_the_school_suspension(world, picture, client_for):
    html = timeline(page(client_for("police"), world.amy))
    assert INCIDENT_WORDS in html and SUSPENSION_WORDS in html


def test_who_is_working_with_the_child_names_them_with_contact_details(world, picture, client_for):
    html = page(client_for("dsl_north"), world.amy)
    network = html.split("Who is working with the child now</h2>", 1)[1].split("</table>", 1)[0]
    assert "Alice Tester" in network and "alice@example.org" in network and "Early help" in network
    # CAMHS and the police: named with whom to contact, never what they do.
    assert "Test CAMHS" in network and "Test Police" in network and "Known to police" not in network
    assert "Not shared with you: ask them" in network


def test_the_record_sections_are_those_of_the_record(world, picture, client_for):
    html = page(client_for("alice"), world.amy)
    assert "Agencies involved</h2>" in html and "Family and relationships</h2>" in html
    assert "Megan Ashdown" in html  # her mother, from the relationships section


def test_only_those_who_raise_concerns_get_the_button(world, picture, client_for):
    concern = reverse("signals:concern_raise", args=[world.amy.pk])
    assert concern in page(client_for("dsl_north"), world.amy)
    # No role that may open amy lacks the flag in the shipped policy: the selector asks the access module.
    view = single_view(viewer=world.alice, person_id=world.amy.pk)
    assert view.may_raise_concern is True


# --- Filters ---------------------------------------------------------------------------------------------------------


def test_the_timeline_filters_by_agency(world, picture, client_for):
    html = timeline(page(client_for("frontdoor"), world.amy, agency="police"))
    assert INCIDENT_WORDS in html and "Known to police" in html
    assert SUSPENSION_WORDS not in html and "Early help" not in html


def test_the_timeline_filters_by_kind_of_event(world, picture, client_for):
    html = timeline(page(client_for("frontdoor"), world.amy, kind="suspension"))
    assert SUSPENSION_WORDS in html and INCIDENT_WORDS not in html and "Involvement began" not in html
    html = timeline(page(client_for("frontdoor"), world.amy, kind="involvement"))
    assert "Involvement began" in html and SUSPENSION_WORDS not in html


def test_a_school_is_not_offered_police_incidents_to_filter_on(world, picture, client_for):
    html = page(client_for("dsl_north"), world.amy, kind="police_incident")
    assert "Choose a kind of event from the list" in html
    assert 'value="police_incident"' not in html and 'value="suspension"' in html
    assert INCIDENT_DAY not in html and INCIDENT_WORDS not in html


@pytest.mark.parametrize(
    "query,message",
    [
        ({"agency": "mi5"}, "Choose an agency from the list"),
        ({"kind": "'; DROP TABLE signals_signalevent; --"}, "Choose a kind of event from the list"),
        ({"kind": "x" * 5000}, "Choose a kind of event from the list"),
        ({"agency": "<script>alert(1)</script>"}, "Choose an agency from the list"),
    ],
)
def test_a_bad_filter_is_named_in_the_error_summary(world, picture, client_for, query, message):
    response = client_for("frontdoor").get(url(world.amy), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Multi-agency view" in html
    assert "govuk-error-summary" in html and message in html
    assert "<script>alert(1)</script>" not in html
    assert SUSPENSION_WORDS in timeline(html)  # unfiltered


def test_the_selector_refuses_an_unknown_filter(world, picture):
    with pytest.raises(UnknownFilter):
        single_view(viewer=world.frontdoor, person_id=world.amy.pk, kind="gossip")


# --- Audit -----------------------------------------------------------------------------------------------------------


def test_the_view_is_audited_in_the_transaction_of_its_reads(world, picture):
    with CaptureQueriesContext(connection) as ran:
        single_view(viewer=world.dsl_north, person_id=world.amy.pk, kind="suspension")
    sql = [q["sql"] for q in ran.captured_queries]
    begin = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    events = next(i for i, s in enumerate(sql) if "signals_signalevent" in s)
    audit = next(i for i, s in enumerate(sql) if s.startswith("INSERT") and "audit_auditevent" in s)
    end = next(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT") and i > begin)
    assert begin < events < audit < end
    row = AuditEvent.objects.get(event="signals.single_view")
    assert (row.action, str(row.person_id), row.actor_username) == ("view", str(world.amy.pk), "dsl_north")
    assert row.purpose  # the basis of access, as the record gives it
    assert row.detail["kind"] == "suspension"


# --- Words -----------------------------------------------------------------------------------------------------------


def test_confidence_in_words():
    assert confidence(0.973, "auto") == "97.3% match probability, linked automatically"
    assert confidence(0.99999, "review") == "99.9% match probability, linked by a reviewer"
    assert confidence(None, "new") == "No match probability recorded; the first record of this person"


def test_summaries_use_the_codes_meanings():
    detail = {
        "values": {"category": "SUSP", "sessions": 2, "reason": "LD"},
        "meanings": {"category": "Suspension", "reason": "Persistent disruptive behaviour: low-level disruption"},
    }
    assert (
        summarise("suspension", detail)
        == "Suspension: 2 sessions; persistent disruptive behaviour: low-level disruption"
    )
    missing = {
        "values": {"missing_from": "HOME", "started_at": "2026-01-02T20:00", "risk": "HIGH"},
        "meanings": {"missing_from": "Missing from home", "risk": "High risk"},
    }
    assert summarise("missing_episode", missing) == "Missing from home; high risk; not yet returned"
    cin = {
        "values": {"ReferralSource": "1A", "ReferralNFA": "1"},
        "meanings": {"ReferralSource": "Individual: family member", "ReferralNFA": "Yes"},
    }
    assert summarise("cin_referral", cin) == "Referred by individual: family member; no further action"
    care = {"values": {"REVIEW_CODE": "PN1"}, "meanings": {"REVIEW_CODE": "Child attended and spoke for themselves"}}
    assert summarise("care_review", care) == "Child attended and spoke for themselves"


# --- The platform's own events and the network -----------------------------------------------------------------------


def test_episodes_their_team_and_open_referrals_are_in_the_network_and_the_timeline(world, picture, client_for):
    from continuum.casework import services as casework
    from tests.casework.helpers import open_for_amy
    from tests.frontdoor.figures_world import refer

    episode = open_for_amy(world)
    casework.team_member_add(
        actor=world.alice,
        episode_id=episode.pk,
        practitioner_id=world.dsl_north.practitioner.pk,
        role="School attendance support",
    )
    referral = refer(world.amy, world.southgate, timezone.now(), "neglect")
    html = page(client_for("dsl_north"), world.amy)
    network = html.split("Who is working with the child now</h2>", 1)[1].split("</table>", 1)[0]
    assert f"Lead practitioner: {episode.programme.name}" in network and "Alice Tester" in network
    assert "Team around the family: School attendance support" in network and "dsl_north@example.org" in network
    assert f"Referred the child ({referral.reference})" in network
    items = timeline(html)
    assert "Episode of support opened" in items and episode.reference in items
    assert "Referral received" in items and "by Southgate Primary" in items
