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
