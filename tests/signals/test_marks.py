"""Attendance marks: checking files to exact FILE:LINE:FIELD problems, the store's merges, terms and locking.

Small files in tmp_path; the county-scale timings are in bench/, not here."""

# ruff: noqa: S608  (queries around the SQL that read_marks and staged_marks_sql give)

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest

from continuum.identifiers import upn_check_letter
from continuum.signals.feeds import marks_check
from continuum.signals.feeds import marks_db as db
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.marks import (
    CheckedMarks,
    PreparedMarks,
    StoreLocked,
    check_marks,
    prepare_marks,
    read_marks,
    staged_marks_sql,
    term_of,
)

HEADER = "upn,given_name,family_name,date_of_birth,school_urn,date,session,code"
MONDAY = datetime.date(2024, 9, 2)
NAME = "attendance.csv"


def upn(n: int) -> str:
    """A valid UPN (its check letter matches)."""
    body = f"8{n:011d}"
    return upn_check_letter(body) + body


def wrong_letter(valid: str) -> str:
    return ("B" if valid[0] == "A" else "A") + valid[1:]


def mark(
    pupil: str,
    day: datetime.date,
    session: str = "AM",
    code: str = "/",
    *,
    urn: str = "100001",
    given: str = "Amelia",
    family: str = "Smith",
    dob: str = "2014-03-02",
) -> list[str]:
    return [pupil, given, family, dob, urn, day.isoformat(), session, code]


def week(pupil: str, monday: datetime.date = MONDAY, codes: str = "//////////", **kwargs: str) -> list[list[str]]:
    """A pupil's ten sessions in the week from `monday`, coded in order (AM, PM, AM ...)."""
    return [
        mark(pupil, monday + datetime.timedelta(days=i // 2), "AM" if i % 2 == 0 else "PM", code, **kwargs)
        for i, code in enumerate(codes)
    ]


def csv_text(rows: Iterable[list[str]], header: str = HEADER) -> str:
    return "\n".join([header, *(",".join(cells) for cells in rows)]) + "\n"


def write(folder: Path, rows: Iterable[list[str]], name: str = NAME, header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return path


def check(folder: Path, *paths: Path) -> CheckedMarks:
    return check_marks(list(paths), names=[p.name for p in paths], work=folder / "work")


def load(folder: Path, *paths: Path) -> PreparedMarks:
    """Check, prepare and commit into folder/store; the prepared marks."""
    checked = check(folder, *paths)
    assert not checked.errors, checked.errors
    prepared = prepare_marks(checked, store=folder / "store")
    prepared.commit()
    return prepared


def staged(checked: CheckedMarks) -> list[tuple]:
    assert checked.staged is not None
    columns = "upn, upn_usable, given_name, family_name, date_of_birth, school_urn, date, session, code"
    query = f"SELECT {columns} FROM ({staged_marks_sql(checked.staged)}) ORDER BY ALL"
    return duckdb.sql(query).fetchall()


def shown(problems: Iterable[object]) -> list[str]:
    return [str(p) for p in problems]


def twenty(folder: Path) -> list[list[str]]:
    """Two pupils' marks for a week: 20 rows, lines 2 to 21."""
    return week(upn(1)) + week(upn(2), family="Jones")


# ---- The contract -------------------------------------------------------------------------------------------------


def test_the_columns_and_key_are_the_catalogues():
    table = FEEDS["attendance"].table("attendance")
    assert tuple(c.name for c in table.columns) == db.COLUMNS
    assert table.required == db.REQUIRED
    assert table.key == db.KEY


# ---- A clean file ------------------------------------------------------------------------------------------------


def test_a_clean_file_is_staged_typed_with_no_problems(tmp_path):
    path = write(tmp_path, twenty(tmp_path))
    steps = []
    checked = check_marks([path], names=[NAME], work=tmp_path / "work", progress=lambda *step: steps.append(step))
    assert checked.problems == [] and checked.rejected == []
    assert checked.rows == 20
    [source] = checked.files
    assert (source.name, source.table, source.rows, source.problems) == (NAME, "attendance", 20, ())
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    rows = staged(checked)
    assert len(rows) == 20
    assert rows[0] == (upn(1), True, "Amelia", "Smith", datetime.date(2014, 3, 2), "100001", MONDAY, "AM", "/")
    assert steps[0] == (f"checking {NAME}", 0, 1) and steps[-1] == ("checked", 1, 1)


def test_windows_line_ends_a_byte_order_mark_and_blank_lines_at_the_end_are_fine(tmp_path):
    path = tmp_path / NAME
    text = csv_text(twenty(tmp_path)).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\r\n\r\n")
    checked = check(tmp_path, path)
    assert checked.problems == [] and checked.rows == 20


def test_extra_columns_in_any_order_are_ignored(tmp_path):
    rows = [[r[7], r[6], "x", *r[:6]] for r in twenty(tmp_path)]
    path = write(tmp_path, rows, header="code,session,notes,upn,given_name,family_name,date_of_birth,school_urn,date")
    checked = check(tmp_path, path)
    assert checked.problems == [] and len(staged(checked)) == 20


def test_names_and_upns_are_tidied_the_same_whichever_way_the_file_is_read(tmp_path):
    rows = twenty(tmp_path)
    rows[3][0] = rows[3][0].lower()
    rows[5][1] = "  Amelia "
    checked = check(tmp_path, write(tmp_path, rows))
    assert checked.problems == []
    assert {(r[0], r[2]) for r in staged(checked)} == {(upn(1), "Amelia"), (upn(2), "Amelia")}


def test_the_fast_and_the_exact_ways_stage_the_same_marks(tmp_path):
    rows = twenty(tmp_path)
    fast = check(tmp_path / "fast", write(tmp_path, rows, name="fast.csv"))
    # A blank line between rows sends the file to Python, which counts lines as the csv module does.
    exact_path = tmp_path / "exact.csv"
    exact_path.write_text(csv_text(rows).replace("\n", "\n\n", 1))
    exact = check(tmp_path / "exact", exact_path)
    assert fast.problems == exact.problems == []
    assert staged(fast) == staged(exact)


# ---- Bad cells, each with its exact line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "cell", "problem"),
    [
        ("code", "Q9", "attendance.csv:9:code: 'Q9' is not a code code; the codes include"),
        ("code", "l", "attendance.csv:9:code: 'l' is not a code code (did you mean 'L'?)"),
        ("date", "2024-09-31", "attendance.csv:9:date: '2024-09-31' is not a real date (YYYY-MM-DD)"),
        ("date", "2024-9-3", "attendance.csv:9:date: '2024-9-3' is not a date in the form YYYY-MM-DD"),
        ("date", "", "attendance.csv:9:date: is required"),
        ("date_of_birth", "02/03/2014", "attendance.csv:9:date_of_birth: '02/03/2014' is not a date in the form"),
        ("session", "XX", "attendance.csv:9:session: 'XX' is not a session code; the codes include AM, PM"),
        ("school_urn", "12345", "attendance.csv:9:school_urn: '12345' is not a school URN (six digits)"),
        ("upn", "", "attendance.csv:9:upn: is required"),
        ("given_name", "Am\x07elia", "attendance.csv:9:given_name: contains a control character (U+0007)"),
        ("family_name", "S" * 101, "attendance.csv:9:family_name: is longer than 100 characters"),
    ],
)
def test_a_bad_cell_is_an_error_on_its_line_and_its_row_is_rejected(tmp_path, column, cell, problem):
    rows = twenty(tmp_path)
    rows[7][db.COLUMNS.index(column)] = cell  # line 9
    checked = check(tmp_path, write(tmp_path, rows))
    assert len(checked.errors) == 1 and shown(checked.errors)[0].startswith(problem)
    [rejected] = checked.rejected
    assert (rejected.file, rejected.line, rejected.cells[column]) == (NAME, 9, cell)
    assert rejected.reasons == tuple(checked.errors)
    assert checked.rows == 19 and len(staged(checked)) == 19


def test_a_bad_cell_far_into_a_large_file_is_on_its_line(tmp_path):
    rows = [r for n in range(300) for r in week(upn(n))]  # 3,000 rows
    rows[2345][7] = "?"
    checked = check(tmp_path, write(tmp_path, rows))
    assert shown(checked.errors) == [
        "attendance.csv:2347:code: '?' is not a code code; the codes include /, \\, L, K, V, P, W, B and 26 more"
    ]


def test_every_bad_cell_of_a_row_is_named(tmp_path):
    rows = twenty(tmp_path)
    rows[0][5], rows[0][7] = "2024-02-30", "??"
    checked = check(tmp_path, write(tmp_path, rows))
    assert [(p.line, p.field) for p in checked.errors] == [(2, "date"), (2, "code")]


def test_a_missing_required_column_is_an_error_on_line_1(tmp_path):
    rows = [r[:7] for r in twenty(tmp_path)]
    path = write(tmp_path, rows, header="upn,given_name,family_name,date_of_birth,school_urn,date,session")
    checked = check(tmp_path, path)
    assert shown(checked.errors) == ["attendance.csv:1:code: this column is missing (the attendance table needs it)"]
    assert checked.files[0].problems == tuple(checked.errors) and checked.staged is None


def test_a_row_with_the_wrong_number_of_cells_is_an_error_on_its_line(tmp_path):
    rows = twenty(tmp_path)
    rows[4] = rows[4][:6]
    rows[10].append("extra")
    checked = check(tmp_path, write(tmp_path, rows))
    assert shown(checked.errors) == [
        "attendance.csv:6:-: this row has 6 cells but the header has 8",
        "attendance.csv:12:-: this row has 9 cells but the header has 8",
    ]
    assert checked.rows == 18


def test_a_repeated_key_is_an_error_on_the_later_line_naming_the_first(tmp_path):
    rows = twenty(tmp_path)
    rows.append(list(rows[2]))  # line 22 repeats line 4
    rows[-1][7] = "I"
    checked = check(tmp_path, write(tmp_path, rows))
    [problem] = checked.errors
    assert str(problem).startswith("attendance.csv:22:-: the key (school_urn '100001', upn '")
    assert str(problem).endswith("is also on line 4; a key appears once in a file")
    assert checked.rows == 20 and ("I" not in {r[8] for r in staged(checked)})


def test_lines_stay_exact_after_blank_lines_and_quoted_line_breaks(tmp_path):
    rows = twenty(tmp_path)
    text = csv_text(rows[:3]) + "\n" + csv_text(rows[3:5], header="").lstrip("\n")
    broken = list(rows[5])
    broken[1] = '"Ame\nlia"'  # a line break inside a name: line 8 and 9
    text += ",".join(broken) + "\n" + ",".join(rows[6][:7] + ["?"]) + "\n"
    path = tmp_path / NAME
    path.write_text(text)
    checked = check(tmp_path, path)
    assert [(p.line, p.field) for p in checked.errors] == [(8, "given_name"), (10, "code")]


def test_an_empty_file_and_one_with_only_a_header_are_refused_whole(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"\xef\xbb\xbf \n")
    (tmp_path / "header.csv").write_text(HEADER + "\n\n")
    checked = check(tmp_path, tmp_path / "empty.csv", tmp_path / "header.csv", tmp_path / "absent.csv")
    assert shown(checked.errors) == [
        "empty.csv:0:-: the file is empty",
        "header.csv:0:-: the file has a header but no rows",
        "absent.csv:0:-: there is no such file",
    ]
    assert [f.problems for f in checked.files] == [(p,) for p in checked.errors]
    assert checked.staged is None


def test_a_windows_1252_file_is_refused_at_the_line_of_its_first_bad_byte(tmp_path):
    rows = twenty(tmp_path)
    rows[12][2] = "Nuñez"
    path = tmp_path / NAME
    path.write_bytes(csv_text(rows).encode("cp1252"))
    checked = check(tmp_path, path)
    [problem] = checked.errors
    assert str(problem).startswith("attendance.csv:14:-: the file is not UTF-8 (byte 0xF1 at offset")
    assert checked.rejected == [] and checked.staged is None


def test_a_bad_byte_far_into_a_large_file_is_found_on_its_line(tmp_path):
    rows = [r for n in range(300) for r in week(upn(n))]
    rows[2500][1] = "Zoë"
    path = tmp_path / NAME
    path.write_bytes(csv_text(rows).encode("cp1252"))
    [problem] = check(tmp_path, path).errors
    assert str(problem).startswith("attendance.csv:2502:-: the file is not UTF-8 (byte 0xEB at offset")


def test_a_column_named_twice_is_an_error_on_line_1(tmp_path):
    path = write(tmp_path, [[*r, r[7]] for r in twenty(tmp_path)], header=HEADER + ",code")
    assert shown(check(tmp_path, path).errors) == [
        "attendance.csv:1:code: this column appears more than once in the header"
    ]


def test_errors_past_the_limit_are_counted_not_listed(tmp_path):
    rows = [r for n in range(30) for r in week(upn(n), codes="??????????")]  # 300 bad codes
    checked = check(tmp_path, write(tmp_path, rows))
    assert len(checked.errors) == 201
    assert str(checked.errors[-1]) == "attendance.csv:0:-: and 100 more errors in this file, not listed"
    assert len(checked.rejected) == 300


def test_a_file_with_too_many_bad_rows_is_refused_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(marks_check, "MAX_REJECTED", 5)
    rows = twenty(tmp_path)
    for row in rows[:6]:
        row[7] = "?"
    checked = check(tmp_path, write(tmp_path, rows))
    [whole] = checked.files[0].problems
    assert str(whole) == (
        "attendance.csv:0:-: 6 rows have errors, more than the 5 a quarantine takes from one file; no row of this "
        "file loads"
    )
    assert checked.rejected == [] and checked.staged is None and len(checked.errors) == 7


# ---- UPN check letters: warnings, and the marks load ------------------------------------------------------------


def test_a_wrong_check_letter_warns_once_on_its_first_line_and_the_marks_load(tmp_path):
    bad = wrong_letter(upn(2))
    rows = week(upn(1)) + week(bad) + week("12345")
    checked = check(tmp_path, write(tmp_path, rows))
    assert checked.errors == []
    assert [(p.line, p.field, p.warning) for p in checked.warnings] == [(12, "upn", True), (22, "upn", True)]
    assert str(checked.warnings[0]).endswith(
        "does not match - check the UPN for a typing error (its 10 marks load; the UPN is not used for linking)"
    )
    assert "a UPN has exactly 13 characters" in str(checked.warnings[1])
    assert checked.rows == 30
    prepared = prepare_marks(checked, store=tmp_path / "store")
    usable = dict(zip(prepared.pupils["upn"].to_pylist(), prepared.pupils["upn_usable"].to_pylist(), strict=True))
    assert usable == {upn(1): True, bad: False, "12345": False}
    prepared.discard()


# ---- The store ---------------------------------------------------------------------------------------------------


def test_a_first_load_inserts_every_mark_into_one_file_per_school_and_year(tmp_path):
    rows = week(upn(1)) + week(upn(2), urn="100002") + week(upn(1), datetime.date(2025, 9, 1))
    prepared = load(tmp_path, write(tmp_path, rows))
    assert (prepared.inserted, prepared.updated, prepared.unchanged) == (30, 0, 0)
    files = sorted(str(p.relative_to(tmp_path / "store")) for p in (tmp_path / "store").rglob("*.parquet"))
    assert files == [
        "marks/school_urn=100001/academic_year=2024/marks.parquet",
        "marks/school_urn=100001/academic_year=2025/marks.parquet",
        "marks/school_urn=100002/academic_year=2024/marks.parquet",
        "pupils.parquet",
    ]
    assert not (tmp_path / "store" / ".lock").exists()
    assert not list((tmp_path / "store").glob(".pending-*"))


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    path = write(tmp_path, twenty(tmp_path))
    load(tmp_path, path)
    before = _store_bytes(tmp_path / "store")
    again = load(tmp_path, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 20)
    assert _store_bytes(tmp_path / "store") == before


def test_a_corrected_resend_updates_marks_and_recomputes_the_term(tmp_path):
    first = load(tmp_path, write(tmp_path, week(upn(1)) + week(upn(1), MONDAY + datetime.timedelta(days=7))))
    assert _term(first, upn(1)) == {"possible": 20, "present": 20, "authorised": 0, "unauthorised": 0}
    corrected = load(tmp_path, write(tmp_path, week(upn(1), codes="//O/////I/"), name="corrected.csv"))
    assert (corrected.inserted, corrected.updated, corrected.unchanged) == (0, 2, 8)
    # The term counts every stored mark: the second week was not sent again and still counts.
    assert _term(corrected, upn(1)) == {"possible": 20, "present": 18, "authorised": 1, "unauthorised": 1}
    [term] = corrected.terms.to_pylist()
    assert [list(w.values()) for w in term["weeks"]] == [["2024-09-02", 10, 8, 1, 1], ["2024-09-09", 10, 10, 0, 0]]


def test_a_resend_rewrites_only_the_partitions_it_touches(tmp_path):
    load(tmp_path, write(tmp_path, week(upn(1)) + week(upn(2), urn="100002")))
    other = tmp_path / "store/marks/school_urn=100002/academic_year=2024/marks.parquet"
    stamp = (other.stat().st_ino, other.stat().st_mtime_ns)
    again = load(tmp_path, write(tmp_path, week(upn(1), codes="O" * 10), name="resend.csv"))
    assert (again.inserted, again.updated, again.unchanged) == (0, 10, 0)
    assert (other.stat().st_ino, other.stat().st_mtime_ns) == stamp
    assert again.terms["upn"].to_pylist() == [upn(1)]
    assert again.pupils["upn"].to_pylist() == [upn(1)]


def test_a_later_file_in_the_same_load_replaces_an_earlier_ones_mark(tmp_path):
    early = write(tmp_path, week(upn(1)), name="early.csv")
    late = write(tmp_path, week(upn(1), codes="OO") + week(upn(2), codes="//"), name="late.csv")
    checked = check(tmp_path, early, late)
    assert checked.problems == []
    prepared = prepare_marks(checked, store=tmp_path / "store")
    assert (prepared.inserted, prepared.updated, prepared.unchanged) == (12, 0, 0)
    prepared.commit()
    codes = duckdb.sql(f"SELECT code, count(*) FROM ({read_marks(tmp_path / 'store')}) GROUP BY code ORDER BY code")
    assert codes.fetchall() == [("/", 10), ("O", 2)]


def test_discard_leaves_the_store_as_it_was_and_unlocks_it(tmp_path):
    load(tmp_path, write(tmp_path, twenty(tmp_path)))
    before = _store_bytes(tmp_path / "store")
    checked = check(tmp_path, write(tmp_path, week(upn(1), codes="O" * 10) + week(upn(3)), name="new.csv"))
    prepared = prepare_marks(checked, store=tmp_path / "store")
    assert (prepared.inserted, prepared.updated) == (10, 10)
    prepared.discard()
    assert _store_bytes(tmp_path / "store") == before
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["marks", "pupils.parquet"]
    prepare_marks(checked, store=tmp_path / "store").discard()  # unlocked
    with pytest.raises(RuntimeError, match="already discarded"):
        prepared.commit()


def test_a_second_load_cannot_prepare_while_the_first_holds_the_store(tmp_path):
    checked = check(tmp_path, write(tmp_path, twenty(tmp_path)))
    first = prepare_marks(checked, store=tmp_path / "store")
    with pytest.raises(StoreLocked, match="another load is writing the attendance store"):
        prepare_marks(checked, store=tmp_path / "store")
    first.commit()
    prepare_marks(checked, store=tmp_path / "store").discard()


def test_a_lock_left_by_a_process_that_has_ended_is_taken_over(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    store = tmp_path / "store"
    store.mkdir()
    (store / ".lock").write_text(f'{{"pid": {int(ended.stdout)}, "host": "{os.uname().nodename}", "since": "x"}}')
    load(tmp_path, write(tmp_path, twenty(tmp_path)))
    assert not (store / ".lock").exists()


def test_nothing_to_store_prepares_nothing(tmp_path):
    rows = twenty(tmp_path)
    for row in rows:
        row[7] = "?"
    checked = check(tmp_path, write(tmp_path, rows))
    assert checked.staged is None
    prepared = prepare_marks(checked, store=tmp_path / "store")
    assert (prepared.inserted, prepared.pupils.num_rows, prepared.terms.num_rows) == (0, 0, 0)
    prepared.commit()
    assert not (tmp_path / "store").exists()


# ---- Pupils and terms ----------------------------------------------------------------------------------------------


def test_a_pupils_identity_is_their_latest_dated_marks(tmp_path):
    later = MONDAY + datetime.timedelta(days=14)
    rows = week(upn(1), later, family="Jones") + week(upn(1), family="Smith")
    first = load(tmp_path, write(tmp_path, rows))
    assert first.pupils.to_pylist() == [
        {
            "upn": upn(1),
            "upn_usable": True,
            "given_name": "Amelia",
            "family_name": "Jones",
            "date_of_birth": datetime.date(2014, 3, 2),
            "school_urn": "100001",
        }
    ]
    # An older week sent again with the old name does not undo the newer one; a newer week at a new school does.
    resend = load(tmp_path, write(tmp_path, week(upn(1), family="Smyth"), name="resend.csv"))
    assert resend.pupils["family_name"].to_pylist() == ["Jones"]
    moved = load(
        tmp_path,
        write(
            tmp_path,
            week(upn(1), later + datetime.timedelta(days=7), urn="100009", family="Lee", given=""),
            name="moved.csv",
        ),
    )
    assert moved.pupils.select(["given_name", "family_name", "school_urn"]).to_pylist() == [
        {"given_name": "", "family_name": "Lee", "school_urn": "100009"}
    ]


def test_a_name_corrected_without_a_code_changing_updates_the_pupil_but_no_mark(tmp_path):
    load(tmp_path, write(tmp_path, week(upn(1), family="Smiht")))
    marks = tmp_path / "store/marks/school_urn=100001/academic_year=2024/marks.parquet"
    stamp = (marks.stat().st_ino, marks.stat().st_mtime_ns)
    corrected = load(tmp_path, write(tmp_path, week(upn(1), family="Smith"), name="corrected.csv"))
    assert (corrected.inserted, corrected.updated, corrected.unchanged) == (0, 0, 10)
    assert corrected.pupils["family_name"].to_pylist() == ["Smith"]
    assert (marks.stat().st_ino, marks.stat().st_mtime_ns) == stamp


def test_sessions_are_counted_the_dfes_way(tmp_path):
    # Six present, one at an approved educational visit (present), one ill (authorised), one unexplained
    # (unauthorised), one planned closure (not counted): ten sessions, nine possible.
    prepared = load(tmp_path, write(tmp_path, week(upn(1), codes="//////VIO#")))
    [term] = prepared.terms.to_pylist()
    assert {k: term[k] for k in ("term", "term_start", "possible", "present", "authorised", "unauthorised")} == {
        "term": "autumn",
        "term_start": datetime.date(2024, 8, 1),
        "possible": 9,
        "present": 7,
        "authorised": 1,
        "unauthorised": 1,
    }
    assert term["not_counted"] == 1
    assert term["weeks"] == [{"monday": "2024-09-02", "possible": 9, "present": 7, "authorised": 1, "unauthorised": 1}]


@pytest.mark.parametrize(
    ("day", "term", "start"),
    [
        ("2024-08-01", "autumn", "2024-08-01"),
        ("2024-12-31", "autumn", "2024-08-01"),
        ("2025-01-01", "spring", "2025-01-01"),
        ("2025-04-20", "spring", "2025-01-01"),  # Easter Sunday 2025
        ("2025-04-21", "summer", "2025-04-21"),  # Easter Monday
        ("2025-07-31", "summer", "2025-04-21"),
        ("2024-03-31", "spring", "2024-01-01"),  # Easter Sunday 2024
        ("2024-04-01", "summer", "2024-04-01"),
    ],
)
def test_terms_are_the_school_censuss(day, term, start):
    assert term_of(datetime.date.fromisoformat(day)) == (term, datetime.date.fromisoformat(start))


def test_marks_either_side_of_easter_fall_in_spring_and_summer(tmp_path):
    sunday, monday = datetime.date(2025, 4, 20), datetime.date(2025, 4, 21)
    rows = [mark(upn(1), sunday, code="O"), mark(upn(1), monday), mark(upn(1), monday, "PM", "I")]
    prepared = load(tmp_path, write(tmp_path, rows))
    terms = prepared.terms.select(["term", "term_start", "possible", "present", "authorised", "unauthorised"])
    assert terms.to_pylist() == [
        {
            "term": "spring",
            "term_start": datetime.date(2025, 1, 1),
            "possible": 1,
            "present": 0,
            "authorised": 0,
            "unauthorised": 1,
        },
        {"term": "summer", "term_start": monday, "possible": 2, "present": 1, "authorised": 1, "unauthorised": 0},
    ]
    weeks = [w["monday"] for ws in prepared.terms["weeks"].to_pylist() for w in ws]
    assert weeks == ["2025-04-14", "2025-04-21"]


# ---- Reading the store -------------------------------------------------------------------------------------------


def test_read_marks_gives_every_stored_mark_with_its_category(tmp_path):
    assert duckdb.sql(f"SELECT count(*) FROM ({read_marks(tmp_path / 'store')})").fetchall() == [(0,)]
    load(tmp_path, write(tmp_path, week(upn(1), codes="//////VIO#")))
    found = duckdb.sql(
        f"SELECT category, count(*) FROM ({read_marks(tmp_path / 'store')}) WHERE academic_year = 2024 "
        "AND school_urn = '100001' GROUP BY category ORDER BY category"
    ).fetchall()
    assert found == [("authorised", 1), ("not_counted", 1), ("present", 7), ("unauthorised", 1)]


# ---- Helpers -------------------------------------------------------------------------------------------------------


def _term(prepared: PreparedMarks, pupil: str) -> dict[str, int]:
    [term] = [t for t in prepared.terms.to_pylist() if t["upn"] == pupil]
    return {k: term[k] for k in ("possible", "present", "authorised", "unauthorised")}


def _store_bytes(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}
