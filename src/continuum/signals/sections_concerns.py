"""Causes for concern as a section of the child's record (the page and the download), and the start-up check of
the concern settings. Imported from SignalsConfig.ready().

The section shows what concerns_for_view shows: to everyone who may open the record, that each concern exists,
who raised it and how to reach them; the category, the note, the reviews and the outcome to the front door and
the raiser's agency only (docs/concerns.md).
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from continuum.people.selectors import RecordContext, record_section
from continuum.signals.concern_settings import ConcernSettingsError
from continuum.signals.selectors.concerns import ConcernsShown, concern_settings, concerns_for_view


@record_section("concerns", title="Causes for concern", template="signals/concern_section.html", order=37)
def _concerns(ctx: RecordContext) -> ConcernsShown:
    return concerns_for_view(ctx)


@_concerns.export
def _(shown: ConcernsShown) -> dict[str, Any]:
    return {"causes_for_concern": [c.as_export() for c in shown.items]}


@checks.register("continuum")  # the tag the server's start-up runs (web/wsgi.py)
def concern_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse to start with a malformed concerns.toml, naming the entry (as the access policy's check does)."""
    concern_settings.cache_clear()
    try:
        concern_settings()
    except ConcernSettingsError as exc:
        return [
            checks.Error(
                str(exc),
                hint="Correct the concern settings (settings.CONCERNS_PATH, or the shipped signals/concerns.toml).",
                id="signals.E001",
            )
        ]
    return []
