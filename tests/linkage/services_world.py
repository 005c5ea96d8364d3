"""For the services' tests: a stand-in for the engine's model, scoring and reasons, and a police feed to load.

The test says how likely each pair of records is, by the records' given names (every record in a test has its
own), and the real `resolve` does the rest; what the services do with that (identities, review pairs, merges) is
what these tests are about. The records come in as councils send them: a police feed loaded by the feeds' service,
and people made by the people's service (the shared world in tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.agencies.access import SystemActor
from continuum.linkage.models import Identity, IdentityChange, LinkRun, Record, ReviewPair
from continuum.linkage.services import running
from continuum.people.models import Relationship
from continuum.signals.models import SourcePerson
from continuum.signals.services import load_feed
from tests.signals.feed_files import police_file, police_row

SYSTEM = SystemActor("test")
FAKE_KIND = "fake linkage model"


class FakeModelFileError(ValueError):
    pass


@dataclass(frozen=True)
class FakeModel:
    upper: float = 0.9
    lower: float = 0.5
    records: int = 0
    splink_version: str = "5.0.0"
    file_format: int = 1
    label: str = "trained"

    def to_json(self) -> str:
        return json.dumps({"kind": FAKE_KIND, **dataclasses.asdict(self)}, sort_keys=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str, *, name: str) -> FakeModel:
        try:
            data = json.loads(text)
        except ValueError:
            raise FakeModelFileError(f"{name}: not JSON") from None
        if not isinstance(data, dict) or data.pop("kind", None) != FAKE_KIND:
            raise FakeModelFileError(f"{name}: not a Continuum linkage model")
        return cls(**data)


@dataclass(frozen=True)
class FakeReason:
    field: str
    label: str
    agrees: bool | None
    weight: float
    words: str


REASONS = [FakeReason("given_name", "Given name", True, 3.0, "Given names agree: evidence for")]


class FakeEngine:
    """Scores by given name: `engine.score("Amy", "Amie", 0.95)`; pairs not given score nothing."""

    def __init__(self) -> None:
        self.scores: dict[frozenset[str], float] = {}
        self.trained = 0
        self.calls: list[tuple[str, list[str], list[str]]] = []  # (function, names scored, names against)

    def score(self, one: str, other: str, probability: float) -> None:
        self.scores[frozenset((one, other))] = probability

    def train(self, records: pa.Table, **options: Any) -> FakeModel:
        self.trained += 1
        return FakeModel(records=records.num_rows, label=f"trained {self.trained}")

    def predict(self, records: pa.Table, model: FakeModel, **options: Any) -> pa.Table:
        rows = records.to_pylist()
        self.calls.append(("predict", sorted(r["given_name"] for r in rows), []))
        return self._pairs((a, b) for n, a in enumerate(rows) for b in rows[n + 1 :])

    def predict_new(self, new: pa.Table, linked: pa.Table, model: FakeModel, **options: Any) -> pa.Table:
        fresh, old = new.to_pylist(), linked.to_pylist()
        self.calls.append(("predict_new", sorted(r["given_name"] for r in fresh), sorted(r["given_name"] for r in old)))
        within = ((a, b) for n, a in enumerate(fresh) for b in fresh[n + 1 :])
        between = ((a, b) for a in fresh for b in old)
        return self._pairs([*within, *between])

    def _pairs(self, pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> pa.Table:
        rows = []
        for a, b in pairs:
            p = self.scores.get(frozenset((a["given_name"], b["given_name"])))
            if p is not None and p >= 0.5:
                left, right = sorted((a["record_id"], b["record_id"]))
                rows.append({"left_id": left, "right_id": right, "match_probability": p, "match_weight": 1.0})
        schema = pa.schema(
            [
                ("left_id", pa.string()),
                ("right_id", pa.string()),
                ("match_probability", pa.float64()),
                ("match_weight", pa.float64()),
            ]
        )
        return pa.Table.from_pylist(rows, schema=schema)

    def reasons(self, pair: Any, model: FakeModel) -> list[FakeReason]:
        return REASONS

    def load(self, path: Path) -> FakeModel:
        return FakeModel.from_json(path.read_text(), name=str(path))

    def save(self, model: FakeModel, path: Path) -> None:
        path.write_text(model.to_json())


def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    """Put the stand-in in place of the engine's model, scoring and reasons (a test module's `engine` fixture)."""
    fake = FakeEngine()
    model = SimpleNamespace(
        train=fake.train, load=fake.load, save=fake.save, TrainedModel=FakeModel, ModelFileError=FakeModelFileError
    )
    monkeypatch.setattr(running, "link_model", model)
    monkeypatch.setattr(running, "predict", SimpleNamespace(predict=fake.predict, predict_new=fake.predict_new))
    monkeypatch.setattr(running, "explain", SimpleNamespace(reasons=fake.reasons))
    return fake


def police(folder: Path, *people: tuple[str, str] | tuple[str, str, dict[str, str]]) -> None:
    """Load a police feed naming these people: (ref, given name[, other values]), one incident each."""
    rows = []
    for n, person in enumerate(people):
        ref, given, *more = person
        rows.append(police_row(f"INC-{ref}-{n}", ref, given_name=given, **(more[0] if more else {})))
    path = police_file(folder / f"police-{len(list(folder.glob('police-*')))}.csv", rows)
    result = load_feed(actor=SYSTEM, kind="police", paths=[path])
    assert not result.errors, result.errors


def run(**options: Any) -> running.RunResult:
    return running.run_linkage(actor=SYSTEM, **options)


def record_of(given_name: str) -> Record:
    """The record of the police person or the platform person with this given name."""
    found = Record.objects.filter(source_person__given_name=given_name) | Record.objects.filter(
        person__given_name=given_name
    )
    return found.select_related("identity").get()


def identity_of(given_name: str) -> str | None:
    record = record_of(given_name)
    return None if record.identity_id is None else str(record.identity_id)


def pair_of(one: str, other: str, **filters: Any) -> ReviewPair:
    a, b = sorted([str(record_of(one).pk), str(record_of(other).pk)])
    return ReviewPair.objects.get(left_id=a, right_id=b, **filters)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row linkage and the people's relationships hold, as they are, for comparing before and after."""
    return {
        "records": sorted(Record.objects.values_list(*[f.attname for f in Record._meta.concrete_fields])),
        "identities": sorted(Identity.objects.values_list(*[f.attname for f in Identity._meta.concrete_fields])),
        "pairs": sorted(ReviewPair.objects.values_list(*[f.attname for f in ReviewPair._meta.concrete_fields])),
        "changes": sorted(IdentityChange.objects.values_list("pk", "kind")),
        "runs": sorted(LinkRun.objects.values_list("pk", flat=True)),
        "relationships": sorted(
            Relationship.objects.values_list(*[f.attname for f in Relationship._meta.concrete_fields])
        ),
        "source_people": sorted(SourcePerson.objects.values_list("pk", "row_hash")),
    }


def queries(function: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)
