"""`decide_review`: a reviewer's decision moves records as it says, and only on the pair as it was shown: a pair that
has changed since (a record sent again with other details, moved to another identity, decided already) is refused
with a clear message and nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from continuum.audit.models import AuditEvent
from continuum.linkage.models import IdentityChange, Record, ReviewPair
from continuum.linkage.services import LinkageError, decide_review, merge_identities
from tests.linkage.services_world import (
    SYSTEM,
    FakeEngine,
    fake_engine,
    identity_of,
    pair_of,
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


def decide(pair: ReviewPair, decision: str, reason: str = "", *, actor=SYSTEM, state: str | None = None) -> ReviewPair:
    return decide_review(
        actor=actor, pair_id=pair.pk, decision=decision, reason=reason, state=pair.state if state is None else state
    )


@pytest.fixture
def benji(world, engine, tmp_path):
    """A police record of a boy who may be Benjamin (the platform's ben): waiting for review."""
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    run()
    return pair_of("Benjamin", "Benji")


def test_accepting_a_waiting_record_puts_it_in_the_others_identity(world, benji):
    decided = decide(benji, "accepted", actor=world.frontdoor)
    assert (decided.status, decided.decided_by, decided.reason) == ("accepted", world.frontdoor, "")
    record = record_of("Benji")
    assert identity_of("Benji") == identity_of("Benjamin")
    assert (record.how, record.match_probability, record.decided_by) == ("review", 0.7, world.frontdoor)
    audit = AuditEvent.objects.get(event="linkage.review_decide")
    assert (audit.actor_username, audit.person_id, audit.detail["decision"]) == ("frontdoor", world.ben.pk, "accepted")
    assert ReviewPair.objects.get(pk=benji.pk).state != benji.state  # a page showing it before is out of date


def test_accepting_two_waiting_records_makes_them_one_new_identity(world, engine, tmp_path):
    police(tmp_path, ("N5", "Zed"), ("N6", "Zedd"))
    engine.score("Zed", "Zedd", 0.7)
    run()
    assert identity_of("Zed") is None and identity_of("Zedd") is None
    decide(pair_of("Zed", "Zedd"), "accepted")
    assert identity_of("Zed") == identity_of("Zedd") is not None
    assert record_of("Zed").identity.person_id is None


def test_accepting_a_pair_of_two_identities_merges_them(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    engine.score("Amy", "Amie", 0.97)
    run()
    police(tmp_path, ("N7", "Zac"))  # sure to be Cara, and nearly as sure to be Amie: never moved silently
    engine.score("Zac", "Cara", 0.99)
    engine.score("Zac", "Amie", 0.98)
    run()
    amy, cara = identity_of("Amy"), identity_of("Cara")
    pair = pair_of("Amie", "Zac")
    assert pair.why == "people" and identity_of("Zac") == cara
    decided = decide(pair, "accepted", "Same NHS number on both", actor=world.frontdoor)
    change = IdentityChange.objects.get(kind="merge")
    assert (change.review_pair, change.by, change.reason) == (decided, world.frontdoor, "Same NHS number on both")
    kept = str(change.identity_id)
    assert {kept, str(change.other_id)} == {amy, cara}
    assert identity_of("Amy") == identity_of("Cara") == identity_of("Zac") == identity_of("Amie") == kept
    assert AuditEvent.objects.filter(event="linkage.merge").count() == 1


def test_rejecting_a_waiting_records_last_pair_makes_it_an_identity_of_its_own(world, benji):
    decide(benji, "rejected", "Different date of birth on the school roll", actor=world.frontdoor)
    record = record_of("Benji")
    assert identity_of("Benji") not in (None, identity_of("Benjamin"))
    assert (record.how, record.decided_by) == ("new", world.frontdoor)
    assert ReviewPair.objects.get(pk=benji.pk).reason == "Different date of birth on the school roll"


def test_rejecting_one_of_a_waiting_records_pairs_leaves_it_waiting_for_the_others(world, engine, tmp_path):
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    engine.score("Dan", "Benji", 0.6)
    run()
    decide(pair_of("Benjamin", "Benji"), "rejected", "Not him")
    assert identity_of("Benji") is None
    decide(pair_of("Dan", "Benji"), "rejected", "Not him either")
    assert identity_of("Benji") not in (None, identity_of("Benjamin"), identity_of("Dan"))


def test_not_sure_keeps_the_pair_waiting_with_the_reason_for_someone_surer(world, benji):
    unsure = decide(benji, "not_sure", "The school has two boys of that name")
    assert (unsure.status, unsure.reason) == ("not_sure", "The school has two boys of that name")
    assert identity_of("Benji") is None
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it"):
        decide(benji, "accepted")  # the state the first page showed
    decide(ReviewPair.objects.get(pk=benji.pk), "accepted")
    assert identity_of("Benji") == identity_of("Benjamin")


def test_a_second_reviewer_who_disagrees_splits_the_record_out_again(world, engine, tmp_path):
    police(tmp_path, ("N2", "Benji"), ("N8", "Bennie"))
    engine.score("Benjamin", "Bennie", 0.97)
    engine.score("Benjamin", "Benji", 0.7)
    engine.score("Bennie", "Benji", 0.65)
    run()
    ben = identity_of("Benjamin")
    decide(pair_of("Benjamin", "Benji"), "accepted")
    other = pair_of("Benji", "Bennie")
    assert identity_of("Benji") == ben and other.status == "open"
    decide(other, "rejected", "The police boy is older", actor=world.frontdoor)
    split = IdentityChange.objects.get(kind="split")
    assert (str(split.identity_id), str(split.other_id)) == (ben, identity_of("Benji"))
    assert identity_of("Bennie") == ben and identity_of("Benji") != ben
    assert split.journal["records"] == [[str(record_of("Benji").pk), ben, identity_of("Benji"), "review"]]


@pytest.mark.parametrize(
    ("decision", "reason", "message"),
    [
        ("maybe", "", "^choose whether the records are the same person, not the same person, or you are not sure$"),
        ("rejected", "  ", "^give the reason for 'not the same person'$"),
        ("not_sure", "", "^give the reason for 'not sure'$"),
    ],
)
def test_a_decision_without_its_reason_is_refused(benji, decision, reason, message):
    before = snapshot()
    with pytest.raises(LinkageError, match=message):
        decide(benji, decision, reason)
    assert snapshot() == before


def test_a_decision_on_a_page_shown_before_the_pair_changed_is_refused(benji):
    before = snapshot()
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it: open it again"):
        decide(benji, "accepted", state="0" * 64)
    assert snapshot() == before


def test_a_decision_on_a_pair_decided_already_is_refused(benji):
    decide(benji, "rejected", "Not him")
    before = snapshot()
    with pytest.raises(LinkageError, match=r"^this pair has changed since you opened it: it has been decided already"):
        decide(ReviewPair.objects.get(pk=benji.pk), "accepted")
    assert snapshot() == before


def test_a_decision_after_a_feed_sent_a_record_again_changed_is_refused(benji, tmp_path):
    police(tmp_path, ("N2", "Benji", {"date_of_birth": "2010-02-03"}))  # the police correct the boy's birthday
    before = snapshot()
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it: a record's details have been"):
        decide(benji, "accepted")
    assert snapshot() == before
    run()  # linkage looks again: the old pair is stale
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it: linkage has looked at"):
        decide(ReviewPair.objects.get(pk=benji.pk), "accepted")


def test_a_decision_after_a_record_moved_to_another_identity_is_refused(world, engine, tmp_path):
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    engine.score("Dan", "Benji", 0.6)
    run()
    shown = pair_of("Dan", "Benji")
    decide(pair_of("Benjamin", "Benji"), "accepted")
    before = snapshot()
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it: open it again"):
        decide(shown, "rejected", "Not Dan")
    assert snapshot() == before
    # What the page shows now can be decided.
    decide(ReviewPair.objects.get(pk=shown.pk), "rejected", "Not Dan")
    assert identity_of("Benji") == identity_of("Benjamin")


def test_a_decision_after_a_merge_moved_a_record_is_refused_and_a_pair_the_merge_settled_is_stale(
    world, engine, tmp_path
):
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    run()
    pair = pair_of("Benjamin", "Benji")
    merge_identities(actor=SYSTEM, keep=identity_of("Dan"), merge=identity_of("Benjamin"), reason="One boy")
    with pytest.raises(LinkageError, match="^this pair has changed since you opened it"):
        decide(pair, "accepted")
    assert identity_of("Benji") is None


def test_an_unknown_pair_is_refused(db):
    with pytest.raises(LinkageError, match="^no pair for review has that id$"):
        decide_review(
            actor=SYSTEM,
            pair_id="00000000-0000-0000-0000-000000000000",
            decision="accepted",
            reason="",
            state="",
        )


def test_the_audit_row_is_in_the_decisions_transaction(benji, monkeypatch):
    from continuum.linkage.services import review

    def failing(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(review, "audit_record", failing)
    before = snapshot()
    with pytest.raises(RuntimeError):
        decide(benji, "accepted")
    assert snapshot() == before
    assert Record.objects.filter(decided_by__isnull=False).count() == 0


def test_only_reviewers_of_linkage_decide(world, benji):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        decide(benji, "accepted", actor=world.alice)  # a practitioner: the policy gives her no review of linkage
    assert snapshot() == before
