"""The same linkage on Spark as on DuckDB: a small synthetic county, one model trained on DuckDB, its pairs and
links computed on both backends and compared.

One Spark session (local mode) serves the module: Spark pays its start-up (a JVM, the first stages) once, and the
county is small, so the file runs in about a minute. CI installs Java with apt (.ci/run); without Java these tests
fail rather than skip, because CI must prove the Spark path."""

from __future__ import annotations

import datetime
import random

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from bench.linkage_records import county_records

from continuum.linkage.engine import predict, resolve
from continuum.linkage.engine.backends import BackendError, open_backend
from continuum.linkage.engine.model import train
from continuum.synth import generate

CHILDREN = 1000


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    with open_backend("spark", work_dir=tmp_path_factory.mktemp("spark")) as backend:
        yield backend


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> pa.Table:
    """Every person and feed record of a county of a thousand children (about 3,000 records)."""
    folder = tmp_path_factory.mktemp("county")
    generate(folder, children=CHILDREN, seed=7, as_of=datetime.date(2026, 11, 1))
    records, _ = county_records(folder)
    return records


@pytest.fixture(scope="module")
def duckdb(county):
    """The model trained on DuckDB, with DuckDB's pairs: what Spark must reproduce."""
    with open_backend("duckdb") as backend:
        model = train(county, backend=backend)
        yield backend, model, predict.predict(county, model, backend=backend)


@pytest.fixture(scope="module")
def on_spark(spark, county, duckdb) -> pa.Table:
    """The same model's pairs, scored on Spark."""
    _, model, _ = duckdb
    return predict.predict(county, model, backend=spark)


def test_the_model_trained_on_duckdb_scores_the_same_pairs_on_spark(duckdb, on_spark):
    _, _, on_duckdb = duckdb
    assert on_duckdb.num_rows > 100  # a county's worth of pairs, not a trivial few
    _assert_same_pairs(on_duckdb, on_spark)


def test_the_same_links_and_review_queue_follow_on_both_backends(county, duckdb, on_spark):
    _, model, on_duckdb = duckdb
    ids = county["record_id"].to_pylist()
    people = {r: r for r in ids if r.startswith("person:")}
    links = [
        resolve.resolve(records=ids, prior=people, pairs=pairs, upper=model.upper, lower=model.lower)
        for pairs in (on_duckdb, on_spark)
    ]
    assert links[0].assignments == links[1].assignments
    assert links[0].waiting == links[1].waiting
    assert [(i.left_id, i.right_id, i.why) for i in links[0].review] == [
        (i.left_id, i.right_id, i.why) for i in links[1].review
    ]
    assert len(set(links[0].assignments.values())) < len(ids)  # records did link


def test_new_records_against_the_linked_score_the_same_on_spark(spark, county, duckdb):
    backend, model, _ = duckdb
    ids = county["record_id"].to_pylist()
    new = set(random.Random(3).sample([r for r in ids if not r.startswith("person:")], 150))
    is_new = pa.array([r in new for r in ids])
    fresh, linked = county.filter(is_new), county.filter(pc.invert(is_new))
    on_duckdb = predict.predict_new(fresh, linked, model, backend=backend)
    on_spark = predict.predict_new(fresh, linked, model, backend=spark)
    assert on_duckdb.num_rows > 0
    _assert_same_pairs(on_duckdb, on_spark)


def test_jaro_winkler_on_spark_is_duckdbs_to_the_last_bit(spark):
    """Splink's jar counts transpositions otherwise than DuckDB: PORTER and PORRTER would score 0.908 on Spark and
    0.928 on DuckDB, either side of the model's 0.92. The Spark backend gives DuckDB's."""
    pairs = [
        ("PORTER", "PORRTER"),
        ("JOHSON", "JOHNSON"),
        ("MARTHA", "MARHTA"),
        ("DWAYNE", "DUANE"),
        ("ÉMILE", "EMILE"),
        ("ŁUKASZ", "LUKASZ"),
        ("A", ""),
        ("", ""),
        (None, "ANNA"),
    ]
    table = pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    with open_backend("duckdb") as duckdb:
        duckdb.session.register("names", table)
        rows = duckdb.session.execute("SELECT jaro_winkler_similarity(a, b) FROM names").fetchall()
    expected = [row[0] for row in rows]
    spark.table(table).createOrReplaceTempView("names")
    assert [row[0] for row in spark.session.sql("SELECT jaro_winkler(a, b) FROM names").collect()] == expected


def test_arrow_dates_and_blanks_reach_spark_unchanged(spark, county):
    sample = county.slice(0, 200)
    frame = spark.table(sample)
    assert pa.Table.from_pylist([row.asDict() for row in frame.collect()], schema=sample.schema).equals(sample)


def test_without_java_the_spark_backend_says_so_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(BackendError) as error, open_backend("spark"):
        pass
    assert "\n" not in str(error.value)
    assert "needs a Java runtime" in str(error.value) and "openjdk-17-jre-headless" in str(error.value)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("CONTINUUM_SPARK_MASTER", "localhost", "CONTINUUM_SPARK_MASTER='localhost' is not a Spark master"),
        ("CONTINUUM_SPARK_DRIVER_MEMORY", "lots", "CONTINUUM_SPARK_DRIVER_MEMORY='lots' is not an amount of memory"),
    ],
)
def test_a_mistyped_spark_setting_is_named_before_java_starts(monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(BackendError, match=says), open_backend("spark"):
        pass


def test_an_unknown_backend_is_named():
    unknown = "unknown linkage backend 'oracle': choose one of duckdb, spark"
    with pytest.raises(BackendError, match=unknown), open_backend("oracle"):
        pass


def _assert_same_pairs(on_duckdb: pa.Table, on_spark: pa.Table) -> None:
    """The same pairs in the same order, the same level of every comparison, probabilities and Bayes factors equal
    but for the last bits of floating point (the two engines add in different orders)."""
    assert on_spark.schema == on_duckdb.schema
    for column in on_duckdb.column_names:
        one, other = on_duckdb[column], on_spark[column]
        if pa.types.is_floating(one.type):
            difference = pc.max(pc.abs(pc.subtract(one, other))).as_py()
            scale = max(pc.max(pc.abs(one)).as_py(), 1.0)
            assert difference <= 1e-9 * scale, column
        else:
            assert one.equals(other), column
