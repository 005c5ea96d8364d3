"""The attendance store: checked marks merged into Parquet by school and academic year, with each pupil's terms
recomputed from every stored mark, and nothing changed until the caller commits. The layout is described in
continuum.signals.feeds.marks."""

# ruff: noqa: S608  (SQL is built from this module's constants, column positions and paths quoted by marks_db.literal;
#                    no cell of a file is ever put into a query)

from __future__ import annotations

import datetime
import json
import os
import shutil
import socket
import uuid
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from dateutil.easter import easter

from continuum.signals.feeds import marks_db as db
from continuum.signals.feeds.marks_check import CheckedMarks
from continuum.signals.feeds.spec import Progress

MARKS = "marks.parquet"
PUPILS = "pupils.parquet"
LOCK = ".lock"

WEEK = pa.struct(
    [
        ("monday", pa.string()),
        ("possible", pa.int32()),
        ("present", pa.int32()),
        ("authorised", pa.int32()),
        ("unauthorised", pa.int32()),
    ]
)
PUPILS_SCHEMA = pa.schema(
    [
        ("upn", pa.string()),
        ("upn_usable", pa.bool_()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("school_urn", pa.string()),
    ]
)
TERMS_SCHEMA = pa.schema(
    [
        ("upn", pa.string()),
        ("school_urn", pa.string()),
        ("term", pa.string()),
        ("term_start", pa.date32()),
        ("possible", pa.int32()),
        ("present", pa.int32()),
        ("authorised", pa.int32()),
        ("unauthorised", pa.int32()),
        ("not_counted", pa.int32()),
        ("weeks", pa.list_(WEEK)),
        # The weeks as JSON, each [monday, possible, present, authorised, unauthorised] (AttendanceTerm.weeks), and
        # a digest of the term's counts and weeks, so the loader writes only terms that changed without a Python
        # pass over every week.
        ("weeks_json", pa.string()),
        ("digest", pa.string()),
    ]
)
_SLOT = "((date - DATE '1970-01-01') * 2 + (session = 'PM')::INTEGER)"  # a session's place in time: later is larger


class StoreLocked(Exception):
    """Another load is writing the attendance store."""


@dataclass
class PreparedMarks:
    """Marks merged into new store files, not yet in place: `commit()` puts them there (after the caller's database
    transaction has committed), `discard()` throws them away. Until one of them is called the store is locked.

    `inserted`, `updated` and `unchanged` count marks by key (school_urn, upn, date, session) against what the store
    held. `pupils`: one row per UPN in the load, with the identity its latest-dated stored mark gives. `terms`: for
    every (upn, school_urn, term) the load touched, the term's counts from every stored mark, and its weeks; each
    week (from its Monday) is {monday, possible, present, authorised, unauthorised}, so `list(week.values())` is the
    week as AttendanceTerm.weeks holds it."""

    inserted: int
    updated: int
    unchanged: int
    pupils: pa.Table
    terms: pa.Table
    _store: Path = field(repr=False)
    _pending: Path | None = field(repr=False, default=None)
    _partitions: list[tuple[str, int]] = field(repr=False, default_factory=list)  # those with a new file
    _lock: _Lock | None = field(repr=False, default=None)
    _state: str = field(repr=False, default="prepared")

    def commit(self) -> None:
        """Put the new files in place, one partition at a time (each by a rename, which is atomic), then the pupils'
        summary; then unlock the store."""
        self._finish("committed")
        if self._pending is None:
            return
        marks = self._store / "marks"
        for urn, year in self._partitions:
            part = _partition(urn, year)
            (marks / part).mkdir(parents=True, exist_ok=True)
            os.replace(self._pending / "marks" / part / MARKS, marks / part / MARKS)
        os.replace(self._pending / PUPILS, self._store / PUPILS)
        self._release()

    def discard(self) -> None:
        """Leave the store as it was, and unlock it."""
        self._finish("discarded")
        self._release()

    def _finish(self, state: str) -> None:
        if self._state != "prepared":
            raise RuntimeError(f"these marks were already {self._state}")
        self._state = state

    def _release(self) -> None:
        if self._pending is not None:
            shutil.rmtree(self._pending, ignore_errors=True)
        if self._lock is not None:
            self._lock.release()


def prepare_marks(checked: CheckedMarks, *, store: Path, progress: Progress | None = None) -> PreparedMarks:
    """Merge the checked marks with the store's (a later file's mark, and then the load's, replaces a stored one
    with the same key), count what changes, and compute the touched pupils and terms. The new files wait under
    `store` until commit(); the store is locked from now until commit() or discard()."""
    if checked.staged is None:
        return PreparedMarks(0, 0, 0, PUPILS_SCHEMA.empty_table(), TERMS_SCHEMA.empty_table(), store)
    store.mkdir(parents=True, exist_ok=True)
    lock = _Lock(store / LOCK)
    lock.acquire()
    pending = store / f".pending-{uuid.uuid4().hex}"
    try:
        pending.mkdir()
        with closing(db.connect(pending / "duckdb")) as con:
            merge = _Merge(con, checked.staged, store, pending, progress)
            prepared = merge.run()
        shutil.rmtree(pending / "duckdb", ignore_errors=True)
    except BaseException:
        shutil.rmtree(pending, ignore_errors=True)
        lock.release()
        raise
    prepared._pending, prepared._lock = pending, lock
    return prepared


def read_marks(store: Path) -> str:
    """DuckDB SQL for every stored mark: school_urn, academic_year, upn, date, session, code and category (present,
    authorised, unauthorised or not_counted, as the DfE counts the code). Filters on school_urn and academic_year
    read only those partitions' files. Who each pupil is: store/pupils.parquet."""
    if not any((store / "marks").glob(f"school_urn=*/academic_year=*/{MARKS}")):
        return (
            "SELECT NULL::VARCHAR AS school_urn, NULL::INTEGER AS academic_year, NULL::VARCHAR AS upn, "
            "NULL::DATE AS date, NULL::VARCHAR AS session, NULL::VARCHAR AS code, NULL::VARCHAR AS category WHERE false"
        )
    return f"""
        SELECT m.school_urn, m.academic_year, m.upn, m.date, m.session, m.code, categories.category
        FROM {_stored(store / "marks")} AS m JOIN {db.categories()} USING (code)"""


def _partition(urn: str, year: int) -> Path:
    return Path(f"school_urn={urn}") / f"academic_year={year}"


def _stored(folder: Path) -> str:
    files = folder / "school_urn=*" / "academic_year=*" / MARKS
    return f"read_parquet({db.literal(files)}, hive_partitioning = true, hive_types = {db.HIVE_TYPES})"


class _Merge:
    """One preparation: the staged marks by partition, each partition's new file, and what they add up to."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        staged: Path,
        store: Path,
        pending: Path,
        progress: Progress | None,
    ) -> None:
        self.con, self.staged, self.store, self.pending, self.progress = con, staged, store, pending, progress
        self.inserted = self.updated = self.unchanged = 0
        self.merged = False  # whether any partition held marks before (so not every stored mark is the load's)
        self.rewritten: list[tuple[str, int]] = []  # partitions with a new file (the rest: no mark new or changed)
        self.final: list[Path] = []  # each partition's file once committed: new, or as it is
        self.files = sorted((int(path.stem[1:]), path) for path in staged.glob("f*.parquet"))

    def run(self) -> PreparedMarks:
        sent = self.scatter()
        partitions = sorted(sent)
        for done, (urn, year) in enumerate(partitions, start=1):
            self.partition(urn, year, sent[urn, year])
            if self.progress:
                self.progress("merging attendance marks", done, len(partitions))
        shutil.rmtree(self.pending / "sent")
        self.con.register("calendar", _calendar(sorted({year for _, year in partitions})))
        rewritten = pa.table(
            {"school_urn": [u for u, _ in self.rewritten], "academic_year": [y for _, y in self.rewritten]}
        )
        self.con.register("rewritten", rewritten)
        self.summarise_pupils()
        return PreparedMarks(
            self.inserted,
            self.updated,
            self.unchanged,
            self.pupils(),
            self.terms(),
            self.store,
            _partitions=self.rewritten,
        )

    def scatter(self) -> dict[tuple[str, int], list[Path]]:
        """The load's marks split by school and academic year (with each one's file, when there are several): the
        Parquet files of each partition."""
        several = len(self.files) > 1
        # Only what a mark is: who the pupil is goes to the pupils' summary. The codes as enums, which Parquet
        # writes as small dictionary codes.
        parts = " UNION ALL ".join(
            f"SELECT upn, date, session::session_t AS session, code::code_t AS code, school_urn, "
            f"{db.academic_year('date')} AS academic_year{f', {index} AS priority' if several else ''} "
            f"FROM read_parquet({db.literal(path)})"
            for index, path in self.files
        )
        partitions = self.con.execute(f"SELECT count(DISTINCT (school_urn, academic_year)) FROM ({parts})").fetchall()
        # One file per partition: DuckDB starts another when it must close one to open more than this many.
        self.con.execute(f"SET partitioned_write_max_open_files = {max(partitions[0][0] + 1, db.OPEN_FILES)}")
        # Nothing reads a partition's marks in the order they came (a mark is found by its key), so the split need
        # not keep the load's order: without it DuckDB writes the partitions from every thread, not one.
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute(
                f"COPY ({parts}) TO {db.literal(self.pending / 'sent')} "
                "(FORMAT parquet, PARTITION_BY (school_urn, academic_year))"
            )
        finally:
            self.con.execute("SET preserve_insertion_order = true")
        sent: dict[tuple[str, int], list[Path]] = defaultdict(list)
        for path in sorted((self.pending / "sent").glob("school_urn=*/academic_year=*/*.parquet")):
            urn = path.parent.parent.name.removeprefix("school_urn=")
            sent[urn, int(path.parent.name.removeprefix("academic_year="))].append(path)
        return sent

    def partition(self, urn: str, year: int, sent: list[Path]) -> None:
        """The partition's new file, when the load changes it: the load's marks, and the stored marks it does not
        send again."""
        old = self.store / "marks" / _partition(urn, year) / MARKS
        target = self.pending / "marks" / _partition(urn, year) / MARKS
        target.parent.mkdir(parents=True)
        several = len(self.files) > 1
        if not old.exists() and len(sent) == 1 and not several:
            sent[0].rename(target)  # the usual first load: the partition is the load's marks
            self.inserted += pq.ParquetFile(target).metadata.num_rows
            self.keep(urn, year, target)
            return
        con = self.con
        files = f"read_parquet([{', '.join(map(db.literal, sent))}])"
        if several:  # a later file's mark replaces an earlier one's
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE sent AS SELECT * EXCLUDE (priority) FROM {files}
                QUALIFY row_number() OVER (PARTITION BY upn, date, session ORDER BY priority DESC) = 1""")
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW sent AS SELECT * FROM {files}")
        if not old.exists():
            self.inserted += con.execute("SELECT count(*) FROM sent").fetchall()[0][0]
            con.execute(
                f"COPY (SELECT * FROM sent ORDER BY upn, date, session) TO {db.literal(target)} (FORMAT parquet)"
            )
            self.keep(urn, year, target)
            return
        self.merged = True
        stored = f"read_parquet({db.literal(old)})"
        inserted, updated, unchanged = con.execute(f"""
            SELECT count(*) FILTER (WHERE o.upn IS NULL), count(*) FILTER (WHERE o.code <> s.code),
                   count(*) FILTER (WHERE o.code = s.code)
            FROM sent AS s LEFT JOIN {stored} AS o USING (upn, date, session)""").fetchall()[0]
        self.inserted += inserted
        self.updated += updated
        self.unchanged += unchanged
        if not inserted and not updated:
            target.parent.rmdir()
            self.final.append(old)  # every mark sent is stored as it is: the file stays
            return
        con.execute(f"""
            COPY (SELECT * FROM sent
                  UNION ALL BY NAME SELECT o.* FROM {stored} AS o ANTI JOIN sent USING (upn, date, session)
                  ORDER BY upn, date, session)
            TO {db.literal(target)} (FORMAT parquet)""")
        self.keep(urn, year, target)

    def keep(self, urn: str, year: int, target: Path) -> None:
        self.rewritten.append((urn, year))
        self.final.append(target)

    def summarise_pupils(self) -> None:
        """The store's pupils' summary, new: for each pupil, school and academic year, the identity their latest
        mark there came with. The load's identity replaces the stored one where its latest mark is as late or later
        (a mark at the same session replaced the stored one); an earlier one leaves it, as a later stored mark
        stands."""
        slot = f"{_SLOT} * 10000 + file"  # a later file's identity for the same session wins
        sent = " UNION ALL ".join(
            f"SELECT *, {index} AS file FROM read_parquet({db.literal(path)})" for index, path in self.files
        )
        stored = ""
        if (self.store / PUPILS).exists():
            stored = f"""UNION ALL
                SELECT upn, school_urn, academic_year, struct_pack(given_name, family_name, date_of_birth), last, 0
                FROM read_parquet({db.literal(self.store / PUPILS)})"""
        self.con.execute(f"""
            COPY (
                SELECT upn, school_urn, academic_year, who.given_name, who.family_name, who.date_of_birth, last
                FROM (SELECT upn, school_urn, academic_year, arg_max(who, (last, sent)) AS who, max(last) AS last
                      FROM (SELECT upn, school_urn, {db.academic_year("date")} AS academic_year,
                                   arg_max(struct_pack(given_name, family_name, date_of_birth), {slot}) AS who,
                                   max({_SLOT}) AS last, 1 AS sent
                            FROM ({sent}) GROUP BY upn, school_urn, academic_year
                            {stored}) AS identities
                      GROUP BY upn, school_urn, academic_year)
                ORDER BY upn, school_urn, academic_year)
            TO {db.literal(self.pending / PUPILS)} (FORMAT parquet)""")

    def staged_marks(self) -> str:
        return f"read_parquet({db.literal(self.staged / 'f*.parquet')})"

    def pupils(self) -> pa.Table:
        """Each UPN the load sent, with the identity of its latest-dated mark anywhere in the store."""
        query = f"""
            SELECT p.upn, coalesce(u.upn_usable, false) AS upn_usable, coalesce(p.who.given_name, '') AS given_name,
                   coalesce(p.who.family_name, '') AS family_name, p.who.date_of_birth AS date_of_birth,
                   p.who.school_urn AS school_urn
            FROM (SELECT upn, arg_max(struct_pack(given_name, family_name, date_of_birth, school_urn),
                                      (last, school_urn)) AS who
                  FROM read_parquet({db.literal(self.pending / PUPILS)})
                  SEMI JOIN (SELECT DISTINCT upn FROM {self.staged_marks()}) AS sent USING (upn)
                  GROUP BY upn) AS p
            LEFT JOIN read_parquet({db.literal(self.staged / "upns.parquet")}) AS u USING (upn)
            ORDER BY p.upn"""
        return self.con.sql(query).to_arrow_table().cast(PUPILS_SCHEMA)

    def terms(self) -> pa.Table:
        """Each (upn, school_urn, term) the load touched, counted the DfE's way from every mark now stored for it:
        possible sessions are all but those not counted; present includes approved educational activity."""
        touched = ""
        if self.merged:  # otherwise every stored mark in these partitions is the load's
            touched = f"""SEMI JOIN (SELECT DISTINCT upn, school_urn, calendar.term_start
                                     FROM {self.staged_marks()} JOIN calendar USING (date)) AS touched
                          USING (upn, school_urn, term_start)"""
        query = f"""
            WITH counted AS (
                SELECT m.upn, m.school_urn, calendar.term, calendar.term_start, calendar.monday, categories.category
                FROM read_parquet([{", ".join(map(db.literal, self.final))}], hive_partitioning = true,
                                  hive_types = {db.HIVE_TYPES}) AS m
                JOIN calendar USING (date) JOIN {db.categories()} USING (code)
            ),
            weekly AS (
                SELECT upn, school_urn, term, term_start, monday,
                       count(*) FILTER (WHERE category <> 'not_counted')::INTEGER AS possible,
                       count(*) FILTER (WHERE category = 'present')::INTEGER AS present,
                       count(*) FILTER (WHERE category = 'authorised')::INTEGER AS authorised,
                       count(*) FILTER (WHERE category = 'unauthorised')::INTEGER AS unauthorised,
                       count(*) FILTER (WHERE category = 'not_counted')::INTEGER AS not_counted
                FROM counted {touched}
                GROUP BY upn, school_urn, term, term_start, monday
            )
            SELECT *, md5(concat_ws('|', term, possible, present, authorised, unauthorised, not_counted,
                                    weeks_json)) AS digest
            FROM (
                SELECT upn, school_urn, term, term_start, sum(possible)::INTEGER AS possible,
                       sum(present)::INTEGER AS present, sum(authorised)::INTEGER AS authorised,
                       sum(unauthorised)::INTEGER AS unauthorised, sum(not_counted)::INTEGER AS not_counted,
                       list({{'monday': strftime(monday, '%Y-%m-%d'), 'possible': possible, 'present': present,
                              'authorised': authorised, 'unauthorised': unauthorised}} ORDER BY monday) AS weeks,
                       '[' || string_agg(json_array(strftime(monday, '%Y-%m-%d'), possible, present, authorised,
                                                    unauthorised)::VARCHAR, ',' ORDER BY monday) || ']' AS weeks_json
                FROM weekly
                GROUP BY upn, school_urn, term, term_start
            )
            ORDER BY upn, school_urn, term_start"""
        return self.con.sql(query).to_arrow_table().cast(TERMS_SCHEMA)


def term_of(day: datetime.date) -> tuple[str, datetime.date]:
    """A school day's term, as the DfE's school census counts attendance, and the day the term starts: autumn from
    1 August to 31 December, spring from 1 January to Easter Sunday, summer from Easter Monday to 31 July."""
    if day.month >= 8:
        return "autumn", datetime.date(day.year, 8, 1)
    sunday = easter(day.year)
    if day <= sunday:
        return "spring", datetime.date(day.year, 1, 1)
    return "summer", sunday + datetime.timedelta(days=1)


def _calendar(years: list[int]) -> pa.Table:
    """Every day of the academic years, with its term, the term's first day and the week's Monday."""
    days: list[datetime.date] = []
    for year in years:
        day, end = datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
        while day <= end:
            days.append(day)
            day += datetime.timedelta(days=1)
    terms = [term_of(day) for day in days]
    return pa.table(
        {
            "date": pa.array(days, pa.date32()),
            "term": [term for term, _ in terms],
            "term_start": pa.array([start for _, start in terms], pa.date32()),
            "monday": pa.array([day - datetime.timedelta(days=day.weekday()) for day in days], pa.date32()),
        }
    )


class _Lock:
    """A lock file: created only if absent (O_EXCL), naming the process holding it; one a dead process left on
    this machine is taken over."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def acquire(self) -> None:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if _gone(holder):
                    self.path.unlink(missing_ok=True)
                    continue
                who = f"process {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}"
                raise StoreLocked(
                    f"another load is writing the attendance store ({who}; lock file {self.path}): wait for it to "
                    "finish, or remove the lock file if that process has stopped"
                ) from None
            with os.fdopen(fd, "w") as handle:
                since = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
                json.dump({"pid": os.getpid(), "host": socket.gethostname(), "since": since}, handle)
            return
        raise StoreLocked(f"the attendance store's lock file {self.path} keeps reappearing")

    def release(self) -> None:
        self.path.unlink(missing_ok=True)

    def _holder(self) -> dict[str, object]:
        try:
            found = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


def _gone(holder: dict[str, object]) -> bool:
    """Whether a lock's holder was a process on this machine that has ended."""
    pid = holder.get("pid")
    if holder.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
