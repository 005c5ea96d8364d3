"""Reading casework. Other modules use only what is exported here."""

from continuum.casework.selectors.episodes import episode_get, session_get

__all__ = ["episode_get", "session_get"]
