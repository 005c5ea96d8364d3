"""Indicators as people read them: a child's values in the single view, and what each indicator means.

The definitions come from `settings.INDICATORS_PATH` when a deployment sets it, else the packaged
signals/indicators.toml; their categories are checked against the access policy (a police count must be police
intelligence), so a definition cannot show an agency's information to viewers the policy would not show it to.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.people.selectors import RecordContext
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.codes import ATTENDANCE, ATTENDANCE_CATEGORIES
from continuum.signals.indicators import Definitions, Events, Indicator, Marks, Window, load_definitions
from continuum.signals.indicators.definitions import PACKAGED
from continuum.signals.models import ChildIndicator, IndicatorRun

_loaded: dict[tuple[str, int], Definitions] = {}


def indicator_definitions() -> Definitions:
    """The definitions in force (read again when the file changes), checked against the access policy."""
    path = Path(getattr(settings, "INDICATORS_PATH", None) or PACKAGED)
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        key = (str(path), -1)
    found = _loaded.get(key)
    if found is None:
        found = load_definitions(path)
        policy = access.policy()
        found.check_categories(policy.category_labels, policy.category_of_event)
        _loaded.clear()
        _loaded[key] = found
    return found


@dataclass(frozen=True)
class ShownIndicator:
    name: str  # in the definitions
    label: str  # "Attendance rate"
    window: str  # last_90_days, school_year, last_12_months
    window_label: str  # "Last 90 days"
    display: str  # "87.5%", "3"
    value: float
    numerator: int
    denominator: int | None
    met: bool | None  # for a threshold (persistent absence)
    definition_url: str
    trend: list[tuple[datetime.date, float]] = field(default_factory=list)  # earlier periods, oldest first
    as_of: datetime.date | None = None  # the day the windows end on
    trend_display: list[tuple[str, str]] = field(default_factory=list)  # (period start, value) as the page shows them


def child_indicators(ctx: RecordContext) -> list[ShownIndicator]:
    """The child's indicators from the latest run, only those in categories the viewer may read (one query)."""
    definitions = indicator_definitions()
    readable = {name: i for name, i in definitions.indicators.items() if ctx.shows(i.category)}
    if not readable:
        return []
    rows = ChildIndicator.objects.filter(person=ctx.person, indicator__in=list(readable)).values_list(
        "indicator", "window", "numerator", "denominator", "value", "met", "trend", "as_of"
    )
    order = {name: n for n, name in enumerate(definitions.indicators)}
    windows = list(definitions.windows)
    shown = []
    for name, window, numerator, denominator, value, met, trend, as_of in rows:
        indicator = readable[name]
        described = definitions.windows.get(window)
        if described is None:
            continue  # a window the definitions no longer have, until the next run
        earlier = [(datetime.date.fromisoformat(str(start)), float(str(v))) for start, v in _trend(trend)]
        shown.append(
            ShownIndicator(
                name=name,
                label=indicator.label,
                window=window,
                window_label=described.label,
                display=display(indicator, value, met),
                value=value,
                numerator=numerator,
                denominator=denominator,
                met=met,
                definition_url=reverse("signals:indicator", args=[name]),
                trend=earlier,
                as_of=as_of,
                trend_display=[(f"{start:%-d %b %Y}", _number(indicator, v)) for start, v in earlier],
            )
        )
    return sorted(shown, key=lambda s: (order[s.name], windows.index(s.window)))


def display(indicator: Indicator, value: float, met: bool | None) -> str:
    """A value as a practitioner reads it: "87.5%", "3", or "Yes: 12.5% missed"."""
    if indicator.measure == "threshold":
        return f"{'Yes' if met else 'No'}: {value:.1f}% missed"
    return _number(indicator, value)


def _number(indicator: Indicator, value: float) -> str:
    return f"{value:.1f}%" if indicator.is_rate else f"{value:,.0f}"


def _trend(trend: object) -> list[list[object]]:
    if isinstance(trend, str):
        trend = json.loads(trend)
    return trend if isinstance(trend, list) else []


@dataclass(frozen=True)
class LatestRun:
    as_of: datetime.date
    finished_at: datetime.datetime
    children: int
    definitions_sha256: str


def latest_indicator_run() -> LatestRun | None:
    """When the indicators were last computed (no child's data): one query."""
    run = IndicatorRun.objects.order_by("-finished_at").values_list(
        "as_of", "finished_at", "children", "definitions_sha256"
    )[:1]
    found = list(run)
    return LatestRun(*found[0]) if found else None


@dataclass(frozen=True)
class IndicatorDescribed:
    """What an indicator means, for its page (no child's data)."""

    indicator: Indicator
    windows: list[Window]
    measure: str  # "A rate (a percentage) of possible sessions" ...
    source: str  # "School attendance marks" / "Police incidents"
    category_label: str
    readers: list[str]  # the roles that may read a child's value
    agencies: list[str] | None  # the kinds of agency they must work in; None: any


def indicator_list() -> list[IndicatorDescribed]:
    """Every indicator in the definitions' order."""
    definitions = indicator_definitions()
    return [_described(definitions, indicator) for indicator in definitions.indicators.values()]


def indicator_page(*, name: str) -> IndicatorDescribed:
    """One indicator, or Http404 for a name the definitions do not have."""
    definitions = indicator_definitions()
    indicator = definitions.indicators.get(name)
    if indicator is None:
        raise Http404("no such indicator")
    return _described(definitions, indicator)


def _described(definitions: Definitions, indicator: Indicator) -> IndicatorDescribed:
    policy = access.policy()
    readers = [
        role.label for role in policy.roles.values() if role.scope != "none" and indicator.category in role.categories
    ]
    kinds = policy.category_agencies.get(indicator.category)
    agency_labels = dict(v.AGENCY_KIND)
    return IndicatorDescribed(
        indicator=indicator,
        windows=[definitions.windows[w] for w in indicator.windows],
        measure=_measure(indicator),
        source=_source(indicator),
        category_label=policy.category_labels.get(indicator.category, indicator.category),
        readers=readers,
        agencies=None if kinds is None else sorted(agency_labels.get(k, k) for k in kinds),
    )


def _measure(indicator: Indicator) -> str:
    if indicator.measure == "threshold" and indicator.at_least is not None:
        percent = f"{float(indicator.at_least):g}%"
        return f"Yes or no: whether the rate is {percent} or more (exactly {percent} is yes), with the rate beside it"
    if indicator.measure == "rate":
        return "A rate: a percentage of the denominator"
    return "A count"


def _source(indicator: Indicator) -> str:
    if isinstance(indicator.count, Marks):
        what = [ATTENDANCE_CATEGORIES[c].lower() for c in sorted(indicator.count.categories)]
        what += [f"code {c} ({ATTENDANCE[c].lower()})" for c in sorted(indicator.count.codes)]
        return "School attendance marks: " + "; ".join(what)
    assert isinstance(indicator.count, Events)
    kinds = ", ".join(EVENT_LABELS.get(k, k) for k in indicator.count.kinds)
    where = "; ".join(f"{field_name} is {' or '.join(values)}" for field_name, values in indicator.count.where)
    return f"{kinds}{f' where {where}' if where else ''}"


EVENT_LABELS = {
    table.event.kind: table.event.label for feed in FEEDS.values() for table in feed.tables if table.event is not None
}
