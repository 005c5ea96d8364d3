"""Every role, and anonymous visitors, against every page of causes for concern: what each sees and what is
refused; exact query counts for the list, a concern's page and the record's section."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.agencies import access
from continuum.people.selectors import RecordContext
from continuum.signals.selectors.concerns import concerns_for_view
from continuum.signals.services.concerns import concern_raise, concern_review
from tests.conftest import ACCOUNTS
from tests.queries import assert_database_query_count
from tests.security.test_child_access import ALLOWED

NOTE = "Says an older boy pays her to carry parcels after school."
ROLES = [*ACCOUNTS, "nobody", "anonymous"]
MANAGE = {"frontdoor", "dsl_north"}  # the front door, and the raiser's agency (Northgate)
RAISE = {username for username, (role, _) in ACCOUNTS.items() if role not in ("analyst", "administrator")}


@pytest.fixture
def concern(world):
    return concern_raise(
        actor=world.dsl_north, person_id=world.amy.pk, category="exploitation", note=NOTE, triangulation=True
    )


def _client(world, username: str) -> Client:
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


def _expected(username: str, *, page: str) -> int:
    if username == "anonymous":
        return 302  # to the sign-in page
    opens_amy = "amy" in ALLOWED.get(username, set())
    if page == "list":
        return 200 if username == "frontdoor" else 403
    if page == "raise":
        return 200 if opens_amy and username in RAISE else 404
    if page == "detail":
        return 200 if opens_amy else 404
    # review, close: the concern's page is refused as the record is; then only those who manage it
    if not opens_amy:
        return 404
    return 200 if username in MANAGE else 403


@pytest.mark.parametrize("username", ROLES)
def test_every_role_against_every_concern_page(world, concern, username):
    client = _client(world, username)
    pages = {
        "list": reverse("signals:concerns"),
        "raise": reverse("signals:concern_raise", args=[world.amy.pk]),
        "detail": reverse("signals:concern", args=[concern.pk]),
        "review": reverse("signals:concern_review", args=[concern.pk]),
        "close": reverse("signals:concern_close", args=[concern.pk]),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == _expected(username, page=page), (page, response.status_code)
        text = response.content.decode()
        if response.status_code != 200:
            assert "Ashdown" not in text and NOTE not in text, page
        elif page in ("detail", "list") and username not in MANAGE:
            assert NOTE not in text and "Signs of exploitation" not in text, page


@pytest.mark.parametrize("username", ROLES)
def test_every_role_posting_to_every_concern_page_changes_nothing_it_may_not(world, concern, username):
    client = _client(world, username)
    today = concern.review_by
    posts = {
        reverse("signals:concern", args=[concern.pk]): {"note": "Call it again"},
        reverse("signals:concern_review", args=[concern.pk]): {
            "note": "Reviewed",
            "next_review_by-day": str(today.day),
            "next_review_by-month": str(today.month),
            "next_review_by-year": str(today.year),
        },
        reverse("signals:concern_close", args=[concern.pk]): {"outcome": "no_further_action", "note": "Done"},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
    concern.refresh_from_db()
    if username not in MANAGE:
        assert concern.status == "open" and not concern.reviews.exists()
    else:
        assert concern.status == "closed" and concern.reviews.count() == 1


def test_a_guessed_or_malformed_concern_id_is_the_records_404(world, client_for):
    client = client_for("frontdoor")
    assert client.get("/multi-agency/concerns/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/multi-agency/concerns/not-a-uuid/").status_code == 404
    assert client.get("/multi-agency/children/00000000-0000-0000-0000-000000000000/concerns/new/").status_code == 404


# Exact query counts: the same for one concern or many.

LIST_QUERIES = 15  # session, user, profile; three filter counts; the page (count, rows), the audit row, the session
DETAIL_QUERIES = 13  # session, user; the concern, the profile, the basis; reviews; the audit row, the session
SECTION_QUERIES = 2


def _more_concerns(world, n: int) -> None:
    for i in range(n):
        made = concern_raise(
            actor=world.frontdoor, person_id=world.amy.pk, category="behaviour", note=f"More {i}", triangulation=False
        )
        concern_review(actor=world.frontdoor, concern_id=made.pk, note="Looked again", next_review_by=made.review_by)


def test_the_list_takes_the_same_queries_for_one_concern_or_many(world, client_for, concern):
    client = client_for("frontdoor")
    client.get(reverse("signals:concerns"))
    with assert_database_query_count(LIST_QUERIES):
        client.get(reverse("signals:concerns"))
    _more_concerns(world, 4)
    with assert_database_query_count(LIST_QUERIES):
        response = client.get(reverse("signals:concerns"))
    assert "Open (5)" in response.content.decode()


def test_a_concerns_page_takes_a_fixed_number_of_queries(world, client_for, concern):
    concern_review(actor=world.dsl_north, concern_id=concern.pk, note="One", next_review_by=concern.review_by)
    client = client_for("dsl_north")
    url = reverse("signals:concern", args=[concern.pk])
    client.get(url)
    with assert_database_query_count(DETAIL_QUERIES):
        client.get(url)
    concern_review(actor=world.dsl_north, concern_id=concern.pk, note="Two", next_review_by=concern.review_by)
    with assert_database_query_count(DETAIL_QUERIES):
        response = client.get(url)
    assert "Two" in response.content.decode()


@pytest.mark.parametrize("username", ["frontdoor", "police"])
def test_the_records_section_takes_two_queries_however_many_concerns(world, concern, username):
    viewer = world.users[username]
    access.profile_of(viewer).agency  # noqa: B018  (the viewer's profile is loaded with the request)
    ctx = RecordContext(
        viewer=viewer, person=world.amy, categories=access.readable_categories(viewer), policy=access.policy()
    )
    expected = SECTION_QUERIES if username == "frontdoor" else 1  # police read no reviews
    with assert_database_query_count(expected):
        shown = concerns_for_view(ctx)
    assert len(shown.items) == 1
    _more_concerns(world, 3)
    with assert_database_query_count(expected):
        shown = concerns_for_view(ctx)
    assert len(shown.items) == 4 and all(c.detail == (username == "frontdoor") for c in shown.items)
