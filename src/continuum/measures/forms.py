"""Forms: choosing a questionnaire, entering its answers, adding a custom index, choosing a report's period."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from continuum import vocabulary as v
from continuum.govuk.forms import GovukDateField
from continuum.measures.questions import FormSpec
from continuum.periods import years_before

MODES = (
    ("practitioner", "I will enter the answers"),
    ("respondent", "The young person or parent will answer on this device"),
)
LONGEST_DEFINITION = 100_000


class StartForm(forms.Form):
    """Which questionnaire, when in the episode, and who enters the answers."""

    form = forms.ChoiceField(
        error_messages={"required": "Choose the questionnaire", "invalid_choice": "Choose the questionnaire"}
    )
    timepoint = forms.ChoiceField(
        choices=v.TIMEPOINT,
        error_messages={
            "required": "Say when in the episode it was completed",
            "invalid_choice": "Say when in the episode it was completed",
        },
    )
    mode = forms.ChoiceField(
        choices=MODES,
        error_messages={
            "required": "Say who will enter the answers",
            "invalid_choice": "Say who will enter the answers",
        },
    )

    def __init__(self, *args: Any, forms_offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["form"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = forms_offered


def answers_form(spec: FormSpec, data: Any = None) -> forms.Form:
    """A form with one set of radios per question (every answer optional unless the question says otherwise:
    the published scoring allows missing answers and says what can still be scored)."""
    fields: dict[str, forms.Field] = {}
    for question in spec.questions:
        fields[question.name] = forms.TypedChoiceField(
            label=question.label,
            choices=[(str(code), text) for code, text in question.options],
            coerce=int,
            required=question.required,
            empty_value=None,
            error_messages={
                "required": f"Answer {question.label}",
                "invalid_choice": f"{question.label}: choose one of the answers given",
            },
        )
    form_class = type("AnswersForm", (forms.Form,), fields)
    form: forms.Form = form_class(data)
    return form


class IndexForm(forms.Form):
    """A custom index's definition, pasted or uploaded, as JSON or TOML."""

    format = forms.ChoiceField(
        choices=(("toml", "TOML"), ("json", "JSON")),
        error_messages={"required": "Say whether the definition is TOML or JSON"},
    )
    definition = forms.CharField(
        required=False,
        max_length=LONGEST_DEFINITION,
        strip=True,
        widget=forms.Textarea,
        error_messages={"max_length": f"The definition must be {LONGEST_DEFINITION:,} characters or fewer"},
    )
    upload = forms.FileField(required=False)
    source = forms.CharField(required=False, max_length=300, strip=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > LONGEST_DEFINITION:
                self.add_error("upload", f"The file must be {LONGEST_DEFINITION:,} bytes or smaller")
                return data
            try:
                data["definition"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", "The file must be text (UTF-8)")
                return data
        if not data.get("definition") and "definition" not in self.errors and "upload" not in self.errors:
            self.add_error("definition", "Paste the index's definition, or choose a file")
        return data


class OutcomesForm(forms.Form):
    """The programme and period of an outcome report (the last 12 months by default)."""

    programme = forms.ChoiceField(
        error_messages={"required": "Choose a programme", "invalid_choice": "Choose a programme from the list"}
    )
    since = GovukDateField(label="From", required=False, past_only=True)
    until = GovukDateField(label="To", required=False, past_only=True)

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a programme"), *programmes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        until = self.cleaned_data.get("until") or today
        since = self.cleaned_data.get("since") or years_before(until, 1) + datetime.timedelta(days=1)
        return since, until
