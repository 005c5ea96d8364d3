"""Reading the figures pages as a reader sees them: each table by its caption, and the numbers in the text."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser


class Figures(HTMLParser):
    """tables: caption -> rows of cell text (the heading row first); spans: id -> text; chart: the chart words."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.spans: dict[str, str] = {}
        self.charts: list[list[str]] = []
        self._caption = ""
        self._rows: list[list[str]] | None = None
        self._row: list[str] = []
        self._text: str | None = None
        self._span = ""
        self._into = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "tr":
            self._row = []
        elif tag in ("caption", "th", "td"):
            self._text, self._into = "", tag
        elif tag == "span" and "id" in attributes:
            self._text, self._into, self._span = "", "span", str(attributes["id"])
        elif tag == "div" and attributes.get("class") == "continuum-chart":
            self.charts.append([])
        elif tag == "span" and "data-chart-text" in attributes:
            self._text, self._into = "", "chart"

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._text is not None and (tag == self._into or (tag == "span" and self._into in ("span", "chart"))):
            text, self._text = " ".join(self._text.split()), None
            if self._into == "caption":
                self._caption = text
            elif self._into in ("th", "td"):
                self._row.append(text)
            elif self._into == "span":
                self.spans[self._span] = text
            elif self._into == "chart":
                self.charts[-1].append(text)
        elif tag == "tr" and self._rows is not None:
            self._rows.append(self._row)
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption] = self._rows
            self._rows = None

    def counts(self, caption: str) -> dict[str, str]:
        """A two-column table as label -> count as shown."""
        return {row[0]: row[1] for row in self.tables[caption][1:]}


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))
