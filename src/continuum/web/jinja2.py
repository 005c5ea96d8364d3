"""The Jinja2 environment: GOV.UK Frontend macros, Django's static and url helpers, a few filters."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from continuum.web.forms import date_items, error_summary, field_error
from continuum.web.navigation import navigation


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value: datetime.date | datetime.datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def _datetime(value: datetime.datetime | None) -> str:
    return _date(value, "%-d %B %Y, %H:%M") if value else ""


def _link(href: str, text: str, hidden: str = "") -> Markup:
    """A GOV.UK link for table cells and summary values, with everything escaped."""
    extra = Markup('<span class="govuk-visually-hidden"> {}</span>').format(hidden) if hidden else ""
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(href, text, extra)


def _lines(*parts: str | None) -> Markup:
    """Escaped lines joined with line breaks, such as an address."""
    return Markup("<br>").join(p for p in parts if p)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    # Django passes autoescape=True in options; every template is HTML.
    env = Environment(  # noqa: S701
        loader=ChoiceLoader([loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]),
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    env.globals.update(
        {
            "static": static,
            "url": _url,
            "get_messages": get_messages,
            "link": _link,
            "lines": _lines,
            "error_summary": error_summary,
            "field_error": field_error,
            "date_items": date_items,
            "nav": navigation,
            "settings": settings,
        }
    )
    env.filters.update({"date": _date, "datetime": _datetime})
    return env
