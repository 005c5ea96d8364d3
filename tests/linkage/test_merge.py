"""Merge and unmerge: a merge moves every record and the people's relationships, an unmerge puts back exactly what
it moved; anything else asked of unmerge is refused with nothing changed; both are audited in their transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from continuum.audit.models import AuditEvent
from continuum.linkage.models import Identity, IdentityChange
from continuum.linkage.selectors import identity_of_person, records_of_identity
from continuum.linkage.services import LinkageError, merge_identities, unmerge
from continuum.linkage.services import merging as merging_service
from continuum.people.models import Relationship
from tests.linkage.services_world import (
    SYSTEM,
    FakeEngine,
    fake_engine,
    identity_of,
    police,
    record_of,
    run,
    snapshot,
)


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"


@pytest.fixture
def engine(monkeypatch) -> FakeEngine:
    return fake_engine(monkeypatch)


@pytest.fixture
def linked(world, engine, tmp_path):
    """Amy and her mother Megan, each with a police record linked to them."""
    police(tmp_path, ("N1", "Amie"), ("N9", "Meg"))
    engine.score("Amy", "Amie", 0.97)
    engine.score("Megan", "Meg", 0.93)
    run()
    return world


def merge(keep: str, other: str, reason: str = "One person recorded twice", **options) -> IdentityChange:
    return merge_identities(actor=SYSTEM, keep=identity_of(keep), merge=identity_of(other), reason=reason, **options)


def test_a_merge_moves_every_record_and_relationship_and_unmerge_restores_them_exactly(linked):
    world = linked
    before = snapshot()
    amy, megan = identity_of("Amy"), identity_of("Megan")
    change = merge("Amy", "Megan")

    assert identity_of("Megan") == identity_of("Meg") == amy and identity_of("Amie") == amy
    assert {r.how for r in (record_of("Megan"), record_of("Meg"))} == {"merge"}
    assert str(Identity.objects.get(pk=megan).merged_into_id) == amy
    # Megan's relationships are Amy's now, but the one between the two of them (a person's with themselves).
    mother_of_ben = Relationship.objects.get(to_person=world.ben, kind="parent")
    assert mother_of_ben.from_person == world.amy
    assert Relationship.objects.get(to_person=world.amy, kind="parent").from_person == world.mum
    assert sorted(r[3] for r in change.journal["records"]) == ["auto", "person"]
    assert change.journal["relationships"] == [[str(mother_of_ben.pk), "from", str(world.mum.pk), str(world.amy.pk)]]
    assert identity_of_person(world.mum.pk).pk == identity_of_person(world.amy.pk).pk == change.identity_id

    undone = unmerge(actor=SYSTEM, change_id=change.pk, reason="Mother and daughter, not one person")
    after = snapshot()
    assert after.pop("changes") == sorted([(change.pk, "merge"), (undone.pk, "unmerge")])
    before.pop("changes")
    assert after == before
    assert (undone.undoes, str(undone.identity_id), str(undone.other_id)) == (change, amy, megan)
    assert str(identity_of_person(world.mum.pk).pk) == megan
    events = AuditEvent.objects.filter(event__in=["linkage.merge", "linkage.unmerge"]).order_by("at")
    assert [(e.event, e.person_id, e.purpose) for e in events] == [
        ("linkage.merge", world.amy.pk, "One person recorded twice"),
        ("linkage.unmerge", world.amy.pk, "Mother and daughter, not one person"),
    ]


def test_records_of_an_identity_list_the_platforms_own_record_first(linked):
    merge("Amy", "Megan")
    records = records_of_identity(identity_of("Amy"))
    assert [r.person.given_name if r.person else r.source_person.given_name for r in records][:2] in (
        ["Amy", "Megan"],
        ["Megan", "Amy"],
    )
    assert {r.source_person.given_name for r in records[2:]} == {"Amie", "Meg"}
    assert records_of_identity("not an id") == [] and identity_of_person("not an id") is None


def test_undoing_something_that_is_not_a_merge_or_is_undone_already_is_refused_and_changes_nothing(linked):
    change = merge("Amy", "Megan")
    undone = unmerge(actor=SYSTEM, change_id=change.pk, reason="Wrong")
    before = snapshot()
    for change_id, message in [
        (change.pk, f"^the merge {change.pk} has been undone already$"),
        (undone.pk, rf"^change {undone.pk} is not a merge \(it is a merge undone\)$"),
        ("5f0c1c9e-0000-4000-8000-000000000000", "^no merge has the id 5f0c1c9e-0000-4000-8000-000000000000$"),
    ]:
        with pytest.raises(LinkageError, match=message):
            unmerge(actor=SYSTEM, change_id=change_id, reason="Again")
    assert snapshot() == before


def test_a_merge_built_on_by_a_later_one_is_undone_only_after_it(linked):
    first = merge("Amy", "Megan")
    second = merge("Cara", "Amy")
    before = snapshot()
    with pytest.raises(LinkageError, match="has since been merged into .*: undo that merge first$"):
        unmerge(actor=SYSTEM, change_id=first.pk, reason="Wrong")
    assert snapshot() == before
    unmerge(actor=SYSTEM, change_id=second.pk, reason="Wrong")
    unmerge(actor=SYSTEM, change_id=first.pk, reason="Wrong")
    assert len({identity_of("Amy"), identity_of("Megan"), identity_of("Cara")}) == 3


def test_merges_that_make_no_sense_are_refused_and_change_nothing(linked):
    merge("Amy", "Megan")
    before = snapshot()
    amy = identity_of("Amy")
    megan = Identity.objects.get(person=linked.mum).pk
    for keep, other, reason, message in [
        (amy, amy, "x", "^an identity cannot be merged into itself$"),
        (amy, megan, "x", f"^identity {megan} was merged into {amy} already$"),
        (amy, "5f0c1c9e-0000-4000-8000-000000000000", "x", "^no identity has the id 5f0c1c9e-"),
        (amy, identity_of("Cara"), "  ", "^give the reason for the merge$"),
    ]:
        with pytest.raises(LinkageError, match=message):
            merge_identities(actor=SYSTEM, keep=keep, merge=other, reason=reason)
    with pytest.raises(LinkageError, match="^give the reason for undoing the merge$"):
        unmerge(actor=SYSTEM, change_id=IdentityChange.objects.get().pk, reason="")
    assert snapshot() == before


def test_the_audit_row_is_in_the_merges_transaction(linked, monkeypatch):
    change = merge("Amy", "Megan")
    before = snapshot()

    def failing(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(merging_service, "audit_record", failing)
    with pytest.raises(RuntimeError):
        unmerge(actor=SYSTEM, change_id=change.pk, reason="Wrong")
    with pytest.raises(RuntimeError):
        merge("Amy", "Cara")
    assert snapshot() == before


def test_only_reviewers_of_linkage_merge_or_undo_a_merge(linked):
    change = merge("Amy", "Megan")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        unmerge(actor=linked.alice, change_id=change.pk, reason="Wrong")
    with pytest.raises(PermissionDenied):
        merge_identities(actor=linked.alice, keep=identity_of("Amy"), merge=identity_of("Cara"), reason="One")
    assert snapshot() == before
    unmerge(actor=linked.frontdoor, change_id=change.pk, reason="Mother and daughter")
