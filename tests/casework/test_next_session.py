"""The next session, booked when a session is recorded, on the practitioner's caseload until it has passed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from continuum.casework import services
from continuum.casework.models import Episode
from continuum.web.jinja2 import format_date
from tests.casework.helpers import days_ago, open_for_amy


def _session(world, episode, *, on: datetime.date, next_on: datetime.date | None = None):
    return services.session_record(
        actor=world.users["alice"],
        episode_id=episode.pk,
        held_on=on,
        kind="one_to_one",
        attendance="attended",
        duration_minutes=45,
        next_session_on=next_on,
    )


def test_the_next_session_booked_with_a_session_shows_on_the_caseload_until_it_has_passed(world, client_for):
    episode = open_for_amy(world)
    with pytest.raises(ValidationError, match="after this one"):
        _session(world, episode, on=days_ago(1), next_on=days_ago(2))
    booked = days_ago(-7)
    _session(world, episode, on=days_ago(1), next_on=booked)
    assert Episode.objects.get(pk=episode.pk).next_session_on == booked
    assert format_date(booked) in client_for("alice").get("/casework/").content.decode()
    # A session recorded on or after the booked day, with no new booking, leaves nothing booked.
    Episode.objects.filter(pk=episode.pk).update(next_session_on=days_ago(0))
    _session(world, episode, on=days_ago(0))
    assert Episode.objects.get(pk=episode.pk).next_session_on is None
    assert "Not booked" in client_for("alice").get("/casework/").content.decode()
