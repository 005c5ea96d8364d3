"""System check: `continuum check`, migrations and the server's start-up refuse an access policy that leaves a kind of
feed event without a category. The single view shows an event only to those who may read its category: an event
with none could be neither shown nor withheld rightly, so the page would fail for every child with one."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from continuum.agencies import access
from continuum.signals.feeds.catalogue import FEEDS


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
