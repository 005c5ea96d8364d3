"""Reads of the agency feeds. Other modules use only what is exported here."""

from continuum.signals.selectors.loads import feed_load_list

__all__ = ["feed_load_list"]
