"""Reading a council's list of people (every problem as FILE:LINE:FIELD), writing pairs atomically, and
linking two lists."""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest

from continuum.linkage.engine import lists
from continuum.linkage.engine.lists import ListError, link_lists, read_list, write_pairs
from continuum.linkage.engine.records import RECORD_SCHEMA
from tests.linkage.twolists import Child, two_lists


def write(folder: Path, text: str | bytes, name: str = "list.csv") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ListError) as raised:
        read_list(path, source="school", name="list.csv")
    assert str(raised.value) == "\n".join(raised.value.problems)
    return raised.value.problems


def test_a_list_is_read_into_records_with_blanks_as_missing_and_other_columns_ignored(tmp_path):
    path = write(
        tmp_path,
        "\ufeffrecord_id,family_name,given_name,notes,date_of_birth,sex,postcode\r\n"
        "17, Smith ,Amelia,first,2014-03-09,F,LS6 2AB\r\n"
        "\r\n"
        '18,"O\'Brien, Jr",Jack,,,male,75001\r\n'
        "19,,,,,,\r\n",
    )
    table = read_list(path, source="school")
    assert table.schema == RECORD_SCHEMA
    assert table.to_pylist() == [
        {
            "record_id": "17",
            "source": "school",
            "given_name": "Amelia",
            "family_name": "Smith",
            "date_of_birth": datetime.date(2014, 3, 9),
            "sex": "F",
            "postcode": "LS6 2AB",
            "address": None,
            "nhs_number": None,
            "upn": None,
        },
        {
            "record_id": "18",
            "source": "school",
            "given_name": "Jack",
            "family_name": "O'Brien, Jr",
            "date_of_birth": None,
            "sex": "M",
            "postcode": "75001",  # not a UK postcode: compared as given
            "address": None,
            "nhs_number": None,
            "upn": None,
        },
        {
            "record_id": "19",
            "source": "school",
            **dict.fromkeys(["given_name", "family_name", "date_of_birth", "sex", "postcode"]),
            "address": None,
            "nhs_number": None,
            "upn": None,
        },
    ]


def test_a_list_of_ids_only_and_a_list_with_every_field_are_both_lists(tmp_path):
    assert read_list(write(tmp_path, "record_id\na\nb\n"), source="x").column("record_id").to_pylist() == ["a", "b"]
    header = "record_id,given_name,family_name,date_of_birth,sex,postcode,address,nhs_number,upn"
    row = "1,Ann,Lee,2010-01-31,f,B1 1AA,1 High Street,9434765919,A123456789012"
    table = read_list(write(tmp_path, f"{header}\n{row}\n"), source="x")
    assert table.to_pylist()[0]["address"] == "1 High Street"
    assert table.to_pylist()[0]["sex"] == "F"


def test_a_list_without_a_record_id_column_is_named_at_the_header(tmp_path):
    assert problems(write(tmp_path, "id,given_name\n1,Ann\n")) == [
        "list.csv:1:record_id: the column is missing: every list needs a record_id column"
    ]


def test_every_problem_in_a_list_is_named_by_line_and_field_at_once(tmp_path):
    text = (
        "record_id,given_name,date_of_birth,sex\n"  # 1
        "a,Ann,2010-02-28,F\n"  # 2
        "b,Ben,2010-02-30,M\n"  # 3: no such day
        "a,Amy,,F\n"  # 4: a's second line
        " ,Cat,,\n"  # 5: a blank id
        "d,Dan,10/02/2010,X\n"  # 6: a date in another form, and a sex that is not M or F
        '"e\n2",Eve,,F\n'  # 7-8: a quoted id over two lines (starts on line 7)
        "f,Fay\n"  # 9: one cell short
        "a,Ava,2010-1-1,\n"  # 10: a third time, and a date without its zeros
    )
    assert problems(write(tmp_path, text)) == [
        "list.csv:3:date_of_birth: 2010-02-30 is not a day of the calendar",
        "list.csv:4:record_id: the record id 'a' is also on line 2: record ids must be unique",
        "list.csv:5:record_id: the record id is blank",
        "list.csv:6:date_of_birth: '10/02/2010' is not a date written YYYY-MM-DD",
        "list.csv:6:sex: 'X' is not M, F, male or female (leave it blank when not known)",
        "list.csv:9:-: the row has 2 cells; the header names 4 columns",
        "list.csv:10:record_id: the record id 'a' is also on line 2: record ids must be unique",
        "list.csv:10:date_of_birth: '2010-1-1' is not a date written YYYY-MM-DD",
    ]


def test_a_column_named_twice_is_a_problem_unless_it_is_one_the_list_ignores(tmp_path):
    assert problems(write(tmp_path, "record_id,postcode,postcode\n1,A,B\n")) == [
        "list.csv:1:postcode: the column appears more than once"
    ]
    assert read_list(write(tmp_path, "record_id,note,note\n1,x,y\n"), source="x").num_rows == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "list.csv:1:-: the file is empty: its first line must name the columns, record_id and any of "),
        (b"\n\n", "list.csv:1:-: the file is empty"),
        (b"record_id,given_name\n", "list.csv:2:-: the list has no records: nothing follows the header"),
        (b"record_id,given_name\n\n,\n", "list.csv:2:-: the list has no records"),
        (
            b"record_id,given_name\n1,Ann\n2,Z\xf6e\n",
            "list.csv:3:-: the file is not UTF-8 (byte 0xF6 at offset 30); save it as UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_a_list_at_all_is_one_problem(tmp_path, content, expected):
    found = problems(write(tmp_path, content))
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_missing_file_or_a_folder_is_one_problem(tmp_path):
    assert problems(tmp_path / "nowhere.csv") == ["list.csv:1:-: the file does not exist"]
    assert problems(tmp_path) == ["list.csv:1:-: this is a folder, not a CSV file"]


def test_problems_name_the_file_by_its_path_unless_given_a_name(tmp_path):
    path = write(tmp_path, "given_name\nAnn\n")
    with pytest.raises(ListError) as raised:
        read_list(path, source="x")
    assert raised.value.problems == [f"{path}:1:record_id: the column is missing: every list needs a record_id column"]


def test_a_list_of_five_thousand_people_is_read_in_well_under_a_second(tmp_path):
    header = "record_id,given_name,family_name,date_of_birth,sex,postcode,address"
    rows = [
        f"{i},Given{i},Family{i},2012-{1 + i % 12:02d}-{1 + i % 28:02d},M,LS{i % 30} 1AB,{i} Road" for i in range(5000)
    ]
    path = write(tmp_path, "\n".join([header, *rows]) + "\n")
    started = time.perf_counter()
    table = read_list(path, source="x")
    assert time.perf_counter() - started < 0.5
    assert table.num_rows == 5000


def test_pairs_are_written_with_exactly_three_columns_and_no_temporary_file_left(tmp_path):
    table = pa.table(
        {
            "left_id": ["a", "b,2"],
            "right_id": ["x", 'y"'],
            "match_probability": [0.99, 0.875],
            "match_weight": [7.0, 3.0],
        }
    )
    out = tmp_path / "pairs.csv"
    out.write_text("the old pairs\n")
    write_pairs(table, out)
    # An id that needs quotes: every id is quoted (both are valid CSV).
    assert out.read_text() == 'left_id,right_id,match_probability\n"a","x",0.99\n"b,2","y""",0.875\n'
    write_pairs(table.slice(0, 1), out)
    assert out.read_text() == "left_id,right_id,match_probability\na,x,0.99\n"
    assert os.listdir(tmp_path) == ["pairs.csv"]
    write_pairs(table.slice(0, 0), out)
    assert out.read_text() == "left_id,right_id,match_probability\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    out = tmp_path / "pairs.csv"
    out.write_text("the old pairs\n")

    def refuse(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lists.os, "replace", refuse)
    table = pa.table({"left_id": ["a"], "right_id": ["b"], "match_probability": [0.9]})
    with pytest.raises(OSError, match="No space"):
        write_pairs(table, out)
    assert out.read_text() == "the old pairs\n"
    assert os.listdir(tmp_path) == ["pairs.csv"]


def linked(pairs: pa.Table) -> set[tuple[str, str]]:
    return set(zip(pairs.column("left_id").to_pylist(), pairs.column("right_id").to_pylist(), strict=True))


def as_table(children: list[Child], source: str) -> pa.Table:
    rows = [
        {
            "record_id": child.record_id,
            "source": source,
            "given_name": child.given_name,
            "family_name": child.family_name,
            "date_of_birth": datetime.date.fromisoformat(child.date_of_birth),
            "sex": child.sex,
            "postcode": child.postcode or None,
        }
        for child in children
    ]
    return pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)


@pytest.mark.parametrize("seed", [1, 2])
def test_two_lists_of_three_hundred_children_link_with_high_precision_and_recall(seed):
    left, right, truth = two_lists(seed, 300)
    pairs = link_lists(as_table(left, "school"), as_table(right, "gp"))
    assert pairs.schema == pa.schema(
        [("left_id", pa.string()), ("right_id", pa.string()), ("match_probability", pa.float64())]
    )
    assert pairs.column("left_id").to_pylist() == sorted(pairs.column("left_id").to_pylist())
    found = linked(pairs)
    correct = len(found & truth)
    # Nicknames, typos, swapped dates, moved and missing postcodes are found; twins mostly kept apart.
    assert correct / len(found) >= 0.98
    assert correct / len(truth) >= 0.97


def test_both_lists_may_use_the_same_ids_and_the_pairs_carry_each_lists_own(tmp_path):
    left, right, truth = two_lists(3, 200)
    # Number both lists 1, 2, 3 ...: the left's "7" and the right's "7" are different children.
    left_number = {child.record_id: str(n) for n, child in enumerate(left, start=1)}
    right_number = {child.record_id: str(n) for n, child in enumerate(right, start=1)}
    renumbered = link_lists(
        as_table([replace(c, record_id=left_number[c.record_id]) for c in left], "a"),
        as_table([replace(c, record_id=right_number[c.record_id]) for c in right], "b"),
    )
    original = link_lists(as_table(left, "a"), as_table(right, "b"))
    assert linked(renumbered) == {(left_number[a], right_number[b]) for a, b in linked(original)}
    assert len(linked(original) & truth) >= 0.97 * len(truth)
