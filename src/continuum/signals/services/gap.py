"""Running the gap finder over every child and keeping its flags (`continuum signals gap`, and `continuum demo`).

    result = run_gap_finder(actor=SystemActor("command line"), as_of=date(2026, 11, 28), progress=bar)

Reads the linked events, the latest indicators, involvements and the school-age population as Arrow, finds the
children the rules flag (continuum.signals.gap, plain Python over DuckDB), and replaces every GapFlag with the new
ones in one transaction through continuum.bulk, audited `signals.gap_run`. A child still flagged by the same rule
keeps the day it was first flagged.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from continuum import bulk
from continuum.agencies.access import Actor
from continuum.agencies.selectors import involvement_periods
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.people.selectors import school_age_children
from continuum.signals.gap import GapRules, find, load_rules
from continuum.signals.indicators import OUTPUT_SCHEMA
from continuum.signals.models import ChildIndicator, GapFlag
from continuum.signals.selectors.tables import events_table, linked_people

type Progress = Callable[[str, int, int], None]

# The indicators' output (continuum.signals.indicators) without the trend, which the gap finder does not read.
INDICATORS_SCHEMA = OUTPUT_SCHEMA.remove(OUTPUT_SCHEMA.get_field_index("trend"))
INVOLVEMENT_SCHEMA = pa.schema(
    [("person_id", pa.string()), ("kind", pa.string()), ("start_date", pa.date32()), ("end_date", pa.date32())]
)
POPULATION_SCHEMA = pa.schema([("person_id", pa.string()), ("date_of_birth", pa.date32())])
FLAG_FIELDS = ["id", "person_id", "rule", "as_of", "agencies", "evidence", "first_flagged"]


class GapFinderError(ValueError):
    """The gap finder cannot run (its rules cannot be read): one line saying why."""


@dataclass(frozen=True)
class GapResult:
    as_of: datetime.date
    children: int  # the school-age population looked at
    flags: int
    flagged_children: int
    by_rule: dict[str, int] = field(default_factory=dict)
    new: int = 0  # flags a child did not have at the last run
    removed: int = 0  # flags of the last run no rule raises now
    seconds: float = 0.0


def rules_path() -> Path | None:
    """The deployment's gap rules (settings.GAP_RULES_PATH), or None for the packaged signals/gap_rules.toml."""
    path = getattr(settings, "GAP_RULES_PATH", None)
    return Path(path) if path else None


def current_rules() -> GapRules:
    try:
        return load_rules(rules_path())
    except ValueError as exc:
        raise GapFinderError(str(exc)) from None


def _indicators(rules: GapRules) -> pa.Table:
    wanted = {(s.indicator, s.indicator_window) for s in rules.signals.values() if s.indicator}
    columns: dict[str, list] = {name: [] for name in INDICATORS_SCHEMA.names}
    if wanted:
        found = ChildIndicator.objects.filter(indicator__in={i for i, _ in wanted}, met=True)
        fields = ("person_id", "indicator", "window", "numerator", "denominator", "value", "met")
        for person, indicator, window, numerator, denominator, value, met in found.values_list(*fields).iterator(
            chunk_size=20_000
        ):
            if (indicator, window) in wanted:
                for name, item in zip(
                    INDICATORS_SCHEMA.names,
                    (str(person), indicator, window, numerator, denominator, value, met),
                    strict=True,
                ):
                    columns[name].append(item)
    return pa.table(columns, schema=INDICATORS_SCHEMA)


def _involvements(rules: GapRules) -> pa.Table:
    kinds = sorted({kind for rule in rules.rules.values() for kind in rule.involvements})
    rows = involvement_periods(kinds=kinds)
    return pa.table(
        {
            "person_id": pa.array([str(r[0]) for r in rows], pa.string()),
            "kind": pa.array([r[1] for r in rows], pa.string()),
            "start_date": pa.array([r[2] for r in rows], pa.date32()),
            "end_date": pa.array([r[3] for r in rows], pa.date32()),
        },
        schema=INVOLVEMENT_SCHEMA,
    )


def _population(rules: GapRules, as_of: datetime.date) -> pa.Table:
    rows = school_age_children(on=as_of, min_age=rules.min_age, max_age=rules.max_age)
    return pa.table(
        {
            "person_id": pa.array([str(r[0]) for r in rows], pa.string()),
            "date_of_birth": pa.array([r[1] for r in rows], pa.date32()),
        },
        schema=POPULATION_SCHEMA,
    )


def run_gap_finder(*, actor: Actor, as_of: datetime.date | None = None, progress: Progress | None = None) -> GapResult:
    """Find every child falling through the gap as at `as_of` (today by default) and keep them as GapFlag rows."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    step = progress or (lambda stage, done, total: None)
    rules = current_rules()
    step("reading the agency feeds' events", 0, 5)
    people = linked_people()
    kinds = sorted({s.kind for s in rules.signals.values() if s.kind})
    longest = max(rule.window_days for rule in rules.rules.values())
    events = events_table(kinds=kinds, since=as_of - datetime.timedelta(days=longest), people=people)
    step("reading indicators and involvements", 1, 5)
    indicators = _indicators(rules)
    involvements = _involvements(rules)
    step("reading the school-age population", 2, 5)
    population = _population(rules, as_of)
    step("finding children falling through the gap", 3, 5)
    with duckdb.connect() as con:
        flags = find(
            con=con,
            events=events,
            indicators=indicators,
            open_involvement=involvements,
            population=population,
            as_of=as_of,
            rules=rules,
        )
    step("keeping the flags", 4, 5)
    found = flags.to_pylist()
    with transaction.atomic():
        before = {
            (str(person), rule): first
            for person, rule, first in GapFlag.objects.select_for_update().values_list(
                "person_id", "rule", "first_flagged"
            )
        }
        GapFlag.objects.all().delete()
        rows = [
            (
                uuid.uuid4(),
                uuid.UUID(row["person_id"]),
                row["rule"],
                as_of,
                bulk.JsonText(row["agencies"]),
                bulk.JsonText(row["evidence"]),
                before.get((row["person_id"], row["rule"]), as_of),
            )
            for row in found
        ]
        bulk.insert(GapFlag, rows, fields=FLAG_FIELDS)
        now = {(row["person_id"], row["rule"]) for row in found}
        by_rule = dict(Counter(row["rule"] for row in found))
        result = GapResult(
            as_of=as_of,
            children=population.num_rows,
            flags=len(found),
            flagged_children=len({row["person_id"] for row in found}),
            by_rule={name: by_rule.get(name, 0) for name in rules.rules},
            new=len(now - set(before)),
            removed=len(set(before) - now),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=Subject("gap_run", as_of.isoformat()),
            event="signals.gap_run",
            purpose="Find children with signals from several agencies and nobody working with them",
            detail={
                "as_of": as_of.isoformat(),
                "rules": result.by_rule,
                "children": result.children,
                "flags": result.flags,
                "flagged_children": result.flagged_children,
                "new": result.new,
                "removed": result.removed,
            },
        )
    step("done", 5, 5)
    return GapResult(**{**result.__dict__, "seconds": round(time.perf_counter() - started, 3)})
