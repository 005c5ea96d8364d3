"""The admin pages: administrators manage agencies and accounts; nobody reaches a child's data there."""

from __future__ import annotations

from django.test import Client

from continuum.agencies.models import User


def _staff_client(user: User) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_manages_agencies_and_accounts(world):
    client = _staff_client(world.admin)
    assert client.get("/admin/agencies/agency/").status_code == 200
    assert client.get("/admin/agencies/user/").status_code == 200
    assert client.get(f"/admin/agencies/agency/{world.eh.pk}/delete/").status_code == 403


def test_staff_status_or_superuser_alone_opens_nothing(world):
    assert _staff_client(world.frontdoor).get("/admin/agencies/agency/").status_code == 404
    boss = User.objects.create(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/agencies/practitioner/").status_code == 404


def test_no_childs_data_is_in_the_admin(world):
    client = _staff_client(world.admin)
    for path in ("/admin/people/person/", "/admin/agencies/involvement/", "/admin/audit/auditevent/"):
        assert client.get(path).status_code == 404, path
    assert b"Ashdown" not in client.get("/admin/").content


def test_the_admin_sign_in_is_the_services_own(world):
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert b"Sign in" in response.content
