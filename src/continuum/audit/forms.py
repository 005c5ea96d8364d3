from __future__ import annotations

from typing import Any

from django import forms

from continuum.audit.models import AuditAction, BreakGlassGrant
from continuum.govuk.forms import GovukDateField


class AuditFilterForm(forms.Form):
    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)
    username = forms.CharField(required=False, max_length=150)
    person_id = forms.UUIDField(
        required=False,
        error_messages={"invalid": "Enter a record reference like 3f2c9a4e-...; copy it from the record's web address"},
    )
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *AuditAction.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=BreakGlassGrant.Outcome.choices,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(required=False, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000, error_messages={"required": "Enter the note"})
