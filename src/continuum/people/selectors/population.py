"""Counts of the county's children for analysts and managers: small numbers suppressed, no identities."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import current_involvement_counts, current_school_rolls
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.disclosure import CountRow, TableDiscloses, suppress, suppress_table
from continuum.people.models import Person
from continuum.periods import years_before


@dataclass(frozen=True)
class PopulationSummary:
    """What the population page shows. A table is None when it cannot be shown without identifying a child."""

    as_of: datetime.date
    total: CountRow  # the number of children aged 0 to 17
    by_age: list[CountRow] | None
    by_sex: list[CountRow] | None
    by_ethnicity: list[CountRow] | None
    by_send: list[CountRow] | None
    open_involvements: list[CountRow]

    @property
    def children(self) -> int | None:
        """The number of children, or None when it is suppressed."""
        return self.total.count


AGE_BANDS = ((0, 4), (5, 10), (11, 15), (16, 17))
ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other", "Not known")
NOT_RECORDED = "Not recorded"


def population_summary(*, viewer: Viewer) -> PopulationSummary:
    """Counts of the county's children, with small numbers suppressed: no name, date or identifier leaves.

    The tables by age band, sex, ethnic group and SEND each cover every child once, so each adds up to
    the number of children and is suppressed against it (`continuum.disclosure.suppress_table`), even
    when that number is itself too small to print. A child can have several kinds of involvement open,
    so that table adds up to nothing and needs only its small counts hidden.
    """
    access.require(access.can_see_aggregates(viewer))
    today = timezone.localdate()

    def born_after(years: int) -> datetime.date:
        return years_before(today, years)

    children = Person.objects.filter(date_of_birth__gt=born_after(18), date_of_birth__lte=today)
    # The first band whose oldest birthday the child was born after; the filter above ends the last band.
    age_band = Case(
        *(When(date_of_birth__gt=born_after(high + 1), then=Value(band)) for band, (_, high) in enumerate(AGE_BANDS)),
        output_field=IntegerField(),
    )
    with transaction.atomic():
        # Every breakdown comes from this one grouped query, so they all add up to the same number of
        # children: separate counts could disagree if a child were added between them, and secondary
        # suppression is only sound against the true total.
        groups = list(
            children.annotate(age_band=age_band)
            .values_list("age_band", "sex", "ethnicity", "send_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        involvement_counts = current_involvement_counts(people=children)
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("population_summary"),
            event="people.population_view",
            purpose="Aggregate counts (small numbers suppressed)",
        )

    sexes, send_statuses = dict(v.SEX), dict(v.SEND_STATUS)
    by_age: Counter[int] = Counter()
    by_sex: Counter[str] = Counter()
    by_ethnicity: Counter[str] = Counter()
    by_send: Counter[str] = Counter()
    for band, sex, ethnicity, send_status, n in groups:
        by_age[band] += n
        by_sex[sex if sex in sexes else "U"] += n  # an unexpected code is not a known sex
        by_ethnicity[v.ETHNICITY_GROUP.get(ethnicity, "Not known")] += n
        by_send[send_status if send_status in send_statuses else ""] += n
    total = sum(by_age.values())

    def table(rows: Sequence[tuple[str, int]]) -> list[CountRow] | None:
        try:
            return suppress_table(rows, total=total)
        except TableDiscloses:
            return None

    return PopulationSummary(
        as_of=today,
        total=suppress("Children aged 0 to 17", total),
        by_age=table([(f"{low} to {high}", by_age[band]) for band, (low, high) in enumerate(AGE_BANDS)]),
        by_sex=table([(label, by_sex[code]) for code, label in v.SEX]),
        by_ethnicity=table([(group, by_ethnicity[group]) for group in ETHNIC_GROUPS]),
        # A child may have no SEND status recorded: that row makes the table add up to every child.
        by_send=table([*((label, by_send[code]) for code, label in v.SEND_STATUS), (NOT_RECORDED, by_send[""])]),
        open_involvements=suppress_table(
            [(label, involvement_counts.get(code, 0)) for code, label in v.INVOLVEMENT_KIND], total=None
        ),
    )


def school_age_children(*, on: datetime.date, min_age: int, max_age: int) -> list[tuple[Any, datetime.date | None]]:
    """(person_id, date_of_birth) of every child aged min_age to max_age on a date: the gap finder's population.
    The system's own read: no viewer, nothing here reaches a page."""
    children = Person.objects.filter(
        date_of_birth__gt=years_before(on, max_age + 1), date_of_birth__lte=years_before(on, min_age)
    )
    return list(children.values_list("pk", "date_of_birth").iterator(chunk_size=20_000))


NO_LOCALITY = "No locality recorded"
NO_SCHOOL = "Not on a school roll"


@dataclass(frozen=True)
class CohortCell:
    """Children of one combination of age band, sex, ethnic group, locality and school: how many, how many flagged."""

    age_band: str
    sex: str
    ethnicity: str  # the ethnic group (White, Mixed, ...), as the population page groups the codes
    locality: str
    school: str
    children: int
    flagged: int


def school_age_cohort(
    *, on: datetime.date, bands: Sequence[tuple[int, int]], flagged: QuerySet[Any]
) -> list[CohortCell]:
    """The school-age children (of the bands' ages on a date) counted by age band, sex, ethnic group, locality (of
    the household) and school (the roll open on the date), with how many of each are among `flagged` (a
    queryset of person ids). One grouped query. Counts for the caller to suppress and audit; no identities."""
    low, high = bands[0][0], bands[-1][1]
    children = Person.objects.filter(
        date_of_birth__gt=years_before(on, high + 1), date_of_birth__lte=years_before(on, low)
    )
    age_band = Case(
        *(When(date_of_birth__gt=years_before(on, top + 1), then=Value(i)) for i, (_, top) in enumerate(bands)),
        output_field=IntegerField(),
    )
    school = Subquery(
        current_school_rolls(on=on)
        .filter(person_id=OuterRef("pk"))
        .order_by("-start_date", "pk")
        .values("agency__name")[:1]
    )
    rows = (
        children.annotate(age_band=age_band, school=school)
        .values_list("age_band", "sex", "ethnicity", "household__locality", "school")
        .annotate(n=Count("pk"), flagged=Count("pk", filter=Q(pk__in=flagged)))
        .order_by()
    )
    sexes = dict(v.SEX)
    labels = [f"{a} to {b}" for a, b in bands]
    return [
        CohortCell(
            age_band=labels[band],
            sex=sexes.get(sex, sexes["U"]),
            ethnicity=v.ETHNICITY_GROUP.get(ethnicity, "Not known"),
            locality=(locality or "").strip() or NO_LOCALITY,
            school=school_name or NO_SCHOOL,
            children=n,
            flagged=flagged_n,
        )
        for band, sex, ethnicity, locality, school_name, n, flagged_n in rows
    ]
