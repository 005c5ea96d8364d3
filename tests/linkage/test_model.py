"""The linkage model (continuum.linkage.engine.model): unsupervised training, the model file and its checks.

Plain pytest, no database. Training runs on a few hundred synthetic children seen by four sources (a few seconds).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
import splink

from continuum.linkage.engine import model as linkage_model
from continuum.linkage.engine.model import (
    DEFAULT_LOWER,
    DEFAULT_UPPER,
    MODEL_FILE_FORMAT,
    ModelFileError,
    TrainedModel,
    load,
    save,
    train,
)
from continuum.linkage.engine.records import FIELDS, RECORD_SCHEMA
from tests.linkage.synthetic_records import county, county_model, population


@pytest.fixture(scope="module")
def records() -> pa.Table:
    return county().records


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    return county_model()


def test_a_model_compares_the_fields_the_records_carry(trained: TrainedModel) -> None:
    assert trained.fields == ("given_name", "family_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn")
    assert trained.comparisons == trained.fields
    assert set(trained.fields) <= set(FIELDS)


def test_a_model_is_trained_without_labels_on_every_level(trained: TrainedModel) -> None:
    for comparison in trained.splink["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert 0 < level["m_probability"] <= 1 and 0 < level["u_probability"] <= 1, level
    assert 0 < trained.splink["probability_two_random_records_match"] < 1
    assert trained.records == 1210
    assert (trained.upper, trained.lower) == (DEFAULT_UPPER, DEFAULT_LOWER)
    assert trained.splink_version == splink.__version__
    assert trained.file_format == MODEL_FILE_FORMAT


def test_disagreeing_names_and_dates_count_against_a_match(trained: TrainedModel) -> None:
    for name in ("given_name", "family_name", "date_of_birth"):
        different = linkage_model._level(_comparison(trained, name), "Different")
        assert different["m_probability"] < different["u_probability"]


def test_the_postcode_counts_less_when_the_family_name_agrees(trained: TrainedModel) -> None:
    """A family shares its postcode: agreeing on it says little once the family name agrees (twins, a parent)."""
    postcode = _comparison(trained, "postcode")
    with_family = linkage_model._level(postcode, "Same, with the family name")
    alone = linkage_model._level(postcode, "Same")
    assert with_family["m_probability"] / with_family["u_probability"] < alone["m_probability"] / alone["u_probability"]


def test_training_is_deterministic_for_a_seed(records: pa.Table, trained: TrainedModel) -> None:
    again = train(records, seed=42)
    assert again.to_json() == trained.to_json()
    assert again.sha256 == trained.sha256


def test_only_fields_with_values_are_compared() -> None:
    lists = population(200, sources=("health", "police")).records
    names_only = lists.drop_columns(["sex"]).append_column("sex", pa.nulls(lists.num_rows, pa.string()))
    model = train(names_only.select(RECORD_SCHEMA.names), link_type="link_only")
    assert model.fields == ("given_name", "family_name", "date_of_birth", "postcode")  # NHS numbers: one list only
    assert model.splink["link_type"] == "link_only"


def test_a_field_only_one_source_carries_is_not_compared() -> None:
    """The platform's addresses compare only the platform's people with each other: nothing about matches."""
    base = population(200, sources=("person", "police")).records
    address = pc.if_else(pc.equal(base["source"], "person"), "1 High Street", pa.scalar(None, pa.string()))
    with_address = base.set_column(base.schema.get_field_index("address"), "address", address)
    assert "address" not in train(with_address).fields


def test_records_with_nothing_to_compare_are_refused() -> None:
    empty = pa.Table.from_pylist([{"record_id": "a", "source": "x"}, {"record_id": "b", "source": "x"}], RECORD_SCHEMA)
    with pytest.raises(ValueError, match="no field to compare"):
        train(empty)


def test_training_reports_its_progress(records: pa.Table) -> None:
    seen: list[tuple[str, int, int]] = []
    train(records.slice(0, 600), progress=lambda what, done, total: seen.append((what, done, total)))
    assert seen[0][1] == 0 and seen[-1][1] == seen[-1][2]
    assert all(isinstance(what, str) and what for what, _, _ in seen)


def test_the_model_sql_runs_unchanged_on_duckdb_and_spark(trained: TrainedModel) -> None:
    """No quoted names (Spark reads "x" as a string) and only functions both engines have (jaro_winkler is
    Splink's jar on Spark and a macro on DuckDB)."""
    sql = [level["sql_condition"] for c in trained.splink["comparisons"] for level in c["comparison_levels"]]
    sql += [rule["blocking_rule"] for rule in trained.splink["blocking_rules_to_generate_predictions"]]
    allowed = {"jaro_winkler", "levenshtein", "substr", "instr", "concat", "abs"}
    for text in sql:
        assert '"' not in text and "`" not in text, text
        assert set(re.findall(r"([a-z_]+)\(", text)) <= allowed, text
    assert "sql_dialect" not in trained.splink and "linker_uid" not in trained.splink


# --- the model file ---------------------------------------------------------------------------------------------


def test_a_model_file_round_trips(trained: TrainedModel, tmp_path: Path) -> None:
    path = tmp_path / "models" / "model-1.json"
    save(trained, path)
    loaded = load(path)
    assert loaded == trained
    assert loaded.sha256 == trained.sha256
    assert path.read_text() == trained.to_json()
    assert [p.name for p in path.parent.iterdir()] == ["model-1.json"]  # no temporary file left


def test_the_model_file_has_a_stable_key_order(trained: TrainedModel) -> None:
    text = trained.to_json()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    assert TrainedModel.from_json(text, name="m.json").to_json() == text


def _document(trained: TrainedModel) -> dict:
    return json.loads(trained.to_json())


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: "not json {", "not JSON"),
        (lambda d: json.dumps([1, 2]), "not a Continuum linkage model"),
        (lambda d: json.dumps({**d, "kind": "splink-settings"}), "not a Continuum linkage model"),
        (lambda d: json.dumps(d["splink"]), "not a Continuum linkage model"),
        (lambda d: json.dumps({**d, "file_format": 2}), "file format 2"),
        (lambda d: json.dumps({**d, "splink_version": "4.0.7"}), "Splink 4.0.7"),
        (lambda d: json.dumps({**d, "colour": "blue"}), "does not know: colour"),
        (lambda d: json.dumps({k: v for k, v in d.items() if k != "upper"}), "missing upper"),
        (lambda d: json.dumps({**d, "fields": ["shoe_size"]}), "does not know"),
        (lambda d: json.dumps({**d, "upper": 0.1, "lower": 0.9}), "thresholds"),
        (lambda d: json.dumps({**d, "splink": {**d["splink"], "comparisons": []}}), "not the fields"),
    ],
)
def test_a_bad_model_file_is_refused_in_one_line(trained: TrainedModel, change, why: str) -> None:
    with pytest.raises(ModelFileError) as refused:
        TrainedModel.from_json(change(_document(trained)), name="models/model-7.json")
    message = str(refused.value)
    assert message.startswith("models/model-7.json: ")
    assert why in message
    assert "\n" not in message


def test_an_untrained_comparison_is_refused(trained: TrainedModel) -> None:
    document = _document(trained)
    del document["splink"]["comparisons"][0]["comparison_levels"][1]["m_probability"]
    with pytest.raises(ModelFileError, match="is not trained"):
        TrainedModel.from_json(json.dumps(document), name="m.json")


def test_a_missing_or_unreadable_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot be read"):
        load(tmp_path / "absent.json")
    binary = tmp_path / "model.json"
    binary.write_bytes(b"\xff\xfe\x00model")
    with pytest.raises(ModelFileError, match="not UTF-8"):
        load(binary)


def _comparison(model: TrainedModel, name: str) -> dict:
    return next(c for c in model.splink["comparisons"] if c["output_column_name"] == name)


def test_a_training_rule_that_finds_no_pair_is_passed_over() -> None:
    """No two records share an NHS number here: the session blocked on it finds nothing, and training goes on."""
    base = population(200, sources=("person", "health")).records
    nhs = base["nhs_number"]
    scrambled = pc.if_else(pc.equal(base["source"], "health"), pc.utf8_reverse(nhs), nhs)
    records = base.set_column(base.schema.get_field_index("nhs_number"), "nhs_number", scrambled)
    model = train(records)
    assert "given_name" in model.fields and "nhs_number" in model.fields


def test_the_chance_two_records_match_is_never_zero() -> None:
    """Deterministic rules that find no pair would make it 0 (and nothing could link): it is at least one pair."""
    rows = [
        {"record_id": "a1", "source": "a", "given_name": "Ann", "family_name": "Lee", "postcode": "SF1 1AA"},
        {"record_id": "b1", "source": "b", "given_name": "Anne", "family_name": "Lee", "postcode": "SF1 1AA"},
        {"record_id": "a2", "source": "a", "given_name": "Bob", "family_name": "Kay", "postcode": "SF2 2BB"},
        {"record_id": "b2", "source": "b", "given_name": "Robert", "family_name": "Kay", "postcode": "SF2 2BB"},
    ]
    model = train(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), link_type="link_only")
    assert model.splink["probability_two_random_records_match"] == pytest.approx(1 / 4)
