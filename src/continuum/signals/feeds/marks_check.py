"""Checking attendance files: every mark against the contract, with each problem's exact line, in DuckDB.

A county's attendance.csv holds some 70 million marks, so no step goes row by row in Python on the way a clean file
takes. Each file is read by one of three paths, all ending in the same staged Parquet:

1. Fast (a clean file): DuckDB reads the CSV in parallel, types every cell and writes the marks to one Parquet
   file in the file's order (DuckDB keeps a COPY's rows in order), in one pass; a cell that does not type stops the
   pass at once (`error()`). A mark's line is then its row number in that Parquet file plus two (the header, and
   counting from one), which holds when each row is one line: the file's line ends are counted while its checksum is
   taken (in a thread, beside DuckDB) and must come to the header, the rows and any blank lines at the end. (Numbering
   rows in the query itself, with row_number() OVER (), would hold the whole pass to one thread.) Then what needs the
   whole file is checked on the staged marks: names and UPNs once per distinct value, keys for duplicates. Anything
   wrong sends the file on to path 2 or 3.
2. Exact, by DuckDB (a file with wrong cells, a duplicated key or a bad name, whose rows are still one line each):
   the cells are staged as text with their lines; every check then runs in SQL, the bad rows come back to Python
   with their reasons, and the good ones are typed and staged.
3. Exact, by Python (a file whose structure DuckDB's reader refuses or that the line count shows is not one row a
   line: a wrong number of cells, a quoted line break, a blank line, a byte that is not UTF-8): continuum.tables
   reads it, counting lines as the csv module does, into the same text staging as path 2, and the same SQL follows.
"""

# ruff: noqa: S608  (SQL is built from this module's constants, column positions and paths quoted by marks_db.literal;
#                    no cell of a file is ever put into a query)

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from continuum import tables
from continuum.identifiers import upn_problem
from continuum.signals.feeds import marks_db as db
from continuum.signals.feeds.check import MAX_PROBLEMS, file_digest
from continuum.signals.feeds.codes import ATTENDANCE, SESSION
from continuum.signals.feeds.spec import Problem, Progress, Rejected, SourceFile

TABLE = "attendance"
# Bad rows a file may have and still load its good ones with the quarantine: past this the whole file is refused
# (its bad rows would not fit in memory as a list to write out, and so many errors mean the file itself is wrong).
MAX_REJECTED = 100_000
BATCH = 100_000  # rows per batch when Python reads a file (path 3)
_ABORT = "continuum-marks: a cell needs checking row by row"  # the fast path's error(), told from DuckDB's own
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_VISIBLE = tables.text(1 << 62, required=False)  # refuses control characters, with tables' message
_NAME = tables.text(db.NAME_LENGTH, required=False)


@dataclass
class CheckedMarks:
    """Every attendance file of one load, checked. `staged` is a folder of Parquet holding the good marks (None when
    there are none): fNNNN.parquet for each file (NNNN: its place in the load) with the columns upn, given_name,
    family_name, date_of_birth, school_urn, date, session and code, typed; and upns.parquet (upn, upn_usable).
    `staged_marks_sql` reads them as one relation. Nothing has been written to the store; `prepare_marks` does
    that."""

    files: list[SourceFile]
    problems: list[Problem]
    rejected: list[Rejected]
    staged: Path | None
    rows: int  # good marks staged (a mark a later file sends again is counted in both)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def check_marks(
    paths: Sequence[Path],
    *,
    names: Sequence[str] | None = None,
    work: Path,
    progress: Progress | None = None,
) -> CheckedMarks:
    """Check attendance files (the contract's `attendance` feed) and stage their good marks as Parquet under `work`
    (a folder the caller owns; this replaces what an earlier check left there). `names` are the files as the
    caller named them, shown in problems; by default the paths."""
    shown = [str(path) for path in paths] if names is None else list(names)
    if len(shown) != len(paths):
        raise ValueError("check_marks needs one name per path")
    staged = work / "marks-staged"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    load = _Load(staged, progress)
    with closing(db.connect(work / "marks-duckdb")) as con:
        for index, (path, name) in enumerate(zip(paths, shown, strict=True)):
            if progress:
                progress(f"checking {name}", index, len(paths))
            _File(load, con, index, Path(path), name).check()
        load.finish()
    shutil.rmtree(work / "marks-duckdb", ignore_errors=True)
    return load.result()


def staged_marks_sql(staged: Path) -> str:
    """The staged marks as one relation with the contract's columns (upn, upn_usable, given_name, family_name,
    date_of_birth, school_urn, date, session, code) and `file`, the file's place in the load (a later file's mark
    replaces an earlier one's with the same key when the marks are stored)."""
    return f"""
        SELECT m.upn, u.upn_usable, m.given_name, m.family_name, m.date_of_birth, m.school_urn, m.date, m.session,
               m.code, regexp_extract(m.filename, '/f([0-9]+)[.]parquet$', 1)::INTEGER AS file
        FROM read_parquet({db.literal(staged / "f*.parquet")}, filename = true) AS m
        JOIN read_parquet({db.literal(staged / "upns.parquet")}) AS u USING (upn)"""


class _Load:
    """One call of check_marks: its files, problems, rejected rows and the UPNs seen, with their usability."""

    def __init__(self, staged: Path, progress: Progress | None) -> None:
        self.staged, self.progress = staged, progress
        self.files: list[SourceFile] = []
        self.problems: list[Problem] = []
        self.rejected: list[Rejected] = []
        self.rows = 0
        self.listed = 0  # row errors listed so far
        self.unlisted: dict[str, int] = {}  # row errors past MAX_PROBLEMS, by file
        self.upns: dict[str, bool] = {}

    def error(self, problem: Problem) -> None:
        """A row's error: listed up to MAX_PROBLEMS in the whole load, then counted."""
        if self.listed < MAX_PROBLEMS:
            self.listed += 1
            self.problems.append(problem)
        else:
            self.unlisted[problem.file] = self.unlisted.get(problem.file, 0) + 1

    def finish(self) -> None:
        schema = pa.schema([("upn", pa.string()), ("upn_usable", pa.bool_())])
        table = pa.table({"upn": list(self.upns), "upn_usable": list(self.upns.values())}, schema=schema)
        pq.write_table(table, self.staged / "upns.parquet")
        if self.progress:
            self.progress("checked", len(self.files), len(self.files))

    def result(self) -> CheckedMarks:
        more = [
            Problem(name, 0, "-", f"and {count:,} more error{'s' if count > 1 else ''} in this file, not listed")
            for name, count in self.unlisted.items()
        ]
        staged = self.staged if self.rows else None
        return CheckedMarks(self.files, self.problems + more, self.rejected, staged, self.rows)


class _Digest(threading.Thread):
    """A file's SHA-256 and line count, taken beside DuckDB's reading of it (hashlib and file reads let go of the
    GIL, so this costs no wall time while DuckDB's threads wait on the disk or each other)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.sha256 = ""
        self.line_count = 0
        self.failure: OSError | None = None

    def run(self) -> None:
        try:
            self.sha256, self.line_count, _ = file_digest(self.path)
        except OSError as exc:
            self.failure = exc

    def lines(self) -> int:
        """Physical lines as the csv module counts them ("\\n" ends a line; a last line may lack one)."""
        return self.line_count

    def blank_tail(self) -> int:
        """Blank lines after the last row, which every reader skips."""
        with self.path.open("rb") as handle:
            size = handle.seek(0, 2)
            run = b""
            while size > len(run):
                step = min(1 << 16, size - len(run))
                handle.seek(size - len(run) - step)
                chunk = handle.read(step)
                stripped = chunk.rstrip(b"\r\n")
                run = chunk[len(stripped) :] + run
                if stripped:
                    break
        return max(run.count(b"\n") - 1, 0)

    def one_line_rows(self, rows: int) -> bool:
        """Whether every row of the file was one line: the header, the rows and the blank lines at the end make
        up all its lines (a blank line between rows, or a quoted line break, would add one)."""
        return self.lines() == 1 + rows + self.blank_tail()


class _File:
    """One file of the load, through the fast path and, when it needs them, the exact ones."""

    def __init__(self, load: _Load, con: duckdb.DuckDBPyConnection, index: int, path: Path, name: str) -> None:
        self.load, self.con, self.index, self.path, self.name = load, con, index, path, name
        self.staged = load.staged / f"f{index:04d}.parquet"
        self.raw = load.staged.parent / f"marks-raw-{index:04d}.parquet"
        self.raw_lines = ""  # how the staged text gives each row's line
        self.header: list[str] = []
        self.source: dict[str, int] = {}  # each contract column the file has, and its place in the header
        self.digest = _Digest(path)

    # ---- The file as a whole --------------------------------------------------------------------------------------

    def check(self) -> None:
        if not self.path.is_file():
            self.fail(0, [self.problem(0, "-", "there is no such file")])
            return
        self.digest.start()
        try:
            if _blank(self.path):
                self.fail(0, [self.problem(0, "-", "the file is empty")])
                return
            if problems := self.read_header():
                self.fail(0, problems)
                return
            self.rows_in()
        finally:
            self.digest.join()
            self.raw.unlink(missing_ok=True)

    def rows_in(self) -> None:
        found = self.fast()
        if isinstance(found, int):
            if found == 0:
                self.fail(0, [self.header_only()])
            else:
                self.finished(found)
            return
        rows = self.stage_text_by_duckdb() if found == "cells" else None
        if rows is None:
            rows = self.stage_text_by_python()
            if rows is None:
                return  # refused as a whole
        if rows == 0:
            self.fail(0, [self.header_only()])
            return
        self.report(rows)

    def read_header(self) -> list[Problem]:
        try:
            header, rows = tables.read_rows(self.path)
            rows.close()
        except tables.Unreadable as exc:
            return [self.problem(exc.line, exc.field, exc.why)]
        self.header = header
        names = [column.strip() for column in header]
        repeated = sorted({c for c in db.COLUMNS if names.count(c) > 1})
        problems = [self.problem(1, c, "this column appears more than once in the header") for c in repeated]
        problems += [
            self.problem(1, c, f"this column is missing (the {TABLE} table needs it)")
            for c in db.REQUIRED
            if c not in names
        ]
        self.source = {c: names.index(c) for c in db.COLUMNS if c in names}
        return problems

    def finished(self, rows: int) -> None:
        self.load.files.append(self.source_file(rows, []))

    def fail(self, rows: int, problems: list[Problem]) -> None:
        """A file none of whose rows load, for reasons of its own (few, and always listed in full)."""
        self.remove_staged()
        self.load.problems.extend(problems)
        self.load.files.append(self.source_file(rows, problems))

    def source_file(self, rows: int, problems: list[Problem]) -> SourceFile:
        if self.digest.ident is not None:
            self.digest.join()
        table = TABLE if self.source else None
        return SourceFile(self.path, self.name, self.digest.sha256, table, rows, tuple(problems))

    def problem(self, line: int, field: str, message: str, warning: bool = False) -> Problem:
        return Problem(self.name, line, field, message, warning)

    def header_only(self) -> Problem:
        return self.problem(0, "-", "the file has a header but no rows")

    # ---- Path 1: fast -------------------------------------------------------------------------------------------

    def csv(self) -> str:
        """DuckDB's reader for this file: every column as text, named c0, c1 ... (headers may repeat or be blank),
        strict (a row with the wrong number of cells, or bytes that are not UTF-8, stop it)."""
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.header)))
        return (
            f"read_csv({db.literal(self.path)}, header = true, delim = ',', quote = '\"', escape = '\"', "
            f"auto_detect = false, strict_mode = true, columns = {{{columns}}})"
        )

    def cell(self, column: str) -> str:
        return f"c{self.source[column]}" if column in self.source else "NULL::VARCHAR"

    def fast(self) -> int | Literal["cells", "structure"]:
        """Stage a clean file in one pass (how many rows), or say which exact path it needs: "cells" when its rows
        are one line each, so DuckDB can number them, "structure" when only Python can (nothing is then staged)."""
        ok = " AND ".join(f"{c} IS NOT NULL" for c in db.REQUIRED) + " AND (date_of_birth IS NOT NULL OR dob IS NULL)"
        typed = f"""
            SELECT upn, given_name, family_name, {db.iso_date("dob")} AS date_of_birth,
                   {db.school_urn("urn")} AS school_urn, {db.iso_date("day")} AS date, {db.session("half")} AS session,
                   {db.code("mark")} AS code, dob
            FROM (SELECT {self.cell("upn")} AS upn, {self.cell("given_name")} AS given_name,
                         {self.cell("family_name")} AS family_name, {self.cell("date_of_birth")} AS dob,
                         {self.cell("school_urn")} AS urn, {self.cell("date")} AS day, {self.cell("session")} AS half,
                         {self.cell("code")} AS mark
                  FROM {self.csv()})"""
        query = f"""
            SELECT CASE WHEN {ok} THEN upn ELSE error({db.literal(_ABORT)}) END AS upn,
                   given_name, family_name, date_of_birth, school_urn, date, session, code
            FROM ({typed})"""
        try:
            rows = self.stage(query)
        except duckdb.Error as exc:
            self.remove_staged()
            return "cells" if _ABORT in str(exc) else "structure"
        if not self.digest_one_line(rows):
            self.remove_staged()
            return "structure"
        if not rows:
            return 0
        marks = self.staged_relation()
        if not self.clean_on_the_whole(marks):
            self.remove_staged()
            return "cells"
        self.warn_upns(marks)
        self.load.rows += rows
        return rows

    def digest_one_line(self, rows: int) -> bool:
        self.digest.join()
        if self.digest.failure:
            return False
        return self.digest.one_line_rows(rows)

    def stage(self, query: str) -> int:
        """Write a query's marks, in its order, to the file's staged Parquet; how many."""
        copied = self.con.execute(f"COPY ({query}) TO {db.literal(self.staged)} (FORMAT parquet)").fetchall()
        return int(copied[0][0])

    def staged_relation(self) -> str:
        """The fast path's staged marks with their lines (the file's rows are one line each, in order)."""
        staged = f"read_parquet({db.literal(self.staged)}, file_row_number = true)"
        return f"(SELECT *, file_row_number + 2 AS line FROM {staged})"

    def remove_staged(self) -> None:
        self.staged.unlink(missing_ok=True)

    def clean_on_the_whole(self, marks: str) -> bool:
        """The staged marks' UPNs and names, once per distinct value of each, and their keys: nothing to refuse or
        to tidy (a file with any goes the exact way, which says where and tidies)."""
        space, control = db.literal(db.SPACE), db.literal(db.CONTROL)
        untidy = {
            "upn": f"upn <> upper(trim(upn, {space})) OR regexp_matches(upn, {control})",
            **{
                c: f"{c} <> trim({c}, {space}) OR regexp_matches({c}, {control}) OR length({c}) > {db.NAME_LENGTH}"
                for c in db.NAMES
            },
        }
        # Counted in an aggregate's FILTER, not a WHERE, which DuckDB would push below the DISTINCT to every row.
        counts = " + ".join(
            f"(SELECT count(*) FILTER (WHERE {w}) FROM (SELECT DISTINCT {c} FROM {marks}))" for c, w in untidy.items()
        )
        if self.con.execute(f"SELECT {counts}").fetchall()[0][0]:
            return False
        if not self.con.execute(f"SELECT count(*) FROM ({db.suspects(marks)})").fetchall()[0][0]:
            return True
        return not self.con.execute(f"SELECT count(*) FROM ({db.repeated(marks)})").fetchall()[0][0]

    def warn_upns(self, marks: str) -> None:
        """A warning for each distinct UPN of `marks` (upn, line) that fails its check letter, on the first line it is
        on; every UPN's usability is kept for linkage."""
        found = self.con.execute(f"SELECT upn, min(line), count(*) FROM {marks} GROUP BY upn ORDER BY 2").fetchall()
        upns = self.load.upns
        for upn, line, count in found:
            why = upn_problem(upn)
            upns[upn] = why is None
            if why:
                loads = f"its {count:,} marks load" if count > 1 else "the mark loads"
                message = f"{tables.shown(upn)}: {why} ({loads}; the UPN is not used for linking)"
                self.load.problems.append(self.problem(line, "upn", message, warning=True))

    # ---- Paths 2 and 3: the cells as text, with their lines ----------------------------------------------------

    def stage_text_by_duckdb(self) -> int | None:
        """The file's cells as text with their lines, read by DuckDB; None when its structure needs Python."""
        cells = [f"c{i} AS r{i}" for i in range(len(self.header))]
        trimmed = [f"nullif(trim({self.cell(c)}, {db.literal(db.SPACE)}), '') AS {c}" for c in db.COLUMNS if c != "upn"]
        upn = f"upper(nullif(trim({self.cell('upn')}, {db.literal(db.SPACE)}), '')) AS upn"
        query = f"SELECT {len(self.header)} AS cells, {', '.join(cells)}, {upn}, {', '.join(trimmed)} FROM {self.csv()}"
        try:
            copied = self.con.execute(f"COPY ({query}) TO {db.literal(self.raw)} (FORMAT parquet)").fetchall()
        except duckdb.Error:
            return None
        rows = int(copied[0][0])
        self.raw_lines = "file_row_number + 2 AS line, "  # in the file's order, one line each (as on path 1)
        return rows if self.digest_one_line(rows) else None

    def stage_text_by_python(self) -> int | None:
        """The file's cells as text with their lines, read by the csv module (as continuum.tables reads it); None
        when the file cannot be read, which is then refused as a whole."""
        if bad := tables.not_utf8(self.path):
            self.fail(0, [self.problem(bad.line, bad.field, bad.why)])
            return None
        width = len(self.header)
        self.raw_lines = ""  # the csv module's own line numbers, in the column `line`
        schema = pa.schema(
            [("line", pa.int64()), ("cells", pa.int32())]
            + [(f"r{i}", pa.string()) for i in range(width)]
            + [(c, pa.string()) for c in db.COLUMNS]
        )
        rows = 0
        try:
            _, found = tables.read_rows(self.path)
            with closing(found), pq.ParquetWriter(self.raw, schema) as writer:
                for batch in _batches(found, self.header, self.source):
                    writer.write_table(pa.Table.from_pydict(batch, schema=schema))
                    rows += len(batch["line"])
        except tables.Unreadable as exc:
            self.fail(rows, [self.problem(exc.line, exc.field, exc.why)])
            return None
        return rows

    def report(self, rows: int) -> None:
        """Every check on the file's text cells, in SQL: the bad rows with their reasons, the good ones staged."""
        con, width = self.con, len(self.header)
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW marks_typed AS
            SELECT *, {db.iso_date("date_of_birth")} AS dob_t, {db.school_urn("school_urn")} AS urn_t,
                   {db.iso_date("date")} AS date_t, {db.session("session")} AS session_t, {db.code("code")} AS code_t,
                   cells = {width} AND upn IS NOT NULL AND NOT regexp_matches(upn, {db.literal(db.CONTROL)})
                       AND urn_t IS NOT NULL AND date_t IS NOT NULL AND session_t IS NOT NULL AS keyed
            FROM (SELECT {self.raw_lines}* FROM read_parquet({db.literal(self.raw)}, file_row_number = true))""")
        keyed = (
            "SELECT upn, urn_t AS school_urn, date_t AS date, session_t AS session, line FROM marks_typed WHERE keyed"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE marks_repeated AS {db.repeated(f'({keyed})')}")
        control = db.literal(db.CONTROL)
        wrong = {
            "upn": f"upn IS NULL OR regexp_matches(upn, {control})",
            **{
                c: f"coalesce(regexp_matches({c}, {control}) OR length({c}) > {db.NAME_LENGTH}, false)"
                for c in db.NAMES
            },
            "date_of_birth": "date_of_birth IS NOT NULL AND dob_t IS NULL",
            "school_urn": "urn_t IS NULL",
            "date": "date_t IS NULL",
            "session": "session_t IS NULL",
            "code": "code_t IS NULL",
        }
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW marks_flagged AS
            SELECT t.*, r.first, cells <> {width} AS uneven, {", ".join(f"({w}) AS bad_{c}" for c, w in wrong.items())},
                   cells <> {width} OR r.first IS NOT NULL OR {" OR ".join(f"({w})" for w in wrong.values())} AS bad
            FROM marks_typed t LEFT JOIN marks_repeated r USING (line)""")
        bad = con.execute("SELECT count(*) FROM marks_flagged WHERE bad").fetchall()[0][0]
        columns = ", ".join(
            ["line", "cells", "first", *(f"r{i}" for i in range(width)), *db.COLUMNS, *(f"bad_{c}" for c in wrong)]
        )
        if bad > MAX_REJECTED:
            first = con.execute(
                f"SELECT {columns} FROM marks_flagged WHERE bad ORDER BY line LIMIT {MAX_PROBLEMS}"
            ).fetchall()
            for row in first:
                for problem in self.reasons(row):
                    self.load.error(problem)
            why = (
                f"{bad:,} rows have errors, more than the {MAX_REJECTED:,} a quarantine takes from one file; "
                "no row of this file loads"
            )
            self.fail(rows, [self.problem(0, "-", why)])
            return
        for row in con.execute(f"SELECT {columns} FROM marks_flagged WHERE bad ORDER BY line").fetchall():
            reasons = self.reasons(row)
            for problem in reasons:
                self.load.error(problem)
            cells = {self.header[i]: row[3 + i] or "" for i in range(width)}
            self.load.rejected.append(Rejected(self.name, row[0], cells, tuple(reasons)))
        good = """
            SELECT upn, given_name, family_name, dob_t AS date_of_birth, urn_t AS school_urn, date_t AS date,
                   session_t AS session, code_t AS code
            FROM marks_flagged WHERE NOT bad"""
        staged = self.stage(good) if bad < rows else 0
        if staged:
            self.warn_upns("(SELECT upn, line FROM marks_flagged WHERE NOT bad)")
        self.load.rows += staged
        self.finished(rows)

    def reasons(self, row: tuple[Any, ...]) -> list[Problem]:
        """A bad row's problems, field by field, from its cells and the checks it failed."""
        width = len(self.header)
        line, cells, first = row[0], row[1], row[2]
        values = dict(zip(db.COLUMNS, row[3 + width : 3 + width + len(db.COLUMNS)], strict=True))
        failed = dict(zip(db.COLUMNS, row[3 + width + len(db.COLUMNS) :], strict=True))
        if cells != width:
            return [self.problem(line, "-", f"this row has {cells} cells but the header has {width}")]
        problems = [self.problem(line, column, _why(column, values[column])) for column in db.COLUMNS if failed[column]]
        if first is not None:
            key = ", ".join(f"{c} {tables.shown(values[c])}" for c in db.KEY)
            why = f"the key ({key}) is also on line {first}; a key appears once in a file"
            problems.append(self.problem(line, "-", why))
        return problems


def _why(column: str, cell: str | None) -> str:
    """Why a cell is refused (the messages of the other feeds' checker, continuum.signals.feeds.check)."""
    if cell is None:
        return "is required"
    try:
        _NAME(cell) if column in db.NAMES else _VISIBLE(cell)
    except ValueError as exc:
        return str(exc)
    if column in ("date", "date_of_birth"):
        form = "is not a real date (YYYY-MM-DD)" if _ISO.fullmatch(cell) else "is not a date in the form YYYY-MM-DD"
        return f"{tables.shown(cell)} {form}"
    if column == "school_urn":
        return f"{tables.shown(cell)} is not a school URN (six digits)"
    if column == "session":
        return _unknown(column, cell, list(SESSION))
    if column == "code":
        return _unknown(column, cell, list(ATTENDANCE))
    return f"{tables.shown(cell)} is not accepted"  # not reached: upn and names fail only on the checks above


def _unknown(column: str, cell: str, accepted: list[str]) -> str:
    upper = {c.upper(): c for c in accepted}
    hint = f" (did you mean {tables.shown(upper[cell.upper()])}?)" if cell.upper() in upper else ""
    listed = ", ".join(accepted[:8]) + (f" and {len(accepted) - 8} more" if len(accepted) > 8 else "")
    return f"{tables.shown(cell)} is not a {column} code{hint}; the codes include {listed}"


def _blank(path: Path) -> bool:
    """Whether a file has no bytes, or only whitespace and a byte order mark."""
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(1 << 16):
            if (chunk.removeprefix(b"\xef\xbb\xbf") if first else chunk).strip():
                return False
            first = False
    return True


def _batches(rows: tables.Rows, header: list[str], source: dict[str, int]) -> Iterator[dict[str, list[Any]]]:
    """The rows continuum.tables reads, BATCH at a time, as columns: line, cells, every cell as it came (r0 ...),
    and the contract's columns trimmed (None when blank; the UPN in capitals)."""
    width = len(header)
    keys = [header[source[c]] if c in source else None for c in db.COLUMNS]
    batch: dict[str, list[Any]] = _empty(width)
    for line, row, cells in rows:
        batch["line"].append(line)
        batch["cells"].append(cells)
        for i, name in enumerate(header):
            batch[f"r{i}"].append(row.get(name))
        for column, key in zip(db.COLUMNS, keys, strict=True):
            value = (row.get(key) or "").strip(db.SPACE) if key is not None else ""
            batch[column].append((value.upper() if column == "upn" else value) or None)
        if len(batch["line"]) == BATCH:
            yield batch
            batch = _empty(width)
    if batch["line"]:
        yield batch


def _empty(width: int) -> dict[str, list[Any]]:
    return {"line": [], "cells": [], **{f"r{i}": [] for i in range(width)}, **{c: [] for c in db.COLUMNS}}
