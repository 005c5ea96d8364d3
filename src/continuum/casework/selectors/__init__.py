"""Reading casework. Other modules use only what is exported here."""

from continuum.casework.selectors.episodes import episode_get, session_get
from continuum.casework.selectors.reporting import goal_rating_changes, programme_activity  # noqa: F401

__all__ = ["episode_get", "session_get"]
