"""System checks: `continuum check`, migrations and the server's start-up refuse

- an access policy that leaves a kind of feed event without a category. The single view shows an event only to those
  who may read its category: an event with none could be neither shown nor withheld rightly, so the page would fail
  for every child with one;
- a malformed indicator definitions file, attendance protocol or gap finder rules file (the deployment's copy named
  by its setting, or the packaged one), naming the file and the entry, before a page or the night's run meets it.
  (The concern settings are checked in sections_concerns.py.)"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from continuum.agencies import access
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.gap.rules import RulesError as GapRulesError
from continuum.signals.gap.rules import load_rules as load_gap_rules
from continuum.signals.indicators.definitions import DefinitionsError, load_definitions
from continuum.signals.protocol.rules import RulesError as ProtocolRulesError
from continuum.signals.protocol.rules import load_rules as load_protocol_rules


def feed_event_kinds() -> set[str]:
    """Every kind of event the agency feeds send (the catalogue's tables that are events)."""
    return {table.event.kind for feed in FEEDS.values() for table in feed.tables if table.event is not None}


@register("continuum")
def event_categories_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        loaded = access.load_checked_policy()
    except access.PolicyError:
        return []  # agencies/checks.py reports the policy itself
    missing = sorted(feed_event_kinds() - set(loaded.event_categories))
    if not missing:
        return []
    return [
        Error(
            f"the access policy gives no category to the feed events {missing}, so nobody could be shown them or "
            "told whom to contact",
            hint="Name a category for each under [event_categories] in the access policy file.",
            id="continuum.E015",
        )
    ]


@register("continuum")
def settings_files_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    files = (
        ("INDICATORS_PATH", "signals/indicators.toml", load_definitions, DefinitionsError, "continuum.E016"),
        (
            "ATTENDANCE_PROTOCOL_PATH",
            "signals/attendance_protocol.toml",
            load_protocol_rules,
            ProtocolRulesError,
            "continuum.E017",
        ),
        ("GAP_RULES_PATH", "signals/gap_rules.toml", load_gap_rules, GapRulesError, "continuum.E018"),
    )
    for setting, packaged, load, error, code in files:
        try:
            load(getattr(settings, setting, None))
        except error as exc:
            found.append(
                Error(str(exc), hint=f"Correct the file (settings.{setting}, or the shipped {packaged}).", id=code)
            )
    return found
