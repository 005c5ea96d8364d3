"""Scoring pairs (continuum.linkage.engine.predict): all pairs, new records against linked ones, and a hand-made
truth set at the default threshold. Plain pytest, no database."""

from __future__ import annotations

import math
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from continuum.linkage.engine.backends import open_backend
from continuum.linkage.engine.model import DEFAULT_UPPER, TrainedModel, train
from continuum.linkage.engine.predict import PAIRS_SCHEMA, pairs_schema, predict, predict_new
from tests.linkage.synthetic_records import Population, county, county_model, hand_made, population


@pytest.fixture(scope="module")
def people() -> Population:
    return county()


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    return county_model()


@pytest.fixture(scope="module")
def pairs(people: Population, model: TrainedModel) -> pa.Table:
    return predict(people.records, model, threshold=0.0)


def linked(pairs: pa.Table, at: float = DEFAULT_UPPER) -> set[tuple[str, str]]:
    strong = pairs.filter(pc.greater_equal(pairs["match_probability"], at))
    return set(zip(strong["left_id"].to_pylist(), strong["right_id"].to_pylist(), strict=True))


def test_pairs_have_the_contract_columns(pairs: pa.Table, model: TrainedModel) -> None:
    assert pairs.schema == pairs_schema(model)
    assert pairs.schema.names[:4] == PAIRS_SCHEMA.names
    assert [n for n in pairs.schema.names if n.startswith("gamma_")] == [f"gamma_{f}" for f in model.fields]
    assert [n for n in pairs.schema.names if n.startswith("bf_")] == [f"bf_{f}" for f in model.fields]
    assert pairs.num_rows > 1000
    rows = pairs.to_pylist()
    assert all(row["left_id"] < row["right_id"] for row in rows)
    assert len({(row["left_id"], row["right_id"]) for row in rows}) == len(rows)


def test_the_weight_is_the_prior_plus_each_comparisons_bayes_factor(pairs: pa.Table, model: TrainedModel) -> None:
    prior = model.splink["probability_two_random_records_match"]
    for row in pairs.slice(0, 200).to_pylist():
        weight = math.log2(prior / (1 - prior)) + sum(math.log2(row[f"bf_{f}"]) for f in model.fields)
        assert row["match_weight"] == pytest.approx(weight, abs=1e-6)
        assert row["match_probability"] == pytest.approx(2**weight / (1 + 2**weight), abs=1e-9)


def test_a_missing_side_has_level_minus_one_and_no_weight(pairs: pa.Table) -> None:
    missing = pairs.filter(pc.equal(pairs["gamma_nhs_number"], -1))
    assert missing.num_rows > 0
    assert set(missing["bf_nhs_number"].to_pylist()) == {1.0}


def test_the_threshold_defaults_to_the_models_lower(people: Population, model: TrainedModel, pairs: pa.Table) -> None:
    default = predict(people.records, model)
    assert default.num_rows > 0
    assert pc.min(default["match_probability"]).as_py() >= model.lower
    assert default.num_rows == pairs.filter(pc.greater_equal(pairs["match_probability"], model.lower)).num_rows
    high = predict(people.records, model, threshold=0.999)
    assert pc.min(high["match_probability"]).as_py() >= 0.999


def test_the_hand_made_cases_at_the_default_threshold(pairs: pa.Table) -> None:
    """Twins never link; a nickname, another family name (same given name, date of birth and postcode) and a date
    with day and month swapped do."""
    links = linked(pairs)
    twins = {(a, b) for a, b in links if a.startswith("twin-a") and b.startswith("twin-b")}
    assert not twins
    assert ("nickname-person", "nickname-police") in links
    assert ("surname-person", "surname-police") in links
    assert ("swapped-person", "swapped-police") in links
    assert ("twin-a-person", "twin-a-police") in links and ("twin-b-person", "twin-b-police") in links


def test_precision_and_recall_on_the_hand_made_truth_set(people: Population, pairs: pa.Table) -> None:
    truth = hand_made().truth
    links = {pair for pair in linked(pairs) if pair[0] in truth and pair[1] in truth}
    true_pairs = {(a, b) for a in truth for b in truth if a < b and truth[a] == truth[b]}
    assert links == true_pairs  # precision 1 and recall 1


def test_precision_and_recall_on_the_synthetic_population(people: Population, pairs: pa.Table) -> None:
    groups = _components(people.truth, linked(pairs))
    precision, recall = _pairwise(groups, people.truth)
    assert precision >= 0.99
    assert recall >= 0.95


def test_new_records_score_as_they_would_in_the_whole_population(people: Population, model: TrainedModel) -> None:
    """predict_new: new x linked and new x new pairs only, each with the probability (and levels and factors) that
    predict over all the records gives it; term frequencies come from the whole population."""
    records = people.records
    is_new = pc.starts_with(records["record_id"], "police")
    new, old = records.filter(is_new), records.filter(pc.invert(is_new))
    full = predict(records, model, threshold=0.0).to_pylist()
    incremental = predict_new(new, old, model, threshold=0.0)
    assert incremental.schema == pairs_schema(model)
    fresh = set(new["record_id"].to_pylist())
    expected = {(r["left_id"], r["right_id"]): r for r in full if r["left_id"] in fresh or r["right_id"] in fresh}
    got = {(r["left_id"], r["right_id"]): r for r in incremental.to_pylist()}
    assert set(got) == set(expected)
    assert any(a in fresh and b in fresh for a, b in got)  # new x new pairs are there
    for key, row in got.items():
        _same(row, expected[key])


def test_predict_new_with_a_threshold_keeps_the_pairs_above_it(people: Population, model: TrainedModel) -> None:
    records = people.records
    is_new = pc.starts_with(records["record_id"], "health")
    new, old = records.filter(is_new), records.filter(pc.invert(is_new))
    default = predict_new(new, old, model)
    assert pc.min(default["match_probability"]).as_py() >= model.lower
    assert predict_new(new.slice(0, 0), old, model).num_rows == 0


def test_link_only_pairs_cross_the_two_lists() -> None:
    lists = population(150, sources=("health", "police")).records
    model = train(lists, link_type="link_only")
    pairs = predict(lists, model)
    sources = Counter(
        (a.split(":")[0], b.split(":")[0])
        for a, b in zip(pairs["left_id"].to_pylist(), pairs["right_id"].to_pylist(), strict=True)
    )
    assert set(sources) == {("health", "police")}
    correct = sum(a.split(":")[1] == b.split(":")[1] for a, b in linked(pairs))
    assert correct >= 0.9 * 150


def test_one_backend_serves_many_calls_and_keeps_no_table(people: Population, model: TrainedModel) -> None:
    records = people.records
    is_new = pc.starts_with(records["record_id"], "police")
    with open_backend("duckdb") as backend:
        first = predict(records, model, backend=backend)
        predict_new(records.filter(is_new), records.filter(pc.invert(is_new)), model, backend=backend)
        assert predict(records, model, backend=backend).equals(first)
        assert backend.session.execute("select table_name from information_schema.tables").fetchall() == []


def test_scoring_reports_its_progress(people: Population, model: TrainedModel) -> None:
    seen: list[tuple[str, int, int]] = []
    predict(people.records.slice(0, 300), model, progress=lambda what, done, total: seen.append((what, done, total)))
    assert seen[-1][1] == seen[-1][2]


def _same(left: dict, right: dict) -> None:
    assert left.keys() == right.keys()
    for key, value in left.items():
        if isinstance(value, float):
            assert value == pytest.approx(right[key], rel=1e-12, abs=1e-12), key
        else:
            assert value == right[key], key


def _components(truth: dict[str, str], links: set[tuple[str, str]]) -> dict[str, str]:
    parent = {record: record for record in truth}

    def find(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    for a, b in links:
        parent[find(a)] = find(b)
    return {record: find(record) for record in truth}


def _pairwise(groups: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    correct = pairs(Counter((groups[r], truth[r]) for r in truth))
    return correct / pairs(Counter(groups.values())), correct / pairs(Counter(truth.values()))
