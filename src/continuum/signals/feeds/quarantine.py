"""The quarantine: a load's bad rows written beside each other for the people who fix them, so that the good rows can
load without the bad ones being lost.

    paths = write_quarantine(Path("quarantine"), checked)

For each file with rejected rows, `<stem>.rejected.csv`: the file's own columns as they arrived, then `line` (where
the row starts in the file) and `problems` (its FILE:LINE:FIELD problems joined by " | "), every cell made safe to
open in a spreadsheet. For each file with problems of its own (empty, unreadable, a header matching no table, a
missing column), `<stem>.problems.txt`, one problem a line. Each file is written under a temporary name and then
renamed, so nobody sees half of one. Plain Python: no Django.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import TextIO

from continuum.signals.feeds.spec import CheckResult, Rejected
from continuum.tables import spreadsheet_safe


class QuarantineFailed(Exception):
    """The quarantine could not be written: one line saying where and why."""


def write_quarantine(directory: Path, checked: CheckResult) -> list[Path]:
    """Write the rejected rows and file-level problems of one load into `directory` (made if need be); the paths
    written, in file order. Raises QuarantineFailed when the folder or a file cannot be written."""
    rejected: dict[str, list[Rejected]] = {}
    for row in checked.rejected:
        rejected.setdefault(row.file, []).append(row)
    problems = {f.name: [str(p) for p in f.problems] for f in checked.files if f.problems}
    names = list(dict.fromkeys([f.name for f in checked.files] + list(rejected)))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuarantineFailed(f"cannot make the quarantine folder {directory}: {exc.strerror or exc}") from None
    written: list[Path] = []
    stems: set[str] = set()
    for name in names:
        if name not in rejected and name not in problems:
            continue
        stem = _stem(name, stems)
        if name in rejected:
            path = directory / f"{stem}.rejected.csv"
            with _atomic(path, "utf-8-sig") as handle:  # the byte order mark tells spreadsheets it is UTF-8
                _write_rejected(handle, rejected[name])
            written.append(path)
        if name in problems:
            path = directory / f"{stem}.problems.txt"
            with _atomic(path, "utf-8") as handle:
                handle.writelines(f"{line}\n" for line in problems[name])
            written.append(path)
    return written


def _stem(name: str, taken: set[str]) -> str:
    """The file's name without its folder and suffix; two files of one load with the same stem (2019/episodes.csv
    and 2020/episodes.csv) get -2, -3 ... after the later ones'."""
    base = PurePath(name.replace("\\", "/")).stem or "file"
    stem, n = base, 1
    while stem in taken:
        n += 1
        stem = f"{base}-{n}"
    taken.add(stem)
    return stem


def _write_rejected(handle: TextIO, rows: list[Rejected]) -> None:
    columns = list(dict.fromkeys(column for row in rows for column in row.cells))  # the file's header order
    line, problems = _unused("line", columns), _unused("problems", columns)
    writer = csv.writer(handle)
    writer.writerow([spreadsheet_safe(c) for c in [*columns, line, problems]])
    for row in rows:
        cells = [str(row.cells.get(c) or "") for c in columns]
        reasons = " | ".join(str(p) for p in row.reasons)
        writer.writerow([spreadsheet_safe(c) for c in [*cells, str(row.line), reasons]])


def _unused(name: str, columns: list[str]) -> str:
    """`line` or `problems`, or with an underscore in front if the file has a column of that name already."""
    while name in columns:
        name = f"_{name}"
    return name


@contextmanager
def _atomic(path: Path, encoding: str) -> Iterator[TextIO]:
    """A text file written under a temporary name in the same folder (readable by its owner only, as it holds
    children's details), renamed to `path` when the writing ends without an exception."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise QuarantineFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with open(descriptor, "w", encoding=encoding, newline="") as handle:
            yield handle
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise QuarantineFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
