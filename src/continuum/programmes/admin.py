"""Admin pages for the programme catalogue: administrators edit programmes and add versions of their rules.

Open only to roles that manage accounts (as the rest of the admin is); saves go through
programmes/services.py, so every change is validated and audited. A rule set is never edited: a change
is a new version with a note, checked with eligibility.problems() before it is saved.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from continuum import vocabulary as v
from continuum.agencies.adminsite import AdministratorsOnly
from continuum.identifiers import record_id
from continuum.programmes.eligibility import describe, problems
from continuum.programmes.models import Programme, RuleSet
from continuum.programmes.services import EDITABLE_FIELDS, programme_save, rules_version_add


def _rules_in_words(rules: list[dict[str, Any]]) -> str:
    if not rules:
        return "No rules: takes any child referred"
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((describe(r),) for r in rules)))


class ProgrammeForm(forms.ModelForm):
    modalities = forms.MultipleChoiceField(
        choices=v.MODALITY,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way the programme is delivered"},
    )
    needs = forms.MultipleChoiceField(
        choices=v.REFERRAL_REASON,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The referral reasons it addresses (the library filters on these)",
    )
    measures = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Outcome measures it uses, one a line"
    )

    class Meta:
        model = Programme
        fields = EDITABLE_FIELDS
        error_messages = {
            "capacity": {"min_value": "Capacity cannot be negative", "invalid": "Capacity must be a whole number"},
            "unit_cost": {"min_value": "Unit cost cannot be negative"},
            "min_age": {"min_value": "Youngest age cannot be negative"},
            "max_age": {"min_value": "Oldest age cannot be negative"},
            "session_limit": {"min_value": "Session limit cannot be negative"},
            "typical_weeks": {"min_value": "Typical weeks cannot be negative"},
            "unit_cost_year": {"min_value": "Unit cost year must be a year, for example 2024"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["measures"] = "\n".join(self.instance.measures or [])

    def clean_measures(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["measures"].splitlines() if line.strip()]


@admin.register(Programme)
class ProgrammeAdmin(AdministratorsOnly):
    form = ProgrammeForm
    list_display = ("name", "slug", "category", "evidence_rating", "rules_version", "active")
    list_filter = ("category", "evidence_rating", "active")
    search_fields = ("name", "slug", "provider")
    readonly_fields = ("eligibility_rules",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "provider", "category", "modalities", "needs", "summary", "active")}),
        ("Who and how long", {"fields": ("min_age", "max_age", "session_limit", "typical_weeks", "duration")}),
        ("Capacity and cost", {"fields": ("capacity", "unit_cost", "unit_cost_year", "unit_cost_basis")}),
        ("Evidence", {"fields": ("measures", "evidence_rating", "evidence_summary", "outcome_figures", "source")}),
        ("Eligibility", {"fields": ("eligibility_rules",)}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("rule_sets")

    @admin.display(description="Rules version")
    def rules_version(self, obj: Programme) -> int | str:
        return max((r.version for r in obj.rule_sets.all()), default="none")

    @admin.display(description="Eligibility rules")
    def eligibility_rules(self, obj: Programme) -> str:
        if not obj.pk or not Programme.objects.filter(pk=obj.pk).exists():
            return "Save the programme first, then add its rules."
        current = max(obj.rule_sets.all(), key=lambda r: r.version, default=None)
        add = reverse("admin:programmes_ruleset_add") + f"?programme={obj.pk}"
        heading = f"Version {current.version}" if current else "No rules yet"
        return format_html(
            '<p>{}</p>{}<p><a href="{}">Add a new version of the rules</a></p>',
            heading,
            _rules_in_words(current.rules if current else []),
            add,
        )

    def save_model(self, request: Any, obj: Programme, form: Any, change: bool) -> None:
        saved = programme_save(actor=request.user, programme=obj, wanted=dict(form.cleaned_data))
        obj.pk = saved.pk


class RulesField(forms.JSONField):
    """The rules as indented JSON, so an administrator can read and edit them."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


class RuleSetForm(forms.ModelForm):
    rules = RulesField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text=format_html(
            "A list of rules in JSON; each has a kind (age, level, known_to, not_open, locality). "
            "For example <code>{}</code>. See continuum/programmes/eligibility.py for every setting.",
            '[{"kind": "age", "min": 8, "max": 13}]',
        ),
        error_messages={"invalid": "Rules must be JSON: check the brackets, commas and quotation marks"},
    )
    note = forms.CharField(max_length=300, help_text="What changed and why (kept with this version)")

    class Meta:
        model = RuleSet
        fields = ("programme", "rules", "note")

    def clean_rules(self) -> Any:
        rules = self.cleaned_data["rules"]
        found = problems(rules)
        if found:
            raise forms.ValidationError([f"{p[0].upper()}{p[1:]}" for p in found])
        return rules


@admin.register(RuleSet)
class RuleSetAdmin(AdministratorsOnly):
    """Versions are added, never changed: an existing version opens read-only."""

    form = RuleSetForm
    list_display = ("programme", "version", "created_at", "created_by", "note")
    list_select_related = ("programme", "created_by")
    search_fields = ("programme__name", "programme__slug", "note")
    ordering = ("programme__name", "-version")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("programme", "rules", "note")
        return ("programme", "version", "rules_in_words", "rules", "note", "created_at", "created_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)

    @admin.display(description="In words")
    def rules_in_words(self, obj: RuleSet) -> str:
        return _rules_in_words(obj.rules)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Start a new version from the programme's current rules."""
        initial = super().get_changeform_initial_data(request)
        wanted = record_id(initial.get("programme"))
        programme = Programme.objects.filter(pk=wanted).first() if wanted else None
        if programme is not None:
            current = programme.rule_sets.order_by("-version").first()
            initial["rules"] = current.rules if current else []
        return initial

    def save_model(self, request: Any, obj: RuleSet, form: Any, change: bool) -> None:
        added = rules_version_add(
            actor=request.user,
            programme_id=form.cleaned_data["programme"].pk,
            rules=form.cleaned_data["rules"],
            note=form.cleaned_data["note"],
        )
        obj.pk, obj.version, obj.created_at, obj.created_by = (
            added.pk,
            added.version,
            added.created_at,
            added.created_by,
        )
