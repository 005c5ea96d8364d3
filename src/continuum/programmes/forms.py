"""The library's filters: checkboxes and an age, sent by GET so a filtered list can be bookmarked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from continuum import vocabulary as v
from continuum.programmes.eligibility import MAX_AGE
from continuum.programmes.selectors import LibraryFilter


def _choices(name: str) -> dict[str, str]:
    return {"invalid_choice": f"Choose {name} from the list", "invalid_list": f"Choose {name} from the list"}


class LibraryFilterForm(forms.Form):
    need = forms.MultipleChoiceField(choices=v.REFERRAL_REASON, required=False, error_messages=_choices("needs"))
    age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        error_messages={
            "invalid": f"Age must be a whole number from 0 to {MAX_AGE}",
            "min_value": f"Age must be a whole number from 0 to {MAX_AGE}",
            "max_value": f"Age must be a whole number from 0 to {MAX_AGE}",
        },
    )
    modality = forms.MultipleChoiceField(
        choices=v.MODALITY, required=False, error_messages=_choices("how programmes are delivered")
    )
    evidence = forms.MultipleChoiceField(
        choices=v.EVIDENCE_RATING, required=False, error_messages=_choices("evidence ratings")
    )

    def filters(self) -> LibraryFilter:
        """The filters from the fields that are valid; a field with an error narrows nothing."""
        data: dict[str, Any] = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return LibraryFilter(
            needs=frozenset(data.get("need") or ()),
            modalities=frozenset(data.get("modality") or ()),
            evidence=frozenset(data.get("evidence") or ()),
            age=data.get("age"),
        )

    def chosen(self, name: str) -> set[str]:
        """What the user ticked for a field, valid or not, so the page shows their choices back."""
        return set(self.data.getlist(name)) if isinstance(self.data, QueryDict) else set()
