"""The forms of record linkage's pages: a decision on a pair in review, and the undoing of a merge."""

from __future__ import annotations

from typing import Any

from django import forms

DECISIONS = [
    ("accepted", "Same person"),
    ("rejected", "Not the same person"),
    ("not_sure", "Not sure"),
]
# What the reason must say when one is needed, as the error message asks for it.
REASON_NEEDED = {
    "rejected": "Give the reason these are not the same person",
    "not_sure": "Give the reason you are not sure",
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=DECISIONS,
        error_messages={
            "required": "Select whether these records are the same person",
            "invalid_choice": "Select whether these records are the same person",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "Reason must be 2,000 characters or fewer"},
    )
    # The pair's state when the page showed it: a pair that has changed since is refused by the service.
    state = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = REASON_NEEDED.get(data.get("decision") or "")
        if needed and not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", needed)
        return data


class UndoMergeForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Give the reason for undoing this merge",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )
