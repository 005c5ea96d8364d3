"""Writes of the agency feeds: loading a feed's files (checked first, then all or nothing, or with the quarantine)."""
