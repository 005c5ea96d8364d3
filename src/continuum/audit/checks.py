"""System check: every audit event a module declares is named "<app label>.<name>" in lower case."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from continuum.audit.services import EVENT_NAME, declared_events


@register("continuum")
def audit_events_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(f"audit event {name!r} is not named <app label>.<name> in lower case", id="continuum.E002")
        for name in declared_events()
        if not EVENT_NAME.match(name)
    ]
