"""What the single multi-agency view (signals) reads of the front door: a child's referrals, with who made them
and how to reach them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from continuum.frontdoor.models import Referral


@dataclass(frozen=True)
class ReferralForView:
    reference: str
    received_on: datetime.date
    closed_on: datetime.date | None
    is_open: bool
    status: str
    agency: str
    agency_kind: str
    agency_email: str
    agency_phone: str
    referrer: str
    referrer_email: str


def referrals_for_view(*, person_id: Any) -> list[ReferralForView]:
    """The child's referrals, newest first, in one query. Not audited: the caller has opened the child's record
    (access.person_or_404) and audits the read this is part of. The record shows referrals to everyone who may open
    it (frontdoor/sections.py); so does the single view."""
    referrals = (
        Referral.objects.filter(person_id=person_id)
        .select_related("referrer_agency", "referrer_practitioner", "referrer__practitioner")
        .order_by("-received_at")
    )
    out = []
    for r in referrals:
        practitioner = r.referrer_practitioner or (getattr(r.referrer, "practitioner", None) if r.referrer else None)
        email = practitioner.email if practitioner is not None else (r.referrer.email if r.referrer else "")
        out.append(
            ReferralForView(
                reference=r.reference,
                received_on=r.received_at.date(),
                closed_on=r.closed_at.date() if r.closed_at else None,
                is_open=r.is_open,
                status=r.get_status_display(),
                agency=r.referrer_agency.name,
                agency_kind=r.referrer_agency.kind,
                agency_email=r.referrer_agency.contact_email,
                agency_phone=r.referrer_agency.contact_phone,
                referrer=r.referrer_name,
                referrer_email=email,
            )
        )
    return out
