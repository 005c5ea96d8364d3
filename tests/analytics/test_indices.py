"""Custom indices defined as data: every problem of a definition listed at once, and scoring by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.analytics.indices import (
    IndexDefinition,
    IndexDefinitionError,
    IndexResponseError,
    example_index,
)


def definition(**changes) -> dict:
    """A small valid index: two domains of two items (0-3), one reverse-scored, and a total."""
    data = {
        "name": "Small index",
        "higher_is_better": True,
        "items": {
            "a1": {"min": 0, "max": 3},
            "a2": {"min": 0, "max": 3, "reverse": True},
            "b1": {"min": 0, "max": 3},
            "b2": {"min": 0, "max": 3},
        },
        "domains": {
            "a": {
                "items": ["a1", "a2"],
                "rule": "sum",
                "minimum_answered": 1,
                "bands": [{"label": "low", "min": 0, "max": 2}, {"label": "high", "min": 3, "max": 6}],
            },
            "b": {
                "items": ["b1", "b2"],
                "rule": "mean",
                "minimum_answered": 2,
                "bands": [{"label": "low", "min": 0, "max": 1.49}, {"label": "high", "min": 1.5, "max": 3}],
            },
        },
        "total": {"rule": "sum", "minimum_answered": 3},
    }
    data.update(changes)
    return data


def problems_of(data: dict) -> list[str]:
    with pytest.raises(IndexDefinitionError) as raised:
        IndexDefinition.from_data(data)
    return raised.value.problems


def test_the_example_index_loads_and_names_seed_003s_five_areas():
    index = example_index()
    assert [domain.label for domain in index.domains] == [
        "Self-care",
        "Forming relationships and attachments",
        "Self-perception",
        "Self-management and self-awareness",
        "Emotional competence",
    ]
    assert index.higher_is_better is True
    assert index.total is not None and len(index.total.items) == 15


def test_scoring_with_a_reverse_item_proration_and_rounding():
    index = IndexDefinition.from_data(definition())
    result = index.score({"a1": 2, "a2": 0, "b1": 1, "b2": 2})
    # a: 2 + (0 + 3 - 0) = 5, "high"; b: mean (1 + 2) / 2 = 1.5, "high"; total: 2 + 3 + 1 + 2 = 8
    assert result.scores == {"a": 5, "b": 1.5, "total": 8}
    assert result.bands == {"a": "high", "b": "high", "total": None}  # the total has no bands

    result = index.score({"a1": 1, "b1": 1, "b2": 1, "a2": None})
    # a: one of two answered, prorated: 1 / 1 * 2 = 2, "low"; b: 1.0, "low";
    # total: 3 answered, mean 1 x 4 items = 4
    assert result.scores == {"a": 2, "b": 1.0, "total": 4}
    assert result.bands == {"a": "low", "b": "low", "total": None}

    result = index.score({"a1": 1, "b1": 2})
    # b: one of two answered, two needed: not scored; total: two of four, three needed
    assert result.scores == {"a": 2, "b": None, "total": None}


def test_a_prorated_sum_rounds_halves_up():
    data = definition(total={"rule": "sum", "minimum_answered": 3})
    data["items"] |= {"b3": {"min": 0, "max": 3}}
    data["domains"]["b"]["items"] = ["b1", "b2", "b3"]
    index = IndexDefinition.from_data(data)
    # total over 5 items, 4 answered: a1 1, a2 3 (reversed: 0), b1 1, b2 0 -> sum 2, mean 0.5, x 5 = 2.5 -> 3
    assert index.score({"a1": 1, "a2": 3, "b1": 1, "b2": 0}).scores["total"] == 3


@pytest.mark.parametrize(
    ("responses", "says"),
    [
        ({"a1": 4}, "a1: 4 is outside the item's range, 0 to 3"),
        ({"a1": -1}, "a1: -1 is outside the item's range, 0 to 3"),
        ({"a1": 1.5}, "a1: 1.5 is not a whole number from 0 to 3"),
        ({"zz": 1}, "zz: is not an item of the Small index"),
    ],
)
def test_an_answer_the_index_does_not_allow_is_refused(responses, says):
    index = IndexDefinition.from_data(definition())
    with pytest.raises(IndexResponseError) as raised:
        index.score(responses)
    assert str(raised.value) == says


def test_overlapping_bands_are_refused():
    data = definition()
    data["domains"]["a"]["bands"] = [{"label": "low", "min": 0, "max": 3}, {"label": "high", "min": 3, "max": 6}]
    assert problems_of(data) == ["domain 'a': bands 'low' (0-3) and 'high' (3-6) overlap"]


def test_bands_with_a_gap_or_short_of_the_range_are_refused():
    data = definition()
    data["domains"]["a"]["bands"] = [{"label": "low", "min": 1, "max": 2}, {"label": "high", "min": 4, "max": 5}]
    data["domains"]["b"]["bands"] = [{"label": "low", "min": 0, "max": 1.4}, {"label": "high", "min": 1.5, "max": 3}]
    assert problems_of(data) == [
        "domain 'a': no band covers 3, between 'low' (1-2) and 'high' (4-5)",
        "domain 'a': no band covers the lowest possible score, 0",
        "domain 'a': no band covers the highest possible score, 6",
        "domain 'b': no band covers 1.41-1.49, between 'low' (0-1.4) and 'high' (1.5-3)",
    ]


def test_every_problem_is_listed_at_once():
    data = definition(colour="blue")
    data.pop("higher_is_better")
    data["items"]["c1"] = {"min": 0, "max": 3}  # in no domain
    data["items"]["r1"] = {"reverse": True}  # reverse without a range
    data["items"]["x1"] = {"min": 3, "max": 1}
    data["domains"]["a"]["items"] = ["a1", "a2", "nope"]
    data["domains"]["empty"] = {"items": [], "rule": "sum"}
    data["domains"]["b"]["rule"] = "median"
    data["domains"]["b"]["bands"] = [{"label": "low", "min": 0, "max": 2}, {"label": "high", "min": 1, "max": 3}]
    data["total"] = {"rule": "sum", "minimum_answered": 99}
    assert problems_of(data) == [
        "'colour' is not a setting of an index (expected: description, domains, higher_is_better, items, name, "
        "reliability, source, total)",
        "'higher_is_better' is required: true or false",
        "item 'r1' is reverse-scored but has no range: give its min and max to reverse it",
        "item 'x1': min (3) must be below max (1)",
        "domain 'a' names item 'nope', which is not defined under 'items'",
        "domain 'b': 'rule' is 'median': it must be 'sum' or 'mean'",
        "domain 'b': bands 'low' (0-2) and 'high' (1-3) overlap",
        "domain 'empty' has no items: list the items it is scored from",
        "item 'c1' is in no domain: every item belongs to at least one",
        "the total: 'minimum_answered' is 99: it must be a whole number from 1 to 5",
    ]


def test_a_definition_without_items_or_domains():
    assert problems_of({"name": "", "higher_is_better": "yes", "reliability": 2}) == [
        "'name' is required: the index's name",
        "'higher_is_better' is required: true or false",
        "'reliability' is 2: it must be a number between 0 and 1",
        "'items' is required: at least one item, each with its range (min and max)",
        "'domains' is required: at least one domain, each naming its items",
    ]


def test_a_toml_file_that_is_not_toml_says_so(tmp_path: Path):
    path = tmp_path / "index.toml"
    path.write_text("name = \n")
    with pytest.raises(IndexDefinitionError) as raised:
        IndexDefinition.from_toml(path)
    assert raised.value.problems[0].startswith(f"{path} is not valid TOML:")
    with pytest.raises(IndexDefinitionError, match="cannot read"):
        IndexDefinition.from_toml(tmp_path / "missing.toml")
