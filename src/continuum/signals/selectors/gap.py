"""Reading the gap finder's flags: the front door's list of children (with the evidence) and the cohort view (counts,
rates and the relative rate index of each group, small numbers suppressed). Both audited in their transaction."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import current_school_rolls
from continuum.analytics.rri import RRI, rate, relative_rate_index
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.disclosure import SUPPRESSED, CountRow, TableDiscloses, suppress, suppress_table
from continuum.people.selectors import NO_LOCALITY, NO_SCHOOL, CohortCell, school_age_cohort
from continuum.periods import years_before
from continuum.signals.gap import DIMENSIONS, GapRules
from continuum.signals.models import GapFlag
from continuum.signals.services.gap import current_rules

PAGE_SIZE = 20
AGENCY_LABELS = dict(v.AGENCY_KIND)
SEXES = [label for _, label in v.SEX]
ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other", "Not known")


@dataclass(frozen=True)
class GapFilters:
    """What the list and the cohort are narrowed to ("" for everything)."""

    rule: str = ""
    locality: str = ""
    school: str = ""
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""

    def as_audit(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    def dimensions(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in DIMENSIONS if getattr(self, d)}


def latest_as_of() -> datetime.date | None:
    """The day the last gap run's flags are as at (None before any run flagged a child)."""
    return GapFlag.objects.aggregate(day=Max("as_of"))["day"]


# --- The list (front door) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    date: datetime.date
    agency: str
    label: str
    summary: str
    source: str


@dataclass(frozen=True)
class ShownFlag:
    flag: GapFlag
    rule_label: str
    agencies: list[str]
    evidence: list[Evidence]


@dataclass(frozen=True)
class GapList:
    page: Page[GapFlag]
    flags: list[ShownFlag]
    as_of: datetime.date | None

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _narrowed(flags: QuerySet[GapFlag], filters: GapFilters, rules: GapRules, on: datetime.date) -> QuerySet[GapFlag]:
    if filters.rule:
        flags = flags.filter(rule=filters.rule)
    if filters.locality:
        if filters.locality == NO_LOCALITY:
            flags = flags.filter(Q(person__household__isnull=True) | Q(person__household__locality=""))
        else:
            flags = flags.filter(person__household__locality=filters.locality)
    if filters.school:
        rolls = current_school_rolls(on=on)
        if filters.school == NO_SCHOOL:
            flags = flags.exclude(person_id__in=rolls.values("person_id"))
        else:
            flags = flags.filter(person_id__in=rolls.filter(agency__name=filters.school).values("person_id"))
    if filters.age_band:
        for low, high in rules.age_bands:
            if filters.age_band == f"{low} to {high}":
                flags = flags.filter(
                    person__date_of_birth__gt=years_before(on, high + 1),
                    person__date_of_birth__lte=years_before(on, low),
                )
    if filters.sex:
        codes = [code for code, label in v.SEX if label == filters.sex]
        flags = flags.filter(person__sex__in=codes)
    if filters.ethnicity:
        codes = [code for code, _ in v.ETHNICITY if v.ETHNICITY_GROUP.get(code, "Not known") == filters.ethnicity]
        flags = flags.filter(person__ethnicity__in=codes)
    return flags


def gap_list(*, viewer: Viewer, filters: GapFilters, page: Any = 1) -> GapList:
    """One page of the children the gap finder flags (front door only), each with the rule, the agencies and the
    evidence; the page's read audited as one `signals.gap_list` row naming the filters, the count and the children
    shown (as person search does)."""
    access.require(access.can_find_gaps(viewer))
    rules = current_rules()
    with transaction.atomic():
        as_of = latest_as_of()
        on = as_of or timezone.localdate()
        flags = _narrowed(access.scoped(GapFlag.objects.select_related("person"), viewer), filters, rules, on)
        ordered = flags.order_by("first_flagged", "person__family_name_key", "person__given_name_key", "rule", "pk")
        shown = Paginator(ordered, PAGE_SIZE).get_page(page)
        shown.object_list = list(shown.object_list)
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            obj=Subject("gap_flag"),
            event="signals.gap_list",
            purpose="Find children falling through the gap",
            detail={
                "filters": filters.as_audit(),
                "results": shown.paginator.count,
                "page": shown.number,
                "shown": [str(f.person_id) for f in shown.object_list],
            },
        )
    return GapList(page=shown, flags=[_shown(f, rules) for f in shown.object_list], as_of=as_of)


def _shown(flag: GapFlag, rules: GapRules) -> ShownFlag:
    rule = rules.rules.get(flag.rule)
    evidence = [
        Evidence(
            date=datetime.date.fromisoformat(e["date"]),
            agency=AGENCY_LABELS.get(e.get("agency", ""), e.get("agency", "")),
            label=e.get("label", ""),
            summary=e.get("summary", ""),
            source=e.get("source", ""),
        )
        for e in flag.evidence
    ]
    evidence.sort(key=lambda e: e.date, reverse=True)
    return ShownFlag(
        flag=flag,
        rule_label=rule.label if rule else flag.rule,
        agencies=[AGENCY_LABELS.get(a, a) for a in flag.agencies],
        evidence=evidence,
    )


# --- The cohort view (front door in full; analysts in counts only) -------------------------------------------------


@dataclass(frozen=True)
class CohortGroup:
    label: str
    children: CountRow
    flagged: CountRow
    rate: float | None  # flagged per 1,000 children; None when hidden or not defined
    rri: RRI | None  # None when hidden
    reference: bool = False

    @property
    def count(self) -> int | None:
        """The bar's length for the chart: the rate per 10,000 (None when hidden)."""
        return None if self.rate is None else round(self.rate * 10)

    @property
    def shown(self) -> str:
        return SUPPRESSED if self.rate is None else f"{self.rate:.1f} per 1,000"

    @property
    def rate_shown(self) -> str:
        return SUPPRESSED if self.rate is None else f"{self.rate:.1f}"

    @property
    def rri_shown(self) -> str:
        """The index and its 95% interval as the page writes them."""
        if self.reference:
            return "1 (the reference group)"
        if self.rri is None:
            return SUPPRESSED
        if self.rri.rri is None:
            return "Not defined: no child of the reference group is flagged"
        if self.rri.low is None or self.rri.high is None:
            return f"{self.rri.rri:.2f} (no interval: no child of this group is flagged)"
        return f"{self.rri.rri:.2f} ({self.rri.low:.2f} to {self.rri.high:.2f})"


@dataclass(frozen=True)
class CohortDimension:
    key: str
    title: str
    reference: str  # "largest" or "everyone_else"
    reference_label: str  # the reference group's label, for "largest"
    groups: list[CohortGroup] | None  # None when the table cannot be shown without identifying a child


@dataclass(frozen=True)
class Cohort:
    as_of: datetime.date
    filters: GapFilters
    children: CountRow
    flagged: CountRow
    dimensions: list[CohortDimension] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)


def _cell_value(cell: CohortCell, dimension: str) -> str:
    return str(getattr(cell, dimension))


def _order(dimension: str, labels: Iterable[str], rules: GapRules) -> list[str]:
    fixed = {"age_band": rules.age_band_labels, "sex": SEXES, "ethnicity": list(ETHNIC_GROUPS)}.get(dimension)
    present = set(labels)
    if fixed is not None:
        return [x for x in fixed if x in present] + sorted(present - set(fixed))
    last = {NO_LOCALITY, NO_SCHOOL}
    return sorted(present - last) + sorted(present & last)


def gap_cohort(*, viewer: Viewer, filters: GapFilters) -> Cohort:
    """The school-age children and those flagged, by locality, school, age band, sex and ethnic group, with each
    group's rate and relative rate index (and its 95% interval) against the dimension's reference group; small
    numbers suppressed, and every rate and index hidden where a count it is worked out from is hidden. Audited
    `signals.gap_cohort`."""
    access.require(access.can_see_gap_cohort(viewer))
    rules = current_rules()
    with transaction.atomic():
        on = latest_as_of() or timezone.localdate()
        flagged_ids = GapFlag.objects.filter(rule=filters.rule) if filters.rule else GapFlag.objects.all()
        cells = school_age_cohort(on=on, bands=rules.age_bands, flagged=flagged_ids.values("person_id"))
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("gap_cohort"),
            event="signals.gap_cohort",
            purpose="Counts of the children the gap finder flags (small numbers suppressed)",
            detail={"filters": filters.as_audit(), "as_of": on.isoformat()},
        )
    wanted = filters.dimensions()
    cells = [c for c in cells if all(_cell_value(c, d) == value for d, value in wanted.items())]
    total_children = sum(c.children for c in cells)
    total_flagged = sum(c.flagged for c in cells)
    flagged_total = suppress("Children flagged", total_flagged)
    dimensions = [
        _dimension(key, title, cells, rules, total_children, total_flagged, flagged_total.count is not None)
        for key, title in DIMENSIONS.items()
    ]
    return Cohort(
        as_of=on,
        filters=filters,
        children=suppress("School-age children", total_children),
        flagged=flagged_total,
        dimensions=dimensions,
        rules={name: rule.label for name, rule in rules.rules.items()},
    )


def _dimension(
    key: str,
    title: str,
    cells: list[CohortCell],
    rules: GapRules,
    total_children: int,
    total_flagged: int,
    total_flagged_shown: bool,
) -> CohortDimension:
    children: dict[str, int] = defaultdict(int)
    flagged: dict[str, int] = defaultdict(int)
    for cell in cells:
        children[_cell_value(cell, key)] += cell.children
        flagged[_cell_value(cell, key)] += cell.flagged
    labels = _order(key, children, rules)
    reference = rules.references[key]
    largest = max(labels, key=lambda x: (children[x], x)) if labels else ""
    # Each child is in one group of a dimension: both columns add up to their totals, so each is suppressed against
    # its total (continuum.disclosure), even where the page does not print it. A column that cannot be protected is
    # not shown: the children's (the whole table goes), or the flagged (every flagged count, rate and index goes).
    try:
        shown_children = suppress_table([(x, children[x]) for x in labels], total=total_children)
    except TableDiscloses:
        return CohortDimension(key, title, reference, largest, None)
    try:
        shown_flagged = suppress_table([(x, flagged[x]) for x in labels], total=total_flagged)
    except TableDiscloses:
        shown_flagged = [CountRow(x, None, SUPPRESSED) for x in labels]
    visible = {
        row.label: (row.count is not None and shown_children[i].count is not None)
        for i, row in enumerate(shown_flagged)
    }
    groups = []
    for i, label in enumerate(labels):
        own_visible = visible[label]
        a, n1 = flagged[label], children[label]
        if reference == "largest":
            c, n2 = flagged[largest], children[largest]
            reference_visible = visible.get(largest, False)
        else:
            c, n2 = total_flagged - a, total_children - n1
            reference_visible = own_visible and total_flagged_shown
        index: RRI | None = None
        if own_visible and reference_visible and n2 > 0 and n1 > 0:
            index = relative_rate_index(
                group_events=a, group_population=n1, reference_events=c, reference_population=n2
            )
        group_rate = rate(a, n1) if own_visible else None
        groups.append(
            CohortGroup(
                label=label,
                children=shown_children[i],
                flagged=shown_flagged[i],
                rate=None if group_rate is None else group_rate * 1000,
                rri=index,
                reference=reference == "largest" and label == largest,
            )
        )
    return CohortDimension(key, title, reference, largest, groups)
