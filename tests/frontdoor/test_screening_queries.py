"""Exact query counts for the front door's pages that show children: the same for one referral or many."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from continuum.frontdoor.models import Transfer
from continuum.programmes.models import Programme
from tests.frontdoor import screening_world as sw
from tests.frontdoor.test_allocation import _accepted, _sent_to_early_help
from tests.queries import assert_database_query_count


def test_the_queue_costs_the_same_for_one_referral_or_twenty(world, client_for):
    """Session, user and profile (3); in the transaction: the count, the page, its reasons, the declined
    transfers, the teams yet to answer, the viewer's agency and the audit row; then the session save."""
    client = client_for("frontdoor")
    sw.referral(world, world.cara, reasons=("behaviour", "neglect"))
    with assert_database_query_count(15):
        assert client.get(reverse("frontdoor:queue")).status_code == 200
    start = timezone.now() - datetime.timedelta(days=30)
    earlier = None
    for i in range(20):
        earlier = sw.referral(world, world.amy, received_at=start + datetime.timedelta(hours=i), duplicate_of=earlier)
    with assert_database_query_count(15):
        assert client.get(reverse("frontdoor:queue")).status_code == 200


def test_the_queue_with_declined_referrals_and_teams_to_answer_costs_no_more(world, client_for):
    sw.power()
    client = client_for("frontdoor")
    for name in ("Kit", "Lou"):
        decided = sw.referral(world, sw.child_known_to_police(world, age=9, given_name=name))
        client.post(
            reverse("frontdoor:decide", args=[decided.pk]),
            {
                "level": "2",
                "rationale": "Fits POWER",
                "route": "programme",
                "programme": str(Programme.objects.get(slug="test-power").pk),
                "programme_team": str(sw.team(world, "eh").pk),
                "outcome_for_referrer": "Offered POWER",
            },
        )
    sw.referral(world, world.cara)
    declined = Transfer.objects.filter(status="pending").first()
    client_for("manager").post(
        reverse("frontdoor:transfer", args=[declined.pk]), {"action": "decline", "reason": "Full"}
    )
    assert Transfer.objects.filter(status="pending").count() == 1
    with assert_database_query_count(15):
        assert client.get(reverse("frontdoor:queue")).status_code == 200


def test_the_decide_page_costs_the_same_however_much_the_child_has(world, client_for):
    """Session and user (3); the referral, its reasons and family (3); the viewer's agency for the sections'
    categories (1); in the transaction: involvements, current and all allocations, decisions, other referrals,
    eligibility (open involvements, programmes, rule sets) and the audit row; then the teams for the form. A
    child with decisions adds their transfers (one query), one with teams working with them those teams (one)."""
    sw.power()
    sw.power(name="Second programme", slug="test-second")
    client = client_for("frontdoor")
    quiet = sw.referral(world, world.cara)
    with assert_database_query_count(22):
        assert client.get(reverse("frontdoor:decide", args=[quiet.pk])).status_code == 200
    earlier = sw.referral(world, world.amy, received_at=timezone.now() - datetime.timedelta(days=100))
    client.post(
        reverse("frontdoor:decide", args=[earlier.pk]),
        {"level": "2", "rationale": "r", "route": "advice", "outcome_for_referrer": "o"},
    )
    busy = sw.referral(world, world.amy)
    with assert_database_query_count(24):
        assert client.get(reverse("frontdoor:decide", args=[busy.pk])).status_code == 200
    for days in (50, 40, 30):
        more = sw.referral(world, world.amy, received_at=timezone.now() - datetime.timedelta(days=days))
        client.post(
            reverse("frontdoor:decide", args=[more.pk]),
            {"level": "3", "rationale": "r", "route": "no_further_action", "outcome_for_referrer": "o"},
        )
    sw.power(name="Third programme", slug="test-third")
    with assert_database_query_count(24):
        assert client.get(reverse("frontdoor:decide", args=[busy.pk])).status_code == 200


def test_the_teams_pages_cost_the_same_for_one_child_or_several(world, client_for):
    """The transfers list, one transfer, allocation and caseloads: each a fixed number of queries."""
    sw.capacity(world, "alice", 1)
    manager = client_for("manager")
    # Session, user and profile (3) in each. The transfer and allocation pages ask each of the manager's
    # relationship sources whether they work with the child (7), as a record does.
    counts = {"transfers": 15, "transfer": 21, "allocate": 22, "caseloads": 15}

    def measure() -> None:
        pending = Transfer.objects.filter(status="pending").first()
        waiting = Transfer.objects.filter(status="accepted").first().decision.referral
        pages = {
            "transfers": reverse("frontdoor:transfers"),
            "transfer": reverse("frontdoor:transfer", args=[pending.pk]),
            "allocate": reverse("frontdoor:allocate", args=[waiting.pk]),
            "caseloads": reverse("frontdoor:caseloads"),
        }
        for name, url in pages.items():
            with assert_database_query_count(counts[name]):
                assert manager.get(url).status_code == 200, name

    first = _accepted(world, client_for, given_name="A0")
    manager.post(reverse("frontdoor:allocate", args=[first.pk]), {"action": "wait"})
    _sent_to_early_help(world, client_for, given_name="P0")
    measure()
    for n in range(1, 4):
        manager.post(
            reverse("frontdoor:allocate", args=[_accepted(world, client_for, given_name=f"A{n}").pk]),
            {"action": "wait"},
        )
        _sent_to_early_help(world, client_for, given_name=f"P{n}")
    sw.eh_practitioner(world, "Sam", most=3)
    measure()
