"""Outcome measures: the questionnaires a programme uses (the SDQ built in; custom indices defined as data)
and the answers given, stored as item numbers and responses — never the questionnaire's wording — with the
scores computed when they were entered (by `continuum.analytics`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from continuum import vocabulary as v


class Measure(models.Model):
    """A measure a programme may use. The SDQ is built in (`kind = sdq`); a custom index carries its
    definition as data (see continuum/analytics/indices.py for what a definition may say)."""

    class Kind(models.TextChoices):
        SDQ = "sdq", "Strengths and Difficulties Questionnaire"
        INDEX = "index", "Custom index"

    id = models.BigAutoField(primary_key=True)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    definition = models.JSONField(default=dict, blank=True, help_text="A custom index's definition")
    source = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Questionnaire(models.Model):
    """One completed questionnaire: who answered, when in the episode, the responses and their scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="questionnaires")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="questionnaires")
    episode = models.ForeignKey(
        "casework.Episode", null=True, blank=True, on_delete=models.PROTECT, related_name="questionnaires"
    )
    session = models.ForeignKey(
        "casework.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="questionnaires"
    )
    timepoint = models.CharField(max_length=10, choices=v.TIMEPOINT)
    informant = models.CharField(max_length=10, choices=v.INFORMANT)
    version = models.CharField(max_length=10, blank=True, help_text="The SDQ's version: 4-17, 2-4 or 11-17")
    completed_on = models.DateField(default=timezone.localdate)
    responses = models.JSONField(help_text='Item numbers and responses: {"sdq1": 2, ..., "difficulties": 1}')
    scores = models.JSONField(default=dict, help_text="Scores by name; null where not scorable")
    bands = models.JSONField(default=dict, help_text="Published bands by score name")
    completed_by_respondent = models.BooleanField(
        default=False, help_text="Entered by the young person or parent on the practitioner's device"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_on", "entered_at"]
        indexes = [
            models.Index(fields=["episode", "measure", "timepoint"]),
            models.Index(fields=["person", "completed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_informant_display()}) on {self.completed_on}"
