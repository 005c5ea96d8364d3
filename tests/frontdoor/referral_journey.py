"""Walking the referral's question pages through HTTP, as a referrer's browser would."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from continuum.frontdoor.models import Referral


def begin(client: Client) -> str:
    """Start a referral; the address of its draft ('/referrals/new/<uuid>/')."""
    response = client.post(reverse("frontdoor:start"), {"action": "start"})
    assert response.status_code == 302, response.content
    assert response["Location"].endswith("/child/")
    return response["Location"].removesuffix("child/")


def born(day: datetime.date | None) -> dict[str, str]:
    if day is None:
        return {}
    return {
        "date_of_birth-day": str(day.day),
        "date_of_birth-month": str(day.month),
        "date_of_birth-year": str(day.year),
    }


def describe_child(client: Client, draft: str, **typed: Any) -> Any:
    """Answer "Who are you referring?"; returns the response (a redirect to the tell-it-once page when valid)."""
    data = {k: v for k, v in typed.items() if k != "date_of_birth"}
    return client.post(f"{draft}child/", {**data, **born(typed.get("date_of_birth"))})


def matches_page(client: Client, draft: str, step: str = "child-matches") -> str:
    response = client.get(f"{draft}{step}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def choose(client: Client, draft: str, choice: Any, step: str = "child-matches") -> Any:
    return client.post(f"{draft}{step}/", {"choice": str(choice)})


def add_family_member(client: Client, draft: str, *, choice: Any = "new", **typed: Any) -> None:
    assert client.post(f"{draft}family/", {"add": "yes"}).status_code == 302
    data = {k: v for k, v in typed.items() if k != "date_of_birth"}
    response = client.post(f"{draft}family-member/", {**data, **born(typed.get("date_of_birth"))})
    assert response.status_code == 302, response.content.decode()
    response = choose(client, draft, choice, step="family-matches")
    assert response.status_code == 302, response.content.decode()


def finish(
    client: Client,
    draft: str,
    *,
    reasons: tuple[str, ...] = ("school_attendance", "emotional_wellbeing"),
    story: str = "Attendance has dropped to 60% since September and she says she is frightened at home.",
    child_wants: str = "I want things at home to calm down",
    family_wants: str = "",
    consent: str = "given",
    consent_reason: str = "",
) -> None:
    """Answer every page after the child: no more family members, reasons, story, wishes, consent."""
    for step, data in (
        ("family", {"add": "no"}),
        ("reasons", {"reasons": list(reasons)}),
        ("story", {"story": story}),
        ("wishes", {"child_wants": child_wants, "family_wants": family_wants}),
        ("consent", {"consent": consent, "consent_reason": consent_reason}),
    ):
        response = client.post(f"{draft}{step}/", data)
        assert response.status_code == 302, (step, response.content.decode())


def send(client: Client, draft: str) -> Referral:
    response = client.post(f"{draft}check/")
    assert response.status_code == 302, response.content.decode()
    match = re.fullmatch(r"/referrals/sent/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return Referral.objects.get(pk=match.group(1))


def refer(client: Client, *, choice: Any = None, **child: Any) -> Referral:
    """A whole referral: describe the child, choose the record offered (`choice`, or the only one the
    referrer may open) or a new person, answer the rest, send."""
    draft = begin(client)
    assert describe_child(client, draft, **child).status_code == 302
    if choice is None:
        html = matches_page(client, draft)
        offered = re.findall(r'name="choice" type="radio" value="([0-9a-f-]{36})"', html)
        choice = offered[0] if len(offered) == 1 else "new"
    assert choose(client, draft, choice).status_code == 302
    finish(client, draft)
    return send(client, draft)
