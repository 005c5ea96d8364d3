"""Reading the synthetic county's truth for linkage, and scoring records against it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from continuum.linkage.engine.evaluate import pairwise
from continuum.linkage.engine.lists import ListError
from continuum.linkage.engine.truth import by_record, read_truth

CONTINUUM = Path(sys.executable).parent / "continuum"


def test_the_truth_synth_writes_is_read_from_its_folder(tmp_path):
    subprocess.run(
        [str(CONTINUUM), "synth", "--children", "60", "--out", str(tmp_path / "county")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    truth = read_truth(tmp_path / "county" / "truth")
    assert truth.column_names == ["feed", "ref", "person_id"]
    assert truth.num_rows > 0
    assert set(truth.column("feed").to_pylist()) >= {"attendance"}
    assert truth.num_rows == len({(row["feed"], row["ref"]) for row in truth.to_pylist()})


def test_records_are_scored_against_the_truth_through_their_feed_and_reference(tmp_path):
    path = tmp_path / "source_people.csv"
    path.write_text("feed,ref,person_id\npolice,P1,amy\nhealth,H1,amy\nhealth,H2,ben\nschool,S9,cara\n")
    records = pa.table(
        {
            "record_id": ["r1", "r2", "r3", "r4"],
            "feed": ["police", "health", "health", "cin"],
            "ref": ["P1", "H1", "H2", "C1"],
        }
    )
    truth = by_record(records, read_truth(path))
    assert truth == {"r1": "amy", "r2": "amy", "r3": "ben"}  # r4's reference is not in the truth
    # r1 and r2 linked (right), r3 with them (wrong): 1 correct of 3 predicted pairs, of 1 true pair.
    scores = pairwise({"r1": "x", "r2": "x", "r3": "x", "r4": "x"}, truth)
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (1, 3, 1)


def test_a_truth_file_with_problems_names_each_by_line_and_field(tmp_path):
    path = tmp_path / "source_people.csv"
    path.write_text("feed,ref,person_id\npolice,P1,amy\npolice,,ben\nhealth,H1, \npolice,P1,cara\n")
    with pytest.raises(ListError) as raised:
        read_truth(tmp_path)
    assert raised.value.problems == [
        f"{path}:3:ref: the cell is blank",
        f"{path}:4:person_id: the cell is blank",
        f"{path}:5:ref: police P1 appears more than once",
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, ":1:-: the file does not exist"),
        (b"feed,reference,person_id\na,b,c\n", ":1:ref: the column is missing"),
        (b"feed,ref,person_id\nhealth,H1,Zo\xeb\n", ":2:-: the file is not UTF-8"),
    ],
)
def test_a_truth_file_that_cannot_be_used_is_one_problem(tmp_path, content, problem):
    path = tmp_path / "source_people.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ListError) as raised:
        read_truth(path)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(f"{path}{problem}")
