"""Finding children who fall through the gap, with the evidence behind each flag (plain Python, DuckDB SQL).

    flags = find(con=duckdb.connect(), events=events, indicators=indicators, open_involvement=involvements,
                 population=population, as_of=date(2026, 11, 28), rules=load_rules())

The inputs are Arrow tables:
- events: signals.selectors.tables.EVENTS_SCHEMA (person_id, event_id, feed, kind, occurred_on, detail JSON, ...)
- indicators: person_id, indicator, window, numerator, denominator, value, met (the latest run's rows)
- open_involvement: person_id, kind, start_date, end_date (open on as_of when started by then and not yet ended)
- population: person_id, date_of_birth (the children the rules look at: those of the rules' ages on as_of)

The result has one row per child and rule that fired: person_id, rule, agencies (JSON list, sorted), evidence
(JSON list of {date, feed, kind, label, signal, agency, summary, source, event_id}, oldest first).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from typing import Any

import duckdb
import pyarrow as pa

from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.gap.rules import GapRules, Signal

RESULT_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("rule", pa.string()),
        ("agencies", pa.string()),
        ("evidence", pa.string()),
    ]
)

# The values of an event's row that say what happened, in the words of its codes' meanings (docs/feeds/).
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "police_incident": ("incident_type", "role", "offence_group", "outcome"),
    "missing_episode": ("missing_from", "risk", "return_interview"),
    "ae_attendance": ("diagnosis_group", "arrival_mode"),
    "suspension": ("category", "reason", "sessions"),
    "youth_justice_outcome": ("outcome",),
}
FEED_TITLES = {kind: feed.title for kind, feed in FEEDS.items()}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _event_condition(signal: Signal) -> str:
    """The SQL that selects this signal's events. Column names come from the catalogue (checked when the rules
    were read) and codes are quoted, so nothing in the rules file reaches the SQL unchecked."""
    parts = [f"kind = {_literal(signal.kind)}"]
    for column, wanted in signal.where:
        path = _literal(f"$.values.{column}")
        if isinstance(wanted, bool):
            parts.append(f"coalesce(TRY_CAST(json_extract(detail, {path}) AS BOOLEAN), false) = {str(wanted).lower()}")
        else:
            parts.append(f"json_extract_string(detail, {path}) IN ({', '.join(_literal(w) for w in wanted)})")
    return " AND ".join(parts)


def _signals_sql(rules: GapRules, as_of: datetime.date) -> str:
    """One row per (rule, signal, event or indicator) that counts: the union over every rule's signals."""
    selects = []
    for rule in rules.rules.values():
        first = as_of - datetime.timedelta(days=rule.window_days - 1)
        for signal in rule.signals:
            head = f"SELECT {_literal(rule.name)} AS rule, {_literal(signal.name)} AS signal, "
            head += f"{_literal(signal.agency)} AS agency, "
            if signal.indicator:
                selects.append(
                    head + "person_id, NULL AS event_id, DATE " + _literal(as_of.isoformat()) + " AS occurred_on, "
                    "'' AS feed, 'indicator' AS kind, NULL AS detail, numerator, denominator, value "
                    f"FROM gap_indicators WHERE indicator = {_literal(signal.indicator)} "
                    f'AND "window" = {_literal(signal.indicator_window)} AND met'
                )
            else:
                selects.append(
                    head + "person_id, event_id, occurred_on, feed, kind, detail, NULL AS numerator, "
                    "NULL AS denominator, NULL AS value FROM gap_events "
                    f"WHERE {_event_condition(signal)} AND occurred_on BETWEEN DATE {_literal(first.isoformat())} "
                    f"AND DATE {_literal(as_of.isoformat())}"
                )
    return "\nUNION ALL\n".join(selects)


def _working_sql(rules: GapRules) -> str:
    """(rule, person_id) for every child with an open involvement of a kind the rule counts."""
    selects = []
    for rule in rules.rules.values():
        kinds = ", ".join(_literal(k) for k in rule.involvements)
        selects.append(
            f"SELECT DISTINCT {_literal(rule.name)} AS rule, person_id FROM open_now WHERE kind IN ({kinds})"  # noqa: S608
        )
    return "\nUNION ALL\n".join(selects)


def find(
    *,
    con: duckdb.DuckDBPyConnection,
    events: pa.Table,
    indicators: pa.Table,
    open_involvement: pa.Table,
    population: pa.Table,
    as_of: datetime.date,
    rules: GapRules,
) -> pa.Table:
    """Every child of the population that a rule flags, with the rule, the agencies and the evidence (see module)."""
    day = _literal(as_of.isoformat())
    con.register("gap_events", events)
    con.register("gap_indicators", indicators)
    con.register("gap_involvement", open_involvement)
    con.register("gap_population", population)
    rule_min = " UNION ALL ".join(
        f"SELECT {_literal(r.name)} AS rule, {r.min_agencies} AS min_agencies" for r in rules.rules.values()
    )
    # Every name and code in the SQL was checked against the catalogue when the rules were read, and is quoted.
    sql = f"""
        WITH children AS (
            SELECT person_id FROM gap_population
            WHERE date_of_birth IS NOT NULL
              AND date_of_birth <= DATE {day} - INTERVAL {rules.min_age} YEAR
              AND date_of_birth > DATE {day} - INTERVAL {rules.max_age + 1} YEAR
        ),
        open_now AS (
            SELECT person_id, kind FROM gap_involvement
            WHERE (start_date IS NULL OR start_date <= DATE {day}) AND (end_date IS NULL OR end_date > DATE {day})
        ),
        working AS ({_working_sql(rules)}),
        signals AS ({_signals_sql(rules, as_of)}),
        minimum AS ({rule_min}),
        flagged AS (
            SELECT s.rule, s.person_id FROM signals s
            JOIN minimum m USING (rule)
            WHERE s.person_id IN (SELECT person_id FROM children)
            GROUP BY s.rule, s.person_id, m.min_agencies
            HAVING count(DISTINCT s.agency) >= m.min_agencies
        )
        SELECT s.rule, s.person_id, s.signal, s.agency, s.event_id, s.occurred_on, s.feed, s.kind, s.detail,
               s.numerator, s.denominator, s.value
        FROM signals s
        JOIN flagged f ON f.rule = s.rule AND f.person_id = s.person_id
        WHERE NOT EXISTS (SELECT 1 FROM working w WHERE w.rule = f.rule AND w.person_id = f.person_id)
    """  # noqa: S608
    try:
        rows = con.execute(sql).fetchall()
    finally:
        for name in ("gap_events", "gap_indicators", "gap_involvement", "gap_population"):
            con.unregister(name)
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    order = {(rule.name, s.name): i for rule in rules.rules.values() for i, s in enumerate(rule.signals)}
    # An event two of a rule's signals match (a self-harm attendance for poisoning) is evidence once, under the
    # signal the rule lists first.
    rows.sort(key=lambda r: (r[0], r[1], r[5], r[4] or "", order[(r[0], r[2])]))
    for rule, person, signal_name, agency, event_id, occurred, feed, kind, detail, num, den, value in rows:
        if event_id is not None:
            if (rule, event_id) in seen:
                continue
            seen.add((rule, event_id))
        signal = rules.signals[signal_name]
        grouped[(rule, person)].append(
            _evidence(signal, agency, event_id, occurred, feed, kind, detail, num, den, value)
        )
    out: dict[str, list[str]] = {name: [] for name in RESULT_SCHEMA.names}
    for (rule, person), evidence in grouped.items():
        out["person_id"].append(person)
        out["rule"].append(rule)
        out["agencies"].append(json.dumps(sorted({e["agency"] for e in evidence})))
        out["evidence"].append(json.dumps(evidence))
    return pa.table(out, schema=RESULT_SCHEMA)


def _evidence(
    signal: Signal,
    agency: str,
    event_id: str | None,
    occurred: datetime.date,
    feed: str,
    kind: str,
    detail: str | None,
    numerator: int | None,
    denominator: int | None,
    value: float | None,
) -> dict[str, Any]:
    """One event (or indicator) behind a flag, as the front door reads it."""
    if signal.indicator:
        summary = f"{value:.1f}% ({numerator} of {denominator})" if denominator else f"{value}"
        return {
            "date": occurred.isoformat(),
            "feed": "",
            "kind": "indicator",
            "label": signal.label,
            "signal": signal.name,
            "agency": agency,
            "summary": summary,
            "source": f"Indicator {signal.indicator} over {signal.indicator_window.replace('_', ' ')}",
            "event_id": "",
        }
    return {
        "date": occurred.isoformat(),
        "feed": feed,
        "kind": kind,
        "label": signal.label,
        "signal": signal.name,
        "agency": agency,
        "summary": summarise(kind, json.loads(detail) if detail else {}),
        "source": FEED_TITLES.get(feed, feed),
        "event_id": event_id or "",
    }


def summarise(kind: str, detail: dict[str, Any]) -> str:
    """What happened, from an event's values and their codes' meanings: "Recorded crime; Victim; Robbery"."""
    values, meanings = detail.get("values", {}), detail.get("meanings", {})
    said = []
    for field in SUMMARY_FIELDS.get(kind, ()):
        meaning = meanings.get(field)
        value = values.get(field)
        if meaning:
            said.append("; ".join(meaning) if isinstance(meaning, list) else str(meaning))
        elif field == "sessions" and value is not None:
            said.append(f"{value} session" if value == 1 else f"{value} sessions")
    if kind == "ae_attendance" and values.get("self_harm") is True:
        said.insert(0, "Self-harm")
    return "; ".join(said)
