"""Computing every child's indicators: the linked feeds read as tables, the definitions' SQL run in DuckDB, and every
ChildIndicator replaced by the new run's rows in one transaction with the run and its audit row."""

from __future__ import annotations

import datetime
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connection
from django.utils import timezone

from continuum import bulk
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.signals.feeds.marks import read_marks
from continuum.signals.indicators import compute
from continuum.signals.indicators.engine import school_year_of
from continuum.signals.models import ChildIndicator, IndicatorRun
from continuum.signals.selectors.indicators import indicator_definitions
from continuum.signals.selectors.tables import events_table, linked_people, pupils_table

type Progress = Callable[[str, int, int], None]

ATTENDANCE = "attendance"  # the marks store's folder under FEEDS_DIR
MEMORY_LIMIT = "2GB"  # DuckDB's, spilling to the work folder beyond it
FIELDS = ["person_id", "indicator", "window", "as_of", "numerator", "denominator", "value", "met", "trend", "run_id"]
STEPS = 4


class IndicatorsError(ValueError):
    """The indicators could not be computed as asked (a day in the future): one line for the user."""


def refresh_indicators(
    *, actor: Actor, as_of: datetime.date | None = None, progress: Progress | None = None
) -> IndicatorRun:
    """Every child's indicators as at `as_of` (today by default), replacing the previous run's: all or nothing."""
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise IndicatorsError(f"the indicators cannot be computed as at {as_of:%Y-%m-%d}: that is after today")
    report = progress or (lambda stage, done, total: None)
    definitions = indicator_definitions()
    started = timezone.now()

    report("reading the linked feeds", 0, STEPS)
    people = linked_people()
    events = events_table(people=people)
    pupils = pupils_table(people=people)

    report("computing", 1, STEPS)
    store = Path(settings.FEEDS_DIR) / ATTENDANCE
    work = Path(settings.FEEDS_DIR) / ".work" / f"indicators-{uuid.uuid4().hex}"
    work.mkdir(parents=True)
    try:
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(work)})
        try:
            con.execute("SET enable_progress_bar = false")
            marks_sql = read_marks(store)
            rows = compute(
                con=con, marks_sql=marks_sql, events=events, pupils=pupils, as_of=as_of, definitions=definitions
            )
            first = min(start for w in definitions.windows.values() for start, _ in w.periods(as_of))
            marks = _marks_read(con, marks_sql, first, as_of)
        except duckdb.Error as exc:  # a marks file damaged or taken away under the run: nothing is written
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise IndicatorsError(f"the attendance marks in {store} could not be read: {first_line}") from None
        finally:
            con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report("writing", 2, STEPS)
    children = len(pc.unique(rows["person_id"])) if rows.num_rows else 0
    with bulk.writing():
        run = IndicatorRun.objects.create(
            as_of=as_of,
            started_at=started,
            finished_at=started,
            definitions_sha256=definitions.sha256,
            children=children,
            rows=rows.num_rows,
            marks=marks,
        )
        _clear()
        bulk.insert(ChildIndicator, _rows(rows, as_of, run.pk), fields=FIELDS)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=run,
            event="signals.indicators_run",
            purpose=f"Every child's indicators as at {as_of:%Y-%m-%d}",
            detail={
                "as_of": as_of.isoformat(),
                "children": children,
                "rows": rows.num_rows,
                "marks": marks,
                "events": events.num_rows,
                "definitions_sha256": definitions.sha256,
                "definitions": str(definitions.path),
            },
        )
    report("done", STEPS, STEPS)
    return run


def _marks_read(con: duckdb.DuckDBPyConnection, marks_sql: str, first: datetime.date, as_of: datetime.date) -> int:
    """How many marks the windows reached (for the run's record)."""
    found = con.execute(
        f"SELECT count(*) FROM ({marks_sql}) AS marks "  # noqa: S608  (the store's own SQL and two dates)
        f"WHERE academic_year BETWEEN {school_year_of(first)} AND {school_year_of(as_of)} "
        "AND date BETWEEN ? AND ?",
        [first, as_of],
    ).fetchone()
    return int(found[0]) if found else 0


def _clear() -> None:
    """Every ChildIndicator goes (the new run replaces them all), in one statement. DELETE rather than PostgreSQL's
    faster TRUNCATE: TRUNCATE locks the table against reads until the commit, and the single view reads it while a
    nightly run writes; with DELETE it shows the previous run's values until the new ones commit."""
    table = connection.ops.quote_name(ChildIndicator._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (the model's own table name)


def _rows(rows: pa.Table, as_of: datetime.date, run_id: Any) -> Iterator[tuple[Any, ...]]:
    """The computed rows as bulk.insert takes them, a batch of columns at a time; the trend is JSON text already."""
    for batch in rows.to_batches(max_chunksize=bulk.BATCH):
        columns = [batch.column(name).to_pylist() for name in ("person_id", "indicator", "window")]
        numbers = [batch.column(name).to_pylist() for name in ("numerator", "denominator", "value", "met")]
        trends = batch.column("trend").to_pylist()
        for n in range(batch.num_rows):
            yield (
                columns[0][n],
                columns[1][n],
                columns[2][n],
                as_of,
                numbers[0][n],
                numbers[1][n],
                numbers[2][n],
                numbers[3][n],
                bulk.JsonText(trends[n]),
                run_id,
            )
