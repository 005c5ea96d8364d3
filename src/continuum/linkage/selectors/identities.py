"""Who a person is across the agency feeds: the identity that is the person, and the records it holds.

For the single view of a child (issue 15), which opens the person with `access.person_or_404` (and audits that
read) before it asks; these return linkage's own rows, and the caller shows of the records only what the viewer's
information-sharing rules allow. And the runs of linkage, for administrators (counts, no child's details).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from continuum.agencies import access
from continuum.agencies.access import SystemActor, Viewer
from continuum.identifiers import record_id
from continuum.linkage.models import Identity, LinkRun, Record


def identity_of_person(person_id: Any) -> Identity | None:
    """The identity the person's own record belongs to (after a merge, the identity kept); None before linkage has
    run, or for an id that is no person's."""
    wanted = record_id(person_id)
    if wanted is None:
        return None
    record = Record.objects.filter(person_id=wanted).select_related("identity").first()
    if record is not None and record.identity is not None:
        return record.identity
    identity = Identity.objects.filter(person_id=wanted).first()
    seen = set()
    while identity is not None and identity.merged_into_id is not None and identity.pk not in seen:
        seen.add(identity.pk)
        identity = Identity.objects.filter(pk=identity.merged_into_id).first()
    return identity


def records_of_identity(identity_id: Any) -> list[Record]:
    """The records of an identity, with their source person or person: the platform's own record first, then by
    feed and the source's id."""
    wanted = record_id(identity_id)
    if wanted is None:
        return []
    records = Record.objects.filter(identity_id=wanted).select_related("source_person", "person")
    return sorted(
        records,
        key=lambda r: (r.person_id is None, r.source_person.feed if r.source_person else "", _ref(r), str(r.pk)),
    )


def run_list(*, viewer: Viewer, limit: int = 20) -> QuerySet[LinkRun]:
    """The latest runs of linkage, newest first, with their model: administrators and the system only."""
    access.require(isinstance(viewer, SystemActor) or access.can_manage_accounts(viewer))
    return LinkRun.objects.select_related("model").order_by("-started_at")[:limit]


def _ref(record: Record) -> str:
    return record.source_person.ref if record.source_person else ""


def linked_source_people(*, person_ids: Iterable[Any] | None = None) -> Iterator[tuple[Any, Any, float | None, str]]:
    """Every feed record linkage has placed with a platform person: (source_person_id, person_id, match_probability,
    how), streamed. For whole-county work (indicators, the gap finder) and for one child's single view
    (`person_ids`). Records still waiting for review, and identities without a platform person, are not listed.
    No viewer: the caller checks access (a whole-county run is the system's own)."""
    found = Record.objects.filter(source_person__isnull=False, identity__person__isnull=False)
    if person_ids is not None:
        found = found.filter(identity__person_id__in=list(person_ids))
    yield from found.values_list("source_person_id", "identity__person_id", "match_probability", "how").iterator(
        chunk_size=20_000
    )
