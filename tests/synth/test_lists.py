"""The two lists of children for benchmarking linkage: reproducible, the overlap asked for, the truth exact."""

from __future__ import annotations

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
