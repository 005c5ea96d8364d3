"""Reading the front door. Other modules use only what is exported here (the front door's own views use the
modules in this package)."""

from continuum.frontdoor.selectors.for_casework import AllocatedReferral, allocated_referral, referral_reasons

__all__ = ["AllocatedReferral", "allocated_referral", "referral_reasons"]
