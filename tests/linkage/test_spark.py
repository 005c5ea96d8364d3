"""The same linkage on Spark as on DuckDB: one Spark session (local mode) for the module, small data.

Spark pays its start-up (a JVM, the first stages) once here; everything else is kept small so the file runs in
about a minute. CI installs Java with apt (.ci/run); without Java these tests fail rather than skip, because CI
must prove the Spark path."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from splink import Linker

from continuum.linkage.engine.backends import BackendError, open_backend
from continuum.synth import two_lists


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    with open_backend("spark", work_dir=tmp_path_factory.mktemp("spark")) as backend:
        yield backend


def _records() -> pa.Table:
    lists = two_lists(300, seed=5)
    both = pa.concat_tables([lists.left, lists.right])
    return both.rename_columns(["unique_id", "given_name", "family_name", "dob", "postcode"]).set_column(
        3, "dob", pc.cast(both["date_of_birth"], pa.string())
    )


def _levels(column: str, *similar: float) -> dict:
    """A comparison in SQL both backends run (unquoted names; `jaro_winkler` is a macro on DuckDB): a model file
    saved from one backend must mean the same on the other."""
    levels = [
        {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL", "is_null_level": True},
        {"sql_condition": f"{column}_l = {column}_r"},
        *({"sql_condition": f"jaro_winkler({column}_l, {column}_r) >= {at}"} for at in similar),
        {"sql_condition": "ELSE"},
    ]
    return {"output_column_name": column, "comparison_levels": levels}


SETTINGS = {
    "link_type": "dedupe_only",
    "blocking_rules_to_generate_predictions": ["l.dob = r.dob", "l.family_name = r.family_name"],
    "comparisons": [
        _levels("given_name", 0.9, 0.8),
        _levels("family_name", 0.9),
        _levels("dob"),
        _levels("postcode"),
    ],
}


def _predict(backend, records: pa.Table, settings: dict) -> dict[tuple[str, str], float]:
    linker = Linker(backend.db_api.register(backend.table(records)), settings)
    rows = linker.inference.predict(threshold_match_probability=0.01).as_record_list()
    return {(r["unique_id_l"], r["unique_id_r"]): r["match_probability"] for r in rows}


def test_a_splink_model_trained_on_duckdb_predicts_the_same_on_spark(spark):
    records = _records()
    with open_backend("duckdb") as duckdb:
        duckdb.session.execute("CREATE MACRO jaro_winkler(a, b) AS jaro_winkler_similarity(a, b)")
        linker = Linker(duckdb.db_api.register(duckdb.table(records)), SETTINGS)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e5, seed=1)
        linker.training.estimate_parameters_using_expectation_maximisation("l.dob = r.dob")
        linker.training.estimate_parameters_using_expectation_maximisation("l.family_name = r.family_name")
        trained = linker.misc.save_model_to_json()
        on_duckdb = _predict(duckdb, records, trained)
    on_spark = _predict(spark, records, trained)
    assert on_duckdb.keys() == on_spark.keys()
    assert max(abs(on_duckdb[pair] - on_spark[pair]) for pair in on_duckdb) < 1e-9


def test_arrow_dates_and_blanks_reach_spark_unchanged(spark):
    records = _records()
    frame = spark.table(records)
    assert frame.count() == records.num_rows
    assert pa.Table.from_pylist([row.asDict() for row in frame.collect()], schema=records.schema).equals(records)


def test_without_java_the_spark_backend_says_so_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(BackendError) as error, open_backend("spark"):
        pass
    assert "\n" not in str(error.value)
    assert "needs a Java runtime" in str(error.value) and "openjdk-17-jre-headless" in str(error.value)


def test_an_unknown_backend_is_named():
    unknown = "unknown linkage backend 'oracle': choose one of duckdb, spark"
    with pytest.raises(BackendError, match=unknown), open_backend("oracle"):
        pass
