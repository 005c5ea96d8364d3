"""What the services of record linkage share: their error, who did it, and the lock that keeps a run and the
decisions of reviewers from writing over each other."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import Q

from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.linkage.models import Record, ReviewPair


class LinkageError(Exception):
    """Something record linkage refuses to do, in one line for the user: nothing was changed."""


# PostgreSQL advisory lock: a run takes it alone, decisions and merges share it. (SQLite's write transactions take
# the database's one write lock when they begin, which serialises them already.)
_LOCK = zlib.crc32(b"continuum.linkage")


def run_lock() -> None:
    """Wait until no decision or merge is being written, and keep them out until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def change_lock() -> None:
    """Refuse, rather than wait minutes, while a run is writing; decisions and merges do not wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [_LOCK])
            row = cursor.fetchone()
        if not (row and row[0]):
            raise LinkageError("record linkage is running now: try again when it has finished")


def require_reviewer(actor: Actor) -> None:
    """Only reviewers of linkage (the policy's `reviews_linkage`) and the system decide who is who."""
    access.require(isinstance(actor, SystemActor) or access.can_review_linkage(actor))


def actor_name(actor: Actor) -> str:
    return str(getattr(actor, "username", ""))[:200]


def user_id(actor: Actor) -> int | None:
    """The user's id for a `decided_by` or `by` column; None for the system."""
    return actor.pk


OPEN = ("open", "not_sure")  # a pair still waiting for a decision ("not sure" waits for someone surer)


def pair_state(left: tuple[str, str | None], right: tuple[str, str | None], status: str) -> str:
    """What a reviewer decides on: both records' compared details (their row hashes) and identities, and whether the
    pair is still waiting. A decision is taken only while it is what the page showed (`ReviewPair.state`)."""
    text = "|".join([left[0], left[1] or "", right[0], right[1] or "", status])
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_pairs(records: Collection[Any], *, exclude: Any = None, settle: bool = False) -> None:
    """After a decision or a merge moved these records: the other pairs waiting about them show where the records
    are now (their `state`, so the page shows it and a decision taken on the old one is refused). With `settle` (a
    merge), a pair whose two records are now one identity's has nothing left to decide: it is stale. (After a
    reviewer's decision it stays, so another reviewer may still say the two are not one person: a split.)"""
    if not records:
        return
    pairs = list(
        ReviewPair.objects.select_for_update()
        .filter(Q(left_id__in=records) | Q(right_id__in=records), status__in=OPEN)
        .exclude(pk=exclude)
        .order_by("pk")
    )
    if not pairs:
        return
    ends = {p.left_id for p in pairs} | {p.right_id for p in pairs}
    found = Record.objects.filter(pk__in=ends).values_list("pk", "row_hash", "identity_id")
    now = {pk: (row_hash, identity) for pk, row_hash, identity in found}
    for pair in pairs:
        (left_hash, left), (right_hash, right) = now[pair.left_id], now[pair.right_id]
        if settle and left is not None and left == right:
            pair.status = "stale"
        else:
            pair.state = pair_state((left_hash, _text(left)), (right_hash, _text(right)), pair.status)
        pair.save(update_fields=["status", "state"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
