"""Helpers the page templates call: links and lines escaped for GOV.UK macros, and dates as GOV.UK writes them."""

from __future__ import annotations

import datetime
from typing import Any

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


def stacked(params: dict[str, Any]) -> dict[str, Any]:
    """govukTable parameters for a table that stacks into labelled rows on a narrow screen (reflow at 320 px).

    Each cell carries its column's heading as data-label, which the stylesheet shows above the value
    when the table no longer fits across the screen.
    """
    head = [str(cell.get("text", "")) for cell in params.get("head", [])]
    rows = [
        [
            {**cell, "attributes": {**cell.get("attributes", {}), "data-label": head[i] if i < len(head) else ""}}
            for i, cell in enumerate(row)
        ]
        for row in params.get("rows", [])
    ]
    return {**params, "rows": rows, "classes": f"{params.get('classes', '')} continuum-table--stack".strip()}


def pagination(page: Any, query: str = "") -> dict[str, Any] | None:
    """govukPagination parameters for a Django Page: previous, next, and numbered links with ellipses.

    Shows the first and last page and those either side of the current one, as the GOV.UK pattern
    recommends; None when everything fits on one page. `query` is the rest of the page's query string.
    """

    def href(number: int) -> str:
        return f"?{query}&page={number}" if query else f"?page={number}"

    last = page.paginator.num_pages
    if last <= 1:
        return None
    current = page.number
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[dict[str, Any]] = []
    for number in wanted:
        if items and number - items[-1].get("number", number) > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
    return {
        "previous": {"href": href(current - 1)} if page.has_previous() else None,
        "next": {"href": href(current + 1)} if page.has_next() else None,
        "items": items,
        "landmarkLabel": "Pages of results",
    }
