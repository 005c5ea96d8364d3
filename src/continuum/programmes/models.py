"""The programme catalogue: what each programme offers, to whom, at what cost, with what evidence; and
its eligibility rules, kept as versioned data (see eligibility.py for what a rule may say)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from continuum import vocabulary as v
from continuum.programmes.eligibility import MAX_AGE


class Programme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=30, choices=v.PROGRAMME_CATEGORY)
    modalities = models.JSONField(default=list, help_text="Codes from the MODALITY list")
    needs = models.JSONField(default=list, blank=True, help_text="Referral reasons it addresses (REFERRAL_REASON)")
    summary = models.TextField(help_text="What the programme does, in the catalogue's own words")
    min_age = models.PositiveSmallIntegerField("youngest age", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("oldest age", null=True, blank=True)
    session_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    typical_weeks = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Typical duration in weeks")
    duration = models.CharField(
        max_length=100, blank=True, help_text="How long it lasts, as the source puts it, e.g. 3–5 months"
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0)], help_text="Children it can hold at once"
    )
    unit_cost = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit_cost_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year the cost was given in")
    unit_cost_basis = models.CharField(max_length=100, blank=True, help_text="What the cost is per, e.g. per child")
    retention_target = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="For a group programme: the share of those who start that it aims to keep to the end, in per cent",
    )
    measures = models.JSONField(default=list, blank=True, help_text="Outcome measures it uses, e.g. SDQ")
    evidence_rating = models.CharField(max_length=20, choices=v.EVIDENCE_RATING, default="none")
    evidence_summary = models.TextField(blank=True)
    outcome_figures = models.TextField(blank=True)
    source = models.CharField(max_length=300, help_text="The document the facts come from")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name, label in (("min_age", "Youngest age"), ("max_age", "Oldest age")):
            age = getattr(self, name)
            if age is not None and age > MAX_AGE:
                errors[name] = f"{label} must be {MAX_AGE} or under"
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = f"Oldest age ({self.max_age}) must not be younger than youngest age ({self.min_age})"
        if self.session_limit == 0:
            errors["session_limit"] = "Session limit must be at least 1, or left empty when there is no limit"
        if self.unit_cost_year is not None and not 1990 <= self.unit_cost_year <= 2100:
            errors["unit_cost_year"] = "Unit cost year must be a year, for example 2024"
        unknown = set(self.modalities or []) - v.codes(v.MODALITY)
        if unknown or not self.modalities:
            errors["modalities"] = f"Give at least one of {', '.join(sorted(v.codes(v.MODALITY)))}"
        if set(self.needs or []) - v.codes(v.REFERRAL_REASON):
            errors["needs"] = f"Needs must be among {', '.join(sorted(v.codes(v.REFERRAL_REASON)))}"
        if (self.unit_cost is None) != (self.unit_cost_year is None):
            errors["unit_cost_year"] = "Give the year a unit cost was given in, with the cost"
        if errors:
            raise ValidationError(errors)


class RuleSet(models.Model):
    """One version of a programme's eligibility rules. Versions are never changed: a new one is added,
    and a decision records the version it used."""

    id = models.BigAutoField(primary_key=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rule_sets")
    version = models.PositiveIntegerField()
    rules = models.JSONField(help_text="A list of rules: see continuum/programmes/eligibility.py")
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="rule_set_version_unique")]

    def __str__(self) -> str:
        return f"{self.programme} rules, version {self.version}"
