"""Helpers the page templates call: links and lines escaped for GOV.UK macros, and dates as GOV.UK writes them."""

from __future__ import annotations

import datetime

from django.utils import timezone
from markupsafe import Markup


def format_date(value: datetime.date | datetime.datetime | None, fmt: str = "%-d %B %Y") -> str:
    """A date as GOV.UK writes it (27 March 2015); datetimes in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def format_datetime(value: datetime.datetime | None) -> str:
    return format_date(value, "%-d %B %Y, %H:%M") if value else ""


def link(href: str, text: str, hidden: str = "") -> Markup:
    """A GOV.UK link for table cells and summary values, with everything escaped."""
    extra = Markup('<span class="govuk-visually-hidden"> {}</span>').format(hidden) if hidden else ""
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(href, text, extra)


def lines(*parts: str | None) -> Markup:
    """Escaped lines joined with line breaks, such as an address."""
    return Markup("<br>").join(p for p in parts if p)
