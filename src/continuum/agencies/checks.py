"""System checks: `continuum check`, migrations and the server's start-up refuse a malformed access policy."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register

from continuum.agencies import access
from continuum.agencies.policy import PolicyError


@register("continuum")
def access_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The policy file in force reads, names only known things, and every relationship it names has code behind it."""
    try:
        loaded = access.load_checked_policy()
    except PolicyError as exc:
        return [
            Error(
                str(exc),
                hint="Correct the access policy file (CONTINUUM_ACCESS_POLICY, or the shipped access_policy.toml).",
                id="continuum.E001",
            )
        ]
    unused = sorted(access.registered_sources() - set(loaded.relationships))
    if unused:
        return [
            Warning(
                f"relationship sources {unused} are provided by installed modules but the access policy does not "
                "describe them, so they give no role a working relationship",
                hint="Describe them under [relationships] and list them for the roles they should count for.",
                id="continuum.W001",
            )
        ]
    return []
