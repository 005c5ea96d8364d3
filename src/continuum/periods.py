"""One notion of a period: anything that starts and may end (an address, an involvement, an episode, a plan).

A period runs from its start date up to, but not including, its end date: an involvement closed today
no longer gives anyone a working relationship today, and one whose end date is next week still does
until then. An empty start date means "since a date nobody recorded"; an empty end date, "not ended".
"""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class PeriodQuerySet[M: models.Model](models.QuerySet[M]):
    def current(self, on: datetime.date | None = None) -> Self:
        """Periods under way on a date (today by default): started by then and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=on)
        )

    def ended(self, on: datetime.date | None = None) -> Self:
        """Periods that had ended by a date (today by default)."""
        return self.filter(end_date__lte=on or timezone.localdate())


class Period(models.Model):
    """Abstract: a start and an end date, checked, with a `current(on=date)` queryset.

    A model whose start is always known overrides start_date with a required field.
    """

    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        started = self.start_date is None or self.start_date <= on
        return started and (self.end_date is None or self.end_date > on)

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date"})
