"""Writing to the front door. Other modules use only what is exported here (the front door's own views use the
modules in this package)."""

from continuum.frontdoor.drafts import Named
from continuum.frontdoor.services.referrals import referral_close, referral_create

__all__ = ["Named", "referral_close", "referral_create"]
