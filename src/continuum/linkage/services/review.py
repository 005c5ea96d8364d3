"""Clerical review: a person decides a pair of records the model was unsure about, or one it would not link alone.

A decision is taken only on the pair as the reviewer saw it: `state` is the hash the page showed, and if either
record's details have changed since (a feed sent them again), or either has moved to another identity, or someone
has decided the pair already, the decision is refused and nothing changes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.linkage.models import Identity, IdentityChange, Record, ReviewPair
from continuum.linkage.services.common import (
    OPEN,
    LinkageError,
    actor_name,
    change_lock,
    pair_state,
    refresh_pairs,
    require_reviewer,
)
from continuum.linkage.services.merging import merge_identities
from continuum.linkage.services.records import read_records

DECISIONS = {"accepted": "Same person", "rejected": "Not the same person", "not_sure": "Not sure"}
CHANGED = "this pair has changed since you opened it"


def decide_review(*, actor: Actor, pair_id: Any, decision: str, reason: str, state: str) -> ReviewPair:
    """Decide a pair waiting for review. Accepted: a waiting record joins the other's identity (both placed: the
    identities merge). Rejected: a waiting record with no other pair waiting becomes an identity of its own, and two
    records of one identity are split. Not sure: the pair waits for someone else, with the reason. A reason is
    required to reject or to be unsure. LinkageError, with nothing changed, when the pair has changed since."""
    require_reviewer(actor)
    if decision not in DECISIONS:
        raise LinkageError("choose whether the records are the same person, not the same person, or you are not sure")
    reason = (reason or "").strip()
    if decision != "accepted" and not reason:
        raise LinkageError(f"give the reason for '{DECISIONS[decision].lower()}'")
    with transaction.atomic():
        change_lock()
        pair = ReviewPair.objects.select_for_update().filter(pk=pair_id).first()
        if pair is None:
            raise LinkageError("no pair for review has that id")
        ends = {str(r.pk): r for r in Record.objects.select_for_update().filter(pk__in=[pair.left_id, pair.right_id])}
        left, right = ends[str(pair.left_id)], ends[str(pair.right_id)]
        _check(pair, left, right, state)
        now = timezone.now()
        moved: list[Any] = []
        if decision == "accepted":
            moved = _accept(actor, pair, left, right, reason, now)
        elif decision == "rejected":
            moved = _reject(actor, pair, left, right, reason, now)
        pair.status = decision
        pair.reason = reason
        pair.decided_at = now
        pair.decided_by_id = actor.pk
        left.refresh_from_db(fields=["identity", "row_hash"])
        right.refresh_from_db(fields=["identity", "row_hash"])
        pair.state = pair_state(_end(left), _end(right), decision)
        pair.save(update_fields=["status", "reason", "decided_at", "decided_by", "state"])
        refresh_pairs(moved, exclude=pair.pk)
        person = _person(left) or _person(right)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=pair,
            person=person,
            event="linkage.review_decide",
            purpose=reason or DECISIONS[decision],
            detail={"decision": decision, "why": pair.why, "left": str(left.pk), "right": str(right.pk)},
        )
    return pair


def current_state(pair: ReviewPair) -> str:
    """The pair's state now: its records' details as their sources hold them now, their identities, its status.
    A decision is taken only while this is the `state` the page showed (which is `pair.state`)."""
    ends = {
        str(pk): identity
        for pk, identity in Record.objects.filter(pk__in=[pair.left_id, pair.right_id]).values_list("pk", "identity_id")
    }
    hashes = _live_hashes(pair)
    left, right = str(pair.left_id), str(pair.right_id)
    return pair_state((hashes[left], _id(ends[left])), (hashes[right], _id(ends[right])), pair.status)


def _live_hashes(pair: ReviewPair) -> dict[str, str]:
    live = read_records([pair.left_id, pair.right_id]).table
    return dict(zip(live.column("record_id").to_pylist(), live.column("row_hash").to_pylist(), strict=True))


def _check(pair: ReviewPair, left: Record, right: Record, state: str) -> None:
    """Refuse a decision on anything but the pair as it was shown, saying what changed."""
    if pair.status == "stale":
        raise LinkageError(f"{CHANGED}: linkage has looked at its records again since, and queued them again if unsure")
    if pair.status not in OPEN:
        raise LinkageError(f"{CHANGED}: it has been decided already ({pair.get_status_display().lower()})")
    if state != pair.state:
        raise LinkageError(f"{CHANGED}: open it again to see it as it is now")
    if current_state(pair) == pair.state:
        return
    # As linkage last saw the records' details, with their identities now: if that is what was shown, the details
    # are what changed.
    seen = pair_state((left.row_hash, _id(left.identity_id)), (right.row_hash, _id(right.identity_id)), pair.status)
    if seen == pair.state:
        raise LinkageError(f"{CHANGED}: a record's details have been sent again, changed; the next run will look again")
    raise LinkageError(f"{CHANGED}: a record has moved to another identity; open it again to see it as it is now")


def _accept(actor: Actor, pair: ReviewPair, left: Record, right: Record, reason: str, now: Any) -> list[Any]:
    """The two records become one identity's; returns the records that moved."""
    if left.identity_id is None and right.identity_id is None:
        identity = Identity.objects.create(created_at=now)
        _join([left, right], identity.pk, actor, pair, now)
        return [left.pk, right.pk]
    if left.identity_id is None or right.identity_id is None:
        waiting, placed = (left, right) if left.identity_id is None else (right, left)
        _join([waiting], placed.identity_id, actor, pair, now)
        return [waiting.pk]
    if left.identity_id == right.identity_id:
        return []
    keep, merge = _kept_first(left.identity_id, right.identity_id)
    merge_identities(
        actor=actor,
        keep=keep,
        merge=merge,
        reason=reason or "The same person, decided in clerical review",
        review_pair=pair,
    )
    return []  # the merge has brought the pairs of the records it moved up to date


def _reject(actor: Actor, pair: ReviewPair, left: Record, right: Record, reason: str, now: Any) -> list[Any]:
    """The two records are not one person: a waiting record with nothing else to decide becomes an identity of its
    own; two records of one identity are split. Returns the records that moved."""
    shared = left.identity_id
    if shared is not None and shared == right.identity_id:
        return [_split(actor, pair, (left, right), shared, reason, now)]
    moved = []
    for record in (left, right):
        if record.identity_id is not None:
            continue
        others = ReviewPair.objects.filter(status__in=OPEN).exclude(pk=pair.pk)
        if others.filter(left=record).exists() or others.filter(right=record).exists():
            continue
        identity = Identity.objects.create(created_at=now)
        Record.objects.filter(pk=record.pk).update(
            identity=identity, how="new", linked_at=now, decided_by_id=actor.pk, model=pair.model
        )
        moved.append(record.pk)
    return moved


def _split(
    actor: Actor, pair: ReviewPair, ends: tuple[Record, Record], shared: uuid.UUID, reason: str, now: Any
) -> Any:
    """Take one record out of the identity both are in, into a new one: the one that is not the platform's own
    record of the person, and of those the one linked last."""
    candidates = sorted(
        (r for r in ends if r.how != "person"), key=lambda r: (r.linked_at or now, str(r.pk)), reverse=True
    )
    if not candidates:  # two platform people in one identity: only a merge puts them there; undo it instead
        raise LinkageError("both records are people in the platform, merged: undo the merge in the history instead")
    record = candidates[0]
    identity = Identity.objects.create(created_at=now)
    Record.objects.filter(pk=record.pk).update(identity=identity, how="review", linked_at=now, decided_by_id=actor.pk)
    IdentityChange.objects.create(
        kind="split",
        identity_id=shared,
        other=identity,
        journal={"records": [[str(record.pk), str(shared), str(identity.pk), record.how]]},
        reason=reason,
        review_pair=pair,
        at=now,
        by_id=actor.pk,
        by_name=actor_name(actor),
    )
    return record.pk


def _join(records: list[Record], identity: Any, actor: Actor, pair: ReviewPair, now: Any) -> None:
    Record.objects.filter(pk__in=[r.pk for r in records]).update(
        identity_id=identity,
        how="review",
        match_probability=pair.match_probability,
        model=pair.model,
        linked_at=now,
        decided_by_id=actor.pk,
    )


def _kept_first(one: Any, other: Any) -> tuple[Any, Any]:
    """Which identity a merge keeps: one that is a platform person, else the older."""
    found = list(Identity.objects.select_for_update().filter(pk__in=[one, other]).order_by("pk"))
    found.sort(key=lambda i: (i.person_id is None, i.created_at, str(i.pk)))
    return found[0].pk, found[1].pk


def _end(record: Record) -> tuple[str, str | None]:
    return record.row_hash, _id(record.identity_id)


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _person(record: Record) -> Any:
    if record.identity_id is None:
        return None
    return Identity.objects.filter(pk=record.identity_id).values_list("person_id", flat=True).first()
