"""Causes for concern and triangulation: raising, reviewing and closing through the services and HTTP; who sees
what (a school raises, police working with the same child see that it exists and whom to call, never the note;
the front door sees all); the triangulation emails; bad input; the home page's panel."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.signals.models import Concern, ConcernReview
from continuum.signals.services.concerns import (
    concern_close,
    concern_raise,
    concern_request_triangulation,
    concern_review,
)

NOTE = "Came in hungry three mornings running; says mum has been in bed for days. Spoke to her at pick-up."


def raise_for_amy(world, *, by: str = "dsl_north", triangulation: bool = False, **kwargs) -> Concern:
    return concern_raise(
        actor=world.users[by],
        person_id=world.amy.pk,
        category="neglect",
        note=NOTE,
        triangulation=triangulation,
        **kwargs,
    )


def body(response) -> str:
    return response.content.decode()


# Raising.


def test_a_school_raises_a_concern_through_the_form(world, client_for):
    url = reverse("signals:concern_raise", args=[world.amy.pk])
    page = client_for("dsl_north").get(url)
    assert page.status_code == 200
    assert "<title>Raise a cause for concern" in body(page) and "Signs of neglect" in body(page)
    response = client_for("dsl_north", csrf=False).post(url, {"category": "neglect", "note": NOTE})
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("signals:concern", args=[concern.pk])
    assert concern.person == world.amy and concern.agency == world.northgate
    assert concern.practitioner == world.dsl_north.practitioner and concern.raised_by == world.dsl_north
    assert concern.review_by == timezone.localdate() + datetime.timedelta(days=28)
    assert not concern.triangulation and concern.status == "open"
    row = AuditEvent.objects.get(event="signals.concern_raise", action="create")
    assert row.person_id == world.amy.pk and NOTE not in json.dumps(row.detail) and NOTE not in row.purpose
