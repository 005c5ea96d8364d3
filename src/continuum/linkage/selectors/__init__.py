"""Reads of record linkage. Other modules use only what is exported here.

By concern: identities (who a person is across the feeds, for the single view; the runs, for administrators).
"""

from continuum.linkage.selectors.identities import identity_of_person, records_of_identity, run_list

__all__ = ["identity_of_person", "records_of_identity", "run_list"]
