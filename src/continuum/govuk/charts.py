"""Small server-rendered bar charts: no script, readable at any width, with a table twin for screen readers.

Labels and numbers are HTML text, so they stay at the page's text size however narrow the screen (an
SVG drawn smaller would shrink its words below 14 pixels); only the bars are drawn, each an SVG that
stretches to the space left. Inline styles are not allowed by the Content-Security-Policy, so a bar's
length is an SVG attribute, not a style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup


class Bar(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def count(self) -> int | None: ...

    @property
    def shown(self) -> str: ...


def bar_chart(rows: Sequence[Bar], *, title: str) -> Markup:
    """A horizontal bar chart of rows that have been through small-number suppression.

    A suppressed count (None) is drawn as no bar; every bar is labelled with the row's own text, so the
    chart says exactly what its table says.
    """
    top = max((r.count or 0) for r in rows) or 1
    parts = [Markup('<div class="continuum-chart" role="img" aria-label="{}">').format(title)]
    for row in rows:
        length = 100 * (row.count or 0) / top
        parts.append(
            Markup(
                '<div class="continuum-chart__row">'
                '<span class="continuum-chart__label" data-chart-text>{}</span>'
                '<svg class="continuum-chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
                'aria-hidden="true" focusable="false"><rect class="bar" width="{:.2f}" height="10"></rect></svg>'
                '<span class="continuum-chart__value" data-chart-text>{}</span>'
                "</div>"
            ).format(row.label, length, row.shown)
        )
    parts.append(Markup("</div>"))
    return Markup("").join(parts)
