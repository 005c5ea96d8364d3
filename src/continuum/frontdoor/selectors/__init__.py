"""Reading the front door. Other modules use only what is exported here (the front door's own views use the
modules in this package)."""

from continuum.frontdoor.selectors.for_casework import AllocatedReferral, allocated_referral, referral_reasons
from continuum.frontdoor.selectors.for_signals import ReferralForView, referrals_for_view

__all__ = ["AllocatedReferral", "ReferralForView", "allocated_referral", "referral_reasons", "referrals_for_view"]
