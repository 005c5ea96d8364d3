"""Reading referrals: tell-it-once candidates, a referrer's drafts, their agency's referrals and one referral.

Who may read a referral: the agency that made it (any of its users who may refer), and the front door
(which screens every referral). Anyone else, and any id that does not exist, gets the same audited 404.
The child's own record is another matter: the referring agency may open it only while the referral is
open (the relationship source open_referral in frontdoor/access.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Basis, RecordRefused, Viewer
from continuum.audit.services import AuditAction, Subject, audit_record, audit_refusal, record_type
from continuum.frontdoor import matching
from continuum.frontdoor.models import Decision, Referral, ReferralDraft, ReferralFamilyMember
from continuum.people.selectors import people_visible_to, records_to_match

if TYPE_CHECKING:
    from continuum.people.models import Person

PAGE_SIZE = 25
CANDIDATE_LIMIT = 10


# ---------------------------------------------------------------------------------------------------------
# Tell it once


@dataclass(frozen=True)
class Candidate:
    """An existing record that may be the person described. Details only where the viewer may open it."""

    id: Any
    can_open: bool
    why: str = ""
    person: Person | None = None
    postcode: str = ""


@dataclass(frozen=True)
class Candidates:
    found: list[Candidate]

    @property
    def shown(self) -> list[Candidate]:
        """The candidates the viewer may open: shown with their details, and may be chosen."""
        return [c for c in self.found if c.can_open]

    @property
    def hidden(self) -> int:
        """How many candidates the viewer may not open: shown only as "a possible existing record"."""
        return sum(1 for c in self.found if not c.can_open)

    @property
    def ids(self) -> list[str]:
        return [str(c.id) for c in self.found]


def candidate_search(
    *, viewer: Viewer, described: matching.Described, looking_for: str, family_of: Any = None
) -> Candidates:
    """Existing records that may be the person described, across every person, best first.

    Blocks in the database (the same date of birth or with day and month swapped, the same family name with
    a form of the given name, the same postcode, and for a family member the people already linked to the
    child `family_of`), scores in Python (continuum.frontdoor.matching), then asks the access policy which
    candidates the viewer may open. The search is audited with its criteria and every candidate's id (as
    people.person_search is), whether or not the viewer may see them.
    """
    access.require(access.can_refer(viewer))
    blocks = matching.blocks(described)
    with transaction.atomic():
        records = records_to_match(
            viewer=viewer,
            dates_of_birth=blocks.dates,
            family_name_key=blocks.family_key,
            given_name_keys=blocks.given_keys,
            postcode=blocks.postcode,
            family_of=family_of,
        )
        people = {r.person.pk: r for r in records}
        ranked = matching.rank(
            described,
            (
                matching.Stored(
                    id=r.person.pk,
                    given_name=r.person.given_name,
                    family_name=r.person.family_name,
                    known_as=r.person.known_as,
                    date_of_birth=r.person.date_of_birth,
                    postcodes=r.postcodes,
                    earlier_postcodes=r.earlier_postcodes,
                    in_childs_family=r.in_family,
                )
                for r in records
            ),
            limit=CANDIDATE_LIMIT,
        )
        ids = [m.id for m in ranked]
        openable = set(people_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        found = [
            Candidate(
                id=m.id,
                can_open=True,
                why=m.why,
                person=people[m.id].person,
                postcode=next(iter(people[m.id].postcodes), ""),
            )
            if m.id in openable
            else Candidate(id=m.id, can_open=False)
            for m in ranked
        ]
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            obj=Subject("person"),
            event="frontdoor.candidate_search",
            purpose=f"Tell it once: existing records for the {looking_for} of a referral",
            detail={
                "criteria": described.as_audit(),
                "candidates": [str(i) for i in ids],
                "shown": [str(i) for i in ids if i in openable],
            },
        )
    return Candidates(found)


def openable_people(*, viewer: Viewer, person_ids: Iterable[Any]) -> dict[str, Person]:
    """Of these people, those the viewer may open, by id (as text). Not audited: the caller shows what the
    viewer chose during an audited candidate search, or audits the read itself."""
    wanted = {str(i) for i in person_ids if i}
    if not wanted:
        return {}
    return {str(p.pk): p for p in people_visible_to(viewer).filter(pk__in=wanted)}


# ---------------------------------------------------------------------------------------------------------
# Drafts: the referrer's own answers, kept between sessions. Only their author reads them.


def draft_list(*, viewer: Viewer) -> list[ReferralDraft]:
    access.require(access.can_refer(viewer))
    return list(ReferralDraft.objects.filter(author_id=viewer.pk))


def draft_get(*, viewer: Viewer, draft_id: Any) -> ReferralDraft:
    """The viewer's own draft; anyone else's, and one that does not exist, are the same 404."""
    access.require(access.can_refer(viewer))
    draft = ReferralDraft.objects.filter(pk=draft_id, author_id=viewer.pk).first()
    if draft is None:
        raise Http404("No draft referral of yours has that reference")
    return draft


# ---------------------------------------------------------------------------------------------------------
# Referrals: the referring agency's and the front door's view


@dataclass(frozen=True)
class Outcome:
    """What the referrer is told of a decision: the level and route as labels and the words written for them,
    never the front door's rationale."""

    decided_at: datetime.datetime
    level: str
    route: str
    told: str


def outcome_of(decision: Decision) -> Outcome:
    return Outcome(
        decided_at=decision.decided_at,
        level=decision.get_level_display(),
        route=decision.get_route_display(),
        told=decision.outcome_for_referrer,
    )


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    reasons: list[str]
    outcome: Outcome | None


@dataclass(frozen=True)
class ReferralList:
    page: Page[Referral]  # for the pagination links
    rows: list[ReferralRow]
    agency: str


def _readable_referrals(viewer: Viewer) -> tuple[models.QuerySet[Referral], Basis | None]:
    """The referrals this viewer may read, and why: the front door all of them, a referrer their agency's."""
    if access.can_screen(viewer):
        role = access.role_policy(viewer)
        label = role.label if role else "Front door"
        return Referral.objects.all(), Basis("scope", "You screen every referral", f"{label}: screens every referral")
    profile = access.profile_of(viewer)
    if access.can_refer(viewer) and profile is not None:
        return Referral.objects.filter(referrer_agency_id=profile.agency_id), Basis(
            "referrer_agency", "Your agency made this referral", "The user's agency made the referral"
        )
    return Referral.objects.none(), None


def _decisions() -> Prefetch[Any]:
    return Prefetch("decisions", queryset=Decision.objects.order_by("-decided_at"))


def referral_list_mine(*, viewer: Viewer, page: Any = 1) -> ReferralList:
    """The referrals the viewer's agency made, newest first, with their status and the outcome as told."""
    access.require(access.can_refer(viewer))
    profile = access.profile_of(viewer)
    assert profile is not None  # can_refer needs a practitioner profile
    referrals = (
        Referral.objects.filter(referrer_agency_id=profile.agency_id)
        .select_related("person", "referrer")
        .prefetch_related("reasons", _decisions())
        .order_by("-received_at", "pk")
    )
    with transaction.atomic():
        shown = Paginator(referrals, PAGE_SIZE).get_page(page)
        rows = [
            ReferralRow(
                referral=r,
                reasons=[x.get_reason_display() for x in r.reasons.all()],
                outcome=outcome_of(r.decisions.all()[0]) if r.decisions.all() else None,
            )
            for r in shown.object_list
        ]
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("referral"),
            event="frontdoor.referral_list",
            purpose="The user's agency's referrals",
            detail={
                "results": shown.paginator.count,
                "page": shown.number,
                "shown": [str(row.referral.pk) for row in rows],
            },
        )
    return ReferralList(page=shown, rows=rows, agency=profile.agency.name)


@dataclass(frozen=True)
class FamilyShown:
    name: str
    relationship: str
    person_id: Any
    can_open: bool


@dataclass(frozen=True)
class ReferralShown:
    """One referral as its reader may see it: as sent, and the outcome in the form the referrer is told."""

    referral: Referral
    basis: Basis
    reasons: list[str]
    family: list[FamilyShown]
    outcomes: list[Outcome]
    child_can_open: bool
    screens: bool  # the front door: sees the duplicate flag and the possible existing records too
    possible_matches: list[Any]


def referral_detail(*, viewer: Viewer, referral_id: Any) -> ReferralShown:
    """One referral, for its referring agency or the front door; refused (404) alike to anyone else or no
    such referral, and the refusal audited. The read is audited as frontdoor.referral_view."""
    access.require(access.can_refer(viewer) or access.can_screen(viewer))
    readable, basis = _readable_referrals(viewer)
    referral = (
        readable.filter(pk=referral_id)
        .select_related("person", "referrer_agency", "possible_duplicate_of")
        .prefetch_related(
            "reasons", _decisions(), Prefetch("family", queryset=ReferralFamilyMember.objects.select_related("person"))
        )
        .first()
    )
    if referral is None or basis is None:
        # Who the refused referral was about goes into the trail (never to the refused user).
        person_id = Referral.objects.filter(pk=referral_id).values_list("person_id", flat=True).first()
        audit_refusal(
            actor=viewer,
            object_type=record_type(Referral),
            object_id=referral_id,
            why="view: " + ("not the user's agency's referral" if person_id else "no such record"),
            event="frontdoor.referral_view",
            person=person_id,
        )
        raise RecordRefused("No referral you can open has that reference")
    screens = access.can_screen(viewer)
    family = list(referral.family.all())
    matches = [c for entry in referral.possible_matches for c in entry.get("candidates", [])] if screens else []
    with transaction.atomic():
        openable = set(
            people_visible_to(viewer)
            .filter(pk__in={referral.person_id, *(m.person_id for m in family)})
            .values_list("pk", flat=True)
        )
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=referral,
            event="frontdoor.referral_view",
            purpose=basis.audit,
        )
    return ReferralShown(
        referral=referral,
        basis=basis,
        reasons=[r.get_reason_display() for r in referral.reasons.all()],
        family=[
            FamilyShown(
                name=m.person.display_name,
                relationship=v.label(v.RELATIONSHIP_KIND, m.relationship),
                person_id=m.person_id,
                can_open=m.person_id in openable,
            )
            for m in family
        ],
        outcomes=[outcome_of(d) for d in referral.decisions.all()],
        child_can_open=referral.person_id in openable,
        screens=screens,
        possible_matches=matches,
    )
