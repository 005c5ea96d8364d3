"""What the agency feeds' loads did, for administrators (no child's data: files, checksums and counts)."""

from __future__ import annotations

from django.db.models import QuerySet

from continuum.agencies import access
from continuum.agencies.access import SystemActor, Viewer
from continuum.signals.models import FeedLoad


def feed_load_list(*, viewer: Viewer, feed: str | None = None, limit: int = 50) -> QuerySet[FeedLoad]:
    """The most recent loads, newest first (of one feed, if given): administrators and the system only."""
    access.require(isinstance(viewer, SystemActor) or access.can_manage_accounts(viewer))
    loads = FeedLoad.objects.order_by("-started_at")
    if feed is not None:
        loads = loads.filter(feed=feed)
    return loads[:limit]
