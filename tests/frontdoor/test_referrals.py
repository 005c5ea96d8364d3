"""Referring a child through the question pages, as a school DSL and others would, and trying to break it."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import SystemActor
from continuum.audit.models import AuditEvent
from continuum.frontdoor.drafts import Named, NewPerson
from continuum.frontdoor.models import Decision, Referral, ReferralDraft
from continuum.frontdoor.services import referrals as services
from continuum.people.models import Address, Person
from tests.conftest import TODAY, years_ago
from tests.frontdoor.referral_journey import (
    add_family_member,
    begin,
    choose,
    describe_child,
    finish,
    matches_page,
    refer,
    send,
)


def _amy(world) -> dict:
    return {"given_name": "Amy", "family_name": "Ashdown", "date_of_birth": world.amy.date_of_birth}


# ---------------------------------------------------------------------------------------------------------
# The whole journey


def test_a_school_dsl_refers_a_pupil_through_every_question_page(world, client_for):
    client = client_for("dsl_north", csrf=False)
    start = client.get(reverse("frontdoor:start")).content.decode()
    assert "<title>Refer a child" in start and "Start a new referral" in start
    draft = begin(client)
    assert re.fullmatch(r"/referrals/new/[0-9a-f-]{36}/", draft)

    page = client.get(f"{draft}child/").content.decode()
    assert "<title>Who are you referring? - Refer a child" in page
    response = describe_child(client, draft, **_amy(world), postcode="SF1 2AB")
    assert response["Location"] == f"{draft}child-matches/"
    html = matches_page(client, draft)
    assert "Amy Ashdown" in html and "same date of birth; same given name; same surname; same postcode" in html
    assert choose(client, draft, world.amy.pk)["Location"] == f"{draft}family/"

    add_family_member(client, draft, given_name="Ray", family_name="Ashdown", relationship="step_parent")
    family = client.get(f"{draft}family/").content.decode()
    assert "Ray Ashdown" in family and "Step-parent" in family and "Do you want to add another family member?" in family
    finish(client, draft, consent="not_sought", consent_reason="Her stepfather controls the household")

    check = client.get(f"{draft}check/").content.decode()
    assert "<title>Check your answers before sending the referral - Refer a child" in check
    for words in (
        "Amy Ashdown",
        "Their existing record",
        "Ray Ashdown (new record)",
        "School attendance",
        "Emotional wellbeing",
        "frightened at home",
        "Her stepfather controls",
        "Northgate Academy",
    ):
        assert words in check, words
    for step in ("child", "child-matches", "family", "reasons", "story", "wishes", "consent"):
        assert f'href="{draft}{step}/?change=1"' in check, step

    referral = send(client, draft)
    sent = client.get(reverse("frontdoor:sent", args=[referral.pk])).content.decode()
    assert "govuk-panel--confirmation" in sent and "Referral sent" in sent
    assert re.fullmatch(rf"FD-{timezone.localdate().year}-\d{{6}}", referral.reference)
    assert referral.reference in sent
    assert referral.reference not in reverse("frontdoor:sent", args=[referral.pk])  # addresses carry the UUID only

    assert referral.person == world.amy
    assert referral.referrer == world.dsl_north and referral.referrer_agency == world.northgate
    assert referral.referrer_name == "Dsl_North Tester"
    assert sorted(r.reason for r in referral.reasons.all()) == ["emotional_wellbeing", "school_attendance"]
    assert [(m.person.given_name, m.relationship) for m in referral.family.all()] == [("Ray", "step_parent")]
    assert referral.consent == "not_sought" and referral.consent_reason == "Her stepfather controls the household"
    assert referral.child_wants == "I want things at home to calm down"
    assert referral.status == Referral.Status.NEW and referral.possible_duplicate_of is None
    assert not ReferralDraft.objects.exists(), "the draft is gone once sent"
    created = AuditEvent.objects.get(event="frontdoor.referral_create")
    assert created.person_id == world.amy.pk and created.actor_username == "dsl_north"
    assert created.detail["reference"] == referral.reference
    assert AuditEvent.objects.filter(event="people.person_create", object_id=str(referral.family.get().person_id))


def test_changing_an_answer_from_the_check_page_comes_back_to_it(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, **_amy(world))
    choose(client, draft, world.amy.pk)
    finish(client, draft)
    response = client.post(f"{draft}story/?change=1", {"story": "Told again, better"})
    assert response["Location"] == f"{draft}check/"
    assert "Told again, better" in client.get(f"{draft}check/").content.decode()
    # Changing the child's details forgets the record chosen: tell it once runs again, then back to the check.
    response = client.post(
        f"{draft}child/?change=1", {"given_name": "Amie", "family_name": "Ashdown", **_born(world.amy.date_of_birth)}
    )
    assert response["Location"] == f"{draft}child-matches/?change=1"
    assert client.get(f"{draft}check/")["Location"] == f"{draft}child-matches/"
    assert choose(client, draft, world.amy.pk)["Location"] == f"{draft}family/"


def _born(day: datetime.date) -> dict[str, str]:
    return {
        "date_of_birth-day": str(day.day),
        "date_of_birth-month": str(day.month),
        "date_of_birth-year": str(day.year),
    }


def test_a_new_child_is_recorded_with_their_address_in_the_referrals_transaction(world, client_for):
    client = client_for("dsl_south")
    referral = refer(
        client,
        given_name="Zara",
        family_name="Quill",
        date_of_birth=years_ago(9),
        address_line="4 Mill Lane",
        town="Testbury",
        postcode="sf9 9zz",
    )
    zara = referral.person
    assert (zara.given_name, zara.family_name, zara.date_of_birth) == ("Zara", "Quill", years_ago(9))
    assert Address.objects.get(person=zara).postcode == "SF9 9ZZ"
    assert referral.possible_matches == []
    events = list(AuditEvent.objects.filter(person_id=zara.pk).values_list("event", flat=True).order_by("id"))
    assert events == ["people.person_create", "people.address_add", "frontdoor.referral_create"]


def test_the_referral_and_its_new_people_are_one_transaction(world, client_for, monkeypatch):
    """A failure after the new people are written leaves nothing behind: no person, no referral, no audit row."""
    client = client_for("dsl_south")
    draft = begin(client)
    describe_child(
        client,
        draft,
        given_name="Zara",
        family_name="Quill",
        date_of_birth=years_ago(9),
        address_line="4 Mill Lane",
        postcode="SF9 9ZZ",
    )
    choose(client, draft, "new")
    add_family_member(client, draft, given_name="Yusuf", family_name="Quill", relationship="parent")
    finish(client, draft)
    people, events = Person.objects.count(), AuditEvent.objects.count()

    def broken(**kwargs):
        raise ValidationError("The address service is down")

    monkeypatch.setattr(services, "address_add", broken)
    response = client.post(f"{draft}check/")
    assert response.status_code == 200 and "The address service is down" in response.content.decode()
    assert Person.objects.count() == people and not Referral.objects.exists()
    assert AuditEvent.objects.count() == events
    assert ReferralDraft.objects.filter(pk=draft.split("/")[-2]).exists(), "the draft is kept to try again"


# ---------------------------------------------------------------------------------------------------------
# Every page refuses bad answers, says why, and saves nothing


def _draft_answers(draft: str) -> dict:
    return ReferralDraft.objects.get(pk=draft.split("/")[-2]).answers


BAD_ANSWERS = [
    ("child", {}, ["Enter the child&#39;s given name", "Enter the child&#39;s family name", "Enter date of birth"]),
    (
        "child",
        {
            "given_name": "Amy",
            "family_name": "Ashdown",
            "date_of_birth-day": "1",
            "date_of_birth-month": "1",
            "date_of_birth-year": str(TODAY.year + 1),
        },
        ["Date of birth must be today or in the past"],
    ),
    (
        "child",
        {
            "given_name": "Amy",
            "family_name": "Ashdown",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2015",
        },
        ["Date of birth must be a real date"],
    ),
    (
        "child",
        {
            "given_name": "Amy",
            "family_name": "Ashdown",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "1850",
        },
        ["Date of birth must be after 1 January 1900"],
    ),
    (
        "child",
        {"given_name": "Amy", "family_name": "Ashdown", **_born(datetime.date(2015, 3, 4)), "postcode": "NOT A PC"},
        ["Enter a real postcode"],
    ),
    (
        "child",
        {
            "given_name": "Amy",
            "family_name": "Ashdown",
            **_born(datetime.date(2015, 3, 4)),
            "address_line": "1 Test Street",
        },
        ["Enter the postcode of the address"],
    ),
    (
        "child",
        {"given_name": "A" * 101, "family_name": "Ashdown", **_born(datetime.date(2015, 3, 4))},
        ["must be 100 characters or fewer"],
    ),
    ("family-member", {"given_name": "Ray", "family_name": "Ashdown"}, ["Select how they are related to the child"]),
    (
        "family-member",
        {"given_name": "Ray", "family_name": "Ashdown", "relationship": "landlord"},
        ["Select how they are related to the child"],
    ),
    (
        "family-member",
        {
            "given_name": "Ray",
            "family_name": "Ashdown",
            "relationship": "parent",
            **_born(datetime.date(TODAY.year + 2, 1, 1)),
        },
        ["Date of birth must be today or in the past"],
    ),
    ("family", {}, ["Select yes if you want to add a family member"]),
    ("reasons", {}, ["Select at least one reason for the referral"]),
    ("reasons", {"reasons": ["witchcraft"]}, ["Select reasons from the list"]),
    ("story", {"story": "   "}, ["Enter what is happening, in your own words"]),
    ("story", {"story": "x" * 10_001}, ["must be 10,000 characters or fewer"]),
    ("wishes", {"child_wants": "x" * 10_001}, ["must be 10,000 characters or fewer"]),
    ("consent", {}, ["Select whether the family consented to the referral"]),
    ("consent", {"consent": "maybe"}, ["Select whether the family consented to the referral"]),
    (
        "consent",
        {"consent": "not_sought", "consent_reason": "  "},
        ["Say why seeking consent would put the child at risk"],
    ),
]


@pytest.mark.parametrize(
    ("step", "data", "messages"), BAD_ANSWERS, ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(BAD_ANSWERS)]
)
def test_each_page_refuses_bad_answers_with_an_error_summary_and_saves_nothing(world, client_for, step, data, messages):
    client = client_for("dsl_north", csrf=True)
    page = client.get(reverse("frontdoor:start"))
    draft = _csrf_begin(client, page)
    before = _draft_answers(draft)
    token = client.cookies["csrftoken"].value
    response = client.post(f"{draft}{step}/", {**data, "csrfmiddlewaretoken": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    for message in messages:
        assert message in html, message
    assert _draft_answers(draft) == before


def _csrf_begin(client: Client, page) -> str:
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("frontdoor:start"), {"action": "start", "csrfmiddlewaretoken": token})
    return response["Location"].removesuffix("child/")


def test_the_tell_it_once_page_refuses_no_choice_and_a_made_up_record(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, **_amy(world))
    before = _draft_answers(draft)
    for data in ({}, {"choice": str(uuid.uuid4())}, {"choice": str(world.cara.pk)}, {"choice": "<script>"}):
        response = client.post(f"{draft}child-matches/", data)
        html = response.content.decode()
        assert response.status_code == 200 and "Select the existing record, or that none of these is the person" in html
        assert _draft_answers(draft) == before


def test_sending_an_unfinished_draft_goes_to_the_first_unanswered_question(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    assert client.post(f"{draft}check/")["Location"] == f"{draft}child/"
    describe_child(client, draft, **_amy(world))
    assert client.get(f"{draft}check/")["Location"] == f"{draft}child-matches/"
    choose(client, draft, world.amy.pk)
    assert client.post(f"{draft}check/")["Location"] == f"{draft}family/"
    assert not Referral.objects.exists()


def test_an_unknown_step_and_a_malformed_draft_are_not_found(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    assert client.get(f"{draft}payment/").status_code == 404
    assert client.post(reverse("frontdoor:start"), {"action": "delete", "draft_id": "not-a-uuid"}).status_code == 404


def test_the_service_refuses_what_the_pages_would_and_saves_nothing(world):
    people, events = Person.objects.count(), AuditEvent.objects.count()
    cases = [
        ({"consent": "not_sought"}, "consent_reason"),
        ({"reasons": []}, "reasons"),
        ({"reasons": ["nonsense"]}, "reasons"),
        ({"story": "  "}, "story"),
        ({"consent": "perhaps"}, "consent"),
        ({"child": Named(person_id=world.ben.pk)}, "child"),  # dsl_north may not open ben
        ({"child": Named(new=NewPerson("Zed", "Future", date_of_birth=TODAY + datetime.timedelta(days=1)))}, "child"),
        ({"child": Named()}, "child"),
        ({"family": [Named(person_id=world.amy.pk, relationship="sibling")]}, "family"),  # amy twice
        ({"family": [Named(new=NewPerson("Ray", "Ashdown"), relationship="uncle")]}, "family"),
    ]
    for change, field in cases:
        given = {
            "child": Named(person_id=world.amy.pk),
            "reasons": ["behaviour"],
            "story": "Worried",
            "consent": "given",
        }
        with pytest.raises(ValidationError) as refused:
            services.referral_create(actor=world.dsl_north, **{**given, **change})
        assert field in refused.value.message_dict, (change, refused.value)
    assert Person.objects.count() == people and AuditEvent.objects.count() == events
    assert not Referral.objects.exists()


@pytest.mark.parametrize("username", ["analyst", "admin", "nobody"])
def test_roles_that_do_not_refer_are_refused_every_referral_page(world, client_for, username):
    client = client_for(username)
    for url in (reverse("frontdoor:start"), reverse("frontdoor:mine")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("frontdoor:start"), {"action": "start"}).status_code == 403
    assert not ReferralDraft.objects.exists()


def test_every_role_that_may_refer_may_record_the_new_people_a_referral_names():
    """person_create needs can_search_people: check the shipped policy gives it to every referring role."""
    for name, role in access.policy().roles.items():
        if role.refers:
            assert role.scope != "none", name


# ---------------------------------------------------------------------------------------------------------
# Drafts


def test_a_draft_survives_signing_out_and_the_start_page_offers_it_to_continue_or_delete(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, **_amy(world))
    choose(client, draft, world.amy.pk)
    client.post(reverse("logout"))
    assert client.get(reverse("frontdoor:start")).status_code == 302  # signed out: to the sign-in page

    again = client_for("dsl_north")  # signed in afresh: a new session
    start = again.get(reverse("frontdoor:start")).content.decode()
    assert "Your draft referrals" in start and "Amy Ashdown" in start
    assert f'href="{draft}family/"' in start, "Continue goes to the first question not yet answered"
    family = again.get(f"{draft}family/")
    assert family.status_code == 200
    finish(again, draft)
    assert "Amy Ashdown" in again.get(f"{draft}check/").content.decode()

    draft_id = draft.split("/")[-2]
    response = again.post(reverse("frontdoor:start"), {"action": "delete", "draft_id": draft_id})
    assert response.status_code == 302
    assert "The draft referral has been deleted" in again.get(reverse("frontdoor:start")).content.decode()
    assert not ReferralDraft.objects.exists()


def test_a_draft_is_its_authors_alone(world, client_for):
    north = client_for("dsl_north")
    draft = begin(north)
    describe_child(north, draft, **_amy(world))
    draft_id = draft.split("/")[-2]
    for username in ("dsl_south", "frontdoor", "alice"):
        other = client_for(username)
        for url in (f"{draft}child/", f"{draft}child-matches/", f"{draft}check/"):
            assert other.get(url).status_code == 404, (username, url)
            assert other.post(url, {"given_name": "Hijack", "choice": "new"}).status_code == 404, (username, url)
        assert other.post(reverse("frontdoor:start"), {"action": "delete", "draft_id": draft_id}).status_code == 404
        assert "Amy" not in other.get(reverse("frontdoor:start")).content.decode()
    assert ReferralDraft.objects.get(pk=draft_id).answers["child"]["given_name"] == "Amy"


# ---------------------------------------------------------------------------------------------------------
# Duplicates, references


def test_a_second_referral_within_thirty_days_is_flagged_as_a_possible_duplicate_and_not_after(world, client_for):
    def earlier(days: int) -> Referral:
        return services.referral_create(
            actor=world.alice,
            child=Named(person_id=world.amy.pk),
            reasons=["behaviour"],
            story="An earlier worry",
            consent="given",
            received_at=timezone.now() - datetime.timedelta(days=days),
        )

    earlier(31)
    first = refer(client_for("dsl_north"), **_amy(world))
    assert first.possible_duplicate_of is None, "31 days after the last referral: not a duplicate"
    Referral.objects.all().delete()
    recent = earlier(29)
    second = refer(client_for("dsl_north"), **_amy(world))
    assert second.possible_duplicate_of == recent, "29 days after the last referral: flagged, naming it"
    created = AuditEvent.objects.filter(event="frontdoor.referral_create", object_id=str(second.pk)).get()
    assert created.detail["possible_duplicate_of"] == str(recent.pk)
    third = refer(client_for("dsl_north"), **_amy(world))
    assert third.possible_duplicate_of == second, "the latest earlier referral is named"

    detail = client_for("frontdoor").get(reverse("frontdoor:detail", args=[second.pk])).content.decode()
    assert "Possible duplicate" in detail and recent.reference in detail
    referrer = client_for("dsl_north").get(reverse("frontdoor:detail", args=[second.pk])).content.decode()
    assert "Possible duplicate" not in referrer


def test_references_are_numbered_in_the_year_and_unique(world):
    made = [
        services.referral_create(
            actor=world.frontdoor, child=Named(person_id=p.pk), reasons=["other"], story="x", consent="given"
        )
        for p in (world.amy, world.ben, world.cara)
    ]
    year = timezone.localdate().year
    assert [r.reference for r in made] == [f"FD-{year}-00000{n}" for n in (1, 2, 3)]


# ---------------------------------------------------------------------------------------------------------
# Following a referral: the agency's own, never another's


def test_a_school_sees_its_own_referrals_and_never_another_schools(world, client_for):
    north, south = client_for("dsl_north"), client_for("dsl_south")
    amys = refer(north, **_amy(world))
    bens = refer(south, given_name="Benjamin", family_name="Carter", date_of_birth=world.ben.date_of_birth)
    assert bens.person == world.ben

    north_list = north.get(reverse("frontdoor:mine")).content.decode()
    assert amys.reference in north_list and "Amy Ashdown" in north_list
    assert bens.reference not in north_list and "Carter" not in north_list
    south_list = south.get(reverse("frontdoor:mine")).content.decode()
    assert bens.reference in south_list and "Ashdown" not in south_list

    assert north.get(reverse("frontdoor:detail", args=[amys.pk])).status_code == 200
    theirs = north.get(reverse("frontdoor:detail", args=[bens.pk]))
    made_up = north.get(reverse("frontdoor:detail", args=[uuid.uuid4()]))
    assert theirs.status_code == made_up.status_code == 404
    assert "Carter" not in theirs.content.decode() and bens.reference not in theirs.content.decode()
    assert theirs.content.decode().replace(str(bens.pk), "") == made_up.content.decode().replace(
        made_up.request["PATH_INFO"].split("/")[-2], ""
    ), "another school's referral and a made-up id look the same"
    assert north.get(reverse("frontdoor:sent", args=[bens.pk])).status_code == 404
    refusals = AuditEvent.objects.filter(action="refused", event="frontdoor.referral_view", actor_username="dsl_north")
    assert refusals.count() == 3
    assert refusals.filter(object_id=str(bens.pk), person_id=world.ben.pk).exists()

    # The front door opens any referral; an agency that did not make it (early help) does not.
    assert south.get(reverse("frontdoor:detail", args=[bens.pk])).status_code == 200
    assert client_for("frontdoor").get(reverse("frontdoor:detail", args=[bens.pk])).status_code == 200
    assert client_for("alice").get(reverse("frontdoor:detail", args=[bens.pk])).status_code == 404
    views = AuditEvent.objects.filter(event="frontdoor.referral_view", action="view", object_id=str(bens.pk))
    assert {e.actor_username for e in views} == {"dsl_south", "frontdoor"}
    listed = AuditEvent.objects.filter(event="frontdoor.referral_list", actor_username="dsl_north").last()
    assert listed.detail["shown"] == [str(amys.pk)]


def test_the_referrer_is_told_the_outcome_but_never_the_front_doors_rationale(world, client_for):
    referral = refer(client_for("dsl_north"), **_amy(world))
    # The decision service is the screening module's; a decision row is enough to show what the referrer sees.
    Decision.objects.create(
        referral=referral,
        decided_by=world.frontdoor,
        level=2,
        previous_level=None,
        change="first",
        rationale="Mother disclosed a new partner with a history of violence",
        route="advice",
        outcome_for_referrer="We have given the family advice and contact details for parenting support.",
    )
    for url in (reverse("frontdoor:detail", args=[referral.pk]), reverse("frontdoor:mine")):
        html = client_for("dsl_north").get(url).content.decode()
        assert "Advice and signposting" in html and "Level 2: early help, additional needs" in html
        assert "history of violence" not in html
    detail = client_for("dsl_north").get(reverse("frontdoor:detail", args=[referral.pk])).content.decode()
    assert "contact details for parenting support" in detail


def test_the_referring_agencys_relationship_with_the_child_ends_when_the_referral_is_closed(world, client_for):
    south = client_for("dsl_south")
    referral = refer(south, given_name="Zara", family_name="Quill", date_of_birth=years_ago(9))
    record = reverse("people:record", args=[referral.person_id])
    opened = south.get(record)
    assert opened.status_code == 200
    assert "Your agency referred this child and the referral is still open" in opened.content.decode()
    assert client_for("dsl_north").get(record).status_code == 404, "only the referring agency"

    with pytest.raises(PermissionDenied):
        services.referral_close(actor=world.dsl_south, referral_id=referral.pk, reason="We changed our mind")
    with pytest.raises(ValidationError):
        services.referral_close(actor=world.frontdoor, referral_id=referral.pk, reason="  ")
    closed = services.referral_close(actor=world.frontdoor, referral_id=referral.pk, reason="Advice given; no more")
    assert (
        closed.status == Referral.Status.CLOSED and closed.closed_at and closed.close_reason == "Advice given; no more"
    )
    row = AuditEvent.objects.get(event="frontdoor.referral_close")
    assert row.person_id == referral.person_id and row.purpose == "Advice given; no more"
    with pytest.raises(ValidationError):
        services.referral_close(actor=world.frontdoor, referral_id=referral.pk, reason="Again")

    assert south.get(record).status_code == 404, "the relationship ended with the referral"
    # The school still follows its own referral: its page and its list, without a link to the record.
    detail = south.get(reverse("frontdoor:detail", args=[referral.pk])).content.decode()
    assert "Closed" in detail and f'href="{record}"' not in detail
    assert "Closed" in south.get(reverse("frontdoor:mine")).content.decode()


def test_a_command_may_close_a_referral(world):
    referral = services.referral_create(
        actor=world.alice, child=Named(person_id=world.amy.pk), reasons=["other"], story="x", consent="given"
    )
    closed = services.referral_close(actor=SystemActor("test"), referral_id=referral.pk, reason="Withdrawn by letter")
    assert closed.status == Referral.Status.CLOSED


# ---------------------------------------------------------------------------------------------------------
# The child's record


def test_the_record_shows_referrals_and_decisions_to_everyone_who_may_open_it(world, client_for):
    referral = refer(client_for("dsl_north"), **_amy(world))
    Decision.objects.create(
        referral=referral,
        decided_by=world.frontdoor,
        level=3,
        change="first",
        rationale="Persistent absence with worries at home",
        route="programme",
        outcome_for_referrer="Offered a place on a programme",
    )
    detail = reverse("frontdoor:detail", args=[referral.pk])
    for username, links in (("frontdoor", True), ("dsl_north", True), ("alice", False), ("police", False)):
        html = client_for(username).get(reverse("people:record", args=[world.amy.pk])).content.decode()
        for words in (
            referral.reference,
            "School attendance",
            "Northgate Academy",
            "Level 3: targeted, complex needs",
            "An early-help programme",
            "Persistent absence with worries at home",
        ):
            assert words in html, (username, words)
        assert (f'href="{detail}"' in html) == links, username
        data = client_for(username).get(reverse("people:export", args=[world.amy.pk])).json()["record"]["referrals"]
        assert data[0]["reference"] == referral.reference and data[0]["decisions"][0]["rationale"].startswith(
            "Persistent"
        )
        assert ("referral_id" in data[0]) == links, username


def test_a_record_without_referrals_says_so(world, client_for):
    html = client_for("frontdoor").get(reverse("people:record", args=[world.cara.pk])).content.decode()
    assert "No referrals." in html
