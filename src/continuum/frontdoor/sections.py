"""The front door's part of a child's record: their referrals and the decisions on them.

Shown to everyone allowed to open the record (the decision, its level and its rationale are part of the
child's record); each referral links to its own page only for those who may open it (the referring
agency and the front door).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from continuum.agencies import access
from continuum.frontdoor.models import Decision, Referral
from continuum.people.selectors import RecordContext, record_section


@dataclass(frozen=True)
class DecisionOnRecord:
    decided_at: datetime.datetime
    level: str
    route: str
    rationale: str
    change: str


@dataclass(frozen=True)
class ReferralOnRecord:
    referral_id: Any
    reference: str
    received_at: datetime.datetime
    reasons: list[str]
    agency: str
    status: str
    decisions: list[DecisionOnRecord]
    can_open: bool


@record_section("referrals", title="Referrals", template="frontdoor/record_section.html", order=35)
def _referrals(ctx: RecordContext) -> list[ReferralOnRecord]:
    referrals = (
        Referral.objects.filter(person=ctx.person)
        .select_related("referrer_agency")
        .prefetch_related("reasons", Prefetch("decisions", queryset=Decision.objects.order_by("-decided_at")))
        .order_by("-received_at")
    )
    screens = access.can_screen(ctx.viewer)
    profile = access.profile_of(ctx.viewer)
    own_agency = profile.agency_id if profile is not None and access.can_refer(ctx.viewer) else None
    return [
        ReferralOnRecord(
            referral_id=r.pk,
            reference=r.reference,
            received_at=r.received_at,
            reasons=[x.get_reason_display() for x in r.reasons.all()],
            agency=r.referrer_agency.name,
            status=r.get_status_display(),
            decisions=[
                DecisionOnRecord(
                    decided_at=d.decided_at,
                    level=d.get_level_display(),
                    route=d.get_route_display(),
                    rationale=d.rationale,
                    change=d.get_change_display(),
                )
                for d in r.decisions.all()
            ],
            can_open=screens or r.referrer_agency_id == own_agency,
        )
        for r in referrals
    ]


@_referrals.export
def _(shown: list[ReferralOnRecord]) -> dict[str, Any]:
    return {
        "referrals": [
            {
                # The referral's own reference (its address) only for those who may open it, as the page links.
                **({"referral_id": str(r.referral_id)} if r.can_open else {}),
                "reference": r.reference,
                "received": r.received_at.isoformat(),
                "reasons": r.reasons,
                "referring_agency": r.agency,
                "status": r.status,
                "decisions": [
                    {
                        "decided": d.decided_at.isoformat(),
                        "level": d.level,
                        "route": d.route,
                        "change": d.change,
                        "rationale": d.rationale,
                    }
                    for d in r.decisions
                ],
            }
            for r in shown
        ]
    }
