"""Who may read and decide record linkage's review: only roles the access policy lets review linkage (the front
door). Everyone else, whether they follow a link, guess an id or post a decision, gets the same audited 404 as a
page that does not exist, and nothing changes; administrators may read the history, without a child's details."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from continuum.audit.models import AuditEvent
from continuum.linkage import services
from continuum.linkage.models import IdentityChange, ReviewPair
from tests.linkage import review_world

NOT_REVIEWERS = [
    "alice",  # practitioner
    "manager",  # team manager
    "dsl_north",  # a school's designated safeguarding lead (amy's school)
    "police",
    "nurse",  # health practitioner: reads the NHS number on a child's record, but does not review linkage
    "chair",
    "analyst",
    "admin",
    "nobody",  # signed in without a practitioner profile
]


@pytest.fixture
def linkage(world):
    return review_world.build(world)


@pytest.fixture
def merge(world, linkage) -> IdentityChange:
    return services.merge_identities(
        actor=world.frontdoor,
        keep=linkage.amy_identity.pk,
        merge=linkage.police_record.identity_id,
        reason="Same child: confirmed with the school",
    )


def _urls(linkage, merge) -> list[str]:
    return [
        reverse("linkage:queue"),
        reverse("linkage:pair", args=[linkage.amy_pair.pk]),
        reverse("linkage:pair", args=[linkage.boy_pair.pk]),
        reverse("linkage:undo", args=[merge.pk]),
    ]


def _unchanged(linkage, merge) -> None:
    for pair in (linkage.amy_pair, linkage.boy_pair):
        pair.refresh_from_db()
        assert pair.status == "open" and pair.decided_by is None
    assert not IdentityChange.objects.filter(undoes=merge).exists()
    assert not AuditEvent.objects.filter(event__in=["linkage.review_decide", "linkage.unmerge"]).exists()


@pytest.mark.parametrize("username", NOT_REVIEWERS)
def test_a_role_that_does_not_review_linkage_gets_the_audited_404_of_a_missing_page(
    world, client_for, linkage, merge, username
):
    client = client_for(username)
    missing = client.get("/linkage/review/not-a-page/")
    for url in _urls(linkage, merge):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "Page not found" in html and html.count("Page not found") == missing.content.decode().count(
            "Page not found"
        )
        for leak in ("Ashdown", "Amie", "Kowalsk", "PN-0042", world.amy.nhs_number, "93%", "Same child"):
            assert leak not in html, (url, leak)
    refused = AuditEvent.objects.filter(actor_username=username, action="refused")
    assert {r.event for r in refused} == {
        "linkage.review_queue_view",
        "linkage.review_pair_view",
        "linkage.history_view",
    }
    # A probe of a pair is recorded against the person it concerns (never named to the refused user): amy, for her
    # own record's pair and for the police record the merge put with her.
    assert refused.get(object_id=str(linkage.amy_pair.pk)).person_id == world.amy.pk
    assert refused.get(object_id=str(linkage.boy_pair.pk)).person_id == world.amy.pk
    assert refused.count() == 4
    assert reverse("linkage:queue") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("username", [u for u in NOT_REVIEWERS if u != "admin"])
def test_only_reviewers_and_administrators_read_the_history(world, client_for, merge, username):
    response = client_for(username).get(reverse("linkage:history"))
    assert response.status_code == 404
    assert b"Same child" not in response.content
    assert AuditEvent.objects.filter(actor_username=username, action="refused", event="linkage.history_view").exists()


@pytest.mark.parametrize("username", NOT_REVIEWERS)
def test_a_decision_or_an_undo_posted_by_a_role_that_does_not_review_changes_nothing(
    world, client_for, linkage, merge, username
):
    client = client_for(username)
    for pair in (linkage.amy_pair, linkage.boy_pair):
        for data in (
            {"state": pair.state, "decision": "accepted", "reason": ""},
            {"state": pair.state, "decision": "rejected", "reason": "Not the same"},
        ):
            assert client.post(reverse("linkage:pair", args=[pair.pk]), data).status_code == 404
    undo = client.post(reverse("linkage:undo", args=[merge.pk]), {"reason": "I would like to undo it"})
    assert undo.status_code == 404
    _unchanged(linkage, merge)


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page_and_post(world, linkage, merge):
    client = Client()
    for url in [*_urls(linkage, merge), reverse("linkage:history")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
        posted = client.post(url, {"state": linkage.amy_pair.state, "decision": "accepted", "reason": "x"})
        assert posted.status_code == 302 and posted["Location"].startswith(reverse("login")), url
    _unchanged(linkage, merge)


def test_a_guessed_or_nonexistent_pair_or_change_is_the_same_audited_404(world, client_for, linkage, merge):
    client = client_for("frontdoor")
    guessed = uuid.uuid4()
    for url in (
        reverse("linkage:pair", args=[guessed]),
        reverse("linkage:undo", args=[guessed]),
        reverse("linkage:undo", args=[linkage.amy_pair.pk]),  # a real id of another kind of row
        reverse("linkage:pair", args=[merge.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"decision": "accepted", "reason": "x", "state": ""}).status_code == 404, url
    refused = AuditEvent.objects.filter(actor_username="frontdoor", action="refused")
    assert refused.filter(object_id=str(guessed), event="linkage.review_pair_view").count() == 2
    assert refused.filter(object_id=str(guessed), event="linkage.history_view").count() == 2
    for path in ("/linkage/review/1/", "/linkage/review/../history/", "/linkage/history/' OR 1=1/"):
        assert client.get(path).status_code == 404, path
    _unchanged(linkage, merge)


def test_a_pair_of_the_health_feed_shows_the_front_door_no_nhs_number_however_it_is_asked(world, client_for, linkage):
    """The front door does not read health detail (the policy's health category): not on the page, not when a
    decision fails and the page comes back, not in the queue."""
    client = client_for("frontdoor")
    url = reverse("linkage:pair", args=[linkage.amy_pair.pk])
    pages = [
        client.get(url),
        client.post(url, {"state": linkage.amy_pair.state, "decision": "rejected", "reason": ""}),
        client.post(url, {"state": "stale", "decision": "accepted"}),
        client.get(reverse("linkage:queue")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert world.amy.nhs_number not in html and "AE-7731" not in html
    assert ReviewPair.objects.get(pk=linkage.amy_pair.pk).status == "open"
