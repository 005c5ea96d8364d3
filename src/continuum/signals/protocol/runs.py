"""Runs of absence that the attendance protocol alerts on, found in the attendance marks by DuckDB. Plain Python.

    runs = find_runs(con=duckdb.connect(), marks_sql=read_marks(store), pupils=pupils, children=children,
                     as_of=date.today(), rules=load_rules())

One SQL statement over every mark of the children in the protocol (gaps and islands with window functions; no
mark passes through Python), in four steps:

1. Each child's sessions: their marks joined to `pupils` (upn -> person_id) and `children`, from the start of the
   academic year before `as_of` (so a run that began last year keeps its first date) up to `as_of`. When two marks
   share a session (two UPNs, or a dual registration), the one that says most about where the child was counts:
   present, then authorised, then other unauthorised, then unexplained, then not counted.
2. Consecutive: the child's possible sessions in order (sessions not counted are left out, so they neither end a
   run nor lengthen it); a run is an island of unexplained sessions at least `sessions` long.
3. Low rate: for each day the child had a possible session, their attendance over the `days` calendar days ending
   that day; a spell is an island of days below the rate (with enough possible sessions), and the child's latest
   day must be in it. The spell, not the day, is what alerts: its first date is the first absence in the window of
   the spell's first day.
4. Recent: only runs whose last absence (for a spell: the child's latest day) is within the last `school_days`
   days on which the county's schools took a register.

The result has one row per run: person_id, rule ("consecutive" or "low_rate"), school_urn, first_absence,
last_absence, evidence (JSON text: the sessions or weeks, and the rule's numbers). `first_absence` does not move
while the run goes on, so (person, rule, first_absence) names a run from one night to the next.
"""

# ruff: noqa: S608  (SQL built from the checked settings, dates and the caller's marks_sql; no cell of a file in it)

from __future__ import annotations

import datetime
import uuid

import duckdb
import pyarrow as pa

from continuum.signals.protocol.rules import Rules

RUNS_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("rule", pa.string()),
        ("school_urn", pa.string()),
        ("first_absence", pa.date32()),
        ("last_absence", pa.date32()),
        ("evidence", pa.string()),
    ]
)

# How a session counts, best first (when two marks share a session, the smallest rank counts).
PRESENT, AUTHORISED, UNAUTHORISED, UNEXPLAINED, NOT_COUNTED = range(5)


def academic_year(day: datetime.date) -> int:
    """The academic year a day falls in, by the year of its 1 August (the marks store's partitions)."""
    return day.year if day.month >= 8 else day.year - 1


def find_runs(
    *,
    con: duckdb.DuckDBPyConnection,
    marks_sql: str,
    pupils: pa.Table,
    children: pa.Table,
    as_of: datetime.date,
    rules: Rules,
) -> pa.Table:
    """Every run of absence the rules alert on, as at `as_of`, for the children in `children` (person_id)."""
    suffix = uuid.uuid4().hex[:12]
    names = {"pupils": f"protocol_pupils_{suffix}", "children": f"protocol_children_{suffix}"}
    con.register(names["pupils"], pupils.select(["upn", "person_id"]))
    con.register(names["children"], children.select(["person_id"]))
    try:
        found = con.sql(_sql(marks_sql, names, as_of, rules)).to_arrow_table()
    finally:
        for name in names.values():
            con.unregister(name)
    return found.cast(RUNS_SCHEMA)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql(marks_sql: str, names: dict[str, str], as_of: datetime.date, rules: Rules) -> str:
    day = f"DATE '{as_of.isoformat()}'"
    first_year = academic_year(as_of) - 1
    codes = ", ".join(_text(c) for c in rules.unexplained)
    codes_list = f"[{codes}]"
    # Only the rules switched on are computed (DuckDB leaves a CTE nobody reads unrun).
    chosen = " UNION ALL ".join(
        f"SELECT person_id, rule, school_urn, first_absence, last_absence, evidence FROM {name}"
        for name in rules.rule_names
    )
    window_days = rules.low_rate_days - 1
    return f"""
    WITH
    kids AS (
        SELECT DISTINCT p.upn, p.person_id
        FROM {names["pupils"]} AS p JOIN (SELECT DISTINCT person_id FROM {names["children"]}) AS c USING (person_id)
    ),
    marks AS (
        SELECT k.person_id, m.school_urn, m.date, m.session, m.code,
            CASE WHEN m.code IN ({codes}) THEN {UNEXPLAINED}
                 WHEN m.category = 'present' THEN {PRESENT}
                 WHEN m.category = 'authorised' THEN {AUTHORISED}
                 WHEN m.category = 'unauthorised' THEN {UNAUTHORISED}
                 ELSE {NOT_COUNTED} END AS rank
        FROM ({marks_sql}) AS m JOIN kids AS k USING (upn)
        WHERE m.academic_year >= {first_year} AND m.date <= {day}
    ),
    sessions AS MATERIALIZED (
        SELECT person_id, date, session, min(rank) AS rank, arg_min(code, rank) AS code,
            arg_min(school_urn, rank) AS school_urn,
            (date - DATE '1970-01-01') * 2 + (session = 'PM')::INTEGER AS slot
        FROM marks GROUP BY person_id, date, session
    ),
    school_days AS (
        SELECT DISTINCT date FROM ({marks_sql}) WHERE academic_year >= {first_year} AND date <= {day}
    ),
    cutoff AS (
        SELECT coalesce(min(date), {day}) AS since
        FROM (SELECT date FROM school_days ORDER BY date DESC LIMIT {rules.recent_school_days})
    ),

    -- Consecutive: islands of unexplained sessions among the possible ones.
    counted AS (
        SELECT *,
            row_number() OVER (PARTITION BY person_id ORDER BY slot)
            - row_number() OVER (PARTITION BY person_id, rank = {UNEXPLAINED} ORDER BY slot) AS island
        FROM sessions WHERE rank < {NOT_COUNTED}
    ),
    runs AS (
        SELECT person_id, island, count(*) AS n, min(slot) AS first_slot, max(slot) AS last_slot,
            min(date) AS first_absence, max(date) AS last_absence, arg_max(school_urn, slot) AS school_urn,
            list({{'date': strftime(date, '%Y-%m-%d'), 'session': session, 'code': code}} ORDER BY slot) AS absences
        FROM counted WHERE rank = {UNEXPLAINED}
        GROUP BY person_id, island
        HAVING count(*) >= {rules.consecutive_sessions}
    ),
    recent_runs AS (
        SELECT runs.* FROM runs, cutoff WHERE runs.last_absence >= cutoff.since
    ),
    run_gaps AS (
        SELECT r.person_id, r.island,
            list({{'date': strftime(s.date, '%Y-%m-%d'), 'session': s.session, 'code': s.code}} ORDER BY s.slot)
                AS not_counted
        FROM recent_runs AS r JOIN sessions AS s
            ON s.person_id = r.person_id AND s.rank = {NOT_COUNTED} AND s.slot BETWEEN r.first_slot AND r.last_slot
        GROUP BY r.person_id, r.island
    ),
    consecutive AS (
        SELECT r.person_id, 'consecutive' AS rule, r.school_urn, r.first_absence, r.last_absence,
            to_json({{
                'rule': 'consecutive',
                'codes': {codes_list},
                'sessions_needed': {rules.consecutive_sessions},
                'sessions': r.n,
                'absences': r.absences,
                'not_counted': coalesce(g.not_counted, [])
            }})::VARCHAR AS evidence
        FROM recent_runs AS r LEFT JOIN run_gaps AS g USING (person_id, island)
    ),

    -- Low rate: each day's attendance over the window ending that day, and spells of days below it.
    daily AS (
        SELECT person_id, date,
            count(*) FILTER (rank < {NOT_COUNTED}) AS possible,
            count(*) FILTER (rank = {PRESENT}) AS present
        FROM sessions GROUP BY person_id, date
        HAVING count(*) FILTER (rank < {NOT_COUNTED}) > 0
    ),
    rolling AS (
        SELECT person_id, date,
            sum(possible) OVER w AS possible, sum(present) OVER w AS present
        FROM daily
        WINDOW w AS (PARTITION BY person_id ORDER BY date
                     RANGE BETWEEN INTERVAL {window_days} DAY PRECEDING AND CURRENT ROW)
    ),
    flagged AS (
        SELECT *,
            possible >= {rules.low_rate_min_sessions} AND present * 100.0 < {rules.low_rate_below} * possible AS low,
            row_number() OVER (PARTITION BY person_id ORDER BY date DESC) AS from_latest
        FROM rolling
    ),
    spells AS (
        SELECT *,
            row_number() OVER (PARTITION BY person_id ORDER BY date)
            - row_number() OVER (PARTITION BY person_id, low ORDER BY date) AS island
        FROM flagged
    ),
    current_spells AS (
        SELECT s.person_id, min(s.date) AS since, max(s.date) AS latest
        FROM spells AS s
        JOIN (SELECT person_id, island FROM spells WHERE from_latest = 1 AND low) AS now USING (person_id, island)
        WHERE s.low
        GROUP BY s.person_id
    ),
    recent_spells AS (
        SELECT c.*, c.latest - INTERVAL {window_days} DAY AS window_start
        FROM current_spells AS c, cutoff WHERE c.latest >= cutoff.since
    ),
    spell_sessions AS (
        SELECT c.person_id, c.since, c.latest, c.window_start::DATE AS window_start, s.date, s.rank, s.school_urn,
            s.slot
        FROM recent_spells AS c JOIN sessions AS s
            ON s.person_id = c.person_id AND s.date BETWEEN c.window_start AND c.latest AND s.rank < {NOT_COUNTED}
    ),
    spell_first AS (
        SELECT c.person_id, min(s.date) AS first_absence
        FROM recent_spells AS c JOIN sessions AS s
            ON s.person_id = c.person_id AND s.date BETWEEN c.since - INTERVAL {window_days} DAY AND c.since
            AND s.rank > {PRESENT} AND s.rank < {NOT_COUNTED}
        GROUP BY c.person_id
    ),
    spell_weeks AS (
        SELECT person_id, date_trunc('week', date)::DATE AS monday,
            count(*) AS possible,
            count(*) FILTER (rank = {PRESENT}) AS present,
            count(*) FILTER (rank = {AUTHORISED}) AS authorised,
            count(*) FILTER (rank IN ({UNAUTHORISED}, {UNEXPLAINED})) AS unauthorised,
            count(*) FILTER (rank = {UNEXPLAINED}) AS unexplained
        FROM spell_sessions GROUP BY person_id, monday
    ),
    low_rate AS (
        SELECT t.person_id, 'low_rate' AS rule, t.school_urn, f.first_absence, t.last_absence,
            to_json({{
                'rule': 'low_rate',
                'below_percent': {rules.low_rate_below},
                'days': {rules.low_rate_days},
                'min_possible_sessions': {rules.low_rate_min_sessions},
                'window_from': strftime(t.window_start, '%Y-%m-%d'),
                'window_to': strftime(t.latest, '%Y-%m-%d'),
                'below_since': strftime(t.since, '%Y-%m-%d'),
                'possible': t.possible,
                'present': t.present,
                'percent': round(t.present * 100.0 / t.possible, 1),
                'weeks': w.weeks
            }})::VARCHAR AS evidence
        FROM (
            SELECT person_id, any_value(since) AS since, any_value(latest) AS latest,
                any_value(window_start) AS window_start, count(*) AS possible,
                count(*) FILTER (rank = {PRESENT}) AS present,
                max(date) FILTER (rank > {PRESENT}) AS last_absence,
                arg_max(school_urn, slot) AS school_urn
            FROM spell_sessions GROUP BY person_id
        ) AS t
        JOIN (
            SELECT person_id,
                list({{'monday': strftime(monday, '%Y-%m-%d'), 'possible': possible, 'present': present,
                       'authorised': authorised, 'unauthorised': unauthorised, 'unexplained': unexplained}}
                     ORDER BY monday) AS weeks
            FROM spell_weeks GROUP BY person_id
        ) AS w USING (person_id)
        JOIN spell_first AS f USING (person_id)
    )

    SELECT * FROM ({chosen})
    ORDER BY person_id, rule, first_absence
    """
