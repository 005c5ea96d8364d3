"""`continuum linkage link --left A.csv --right B.csv --out PAIRS.csv [--backend duckdb|spark]`.

Links two lists of people (see `lists`) and writes the pairs the default threshold links. No Django here:
`continuum.cli` runs it before Django is set up, so it needs no settings, database or secret key.

Anything wrong with the command (a list's problems, each as `FILE:LINE:FIELD: why`, an output that cannot be
written, the same file given twice, an unknown backend) is printed one per line on standard error before
any linking starts; the status is then 1 and nothing is written. The pairs go to a temporary file renamed
into place, so an output file is either complete or untouched.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final, NoReturn

import pyarrow as pa
from rich.console import Console

from continuum.console import progress_bar
from continuum.linkage.engine import lists
from continuum.linkage.engine.backends import BACKENDS, BackendError, open_backend

LINK_HELP: Final = (
    "Link two lists of people and write the pairs that are the same person. Each list is a CSV file (UTF-8, "
    "a header line) with a record_id column and any of given_name, family_name, date_of_birth (YYYY-MM-DD), "
    "sex (M or F), postcode, address, nhs_number, upn; other columns are ignored and blank values allowed. "
    "A model is trained on the two lists themselves, without labels. The output has the columns left_id, "
    "right_id, match_probability: the pairs at or above the model's upper threshold."
)
PROGRAM: Final = "continuum linkage link"
# Status when the command or its input has a problem (nothing written).
PROBLEM: Final = 1
# Below this many records in a list, unsupervised training has too little to go on, and the command says so.
FEW_RECORDS: Final = 200
# Lists longer than this together show a progress bar on standard error.
PROGRESS_RECORDS: Final = 20_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """A usage mistake: one line and status 1, as every other problem."""
        self.exit(PROBLEM, f"{self.prog}: {message} (see {self.prog} --help)\n")


def linkage_link_main(argv: Sequence[str]) -> int:
    """`continuum linkage link ...`; the exit status."""
    parser = _Parser(prog=PROGRAM, description=LINK_HELP)
    parser.add_argument("--left", type=Path, required=True, metavar="A.csv", help="the first list")
    parser.add_argument("--right", type=Path, required=True, metavar="B.csv", help="the second list")
    parser.add_argument("--out", type=Path, required=True, metavar="PAIRS.csv", help="where to write the pairs")
    parser.add_argument(
        "--backend",
        default="duckdb",
        metavar="|".join(BACKENDS),
        help="where Splink runs: duckdb in this process (the default) or spark",
    )
    parser.add_argument("--traceback", action="store_true", help="show where an unexpected failure happened")
    opts = parser.parse_args(argv)
    stderr = sys.stderr

    problems = [f"{PROGRAM}: {problem}" for problem in _command_problems(opts.left, opts.right, opts.out, opts.backend)]
    tables = []
    for path in (opts.left, opts.right) if not _same_file(opts.left, opts.right) else (opts.left,):
        try:
            tables.append(lists.read_list(path, source=path.name))
        except lists.ListError as exc:
            problems += exc.problems
    if problems:
        stderr.writelines(f"{problem}\n" for problem in problems)
        stderr.write(f"{PROGRAM}: {len(problems):,} problem(s); nothing was written\n")
        return PROBLEM
    left, right = tables

    try:
        pairs = _link(left, right, opts.backend, show_progress=left.num_rows + right.num_rows > PROGRESS_RECORDS)
    except (BackendError, ValueError) as exc:
        stderr.write(f"{PROGRAM}: {exc}\n")
        return PROBLEM
    except Exception as exc:  # a failure inside Splink or the backend: one line, unless asked for more
        if opts.traceback:
            raise
        reason = " ".join(str(exc).split())[:300] or "no message"
        stderr.write(f"{PROGRAM}: linking failed ({type(exc).__name__}: {reason}); --traceback shows where\n")
        return PROBLEM
    try:
        lists.write_pairs(pairs, opts.out)
    except OSError as exc:
        stderr.write(f"{PROGRAM}: cannot write {opts.out}: {exc.strerror or exc}; nothing was written\n")
        return PROBLEM
    sys.stdout.write(
        f"Linked {pairs.num_rows:,} pair(s) of {left.num_rows:,} and {right.num_rows:,} records into {opts.out}\n"
    )
    if min(left.num_rows, right.num_rows) < FEW_RECORDS:
        stderr.write(
            f"{PROGRAM}: note: the model learns from the lists themselves (no labels), and a list of fewer than "
            f"{FEW_RECORDS} records gives it little to learn from: true pairs may be missed\n"
        )
    return 0


def _command_problems(left: Path, right: Path, out: Path, backend: str) -> list[str]:
    """What is wrong with the command itself, before anything is read."""
    problems = []
    if backend not in BACKENDS:
        problems.append(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if _same_file(left, right):
        problems.append(f"--left and --right are the same file ({left}): name two different lists")
    for given, path in (("--left", left), ("--right", right)):
        if _same_file(out, path):
            problems.append(f"--out is the same file as {given} ({path}): name another file for the pairs")
    folder = out.parent
    if out.is_dir():
        problems.append(f"cannot write {out}: it is a folder; name a file for the pairs")
    elif folder.exists() and not folder.is_dir():
        problems.append(f"cannot write {out}: {folder} is a file, not a folder")
    elif not folder.is_dir():
        problems.append(f"cannot write {out}: the folder {folder} does not exist")
    elif not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"cannot write {out}: the folder {folder} may not be written to")
    return problems


def _same_file(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    return False


def _link(left: pa.Table, right: pa.Table, backend_name: str, *, show_progress: bool) -> pa.Table:
    # Splink's notes on training ("level not observed in dataset") are for whoever tunes the model, not for
    # the person linking two lists: standard error keeps to problems and the progress bar.
    logging.getLogger("splink").setLevel(logging.ERROR)
    with open_backend(backend_name) as backend:
        if not show_progress:
            return lists.link_lists(left, right, backend=backend)
        with progress_bar("Linking", console=Console(stderr=True)) as bar:
            return lists.link_lists(left, right, backend=backend, progress=bar)
