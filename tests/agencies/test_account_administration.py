"""An administrator tries to give themselves (or a friend) access to children's records through the admin pages.

Everything goes through HTTP, as the penetration test did.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from continuum.agencies.models import AccessChange, Practitioner, User
from continuum.audit.models import AuditEvent


@pytest.fixture
def second_admin(world):
    user = User.objects.create(username="admin2", email="admin2@example.org", is_staff=True)
    Practitioner.objects.create(
        user=user, given_name="Ada", family_name="Second", role="administrator", agency=world.council
    )
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _practitioner_form(practitioner: Practitioner, **changes) -> dict:
    data = {
        "given_name": practitioner.given_name,
        "family_name": practitioner.family_name,
        "email": practitioner.email,
        "role": practitioner.role,
        "agency": str(practitioner.agency_id),
        "team": str(practitioner.team_id or ""),
        "caseload_capacity": practitioner.caseload_capacity or "",
        "user": practitioner.user_id or "",
        "_save": "Save",
    }
    data.update(changes)
    return data


def _change_url(obj) -> str:
    return f"/admin/agencies/{obj._meta.model_name}/{obj.pk}/change/"


def test_an_administrator_cannot_make_themselves_a_front_door_worker(world):
    me = world.admin.practitioner
    client = _client(world.admin)
    response = client.post(_change_url(me), _practitioner_form(me, role="front_door", agency=str(world.eh.pk)))
    assert response.status_code == 403
    me.refresh_from_db()
    assert me.role == "administrator" and me.agency_id == world.council.pk
    assert client.get(reverse("people:record", args=[world.amy.pk])).status_code == 404


def test_an_administrator_cannot_change_their_own_account(world):
    client = _client(world.admin)
    response = client.post(
        _change_url(world.admin),
        {"username": "admin", "first_name": "A", "last_name": "B", "email": "me@evil.example", "is_active": "on"},
    )
    assert response.status_code == 403
    world.admin.refresh_from_db()
    assert world.admin.email != "me@evil.example"
    assert client.post(reverse("admin:agencies_user_password_reset", args=[world.admin.pk])).status_code == 403


def test_giving_someone_access_to_childrens_records_waits_for_a_second_administrator(world, second_admin):
    dan_worker = world.nobody  # an account with no practitioner: sees nothing today
    target = Practitioner.objects.create(
        given_name="Pat", family_name="Friend", role="analyst", agency=world.council, email="pat@example.org"
    )
    client = _client(world.admin)
    response = client.post(
        _change_url(target),
        _practitioner_form(target, role="front_door", agency=str(world.eh.pk), user=dan_worker.pk),
        follow=True,
    )
    assert response.status_code == 200
    assert "waits for another administrator" in response.content.decode()
    target.refresh_from_db()
    assert (target.role, target.user_id) == ("analyst", None)  # nothing applied yet
    assert _client(dan_worker).get(reverse("people:record", args=[world.amy.pk])).status_code == 404
    change = AccessChange.objects.get()
    assert change.status == "pending" and set(change.changes) == {"role", "agency", "user"}

    # The administrator who asked cannot approve it.
    changelist = "/admin/agencies/accesschange/"
    client.post(changelist, {"action": "approve", "_selected_action": [change.pk]})
    change.refresh_from_db()
    assert change.status == "pending"

    # A second administrator can; then (and only then) the access exists.
    _client(second_admin).post(changelist, {"action": "approve", "_selected_action": [change.pk]})
    change.refresh_from_db()
    target.refresh_from_db()
    assert change.status == "approved" and change.decided_by == second_admin
    assert (target.role, target.user_id) == ("front_door", dan_worker.pk)
    assert _client(dan_worker).get(reverse("people:record", args=[world.amy.pk])).status_code == 200
    events = list(
        AuditEvent.objects.filter(event__startswith="agencies.access_change")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events == ["agencies.access_change_request", "agencies.access_change_approve"]


def test_a_change_that_takes_access_away_applies_at_once_and_is_audited(world):
    bob = world.bob.practitioner
    _client(world.admin).post(_change_url(bob), _practitioner_form(bob, role="analyst"))
    bob.refresh_from_db()
    assert bob.role == "analyst"
    row = AuditEvent.objects.get(event="agencies.practitioner_update")
    assert row.actor_username == "admin" and row.detail["access"]["role"] == {"from": "practitioner", "to": "analyst"}
    assert not AccessChange.objects.exists()


def test_an_administrator_resetting_a_password_never_learns_it_and_the_old_one_stops_working(
    world, django_capture_on_commit_callbacks
):
    world.bob.set_password("bobs own long passphrase")
    world.bob.email = "bob@example.org"
    world.bob.save()
    client = _client(world.admin)
    page = client.get(reverse("admin:agencies_user_password_reset", args=[world.bob.pk]))
    assert page.status_code == 200 and b"you never see" in page.content
    # Django's own "set this user's password" form is not available.
    response = client.post(
        f"/admin/agencies/user/{world.bob.pk}/password/",
        {"password1": "admin chose this one", "password2": "admin chose this one"},
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.check_password("bobs own long passphrase")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:agencies_user_password_reset", args=[world.bob.pk]))
    world.bob.refresh_from_db()
    assert not world.bob.has_usable_password()
    signin = Client().post(reverse("login"), {"username": "bob", "password": "bobs own long passphrase"})
    assert signin.status_code == 200 and "_auth_user_id" not in signin.wsgi_request.session
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert AuditEvent.objects.filter(event="agencies.password_reset", actor_username="admin").count() == 1

    link = re.search(r"/accounts/password/set/\S+/", mail.outbox[0].body).group(0)
    owner = Client()
    form = owner.get(link, follow=True)
    assert b"Set your password" in form.content
    done = owner.post(
        form.redirect_chain[-1][0],
        {"new_password1": "bob chose a new passphrase", "new_password2": "bob chose a new passphrase"},
    )
    assert done.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.check_password("bob chose a new passphrase")
    assert AuditEvent.objects.filter(event="agencies.password_set", actor_username="bob").count() == 1
    assert Client().get(link, follow=True).content.count(b"This link has expired") >= 1  # single use


def test_changing_where_password_links_go_waits_for_a_second_administrator(world):
    """Otherwise an administrator could point someone's email at themselves, reset, and sign in as them."""
    world.frontdoor.email = "frontdoor@example.org"
    world.frontdoor.save()
    client = _client(world.admin)
    client.post(
        _change_url(world.frontdoor),
        {
            "username": "frontdoor",
            "first_name": "Front",
            "last_name": "Door",
            "email": "admin-owned@evil.example",
            "is_active": "on",
        },
    )
    world.frontdoor.refresh_from_db()
    assert world.frontdoor.email == "frontdoor@example.org"
    assert world.frontdoor.first_name == "Front"  # the harmless part applied
    assert AccessChange.objects.get().changes == {
        "email": {"from": "frontdoor@example.org", "to": "admin-owned@evil.example"}
    }


def test_a_new_account_gets_a_link_not_a_password(world, django_capture_on_commit_callbacks):
    client = _client(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/agencies/user/add/",
            {"username": "newbie", "first_name": "New", "last_name": "Starter", "email": "newbie@example.org"},
        )
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert not newbie.has_usable_password()
    assert mail.outbox[-1].to == ["newbie@example.org"] and "/accounts/password/set/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(event="agencies.account_create").count() == 1


def test_the_command_line_only_sets_known_passwords_for_the_demo(world):
    from django.core.exceptions import PermissionDenied

    from continuum.agencies.services import practitioner_account_set

    with pytest.raises(PermissionDenied):
        practitioner_account_set(actor=world.admin, practitioner=world.bob.practitioner, username="bob")


def test_non_administrators_get_the_services_own_page_not_found_at_admin(world, client_for):
    for username in ("frontdoor", "alice", "analyst", "nobody"):
        response = client_for(username).get("/admin/")
        assert response.status_code == 404, username
        assert b"log in as another account" not in response.content.lower()
        assert b"Page not found" in response.content


def test_turning_an_agency_into_the_police_waits_for_a_second_administrator(world, second_admin):
    """Information-sharing rules follow the kind of agency: a school made 'police' would read intelligence."""
    school = world.northgate
    form = {"name": school.name, "kind": "police", "locality": "", "school_phase": "", "urn": "", "place": ""}
    form.update({"contact_phone": "", "contact_email": ""})
    _client(world.admin).post(_change_url(school), form)
    school.refresh_from_db()
    assert school.kind == "school"
    html = _client(world.dsl_north).get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert ">Known to police<" not in html
    change = AccessChange.objects.get()
    _client(second_admin).post("/admin/agencies/accesschange/", {"action": "approve", "_selected_action": [change.pk]})
    school.refresh_from_db()
    assert school.kind == "police"


def test_renaming_an_agency_applies_at_once_and_is_audited(world):
    form = {"name": "Northgate Academy Trust", "kind": "school", "locality": "", "school_phase": "", "urn": ""}
    form.update({"place": "", "contact_phone": "01632 960123", "contact_email": ""})
    _client(world.admin).post(_change_url(world.northgate), form)
    world.northgate.refresh_from_db()
    assert world.northgate.name == "Northgate Academy Trust"
    assert AuditEvent.objects.filter(event="agencies.agency_save").count() == 1
