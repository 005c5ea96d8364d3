"""Making a referral through question pages, then following it: the referrer's and the front door's pages.

The answers live in a ReferralDraft (the database, per author), so a referral survives signing out. A page
saves its answers only when they are valid. Changing an answer from the check page comes back to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.frontdoor import drafts, forms
from continuum.frontdoor.matching import Described
from continuum.frontdoor.models import ReferralDraft
from continuum.frontdoor.selectors import referrals as selectors
from continuum.frontdoor.services import referrals as services
from continuum.govuk.forms import error_summary
from continuum.identifiers import record_id

# ---------------------------------------------------------------------------------------------------------
# Start: begin a referral, or carry on with (or delete) a draft


@login_required
@require_http_methods(["GET", "POST"])
def start(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_refer(request.user))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            draft = services.draft_start(actor=request.user)
            return redirect("frontdoor:step", draft_id=draft.pk, step="child")
        if action == "delete":
            services.draft_delete(actor=request.user, draft_id=_uuid(request.POST.get("draft_id")))
            messages.success(request, "The draft referral has been deleted")
        return redirect("frontdoor:start")
    shown = [(d, drafts.next_step(d.answers)) for d in selectors.draft_list(viewer=request.user)]
    return render(request, "frontdoor/referral_start.html", {"drafts": shown})


def _uuid(value: Any) -> uuid.UUID:
    wanted = record_id(value)
    if wanted is None:
        raise Http404("No draft referral of yours has that reference")
    return wanted


# ---------------------------------------------------------------------------------------------------------
# The question pages


def _step_url(draft: ReferralDraft, step: str, *, changing: bool = False) -> str:
    url = reverse("frontdoor:step", kwargs={"draft_id": draft.pk, "step": step})
    return f"{url}?change=1" if changing else url


def _after(draft: ReferralDraft, step: str | None, *, changing: bool) -> HttpResponse:
    """Where a page goes once answered: back to the check page when changing an answer, else onwards."""
    if changing or step is None:
        return redirect("frontdoor:check", draft_id=draft.pk)
    return redirect(_step_url(draft, step))


def _page(request: SignedInRequest, template: str, draft: ReferralDraft, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    return render(
        request,
        template,
        {
            "draft": draft,
            "changing": _changing(request),
            "page_errors": error_summary(form) if form is not None and form.is_bound else [],
            **context,
        },
    )


def _changing(request: SignedInRequest) -> bool:
    return request.GET.get("change") == "1"


def _child(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
    typed = draft.answers.get("child") or {}
    if request.method == "POST":
        form = forms.ChildForm(request.POST)
        if form.is_valid():
            new = form.typed()
            if new == typed and draft.answers.get("child_choice"):
                return _after(draft, "family", changing=_changing(request))
            services.draft_update(
                actor=request.user, draft_id=draft.pk, answers={"child": new}, forget=["child_choice"]
            )
            return redirect(_step_url(draft, "child-matches", changing=_changing(request)))
    else:
        form = forms.ChildForm(forms.ChildForm.showing(typed)) if typed else forms.ChildForm()
    return _page(request, "frontdoor/referral_child.html", draft, {"form": form, "back": reverse("frontdoor:start")})


def _described(typed: dict[str, Any]) -> Described:
    return Described(
        given_name=str(typed.get("given_name", "")),
        family_name=str(typed.get("family_name", "")),
        known_as=str(typed.get("known_as", "")),
        date_of_birth=drafts.typed_date(typed.get("date_of_birth")),
        postcode=str(typed.get("postcode", "")),
    )


def _matches(
    request: SignedInRequest,
    draft: ReferralDraft,
    *,
    typed: dict[str, Any],
    looking_for: str,
    chosen: Callable[[dict[str, Any]], HttpResponse],
    refuse: set[str],
    back: str,
    family_of: Any = None,
) -> HttpResponse:
    """Tell it once: the existing records that may be this person; choose one, or record a new person.

    The search runs again on every visit (each audited), so a choice is checked against what the viewer
    may open now, never against what the page once said.
    """
    found = selectors.candidate_search(
        viewer=request.user, described=_described(typed), looking_for=looking_for, family_of=family_of
    )
    ids = [str(c.id) for c in found.shown]
    form = forms.MatchForm(request.POST if request.method == "POST" else None, ids=ids)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        if choice in refuse:
            form.add_error("choice", "That person is already in this referral: choose another, or none of these")
        elif choice == forms.MatchForm.NEW:
            return chosen({"new": True, "possible_matches": found.ids})
        else:
            return chosen({"person_id": choice})
    return _page(
        request,
        "frontdoor/referral_matches.html",
        draft,
        {
            "form": form,
            "found": found,
            "typed": typed,
            "born": drafts.typed_date(typed.get("date_of_birth")),
            "looking_for": looking_for,
            "back": back,
        },
    )


def _child_matches(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
    typed = draft.answers.get("child")
    if not typed:
        return redirect(_step_url(draft, "child"))

    def chosen(choice: dict[str, Any]) -> HttpResponse:
        family_ids = {str(m.get("person_id")) for m in draft.answers.get("family") or [] if m.get("person_id")}
        if choice.get("person_id") in family_ids:
            # Chosen as a family member already: take them out of the family rather than name them twice.
            family = [m for m in draft.answers.get("family") or [] if str(m.get("person_id")) != choice["person_id"]]
            services.draft_update(actor=request.user, draft_id=draft.pk, answers={"family": family})
        services.draft_update(actor=request.user, draft_id=draft.pk, answers={"child_choice": choice})
        return _after(draft, "family", changing=_changing(request))

    return _matches(
        request,
        draft,
        typed=typed,
        looking_for="child",
        chosen=chosen,
        refuse=set(),
        back=_step_url(draft, "child", changing=_changing(request)),
    )


def _family(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
    family = list(draft.answers.get("family") or [])
    if request.method == "POST" and "remove" in request.POST:
        index = request.POST.get("remove", "")
        if index.isdigit() and int(index) < len(family):
            del family[int(index)]
            services.draft_update(actor=request.user, draft_id=draft.pk, answers={"family": family})
        return redirect(_step_url(draft, "family", changing=_changing(request)))
    form = forms.AddAnotherForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add"] == "yes":
            services.draft_update(
                actor=request.user, draft_id=draft.pk, answers={"family_done": False}, forget=["family_pending"]
            )
            return redirect(_step_url(draft, "family-member", changing=_changing(request)))
        services.draft_update(actor=request.user, draft_id=draft.pk, answers={"family_done": True})
        return _after(draft, "reasons", changing=_changing(request))
    names = selectors.openable_people(viewer=request.user, person_ids=[m.get("person_id") for m in family])
    return _page(
        request,
        "frontdoor/referral_family.html",
        draft,
        {
            "form": form,
            "family": [(m, names.get(str(m.get("person_id")))) for m in family],
            "relationships": dict(v.RELATIONSHIP_KIND),
            "back": _step_url(draft, "child-matches"),
        },
    )


def _family_member(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
    if request.method == "POST":
        form = forms.FamilyMemberForm(request.POST)
        if form.is_valid():
            services.draft_update(actor=request.user, draft_id=draft.pk, answers={"family_pending": form.typed()})
            return redirect(_step_url(draft, "family-matches", changing=_changing(request)))
    else:
        pending = draft.answers.get("family_pending")
        form = forms.FamilyMemberForm(forms.FamilyMemberForm.showing(pending)) if pending else forms.FamilyMemberForm()
    return _page(
        request,
        "frontdoor/referral_family_member.html",
        draft,
        {"form": form, "back": _step_url(draft, "family", changing=_changing(request))},
    )


def _family_matches(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
    pending = draft.answers.get("family_pending")
    if not pending:
        return redirect(_step_url(draft, "family", changing=_changing(request)))
    family = list(draft.answers.get("family") or [])
    child_id = (draft.answers.get("child_choice") or {}).get("person_id")
    taken = {str(m["person_id"]) for m in family if m.get("person_id")} | ({str(child_id)} if child_id else set())
    relationship = pending.get("relationship", "")
    typed = {k: val for k, val in pending.items() if k != "relationship"}

    def chosen(choice: dict[str, Any]) -> HttpResponse:
        member = {"typed": typed, "relationship": relationship, "person_id": choice.get("person_id")}
        member["possible_matches"] = choice.get("possible_matches", [])
        services.draft_update(
            actor=request.user, draft_id=draft.pk, answers={"family": [*family, member]}, forget=["family_pending"]
        )
        return redirect(_step_url(draft, "family", changing=_changing(request)))

    return _matches(
        request,
        draft,
        typed=typed,
        looking_for="family member",
        chosen=chosen,
        refuse=taken,
        back=_step_url(draft, "family-member", changing=_changing(request)),
        family_of=child_id,
    )


def _simple(
    form_class: type[Any],
    template: str,
    *,
    keys: tuple[str, ...],
    next_step: str | None,
    back: str,
    done: dict[str, Any] | None = None,
) -> Callable[[SignedInRequest, ReferralDraft], HttpResponse]:
    """A page whose answers are its form's fields, kept as they are."""

    def page(request: SignedInRequest, draft: ReferralDraft) -> HttpResponse:
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                answers = {**{k: form.cleaned_data[k] for k in keys}, **(done or {})}
                services.draft_update(actor=request.user, draft_id=draft.pk, answers=answers)
                return _after(draft, next_step, changing=_changing(request))
        else:
            kept = {k: draft.answers[k] for k in keys if k in draft.answers}
            form = form_class(kept) if kept else form_class()
        return _page(request, template, draft, {"form": form, "back": _step_url(draft, back)})

    return page


_STEPS: dict[str, Callable[[SignedInRequest, ReferralDraft], HttpResponse]] = {
    "child": _child,
    "child-matches": _child_matches,
    "family": _family,
    "family-member": _family_member,
    "family-matches": _family_matches,
    "reasons": _simple(
        forms.ReasonsForm, "frontdoor/referral_reasons.html", keys=("reasons",), next_step="story", back="family"
    ),
    "story": _simple(
        forms.StoryForm, "frontdoor/referral_story.html", keys=("story",), next_step="wishes", back="reasons"
    ),
    "wishes": _simple(
        forms.WishesForm,
        "frontdoor/referral_wishes.html",
        keys=("child_wants", "family_wants"),
        next_step="consent",
        back="story",
        done={"wishes_done": True},  # both answers may be empty: this says the page was answered
    ),
    "consent": _simple(
        forms.ConsentForm,
        "frontdoor/referral_consent.html",
        keys=("consent", "consent_reason"),
        next_step=None,
        back="wishes",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def step(request: SignedInRequest, draft_id: uuid.UUID, step: str) -> HttpResponse:
    page = _STEPS.get(step)
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    if page is None:
        raise Http404("No such question")
    return page(request, draft)


# ---------------------------------------------------------------------------------------------------------
# Check your answers, send, and the confirmation


@login_required
@require_http_methods(["GET", "POST"])
def check(request: SignedInRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    missing = drafts.next_step(draft.answers)
    if missing is not None:
        return redirect(_step_url(draft, missing))
    problems: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            referral = services.referral_send(actor=request.user, draft_id=draft.pk)
        except ValidationError as exc:
            problems = [{"text": message, "href": "#answers"} for message in _messages(exc)]
        else:
            return redirect("frontdoor:sent", referral_id=referral.pk)
    answers = draft.answers
    family = answers.get("family") or []
    chosen = [(answers.get("child_choice") or {}).get("person_id"), *(m.get("person_id") for m in family)]
    names = selectors.openable_people(viewer=request.user, person_ids=chosen)
    profile = access.profile_of(request.user)
    return render(
        request,
        "frontdoor/referral_check.html",
        {
            "draft": draft,
            "a": answers,
            "child_record": names.get(str(chosen[0])) if chosen[0] else None,
            "family": [(m, names.get(str(m.get("person_id")))) for m in family],
            "reasons": [v.label(v.REFERRAL_REASON, r) for r in answers.get("reasons") or []],
            "relationships": dict(v.RELATIONSHIP_KIND),
            "consent": v.label(v.CONSENT, answers.get("consent", "")),
            "born": drafts.typed_date((answers.get("child") or {}).get("date_of_birth")),
            "referrer": profile.name if profile else "",
            "agency": profile.agency.name if profile else "",
            "page_errors": problems,
        },
    )


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages_ in exc.message_dict.values() for m in messages_]
    return [str(m) for m in exc.messages]


@login_required
@require_GET
def sent(request: SignedInRequest, referral_id: uuid.UUID) -> HttpResponse:
    shown = selectors.referral_detail(viewer=request.user, referral_id=referral_id)
    return render(request, "frontdoor/referral_sent.html", {"r": shown.referral})


# ---------------------------------------------------------------------------------------------------------
# Following referrals


@login_required
@require_GET
def mine(request: SignedInRequest) -> HttpResponse:
    listing = selectors.referral_list_mine(viewer=request.user, page=request.GET.get("page"))
    return render(request, "frontdoor/referral_mine.html", {"listing": listing})


@login_required
@require_GET
def detail(request: SignedInRequest, referral_id: uuid.UUID) -> HttpResponse:
    shown = selectors.referral_detail(viewer=request.user, referral_id=referral_id)
    return render(request, "frontdoor/referral_detail.html", {"s": shown, "r": shown.referral})
