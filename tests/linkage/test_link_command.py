"""`continuum linkage link` as a council's analyst types it: the real executable, a clean environment (no
settings, no secret key, no database), good lists and bad ones."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONTINUUM = Path(sys.executable).parent / "continuum"

LEFT = """\
record_id,given_name,family_name,date_of_birth,sex,postcode
L1,William,Hartley,2013-04-07,M,LS6 2AB
L2,Elizabeth,Okafor,2011-11-23,F,LS7 3CD
L3,Grace,Whitfield,2015-06-02,F,LS8 1EF
"""
RIGHT = """\
record_id,given_name,family_name,date_of_birth,sex,postcode,notes
R1,Grace,Whitfield,2015-06-02,F,LS8 1EF,
R2,Bill,Hartley,2013-04-07,M,LS6 2AB,known as Bill
R3,Oliver,Brennan,2012-01-15,M,LS9 4GH,
"""


def continuum(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `continuum ARGS` in `cwd` with nothing in the environment but PATH."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(CONTINUUM), *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=300, check=False
    )


def link(folder: Path, left: str | bytes, right: str | bytes, *extra: str) -> subprocess.CompletedProcess[str]:
    for name, text in (("a.csv", left), ("b.csv", right)):
        if isinstance(text, bytes):
            (folder / name).write_bytes(text)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return continuum("linkage", "link", "--left", "a.csv", "--right", "b.csv", "--out", "pairs.csv", *extra, cwd=folder)


def test_the_help_says_what_a_list_holds(tmp_path):
    for args in (["linkage", "link", "--help"], ["help", "linkage", "link"]):
        result = continuum(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "record_id" in result.stdout
        assert "left_id, right_id, match_probability" in " ".join(result.stdout.split())


def test_lists_with_problems_name_every_one_by_file_line_and_field_and_nothing_is_written(tmp_path):
    (tmp_path / "pairs.csv").write_text("the old pairs\n")
    left = "given_name,family_name\nAnn,Lee\n"
    right = "record_id,date_of_birth\nR1,2012-01-15\nR1,2012-02-30\n"
    result = link(tmp_path, left, right)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "a.csv:1:record_id: the column is missing: every list needs a record_id column",
        "b.csv:3:record_id: the record id 'R1' is also on line 2: record ids must be unique",
        "b.csv:3:date_of_birth: 2012-02-30 is not a day of the calendar",
        "continuum linkage link: 3 problem(s); nothing was written",
    ]
    assert (tmp_path / "pairs.csv").read_text() == "the old pairs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "pairs.csv"]


def test_a_list_that_is_not_utf8_empty_or_missing_is_one_line_each(tmp_path):
    result = link(tmp_path, "record_id,given_name\n1,Zo\xeb\n".encode("cp1252"), b"")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "a.csv:2:-: the file is not UTF-8 (byte 0xEB at offset 25); save it as UTF-8 and load it again",
        "b.csv:1:-: the file is empty: its first line must name the columns, record_id and any of given_name, "
        "family_name, date_of_birth, sex, postcode, address, nhs_number, upn",
        "continuum linkage link: 2 problem(s); nothing was written",
    ]
    missing = continuum("linkage", "link", "--left", "a.csv", "--right", "no.csv", "--out", "p.csv", cwd=tmp_path)
    assert missing.returncode == 1
    assert "no.csv:1:-: the file does not exist" in missing.stderr.splitlines()
    header_only = link(tmp_path, LEFT, "record_id,given_name\n")
    assert header_only.stderr.splitlines() == [
        "b.csv:2:-: the list has no records: nothing follows the header",
        "continuum linkage link: 1 problem(s); nothing was written",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--left", "a.csv", "--right", "a.csv", "--out", "p.csv"],
            "continuum linkage link: --left and --right are the same file (a.csv): name two different lists",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "./b.csv"],
            "continuum linkage link: --out is the same file as --right (b.csv): name another file for the pairs",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "nowhere/p.csv"],
            "continuum linkage link: cannot write nowhere/p.csv: the folder nowhere does not exist",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "a.csv/p.csv"],
            "continuum linkage link: cannot write a.csv/p.csv: a.csv is a file, not a folder",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "."],
            "continuum linkage link: cannot write .: it is a folder; name a file for the pairs",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "p.csv", "--backend", "oracle"],
            "continuum linkage link: unknown backend 'oracle': choose one of duckdb, spark",
        ),
        (
            ["--left", "a.csv", "--out", "p.csv"],
            "continuum linkage link: the following arguments are required: --right (see continuum linkage link --help)",
        ),
        (
            ["--left", "a.csv", "--right", "b.csv", "--out", "p.csv", "--threshold", "0.5"],
            "continuum linkage link: unrecognized arguments: --threshold 0.5 (see continuum linkage link --help)",
        ),
    ],
)
def test_a_command_that_cannot_work_says_why_in_one_line_before_reading_anything(tmp_path, args, message):
    (tmp_path / "a.csv").write_text(LEFT)
    (tmp_path / "b.csv").write_text(RIGHT)
    result = continuum("linkage", "link", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == message
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_an_output_folder_that_may_not_be_written_to_is_named(tmp_path):
    (tmp_path / "a.csv").write_text(LEFT)
    (tmp_path / "b.csv").write_text(RIGHT)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = continuum("linkage", "link", "--left", "a.csv", "--right", "b.csv", "--out", "locked/p.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "continuum linkage link: cannot write locked/p.csv: the folder locked may not be written to"
    )


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))
