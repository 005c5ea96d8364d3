"""The real engine over a small synthetic county loaded as a council loads it (the county snapshot, then the agency
feeds): every feed record resolved or waiting, the figures against the county's truth, a quiet second run, an
incremental day, and a model file from another version of Splink refused."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.county.load import county_load
from continuum.linkage.models import Identity, IdentityChange, LinkModel, LinkRun, Record, ReviewPair
from continuum.linkage.services import LinkageError
from continuum.people.models import Person
from continuum.signals.models import SourcePerson
from continuum.signals.services import load_feed, load_feed_folder
from continuum.synth import generate
from tests.linkage.services_world import SYSTEM, run, snapshot

CHILDREN = 300
AS_OF = datetime.date(2026, 11, 1)
LINE = re.compile(r"^precision (\d\.\d{4}) recall (\d\.\d{4}) F1 (\d\.\d{4})$")
JSON_KEYS = {
    "precision",
    "recall",
    "f1",
    "records",
    "true_pairs",
    "predicted_pairs",
    "correct_pairs",
    "review_pairs",
    "waiting",
}


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    generate(folder, children=CHILDREN, seed=7, as_of=AS_OF)
    return folder


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"
    settings.FEEDS_DIR = tmp_path / "feeds"  # a test's attendance store (its lock is released only on commit)


def load(county: Path, *, without: tuple[str, ...] = ()) -> None:
    """The county snapshot, then its agency feeds (but `without` these, moved aside)."""
    county_load(county)
    feeds = county / "feeds"
    aside = county / "aside"
    aside.mkdir(exist_ok=True)
    moved = []
    for name in without:
        for path in feeds.glob(f"{name}*"):
            moved.append((path, aside / path.name))
            path.rename(aside / path.name)
    try:
        results = load_feed_folder(actor=SYSTEM, directory=feeds)
    finally:
        for back, there in moved:
            there.rename(back)
    assert not [p for r in results.values() for p in r.errors]


def evaluate(county: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("linkage", "evaluate", "--truth", str(county / "truth"), *options, stdout=out)
    return out.getvalue()


def test_every_feed_record_ends_resolved_or_waiting_and_evaluate_gives_the_figures(db, county, capsys):
    load(county)
    out = io.StringIO()
    call_command("linkage", "run", stdout=out)
    assert out.getvalue().startswith("full run with model 1 in ")
    assert "Linking records" in capsys.readouterr().err  # the progress bar, on standard error

    assert Record.objects.filter(source_person__isnull=False).count() == SourcePerson.objects.count()
    waiting = set(Record.objects.filter(identity__isnull=True).values_list("pk", flat=True))
    queued = set(ReviewPair.objects.filter(status="open").values_list("left_id", "right_id"))
    assert waiting <= {pk for pair in queued for pk in pair}  # each waits for a pair a reviewer can decide
    for person in Person.objects.all():
        assert Record.objects.get(person=person).identity.person_id == person.pk
    for pair in ReviewPair.objects.all():
        assert pair.comparison and all(reason["words"] for reason in pair.comparison)

    text = evaluate(county).splitlines()
    precision, recall, f1 = (float(x) for x in LINE.match(text[0]).groups())
    assert precision >= 0.98 and recall >= 0.9 and f1 >= 0.94
    assert text[1].startswith("review queue: ")
    figures = json.loads(evaluate(county, "--format", "json"))
    assert set(figures) == JSON_KEYS
    assert figures["records"] == SourcePerson.objects.count() + Person.objects.count()
    assert (figures["waiting"], figures["review_pairs"]) == (len(waiting), len(queued))
    assert f"{figures['f1']:.4f}" == f"{f1:.4f}"

    before = snapshot()
    again = run()
    assert (again.kind, again.records, again.queued, again.new_identities) == ("incremental", 0, 0, 0)
    after = snapshot()
    after.pop("runs"), before.pop("runs")
    assert after == before


def test_a_days_new_feed_is_linked_against_the_rest_as_a_full_run_would(db, county, tmp_path):
    load(county, without=("police",))
    run()
    placed = dict(Record.objects.values_list("pk", "identity_id"))
    model = LinkModel.objects.get()
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.model))

    load_feed(actor=SYSTEM, kind="police", paths=[county / "feeds" / "police.csv"])  # the police feed arrives
    day = run()
    police = Record.objects.filter(source_person__feed="police")
    assert day.kind == "incremental" and day.records >= police.count() > 0
    assert not police.filter(identity__isnull=True, run__isnull=True).exists()
    after = dict(Record.objects.values_list("pk", "identity_id"))
    assert all(after[pk] == identity for pk, identity in placed.items() if identity is not None)  # ids stay
    incremental = _groups()

    for table in (ReviewPair, IdentityChange, Record, Identity, LinkRun, LinkModel):
        table.objects.all().delete()
    run(model_file=path)  # the same model, every pair at once
    assert _groups() == incremental


def _groups() -> frozenset[frozenset[tuple[str, str]]]:
    """Who is with whom, by each record's subject (feed and reference, or the person)."""
    members: dict[object, set[tuple[str, str]]] = {}
    for record in Record.objects.select_related("source_person"):
        subject = (
            (record.source_person.feed, record.source_person.ref)
            if record.source_person
            else ("person", str(record.person_id))
        )
        members.setdefault(record.identity_id or record.pk, set()).add(subject)
    return frozenset(frozenset(m) for m in members.values())


def test_a_model_file_from_another_version_of_splink_is_refused_in_one_line_and_nothing_changes(db, county, tmp_path):
    load(county)
    run()
    document = LinkModel.objects.get().model
    path = tmp_path / "old-model.json"
    path.write_text(json.dumps({**document, "splink_version": "4.0.7"}))
    before = snapshot()
    with pytest.raises(
        CommandError, match=r"old-model\.json: a linkage model trained with Splink 4\.0\.7; "
    ) as refused:
        call_command("linkage", "run", "--model", str(path), stdout=io.StringIO())
    assert "\n" not in str(refused.value) and refused.value.returncode == 1
    with pytest.raises(LinkageError, match="not a linkage model file"):
        path.write_text("{")
        run(model_file=path)
    assert snapshot() == before and LinkModel.objects.count() == 1
