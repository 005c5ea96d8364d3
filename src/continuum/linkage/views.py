"""Record linkage's pages: the clerical review queue, a pair decided, the history of merges and splits.

Views stay thin: the selectors refuse anyone the access policy does not let review linkage (with the audited 404
a missing page gives) and audit what they show; the services refuse a decision on a pair that has changed, or
the undoing of something that is not a merge, with a message the page puts in its error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.agencies.access import SignedInRequest
from continuum.govuk.forms import error_summary
from continuum.linkage import selectors, services
from continuum.linkage.forms import DECISIONS, DecisionForm, UndoMergeForm

DECIDED = "This pair has already been decided: nothing was recorded"
NOT_UNDOABLE = "This is not a merge that can be undone: nothing was changed"


def _problem(exc: Exception, href: str) -> list[dict[str, str]]:
    """A service's refusal as the error summary lists it, first letter capitalised."""
    texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return [{"text": t[:1].upper() + t[1:], "href": href} for t in texts]


@login_required
@require_GET
def queue(request: SignedInRequest) -> HttpResponse:
    shown = selectors.review_queue(viewer=request.user, page=request.GET.get("page"))
    return render(request, "linkage/queue.html", {"q": shown})


@login_required
@require_http_methods(["GET", "POST"])
def pair(request: SignedInRequest, pair_id: str) -> HttpResponse:
    """Two records side by side, and the reviewer's decision: the same person, not, or not sure (with a reason)."""
    shown = selectors.review_pair(viewer=request.user, pair_id=pair_id)
    form = DecisionForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not shown.open:
            errors = [{"text": DECIDED, "href": "#decision-heading"}]
        elif form.is_valid():
            d = form.cleaned_data
            try:
                services.decide_review(
                    actor=request.user,
                    pair_id=shown.pair.pk,
                    decision=d["decision"],
                    reason=d["reason"],
                    state=d["state"],
                )
            except (services.LinkageError, ValidationError) as exc:
                errors = _problem(exc, "#decision")
            else:
                messages.success(request, f"Decision recorded: {dict(DECISIONS)[d['decision']].lower()}")
                return redirect("linkage:queue")
        else:
            errors = error_summary(form)
    return render(
        request, "linkage/pair.html", {"v": shown, "form": form, "decisions": DECISIONS, "page_errors": errors}
    )


@login_required
@require_GET
def history(request: SignedInRequest) -> HttpResponse:
    shown = selectors.identity_history(viewer=request.user, page=request.GET.get("page"))
    return render(request, "linkage/history.html", {"h": shown})


@login_required
@require_http_methods(["GET", "POST"])
def undo(request: SignedInRequest, change_id: str) -> HttpResponse:
    """A merge, the records it moved, and the form to undo it (with a reason)."""
    shown = selectors.identity_change(viewer=request.user, change_id=change_id)
    form = UndoMergeForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = UndoMergeForm(request.POST)
        if not shown.undoable:
            errors = [{"text": NOT_UNDOABLE, "href": "#undo-heading"}]
        elif form.is_valid():
            try:
                services.unmerge(actor=request.user, change_id=shown.change.pk, reason=form.cleaned_data["reason"])
            except (services.LinkageError, ValidationError) as exc:
                errors = _problem(exc, "#reason")
            else:
                messages.success(request, "Merge undone: every record and relationship it moved is back")
                return redirect("linkage:history")
        else:
            errors = error_summary(form)
    return render(request, "linkage/undo.html", {"m": shown, "form": form, "page_errors": errors})
