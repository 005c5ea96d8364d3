"""Every child's indicators in one SQL statement, generated from the definitions: DuckDB here, Spark at scale.

Plain Python (no Django). The SQL keeps to what DuckDB and Spark SQL both run (no VALUES lists, no FILTER clauses,
no date arithmetic: every window edge is a DATE literal; `get_json_object` is Spark's, and on DuckDB a macro of the
same name over json_extract_string), so `indicator_sql(...)` is the same text on either; tests/signals/
test_indicators_spark.py runs it on both and compares.

How it stays one pass over the marks (about 70 million a year for a county):
1. The windows and their earlier periods (the trend) cut the calendar into segments: every day between two
   consecutive window edges. Each mark falls in one segment, found by a binary tree of date comparisons.
2. One GROUP BY over the marks (upn, segment), reading only the academic years the windows reach (the store's
   partitions), sums each kind of mark the definitions need (possible sessions, absences, codes N and O ...).
   Events are summed the same way per (person, segment): a kind and the detail's values.
3. Everything after works on those sums (a few rows per pupil): pupils' UPNs to people, segments to periods,
   periods side by side, and one SELECT per indicator and window for the value, the threshold and the trend.
"""

# ruff: noqa: S608  (SQL built from the checked definitions' names and codes, quoted by _literal, and dates)

from __future__ import annotations

import datetime
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from continuum.signals.indicators.definitions import Definitions, Events, Marks

OUTPUT_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("indicator", pa.string()),
        ("window", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
        ("met", pa.bool_()),
        ("trend", pa.string()),
    ]
)
# The names the SQL reads the Arrow tables by (registered on the caller's connection while compute runs).
EVENTS_VIEW = "indicator_events"
PUPILS_VIEW = "indicator_pupils"
TREND_DECIMALS = 2


def compute(
    *,
    con: duckdb.DuckDBPyConnection,
    marks_sql: str,
    events: pa.Table,
    pupils: pa.Table,
    as_of: datetime.date,
    definitions: Definitions,
) -> pa.Table:
    """Every child's value of every indicator over each of its windows as at `as_of` (included).

    `marks_sql`: SQL for the marks (`read_marks(store)`: school_urn, academic_year, upn, date, session, code,
    category); `events`: signals.selectors.tables.EVENTS_SCHEMA; `pupils`: upn -> person_id. Rows: person_id,
    indicator, window, numerator, denominator (rates), value (a count, or a rate in per cent), met (thresholds),
    trend (JSON text: [[period start, value], ...] for the earlier periods, oldest first)."""
    con.execute("CREATE OR REPLACE TEMP MACRO get_json_object(j, p) AS json_extract_string(j, p)")
    con.register(EVENTS_VIEW, events.select(["person_id", "kind", "occurred_on", "detail"]))
    con.register(PUPILS_VIEW, pupils.select(["upn", "person_id"]))
    try:
        sql = indicator_sql(definitions, as_of=as_of, marks_sql=marks_sql, events=EVENTS_VIEW, pupils=PUPILS_VIEW)
        found = con.sql(sql).to_arrow_table()
    finally:
        con.unregister(EVENTS_VIEW)
        con.unregister(PUPILS_VIEW)
    return found.rename_columns(OUTPUT_SCHEMA.names).cast(OUTPUT_SCHEMA)


@dataclass(frozen=True)
class _Period:
    window: str
    k: int  # 0: the window itself; 1, 2 ...: earlier periods
    start: datetime.date
    end: datetime.date


def indicator_sql(definitions: Definitions, *, as_of: datetime.date, marks_sql: str, events: str, pupils: str) -> str:
    """The SQL (DuckDB and Spark alike) for every indicator as at `as_of`, over the marks `marks_sql` selects and the
    tables named `events` and `pupils`. Its columns are OUTPUT_SCHEMA's, `window` being called period_window (a
    reserved word in DuckDB)."""
    return _Plan(definitions, as_of).sql(marks_sql, events, pupils)


class _Plan:
    def __init__(self, definitions: Definitions, as_of: datetime.date) -> None:
        self.as_of = as_of
        self.indicators = list(definitions.indicators.values())
        used = {w for i in self.indicators for w in i.windows}
        self.windows = {name: window for name, window in definitions.windows.items() if name in used}
        self.periods = [
            _Period(name, k, start, end)
            for name, window in self.windows.items()
            for k, (start, end) in enumerate(window.periods(as_of))
        ]
        self.first = min(p.start for p in self.periods)
        # Segment i is [edges[i], edges[i + 1]): every edge a period starts on or ends the day before.
        self.edges = sorted(
            {p.start for p in self.periods} | {p.end + datetime.timedelta(days=1) for p in self.periods}
        )
        self.marks: list[Marks] = []
        self.events: list[Events] = []
        for indicator in self.indicators:
            for selection in (indicator.count, indicator.out_of):
                if isinstance(selection, Marks) and selection not in self.marks:
                    self.marks.append(selection)
                elif isinstance(selection, Events) and selection not in self.events:
                    self.events.append(selection)

    def sql(self, marks_sql: str, events: str, pupils: str) -> str:
        parts = []
        if self.marks:
            parts.append(f"marks_wide AS ({self._marks_wide(marks_sql, pupils)})")
        if self.events:
            parts.append(f"events_wide AS ({self._events_wide(events)})")
        selects = [
            self._values("marks_wide", "m", len(self.marks)) if self.marks else "",
            self._values("events_wide", "e", len(self.events)) if self.events else "",
        ]
        return f"WITH {', '.join(parts)}\n" + "\nUNION ALL\n".join(s for s in selects if s)

    # --- one pass over the marks, and over the events --------------------------------------------------------------

    def _segment(self, column: str, lo: int = 0, hi: int | None = None) -> str:
        """The segment a day falls in, by halving: log2(segments) comparisons a row rather than one per edge."""
        hi = len(self.edges) - 1 if hi is None else hi
        if hi - lo <= 1:
            return str(lo)
        mid = (lo + hi) // 2
        return (
            f"CASE WHEN {column} < {_date(self.edges[mid])} THEN {self._segment(column, lo, mid)} "
            f"ELSE {self._segment(column, mid, hi)} END"
        )

    def _in_period(self) -> str:
        """Segments to the periods they make up: (period_window, k, segment) as a union of literal rows."""
        rows = []
        for p in self.periods:
            for i in range(len(self.edges) - 1):
                if p.start <= self.edges[i] and self.edges[i + 1] <= p.end + datetime.timedelta(days=1):
                    rows.append(f"SELECT {_literal(p.window)} AS period_window, {p.k} AS k, {i} AS segment")
        return " UNION ALL ".join(rows)

    def _wide(self, by_segment: str, key: str, columns: list[str]) -> str:
        """Per (key, window): each column summed over each period, side by side (column_k)."""
        earliest = max(w.earlier for w in self.windows.values())
        # One GROUP BY: a segment's sums go to each period of each window it falls in.
        sums = ", ".join(
            f"CAST(sum(CASE WHEN p.k = {k} THEN b.{c} ELSE 0 END) AS BIGINT) AS {c}_{k}"
            for c in columns
            for k in range(earliest + 1)
        )
        return f"""
            SELECT b.{key}, p.period_window, {sums}
            FROM ({by_segment}) AS b JOIN ({self._in_period()}) AS p ON p.segment = b.segment
            GROUP BY b.{key}, p.period_window"""

    def _marks_wide(self, marks_sql: str, pupils: str) -> str:
        years = f"{school_year_of(self.first)} AND {school_year_of(self.as_of)}"
        columns = [f"m{n}" for n in range(len(self.marks))]
        sums = ", ".join(f"count(CASE WHEN {_marks_condition(s)} THEN 1 END) AS m{n}" for n, s in enumerate(self.marks))
        by_upn = f"""
            SELECT upn, segment, {sums}
            FROM (
                SELECT upn, code, category, {self._segment("date")} AS segment
                FROM ({marks_sql}) AS marks
                WHERE academic_year BETWEEN {years} AND date >= {_date(self.first)} AND date <= {_date(self.as_of)}
            ) AS dated
            GROUP BY upn, segment"""
        by_person = ", ".join(f"u.{c}" for c in columns)
        by_segment = (
            f"SELECT pp.person_id, u.segment, {by_person} FROM ({by_upn}) AS u JOIN {pupils} AS pp ON pp.upn = u.upn"
        )
        return self._wide(by_segment, "person_id", columns)

    def _events_wide(self, events: str) -> str:
        columns = [f"e{n}" for n in range(len(self.events))]
        sums = ", ".join(
            f"count(CASE WHEN {_events_condition(s)} THEN 1 END) AS e{n}" for n, s in enumerate(self.events)
        )
        by_segment = f"""
            SELECT person_id, segment, {sums}
            FROM (
                SELECT person_id, kind, detail, {self._segment("occurred_on")} AS segment
                FROM {events}
                WHERE occurred_on >= {_date(self.first)} AND occurred_on <= {_date(self.as_of)}
            ) AS dated
            GROUP BY person_id, segment"""
        return self._wide(by_segment, "person_id", columns)

    # --- each indicator over each window ---------------------------------------------------------------------------

    def _values(self, wide: str, prefix: str, classes: int) -> str:
        """Every indicator over each of its windows from one wide table, read once (Spark would compute a CTE again
        for each reference): joined to a small table of (indicator, window) saying which sums are its numerator and
        denominator, its threshold and its periods' first days, and one set of expressions reading it."""
        pairs = [(i, w) for i in self.indicators for w in i.windows if (prefix == "m") == isinstance(i.count, Marks)]
        if not pairs:
            return ""
        earliest = max(w.earlier for w in self.windows.values())
        rows = []
        for indicator, window in pairs:
            starts = {p.k: p.start for p in self.periods if p.window == window}
            classes_of = self.marks if prefix == "m" else self.events
            numerator = classes_of.index(indicator.count)  # type: ignore[arg-type]
            denominator = self.marks.index(indicator.out_of) if indicator.out_of is not None else -1
            a, b = (indicator.at_least.numerator, indicator.at_least.denominator) if indicator.at_least else (0, 0)
            period_starts = ", ".join(
                f"{_literal(starts[k].isoformat()) if k in starts else 'CAST(NULL AS STRING)'} AS s{k}"
                for k in range(1, earliest + 1)
            )
            rows.append(
                f"SELECT {_literal(indicator.name)} AS indicator, {_literal(window)} AS period_window, "
                f"{numerator} AS num, {denominator} AS den, {int(indicator.is_rate)} AS is_rate, {a} AS a, {b} AS b"
                + (f", {period_starts}" if period_starts else "")
            )

        def column(which: str, k: int) -> str:
            branches = " ".join(f"WHEN {c} THEN w.{prefix}{c}_{k}" for c in range(classes))
            return f"(CASE p.{which} {branches} ELSE 0 END)"

        def rate(k: int) -> str:
            return f"CAST({column('num', k)} AS DOUBLE) * 100 / NULLIF({column('den', k)}, 0)"

        items = []
        for k in range(earliest, 0, -1):  # oldest first
            shown = (
                f"CASE WHEN p.is_rate = 1 THEN CAST(round({rate(k)}, {TREND_DECIMALS}) AS STRING) "
                f"ELSE CAST({column('num', k)} AS STRING) END"
            )
            items.append(
                f"CASE WHEN p.s{k} IS NOT NULL AND (p.is_rate = 0 OR {column('den', k)} > 0) "
                f"THEN concat('[\"', p.s{k}, '\", ', {shown}, ']') END"
            )
        trend = f"concat('[', concat_ws(', ', {', '.join(items)}), ']')" if items else "'[]'"
        anything = " + ".join(column("num", k) for k in range(earliest + 1))
        return f"""
            SELECT w.person_id, p.indicator, w.period_window,
                CAST({column("num", 0)} AS BIGINT) AS numerator,
                CASE WHEN p.is_rate = 1 THEN CAST({column("den", 0)} AS BIGINT) END AS denominator,
                CASE WHEN p.is_rate = 1 THEN {rate(0)} ELSE CAST({column("num", 0)} AS DOUBLE) END AS value,
                CASE WHEN p.b > 0 THEN {column("num", 0)} * 100 * p.b >= {column("den", 0)} * p.a END AS met,
                {trend} AS trend
            FROM {wide} AS w JOIN ({" UNION ALL ".join(rows)}) AS p ON p.period_window = w.period_window
            WHERE (p.is_rate = 1 AND {column("den", 0)} > 0) OR (p.is_rate = 0 AND {anything} > 0)"""


def _marks_condition(selection: Marks) -> str:
    tests = []
    if selection.categories:
        tests.append(f"category IN ({', '.join(map(_literal, sorted(selection.categories)))})")
    if selection.codes:
        tests.append(f"code IN ({', '.join(map(_literal, sorted(selection.codes)))})")
    return " OR ".join(tests)


def _events_condition(selection: Events) -> str:
    tests = [f"kind IN ({', '.join(map(_literal, selection.kinds))})"]
    for field, values in selection.where:
        tests.append(
            f"get_json_object(detail, {_literal('$.values.' + field)}) IN ({', '.join(map(_literal, values))})"
        )
    return " AND ".join(tests)


def school_year_of(day: datetime.date) -> int:
    """The academic year (named by the year it starts, 1 August) a day falls in: the marks store's partitions."""
    return day.year - (day.month < 8)


def _date(day: datetime.date) -> str:
    return f"DATE '{day.isoformat()}'"


def _literal(text: str) -> str:
    """A string literal both DuckDB and Spark read alike: a quote or a backslash (attendance code \\) by chr()."""
    if "'" not in text and "\\" not in text:
        return f"'{text}'"
    pieces = [f"'{c}'" if c not in "'\\" else f"chr({ord(c)})" for c in text]
    return f"concat({', '.join(pieces)})"
