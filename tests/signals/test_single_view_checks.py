"""Every kind of event the agency feeds send has an information-sharing category in the access policy: the system
check (`continuum check`, and the server's start-up) refuses a policy that leaves one out."""

from __future__ import annotations

import dataclasses

from django.core.management import call_command

from continuum.agencies import access
from continuum.signals import checks
from continuum.signals.feeds.catalogue import FEEDS


def test_the_shipped_policy_gives_every_feed_event_a_category():
    kinds = {t.event.kind for f in FEEDS.values() for t in f.tables if t.event is not None}
    assert kinds == checks.feed_event_kinds()
    assert kinds <= set(access.policy().event_categories)
    assert checks.event_categories_check() == []


def test_a_policy_without_a_category_for_an_event_is_refused(monkeypatch):
    shipped = access.load_checked_policy()
    short = dataclasses.replace(
        shipped, event_categories={k: c for k, c in shipped.event_categories.items() if k != "police_incident"}
    )
    monkeypatch.setattr(access, "load_checked_policy", lambda: short)
    [error] = checks.event_categories_check()
    assert error.id == "continuum.E015" and "police_incident" in error.msg


def test_the_check_runs_with_the_others(capsys):
    call_command("check", tags=["continuum"])
    assert "no issues" in capsys.readouterr().out
