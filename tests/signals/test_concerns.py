"""Causes for concern and triangulation: raising, reviewing and closing through the services and HTTP; who sees
what (a school raises, police working with the same child see that it exists and whom to call, never the note;
the front door sees all); the triangulation emails; bad input; the home page's panel."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.signals.models import Concern, ConcernReview
from continuum.signals.services.concerns import (
    concern_close,
    concern_raise,
    concern_request_triangulation,
    concern_review,
)

NOTE = "Came in hungry three mornings running; says mum has been in bed for days. Spoke to her at pick-up."


def raise_for_amy(world, *, by: str = "dsl_north", triangulation: bool = False, **kwargs) -> Concern:
    return concern_raise(
        actor=world.users[by],
        person_id=world.amy.pk,
        category="neglect",
        note=NOTE,
        triangulation=triangulation,
        **kwargs,
    )


def body(response) -> str:
    return response.content.decode()


# Raising.


def test_a_school_raises_a_concern_through_the_form(world, client_for):
    url = reverse("signals:concern_raise", args=[world.amy.pk])
    page = client_for("dsl_north").get(url)
    assert page.status_code == 200
    assert "<title>Raise a cause for concern" in body(page) and "Signs of neglect" in body(page)
    response = client_for("dsl_north", csrf=False).post(url, {"category": "neglect", "note": NOTE})
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("signals:concern", args=[concern.pk])
    assert concern.person == world.amy and concern.agency == world.northgate
    assert concern.practitioner == world.dsl_north.practitioner and concern.raised_by == world.dsl_north
    assert concern.review_by == timezone.localdate() + datetime.timedelta(days=28)
    assert not concern.triangulation and concern.status == "open"
    row = AuditEvent.objects.get(event="signals.concern_raise", action="create")
    assert row.person_id == world.amy.pk and NOTE not in json.dumps(row.detail) and NOTE not in row.purpose


def test_raising_with_triangulation_tells_the_other_agencies_without_the_childs_details(
    world, django_capture_on_commit_callbacks
):
    police = world.agencies["police"]  # police work with amy with nobody named: their address is told
    police.contact_email = "mash@police.example.org"
    police.save()
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_for_amy(world, triangulation=True)
    assert concern.triangulation and concern.triangulation_requested_at == concern.raised_at
    # Early help's lead practitioner (alice) and police's address; not the raiser's own school, not CAMHS (no address)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "mash@police.example.org"]
    amy = world.amy
    forbidden = [
        amy.given_name,
        amy.family_name,
        amy.nhs_number,
        amy.date_of_birth.isoformat(),
        amy.date_of_birth.strftime("%-d %B %Y"),
        amy.date_of_birth.strftime("%d/%m/%Y"),
        "neglect",
        "hungry",
        "Northgate",
    ]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "triangulation discussion has been called for" in text
        assert reverse("signals:concern", args=[concern.pk]) in text
        for word in forbidden:
            assert word.lower() not in text.lower(), (word, text)
    audited = AuditEvent.objects.get(event="signals.concern_triangulation")
    assert audited.person_id == amy.pk and {t["agency"] for t in audited.detail["told"]} >= {"Test Police"}


def test_a_later_call_for_triangulation_keeps_its_note_for_those_who_read_the_detail(
    world, client_for, django_capture_on_commit_callbacks
):
    concern = raise_for_amy(world)
    url = reverse("signals:concern", args=[concern.pk])
    assert "Call for a triangulation discussion" in body(client_for("dsl_north").get(url))
    refused = client_for("dsl_north").post(url, {"note": ""})
    assert "Say what the triangulation discussion should consider" in body(refused)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("dsl_north").post(url, {"note": "Does early help see the same at home?"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.triangulation and concern.triangulation_requested_at is not None
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    page = body(client_for("frontdoor").get(url))
    assert "Triangulation called for," in page and "Does early help see the same at home?" in page
    assert "Does early help see the same at home?" not in body(client_for("alice").get(url))
    with pytest.raises(ValidationError) as again:
        concern_request_triangulation(actor=world.frontdoor, concern_id=concern.pk, note="Again")
    assert "already been called for" in str(again.value)


def test_the_raise_form_refuses_bad_input_with_messages_and_saves_nothing(world, client_for):
    url = reverse("signals:concern_raise", args=[world.amy.pk])
    client = client_for("dsl_north")
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "There is a problem" in body(empty)
    assert "Select what the concern is about" in body(empty) and "Describe your concern" in body(empty)
    assert "<title>Error: Raise a cause for concern" in body(empty)
    made_up = client.post(url, {"category": "witchcraft", "note": NOTE, "triangulation": "on"})
    assert "Select what the concern is about" in body(made_up)
    # What was typed and ticked is kept
    assert re.search(r'<input[^>]*name="triangulation"[^>]*value="on" checked', body(made_up))
    assert NOTE in body(made_up)
    too_long = client.post(url, {"category": "neglect", "note": "x" * 5001})
    assert "The note must be 5,000 characters or fewer" in body(too_long)
    blank = client.post(url, {"category": "neglect", "note": "   \n  "})
    assert "Describe your concern" in body(blank)
    assert not Concern.objects.exists()


def test_the_services_refuse_bad_input(world):
    with pytest.raises(ValidationError) as bad:
        concern_raise(actor=world.dsl_north, person_id=world.amy.pk, category="", note="", triangulation=False)
    assert bad.value.message_dict == {
        "category": ["Select what the concern is about"],
        "note": ["Describe your concern"],
    }
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as past:
        raise_for_amy(world, review_by=yesterday)
    assert past.value.message_dict == {"review_by": ["The review date must be today or in the future"]}
    concern = raise_for_amy(world)
    with pytest.raises(ValidationError) as review:
        concern_review(actor=world.dsl_north, concern_id=concern.pk, note="", next_review_by=yesterday)
    assert review.value.message_dict == {
        "note": ["Say what the review found"],
        "next_review_by": ["The date of the next review must be today or in the future"],
    }
    far = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as later:
        concern_review(actor=world.dsl_north, concern_id=concern.pk, note="Fine", next_review_by=far)
    assert "within a year" in str(later.value)
    with pytest.raises(ValidationError) as close:
        concern_close(actor=world.dsl_north, concern_id=concern.pk, outcome="sorted", note="")
    assert close.value.message_dict == {
        "outcome": ["Select the outcome"],
        "note": ["Say why the concern is being closed"],
    }
    assert not ConcernReview.objects.exists() and Concern.objects.get().status == "open"


def test_the_services_refuse_who_may_not_act(world):
    with pytest.raises(PermissionDenied):
        concern_raise(actor=world.analyst, person_id=world.amy.pk, category="neglect", note=NOTE, triangulation=False)
    with pytest.raises(Http404):  # may raise concerns, but may not open ben
        concern_raise(actor=world.dsl_north, person_id=world.ben.pk, category="neglect", note=NOTE, triangulation=False)
    concern = raise_for_amy(world)
    with pytest.raises(PermissionDenied):  # police may open amy, but the concern is the school's
        concern_review(actor=world.police, concern_id=concern.pk, note="Seen", next_review_by=timezone.localdate())
    with pytest.raises(Http404):  # ben's school may not open amy: the record's 404, audited
        concern_close(actor=world.dsl_south, concern_id=concern.pk, outcome="no_further_action", note="No")
    assert AuditEvent.objects.filter(action="refused", actor_username="dsl_south", person_id=world.amy.pk).exists()
    assert not ConcernReview.objects.exists() and Concern.objects.get().status == "open"


# Reviewing and closing.


def test_the_raisers_agency_reviews_and_the_front_door_closes_through_the_pages(world, client_for):
    concern = raise_for_amy(world)
    review_url = reverse("signals:concern_review", args=[concern.pk])
    close_url = reverse("signals:concern_close", args=[concern.pk])
    assert client_for("dsl_north").get(review_url).status_code == 200
    bad = client_for("dsl_north").post(
        review_url, {"note": "", "next_review_by-day": "31", "next_review_by-month": "2", "next_review_by-year": "2030"}
    )
    assert "Say what the review found" in body(bad) and "must be a real date" in body(bad)
    later = timezone.localdate() + datetime.timedelta(days=14)
    response = client_for("dsl_north").post(
        review_url,
        {
            "note": "Breakfast club place agreed; mum seen by her GP.",
            "next_review_by-day": str(later.day),
            "next_review_by-month": str(later.month),
            "next_review_by-year": str(later.year),
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.review_by == later and concern.reviews.get().next_review_by == later
    assert AuditEvent.objects.filter(event="signals.concern_review", person_id=world.amy.pk).count() == 1

    assert client_for("frontdoor").get(close_url).status_code == 200
    empty = client_for("frontdoor").post(close_url, {})
    assert "Select the outcome" in body(empty) and "Say why the concern is being closed" in body(empty)
    closed = client_for("frontdoor").post(close_url, {"outcome": "early_help_offered", "note": "Family accepted EH."})
    assert closed.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.outcome == "early_help_offered"
    assert concern.closed_by == world.frontdoor and concern.closed_at is not None
    page = body(client_for("dsl_north").get(reverse("signals:concern", args=[concern.pk])))
    assert "Early help offered" in page and "Family accepted EH." in page and "Closed on" in page
    # A closed concern is not reviewed or closed again
    assert client_for("dsl_north").get(review_url).status_code == 403
    with pytest.raises(ValidationError, match="closed"):
        concern_review(actor=world.frontdoor, concern_id=concern.pk, note="More", next_review_by=later)


# Who sees what.


def test_police_working_with_the_child_see_the_concern_and_whom_to_call_but_not_the_note(world, client_for):
    concern = raise_for_amy(world, triangulation=True)
    detail = client_for("police").get(reverse("signals:concern", args=[concern.pk]))
    assert detail.status_code == 200
    page = body(detail)
    assert "Dsl_North Tester" in page and "Northgate Academy" in page and "dsl_north@example.org" in page
    assert "Called for on" in page
    assert "hungry" not in page and "Signs of neglect" not in page
    assert "shared with the front door and the agency that raised it" in page
    assert "Review this concern" not in page and "Call for triangulation" not in page
    record = body(client_for("police").get(reverse("people:record", args=[world.amy.pk])))
    assert "Causes for concern" in record and "Dsl_North Tester" in record and "hungry" not in record
    exported = client_for("police").get(reverse("people:export", args=[world.amy.pk]))
    shown = json.loads(exported.content)["record"]["causes_for_concern"]
    assert [c["agency"] for c in shown] == ["Northgate Academy"] and shown[0]["email"] == "dsl_north@example.org"
    assert "note" not in shown[0] and "category" not in shown[0] and "hungry" not in exported.content.decode()
    assert shown[0]["triangulation_called_for"] is not None


def test_the_front_door_and_the_raisers_agency_read_the_category_and_note(world, client_for):
    concern = raise_for_amy(world)
    url = reverse("signals:concern", args=[concern.pk])
    for username in ("frontdoor", "dsl_north"):
        page = body(client_for(username).get(url))
        assert "hungry" in page and "Signs of neglect" in page and "Review this concern" in page, username
    exported = json.loads(client_for("frontdoor").get(reverse("people:export", args=[world.amy.pk])).content)
    assert exported["record"]["causes_for_concern"][0]["note"] == NOTE
    for username in ("alice", "manager", "chair", "camhs", "police"):
        page = body(client_for(username).get(url))
        assert "hungry" not in page and "Dsl_North Tester" in page, username


def test_the_front_door_lists_every_open_concern_and_filters_them(world, client_for):
    school = raise_for_amy(world)
    called = concern_raise(
        actor=world.bob, person_id=world.ben.pk, category="home_circumstances", note="Arguments", triangulation=True
    )
    due = raise_for_amy(world, by="alice", review_by=timezone.localdate())
    closed = raise_for_amy(world, by="police")
    concern_close(actor=world.frontdoor, concern_id=closed.pk, outcome="no_further_action", note="Not borne out")
    url = reverse("signals:concerns")
    page = body(client_for("frontdoor").get(url))
    for concern in (school, called, due):
        assert reverse("signals:concern", args=[concern.pk]) in page
    assert reverse("signals:concern", args=[closed.pk]) not in page
    assert "Open (3)" in page and "Triangulation called for (1)" in page and "Due for review (1)" in page
    assert "Benjamin Carter" in page and "Home circumstances" in page and "Arguments" not in page
    triangulation = body(client_for("frontdoor").get(url, {"show": "triangulation"}))
    assert reverse("signals:concern", args=[called.pk]) in triangulation
    assert reverse("signals:concern", args=[school.pk]) not in triangulation
    due_page = body(client_for("frontdoor").get(url, {"show": "due"}))
    assert reverse("signals:concern", args=[due.pk]) in due_page
    assert reverse("signals:concern", args=[school.pk]) not in due_page
    nonsense = client_for("frontdoor").get(url, {"show": "<script>", "page": "999"})
    assert nonsense.status_code == 200 and "<script>" not in body(nonsense)
    row = AuditEvent.objects.filter(event="signals.concern_list").last()
    assert row.actor_username == "frontdoor" and row.detail["show"] == "open"


# The home page.


def test_the_home_page_shows_triangulation_calls_and_concerns_due_for_review(world, client_for):
    assert "Triangulation called for" not in body(client_for("alice").get(reverse("home")))
    concern = raise_for_amy(world, triangulation=True, review_by=timezone.localdate())
    alice = body(client_for("alice").get(reverse("home")))
    assert "Triangulation called for" in alice and reverse("signals:concern", args=[concern.pk]) in alice
    assert "Amy Ashdown" in alice
    assert "Your concerns due for review" not in alice
    raiser = body(client_for("dsl_north").get(reverse("home")))
    assert "Your concerns due for review" in raiser and "Triangulation called for" not in raiser
    ben_school = body(client_for("dsl_south").get(reverse("home")))
    assert "Ashdown" not in ben_school and "Triangulation called for" not in ben_school
    front = body(client_for("frontdoor").get(reverse("home")))
    assert "Every concern with triangulation called for" in front
    assert AuditEvent.objects.filter(event="signals.concern_list", actor_username="alice").exists()


def test_a_second_call_for_triangulation_from_a_stale_page_is_refused_with_a_message(world, client_for):
    concern = raise_for_amy(world, triangulation=True)
    response = client_for("frontdoor").post(reverse("signals:concern", args=[concern.pk]), {"note": "Again"})
    assert response.status_code == 200
    assert "A triangulation discussion has already been called for about this concern" in body(response)
    assert not ConcernReview.objects.exists()


def test_what_a_practitioner_types_is_shown_as_text_never_as_markup(world, client_for):
    concern = concern_raise(
        actor=world.dsl_north,
        person_id=world.amy.pk,
        category="other",
        note='<script>alert("x")</script>\nSecond line',
        triangulation=False,
    )
    for url in (reverse("signals:concern", args=[concern.pk]), reverse("people:record", args=[world.amy.pk])):
        page = body(client_for("dsl_north").get(url))
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;" in page and "Second line" in page


def test_the_raise_form_needs_its_csrf_token(world, client_for):
    url = reverse("signals:concern_raise", args=[world.amy.pk])
    response = client_for("dsl_north", csrf=True).post(url, {"category": "neglect", "note": NOTE})
    assert response.status_code == 403 and not Concern.objects.exists()
