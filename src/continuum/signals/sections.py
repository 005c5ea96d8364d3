"""The signals module's parts of a child's record: the multi-agency view's tab (and, from helper C, open causes for
concern as a section of the record)."""

from __future__ import annotations

from continuum.people.selectors import record_tab
from continuum.signals import checks  # noqa: F401  (the feed events' categories, checked at start-up)

record_tab("single_view", title="Multi-agency view", url_name="signals:single_view", order=10)
