"""Counts of the county's children for analysts and managers: small numbers suppressed, no identities."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import current_involvement_counts
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.disclosure import CountRow, suppress
from continuum.people.models import Person


@dataclass(frozen=True)
class PopulationSummary:
    as_of: datetime.date
    children: int
    by_age: list[CountRow]
    by_sex: list[CountRow]
    by_ethnicity: list[CountRow]
    by_send: list[CountRow]
    open_involvements: list[CountRow]


AGE_BANDS = ((0, 4), (5, 10), (11, 15), (16, 17))


def population_summary(*, viewer: Viewer) -> PopulationSummary:
    """Counts of the county's children, with small numbers suppressed: no name, date or identifier leaves."""
    access.require(access.can_see_aggregates(viewer))
    today = timezone.localdate()

    def born_after(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    children = Person.objects.filter(date_of_birth__gt=born_after(18), date_of_birth__lte=today)
    with transaction.atomic():
        by_age = [
            suppress(
                f"{low} to {high}",
                children.filter(date_of_birth__gt=born_after(high + 1), date_of_birth__lte=born_after(low)).count(),
            )
            for low, high in AGE_BANDS
        ]

        def grouped(field_name: str, code_list: v.Codes) -> list[CountRow]:
            counts = dict(children.values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n"))
            return [suppress(label, counts.get(code, 0)) for code, label in code_list]

        group_counts: dict[str, int] = {}
        for code, n in children.values_list("ethnicity").annotate(n=Count("pk")).values_list("ethnicity", "n"):
            group = v.ETHNICITY_GROUP.get(code, "Not known")
            group_counts[group] = group_counts.get(group, 0) + n
        by_ethnicity = [
            suppress(g, group_counts.get(g, 0)) for g in ("White", "Mixed", "Asian", "Black", "Other", "Not known")
        ]
        involvement_counts = current_involvement_counts(people=children)
        summary = PopulationSummary(
            as_of=today,
            children=children.count(),
            by_age=by_age,
            by_sex=grouped("sex", v.SEX),
            by_ethnicity=by_ethnicity,
            by_send=grouped("send_status", v.SEND_STATUS),
            open_involvements=[suppress(label, involvement_counts.get(code, 0)) for code, label in v.INVOLVEMENT_KIND],
        )
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("population_summary"),
            event="people.population_view",
            purpose="Aggregate counts (small numbers suppressed)",
        )
    return summary
