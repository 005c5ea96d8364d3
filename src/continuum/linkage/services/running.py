"""Running record linkage over the database: every record read, scored, resolved and written back in one transaction.

A full run scores every pair of records (the first run, `--retrain`, or a new model); an incremental run scores only
the records no run has seen and those a feed has re-sent with other details, against all the others (Splink's
`predict_between`, through `predict.predict_new`). Either way the identities already known stay as they are
(`resolve`'s `prior`): a record that has an identity keeps it, and a link that would join two of them becomes a pair
for a person to review, never a silent move. Everything is written with `continuum.bulk`: the number of queries does
not grow with the number of records.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from continuum import bulk
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.linkage.engine import explain, predict, resolve
from continuum.linkage.engine import model as link_model
from continuum.linkage.engine.backends import BACKENDS, Backend, BackendError, open_backend
from continuum.linkage.engine.records import Progress
from continuum.linkage.models import Identity, LinkModel, LinkRun, Record, ReviewPair
from continuum.linkage.services.common import OPEN, LinkageError, actor_name, pair_state, run_lock
from continuum.linkage.services.records import (
    PERSON_SOURCE,
    STORED_FIELDS,
    RecordSet,
    any_records,
    new_ids,
    read_records,
)

RECORD_FIELDS = list(STORED_FIELDS)
RECORD_UPDATE = RECORD_FIELDS[3:]
IDENTITY_FIELDS = ["id", "person_id", "merged_into_id", "created_at", "created_by_run_id"]
PAIR_FIELDS = [
    "id",
    "left_id",
    "right_id",
    "match_probability",
    "model_id",
    "run_id",
    "why",
    "comparison",
    "state",
    "status",
    "queued_at",
    "decided_at",
    "decided_by_id",
    "reason",
]


@dataclass(frozen=True)
class RunResult:
    kind: str  # "full" or "incremental"
    model_version: int
    records: int  # records scored
    pairs: int  # pairs at or above the lower threshold
    linked: int  # records linked automatically
    new_identities: int
    queued: int  # pairs sent to clerical review
    waiting: int  # records waiting for review after the run
    seconds: float


def run_linkage(
    *,
    actor: Actor,
    backend: str | None = None,
    retrain: bool = False,
    model_file: Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Link every record loaded: all of them (the first time, `retrain`, or with `model_file`'s model), else the new
    and re-sent ones against the rest. One transaction with its LinkRun and audit row; LinkageError if it cannot."""
    started, clock = timezone.now(), time.perf_counter()
    name = backend or settings.LINKAGE_BACKEND
    if name not in BACKENDS:
        raise LinkageError(f"unknown linkage backend {name!r}: choose one of {', '.join(BACKENDS)}")
    given = _model_file(model_file) if model_file is not None else None
    report: Progress = progress or (lambda stage, done, total: None)
    try:
        with open_backend(name, work_dir=Path(settings.LINKAGE_DIR) / "work") as engine, bulk.writing():
            run_lock()
            if not any_records():
                raise LinkageError("there are no records to link: load the county and the agency feeds first")
            report("reading the records", 0, 1)
            records = read_records()
            row, trained, new_model = _model(actor, records, engine, retrain=retrain, given=given, progress=progress)
            full = new_model or not LinkRun.objects.exists()
            run = _Run(actor, row, trained, engine, records, (started, clock), full=full, report=report)
            result = run.link()
    except BackendError as exc:
        raise LinkageError(str(exc)) from None
    return dataclasses.replace(result, seconds=time.perf_counter() - clock)


def _model_file(path: Path) -> link_model.TrainedModel:
    try:
        return link_model.load(path)
    except link_model.ModelFileError as exc:
        raise LinkageError(str(exc)) from None
    except OSError as exc:
        raise LinkageError(f"{path}: {exc.strerror or exc}") from None


def trained_model(row: LinkModel) -> link_model.TrainedModel:
    """The model a LinkModel row holds."""
    try:
        return link_model.TrainedModel.from_json(json.dumps(row.model), name=f"linkage model {row.version}")
    except link_model.ModelFileError as exc:
        raise LinkageError(str(exc)) from None


def _model(
    actor: Actor,
    records: RecordSet,
    engine: Backend,
    *,
    retrain: bool,
    given: link_model.TrainedModel | None,
    progress: Progress | None,
) -> tuple[LinkModel, link_model.TrainedModel, bool]:
    """The model to link with: the latest, a new one trained on the records, or the one given; and whether it is
    new (a new model scores every pair again)."""
    latest = LinkModel.objects.order_by("-version").first()
    if given is None and latest is not None and not retrain:
        return latest, trained_model(latest), False
    if given is not None and latest is not None and latest.sha256 == given.sha256:
        return latest, given, False
    trained = given or link_model.train(records.engine(), backend=engine, progress=progress)
    now = timezone.now()
    row = LinkModel.objects.create(
        version=(latest.version + 1) if latest else 1,
        trained_at=now,
        trained_by_name=actor_name(actor),
        splink_version=trained.splink_version,
        file_format=trained.file_format,
        model=json.loads(trained.to_json()),
        sha256=trained.sha256,
        records=trained.records,
        upper=trained.upper,
        lower=trained.lower,
    )
    path = Path(settings.LINKAGE_DIR) / "models" / f"model-{row.version}.json"
    # The file is written once the model is in the database: a run that fails leaves none behind.
    transaction.on_commit(lambda: _save(trained, path))
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        event="linkage.model_train",
        purpose="Record linkage model" + (" loaded from a file" if given else " trained without labels"),
        detail={"version": row.version, "records": row.records, "sha256": row.sha256, "file": str(path)},
    )
    return row, trained, True


def _save(trained: link_model.TrainedModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    link_model.save(trained, path)


class _Run:
    """One run: what it read, what it decided, and the rows it writes."""

    def __init__(
        self,
        actor: Actor,
        row: LinkModel,
        trained: link_model.TrainedModel,
        engine: Backend,
        records: RecordSet,
        started: tuple[datetime.datetime, float],
        *,
        full: bool,
        report: Progress,
    ) -> None:
        self.actor, self.model_row, self.model, self.engine = actor, row, trained, engine
        self.records, self.full, self.report = records, full, report
        self.now, self.clock = timezone.now(), started[1]
        self.decided = _decided()
        self.run = LinkRun.objects.create(
            kind="full" if full else "incremental",
            backend=engine.name,
            model=row,
            started_at=started[0],
            finished_at=started[0],
            run_by_name=actor_name(actor),
        )
        self.run_id, self.model_id = str(self.run.id), str(row.id)
        self.identities: tuple[list[str], list[str | None]] = ([], [])  # new identities: ids, and their people

    def link(self) -> RunResult:
        table = self.records.table
        ids: list[str] = table.column("record_id").to_pylist()
        identity: list[str | None] = table.column("identity_id").to_pylist()
        person_new = self._people_identities(table, identity)
        differs = pc.fill_null(pc.not_equal(table.column("row_hash"), table.column("stored_hash")), False)
        changed = pc.and_(pc.invert(table.column("is_new")), differs)
        in_play = self._in_play(changed)
        played = pc.sum(pc.cast(in_play, pa.int64())).as_py() or 0
        open_pairs = _open_pairs()
        edges, scored = self._score(in_play, played)
        involved = self._involved(ids, in_play, edges)
        prior = {ids[i]: key for i in involved if (key := identity[i]) is not None}
        self.report("resolving identities", 0, 1)
        resolution = resolve.resolve(
            records=[ids[i] for i in involved],
            prior=prior,
            pairs=edges,
            upper=self.model.upper,
            lower=self.model.lower,
            decided=self.decided,
            people=self._people(identity),
        )
        free = [i for i in involved if identity[i] is None]
        placed = self._place(resolution, ids, identity, free)
        self.report("writing", 0, 1)
        self._write_identities()
        changed_rows = set(pc.indices_nonzero(changed).to_pylist())
        linked = self._write_records(identity, placed, person_new, changed_rows)
        queued = self._write_pairs(resolution, ids, identity, open_pairs, scored, {ids[i] for i in free}, changed_rows)
        waiting = Record.objects.filter(identity__isnull=True, run__isnull=False).count()
        result = RunResult(
            kind=self.run.kind,
            model_version=self.model_row.version,
            records=played,
            pairs=scored.num_rows,
            linked=linked,
            new_identities=len(self.identities[0]),
            queued=queued,
            waiting=waiting,
            seconds=0.0,
        )
        self._finish(result)
        self.report("done", 1, 1)
        return result

    def _people_identities(self, table: pa.Table, identity: list[str | None]) -> set[int]:
        """A platform person's record always has the identity that is that person: made on its first run."""
        needed = pc.and_(pc.equal(table.column("source"), PERSON_SOURCE), pc.is_null(table.column("identity_id")))
        rows = pc.indices_nonzero(needed)
        made = new_ids(len(rows)).to_pylist()
        for i, key in zip(rows.to_pylist(), made, strict=True):
            identity[i] = key
        self.new_identities(made, table.column("person_id").take(rows).to_pylist())
        return set(rows.to_pylist())

    def new_identities(self, ids: list[str], people: list[str | None]) -> None:
        self.identities[0].extend(ids)
        self.identities[1].extend(people)

    def _people(self, identity: list[str | None]) -> set[str]:
        """The identities that hold a platform person's own record (a refused join of two is why "people")."""
        source = self.records.table.column("source")
        rows = pc.indices_nonzero(pc.equal(source, PERSON_SOURCE)).to_pylist()
        return {key for i in rows if (key := identity[i]) is not None}

    def _score(self, in_play: pa.Array, played: int) -> tuple[pa.Table, pa.Table]:
        """The pairs at or above the lower threshold: all of them (full), or those of the records in play with every
        record and with each other (incremental). Returns (left_id, right_id, match_probability) and the full table."""
        self.report("scoring pairs", 0, 1)
        if not played:
            return _edges(None), _edges(None)
        if self.full:
            scored = predict.predict(self.records.engine(), self.model, backend=self.engine, progress=self.report)
        else:
            others = pc.invert(in_play)
            if not pc.any(others).as_py():
                scored = predict.predict(self.records.engine(in_play), self.model, backend=self.engine)
            else:
                scored = predict.predict_new(
                    self.records.engine(in_play), self.records.engine(others), self.model, backend=self.engine
                )
        return _edges(scored), scored

    def _in_play(self, changed: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        """The records to score: all of them (full), else those no run has seen and those sent again with other
        details, with (when there are any) the records left waiting for review, so that a new record can settle
        one (as a full run would: resolve's incremental runs equal full ones given every pair of the records not
        placed)."""
        table = self.records.table
        if self.full:
            return pa.array([True] * table.num_rows)
        fresh = pc.or_(table.column("is_new"), changed)
        if not pc.any(fresh).as_py():
            return fresh
        waiting = pc.and_(pc.is_null(table.column("identity_id")), pc.is_valid(table.column("run_id")))
        return pc.or_(fresh, waiting)

    def _involved(self, ids: list[str], in_play: pa.Array | pa.ChunkedArray, edges: pa.Table) -> list[int]:
        """The records resolve decides about, by row: every record (full), else those scored and the records they
        scored with (whose identities, as prior, say where they go)."""
        if self.full:
            return list(range(len(ids)))
        wanted = set(pc.indices_nonzero(in_play).to_pylist())
        if edges.num_rows:
            ends = pa.concat_arrays([_array(edges["left_id"]), _array(edges["right_id"])])
            wanted |= _positions(self.records.table.column("record_id"), pc.unique(ends))
        return sorted(wanted)

    def _place(
        self, resolution: resolve.Resolution, ids: list[str], identity: list[str | None], free: list[int]
    ) -> dict[int, tuple[str | None, str, float | None]]:
        """Where each record resolve decided about goes: (identity, how, probability), by row. New groups get a new
        identity; a waiting record has none."""
        keys = {key for key in resolution.assignments.values() if key.startswith(resolve.NEW_PREFIX)}
        fresh = dict(zip(sorted(keys), new_ids(len(keys)).to_pylist(), strict=True))
        self.new_identities(list(fresh.values()), [None] * len(fresh))
        placed: dict[int, tuple[str | None, str, float | None]] = {}
        for i in free:
            record = ids[i]
            key = None if record in resolution.waiting else resolution.assignments.get(record)
            if key is None:
                placed[i] = (None, "", None)
                continue
            key = fresh.get(key, key)
            probability = resolution.links.get(record)
            placed[i] = (key, "auto" if probability is not None else "new", probability)
            identity[i] = key
        return placed

    def _write_identities(self) -> None:
        ids, people = self.identities
        if not ids:
            return
        size = len(ids)
        made = pa.table(
            {
                "id": pa.array(ids, pa.string()),
                "person_id": pa.array(people, pa.string()),
                "merged_into_id": pa.nulls(size, pa.string()),
                "created_at": pa.array([self.now] * size, pa.timestamp("us", tz="UTC")),
                "created_by_run_id": pa.array([self.run_id] * size, pa.string()),
            }
        )
        bulk.insert(Identity, made, fields=IDENTITY_FIELDS)

    def _write_records(
        self,
        identity: list[str | None],
        placed: Mapping[int, tuple[str | None, str, float | None]],
        person_new: set[int],
        changed: set[int],
    ) -> int:
        """Write the records whose Record changes: new, placed or waiting by this run, or re-sent with other details
        (a record scored again that stays as it was, one still waiting, is not written: it keeps its run). Returns
        how many were linked automatically."""
        rows = sorted(set(placed) | person_new | changed)
        part = self.records.table.take(pa.array(rows, pa.int64()))
        stored = {
            name: part.column(name).to_pylist()
            for name in ("identity_id", "how", "match_probability", "model_id", "run_id", "linked_at", "decided_by_id")
        }
        hashes = zip(part.column("row_hash").to_pylist(), part.column("stored_hash").to_pylist(), strict=True)
        same_hash = [now == before for now, before in hashes]
        columns: dict[str, list[Any]] = {name: [] for name in RECORD_UPDATE[:-1]}
        keep: list[bool] = []
        linked = 0
        for n, i in enumerate(rows):
            kept = [stored[name][n] for name in columns]
            if i in placed:
                key, how, probability = placed[i]
                values = [key, how, probability, self.model_id, self.run_id, self.now if key else None, None]
                unchanged = same_hash[n] and (key, how, probability) == tuple(kept[:3])
            elif i in person_new:
                values, unchanged = [identity[i], "person", None, self.model_id, self.run_id, self.now, None], False
            else:  # sent again with other details, keeping its identity: only its hash changes
                values, unchanged = kept, False
            keep.append(not unchanged)
            if unchanged:
                continue
            linked += i in placed and values[1] == "auto"
            for name, value in zip(columns, values, strict=True):
                columns[name].append(value)
        part = part.filter(pa.array(keep, pa.bool_()))
        if not part.num_rows:
            return 0
        written = pa.table(
            {
                "id": part.column("record_id"),
                "source_person_id": part.column("source_person_id"),
                "person_id": part.column("person_id"),
                "identity_id": pa.array(columns["identity_id"], pa.string()),
                "how": pa.array(columns["how"], pa.string()),
                "match_probability": pa.array(columns["match_probability"], pa.float64()),
                "model_id": pa.array(columns["model_id"], pa.string()),
                "run_id": pa.array(columns["run_id"], pa.string()),
                "linked_at": pa.array(columns["linked_at"], pa.timestamp("us", tz="UTC")),
                "decided_by_id": pa.array(columns["decided_by_id"], pa.int64()),
                "row_hash": part.column("row_hash"),
            }
        )
        # Records new to the database go straight in (COPY on PostgreSQL); the others are updated in place.
        new = part.column("is_new")
        if pc.any(new).as_py():
            bulk.insert(Record, written.filter(new), fields=RECORD_FIELDS)
        if not pc.all(new).as_py():
            bulk.upsert(
                Record, written.filter(pc.invert(new)), fields=RECORD_FIELDS, unique=["id"], update=RECORD_UPDATE
            )
        return linked

    def _write_pairs(
        self,
        resolution: resolve.Resolution,
        ids: list[str],
        identity: list[str | None],
        open_pairs: list[dict[str, Any]],
        scored: pa.Table,
        free: set[str],
        changed: set[int],
    ) -> int:
        """Queue the pairs resolve asks a person to decide; a pair already waiting stays as it is (its id and what
        the page shows) unless a record of it changed, and a waiting pair resolve no longer asks about, among the
        records it decided, is stale. Returns how many pairs were queued."""
        items = {
            (item.left_id, item.right_id): item
            for item in resolution.review
            if (item.left_id, item.right_id) not in self.decided
        }
        resent = {ids[i] for i in changed}
        kept: set[tuple[str, str]] = set()
        stale = []
        for pair in open_pairs:
            key = (pair["left_id"], pair["right_id"])
            touched = self.full or bool({key[0], key[1]} & (free | resent))
            if key in items and not {key[0], key[1]} & resent:
                kept.add(key)
            elif touched:
                stale.append({**pair, "status": "stale"})
        if stale:
            gone = [tuple(p[name] for name in PAIR_FIELDS) for p in stale]
            bulk.upsert(ReviewPair, gone, fields=PAIR_FIELDS, unique=["id"], update=["status"])
        queued = [item for key, item in sorted(items.items()) if key not in kept]
        if not queued:
            return 0
        table = self.records.table
        ends = pa.array([end for item in queued for end in (item.left_id, item.right_id)], pa.string())
        where = pc.index_in(ends, value_set=table.column("record_id")).to_pylist()
        hashes = table.column("row_hash").take(pa.array(where, pa.int64())).to_pylist()
        reasons = _reasons(scored, queued, self.model)
        rows = []
        for n, item in enumerate(queued):
            left = (hashes[2 * n], identity[where[2 * n]])
            right = (hashes[2 * n + 1], identity[where[2 * n + 1]])
            rows.append(
                (
                    uuid.uuid4(),
                    item.left_id,
                    item.right_id,
                    float(item.match_probability),
                    self.model_id,
                    self.run_id,
                    item.why,
                    reasons.get((item.left_id, item.right_id), []),
                    pair_state(left, right, "open"),
                    "open",
                    self.now,
                    None,
                    None,
                    "",
                )
            )
        bulk.insert(ReviewPair, rows, fields=PAIR_FIELDS)
        return len(rows)

    def _finish(self, result: RunResult) -> None:
        finished = timezone.now()
        seconds = time.perf_counter() - self.clock
        counts = {
            "records": result.records,
            "pairs": result.pairs,
            "linked": result.linked,
            "new_identities": result.new_identities,
            "queued": result.queued,
        }
        LinkRun.objects.filter(pk=self.run.pk).update(finished_at=finished, seconds=seconds, **counts)
        audit_record(
            actor=self.actor,
            action=AuditAction.UPDATE,
            obj=self.run,
            event="linkage.run",
            purpose=f"Record linkage ({self.run.kind} run)",
            detail={"model_version": self.model_row.version, "waiting": result.waiting, **counts},
        )


_EDGES = pa.schema([("left_id", pa.string()), ("right_id", pa.string()), ("match_probability", pa.float64())])


def _edges(scored: pa.Table | None) -> pa.Table:
    if scored is None:
        return _EDGES.empty_table()
    return scored.select(_EDGES.names).cast(_EDGES)


def _array(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks()


def _positions(ids: pa.ChunkedArray, wanted: pa.Array) -> set[int]:
    """The rows of these record ids."""
    where = pc.index_in(ids, value_set=wanted)
    return set(pc.indices_nonzero(pc.is_valid(where)).to_pylist())


def _open_pairs() -> list[dict[str, Any]]:
    """Every pair still waiting for a decision, as its row (ids as text)."""
    return [
        {
            **row,
            "id": str(row["id"]),
            "left_id": str(row["left_id"]),
            "right_id": str(row["right_id"]),
            "model_id": str(row["model_id"]),
            "run_id": str(row["run_id"]),
        }
        for row in ReviewPair.objects.filter(status__in=OPEN).values(*PAIR_FIELDS)
    ]


def _decided() -> dict[tuple[str, str], str]:
    """The pairs reviewers have decided: a rejected pair never links, an accepted one does."""
    found = ReviewPair.objects.filter(status__in=["accepted", "rejected"]).values_list("left_id", "right_id", "status")
    return {(str(left), str(right)): status for left, right, status in found}


def _reasons(
    scored: pa.Table, items: Iterable[resolve.ReviewItem], trained: link_model.TrainedModel
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The model's reasons for each pair queued, from its comparison columns, in words."""
    wanted = {(item.left_id, item.right_id) for item in items}
    if not wanted or not scored.num_rows:
        return {}
    keys = pc.binary_join_element_wise(scored.column("left_id"), scored.column("right_id"), "|")
    rows = scored.filter(pc.is_in(keys, value_set=pa.array([f"{a}|{b}" for a, b in wanted], pa.string())))
    return {
        (row["left_id"], row["right_id"]): [dataclasses.asdict(r) for r in explain.reasons(row, trained)]
        for row in rows.to_pylist()
    }
