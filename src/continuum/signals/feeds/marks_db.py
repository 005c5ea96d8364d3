"""DuckDB for attendance marks: the connection a check or a preparation works in, and the SQL both share.

Plain Python (no Django). `marks_check` and `marks_store` use these; `marks` is the public face.
"""

# ruff: noqa: S608  (SQL is built from this module's constants, column positions and paths quoted by marks_db.literal;
#                    no cell of a file is ever put into a query)

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from continuum.signals.feeds.codes import ATTENDANCE, ATTENDANCE_CATEGORY, SESSION

# DuckDB's own memory, under the 4 GiB a county load may use in all: it spills to the work folder past this.
MEMORY_LIMIT = "2GB"
# Open files when writing one Parquet file per school and academic year, and the rows each holds before a flush:
# together they bound the memory a partitioned write takes (a county has about 400 schools).
OPEN_FILES = 512
FLUSH_ROWS = 16_384

COLUMNS = ("upn", "given_name", "family_name", "date_of_birth", "school_urn", "date", "session", "code")
REQUIRED = ("upn", "school_urn", "date", "session", "code")
NAMES = ("given_name", "family_name")
NAME_LENGTH = 100  # the contract's text columns
KEY = ("school_urn", "upn", "date", "session")
# A cell holding any of Unicode's control characters (category Cc) is refused, as continuum.tables does.
CONTROL = r"[\x00-\x1f\x7f-\x9f]"
# The whitespace trimmed from either end of a cell (the same in SQL and in Python).
SPACE = " \t\r\n"
# A partition of the store and of the staged marks: directory names as DuckDB writes them, values as text.
HIVE_TYPES = "{'school_urn': VARCHAR, 'academic_year': INTEGER}"


def connect(temporary: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB using every core, at most MEMORY_LIMIT, spilling to `temporary`; with the types of a
    session (AM/PM) and an attendance code, so that both are written as small dictionary codes."""
    con = duckdb.connect(
        config={
            "threads": cores(),
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": str(temporary),
            "preserve_insertion_order": True,  # a COPY writes a CSV's rows in the file's order
            "partitioned_write_max_open_files": OPEN_FILES,
            "partitioned_write_flush_threshold": FLUSH_ROWS,
        }
    )
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would write over the command's output
    con.execute(f"CREATE TYPE code_t AS ENUM ({', '.join(map(literal, ATTENDANCE))})")
    con.execute(f"CREATE TYPE session_t AS ENUM ({', '.join(map(literal, SESSION))})")
    return con


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def literal(value: str | Path) -> str:
    """A SQL string literal (paths included: DuckDB's COPY and table functions take no parameters there)."""
    return "'" + str(value).replace("'", "''") + "'"


def iso_date(cell: str) -> str:
    """A date written exactly YYYY-MM-DD and real (2025-02-30 is not), else NULL. DuckDB's own cast would also take
    2025-1-5, 2025/01/05 and surrounding spaces."""
    return f"CASE WHEN {cell} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN TRY_CAST({cell} AS DATE) END"


def school_urn(cell: str) -> str:
    return f"CASE WHEN {cell} GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]' THEN {cell} END"


def session(cell: str) -> str:
    return f"CASE {cell} " + " ".join(f"WHEN {literal(s)} THEN {literal(s)}::session_t" for s in SESSION) + " END"


def code(cell: str) -> str:
    # A CASE on the codes, most frequent first, is cheaper per row than a cast to the enum.
    return f"CASE {cell} " + " ".join(f"WHEN {literal(c)} THEN {literal(c)}::code_t" for c in ATTENDANCE) + " END"


def academic_year(date: str) -> str:
    """The school year a day falls in, named by the year it starts (1 August)."""
    return f"(year({date}) - (month({date}) < 8)::INTEGER)"


def categories() -> str:
    """Each attendance code and how the DfE counts it, as a SQL table (code, category)."""
    rows = ", ".join(f"({literal(c)}, {literal(category)})" for c, category in ATTENDANCE_CATEGORY.items())
    return f"(VALUES {rows}) AS categories(code, category)"


_DAY = "(date - DATE '1970-01-05' + 1000000)"  # a day as a positive number, for any date written YYYY-MM-DD


def suspects(relation: str) -> str:
    """SQL: where `relation` (upn, date, session, ...) may repeat a key, cheaply, without holding every key of a
    county's file at once: each pupil's sessions 32 days at a time as a 64-bit mask, which has fewer bits set than
    marks counted where a session repeats (or where a pupil has marks at two schools on one day, which `repeated`
    then compares exactly). Rows: upn, span."""
    return f"""
        SELECT upn, {_DAY} // 32 AS span FROM {relation} GROUP BY upn, span
        HAVING count(*) > bit_count(bit_or(1::UBIGINT << (({_DAY} % 32) * 2 + (session = 'PM')::INTEGER)::UBIGINT))"""


def repeated(relation: str) -> str:
    """SQL: the rows of `relation` (upn, school_urn, date, session, line) whose key an earlier line already has, with
    that first line; compared exactly only where `suspects` points."""
    return f"""
        SELECT line, first FROM (
            SELECT line, min(line) OVER (PARTITION BY upn, school_urn, date, session) AS first
            FROM (SELECT *, {_DAY} // 32 AS span FROM {relation}) AS keyed
            SEMI JOIN ({suspects(relation)}) AS suspect USING (upn, span))
        WHERE line <> first"""
