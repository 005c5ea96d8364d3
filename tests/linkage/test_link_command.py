"""`continuum linkage link` as a council's analyst types it: the real executable, a clean environment (no
settings, no secret key, no database), good lists and bad ones."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from continuum.cli import main
from continuum.linkage.engine import cli
from continuum.linkage.engine.backends import BackendError
from tests.linkage.twolists import two_lists, write_list

CONTINUUM = Path(sys.executable).parent / "continuum"

# Twelve children a list, written by hand: nine on both, each pair differing in one way a real list does.
LEFT = """\
record_id,given_name,family_name,date_of_birth,sex,postcode
L01,William,Hartley,2013-04-07,M,LS6 2AB
L02,Elizabeth,Okafor,2011-11-23,F,LS7 3CD
L03,Grace,Whitfield,2015-06-02,F,LS8 1EF
L04,Amelia,Nowak,2012-09-14,F,LS11 5GH
L05,Noah,Brennan,2010-02-28,M,LS12 7JK
L06,Oliver,Brennan,2010-02-28,M,LS12 7JK
L07,Priya,Patel,2014-03-05,F,LS9 2LN
L08,Jack,Gallagher,2009-12-19,M,LS15 8PQ
L09,Maryam,Hussain,2016-07-30,F,LS17 4RS
L10,Thomas,Kowalski,2011-01-08,M,LS28 6TU
L11,Isla,Mensah,2013-10-21,F,LS4 9WX
L12,George,Chen,2012-05-17,M,LS2 3YZ
"""
RIGHT = """\
record_id,given_name,family_name,date_of_birth,sex,postcode,notes
R01,Bill,Hartley,2013-04-07,M,LS6 2AB,a short form
R02,Liz,Okafor,2011-11-23,F,LS7 3CD,a short form
R03,Grace,Whitfield,2015-02-06,F,LS8 1EF,day and month the other way round
R04,Amelia,Nowak-Osei,2012-09-14,F,LS11 5GH,a second family name
R05,Oliver,Brennan,2010-02-28,M,LS12 7JK,"Noah's twin: this is Oliver, not Noah"
R06,Priya,Patel,2014-03-05,F,,no postcode
R07,Jack,Galagher,2009-12-19,M,LS15 8PQ,a letter left out
R08,Maryam,Hussain,2016-07-30,F,LS1 1AA,moved
R09,Tom,Kowalski,2011-01-08,M,LS28 6TU,a short form
R10,Ruby,Mensah,2013-10-21,F,LS4 9WX,"Isla's twin, on this list only"
R11,Arthur,Ellis,2014-08-09,M,LS7 5AB,on this list only
R12,Freya,Dixon,2010-06-11,F,LS9 8CD,on this list only
"""
BY_HAND = {
    ("L01", "R01"),
    ("L02", "R02"),
    ("L03", "R03"),
    ("L04", "R04"),
    ("L06", "R05"),
    ("L07", "R06"),
    ("L08", "R07"),
    ("L09", "R08"),
    ("L10", "R09"),
}


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


def test_two_lists_link_into_exactly_the_pairs_worked_by_hand(tmp_path):
    # A model is trained on the lists themselves, so the twelve children are among two hundred generated
    # ones (a list of twelve is too few to learn from): the pairs among the twelve are asserted exactly.
    left, right, truth = two_lists(1, 200)
    write_list(left, tmp_path / "background-a.csv")
    write_list(right, tmp_path / "background-b.csv")
    lists = []
    for background, by_hand in (("background-a.csv", LEFT), ("background-b.csv", RIGHT)):
        rows = (tmp_path / background).read_text().splitlines()
        header, hand_rows = by_hand.splitlines()[0], by_hand.splitlines()[1:]
        if header.endswith(",notes"):  # the notes column is ignored; the generated rows leave it empty
            rows = [rows[0] + ",notes"] + [row + "," for row in rows[1:]]
        lists.append("\n".join(rows + hand_rows) + "\n")
    result = link(tmp_path, *lists)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Linked ")
    assert result.stdout.endswith(" pair(s) of 212 and 212 records into pairs.csv\n")
    text = (tmp_path / "pairs.csv").read_text()
    assert text.splitlines()[0] == "left_id,right_id,match_probability"
    pairs = read_pairs(tmp_path / "pairs.csv")
    found = {(pair["left_id"], pair["right_id"]) for pair in pairs}
    assert {(a, b) for a, b in found if a.startswith("L") or b.startswith("R")} == BY_HAND
    assert all(0.0 <= float(pair["match_probability"]) <= 1.0 for pair in pairs)
    expected = truth | BY_HAND
    assert len(found & expected) >= 0.97 * len(found)
    assert len(found & expected) >= 0.97 * len(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.csv",
        "b.csv",
        "background-a.csv",
        "background-b.csv",
        "pairs.csv",
    ]


def test_lists_with_no_field_filled_in_on_both_say_so_in_one_line(tmp_path):
    result = link(
        tmp_path, "record_id,given_name\n1,Ann\n2,Bob\n", "record_id,family_name,postcode\n1,Lee,\n2,Smith,\n"
    )
    assert result.returncode == 1
    assert result.stderr == (
        "continuum linkage link: the two lists have no field with values in both: fill in any of given_name, "
        "family_name, date_of_birth, sex, postcode, address, nhs_number, upn\n"
    )
    assert not (tmp_path / "pairs.csv").exists()


def test_a_long_run_shows_its_progress_on_standard_error(tmp_path, monkeypatch, capsys):
    left, right, _ = two_lists(2, 100)
    write_list(left, tmp_path / "a.csv")
    write_list(right, tmp_path / "b.csv")
    monkeypatch.setattr(cli, "PROGRESS_RECORDS", 100)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["continuum", "linkage", "link", "--left", "a.csv", "--right", "b.csv", "--out", "pairs.csv"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out.startswith("Linked ")
    assert "Linking" in err
    assert (tmp_path / "pairs.csv").read_text().startswith("left_id,right_id,match_probability\n")


def test_a_backend_that_cannot_start_is_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.csv").write_text(LEFT)
    (tmp_path / "b.csv").write_text(RIGHT)

    @contextmanager
    def no_java(name: str) -> Iterator[None]:
        raise BackendError("cannot start Spark: no Java runtime was found (install openjdk-17-jre-headless)")
        yield

    monkeypatch.setattr(cli, "open_backend", no_java)
    monkeypatch.chdir(tmp_path)
    status = cli.linkage_link_main(["--left", "a.csv", "--right", "b.csv", "--out", "p.csv", "--backend", "spark"])
    assert status == 1
    assert capsys.readouterr().err == (
        "continuum linkage link: cannot start Spark: no Java runtime was found (install openjdk-17-jre-headless)\n"
    )
    assert not (tmp_path / "p.csv").exists()


def test_an_unexpected_failure_while_linking_is_one_line_unless_the_traceback_is_asked_for(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "a.csv").write_text(LEFT)
    (tmp_path / "b.csv").write_text(RIGHT)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Catalog Error:\n  table __splink__df_concat does not exist")

    monkeypatch.setattr(cli.lists, "link_lists", broken)
    monkeypatch.chdir(tmp_path)
    arguments = ["--left", "a.csv", "--right", "b.csv", "--out", "p.csv"]
    assert cli.linkage_link_main(arguments) == 1
    assert capsys.readouterr().err == (
        "continuum linkage link: linking failed (RuntimeError: Catalog Error: table __splink__df_concat does not "
        "exist); --traceback shows where\n"
    )
    with pytest.raises(RuntimeError, match="Catalog Error"):
        cli.linkage_link_main([*arguments, "--traceback"])
    assert not (tmp_path / "p.csv").exists()


def test_lists_too_small_to_learn_from_are_linked_with_a_note_saying_pairs_may_be_missed(tmp_path):
    header = "record_id,given_name,family_name,date_of_birth,postcode\n"
    done = link(
        tmp_path,
        header + "a1,William,Smith,2015-03-04,SW1A 1AA\na2,Jane,Doe,2014-05-06,75001\n",
        header + "b1,Bill,Smith,2015-04-03,SW1A1AA\nb2,Janet,Dove,2013-01-01,10001\n",
    )
    assert done.returncode == 0, done.stderr
    assert "fewer than 200 records" in done.stderr
    assert "Traceback" not in done.stderr
    assert read_pairs(tmp_path / "pairs.csv") is not None
