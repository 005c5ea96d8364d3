"""Loading an agency feed's files into the operational store: checked first, then written all or nothing — or,
with a quarantine folder, the good rows written and the bad ones set aside with their reasons — in one
transaction with its audit row.

    result = load_feed(actor=SystemActor("command line"), kind="police", paths=[Path("police.csv")])
    result.errors        # FILE:LINE:FIELD problems; with any (and no quarantine) nothing was written
    result.inserted, result.updated, result.unchanged

Each row is compared with what is stored by a hash of its values, so the same files loaded again write nothing,
a corrected re-send replaces rows by their source keys, and a later year's return loads on top of an earlier one.
Every write goes through `continuum.bulk` (COPY on PostgreSQL, executemany on SQLite); what is stored is read
with one streaming query per table. Attendance marks are checked and landed as Parquet by
`continuum.signals.feeds.marks`; only pupils and their termly summaries come here.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import time
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField
from django.utils import timezone

from continuum import bulk
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.identifiers import nhs_number_is_valid, nhs_number_normalise, postcode_normalise, upn_is_valid
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.check import check_feed
from continuum.signals.feeds.quarantine import QuarantineFailed, write_quarantine
from continuum.signals.feeds.spec import CheckResult, Feed, FeedTable, Problem, Progress, Row, SourceFile
from continuum.signals.models import AttendanceTerm, FeedLoad, SignalEvent, SourcePerson

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ATTENDANCE", "FeedLoadError", "LoadResult", "csv_files", "load_feed", "load_feed_folder"]

ATTENDANCE = "attendance"  # the one feed checked and landed as Parquet (marks), summarised here by term

# The identity details a source person carries, as SourcePerson's fields (the Person mapping's names).
DETAILS = ("given_name", "family_name", "date_of_birth", "sex", "postcode", "ethnicity", "upn", "nhs_number")
IDENTITY = (*DETAILS, "upn_usable", "nhs_number_usable", "school_urn")
PEOPLE_FIELDS = ["id", "feed", "ref", *IDENTITY, "detail", "row_hash", "first_load_id", "last_load_id"]
EVENT_FIELDS = [
    "id",
    "feed",
    "table",
    "key",
    "source_person_id",
    "kind",
    "occurred_on",
    "ended_on",
    "detail",
    "row_hash",
    "load_id",
]
TERM_COUNTS = ("possible", "present", "authorised", "unauthorised", "not_counted")
TERM_FIELDS = ["id", "source_person_id", "school_urn", "term_start", "term", *TERM_COUNTS, "weeks", "row_hash"]
LOAD_FIELDS = [
    "id",
    "feed",
    "started_at",
    "finished_at",
    "loaded_by_id",
    "loaded_by_name",
    "files",
    "inserted",
    "updated",
    "unchanged",
    "warnings",
    "quarantined",
]
MAX_LENGTH = {f.name: f.max_length or 0 for f in SourcePerson._meta.concrete_fields if isinstance(f, CharField)}
STREAM = 2000  # rows a streaming read fetches at a time


class FeedLoadError(Exception):
    """A load that cannot start (an unknown feed, a quarantine folder that cannot be written): one line."""


@dataclass
class LoadResult:
    """What one load did, totalled over all its files. `load_id` is None when nothing was loaded (errors)."""

    feed: str
    files: list[SourceFile] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    quarantined: int = 0  # rows set aside in the quarantine folder
    quarantine_files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    load_id: uuid.UUID | None = None

    @property
    def refused(self) -> bool:
        return self.load_id is None


def csv_files(folder: Path) -> list[Path]:
    """The CSV files in a folder (an SSDA903 or CIN return's tables), in name order: a later year's file, named
    by its year as councils name them, comes after an earlier one's and replaces its rows with the same key."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())


def load_feed(
    *,
    actor: Actor,
    kind: str,
    paths: Sequence[Path],
    names: Sequence[str] | None = None,
    quarantine: Path | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Check every file of one load of a feed, then load them together or not at all.

    Any error and no `quarantine`: nothing is written from any file, the refusal is audited, and the result
    carries the errors. With `quarantine`, the rejected rows are written there with their reasons and the rest
    load (a file that could not be read at all still stops the load: it has no rows to set aside). `names` are
    the files as the caller named them, shown in problems; by default the paths as given.
    """
    clock = time.perf_counter()
    started = timezone.now()
    feed = FEEDS.get(kind)
    if feed is None:
        raise FeedLoadError(f"unknown feed {kind!r}: choose one of {', '.join(FEEDS)}")
    paths = [Path(p) for p in paths]
    names = [str(p) for p in paths] if names is None else [str(n) for n in names]
    if kind == ATTENDANCE:
        result = _load_attendance(actor, feed, paths, names, quarantine, progress, started)
    else:
        result = _load_tables(actor, feed, paths, names, quarantine, progress, started)
    result.seconds = time.perf_counter() - clock
    return result


def load_feed_folder(*, actor: Actor, directory: Path, progress: Progress | None = None) -> dict[str, LoadResult]:
    """Load every feed a folder holds as the synthetic county writes them (`<kind>.csv`, or `<kind>/` with the
    tables of an SSDA903 or CIN return), each as its own load. Feeds not in the folder are left out, and so are
    files with a header and no rows (a small county may have no youth justice outcomes: from a council, such a
    file is an error)."""
    results: dict[str, LoadResult] = {}
    for kind in FEEDS:
        single, folder = directory / f"{kind}.csv", directory / kind
        found = [single] if single.is_file() else csv_files(folder) if folder.is_dir() else []
        paths = [path for path in found if _has_rows(path)]
        if not paths:
            continue

        def step(stage: str, done: int, total: int, kind: str = kind) -> None:
            if progress:
                progress(f"{kind}: {stage}", done, total)

        results[kind] = load_feed(actor=actor, kind=kind, paths=paths, progress=step)
    if progress:
        progress("done", len(results), len(results))
    return results


def _has_rows(path: Path) -> bool:
    """Whether a CSV file has a line after its header."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        filled = (line for line in lines if line.strip())
        return next(filled, None) is not None and next(filled, None) is not None


# --- Checking, refusing, quarantining ---------------------------------------------------------------------------


def _result(feed: Feed, checked: CheckResult) -> LoadResult:
    return LoadResult(feed=feed.kind, files=list(checked.files), errors=checked.errors, warnings=checked.warnings)


def _loadable(checked: CheckResult, quarantine: Path | None) -> bool:
    """No errors; or a quarantine, and every error in a row it will hold. A file with problems of its own (empty,
    unreadable, a missing column, a table of no known shape) has no rows to set aside: it stops the load."""
    if not checked.errors:
        return True
    whole_files = [p for f in checked.files for p in f.problems if not p.warning]
    return quarantine is not None and not whole_files


def _refuse(actor: Actor, feed: Feed, checked: CheckResult) -> None:
    """Audit a load refused for its errors, in its own transaction (nothing else is written)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=Subject("feed", feed.kind),
            event="signals.feed_refused",
            purpose="Agency feed refused: it has errors",
            detail={
                "feed": feed.kind,
                "files": _files(checked.files),
                "errors": len(checked.errors),
                "warnings": len(checked.warnings),
            },
        )


def _quarantine(directory: Path | None, checked: CheckResult, result: LoadResult) -> None:
    if directory is None or not checked.rejected:
        return
    try:
        # Attendance's CheckedMarks has what the quarantine reads (files, rejected), as Checked does.
        result.quarantine_files = write_quarantine(directory, checked)
    except QuarantineFailed as exc:
        raise FeedLoadError(f"{exc}; nothing was loaded") from None
    result.quarantined = len(checked.rejected)


def _files(files: Iterable[SourceFile]) -> list[dict[str, Any]]:
    return [{"name": f.name, "table": f.table, "sha256": f.sha256, "rows": f.rows} for f in files]


# --- Feeds of tables: people and events -------------------------------------------------------------------------


def _load_tables(
    actor: Actor,
    feed: Feed,
    paths: list[Path],
    names: list[str],
    quarantine: Path | None,
    progress: Progress | None,
    started: datetime.datetime,
) -> LoadResult:
    checked = check_feed(feed, paths, names=names, progress=progress)
    result = _result(feed, checked)
    if not _loadable(checked, quarantine):
        _refuse(actor, feed, checked)
        return result
    _quarantine(quarantine, checked, result)
    rows = _latest(checked.rows)
    with bulk.writing():  # one transaction; on SQLite references checked once per table, at the end
        _lock(feed.kind)
        load = _Load(actor, feed.kind, started, result)
        people = _People(feed.kind, load.id)
        events = _Events(feed.kind, load.id)
        tables = {t.name: t for t in feed.tables}
        for i, row in enumerate(rows):
            table = tables[row.table]
            person = people.add(table, row)
            if table.event is None:
                _count(result, people.record(person, table, row))
            else:
                _count(result, events.add(table, row, person))
            if progress and i % 10000 == 0:
                progress("comparing with what is stored", i, len(rows))
        load.begin()
        if progress:
            progress("writing people", 0, 2)
        people.write()
        if progress:
            progress("writing events", 1, 2)
        events.write()
        load.finish(actor)
    return result


def _latest(rows: Sequence[Row]) -> list[Row]:
    """One row per table and source key, the last one read (a later file replaces an earlier one's row)."""
    latest: dict[tuple[str, tuple[str, ...]], Row] = {}
    for row in rows:
        latest.pop((row.table, row.key), None)
        latest[(row.table, row.key)] = row
    return list(latest.values())


def _count(result: LoadResult, outcome: str) -> None:
    setattr(result, outcome, getattr(result, outcome) + 1)


@dataclass
class _Person:
    id: uuid.UUID
    ref: str
    identity: dict[str, Any]
    detail: dict[str, Any]
    stored_hash: str | None  # None: new in this load


class _People:
    """The feed's source people: what is stored (one streaming read), merged with what this load says of them.

    A blank cell never erases a known detail, so a table that carries only the person's ref (SSDA903 episodes)
    creates the person if missing and changes nothing otherwise. Only people whose details changed are written."""

    def __init__(self, feed: str, load_id: uuid.UUID) -> None:
        self.feed = feed
        self.load_id = load_id
        self.people: dict[str, _Person] = {}
        self.columns: dict[str, list[tuple[str, str]]] = {}
        stored = SourcePerson.objects.filter(feed=feed).values_list("ref", "id", *IDENTITY, "detail", "row_hash")
        for ref, pk, *identity, detail, row_hash in stored.iterator(chunk_size=STREAM):
            self.people[ref] = _Person(pk, ref, dict(zip(IDENTITY, identity, strict=True)), detail or {}, row_hash)

    def get(self, ref: str) -> _Person:
        person = self.people.get(ref)
        if person is None:
            blank = {name: False if name.endswith("_usable") else None for name in IDENTITY}
            person = self.people[ref] = _Person(uuid.uuid4(), ref, blank, {}, None)
        return person

    def add(self, table: FeedTable, row: Row) -> _Person:
        """The person a row is about, with the identity details it carries."""
        mapping = table.person
        person = self.get(str(row.values[mapping.ref]))
        values = row.values
        for name, column in self._columns(table):
            value = values.get(column)
            if value is None or value == "":
                continue
            if name == "sex":
                value = mapping.sex_codes.get(value, value)
            _set(person, name, value, unusable=column in row.unusable)
        return person

    def _columns(self, table: FeedTable) -> list[tuple[str, str]]:
        """(detail, column) for each identity detail the table carries."""
        columns = self.columns.get(table.name)
        if columns is None:
            pairs = ((name, getattr(table.person, name)) for name in (*DETAILS, "school_urn"))
            columns = self.columns[table.name] = [(name, column) for name, column in pairs if column]
        return columns

    def merge(self, ref: str, identity: dict[str, Any]) -> _Person:
        """A person described by a table of pupils (attendance: upn, upn_usable, names, date of birth, school): its
        non-blank details."""
        person = self.get(ref)
        usable = identity.get("upn_usable", True)
        for name in (*DETAILS, "school_urn"):
            value = identity.get(name)
            if value is not None and value != "":
                _set(person, name, value, unusable=name == "upn" and not usable)
        return person

    def record(self, person: _Person, table: FeedTable, row: Row) -> str:
        """Keep a row of a table about the person alone (no event) in the person's detail; how it compares."""
        detail = _detail(table, row)
        before = person.detail.get(table.name)
        person.detail[table.name] = detail
        if before is None:
            return "inserted"
        return "unchanged" if _hash(before) == _hash(detail) else "updated"

    def write(self) -> int:
        def rows() -> Iterable[tuple[Any, ...]]:
            for person in self.people.values():
                identity = _stored(person.identity)
                row_hash = _hash([identity, person.detail])
                if row_hash == person.stored_hash:
                    continue
                yield (
                    person.id,
                    self.feed,
                    person.ref,
                    *identity,
                    person.detail,
                    row_hash,
                    self.load_id,
                    self.load_id,
                )

        update = [f for f in PEOPLE_FIELDS if f not in ("id", "feed", "ref", "first_load_id")]
        return bulk.upsert(SourcePerson, rows(), fields=PEOPLE_FIELDS, unique=["feed", "ref"], update=update)


def _set(person: _Person, name: str, value: Any, *, unusable: bool) -> None:
    """Set one identity detail as the store keeps it; an identifier is usable for linkage only when present, not
    named unusable by the checker, and valid (an SSDA903 "UN1" code says there is no UPN)."""
    if name == "upn":
        value = str(value).strip().upper()
        person.identity["upn_usable"] = not unusable and upn_is_valid(value)
    elif name == "nhs_number":
        value = nhs_number_normalise(str(value))
        person.identity["nhs_number_usable"] = not unusable and nhs_number_is_valid(value)
    elif name == "postcode":
        value = postcode_normalise(str(value))
    if isinstance(value, str) and len(value) > MAX_LENGTH[name]:
        # Longer than any valid value (the checker let it through as a warning): kept in the event's detail only.
        if name in ("upn", "nhs_number"):
            person.identity[f"{name}_usable"] = False
        return
    person.identity[name] = value


def _blank(name: str, value: Any) -> Any:
    """A missing text detail is stored as "" (the model's blank), a missing date as NULL."""
    if value is None and name != "date_of_birth":
        return ""
    return value


def _stored(identity: dict[str, Any]) -> list[Any]:
    return [_blank(name, identity[name]) for name in IDENTITY]


class _Events:
    """The feed's events: what is stored (one streaming read of each key's hash), and the rows of this load."""

    def __init__(self, feed: str, load_id: uuid.UUID) -> None:
        self.feed = feed
        self.load_id = load_id
        stored = SignalEvent.objects.filter(feed=feed).values_list("table", "key", "id", "row_hash")
        self.stored = {(t, k): (pk, h) for t, k, pk, h in stored.iterator(chunk_size=STREAM)}
        self.rows: list[tuple[Any, ...]] = []

    def add(self, table: FeedTable, row: Row, person: _Person) -> str:
        event = table.event
        if event is None:  # the caller keeps these rows on the person
            raise ValueError(f"{table.name} rows are not events")
        key = "|".join(row.key)
        occurred = _day(row.values.get(event.occurred))
        if occurred is None:  # the catalogue makes an event's day required: the checker refused the row
            raise ValueError(f"{row.file}:{row.line}: {event.occurred} is blank")
        ended = _day(row.values.get(event.ended)) if event.ended else None
        detail = _detail(table, row)
        row_hash = _hash([event.kind, occurred, ended, person.ref, detail])
        pk, stored_hash = self.stored.get((table.name, key), (None, None))
        if stored_hash == row_hash:
            return "unchanged"
        self.rows.append(
            (pk or uuid.uuid4(), self.feed, table.name, key, person.id, event.kind, occurred, ended, detail, row_hash)
        )
        return "inserted" if pk is None else "updated"

    def write(self) -> int:
        update = [f for f in EVENT_FIELDS if f not in ("id", "feed", "table", "key")]
        rows = ((*row, self.load_id) for row in self.rows)
        return bulk.upsert(SignalEvent, rows, fields=EVENT_FIELDS, unique=["feed", "table", "key"], update=update)


def _detail(table: FeedTable, row: Row) -> dict[str, Any]:
    """A row's values as JSON (blank cells left out), and each code's meaning alongside."""
    values: dict[str, Any] = {}
    meanings: dict[str, Any] = {}
    for column in table.columns:
        value = row.values.get(column.name)
        if value is None or value == "" or value == ():
            continue
        if isinstance(value, tuple):
            value = list(value)
        values[column.name] = value.isoformat() if isinstance(value, datetime.date | datetime.time) else value
        if column.codes is not None and isinstance(value, list):
            meanings[column.name] = [column.codes.get(v, "") for v in value]
        elif column.codes is not None and str(value) in column.codes:  # (a UPN column has codes for "no UPN")
            meanings[column.name] = column.codes[str(value)]
    return {"values": values, "meanings": meanings}


def _day(value: Any) -> datetime.date | None:
    """The day of a date, or of a date-time as its source wrote it (its own local time)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times in ISO 8601, tuples as lists."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _iso(value: Any) -> str:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a value a feed holds")


def _hash(value: Any) -> str:
    """40 hex digits that change when the value does (compared with the row_hash stored beside the row). Dates
    hash as their ISO text, so a value hashes the same before it is stored as JSON and after it is read back."""
    return hashlib.blake2b(_ENCODER.encode(value).encode(), digest_size=20).hexdigest()


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)


def _lock(feed: str) -> None:
    """One load of a feed at a time, so that what this load compared with is still what is stored when it writes.
    (SQLite's write transactions already take the database's one write lock when they begin.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"signals.feed:{feed}".encode())])


class _Load:
    """The FeedLoad row of a load and its audit row, written inside the load's transaction."""

    def __init__(self, actor: Actor, feed: str, started: datetime.datetime, result: LoadResult) -> None:
        self.id = uuid.uuid4()
        self.feed = feed
        self.started = started
        self.result = result
        self.actor_id = actor.pk
        self.actor_name = str(getattr(actor, "username", ""))[:200]

    def _row(self, finished: datetime.datetime) -> tuple[Any, ...]:
        r = self.result
        return (
            self.id,
            self.feed,
            self.started,
            finished,
            self.actor_id,
            self.actor_name,
            _files(r.files),
            r.inserted,
            r.updated,
            r.unchanged,
            len(r.warnings),
            r.quarantined,
        )

    def begin(self) -> None:
        bulk.insert(FeedLoad, [self._row(self.started)], fields=LOAD_FIELDS)

    def finish(self, actor: Actor) -> None:
        """Set the finishing time and the counts, and audit the load (in the caller's transaction)."""
        bulk.upsert(FeedLoad, [self._row(timezone.now())], fields=LOAD_FIELDS, unique=["id"], update=LOAD_FIELDS[3:])
        r = self.result
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=Subject("feed_load", str(self.id)),
            event="signals.feed_load",
            purpose="Agency feed load",
            detail={
                "feed": self.feed,
                "files": _files(r.files),
                "inserted": r.inserted,
                "updated": r.updated,
                "unchanged": r.unchanged,
                "warnings": len(r.warnings),
                "quarantined": r.quarantined,
            },
        )
        r.load_id = self.id


# --- Attendance: marks as Parquet, pupils and terms here --------------------------------------------------------


def _load_attendance(
    actor: Actor,
    feed: Feed,
    paths: list[Path],
    names: list[str],
    quarantine: Path | None,
    progress: Progress | None,
    started: datetime.datetime,
) -> LoadResult:
    from continuum.signals.feeds.marks import StoreLocked, check_marks, prepare_marks  # DuckDB: only when needed

    store = Path(settings.FEEDS_DIR)
    work = store / ".work" / uuid.uuid4().hex  # staged Parquet, beside the store so that landing it is a rename
    work.mkdir(parents=True)
    landing = False  # once the transaction holds the marks' landing, the work folder goes with it
    try:
        checked = check_marks(paths, names=names, work=work, progress=progress)
        result = _result(feed, checked)
        if not _loadable(checked, quarantine):
            _refuse(actor, feed, checked)
            return result
        _quarantine(quarantine, checked, result)
        try:
            prepared = prepare_marks(checked, store=store / ATTENDANCE, progress=progress)
        except StoreLocked as exc:
            raise FeedLoadError(f"{exc}; nothing was loaded") from None
        result.inserted, result.updated, result.unchanged = prepared.inserted, prepared.updated, prepared.unchanged
        try:
            with bulk.writing():
                _lock(feed.kind)
                load = _Load(actor, feed.kind, started, result)
                load.begin()
                people = _People(feed.kind, load.id)
                for pupil in prepared.pupils.to_pylist():
                    people.merge(pupil["upn"], pupil)
                for term_upn in set(prepared.terms.column("upn").to_pylist()):
                    people.get(term_upn)  # a pupil the marks know but this load did not describe
                if progress:
                    progress("writing pupils", 0, 2)
                people.write()
                if progress:
                    progress("writing terms", 1, 2)
                _write_terms(people, prepared.terms)
                load.finish(actor)
                # The marks land when the rows that summarise them are committed (and the work folder goes then).
                transaction.on_commit(lambda: _land(prepared, work))
        except BaseException:
            prepared.discard()
            raise
        landing = True
    finally:
        if not landing:
            shutil.rmtree(work, ignore_errors=True)
    return result


def _land(prepared: Any, work: Path) -> None:
    try:
        prepared.commit()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_terms(people: _People, terms: pa.Table) -> int:
    """Each pupil's term at each school, written where its counts or weeks changed."""
    starts = set(terms.column("term_start").to_pylist()) if terms.num_rows else set()
    stored_terms = AttendanceTerm.objects.filter(term_start__in=starts).values_list(
        "source_person_id", "school_urn", "term_start", "id", "row_hash"
    )
    stored = {(p, u, s): (pk, h) for p, u, s, pk, h in stored_terms.iterator(chunk_size=STREAM)}

    def rows() -> Iterable[tuple[Any, ...]]:
        # Column by column: at county scale there are hundreds of thousands of terms.
        names = ("upn", "school_urn", "term_start", "term", *TERM_COUNTS, "weeks_json", "digest")
        columns = [terms.column(name).to_pylist() for name in names]
        for upn, urn, start, term, *counts, weeks, row_hash in zip(*columns, strict=True):
            person = people.get(upn)
            pk, stored_hash = stored.get((person.id, urn, start), (None, None))
            if stored_hash == row_hash:
                continue
            yield (pk or uuid.uuid4(), person.id, urn, start, term, *counts, bulk.JsonText(weeks), row_hash)

    update = ["term", *TERM_COUNTS, "weeks", "row_hash"]
    unique = ["source_person_id", "school_urn", "term_start"]
    return bulk.upsert(AttendanceTerm, rows(), fields=TERM_FIELDS, unique=unique, update=update)
