"""Information-sharing rules by role and kind of agency; withheld work still names whom to contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from continuum.agencies.models import Agency, Practitioner, User
from continuum.agencies.services import involvement_open
from continuum.people.models import Relationship
from continuum.people.services import relationship_add
from tests.conftest import years_ago


@pytest.fixture
def charity(world):
    """A young carers' charity working with amy, and youth justice working with her too."""
    trust = Agency.objects.create(name="Shireford Young Carers", kind="voluntary", contact_phone="01632 960001")
    user = User.objects.create(username="vcs")
    Practitioner.objects.create(
        user=user, given_name="Val", family_name="Carer", role="practitioner", agency=trust, email="val@example.org"
    )
    yjs = Agency.objects.create(name="Shireford Youth Justice", kind="youth_justice", contact_email="yjs@example.org")
    involvement_open(actor=user, person=world.amy, agency=trust, kind="voluntary_support", start_date=years_ago(0, 10))
    involvement_open(actor=user, person=world.amy, agency=yjs, kind="youth_justice", start_date=years_ago(0, 40))
    world.users["vcs"] = user
    return trust


def _record(client_for, username: str, person) -> tuple[str, dict]:
    client = client_for(username)
    html = client.get(reverse("people:record", args=[person.pk])).content.decode().replace("\n", "")
    return html, client.get(reverse("people:export", args=[person.pk])).json()["record"]


def test_a_voluntary_sector_practitioner_does_not_read_youth_justice_or_police_detail(world, client_for, charity):
    html, exported = _record(client_for, "vcs", world.amy)
    assert ">Voluntary sector support<" in html
    for withheld in (">Youth justice<", ">Known to police<", ">CAMHS<"):
        assert withheld not in html
    assert {i["kind"] for i in exported["involvements"]} == {"voluntary_support", "early_help", "school_roll"}


def test_a_statutory_practitioner_of_the_same_role_reads_youth_justice(world, client_for, charity):
    html, exported = _record(client_for, "alice", world.amy)
    assert ">Youth justice<" in html
    assert "youth_justice" in {i["kind"] for i in exported["involvements"]}


def test_withheld_work_says_another_agency_is_involved_and_whom_to_contact_not_what(world, client_for, charity):
    html, exported = _record(client_for, "vcs", world.amy)
    assert "Other agencies working with this child" in html
    assert "Shireford Youth Justice" in html and "yjs@example.org" in html
    assert "Test Police" in html and "Test CAMHS" in html
    others = {c["agency"] for c in exported["other_agencies_involved"]}
    assert others == {"Shireford Youth Justice", "Test Police", "Test CAMHS"}
    assert "youth_justice" not in str(exported["other_agencies_involved"])
    html, _ = _record(client_for, "alice", world.amy)
    assert "Test CAMHS" in html and ">CAMHS<" not in html  # health detail stays with health


def test_a_school_sees_that_police_are_involved_not_the_intelligence(world, client_for):
    html, exported = _record(client_for, "dsl_north", world.amy)
    assert "Test Police" in html and ">Known to police<" not in html
    assert "police_contact" not in {i["kind"] for i in exported["involvements"]}


@pytest.fixture
def associate(world):
    return relationship_add(
        actor=world.frontdoor,
        from_person=world.amy,
        to_person=world.cara,
        kind="peer",
        source="Police incident: seen together",
        confidence="inferred",
    )


@pytest.mark.parametrize(("username", "sees"), [("frontdoor", True), ("police", True), ("alice", False)])
def test_inferred_relationships_show_only_to_the_roles_a_rule_names(world, client_for, associate, username, sees):
    html, exported = _record(client_for, username, world.amy)
    assert ("Cara Dunmore" in html) == sees
    assert ("Cara Dunmore" in {r["name"] for r in exported["relationships"]}) == sees


def test_an_inferred_relationship_once_confirmed_shows_to_everyone_who_may_open_the_record(
    world, client_for, associate
):
    Relationship.objects.filter(pk=associate.pk).update(confidence="confirmed")
    html, _ = _record(client_for, "alice", world.amy)
    assert "Cara Dunmore" in html


def test_a_download_names_related_people_but_gives_ids_only_of_records_the_viewer_may_open(world, client_for):
    _, exported = _record(client_for, "alice", world.amy)
    related = {r["name"]: r for r in exported["relationships"]}
    assert "person_id" not in related["Benjamin Carter (known as Ben)"]
    assert "person_id" not in related["Megan Ashdown"]
    body = client_for("alice").get(reverse("people:export", args=[world.amy.pk])).content.decode()
    assert str(world.ben.pk) not in body and str(world.mum.pk) not in body
    _, exported = _record(client_for, "frontdoor", world.amy)
    assert {r["person_id"] for r in exported["relationships"]} == {str(world.ben.pk), str(world.mum.pk)}
