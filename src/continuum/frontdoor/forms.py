"""The referral's question pages: one form each, with the GOV.UK error messages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from continuum import vocabulary as v
from continuum.govuk.forms import GovukDateField
from continuum.identifiers import postcode_is_valid, postcode_normalise

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
LONG_TEXT = 10_000


def _text(label: str, *, required: bool = True, max_length: int = 100) -> forms.CharField:
    return forms.CharField(
        required=required,
        max_length=max_length,
        strip=True,
        error_messages={
            "required": f"Enter {label}",
            "max_length": f"{label[0].upper()}{label[1:]} must be {max_length:,} characters or fewer",
        },
    )


class _PersonForm(forms.Form):
    given_name = _text("the given name")
    family_name = _text("the family name")
    known_as = _text("the name they are known by", required=False)
    postcode = _text("the postcode", required=False, max_length=10)

    def clean_date_of_birth(self) -> datetime.date | None:
        born: datetime.date | None = self.cleaned_data.get("date_of_birth")
        if born is not None and born < EARLIEST_BIRTH:
            raise forms.ValidationError("Date of birth must be after 1 January 1900")
        return born

    def clean_postcode(self) -> str:
        typed = self.cleaned_data.get("postcode", "")
        if typed and not postcode_is_valid(typed):
            raise forms.ValidationError("Enter a real postcode, like SF1 2AB")
        return postcode_normalise(typed) if typed else ""

    def typed(self) -> dict[str, Any]:
        """The answers as the draft keeps them (a date as text)."""
        data = dict(self.cleaned_data)
        born = data.get("date_of_birth")
        data["date_of_birth"] = born.isoformat() if born else ""
        return data

    @classmethod
    def showing(cls, typed: dict[str, Any]) -> dict[str, Any]:
        """Form data that shows what the draft keeps, the date in its three boxes."""
        born = datetime.date.fromisoformat(typed["date_of_birth"]) if typed.get("date_of_birth") else None
        data = {k: val for k, val in typed.items() if k != "date_of_birth"}
        data.update(
            {
                "date_of_birth-day": str(born.day) if born else "",
                "date_of_birth-month": str(born.month) if born else "",
                "date_of_birth-year": str(born.year) if born else "",
            }
        )
        return data


class ChildForm(_PersonForm):
    given_name = _text("the child's given name")
    family_name = _text("the child's family name")
    date_of_birth = GovukDateField(label="Date of birth", past_only=True)
    address_line = _text("the first line of the address", required=False, max_length=200)
    town = _text("the town", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("address_line") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter the postcode of the address")
        return data


class FamilyMemberForm(_PersonForm):
    date_of_birth = GovukDateField(label="Date of birth", past_only=True, required=False)
    relationship = forms.ChoiceField(
        choices=v.RELATIONSHIP_KIND,
        error_messages={
            "required": "Select how they are related to the child",
            "invalid_choice": "Select how they are related to the child",
        },
    )


class MatchForm(forms.Form):
    """Choose one of the existing records the referrer may open, or record a new person."""

    NEW = "new"
    choice = forms.ChoiceField(
        choices=(),
        error_messages={
            "required": "Select the existing record, or that none of these is the person",
            "invalid_choice": "Select the existing record, or that none of these is the person",
        },
    )

    def __init__(self, *args: Any, ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i, i) for i in ids] + [(self.NEW, "None of these")]


class AddAnotherForm(forms.Form):
    add = forms.ChoiceField(
        choices=(("yes", "Yes"), ("no", "No")),
        error_messages={
            "required": "Select yes if you want to add a family member",
            "invalid_choice": "Select yes if you want to add a family member",
        },
    )


class ReasonsForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        choices=v.REFERRAL_REASON,
        error_messages={
            "required": "Select at least one reason for the referral",
            "invalid_choice": "Select reasons from the list",
        },
    )


class StoryForm(forms.Form):
    story = _text("what is happening, in your own words", max_length=LONG_TEXT)


class WishesForm(forms.Form):
    child_wants = _text("what the child wants", required=False, max_length=LONG_TEXT)
    family_wants = _text("what the family wants", required=False, max_length=LONG_TEXT)


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        choices=v.CONSENT,
        error_messages={
            "required": "Select whether the family consented to the referral",
            "invalid_choice": "Select whether the family consented to the referral",
        },
    )
    consent_reason = _text("why seeking consent would put the child at risk", required=False, max_length=LONG_TEXT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") == "not_sought" and not data.get("consent_reason"):
            self.add_error("consent_reason", "Say why seeking consent would put the child at risk")
        if data.get("consent") != "not_sought":
            data["consent_reason"] = ""
        return data
