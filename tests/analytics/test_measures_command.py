"""`continuum measures score sdq` as a person types it: the real executable, a clean environment (no
settings, no secret key, no database), good files and bad ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from continuum.analytics.sdq import SDQ_INPUT_COLUMNS

CONTINUUM = Path(sys.executable).parent / "continuum"
HEADER = ",".join(SDQ_INPUT_COLUMNS)

# The five responses worked by hand in test_sdq.py, one for each informant and version.
GOOD = [
    "R1,parent,4-17,2,1,0,2,1,0,2,1,2,2,2,0,1,1,2,0,2,0,0,1,0,0,1,2,1,2,2,3,1,2,0",
    "R2,teacher,4-17,1,2,1,1,0,,0,,0,2,,1,2,,1,1,1,,2,0,1,1,1,,0,3,3,3,2,3,3",
    "R3,self,11-17,2,1,2,1,0,1,2,2,1,1,0,0,1,1,0,1,2,0,0,1,2,0,0,,,0,3,3,3,3,3",
    "R4,parent,2-4,2,0,1,2,2,0,,1,2,1,2,2,2,2,0,,2,,0,2,2,,0,,1,1,,,,,",
    "R5,teacher,2-4,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,,,,",
]
SCORED = """\
response_id,emotional,conduct,hyperactivity,peer,prosocial,total,externalising,internalising,impact,\
emotional_band,conduct_band,hyperactivity_band,peer_band,prosocial_band,total_band,externalising_band,\
internalising_band,impact_band
R1,4,1,8,2,9,15,9,6,4,slightly_raised,close_to_average,high,close_to_average,close_to_average,slightly_raised,,,\
very_high
R2,7,5,8,,3,,13,,5,very_high,very_high,high,,very_low,,,,very_high
R3,8,0,3,4,7,15,3,12,0,very_high,close_to_average,close_to_average,high,close_to_average,slightly_raised,,,\
close_to_average
R4,7,,2,0,10,,,7,,very_high,,close_to_average,close_to_average,close_to_average,,,,
R5,0,2,4,4,0,10,6,4,1,close_to_average,close_to_average,close_to_average,slightly_raised,very_low,\
close_to_average,,,slightly_raised
"""


def continuum(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `continuum ARGS` in `cwd` with nothing in the environment but PATH."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(CONTINUUM), *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def score(folder: Path, text: str | bytes, *, output: str = "out.csv") -> subprocess.CompletedProcess[str]:
    source = folder / "in.csv"
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    return continuum("measures", "score", "sdq", "--input", "in.csv", "--output", output, cwd=folder)


def test_a_good_file_gives_exactly_the_scores_worked_by_hand(tmp_path):
    result = score(tmp_path, "\n".join([HEADER, *GOOD]) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "Scored 5 SDQ response(s) into out.csv\n"
    assert (tmp_path / "out.csv").read_text() == SCORED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_other_columns_blank_lines_windows_line_ends_and_a_byte_order_mark_are_taken(tmp_path):
    lines = [f"{HEADER},notes", *(f"{row},note {n}" for n, row in enumerate(GOOD)), ""]
    text = "\ufeff" + "\r\n".join(lines[:3] + [""] + lines[3:])
    result = score(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.csv").read_text() == SCORED


def test_a_bad_file_names_every_problem_by_line_and_field_and_writes_nothing(tmp_path):
    (tmp_path / "out.csv").write_text("the previous scores\n")
    bad_item = GOOD[0].replace("R1,parent,4-17,2,1,0", "R1,parent,4-17,2,1,3", 1)  # sdq3 = 3
    unknown = GOOD[1].replace("teacher", "carer", 1)
    not_a_number = GOOD[2].replace(",0,3,3,3,3,3", ",no,3,3,3,3,x", 1)  # difficulties, impact_leisure
    multiline_id = '"R\n4"' + GOOD[3][2:]  # a line break inside a quoted cell: the row starts on line 6
    short = "R6,parent,4-17,1,1"
    text = "\n".join([HEADER, bad_item, unknown, "", not_a_number, multiline_id, short, GOOD[4]]) + "\n"
    result = score(tmp_path, text)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "in.csv:2:sdq3: '3' is not 0 (not true), 1 (somewhat true) or 2 (certainly true), or blank when not answered",
        "in.csv:3:informant: 'carer' is not an informant: parent, teacher or self",
        "in.csv:5:difficulties: 'no' is not 0 (no), 1 (minor), 2 (definite) or 3 (severe), or blank when not answered",
        "in.csv:5:impact_leisure: 'x' is not 0 (not at all), 1 (only a little), 2 (quite a lot) or 3 (a great deal), "
        "or blank when not answered",
        "in.csv:6:response_id: 'R\\n4' contains a control character",
        "in.csv:8:-: the row has 5 cells; the header names 34 columns",
        "in.csv: 6 problem(s); nothing was written",
    ]
    assert (tmp_path / "out.csv").read_text() == "the previous scores\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary file left


def test_a_self_report_for_a_four_year_old_and_a_repeated_id_are_refused(tmp_path):
    wrong_form = GOOD[2].replace("self,11-17", "self,2-4", 1)
    repeated = GOOD[4].replace("R5", "R1", 1)
    result = score(tmp_path, "\n".join([HEADER, GOOD[0], wrong_form, repeated]) + "\n")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "in.csv:3:version: the self-report form has no 2-4 version (only 11-17)",
        "in.csv:4:response_id: 'R1' appears more than once",
    ]
    assert not (tmp_path / "out.csv").exists()


def test_missing_columns_are_named_on_the_header_line(tmp_path):
    header = HEADER.replace(",sdq7,", ",sdq_7,").replace(",impact_leisure", "")
    result = score(tmp_path, header + "\n" + GOOD[0] + "\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "in.csv:1:sdq7: the column is missing",
        "in.csv:1:impact_leisure: the column is missing",
        "in.csv: 2 problem(s); nothing was written",
    ]
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "in.csv:1:-: the file is empty: it needs a header line naming the columns"),
        (
            (HEADER + "\n" + GOOD[0] + "\n").encode() + b"R\xe9,parent,4-17" + b",1" * 25 + b",,,,,,\n",
            "in.csv:3:-: is not UTF-8 text (byte 0xe9 at column 2)",
        ),
    ],
)
def test_an_empty_file_or_one_that_is_not_utf8_is_one_line(tmp_path, content, says):
    result = score(tmp_path, content)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == says
    assert not (tmp_path / "out.csv").exists()


def test_an_input_that_is_not_there_is_one_line(tmp_path):
    result = continuum("measures", "score", "sdq", "--input", "missing.csv", "--output", "out.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "continuum measures score sdq: cannot read missing.csv: No such file or directory\n"


def test_an_output_folder_that_is_not_there_is_one_line(tmp_path):
    result = score(tmp_path, "\n".join([HEADER, *GOOD]) + "\n", output="nowhere/out.csv")
    assert result.returncode == 2
    assert (
        result.stderr
        == "continuum measures score sdq: cannot write nowhere/out.csv: the folder nowhere does not exist\n"
    )


def test_help_needs_no_settings(tmp_path):
    result = continuum("measures", "score", "sdq", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: continuum measures score sdq [-h] --input IN.csv --output OUT.csv")
    result = continuum("measures", "score", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "sdq" in result.stdout
    result = continuum("measures", "score", "sdq", cwd=tmp_path)
    assert result.returncode == 2 and "the following arguments are required: --input, --output" in result.stderr
