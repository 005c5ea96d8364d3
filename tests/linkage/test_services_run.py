"""`run_linkage`: every record resolved or waiting, identities that keep their ids, incremental runs, never a silent
move between identities, the model recorded, all in one audited transaction with a fixed number of queries.

The engine's scoring is a stand-in here (tests/linkage/services_world.py: pairs scored by given name); the real
`resolve` decides. tests/linkage/test_services_county.py runs the real engine on a synthetic county.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from continuum.audit.models import AuditEvent
from continuum.linkage.models import Identity, IdentityChange, LinkModel, LinkRun, Record, ReviewPair
from continuum.linkage.selectors import run_list
from continuum.linkage.services import LinkageError, decide_review, running
from continuum.signals.models import SourcePerson
from tests.linkage.services_world import (
    REASONS,
    SYSTEM,
    FakeEngine,
    FakeModel,
    fake_engine,
    identity_of,
    pair_of,
    police,
    queries,
    record_of,
    run,
    snapshot,
)

PEOPLE = ["Amy", "Benjamin", "Cara", "Dan", "Megan"]  # the platform's people in the shared world


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"
    return settings.LINKAGE_DIR


@pytest.fixture
def engine(monkeypatch) -> FakeEngine:
    return fake_engine(monkeypatch)


def test_the_first_run_links_the_sure_queues_the_unsure_and_gives_every_person_their_identity(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N2", "Benji"), ("N3", "Zed"))
    engine.score("Amy", "Amie", 0.97)  # sure: links
    engine.score("Benjamin", "Benji", 0.7)  # unsure: waits for a reviewer
    result = run()

    assert (result.kind, result.model_version, result.records) == ("full", 1, 8)
    assert (result.linked, result.queued, result.waiting, result.pairs) == (1, 1, 1, 2)
    assert result.new_identities == 6  # five people, and Zed
    for person in world.people.values():
        record = Record.objects.select_related("identity").get(person=person)
        assert (record.how, record.identity.person_id) == ("person", person.pk)
    amie = record_of("Amie")
    assert identity_of("Amie") == identity_of("Amy")
    assert (amie.how, amie.match_probability) == ("auto", 0.97)
    assert identity_of("Benji") is None and record_of("Benji").run_id == LinkRun.objects.get().pk
    pair = pair_of("Benjamin", "Benji")
    assert (pair.why, pair.status, pair.match_probability) == ("band", "open", 0.7)
    assert pair.comparison == [dataclasses.asdict(r) for r in REASONS]
    zed = record_of("Zed")
    assert zed.how == "new" and zed.identity is not None and zed.identity.person_id is None
    model = LinkModel.objects.get()
    assert Record.objects.filter(model=model, row_hash__regex=r"^[0-9a-f]{32}$").count() == 8
    assert AuditEvent.objects.filter(event="linkage.run").count() == 1
    assert AuditEvent.objects.filter(event="linkage.model_train").count() == 1


def test_the_model_is_saved_as_a_file_once_the_run_is_committed(
    world, engine, tmp_path, linkage_dir, django_capture_on_commit_callbacks
):
    police(tmp_path, ("N1", "Amie"))
    with django_capture_on_commit_callbacks(execute=True):
        run()
    model = LinkModel.objects.get()
    saved = linkage_dir / "models" / "model-1.json"
    assert FakeModel.from_json(saved.read_text(), name="saved").sha256 == model.sha256
    assert (model.version, model.records, model.upper, model.lower) == (1, 6, 0.9, 0.5)


def test_a_second_run_with_nothing_new_changes_nothing_and_keeps_every_id(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N2", "Benji"), ("N3", "Zed"))
    engine.score("Amy", "Amie", 0.97)
    engine.score("Benjamin", "Benji", 0.7)
    run()
    before = snapshot()
    calls = len(engine.calls)
    result = run()
    after = snapshot()
    assert (result.kind, result.records, result.linked, result.queued, result.new_identities) == (
        "incremental",
        0,
        0,
        0,
        0,
    )
    assert result.waiting == 1
    assert len(engine.calls) == calls and engine.trained == 1  # nothing scored, nothing trained
    assert len(after.pop("runs")) == len(before.pop("runs")) + 1
    assert after == before


def test_a_new_record_in_a_resent_feed_is_linked_against_the_rest_and_every_id_stays(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N3", "Zed"))
    engine.score("Amy", "Amie", 0.97)
    run()
    placed = dict(Record.objects.values_list("pk", "identity_id"))
    police(tmp_path, ("N1", "Amie"), ("N3", "Zed"), ("N4", "Amelia"))  # the same feed again, one more child
    engine.score("Amie", "Amelia", 0.95)
    result = run()

    assert (result.kind, result.records, result.linked, result.new_identities) == ("incremental", 1, 1, 0)
    assert engine.calls[-1] == ("predict_new", ["Amelia"], sorted([*PEOPLE, "Amie", "Zed"]))
    assert identity_of("Amelia") == identity_of("Amy")
    assert {pk: i for pk, i in Record.objects.values_list("pk", "identity_id") if pk in placed} == placed


def test_incremental_runs_give_the_identities_a_full_run_gives(world, engine, tmp_path):
    engine.score("Amy", "Amie", 0.97)
    engine.score("Amie", "Amelia", 0.95)
    engine.score("Zed", "Zedd", 0.99)
    engine.score("Zedd", "Zac", 0.6)
    engine.score("Cara", "Kara", 0.8)
    police(tmp_path, ("N1", "Amie"), ("N3", "Zed"))
    run()
    police(tmp_path, ("N4", "Amelia"), ("N5", "Zedd"))
    run()
    police(tmp_path, ("N6", "Zac"), ("N7", "Kara"))
    run()
    incremental = _groups()

    for model in (ReviewPair, IdentityChange, Record, Identity, LinkRun, LinkModel):
        model.objects.all().delete()
    run()
    assert _groups() == incremental
    assert identity_of("Zac") is None and identity_of("Kara") is None


def _groups() -> tuple[frozenset[frozenset[str]], frozenset[tuple[str, str, str]]]:
    """Who is with whom (by given name), and the pairs waiting for review."""
    members: dict[object, set[str]] = {}
    for record in Record.objects.select_related("source_person", "person"):
        name = (record.source_person or record.person).given_name
        members.setdefault(record.identity_id or record.pk, set()).add(name)
    queued = set()
    for pair in ReviewPair.objects.filter(status="open").select_related("left__person", "left__source_person"):
        ends = [
            Record.objects.select_related("person", "source_person").get(pk=pk) for pk in (pair.left_id, pair.right_id)
        ]
        names = sorted((r.source_person or r.person).given_name for r in ends)
        queued.add((names[0], names[1], pair.why))
    return frozenset(frozenset(m) for m in members.values()), frozenset(queued)


def test_a_link_never_moves_a_record_between_two_identities(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N3", "Zed"))
    engine.score("Amy", "Amie", 0.97)
    run()
    amy, zed = identity_of("Amy"), identity_of("Zed")

    police(tmp_path, ("N5", "Zedd"))  # a new record sure to be Zed, and nearly as sure to be Amie
    engine.score("Zed", "Zedd", 0.99)
    engine.score("Amie", "Zedd", 0.96)
    run()
    assert identity_of("Zedd") == zed and (identity_of("Amie"), identity_of("Zed")) == (amy, zed)
    assert pair_of("Amie", "Zedd").why == "conflict"

    police(tmp_path, ("N3", "Zed", {"date_of_birth": "2012-01-01"}))  # Zed sent again, now sure to be Cara
    engine.score("Zed", "Cara", 0.99)
    result = run()
    assert result.records == 1 and identity_of("Zed") == zed and identity_of("Cara") != zed
    assert pair_of("Cara", "Zed").why == "conflict"
    assert not IdentityChange.objects.exists()


def test_two_people_in_the_platform_who_match_are_a_pair_for_review_never_a_merge(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    engine.score("Amy", "Megan", 0.99)
    run()
    assert identity_of("Amy") != identity_of("Megan")
    assert pair_of("Amy", "Megan").why == "people"


def test_a_record_sent_again_with_other_details_is_scored_again_and_its_waiting_pair_is_stale(world, engine, tmp_path):
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    run()
    first = pair_of("Benjamin", "Benji")
    police(tmp_path, ("N2", "Benji", {"postcode": "SF1 9ZZ"}))
    result = run()
    assert result.records == 1 and result.queued == 1
    assert ReviewPair.objects.get(pk=first.pk).status == "stale"
    again = pair_of("Benjamin", "Benji", status="open")
    assert again.pk != first.pk and again.state != first.state
    assert identity_of("Benji") is None


def test_a_pair_a_reviewer_rejected_is_never_queued_again(world, engine, tmp_path):
    police(tmp_path, ("N2", "Benji"))
    engine.score("Benjamin", "Benji", 0.7)
    run()
    pair = pair_of("Benjamin", "Benji")
    decide_review(actor=SYSTEM, pair_id=pair.pk, decision="rejected", reason="Different school", state=pair.state)
    benji = identity_of("Benji")
    result = run(retrain=True)
    assert (result.kind, result.model_version, result.queued) == ("full", 2, 0)
    assert identity_of("Benji") == benji
    assert not ReviewPair.objects.filter(status="open").exists()


def test_retraining_makes_a_new_model_version_scores_everything_and_keeps_every_identity(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N3", "Zed"))
    engine.score("Amy", "Amie", 0.97)
    run()
    placed = dict(Record.objects.values_list("pk", "identity_id"))
    result = run(retrain=True)
    assert (result.kind, result.model_version, engine.trained) == ("full", 2, 2)
    assert engine.calls[-1][0] == "predict"
    assert dict(Record.objects.values_list("pk", "identity_id")) == placed
    assert list(LinkModel.objects.values_list("version", flat=True)) == [2, 1]


def test_a_model_file_links_as_a_new_version_and_the_same_file_again_is_that_version(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    run()
    path = tmp_path / "model.json"
    path.write_text(FakeModel(upper=0.95, label="from a file").to_json())
    result = run(model_file=path)
    assert (result.kind, result.model_version, engine.trained) == ("full", 2, 1)
    assert LinkModel.objects.get(version=2).upper == 0.95
    again = run(model_file=path)
    assert (again.kind, again.model_version) == ("incremental", 2)


@pytest.mark.parametrize(
    ("content", "why"),
    [("{not json", "not JSON"), ('{"kind": "something else"}', "not a Continuum linkage model"), (None, "No such")],
)
def test_a_model_file_that_is_not_a_model_is_refused_in_one_line_and_nothing_changes(
    world, engine, tmp_path, content, why
):
    police(tmp_path, ("N1", "Amie"))
    run()
    before = snapshot()
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(LinkageError, match=why) as refused:
        run(model_file=path)
    assert "\n" not in str(refused.value)
    assert snapshot() == before and LinkModel.objects.count() == 1


def test_the_audit_row_is_written_in_the_runs_transaction(world, engine, tmp_path, monkeypatch):
    police(tmp_path, ("N1", "Amie"))

    def failing(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(running, "audit_record", failing)
    with pytest.raises(RuntimeError):
        run()
    assert not (Record.objects.exists() or Identity.objects.exists() or LinkRun.objects.exists())
    assert not LinkModel.objects.exists()


def test_refusals_in_one_line(db, engine, tmp_path):
    with pytest.raises(LinkageError, match="^there are no records to link: load the county and the agency feeds"):
        run()
    with pytest.raises(LinkageError, match="^unknown linkage backend 'oracle': choose one of duckdb, spark$"):
        run(backend="oracle")


def test_the_number_of_queries_does_not_grow_with_the_number_of_records(world, engine, tmp_path):
    """Some sure, some unsure, some alone: with three times as many records, the same queries."""

    def children(start: int, count: int) -> list[tuple[str, str]]:
        made = []
        for n in range(start, start + count):
            made += [(f"P{n}", f"Pat{n}"), (f"Q{n}", f"Pam{n}"), (f"R{n}", f"Paz{n}"), (f"S{n}", f"Ola{n}")]
            engine.score(f"Pat{n}", f"Pam{n}", 0.97)
            engine.score(f"Pat{n}", f"Paz{n}", 0.7)
        return made

    police(tmp_path / "a", *children(0, 2))
    small_full = queries(run)
    police(tmp_path / "a", *children(2, 2))
    small_incremental = queries(run)

    for model in (ReviewPair, Record, Identity, LinkRun, LinkModel):
        model.objects.all().delete()
    police(tmp_path / "b", *children(10, 6))
    large_full = queries(run)
    police(tmp_path / "b", *children(16, 6))
    large_incremental = queries(run)
    assert (large_full, large_incremental) == (small_full, small_incremental)
    assert Record.objects.filter(identity__isnull=True).count() == 16  # every Paz waits


def test_administrators_see_the_runs_newest_first_and_practitioners_do_not(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    first, second = run(), run()
    runs = list(run_list(viewer=world.admin))
    assert [(r.kind, r.model.version) for r in runs] == [(second.kind, 1), (first.kind, 1)]
    assert list(run_list(viewer=SYSTEM)) == runs
    with pytest.raises(PermissionDenied):
        run_list(viewer=world.alice)


def test_a_record_no_run_has_hashed_is_linked_by_the_next_run(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    run()
    police(tmp_path, ("N2", "Amelia"))
    Record.objects.create(source_person=SourcePerson.objects.get(ref="N2"))  # as a hand-made test world makes one
    engine.score("Amy", "Amelia", 0.95)
    result = run()
    assert (result.kind, result.records, result.linked) == ("incremental", 1, 1)
    assert identity_of("Amelia") == identity_of("Amy") and record_of("Amelia").row_hash
