"""refresh_indicators and `continuum signals indicators`: every child's values replaced in one audited transaction,
the same again when run again, and bad input refused in one line with nothing written.

The linked feeds are hand-built Arrow tables standing in for signals.selectors.tables (whose reading of the store the
feed and linkage tests cover), and the marks a small store in tmp_path laid out as the marks store lays it out."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from django.core.management import CommandError, call_command

from continuum.agencies.access import SystemActor
from continuum.audit.models import AuditEvent
from continuum.signals.models import ChildIndicator, IndicatorRun
from continuum.signals.selectors.tables import EVENTS_SCHEMA, LINKED_SCHEMA, PUPILS_SCHEMA
from continuum.signals.services import IndicatorsError, refresh_indicators
from continuum.signals.services import indicators as service

AS_OF = datetime.date(2025, 3, 14)


def write_store(folder: Path, upn: str, codes: list[str], last: datetime.date = AS_OF) -> None:
    """One school's marks for one pupil, as the marks store keeps them (a Parquet file per school and year)."""
    days = [last - datetime.timedelta(days=n // 2) for n in range(len(codes))]
    sessions = ["PM" if n % 2 == 0 else "AM" for n in range(len(codes))]
    partition = folder / "attendance" / "marks" / "school_urn=100001" / "academic_year=2024"
    partition.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {"upn": [upn] * len(codes), "date": pa.array(days, pa.date32()), "session": sessions, "code": codes}
    )
    con = duckdb.connect()
    con.register("marks", table)
    con.execute(f"COPY marks TO '{partition / 'marks.parquet'}' (FORMAT parquet)")


@pytest.fixture
def feeds(world, settings, tmp_path, monkeypatch):
    """amy: a pupil (UPN A1) who missed 3 of 20 sessions; ben: two police incidents as a suspect."""
    settings.FEEDS_DIR = tmp_path
    write_store(tmp_path, "A1", ["/"] * 17 + ["N", "N", "I"])
    state = {
        "events": [
            ("e1", str(world.ben.pk), "police_incident", AS_OF, {"role": "SUSPECT", "incident_type": "CRIME"}),
            ("e2", str(world.ben.pk), "police_incident", AS_OF, {"role": "SUSPECT", "incident_type": "ASB"}),
        ]
    }

    def events_table(*, people=None, **kwargs):
        rows = state["events"]
        return pa.table(
            {
                "event_id": [r[0] for r in rows],
                "person_id": [r[1] for r in rows],
                "source_person_id": [f"s-{r[0]}" for r in rows],
                "feed": ["police"] * len(rows),
                "table": ["police"] * len(rows),
                "kind": [r[2] for r in rows],
                "occurred_on": [r[3] for r in rows],
                "ended_on": [None] * len(rows),
                "detail": [json.dumps({"values": r[4]}) for r in rows],
                "match_probability": [1.0] * len(rows),
            },
            schema=EVENTS_SCHEMA,
        )

    monkeypatch.setattr(service, "linked_people", lambda **kwargs: LINKED_SCHEMA.empty_table())
    monkeypatch.setattr(service, "events_table", events_table)
    monkeypatch.setattr(
        service,
        "pupils_table",
        lambda **kwargs: pa.table({"upn": ["A1"], "person_id": [str(world.amy.pk)]}, schema=PUPILS_SCHEMA),
    )
    return state


def values() -> set[tuple]:
    return set(
        ChildIndicator.objects.values_list(
            "person_id", "indicator", "window", "numerator", "denominator", "value", "met"
        )
    )


def test_refresh_writes_every_childs_indicators_with_its_run_and_audit_row(world, feeds):
    run = refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    amy = ChildIndicator.objects.get(person=world.amy, indicator="persistent_absence", window="last_90_days")
    assert (amy.numerator, amy.denominator, amy.met, amy.as_of, amy.run_id) == (3, 20, True, AS_OF, run.pk)
    assert amy.value == pytest.approx(15.0)
    assert isinstance(amy.trend, list)  # JSON, not JSON text in a string
    ben = ChildIndicator.objects.get(person=world.ben, indicator="police_as_suspect", window="last_12_months")
    assert (ben.numerator, ben.denominator, ben.met) == (2, None, None)
    assert (run.as_of, run.children, run.rows, run.marks) == (AS_OF, 2, ChildIndicator.objects.count(), 20)
    assert len(run.definitions_sha256) == 64
    audit = AuditEvent.objects.get(event="signals.indicators_run")
    assert audit.action == "create" and audit.object_id == str(run.pk)
    assert audit.detail["rows"] == run.rows and audit.actor_username.startswith("system (test")


def test_refresh_again_gives_the_same_values_and_replaces_the_rows(world, feeds):
    first = refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    before = values()
    second = refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    assert values() == before
    assert set(ChildIndicator.objects.values_list("run_id", flat=True)) == {second.pk}
    assert IndicatorRun.objects.count() == 2 and first.pk != second.pk
    assert AuditEvent.objects.filter(event="signals.indicators_run").count() == 2


def test_refresh_drops_a_value_nothing_counts_any_more(world, feeds):
    refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    assert ChildIndicator.objects.filter(person=world.ben).exists()
    feeds["events"] = []
    refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    assert not ChildIndicator.objects.filter(person=world.ben).exists()
    assert ChildIndicator.objects.filter(person=world.amy).exists()


def test_a_day_in_the_future_is_refused_and_nothing_is_written(world, feeds):
    with pytest.raises(IndicatorsError, match="after today"):
        refresh_indicators(actor=SystemActor("test"), as_of=datetime.date.today() + datetime.timedelta(days=1))
    assert not IndicatorRun.objects.exists() and not ChildIndicator.objects.exists()


def test_a_failure_while_writing_leaves_the_previous_run_in_place(world, feeds, monkeypatch):
    refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    before = values()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(service, "audit_record", broken)
    with pytest.raises(RuntimeError):
        refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    assert values() == before and IndicatorRun.objects.count() == 1


def test_the_command_computes_and_says_what_it_did(world, feeds):
    out, err = io.StringIO(), io.StringIO()
    call_command("signals", "indicators", "--as-of", "2025-03-14", stdout=out, stderr=err)
    assert out.getvalue().startswith("indicators as at 2025-03-14: ")
    assert "for 2 children (20 attendance marks read)" in out.getvalue()


@pytest.mark.parametrize("given", ["2025-02-30", "14/03/2025", "2025-3-14", "yesterday", "2025-03-14T00:00", ""])
def test_the_command_refuses_a_date_that_is_not_yyyy_mm_dd(db, given):
    with pytest.raises(CommandError, match=f"^--as-of must be a date written YYYY-MM-DD, not '{given}'$"):
        call_command("signals", "indicators", "--as-of", given)
    assert not IndicatorRun.objects.exists()


def test_the_real_command_answers_a_bad_date_in_one_line_without_a_traceback(tmp_path):
    env = {
        **os.environ,
        "CONTINUUM_VAR_DIR": str(tmp_path),
        "CONTINUUM_SECRET_KEY": "test-only-secret-key-not-for-any-deployment-0123456789",
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
    }
    done = subprocess.run(  # noqa: S603  (the project's own command)
        [str(Path(sys.executable).parent / "continuum"), "signals", "indicators", "--as-of", "31/12/2024"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (
        done.stderr.strip().splitlines()[-1]
        == "CommandError: --as-of must be a date written YYYY-MM-DD, not '31/12/2024'"
    )


def test_a_damaged_marks_file_is_one_line_and_the_previous_run_stays(world, feeds, tmp_path):
    refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    before = values()
    damaged = tmp_path / "attendance" / "marks" / "school_urn=100001" / "academic_year=2024" / "marks.parquet"
    damaged.write_bytes(b"not parquet at all")
    with pytest.raises(IndicatorsError, match="the attendance marks in .* could not be read: ") as refused:
        refresh_indicators(actor=SystemActor("test"), as_of=AS_OF)
    assert "\n" not in str(refused.value)
    assert values() == before and IndicatorRun.objects.count() == 1
