"""The synthetic county's truth for linkage: which county person is behind each feed's person reference.

`continuum synth` writes `truth/source_people.csv` (feed, ref, person_id). `read_truth` reads it, checked
(every problem as `FILE:LINE:FIELD: why`, as `lists.read_list` reports them), and `by_record` turns it into
what `evaluate.pairwise` takes, given which record holds which (feed, ref). Plain Python: the Django
command (`continuum linkage evaluate`) and a notebook use the same reading.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from continuum.linkage.engine.lists import ListError
from continuum.tables import not_utf8

TRUTH_FILE: Final = "source_people.csv"
TRUTH_COLUMNS: Final = ("feed", "ref", "person_id")
TRUTH_SCHEMA: Final = pa.schema([(name, pa.string()) for name in TRUTH_COLUMNS])


def read_truth(path: Path) -> pa.Table:
    """The truth (feed, ref, person_id) in `path`: the CSV file, or the `truth` folder holding source_people.csv.

    Raises ListError (FILE:LINE:FIELD problems; a row is taken to be one line, as synth writes them)."""
    if path.is_dir():
        path = path / TRUTH_FILE
    try:
        unreadable = not_utf8(path)
    except FileNotFoundError:
        raise ListError([f"{path}:1:-: the file does not exist"]) from None
    except OSError as exc:
        raise ListError([f"{path}:1:-: the file cannot be read ({exc.strerror or exc})"]) from None
    if unreadable:
        raise ListError([f"{path}:{unreadable.line}:-: {unreadable.why}"])
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = [name.strip() for name in next(csv.reader(handle), [])]
    missing = [f"{path}:1:{name}: the column is missing" for name in TRUTH_COLUMNS if name not in header]
    if missing:
        raise ListError(missing)
    try:
        table = pa_csv.read_csv(
            path,
            convert_options=pa_csv.ConvertOptions(column_types=TRUTH_SCHEMA, include_columns=list(TRUTH_COLUMNS)),
        )
    except pa.ArrowInvalid as exc:
        raise ListError([f"{path}:-:-: this is not a CSV file ({exc})"]) from None
    problems = []
    for name in TRUTH_COLUMNS:
        column = table.column(name)
        blank = np.asarray(pc.or_kleene(column.is_null(), pc.equal(pc.utf8_trim_whitespace(column), "")), dtype=bool)
        problems += [f"{path}:{row + 2}:{name}: the cell is blank" for row in np.flatnonzero(blank).tolist()]
    # The same feed and reference twice: every row after its first is a problem.
    key = pc.binary_join_element_wise(table.column("feed"), table.column("ref"), "\x1f")
    codes = np.asarray(pc.index_in(key, value_set=pc.unique(key)).fill_null(-1), dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    repeated = np.ones(len(codes), dtype=bool)
    repeated[first] = False
    for row in np.flatnonzero(repeated & (codes >= 0)).tolist():
        feed, ref = table.column("feed")[row].as_py(), table.column("ref")[row].as_py()
        problems.append(f"{path}:{row + 2}:ref: {feed} {ref} appears more than once")
    if problems:
        raise ListError(problems)
    return table.select(list(TRUTH_COLUMNS)).cast(TRUTH_SCHEMA)


def by_record(records: pa.Table, truth: pa.Table) -> dict[str, str]:
    """record_id -> person_id for the records (columns record_id, feed, ref) the truth knows; others left out."""
    joined = records.select(["record_id", "feed", "ref"]).join(truth, keys=["feed", "ref"], join_type="inner")
    return dict(zip(joined.column("record_id").to_pylist(), joined.column("person_id").to_pylist(), strict=True))
