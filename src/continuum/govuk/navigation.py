"""An entry in the service navigation, which a module declares on its AppConfig (see web/navigation.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    allowed: Callable[[Any], bool]  # may this signed-in user use the page?
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A part of the home page a module adds (its alerts, say): `build(request)` returns the template's context,
    or None to show nothing for this user. Declared by `home_panels()` on the module's AppConfig."""

    template: str
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 100
