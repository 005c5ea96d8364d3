"""Two-factor codes: required by default; set up with an authenticator app key, then asked at each sign-in."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


@pytest.fixture
def two_factor(settings, world):
    settings.REQUIRE_TWO_FACTOR = True
    world.alice.set_password(PASSWORD)
    world.alice.save()
    return world


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_first_sign_in_sets_up_an_authenticator_then_every_page_opens(two_factor):
    client = Client()
    _sign_in(client)
    response = client.get(reverse("people:search"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup")).content.decode()
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=two_factor.alice)
    assert key.replace(" ", "") in base64.b32encode(device.bin_key).decode()

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # wrong codes slow further tries down
    device.throttle_reset()
    assert client.post(reverse("two_factor_setup"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("people:search")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_later_sign_ins_ask_for_a_code_before_any_page(two_factor):
    device = TOTPDevice.objects.create(user=two_factor.alice, name="app", confirmed=True)
    client = Client()
    _sign_in(client)
    for name in ("home", "people:search", "audit:events"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("two_factor_verify")
    assert "The code is 6 digits" in client.post(reverse("two_factor_verify"), {"code": "12ab"}).content.decode()
    assert client.post(reverse("two_factor_verify"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_code_cannot_be_skipped_by_going_straight_to_a_childs_record(two_factor):
    TOTPDevice.objects.create(user=two_factor.alice, name="app", confirmed=True)
    client = Client()
    _sign_in(client)
    response = client.get(reverse("people:record", args=[two_factor.amy.pk]))
    assert response.status_code == 302
    assert "Ashdown" not in response.content.decode()
