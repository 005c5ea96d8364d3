"""The signals module's parts of a child's record: the multi-agency view's tab (causes for concern are a section of
the record in sections_concerns.py)."""

from __future__ import annotations

from continuum.people.selectors import record_tab

record_tab("single_view", title="Multi-agency view", url_name="signals:single_view", order=10)
