"""Exact query counts for the referral pages that show children: one more referral, family member or decision
must not cost one more query."""

from __future__ import annotations

from django.urls import reverse

from continuum.frontdoor.drafts import Named, NewPerson
from continuum.frontdoor.models import Decision
from continuum.frontdoor.services.referrals import referral_create
from tests.frontdoor.referral_journey import begin, choose, describe_child, finish
from tests.queries import assert_database_query_count


def _refer(world, person, *, family: int = 0, decided: bool = False):
    referral = referral_create(
        actor=world.dsl_north,
        child=Named(person_id=person.pk),
        family=[Named(new=NewPerson(f"Relative{i}", "Budget"), relationship="sibling") for i in range(family)],
        reasons=["behaviour", "school_attendance"],
        story="Worried",
        consent="given",
    )
    if decided:  # the decision service is the screening module's; the row is what these pages read
        Decision.objects.create(
            referral=referral, decided_by=world.frontdoor, level=2, change="first", rationale="r", route="advice"
        )
    return referral


MINE = 14


def test_the_agencys_referrals_cost_the_same_for_one_or_many(world, client_for):
    client = client_for("dsl_north")
    _refer(world, world.amy)
    with assert_database_query_count(MINE):
        assert client.get(reverse("frontdoor:mine")).status_code == 200
    for _ in range(6):
        _refer(world, world.amy, decided=True)
    with assert_database_query_count(MINE):
        html = client.get(reverse("frontdoor:mine")).content.decode()
    assert html.count("Advice and signposting") == 6


DETAIL = 15


def test_a_referrals_page_costs_the_same_with_one_family_member_or_five(world, client_for):
    client = client_for("dsl_north")
    small, large = _refer(world, world.amy, family=1), _refer(world, world.amy, family=5, decided=True)
    with assert_database_query_count(DETAIL):
        assert client.get(reverse("frontdoor:detail", args=[small.pk])).status_code == 200
    with assert_database_query_count(DETAIL):
        assert client.get(reverse("frontdoor:detail", args=[large.pk])).status_code == 200


def test_the_front_door_opens_a_referral_for_the_same_cost(world, client_for):
    referral = _refer(world, world.amy, family=2, decided=True)
    client = client_for("frontdoor")
    with assert_database_query_count(DETAIL):
        assert client.get(reverse("frontdoor:detail", args=[referral.pk])).status_code == 200


def test_the_confirmation_costs_what_the_referrals_page_costs(world, client_for):
    referral = _refer(world, world.amy, family=1)
    client = client_for("dsl_north")
    with assert_database_query_count(DETAIL):
        assert client.get(reverse("frontdoor:sent", args=[referral.pk])).status_code == 200


def test_the_start_page_and_check_page_cost_the_same_for_one_draft_or_many(world, client_for):
    client = client_for("dsl_north")
    drafts = [begin(client) for _ in range(2)]
    with assert_database_query_count(7):
        assert client.get(reverse("frontdoor:start")).status_code == 200
    for _ in range(5):
        begin(client)
    with assert_database_query_count(7):
        assert client.get(reverse("frontdoor:start")).status_code == 200

    draft = drafts[0]
    describe_child(client, draft, given_name="Amy", family_name="Ashdown", date_of_birth=world.amy.date_of_birth)
    choose(client, draft, world.amy.pk)
    for i in range(3):
        client.post(f"{draft}family/", {"add": "yes"})
        client.post(
            f"{draft}family-member/",
            {"given_name": f"Rel{i}", "family_name": "Budget", "relationship": "sibling", "postcode": ""},
        )
        choose(client, draft, "new", step="family-matches")
    finish(client, draft)
    with assert_database_query_count(9):
        assert client.get(f"{draft}check/").status_code == 200
