"""Small server-rendered SVG charts: no script, readable by screen readers through their table twin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup, escape


class Bar(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def count(self) -> int | None: ...

    @property
    def shown(self) -> str: ...


def bar_chart(rows: Sequence[Bar], *, title: str, width: int = 600, bar_height: int = 28) -> Markup:
    """A horizontal bar chart of rows that have been through small-number suppression.

    A suppressed count (None) is drawn as no bar; every bar is labelled with the row's own text, so the
    chart says exactly what its table says.
    """
    label_width, gap = 140, 8
    top = max((r.count or 0) for r in rows) or 1
    plot = width - label_width - 90
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg class="continuum-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar_height + gap)
        length = round(plot * (row.count or 0) / top)
        parts.append(
            f'<text x="0" y="{y + bar_height * 0.7:.0f}">{escape(row.label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{length}" height="{bar_height}"></rect>'
            f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.0f}">{escape(row.shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above went through escape()
