"""SDQ scoring, worked by hand: every informant and version, missing items, reverse-scored items,
proration, rounding of halves, the impact supplement, and every band boundary of every informant.

Items by subscale (R = reverse-scored, counted as 2 - answer):
    prosocial 1 4 9 17 20 | hyperactivity 2 10 15 21R 25R | emotional 3 8 13 16 24
    conduct 5 7R 12 18 22 | peer 6 11R 14R 19 23
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from continuum.analytics.sdq import (
    SDQ_IMPACT_COLUMNS,
    SDQ_IMPACT_ITEMS,
    SDQ_IMPACT_KEYS,
    SDQ_INPUT_COLUMNS,
    SDQ_ITEMS_BY_SUBSCALE,
    SDQ_REVERSED,
    SDQ_SCORES,
    SdqInputError,
    SdqScores,
    SdqTableError,
    sdq_band,
    sdq_score,
    sdq_score_table,
    sdq_table_problems,
)

_ = None  # a missing answer, so the worked examples line up


def items(answers: dict[int, int | None]) -> list[int | None]:
    """Items 1-25 from {item number: answer}; items not named are missing."""
    return [answers.get(number) for number in range(1, 26)]


def scores_of(result: SdqScores) -> dict[str, int | None]:
    return {name: getattr(result, name) for name in SDQ_SCORES}


# --- Worked examples, one for each informant and version -------------------------------------------------------------


def test_parent_4_17_complete_response():
    answers = {1: 2, 2: 1, 3: 0, 4: 2, 5: 1, 6: 0, 7: 2, 8: 1, 9: 2, 10: 2, 11: 2, 12: 0, 13: 1}
    answers |= {14: 1, 15: 2, 16: 0, 17: 2, 18: 0, 19: 0, 20: 1, 21: 0, 22: 0, 23: 1, 24: 2, 25: 1}
    result = sdq_score(
        informant="parent",
        version="4-17",
        items=items(answers),
        difficulties=2,
        impact={"distress": 2, "home": 3, "friends": 1, "classroom": 2, "leisure": 0},
    )
    assert scores_of(result) == {
        "emotional": 4,  # items 3, 8, 13, 16, 24: 0 + 1 + 1 + 0 + 2
        "conduct": 1,  # 5, 7R, 12, 18, 22: 1 + (2 - 2) + 0 + 0 + 0
        "hyperactivity": 8,  # 2, 10, 15, 21R, 25R: 1 + 2 + 2 + (2 - 0) + (2 - 1)
        "peer": 2,  # 6, 11R, 14R, 19, 23: 0 + (2 - 2) + (2 - 1) + 0 + 1
        "prosocial": 9,  # 1, 4, 9, 17, 20: 2 + 2 + 2 + 2 + 1
        "total": 15,  # 4 + 1 + 8 + 2
        "externalising": 9,  # conduct 1 + hyperactivity 8
        "internalising": 6,  # emotional 4 + peer 2
        "impact": 4,  # distress 2 -> 1, home 3 -> 2, friends 1 -> 0, classroom 2 -> 1, leisure 0 -> 0
    }
    assert result.bands == {
        "emotional": "slightly_raised",  # parent 4
        "conduct": "close_to_average",  # 0-2
        "hyperactivity": "high",  # 8
        "peer": "close_to_average",  # 0-2
        "prosocial": "close_to_average",  # 8-10
        "total": "slightly_raised",  # 14-16
        "impact": "very_high",  # 3-10
    }


def test_teacher_4_17_with_missing_items_prorated_and_the_teachers_three_impact_items():
    answers = {3: 1, 8: _, 13: 2, 16: 1, 24: _}  # emotional: 3 answered
    answers |= {5: 0, 7: 0, 12: 1, 18: _, 22: 1}  # conduct: 4 answered, 7 reversed
    answers |= {2: 2, 10: 2, 15: 1, 21: 1, 25: 0}  # hyperactivity: all answered
    answers |= {6: _, 11: _, 14: _, 19: 2, 23: 1}  # peer: only 2 answered
    answers |= {1: 1, 4: 1, 9: 0, 17: 1, 20: 0}  # prosocial
    result = sdq_score(
        informant="teacher",
        version="4-17",
        items=items(answers),
        difficulties=3,
        impact={"distress": 3, "home": 3, "friends": 2, "classroom": 3, "leisure": 3},
    )
    assert scores_of(result) == {
        "emotional": 7,  # (1 + 2 + 1) / 3 answered * 5 = 6.67 -> 7
        "conduct": 5,  # (0 + (2 - 0) + 1 + 1) / 4 * 5 = 5
        "hyperactivity": 8,  # 2 + 2 + 1 + (2 - 1) + (2 - 0)
        "peer": None,  # 2 of 5 answered: not scored
        "prosocial": 3,  # 1 + 1 + 0 + 1 + 0
        "total": None,  # peer not scored
        "externalising": 13,  # 5 + 8
        "internalising": None,  # peer not scored
        "impact": 5,  # teacher: distress 3 -> 2, friends 2 -> 1, classroom 3 -> 2; home and leisure ignored
    }
    assert result.bands == {
        "emotional": "very_high",  # teacher 6-10
        "conduct": "very_high",  # teacher 5-10
        "hyperactivity": "high",  # teacher 8
        "peer": None,
        "prosocial": "very_low",  # teacher 0-3
        "total": None,
        "impact": "very_high",  # teacher 3-6
    }


def test_self_11_17_halves_round_up_and_no_difficulties_means_no_impact():
    answers = {2: 1, 10: 1, 15: 0, 21: 2, 25: _}  # hyperactivity: 1 + 1 + 0 + (2 - 2) = 2 over 4
    answers |= {3: 2, 8: 2, 13: 1, 16: 1, 24: _}  # emotional: 6 over 4
    answers |= {5: 0, 7: 2, 12: 0, 18: 0, 22: 0}  # conduct: 0 + (2 - 2) + 0 + 0 + 0
    answers |= {6: 1, 11: 0, 14: 1, 19: 0, 23: 0}  # peer: 1 + (2 - 0) + (2 - 1) + 0 + 0
    answers |= {1: 2, 4: 1, 9: 1, 17: 2, 20: 1}  # prosocial
    result = sdq_score(
        informant="self",
        version="11-17",
        items=items(answers),
        difficulties=0,
        impact={"distress": 3, "home": 3, "friends": 3, "classroom": 3, "leisure": 3},
    )
    assert scores_of(result) == {
        "emotional": 8,  # 6 / 4 * 5 = 7.5 -> 8
        "conduct": 0,
        "hyperactivity": 3,  # 2 / 4 * 5 = 2.5 -> 3 (Python's round(2.5) would give 2)
        "peer": 4,
        "prosocial": 7,
        "total": 15,  # 8 + 0 + 3 + 4
        "externalising": 3,  # 0 + 3
        "internalising": 12,  # 8 + 4
        "impact": 0,  # "no difficulties": 0, whatever the impact questions say
    }
    assert round(2.5) == 2  # why the scorer does not use round()
    assert result.bands == {
        "emotional": "very_high",  # self 7-10
        "conduct": "close_to_average",  # self 0-3
        "hyperactivity": "close_to_average",  # self 0-5
        "peer": "high",  # self 4
        "prosocial": "close_to_average",  # self 7-10
        "total": "slightly_raised",  # self 15-17
        "impact": "close_to_average",  # 0
    }


def test_parent_2_4_prorated_at_three_answered_and_not_at_two():
    answers = {3: 1, 8: 1, 13: 2}  # emotional: three answered
    answers |= {5: 2, 12: 2}  # conduct: two answered
    answers |= {2: 0, 10: 1, 15: 0, 21: 2, 25: 1}  # hyperactivity: 0 + 1 + 0 + (2 - 2) + (2 - 1)
    answers |= {6: 0, 11: 2, 14: 2, 19: 0, 23: 0}  # peer: 0 + (2 - 2) + (2 - 2) + 0 + 0
    answers |= {1: 2, 4: 2, 9: 2, 17: 2, 20: 2}  # prosocial
    result = sdq_score(informant="parent", version="2-4", items=items(answers), difficulties=1, impact={})
    assert scores_of(result) == {
        "emotional": 7,  # (1 + 1 + 2) / 3 * 5 = 6.67 -> 7
        "conduct": None,  # two answered
        "hyperactivity": 2,
        "peer": 0,
        "prosocial": 10,
        "total": None,
        "externalising": None,
        "internalising": 7,  # 7 + 0
        "impact": None,  # difficulties, but no impact question answered
    }
    assert result.bands == {
        "emotional": "very_high",  # parent 7-10 (the 2-4 version is banded as the 4-17)
        "conduct": None,
        "hyperactivity": "close_to_average",
        "peer": "close_to_average",
        "prosocial": "close_to_average",
        "total": None,
        "impact": None,
    }


def test_teacher_2_4_all_not_true_and_an_unanswered_impact_question_counts_as_nothing():
    result = sdq_score(
        informant="teacher",
        version="2-4",
        items=[0] * 25,
        difficulties=2,
        impact={"distress": 2, "friends": None},
    )
    assert scores_of(result) == {
        "emotional": 0,
        "conduct": 2,  # item 7 reversed: 2 - 0
        "hyperactivity": 4,  # items 21 and 25 reversed
        "peer": 4,  # items 11 and 14 reversed
        "prosocial": 0,
        "total": 10,  # 0 + 2 + 4 + 4
        "externalising": 6,
        "internalising": 4,
        # distress 2 -> 1; friends and classroom not answered count 0 (the published syntax recodes missing to 0)
        "impact": 1,
    }
    assert result.bands["peer"] == "slightly_raised"  # teacher 3-4
    assert result.bands["total"] == "close_to_average"  # teacher 0-11
    assert result.bands["prosocial"] == "very_low"  # teacher 0-3
    assert result.bands["impact"] == "slightly_raised"  # 1


@pytest.mark.parametrize("reversed_item", SDQ_REVERSED)
def test_each_reverse_scored_item_counts_two_minus_the_answer(reversed_item):
    subscale = next(name for name, numbers in SDQ_ITEMS_BY_SUBSCALE.items() if reversed_item in numbers)
    for answer, counted in ((0, 2), (1, 1), (2, 0)):
        answers = dict.fromkeys(SDQ_ITEMS_BY_SUBSCALE[subscale], 0)
        # the subscale's other reversed items at 2 count 0, so the subscale is what this item counts
        answers |= {number: 2 for number in SDQ_ITEMS_BY_SUBSCALE[subscale] if number in SDQ_REVERSED}
        answers[reversed_item] = answer
        result = sdq_score(informant="parent", version="4-17", items=items(answers), difficulties=None, impact={})
        assert getattr(result, subscale) == counted


def test_impact_is_scored_without_the_difficulties_question_and_not_when_nothing_is_answered():
    base = {"informant": "parent", "version": "4-17", "items": [0] * 25}
    assert sdq_score(**base, difficulties=None, impact={"distress": 3}).impact == 2
    assert sdq_score(**base, difficulties=None, impact={}).impact is None
    assert sdq_score(**base, difficulties=0, impact={}).impact == 0
    assert sdq_score(**base, difficulties=1, impact=dict.fromkeys(SDQ_IMPACT_KEYS, 3)).impact == 10


def test_a_teacher_impact_ignores_home_and_leisure():
    assert SDQ_IMPACT_ITEMS["teacher"] == ("distress", "friends", "classroom")
    result = sdq_score(
        informant="teacher", version="4-17", items=[0] * 25, difficulties=1, impact={"home": 3, "leisure": 3}
    )
    assert result.impact is None  # none of the teacher's own three answered
    full = sdq_score(
        informant="teacher", version="4-17", items=[0] * 25, difficulties=1, impact=dict.fromkeys(SDQ_IMPACT_KEYS, 3)
    )
    assert full.impact == 6  # 3 items x 2: the teacher's maximum


# --- Bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"items": items({5: 3})}, "sdq5", "3 is not 0 (not true), 1 (somewhat true) or 2 (certainly true)"),
        ({"items": items({1: -1})}, "sdq1", "-1 is not 0"),
        ({"items": items({2: True})}, "sdq2", "True is not 0"),
        ({"items": items({2: "1"})}, "sdq2", "'1' is not 0"),
        ({"items": [0] * 24}, "items", "24 item responses given; the SDQ has 25"),
        ({"informant": "carer"}, "informant", "'carer' is not an informant: parent, teacher or self"),
        ({"version": "4-10"}, "version", "'4-10' is not a version: 4-17, 2-4 or 11-17"),
        ({"informant": "self", "version": "4-17"}, "version", "the self-report form has no 4-17 version (only 11-17)"),
        ({"informant": "self", "version": "2-4"}, "version", "the self-report form has no 2-4 version"),
        ({"version": "11-17"}, "version", "the parent form has no 11-17 version (only 4-17 or 2-4)"),
        ({"informant": "teacher", "version": "11-17"}, "version", "the teacher form has no 11-17 version"),
        ({"difficulties": 4}, "difficulties", "4 is not 0 (no), 1 (minor), 2 (definite) or 3 (severe)"),
        ({"impact": {"home": 4}}, "impact_home", "4 is not 0 (not at all)"),
        ({"impact": {"school": 1}}, "impact", "'school' is not an impact question"),
    ],
)
def test_bad_input_names_the_field_and_says_why(changes, field, says):
    arguments = {"informant": "parent", "version": "4-17", "items": [1] * 25, "difficulties": 1, "impact": {}}
    with pytest.raises(SdqInputError) as raised:
        sdq_score(**(arguments | changes))
    assert raised.value.field == field
    assert says in raised.value.message


# --- Every band boundary of every informant, through the scorer -----------------------------------------------------

# The four-band categorisation as published (sdqinfo.org, "Scoring the SDQ"): close/slightly/high/very high.
PUBLISHED = {
    "parent": {
        "total": "0-13/14-16/17-19/20-40",
        "emotional": "0-3/4/5-6/7-10",
        "conduct": "0-2/3/4-5/6-10",
        "hyperactivity": "0-5/6-7/8/9-10",
        "peer": "0-2/3/4/5-10",
        "prosocial": "8-10/7/6/0-5",
        "impact": "0/1/2/3-10",
    },
    "teacher": {
        "total": "0-11/12-15/16-18/19-40",
        "emotional": "0-3/4/5/6-10",
        "conduct": "0-2/3/4/5-10",
        "hyperactivity": "0-5/6-7/8/9-10",
        "peer": "0-2/3-4/5/6-10",
        "prosocial": "6-10/5/4/0-3",
        "impact": "0/1/2/3-6",
    },
    "self": {
        "total": "0-14/15-17/18-19/20-40",
        "emotional": "0-4/5/6/7-10",
        "conduct": "0-3/4/5/6-10",
        "hyperactivity": "0-5/6/7/8-10",
        "peer": "0-2/3/4/5-10",
        "prosocial": "7-10/6/5/0-4",
        "impact": "0/1/2/3-10",
    },
}
DIFFICULTY = ("close_to_average", "slightly_raised", "high", "very_high")
PROSOCIAL = ("close_to_average", "slightly_lowered", "low", "very_low")


def boundary_cases():
    """Both ends of every published band: each side of every cut, and the ends of the scale."""
    for informant, scores in PUBLISHED.items():
        for score, text in scores.items():
            labels = PROSOCIAL if score == "prosocial" else DIFFICULTY
            for label, band in zip(labels, text.split("/"), strict=True):
                low, _, high = band.partition("-")
                for value in {int(low), int(high or low)}:
                    yield pytest.param(informant, score, value, label, id=f"{informant}-{score}-{value}")


def response_with(score: str, value: int, informant: str) -> dict:
    """Arguments to sdq_score that give `score` the value `value` (other scores as they fall)."""
    answers: dict[int, int] = {}

    def fill(subscale: str, points: int) -> None:
        for number in SDQ_ITEMS_BY_SUBSCALE[subscale]:
            counted = min(2, points)
            points -= counted
            answers[number] = 2 - counted if number in SDQ_REVERSED else counted

    for subscale in SDQ_ITEMS_BY_SUBSCALE:
        fill(subscale, 0)
    impact: dict[str, int] = {}
    if score == "total":
        left = value
        for subscale in ("emotional", "conduct", "hyperactivity", "peer"):
            fill(subscale, min(10, left))
            left -= min(10, left)
    elif score == "impact":
        left = value
        for key in SDQ_IMPACT_ITEMS[informant]:
            points = min(2, left)
            impact[key] = (0, 2, 3)[points]  # 0 -> 0, 2 ("quite a lot") -> 1, 3 ("a great deal") -> 2
            left -= points
    else:
        fill(score, value)
    version = "11-17" if informant == "self" else "4-17"
    return {"informant": informant, "version": version, "items": items(answers), "difficulties": 1, "impact": impact}


@pytest.mark.parametrize(("informant", "score", "value", "band"), list(boundary_cases()))
def test_every_band_boundary(informant, score, value, band):
    arguments = response_with(score, value, informant)
    result = sdq_score(**arguments)
    assert getattr(result, score) == value
    assert result.bands[score] == band
    assert sdq_band(informant, score, value) == band
    scored = sdq_score_table(table_of([arguments])).to_pylist()[0]
    assert (scored[score], scored[f"{score}_band"]) == (value, band)


def test_the_2_4_versions_use_the_informants_bands():
    for informant in ("parent", "teacher"):
        for score, value in (("total", 17), ("peer", 4), ("impact", 2)):
            arguments = response_with(score, value, informant)
            four_to_17 = sdq_score(**arguments).bands
            two_to_4 = sdq_score(**(arguments | {"version": "2-4"})).bands
            assert two_to_4 == four_to_17


# --- The table scorer -------------------------------------------------------------------------------------------------


def table_of(responses: list[dict]) -> pa.Table:
    """A table of text cells, as read from a CSV file, from sdq_score arguments."""
    columns: dict[str, list[str]] = {name: [] for name in SDQ_INPUT_COLUMNS}
    for number, response in enumerate(responses, start=1):
        columns["response_id"].append(f"R{number}")
        columns["informant"].append(response["informant"])
        columns["version"].append(response["version"])
        for item, answer in enumerate(response["items"], start=1):
            columns[f"sdq{item}"].append("" if answer is None else str(answer))
        difficulties = response["difficulties"]
        columns["difficulties"].append("" if difficulties is None else str(difficulties))
        for key, name in zip(SDQ_IMPACT_KEYS, SDQ_IMPACT_COLUMNS, strict=True):
            answer = response["impact"].get(key)
            columns[name].append("" if answer is None else str(answer))
    return pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})


def random_responses(count: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    forms = [("parent", "4-17"), ("parent", "2-4"), ("teacher", "4-17"), ("teacher", "2-4"), ("self", "11-17")]
    out = []
    for _ in range(count):
        informant, version = forms[rng.integers(len(forms))]
        missing = rng.choice([0.0, 0.1, 0.5, 0.9])  # some responses nearly complete, some nearly empty
        answers = [None if rng.random() < missing else int(rng.integers(3)) for _ in range(25)]
        difficulties = None if rng.random() < 0.2 else int(rng.integers(4))
        impact = {key: None if rng.random() < missing else int(rng.integers(4)) for key in SDQ_IMPACT_KEYS}
        out.append(
            {
                "informant": informant,
                "version": version,
                "items": answers,
                "difficulties": difficulties,
                "impact": impact,
            }
        )
    return out


def test_the_table_scorer_agrees_with_the_one_response_scorer_on_random_responses():
    responses = random_responses(4000, seed=12)
    scored = sdq_score_table(table_of(responses)).to_pylist()
    for response, row in zip(responses, scored, strict=True):
        one = sdq_score(**response)
        assert {name: row[name] for name in SDQ_SCORES} == scores_of(one), response
        assert {name: row[f"{name}_band"] for name in one.bands} == one.bands, response
        assert row["externalising_band"] is None and row["internalising_band"] is None


def test_the_table_scorer_takes_numbers_and_spaces_as_well_as_text():
    response = random_responses(1, seed=3)[0] | {"items": [1] * 25, "difficulties": 2}
    text = table_of([response])
    spaced = text.set_column(3, "sdq1", pa.array([" 1 "]))
    numeric = text.set_column(4, "sdq2", pa.array([1], pa.int64()))
    expected = sdq_score_table(text).to_pylist()
    assert sdq_score_table(spaced).to_pylist() == expected
    assert sdq_score_table(numeric).to_pylist() == expected


def test_the_table_scorer_reports_every_bad_cell_in_row_order():
    good = {"informant": "parent", "version": "4-17", "items": [1] * 25, "difficulties": 1, "impact": {}}
    table = table_of([good, good | {"items": items({3: 3, 9: 1})}, good | {"informant": "carer"}, good])
    table = table.set_column(0, "response_id", pa.array(["R1", "R2", "R3", "R1"]))
    table = table.set_column(
        SDQ_INPUT_COLUMNS.index("impact_home"), "impact_home", pa.array(["", "", "x", ""], pa.string())
    )
    problems = [(p.row, p.field, p.why) for p in sdq_table_problems(table)]
    assert problems == [
        (1, "sdq3", "'3' is not 0 (not true), 1 (somewhat true) or 2 (certainly true), or blank when not answered"),
        (2, "informant", "'carer' is not an informant: parent, teacher or self"),
        (
            2,
            "impact_home",
            "'x' is not 0 (not at all), 1 (only a little), 2 (quite a lot) or 3 (a great deal), "
            "or blank when not answered",
        ),
        (3, "response_id", "'R1' appears more than once"),
    ]
    with pytest.raises(SdqTableError) as raised:
        sdq_score_table(table)
    assert raised.value.total == 4


def test_a_table_without_a_column_says_which():
    table = table_of([{"informant": "parent", "version": "4-17", "items": [1] * 25, "difficulties": 1, "impact": {}}])
    problems = sdq_table_problems(table.drop_columns(["sdq7", "impact_leisure"]))
    assert [(p.row, p.field, p.why) for p in problems] == [
        (None, "sdq7", "the column is missing"),
        (None, "impact_leisure", "the column is missing"),
    ]
