"""Changing agencies' records: involvements and allocations (records.py), and administering accounts
(accounts.py: every change audited, none to one's own account, access-giving changes approved by a
second administrator)."""

from continuum.agencies.services.accounts import (
    access_change_decide,
    account_create,
    account_password_reset,
    account_save,
    agency_save,
    password_set_recorded,
    practitioner_save,
)
from continuum.agencies.services.records import (
    allocation_add,
    allocation_end,
    involvement_close,
    involvement_open,
    practitioner_account_set,
)

__all__ = [
    "access_change_decide",
    "account_create",
    "account_password_reset",
    "account_save",
    "agency_save",
    "allocation_add",
    "allocation_end",
    "involvement_close",
    "involvement_open",
    "password_set_recorded",
    "practitioner_account_set",
    "practitioner_save",
]
