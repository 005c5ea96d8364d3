"""Reads of the agency feeds. Other modules use only what is exported here."""

from continuum.signals.selectors.loads import feed_load_list
from continuum.signals.selectors.tables import events_table, linked_people, pupils_table

__all__ = ["events_table", "feed_load_list", "linked_people", "pupils_table"]
