"""Merging two identities into one, and undoing it exactly.

A merge moves every record of one identity to the other, sets `merged_into`, and moves the relationships of the
merged identity's person to the kept identity's person (through `people.services.move_relationships`). Its
`IdentityChange` keeps a journal of everything that moved; `unmerge` puts it all back from the journal and is itself
an `IdentityChange` that names the merge it undid, so the history keeps both.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.linkage.models import Identity, IdentityChange, Record, ReviewPair
from continuum.linkage.services.common import LinkageError, actor_name, change_lock, refresh_pairs, require_reviewer
from continuum.people.services import move_relationships, restore_relationships


def merge_identities(
    *, actor: Actor, keep: uuid.UUID, merge: uuid.UUID, reason: str, review_pair: ReviewPair | None = None
) -> IdentityChange:
    """Make `merge` part of `keep`: its records, and its person's relationships, move to `keep` (and its person).
    LinkageError, with nothing changed, for an identity that does not exist or was merged already, or the same
    identity twice."""
    require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise LinkageError("give the reason for the merge")
    with transaction.atomic():
        change_lock()
        kept, merged = _two_identities(keep, merge)
        moving = list(
            Record.objects.select_for_update().filter(identity=merged).order_by("pk").values_list("pk", "how")
        )
        records = [[str(pk), str(merged.pk), str(kept.pk), how] for pk, how in moving]
        Record.objects.filter(pk__in=[pk for pk, _ in moving]).update(identity=kept, how="merge")
        relationships = []
        if kept.person_id is not None and merged.person_id is not None:
            relationships = move_relationships(from_person_id=merged.person_id, to_person_id=kept.person_id)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        refresh_pairs([pk for pk, _ in moving], exclude=review_pair.pk if review_pair else None, settle=True)
        change = IdentityChange.objects.create(
            kind="merge",
            identity=kept,
            other=merged,
            journal={"records": records, "relationships": relationships},
            reason=reason,
            review_pair=review_pair,
            at=timezone.now(),
            by_id=actor.pk,
            by_name=actor_name(actor),
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=change,
            person=kept.person_id,
            event="linkage.merge",
            purpose=reason,
            detail={
                "kept": str(kept.pk),
                "merged": str(merged.pk),
                "merged_person": str(merged.person_id or ""),
                "records": len(records),
                "relationships": len(relationships),
            },
        )
    return change


def unmerge(*, actor: Actor, change_id: uuid.UUID, reason: str) -> IdentityChange:
    """Undo a merge: every record and relationship it moved goes back to where it was. LinkageError, with nothing
    changed, for a change that is not a merge, one already undone, or one a later merge has built on."""
    require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise LinkageError("give the reason for undoing the merge")
    with transaction.atomic():
        change_lock()
        change = IdentityChange.objects.select_for_update().filter(pk=change_id).first()
        if change is None:
            raise LinkageError(f"no merge has the id {change_id}")
        if change.kind != "merge":
            raise LinkageError(f"change {change_id} is not a merge (it is a {change.get_kind_display().lower()})")
        if IdentityChange.objects.filter(undoes=change).exists():
            raise LinkageError(f"the merge {change_id} has been undone already")
        kept, merged = _locked(change.identity_id), _locked(change.other_id)
        if kept.merged_into_id is not None:
            raise LinkageError(
                f"the identity this merge kept has since been merged into {kept.merged_into_id}: undo that merge first"
            )
        records: list[list[str]] = change.journal.get("records", [])
        back = _records_back(records, kept)
        restored = restore_relationships(journal=change.journal.get("relationships", []))
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        refresh_pairs([r[0] for r in records], settle=True)
        undo = IdentityChange.objects.create(
            kind="unmerge",
            identity=kept,
            other=merged,
            undoes=change,
            journal=change.journal,
            reason=reason,
            at=timezone.now(),
            by_id=actor.pk,
            by_name=actor_name(actor),
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=undo,
            person=kept.person_id,
            event="linkage.unmerge",
            purpose=reason,
            detail={
                "merge": str(change.pk),
                "kept": str(kept.pk),
                "restored": str(merged.pk),
                "records": back,
                "relationships": restored,
            },
        )
    return undo


def _two_identities(keep: Any, merge: Any) -> tuple[Identity, Identity]:
    if str(keep) == str(merge):
        raise LinkageError("an identity cannot be merged into itself")
    # Locked in the order of their ids, so two merges of the same pair wait rather than deadlock.
    found = {str(i.pk): i for i in Identity.objects.select_for_update().filter(pk__in=[keep, merge]).order_by("pk")}
    for wanted in (keep, merge):
        if str(wanted) not in found:
            raise LinkageError(f"no identity has the id {wanted}")
    kept, merged = found[str(keep)], found[str(merge)]
    for identity in (kept, merged):
        if identity.merged_into_id is not None:
            raise LinkageError(f"identity {identity.pk} was merged into {identity.merged_into_id} already")
    return kept, merged


def _locked(identity_id: Any) -> Identity:
    return Identity.objects.select_for_update().get(pk=identity_id)


def _records_back(records: list[list[str]], kept: Identity) -> int:
    """Each record the merge moved goes back to its identity, as it was; one still in the kept identity only (a
    record a reviewer has since moved elsewhere stays where they put it). Returns how many went back."""
    by_how: dict[tuple[str, str], list[str]] = {}
    for pk, origin, _, how in records:
        by_how.setdefault((origin, how), []).append(pk)
    list(Record.objects.select_for_update().filter(pk__in=[r[0] for r in records]).values_list("pk"))
    back = 0
    for (origin, how), ids in sorted(by_how.items()):
        back += Record.objects.filter(pk__in=ids, identity=kept).update(identity_id=origin, how=how)
    return back
