"""The Jinja2 environment: GOV.UK Frontend macros, Django's static and url helpers, a few filters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from continuum.govuk.forms import date_items, error_summary, field_error
from continuum.govuk.templating import format_date, format_datetime, lines, link, pagination, stacked
from continuum.web.navigation import navigation


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


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
            "link": link,
            "lines": lines,
            "stacked": stacked,
            "pagination": pagination,
            "error_summary": error_summary,
            "field_error": field_error,
            "date_items": date_items,
            "nav": navigation,
            "settings": settings,
        }
    )
    env.filters.update({"date": format_date, "datetime": format_datetime})
    return env
