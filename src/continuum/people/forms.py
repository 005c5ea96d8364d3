from __future__ import annotations

from typing import Any

from django import forms

from continuum.agencies import access
from continuum.govuk.forms import GovukDateField


class SearchForm(forms.Form):
    name = forms.CharField(required=False, max_length=200)
    date_of_birth = GovukDateField(label="Date of birth", past_only=True, required=False)
    identifier = forms.CharField(required=False, max_length=20)
    postcode = forms.CharField(required=False, max_length=10)
    children_only = forms.BooleanField(required=False)

    @classmethod
    def showing(cls, criteria: Any) -> SearchForm:
        """The form filled in with the criteria of the search whose results are on the page."""
        born = criteria.date_of_birth
        data = {
            "name": criteria.name,
            "identifier": criteria.identifier,
            "postcode": criteria.postcode,
            "children_only": "on" if criteria.children_only else "",
            "date_of_birth-day": str(born.day) if born else "",
            "date_of_birth-month": str(born.month) if born else "",
            "date_of_birth-year": str(born.year) if born else "",
        }
        return cls(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(f) for f in ("name", "date_of_birth", "identifier", "postcode")):
            raise forms.ValidationError("Enter a name, date of birth, NHS number or UPN, or postcode to search")
        return data


class BreakGlassSearchForm(forms.Form):
    family_name = forms.CharField(max_length=100, error_messages={"required": "Enter the child's family name"})
    given_name = forms.CharField(max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", past_only=True)
    reason_code = forms.ChoiceField(choices=(), error_messages={"required": "Select why you need emergency access"})
    reason = forms.CharField(
        min_length=10,
        max_length=2000,
        error_messages={
            "required": "Explain why you need emergency access",
            "min_length": "Explain why you need emergency access (at least 10 characters)",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason_code"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = access.policy().break_glass_reasons
