"""The model's reasons in words (continuum.linkage.engine.explain). Plain pytest, no database."""

from __future__ import annotations

import dataclasses
import json
import math

import pyarrow as pa
import pytest

from continuum.linkage.engine.explain import Reason, reasons, strength
from continuum.linkage.engine.model import LEVELS, TrainedModel
from continuum.linkage.engine.predict import predict
from tests.linkage.synthetic_records import county, county_model


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    return county_model()


@pytest.fixture(scope="module")
def pairs(model: TrainedModel) -> pa.Table:
    return predict(county().records, model, threshold=0.0)


def _pair(pairs: pa.Table, left: str, right: str) -> dict:
    return next(row for row in pairs.to_pylist() if (row["left_id"], row["right_id"]) == (left, right))


def test_one_reason_per_comparison_in_the_models_order(pairs: pa.Table, model: TrainedModel) -> None:
    found = reasons(pairs.to_pylist()[0], model)
    assert [reason.field for reason in found] == list(model.fields)


def test_a_swapped_date_of_birth_in_words(pairs: pa.Table, model: TrainedModel) -> None:
    by_field = {r.field: r for r in reasons(_pair(pairs, "swapped-person", "swapped-police"), model)}
    date = by_field["date_of_birth"]
    assert date.label == "Day and month swapped"
    assert date.words.startswith("Dates of birth have day and month the other way round: ")
    assert date.words.endswith("evidence for")
    assert date.agrees is False
    assert by_field["nhs_number"].agrees is None
    assert by_field["nhs_number"].words == "An NHS number is missing: no evidence either way"
    assert by_field["nhs_number"].weight == 0.0


def test_twins_given_names_count_against(pairs: pa.Table, model: TrainedModel) -> None:
    given = {r.field: r for r in reasons(_pair(pairs, "twin-a-police", "twin-b-police"), model)}["given_name"]
    assert given.agrees is False
    assert given.weight < 0
    assert given.words.startswith("Given names differ: ") and given.words.endswith("against")


def test_the_weight_is_log2_of_the_bayes_factor(pairs: pa.Table, model: TrainedModel) -> None:
    row = _pair(pairs, "nickname-person", "nickname-police")
    for reason in reasons(row, model):
        assert reason.weight == pytest.approx(math.log2(row[f"bf_{reason.field}"]), abs=1e-3)


def test_reasons_never_hold_a_value_of_the_records(pairs: pa.Table, model: TrainedModel) -> None:
    values = {"Ashdown", "ASHDOWN", "William", "Bill", "2012", "SF8", "SF82WW"}
    for reason in reasons(_pair(pairs, "nickname-person", "nickname-police"), model):
        assert not any(value.lower() in reason.words.lower() for value in values), reason.words


def test_reasons_are_json_able(pairs: pa.Table, model: TrainedModel) -> None:
    found = reasons(pairs.to_pylist()[0], model)
    stored = json.loads(json.dumps([dataclasses.asdict(r) for r in found]))
    assert [Reason(**r) for r in stored] == found


def test_every_level_of_every_comparison_has_words(model: TrainedModel) -> None:
    """Each level of the model, read back from its gamma value, gives its own sentence."""
    for comparison in model.splink["comparisons"]:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        sentences = set()
        for gamma in range(-1, len(levels) - 1):
            pair = {f"gamma_{c}": -1 for c in model.fields} | {f"bf_{c}": 1.0 for c in model.fields}
            pair |= {f"gamma_{name}": gamma, f"bf_{name}": 4.0}
            reason = next(r for r in reasons(pair, model) if r.field == name)
            assert reason.label in {level.label for level in LEVELS[name]} | {"Missing"}
            sentences.add(reason.words.split(":")[0])
        assert len(sentences) == len(levels), name


def test_words_for_every_level_the_model_can_have() -> None:
    for name, levels in LEVELS.items():
        assert levels[0].agrees is None, name  # the null level first
        assert len({level.says for level in levels}) == len(levels), name
        assert all(level.says and level.says[0].isupper() for level in levels), name


@pytest.mark.parametrize(
    ("weight", "words"),
    [
        (0.4, "little evidence either way"),
        (-0.4, "little evidence either way"),
        (2.0, "some evidence for"),
        (-5.0, "strong evidence against"),
        (12.0, "very strong evidence for"),
    ],
)
def test_strength_in_words(weight: float, words: str) -> None:
    assert strength(weight) == words


def test_a_pair_without_a_comparisons_columns_says_so(model: TrainedModel) -> None:
    found = reasons({}, model)
    assert all(r.agrees is None and r.weight == 0.0 and r.label == "Not compared" for r in found)
