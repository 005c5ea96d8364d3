"""The indicators' SQL is the same text on Spark as on DuckDB, and gives the same values: hand-built marks and events
for a few children, computed by both and compared row by row.

One Spark session in local mode for the module (its JVM's start-up is most of the time). CI installs Java (.ci/run);
without it this fails rather than skips, as tests/linkage/test_spark.py does, because CI must prove the Spark path."""

from __future__ import annotations

import datetime
import json

import duckdb
import pyarrow as pa
import pytest

from continuum.signals.indicators import compute, indicator_sql, load_definitions
from tests.signals.test_indicators import AS_OF, days_before, event, events, marks, sessions


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("continuum-indicators-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def county():
    """Three children: attendance with a trend and every kind of code, two UPNs for one child; events of each kind."""
    rows = sessions("U1", ["/"] * 150 + ["N"] * 17 + ["I"] * 9 + ["D", "#", "Y1"] + ["\\"] * 20)
    rows += sessions("U1", ["/"] * 100 + ["G"] * 13, last=days_before(95))
    rows += sessions("U1", ["/"] * 300 + ["O"] * 30, last=datetime.date(2024, 3, 1))
    rows += sessions("U2", ["/"] * 10 + ["E"] * 3, last=days_before(3), urn="100002")
    rows += sessions("U3", ["I"] * 60 + ["/"] * 60, last=days_before(40))
    happened = [
        event("P1", "police_incident", days_before(1), role="SUSPECT", incident_type="CRIME"),
        event("P1", "police_incident", days_before(100), role="VICTIM", incident_type="CRIME"),
        event("P2", "police_incident", days_before(200), role="PRESENT_DA", incident_type="DOMESTIC"),
        event("P2", "ae_attendance", days_before(2), self_harm=True, diagnosis_group="POISONING"),
        event("P2", "ae_attendance", days_before(400), self_harm=False, diagnosis_group="INJURY"),
        event("P3", "suspension", days_before(30), category="SUSP", sessions=2),
        event("P3", "suspension", days_before(31), category="PERM"),
        event("P3", "missing_episode", days_before(89)),
        event("P3", "youth_justice_outcome", days_before(90), outcome="RO"),
    ]
    return marks(rows), events(happened), {"U1": "P1", "U2": "P1", "U3": "P3"}


def test_the_same_sql_gives_the_same_indicators_on_spark_as_on_duckdb(spark):
    definitions = load_definitions()
    marked, happened, pupils = county()
    pupil_table = pa.table({"upn": list(pupils), "person_id": list(pupils.values())})

    con = duckdb.connect()
    con.register("hand_marks", marked)
    on_duckdb = compute(
        con=con,
        marks_sql="SELECT * FROM hand_marks",
        events=happened,
        pupils=pupil_table,
        as_of=AS_OF,
        definitions=definitions,
    )

    spark.createDataFrame(marked).createOrReplaceTempView("hand_marks")
    spark.createDataFrame(happened.select(["person_id", "kind", "occurred_on", "detail"])).createOrReplaceTempView(
        "spark_events"
    )
    spark.createDataFrame(pupil_table).createOrReplaceTempView("spark_pupils")
    sql = indicator_sql(
        definitions, as_of=AS_OF, marks_sql="SELECT * FROM hand_marks", events="spark_events", pupils="spark_pupils"
    )
    on_spark = [row.asDict() for row in spark.sql(sql).collect()]

    duck = {(r["person_id"], r["indicator"], r["window"]): r for r in on_duckdb.to_pylist()}
    sparked = {(r["person_id"], r["indicator"], r["period_window"]): r for r in on_spark}
    assert len(duck) > 60  # every kind of indicator, not a trivial few
    assert set(duck) == set(sparked)
    for key, row in duck.items():
        other = sparked[key]
        assert (other["numerator"], other["denominator"], other["met"]) == (
            row["numerator"],
            row["denominator"],
            row["met"],
        ), key
        assert other["value"] == pytest.approx(row["value"]), key
        theirs, ours = json.loads(other["trend"]), json.loads(row["trend"])
        assert [start for start, _ in theirs] == [start for start, _ in ours], key
        assert [value for _, value in theirs] == pytest.approx([value for _, value in ours]), key
