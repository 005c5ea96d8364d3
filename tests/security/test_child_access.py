"""Every role tries to open every child: allowed reads are audited once, everything else is refused alike."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from continuum.audit.models import AuditEvent

PEOPLE = ("amy", "ben", "cara", "dan", "mum")
# Who may open whose record under the shipped policy, and why (see tests/conftest.py for the world).
ALLOWED = {
    "frontdoor": {"amy", "ben", "cara", "dan", "mum"},  # the front door screens everyone
    "alice": {"amy"},  # her agency's open early help, and she is allocated
    "manager": {"amy"},  # his agency's open early help
    "bob": {"ben"},  # open child in need, allocated
    "cscmanager": {"ben"},
    "dsl_north": {"amy"},  # on Northgate's roll
    "dsl_south": {"ben"},  # on Southgate's roll
    "police": {"amy"},  # known to police
    "nurse": set(),  # the health trust has no open service with any of them
    "camhs": {"amy"},  # open with CAMHS
    "chair": {"amy"},  # early help is the chair's agency
    "analyst": set(),  # aggregates only
    "admin": set(),  # runs the system, reads no child's record
    "nobody": set(),  # signed in but no practitioner profile
}


def _cases():
    for username, allowed in ALLOWED.items():
        for person in PEOPLE:
            yield pytest.param(username, person, person in allowed, id=f"{username}-{person}")


@pytest.mark.parametrize(("username", "person", "allowed"), list(_cases()))
def test_record_is_shown_only_where_the_policy_allows(world, client_for, username, person, allowed):
    target = world.people[person]
    before = AuditEvent.objects.count()
    response = client_for(username).get(reverse("people:record", args=[target.pk]))
    new = AuditEvent.objects.filter(pk__gt=_last_id_before(before)).order_by("id")
    if allowed:
        assert response.status_code == 200
        assert target.family_name in response.content.decode()
        views = [e for e in new if e.action == "view"]
        assert len(views) == 1, "each allowed read writes exactly one audit row"
        assert views[0].person_id == target.pk and views[0].actor_username == username
        assert views[0].purpose
    else:
        assert response.status_code == 404
        assert target.family_name not in response.content.decode()
        assert [e.action for e in new] == ["refused"]


@pytest.mark.parametrize(("username", "person", "allowed"), list(_cases()))
def test_export_follows_the_same_rules_and_is_audited_as_an_export(world, client_for, username, person, allowed):
    target = world.people[person]
    response = client_for(username).get(reverse("people:export", args=[target.pk]))
    if allowed:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response.json()["record"]["id"] == str(target.pk)
        assert AuditEvent.objects.filter(action="export", person_id=target.pk, actor_username=username).count() == 1
    else:
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="export", person_id=target.pk).exists()


def _last_id_before(count: int) -> int:
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    return ids[count - 1] if count else 0


@pytest.mark.parametrize("username", ["alice", "frontdoor", "dsl_north"])
def test_guessed_and_sequential_ids_are_refused_like_other_childrens(world, client_for, username):
    client = client_for(username)
    for guess in (uuid.uuid4(), uuid.UUID(int=1), uuid.UUID(int=world.cara.pk.int + 1)):
        assert client.get(reverse("people:record", args=[guess])).status_code == 404
        assert client.get(reverse("people:export", args=[guess])).status_code == 404
    for path in (
        "/children/1/",
        "/children/2/export.json",
        "/children/amy/",
        f"/children/{world.amy.nhs_number}/",
    ):
        assert client.get(path).status_code == 404


def test_a_guess_of_a_real_id_looks_the_same_as_a_guess_of_none(world, client_for):
    client = client_for("alice")
    real = client.get(reverse("people:record", args=[world.cara.pk]))
    invented = client.get(reverse("people:record", args=[uuid.uuid4()]))
    assert real.status_code == invented.status_code == 404
    assert real.content == invented.content


@pytest.mark.parametrize(
    ("username", "query", "expected"),
    [
        ("frontdoor", {"name": "ashdown"}, {"amy", "mum"}),
        ("frontdoor", {"name": "ben"}, {"ben"}),  # known-as names are searched too
        (
            "alice",
            {"name": "ashdown"},
            {"amy"},
        ),  # mum shares the surname but alice has no relationship with her
        ("alice", {"name": "carter"}, set()),  # ben exists, but not for alice
        ("dsl_south", {"name": "c"}, {"ben"}),  # cara matches too, but is not on Southgate's roll
        ("police", {"identifier": "943 476 5919"}, {"amy"}),
        ("bob", {"identifier": "9434765919"}, set()),
        ("frontdoor", {"postcode": "SF12AB"}, {"amy"}),
    ],
)
def test_search_finds_only_children_the_user_may_open(world, client_for, username, query, expected):
    response = client_for(username).post(reverse("people:search"), query, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    found = {key for key in PEOPLE if f'href="{reverse("people:record", args=[world.people[key].pk])}"' in html}
    assert {key for key in PEOPLE if str(world.people[key].pk) in html} == found
    assert found == expected
    search = AuditEvent.objects.filter(action="search", actor_username=username).get()
    assert search.detail["results"] == len(expected)
    assert set(search.detail["shown"]) == {str(world.people[k].pk) for k in expected}


@pytest.mark.parametrize("username", ["analyst", "admin", "nobody"])
def test_roles_without_record_access_cannot_search(world, client_for, username):
    response = client_for(username).post(reverse("people:search"), {"name": "ashdown"})
    assert response.status_code == 403
    assert "Ashdown" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="search").exists()


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for url in (
        reverse("home"),
        reverse("people:search"),
        reverse("people:record", args=[world.amy.pk]),
        reverse("people:export", args=[world.amy.pk]),
        reverse("people:population"),
        reverse("people:break_glass"),
        reverse("audit:events"),
        reverse("audit:break_glass"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_related_people_are_named_but_linked_only_when_the_user_may_open_them(world, client_for):
    html = client_for("alice").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Benjamin Carter" in html  # amy's half-brother is part of her story
    assert reverse("people:record", args=[world.ben.pk]) not in html  # but alice cannot open his record
    html = client_for("frontdoor").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert f'href="{reverse("people:record", args=[world.ben.pk])}"' in html


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("alice", {"On the school roll", "Early help"}, {"Known to police", "CAMHS"}),
        ("police", {"Known to police", "Early help"}, {"CAMHS"}),
        ("camhs", {"CAMHS", "Early help"}, {"Known to police"}),
        ("frontdoor", {"Known to police", "Early help"}, {"CAMHS"}),
        ("dsl_north", {"On the school roll"}, {"Known to police", "CAMHS"}),
    ],
)
def test_information_sharing_rules_decide_which_involvements_a_role_reads(world, client_for, username, shown, hidden):
    response = client_for(username).get(reverse("people:record", args=[world.amy.pk]))
    html = response.content.decode()
    for text in shown:
        assert f">{text}<" in html.replace("\n", ""), text
    for text in hidden:
        assert f">{text}<" not in html.replace("\n", ""), text
    exported = client_for(username).get(reverse("people:export", args=[world.amy.pk])).json()
    kinds = {i["kind"] for i in exported["record"]["involvements"]}
    assert ("camhs" in kinds) == ("CAMHS" in shown)
    assert ("police_contact" in kinds) == ("Known to police" in shown)


def test_record_page_stays_within_its_query_budget(world, client_for, django_assert_max_num_queries):
    client = client_for("alice")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("people:record", args=[world.amy.pk])).status_code == 200


def test_the_household_is_shown_with_links_only_to_records_the_user_may_open(world, client_for):
    from continuum.people.models import Household, HouseholdMember

    home = Household.objects.create(structure="lone_parent", postcode="SF1 2AB")
    for person, role in ((world.amy, "child"), (world.mum, "parent"), (world.ben, "child")):
        HouseholdMember.objects.create(household=home, person=person, household_role=role)
    type(world.amy).objects.filter(pk=world.amy.pk).update(household=home)
    html = client_for("alice").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Megan Ashdown" in html and "Parent" in html
    assert reverse("people:record", args=[world.mum.pk]) not in html
    html = client_for("frontdoor").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert f'href="{reverse("people:record", args=[world.mum.pk])}"' in html


def test_search_results_stay_within_their_query_budget(world, client_for, django_assert_max_num_queries):
    from continuum.people.services import person_create

    for i in range(20):
        person_create(actor=world.frontdoor, given_name=f"Sam{i}", family_name="Budget", sex="U")
    client = client_for("frontdoor")
    client.post(reverse("people:search"), {"name": "budget"})  # the criteria go to the session
    with django_assert_max_num_queries(15):  # constant: none per result row
        response = client.get(reverse("people:search"))
    assert len(re.findall(r'href="/children/[0-9a-f-]{36}/"', response.content.decode())) == 20


# The team around the family (casework): a place in an episode's team gives a working relationship with the child,
# for as long as the place lasts, and with nobody else in the family.
@pytest.mark.parametrize("username", ["nurse", "dsl_south", "bob"])
def test_a_place_in_the_team_around_the_family_opens_the_child_while_it_lasts(world, client_for, username):
    from continuum.casework.services import team_member_add, team_member_end
    from tests.casework.helpers import open_for_amy

    episode = open_for_amy(world)
    member = team_member_add(
        actor=world.alice, episode_id=episode.pk, practitioner_id=world.users[username].practitioner.pk, role="Support"
    )
    client = client_for(username)
    for person in PEOPLE:
        expected = 200 if person == "amy" or person in ALLOWED[username] else 404
        assert client.get(reverse("people:record", args=[world.people[person].pk])).status_code == expected, person
    team_member_end(actor=world.alice, team_member_id=member.pk)
    for person in PEOPLE:
        expected = 200 if person in ALLOWED[username] else 404
        assert client.get(reverse("people:record", args=[world.people[person].pk])).status_code == expected, person
