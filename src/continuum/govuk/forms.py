"""Form pieces shared by every module: the GOV.UK date input and error lists for the GOV.UK macros."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DayMonthYearWidget(forms.Widget):
    """Three boxes named <name>-day, <name>-month, <name>-year, as the GOV.UK date input pattern has them."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str, str]:
        return tuple(str(data.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year"))  # type: ignore[return-value]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.Field):
    """A date entered in three boxes, with the error messages the GOV.UK pattern recommends."""

    widget = DayMonthYearWidget

    def __init__(self, *, label: str, past_only: bool = False, **kwargs: Any) -> None:
        self.label_text = label
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        day, month, year = value if isinstance(value, tuple) else ("", "", "")
        if not (day or month or year):
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_text} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{self.label_text} must be a real date, for example 27 3 2015")
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label_text} must be a real date") from None
        if self.past_only and date > datetime.date.today():
            raise forms.ValidationError(f"{self.label_text} must be today or in the past")
        return date

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.label_text[0].lower()}{self.label_text[1:]}")


def error_summary(form: forms.Form | None) -> list[dict[str, str]]:
    """Errors as the GOV.UK error summary lists them, each linking to its field."""
    if form is None or not form.errors:
        return []
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        href = "#" if name == "__all__" else f"#{_first_input_id(form, name)}"
        items.extend({"text": str(error), "href": href} for error in errors)
    return items


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form that fed it, each message on its field where it has one."""
    for name, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def field_error(form: forms.Form | None, name: str) -> dict[str, str] | None:
    """The errorMessage parameter for a GOV.UK macro, or None."""
    if form is None or name not in form.errors:
        return None
    return {"text": " ".join(str(e) for e in form.errors[name])}


def _first_input_id(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    return f"{name}-day" if isinstance(field, GovukDateField) else name


def date_items(form: forms.Form, name: str) -> list[dict[str, Any]]:
    """The items parameter of govukDateInput, keeping what the user typed."""
    typed = form[name].value() if form.is_bound else None
    values = typed if isinstance(typed, tuple) else ("", "", "")
    has_error = name in form.errors
    return [
        {
            "name": part,
            "value": value,
            "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if has_error else ""),
        }
        for part, value, width in zip(("day", "month", "year"), values, (2, 2, 4), strict=True)
    ]
