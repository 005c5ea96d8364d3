"""The two lists of children for benchmarking linkage (and `continuum synth lists`): reproducible, the overlap asked
for, the truth exact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from continuum.synth import two_lists


def test_the_same_seed_gives_the_same_lists_and_another_seed_other_lists():
    first, again, other = two_lists(300, seed=3), two_lists(300, seed=3), two_lists(300, seed=4)
    assert first.left.equals(again.left) and first.right.equals(again.right) and first.truth.equals(again.truth)
    assert not first.left.equals(other.left)


def test_each_list_has_its_size_and_the_shared_children_are_the_true_pairs():
    lists = two_lists(500, seed=1, shared=0.6)
    assert lists.left.num_rows == lists.right.num_rows == 500
    assert lists.truth.num_rows == 300
    left_ids = lists.truth["left_id"].to_pylist()
    right_ids = lists.truth["right_id"].to_pylist()
    assert len(set(left_ids)) == len(set(right_ids)) == 300  # one record per child on each list
    assert set(left_ids) <= set(lists.left["record_id"].to_pylist())
    assert set(right_ids) <= set(lists.right["record_id"].to_pylist())
    assert lists.left.column_names == ["record_id", "given_name", "family_name", "date_of_birth", "postcode"]


def test_the_lists_carry_errors_but_most_true_pairs_agree_on_date_of_birth():
    lists = two_lists(2000, seed=1)
    left = {r["record_id"]: r for r in lists.left.to_pylist()}
    right = {r["record_id"]: r for r in lists.right.to_pylist()}
    pairs = [(left[t["left_id"]], right[t["right_id"]]) for t in lists.truth.to_pylist()]
    same_dob = sum(a["date_of_birth"] == b["date_of_birth"] for a, b in pairs) / len(pairs)
    same_given = sum(a["given_name"] == b["given_name"] for a, b in pairs) / len(pairs)
    assert 0.9 < same_dob < 0.99
    assert 0.7 < same_given < 0.95  # nicknames, slips, capitals and spaces
    assert lists.right["postcode"].null_count > lists.left["postcode"].null_count > 0


def test_the_lists_are_written_as_csv(tmp_path):
    lists = two_lists(50, seed=2)
    lists.write(tmp_path)
    assert pacsv.read_csv(tmp_path / "left.csv").num_rows == 50
    assert pacsv.read_csv(tmp_path / "truth.csv").column_names == ["left_id", "right_id"]
    assert (tmp_path / "right.csv").read_text().splitlines()[
        0
    ] == "record_id,given_name,family_name,date_of_birth,postcode"


@pytest.mark.parametrize(("size", "shared"), [(0, 0.5), (10, 1.5), (True, 0.5)])
def test_impossible_sizes_are_refused(size, shared):
    with pytest.raises(ValueError):
        two_lists(size, shared=shared)


def test_continuum_synth_lists_writes_the_lists_and_needs_no_settings(tmp_path):
    result = _continuum("synth", "lists", "--people", "40", "--shared", "0.5", "--out", "lists", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"left": 40, "right": 40, "true_pairs": 20}
    assert pacsv.read_csv(tmp_path / "lists" / "truth.csv").num_rows == 20
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--people", "0"], "argument --people: 0 is not from 1 to 1,000,000"),
        (["--people", "many"], "argument --people: 'many' is not a whole number"),
        (["--shared", "2"], "argument --shared: 2 is not from 0 to 1"),
    ],
)
def test_continuum_synth_lists_refuses_impossible_sizes_in_one_line(tmp_path, args, says):
    result = _continuum("synth", "lists", *args, "--out", "lists", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"continuum synth lists: error: {says}"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "lists").exists()


def _continuum(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    command = [str(Path(sys.executable).parent / "continuum"), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
