"""The casework pages' forms, and how a page describes its fields to the shared form template."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from continuum import vocabulary as v
from continuum.agencies.access import SignedInRequest
from continuum.govuk.forms import GovukDateField, error_summary, errors_onto

LEVELS = [(c, label) for c, label in v.LEVEL_OF_NEED]


@dataclass(frozen=True)
class Field:
    """A field as casework/_fields.html draws it: text, number, textarea, date, radios, checkboxes, select, heading."""

    name: str
    kind: str
    label: str
    hint: str = ""
    choices: Sequence[tuple[Any, str]] = field(default_factory=tuple)


def required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message, "invalid": message}


def whole(label: str, *, minimum: int, maximum: int, required_message: str = "", **kwargs: Any) -> forms.IntegerField:
    """A whole number with messages that name the field and its range."""
    words = f"{label} must be a whole number from {minimum} to {maximum}"
    return forms.IntegerField(
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "invalid": words,
            "min_value": words,
            "max_value": words,
        },
        **kwargs,
    )


def date(label: str, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, past_only=True, **kwargs)


def posted(request: SignedInRequest) -> Any:
    """The POSTed data (even when empty, so an empty form is checked and refused), or None for a GET."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: SignedInRequest,
    form: forms.Form,
    *,
    fields: list[Field],
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    title: str,
    button: str,
    success: str,
    **context: Any,
) -> HttpResponse:
    """GET shows the form; POST validates it, calls `save` with the cleaned data (a service), and redirects to
    `done(result)`; a refusal from the service goes onto the form, so nothing is saved and the message shows."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result))
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "fields": fields,
            "title": title,
            "button": button,
            "page_errors": error_summary(form),
            **context,
        },
    )


class OpenForm(forms.Form):
    level = forms.TypedChoiceField(choices=LEVELS, coerce=int, error_messages=required("Select the level of need"))
    programme = forms.ChoiceField(required=False, error_messages=required("Choose a programme from the list"))
    start_date = date("The date the episode started", required=False)


class FromReferralForm(forms.Form):
    start_date = date("The date the episode started", required=False)


class DomainForm(forms.Form):
    """The assessment: each domain's concern, strengths, needs and areas, then the family's words."""

    completed_on = date("The date the assessment was completed", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in v.ASSESSMENT_DOMAIN:
            self.fields[f"{code}-concern"] = forms.TypedChoiceField(
                choices=v.CONCERN, coerce=int, error_messages=required(f"{label}: select how much concern it raises")
            )
            self.fields[f"{code}-strengths"] = forms.CharField(
                max_length=5000, error_messages=required(f"{label}: say what the strengths are")
            )
            self.fields[f"{code}-needs"] = forms.CharField(max_length=5000, required=False)
            self.fields[f"{code}-areas"] = forms.MultipleChoiceField(
                choices=v.ASSESSMENT_AREA[code],
                required=False,
                error_messages=required(f"{label}: choose areas from the list"),
            )
        self.fields["child_words"] = forms.CharField(
            max_length=5000, error_messages=required("Record what the child said, in their own words")
        )
        self.fields["parent_words"] = forms.CharField(
            max_length=5000, error_messages=required("Record what the parents or carers said, in their own words")
        )
        self.fields["summary"] = forms.CharField(
            max_length=10000, error_messages=required("Write the analysis: what life is like for the child")
        )
        self.fields["proposed_level"] = forms.TypedChoiceField(
            choices=LEVELS, coerce=int, error_messages=required("Select the level of need the assessment proposes")
        )


def assessment_fields() -> list[Field]:
    out = [Field("completed_on", "date", "Date completed")]
    for code, label in v.ASSESSMENT_DOMAIN:
        out += [
            Field(f"{code}-heading", "heading", label),
            Field(f"{code}-concern", "radios", "How much concern does it raise?", choices=v.CONCERN),
            Field(f"{code}-strengths", "textarea", "Strengths", "What is going well: every family has some"),
            Field(f"{code}-needs", "textarea", "Needs", "What needs to change (the plan offers these as goals)"),
            Field(f"{code}-areas", "checkboxes", "Areas that need work", choices=v.ASSESSMENT_AREA[code]),
        ]
    return out + [
        Field("voice-heading", "heading", "In their own words", "Write what they said as they said it."),
        Field("child_words", "textarea", "What the child said"),
        Field("parent_words", "textarea", "What the parents or carers said"),
        Field("summary", "textarea", "Analysis", "What life is like for the child, and what needs to change"),
        Field("proposed_level", "radios", "Level of need the assessment proposes", choices=LEVELS),
    ]


class PlanForm(forms.Form):
    agreed_on = date("The date the plan was agreed", required=True)
    review_every_weeks = whole("Weeks between reviews", minimum=1, maximum=26)
    child_views = forms.CharField(max_length=5000, required=False)
    family_views = forms.CharField(max_length=5000, required=False)


class GoalForm(forms.Form):
    description = forms.CharField(max_length=2000, error_messages=required("Say what will change"))
    success_looks_like = forms.CharField(max_length=2000, error_messages=required("Say how everyone will know"))
    who = forms.CharField(max_length=300, error_messages=required("Say who will do what"))
    target_date = GovukDateField(label="The target date")
    agreed_with = forms.ChoiceField(choices=v.VOICE, error_messages=required("Select who agreed the goal"))
    first_rating = whole("The rating now", minimum=0, maximum=10, required=False)
    rated_by = forms.ChoiceField(choices=v.RATED_BY, required=False, error_messages=required("Select who rated it"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_rating") is not None and not data.get("rated_by"):
            self.add_error("rated_by", "Select who gave the rating")
        return data


class RateForm(forms.Form):
    rating = whole("The rating", minimum=0, maximum=10)
    rated_by = forms.ChoiceField(choices=v.RATED_BY, error_messages=required("Select who gave the rating"))
    rated_on = date("The date of the rating", required=True)
    note = forms.CharField(max_length=300, required=False)


class ReviewForm(forms.Form):
    held_on = date("The date of the review", required=True)
    child_views = forms.CharField(max_length=5000, error_messages=required("Record the child's views"))
    family_views = forms.CharField(max_length=5000, error_messages=required("Record the family's views"))
    summary = forms.CharField(max_length=5000, error_messages=required("Say what has changed and what happens next"))


class SessionForm(forms.Form):
    held_on = date("The date of the session", required=True)
    kind = forms.ChoiceField(choices=v.SESSION_TYPE, error_messages=required("Select the type of session"))
    attendance = forms.ChoiceField(
        choices=v.SESSION_ATTENDANCE, error_messages=required("Select whether the session happened")
    )
    duration_minutes = whole("The duration", minimum=1, maximum=600, required=False)
    practitioner = forms.ChoiceField(required=False, error_messages=required("Choose who held the session"))
    case_note = forms.CharField(max_length=20000, required=False)
    next_session_on = GovukDateField(label="The date of the next session", required=False)  # may be in the future


class ExtendForm(forms.Form):
    extra_sessions = whole("The number of extra sessions", minimum=1, maximum=52)
    reason = forms.CharField(max_length=2000, error_messages=required("Give the reason more sessions are needed"))


class TeamMemberForm(forms.Form):
    practitioner = forms.ChoiceField(error_messages=required("Choose a practitioner from the list"))
    role = forms.CharField(max_length=200, error_messages=required("Say what they do for the family"))


class CloseForm(forms.Form):
    closed_on = date("The date the episode closed", required=True)
    level_at_close = forms.TypedChoiceField(
        choices=LEVELS, coerce=int, error_messages=required("Select the level of need at close")
    )
    closure_reason = forms.ChoiceField(choices=v.CLOSURE_REASON, error_messages=required("Select the reason it closed"))
    closure_note = forms.CharField(max_length=5000, required=False)
    step_down_to = forms.ChoiceField(
        choices=v.STEP_DOWN_TO, required=False, error_messages=required("Select where the child went")
    )
    step_down_note = forms.CharField(max_length=300, required=False)
    step_up_reasons = forms.MultipleChoiceField(
        choices=v.REFERRAL_REASON, required=False, error_messages=required("Select reasons from the list")
    )
    step_up_consent = forms.ChoiceField(
        choices=v.CONSENT, required=False, error_messages=required("Say whether the family consented")
    )
    step_up_consent_reason = forms.CharField(max_length=2000, required=False)


class FeedbackForm(forms.Form):
    given_by = forms.ChoiceField(choices=v.VOICE, error_messages=required("Select who gave the feedback"))
    helpfulness = forms.TypedChoiceField(
        choices=[
            (str(n), f"{n}{' (not at all helpful)' if n == 1 else ' (very helpful)' if n == 5 else ''}")
            for n in range(1, 6)
        ],
        coerce=int,
        error_messages=required("Select how helpful the support was, from 1 to 5"),
    )
    what_helped = forms.CharField(max_length=5000, required=False)
    what_could_be_better = forms.CharField(max_length=5000, required=False)
    consent_to_quote = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], error_messages=required("Say whether they agreed to be quoted")
    )
    quote = forms.CharField(max_length=2000, required=False)


class CohortForm(forms.Form):
    programme = forms.ChoiceField(error_messages=required("Choose the programme"))
    name = forms.CharField(max_length=200, error_messages=required("Name the course"))
    venue = forms.CharField(max_length=200, error_messages=required("Say where the course meets"))
    start_date = GovukDateField(label="The date the course starts")
    planned_sessions = whole("The number of planned sessions", minimum=1, maximum=52)


class CohortSessionForm(forms.Form):
    held_on = date("The date of the session", required=True)
    attended = forms.MultipleChoiceField(required=False, error_messages=required("Mark members on the course only"))


class MemberForm(forms.Form):
    episode = forms.ChoiceField(error_messages=required("Choose an episode from the list"))
    joined_on = date("The date they joined", required=True)


class FacilitatorForm(forms.Form):
    practitioner = forms.ChoiceField(error_messages=required("Choose a practitioner from the list"))
