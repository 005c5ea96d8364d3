"""`continuum measures score sdq --input IN.csv --output OUT.csv`: score a file of SDQ responses.

No Django here: `continuum.cli` runs it before Django is set up, so it needs no settings, database or
secret key. The file is read with pyarrow (every column as text) and scored by `sdq_score_table`, numpy
over whole columns; `bench/measures.py` times this same function, `sdq_score_file`.

Every problem in the input is reported as `IN.csv:LINE:FIELD: why` on standard error (lines count the
header as line 1), the status is 1 and no output file is written: the scores go to a temporary file
beside the output, renamed into place only when everything has been scored. A file that cannot be read
or written at all is one line, status 2.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from rich.console import Console

from continuum.analytics.sdq import (
    SDQ_INPUT_COLUMNS,
    SDQ_OUTPUT_COLUMNS,
    SdqTableError,
    sdq_score_table,
)
from continuum.console import progress_bar

SCORE_HELP: Final = "Score questionnaire responses from a CSV file into a CSV file of scores and bands."
SDQ_HELP: Final = (
    "Score SDQ responses (parent and teacher 4-17 and 2-4, self-report 11-17) with the published scoring: "
    "the five subscales, total difficulties, externalising, internalising, impact, and the four-band "
    "categories. Input columns: response_id, informant (parent|teacher|self), version (4-17|2-4|11-17), "
    "sdq1 ... sdq25 (0 not true, 1 somewhat true, 2 certainly true; blank when not answered), difficulties "
    "(0 no, 1 minor, 2 definite, 3 severe), impact_distress, impact_home, impact_friends, impact_classroom, "
    "impact_leisure (0 not at all, 1 only a little, 2 quite a lot, 3 a great deal). Other columns are ignored."
)
# Status when the input has problems (nothing written), and when a file cannot be read or written at all.
DATA_PROBLEM: Final = 1
FILE_PROBLEM: Final = 2
# Above this size a progress bar is shown on standard error.
PROGRESS_BYTES: Final = 5_000_000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FileProblem:
    """A problem at a line (1 is the header) and field ("-" when the whole line is wrong)."""

    line: int
    field: str
    why: str


class SdqFileProblems(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[FileProblem], total: int) -> None:
        super().__init__(f"{total} problem(s)")
        self.problems = problems
        self.total = total


class SdqFileUnusable(Exception):
    """The input cannot be read, or the output cannot be written, at all."""


def sdq_score_file(source: Path, target: Path, *, progress: Progress | None = None) -> int:
    """Score the SDQ responses in CSV file `source` into CSV file `target`; return how many were scored.

    Raises SdqFileProblems (every problem with its line) or SdqFileUnusable; `target` is then untouched.
    """
    report = progress or (lambda stage, done, total: None)
    _check_output(source, target)
    header = _header(source)
    report("reading", 0, 1)
    ragged: list[int] = []

    def skip(row: pa_csv.InvalidRow) -> str:
        ragged.append(row.actual_columns)
        return "skip"

    # Our own names for the columns (trimmed; others renamed so that repeats among them do not matter).
    names = [name if name in SDQ_INPUT_COLUMNS else f"_ignored_{i}" for i, name in enumerate(header)]
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(use_threads=True, block_size=1 << 22, column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(SDQ_INPUT_COLUMNS, pa.string()),
                include_columns=list(SDQ_INPUT_COLUMNS),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        # Not UTF-8, or not CSV: reading it line by line says where.
        raise _located(source, header, None, unreadable=str(exc)) from None
    except OSError as exc:
        raise SdqFileUnusable(f"cannot read {source}: {_reason(exc)}") from None
    rows = table.num_rows
    report("checking", 0, rows)
    try:
        scored = sdq_score_table(table)
    except SdqTableError as exc:
        raise _located(source, header, exc) from None
    if ragged:
        raise _located(source, header, None)
    report("writing", rows // 2, rows)
    _write(scored, target)
    report("done", rows, rows)
    return rows


def _check_output(source: Path, target: Path) -> None:
    if target.is_dir():
        raise SdqFileUnusable(f"cannot write {target}: it is a folder")
    folder = target.parent
    if not folder.is_dir():
        raise SdqFileUnusable(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise SdqFileUnusable(f"cannot write {target}: the folder {folder} may not be written to")
    with contextlib.suppress(OSError):
        if target.exists() and source.exists() and target.samefile(source):
            raise SdqFileUnusable(f"the output {target} is the input: name another file for the scores")


def _header(source: Path) -> list[str]:
    """The column names, trimmed; a missing or repeated column, or an empty file, is raised as a problem."""
    try:
        with source.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise _located(source, [], None) from None
    except csv.Error as exc:
        raise SdqFileProblems([FileProblem(1, "-", f"the header is not a CSV line ({exc})")], 1) from None
    except OSError as exc:
        raise SdqFileUnusable(f"cannot read {source}: {_reason(exc)}") from None
    if not header:
        raise SdqFileProblems([FileProblem(1, "-", "the file is empty: it needs a header line naming the columns")], 1)
    names = [name.strip() for name in header]
    problems = [FileProblem(1, name, "the column is missing") for name in SDQ_INPUT_COLUMNS if name not in names]
    problems += [
        FileProblem(1, name, "the column appears more than once") for name in SDQ_INPUT_COLUMNS if names.count(name) > 1
    ]
    if problems:
        raise SdqFileProblems(problems, len(problems))
    return names


def _located(
    source: Path, header: list[str], cells: SdqTableError | None, *, unreadable: str | None = None
) -> SdqFileProblems:
    """The problems with their line numbers, reading the file line by line with the csv module.

    A row whose cell count differs from the header's, and a line that is not UTF-8, are problems of their
    own; the cell problems that `sdq_score_table` found (numbered by row) are given the lines they are on.
    """
    problems: list[FileProblem] = []
    starts: list[int] = []  # the line each well-formed data row starts on
    try:
        for line, row in _csv_rows(source):
            if line == 1:
                continue
            if len(row) == len(header):
                starts.append(line)
            else:
                why = f"the row has {len(row)} cells; the header names {len(header)} columns"
                problems.append(FileProblem(line, "-", why))
    except _NotUtf8 as exc:
        problems.append(FileProblem(exc.line, "-", exc.why))
    except csv.Error as exc:
        problems.append(FileProblem((starts[-1] if starts else 1) + 1, "-", f"this is not a CSV row ({exc})"))
    if unreadable and not problems:
        problems.append(FileProblem(1, "-", f"cannot be read as CSV ({unreadable})"))
    total = len(problems)
    if cells is not None:
        total += cells.total
        for cell in cells.problems:
            line = 1 if cell.row is None else (starts[cell.row] if cell.row < len(starts) else cell.row + 2)
            problems.append(FileProblem(line, cell.field, cell.why))
    problems.sort(key=lambda problem: problem.line)
    return SdqFileProblems(problems, total)


class _NotUtf8(Exception):
    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line, self.why = line, why


def _csv_rows(source: Path) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) for each non-blank row; _NotUtf8 at the first line that is not UTF-8."""
    with source.open("rb") as raw:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        # Decode line by line, so the line holding a bad byte is known exactly.
        lines: list[str] = []
        for number, line in enumerate(raw, start=1):
            try:
                lines.append(decoder.decode(line))
            except UnicodeDecodeError as exc:
                why = f"is not UTF-8 text (byte 0x{line[exc.start]:02x} at column {exc.start + 1})"
                raise _NotUtf8(number, why) from None
    reader = csv.reader(lines)
    start = 1
    for cells in reader:
        if cells:
            yield start, cells
        start = reader.line_num + 1


def _write(table: pa.Table, target: Path) -> None:
    """Write the scores to a temporary file beside `target`, then rename it into place."""
    # Nothing but response_id can need quoting; quote only when one does, so the file reads as typed.
    awkward = pc.any(pc.match_substring_regex(table.column("response_id"), r'[",\r\n]')).as_py()
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed" if awkward else "none")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed or removed)
        dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write((",".join(SDQ_OUTPUT_COLUMNS) + "\n").encode())
            pa_csv.write_csv(table, handle, options)
        os.chmod(handle.name, 0o666 & ~_umask())  # as a file written by open() would be
        os.replace(handle.name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        if isinstance(exc, OSError):
            raise SdqFileUnusable(f"cannot write {target}: {_reason(exc)}") from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def measures_score_main(argv: Sequence[str]) -> int:
    """`continuum measures score sdq --input IN.csv --output OUT.csv`; the exit status."""
    parser = argparse.ArgumentParser(prog="continuum measures score", description=SCORE_HELP)
    measures = parser.add_subparsers(dest="measure", required=True, metavar="MEASURE")
    sdq = measures.add_parser("sdq", help="the Strengths and Difficulties Questionnaire", description=SDQ_HELP)
    sdq.add_argument("--input", type=Path, required=True, metavar="IN.csv", help="the responses, one a row")
    sdq.add_argument("--output", type=Path, required=True, metavar="OUT.csv", help="where to write the scores")
    opts = parser.parse_args(argv)
    shown = str(opts.input)
    stderr = sys.stderr
    try:
        size = opts.input.stat().st_size if opts.input.is_file() else 0
        if size > PROGRESS_BYTES:
            with progress_bar("Scoring SDQ responses", console=Console(stderr=True)) as bar:
                rows = sdq_score_file(opts.input, opts.output, progress=bar)
        else:
            rows = sdq_score_file(opts.input, opts.output)
    except SdqFileUnusable as exc:
        stderr.write(f"continuum measures score sdq: {exc}\n")
        return FILE_PROBLEM
    except SdqFileProblems as exc:
        for problem in exc.problems:
            stderr.write(f"{shown}:{problem.line}:{problem.field}: {problem.why}\n")
        more = exc.total - len(exc.problems)
        if more > 0:
            stderr.write(f"{shown}: {more:,} more problem(s) not shown\n")
        stderr.write(f"{shown}: {exc.total:,} problem(s); nothing was written\n")
        return DATA_PROBLEM
    sys.stdout.write(f"Scored {rows:,} SDQ response(s) into {opts.output}\n")
    return 0
