"""What casework reads of the front door: the referral a practitioner was allocated, to open an episode from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from continuum.frontdoor.models import Referral
from continuum.frontdoor.selectors.screening import accepted_transfer
from continuum.identifiers import record_id

if TYPE_CHECKING:
    from continuum.frontdoor.models import Decision, Transfer


@dataclass(frozen=True)
class AllocatedReferral:
    """A referral allocated to a practitioner, with the decision and the team that accepted the child."""

    referral: Referral
    transfer: Transfer | None

    @property
    def decision(self) -> Decision | None:
        return self.transfer.decision if self.transfer else None


def allocated_referral(*, person_id: Any, practitioner_id: Any) -> AllocatedReferral | None:
    """The open referral for this child whose current allocation is to this practitioner, or None.
    Not audited: casework audits the episode it opens from it."""
    wanted = record_id(person_id)
    if wanted is None:
        return None
    referrals = (
        Referral.objects.filter(person_id=wanted, allocation__practitioner_id=practitioner_id)
        .exclude(status=Referral.Status.CLOSED)
        .select_related("allocation", "person")
        .order_by("-received_at")
    )
    for referral in referrals:
        if referral.allocation is not None and referral.allocation.is_current():
            return AllocatedReferral(referral, accepted_transfer(referral))
    return None


def referral_reasons(*, referral_id: Any) -> list[str]:
    """The reason codes a referral gave (a step up carries them on). Not audited: codes only."""
    return list(Referral.objects.filter(pk=referral_id).values_list("reasons__reason", flat=True).exclude(reasons=None))
