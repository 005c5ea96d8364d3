"""The eligibility engine on hand-built children: every rule kind, the POWER rule set at its boundaries,
problems() on rule sets that are malformed or that no child could pass, and described children read
from JSON. Plain Python: no database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from continuum.programmes.eligibility import (
    BadLine,
    ChildFacts,
    Event,
    age_on,
    child_from_json,
    describe,
    evaluate,
    months_before,
    problems,
    window_start,
)

D = datetime.date
MARCH_3 = D(2026, 3, 3)
BORN_2015 = D(2015, 6, 1)
EVENT_KINDS = (
    "ae_attendance, arrest, asb, domestic_abuse_notification, missing_episode, police_incident, school_exclusion, "
    "school_suspension, youth_justice_outcome"
)

POWER = [
    {"kind": "age", "min": 8, "max": 13},
    {
        "kind": "known_to",
        "label": "known to police",
        "involvements": ["police_contact"],
        "events": ["police_incident", "asb", "arrest", "domestic_abuse_notification"],
        "months": 12,
    },
    {
        "kind": "not_open",
        "label": "not already supported by youth justice, CAMHS or social care",
        "involvements": ["youth_justice", "camhs", "cin", "cp_plan", "looked_after"],
    },
]
NOT_OPEN_REASON = "not open to youth justice, CAMHS, child in need (s17), child protection plan or looked after"
NOT_KNOWN_REASON = (
    "none found; POWER needs an open involvement (known to police) or an event (police incident, anti-social "
    "behaviour, arrest or domestic abuse notification) in the 12 months to 3 March 2026"
)


def child(
    born: datetime.date | None = BORN_2015,
    *,
    on: datetime.date = MARCH_3,
    level: int | None = None,
    open_: tuple[str, ...] = (),
    events: tuple[tuple[str, datetime.date], ...] = (),
    locality: str = "",
) -> ChildFacts:
    return ChildFacts(
        id="c1",
        as_of=on,
        date_of_birth=born,
        level_of_need=level,
        open_involvements=frozenset(open_),
        events=tuple(Event(kind, when) for kind, when in events),
        locality=locality,
    )


def results(rules: list[dict[str, Any]], facts: ChildFacts, programme: str = "POWER") -> list[tuple[bool, str]]:
    return [(r.passed, r.reason) for r in evaluate(rules, facts, programme=programme).rules]


def power_age(born: datetime.date, on: datetime.date) -> tuple[bool, str]:
    return results(POWER[:1], child(born, on=on))[0]


# Age: completed years on the date asked about.


def test_the_day_before_the_eighth_birthday_is_too_young_for_power():
    assert power_age(D(2018, 3, 4), MARCH_3) == (False, "aged 7 on 3 March 2026; POWER takes ages 8–13")


def test_the_eighth_birthday_itself_is_old_enough():
    assert power_age(D(2018, 3, 3), MARCH_3) == (True, "aged 8 on 3 March 2026; POWER takes ages 8–13")


def test_the_day_before_the_fourteenth_birthday_is_still_thirteen():
    assert power_age(D(2012, 3, 4), MARCH_3) == (True, "aged 13 on 3 March 2026; POWER takes ages 8–13")


def test_the_fourteenth_birthday_and_the_day_after_are_too_old():
    assert power_age(D(2012, 3, 3), MARCH_3) == (False, "aged 14 on 3 March 2026; POWER takes ages 8–13")
    assert power_age(D(2012, 3, 2), MARCH_3) == (False, "aged 14 on 3 March 2026; POWER takes ages 8–13")


def test_a_child_born_on_29_february_turns_a_year_older_on_1_march_in_other_years():
    leapling = D(2012, 2, 29)
    assert age_on(leapling, D(2025, 2, 28)) == 12
    assert age_on(leapling, D(2025, 3, 1)) == 13
    assert power_age(leapling, D(2026, 2, 28)) == (True, "aged 13 on 28 February 2026; POWER takes ages 8–13")
    assert power_age(leapling, D(2026, 3, 1)) == (False, "aged 14 on 1 March 2026; POWER takes ages 8–13")


def test_a_child_born_on_29_february_has_a_birthday_on_the_day_in_a_leap_year():
    leapling = D(2020, 2, 29)
    assert power_age(leapling, D(2028, 2, 28)) == (False, "aged 7 on 28 February 2028; POWER takes ages 8–13")
    assert power_age(leapling, D(2028, 2, 29)) == (True, "aged 8 on 29 February 2028; POWER takes ages 8–13")


def test_an_age_band_open_at_one_end_and_an_unknown_date_of_birth():
    under_six = [{"kind": "age", "max": 5}]
    assert results(under_six, child(D(2020, 3, 4)), "Harmony Groups") == [
        (True, "aged 5 on 3 March 2026; Harmony Groups takes ages up to 5")
    ]
    assert results(under_six, child(D(2020, 3, 3)), "Harmony Groups") == [
        (False, "aged 6 on 3 March 2026; Harmony Groups takes ages up to 5")
    ]
    assert results([{"kind": "age", "min": 13}], child(D(2013, 3, 3)), "X") == [
        (True, "aged 13 on 3 March 2026; X takes ages 13 and over")
    ]
    assert results([{"kind": "age", "min": 10, "max": 10}], child(D(2013, 3, 3)), "X") == [
        (False, "aged 13 on 3 March 2026; X takes age 10 only")
    ]
    assert results(POWER[:1], child(None)) == [(False, "date of birth not known; POWER takes ages 8–13")]


def test_a_child_not_yet_born_on_the_date_fails_the_age_rule():
    assert results(POWER[:1], child(D(2026, 5, 1))) == [(False, "not yet born on 3 March 2026; POWER takes ages 8–13")]


# Level of need.


def test_level_rules_take_the_decided_level_within_the_range():
    targeted = [{"kind": "level", "min": 3, "max": 4}]
    assert results(targeted, child(level=3), "Staying Together") == [
        (True, "level of need 3; Staying Together takes levels 3–4")
    ]
    assert results(targeted, child(level=2), "Staying Together") == [
        (False, "level of need 2; Staying Together takes levels 3–4")
    ]
    assert results([{"kind": "level", "min": 4}], child(level=4), "Pause") == [
        (True, "level of need 4; Pause takes levels 4 and over")
    ]
    assert results([{"kind": "level", "max": 2}], child(level=1), "M") == [
        (True, "level of need 1; M takes levels up to 2")
    ]
    assert results(targeted, child(level=None), "S") == [(False, "no level of need decided; S takes levels 3–4")]


# Known to police: an open involvement, or an event in the 12 months to the date.


def test_an_open_police_contact_involvement_makes_a_child_known_to_police():
    assert results(POWER[1:2], child(open_=("police_contact",))) == [(True, "open on 3 March 2026: known to police")]


@pytest.mark.parametrize("kind", ["police_incident", "asb", "arrest", "domestic_abuse_notification"])
def test_each_police_event_in_the_last_twelve_months_counts(kind):
    [(passed, _)] = results(POWER[1:2], child(events=((kind, D(2026, 1, 10)),)))
    assert passed


def test_other_events_do_not_make_a_child_known_to_police():
    events = (("missing_episode", D(2026, 1, 10)), ("school_exclusion", D(2026, 2, 1)), ("ae_attendance", MARCH_3))
    assert results(POWER[1:2], child(events=events)) == [(False, NOT_KNOWN_REASON)]


def test_an_event_exactly_twelve_months_before_is_outside_the_twelve_months():
    """The 12 months to 3 March 2026 run from 4 March 2025, as the 12 months to 31 March start on 1 April."""
    assert results(POWER[1:2], child(events=(("asb", D(2025, 3, 3)),))) == [(False, NOT_KNOWN_REASON)]


def test_an_event_the_day_after_that_counts():
    assert results(POWER[1:2], child(events=(("asb", D(2025, 3, 4)),))) == [
        (True, "anti-social behaviour on 4 March 2025 in the 12 months to 3 March 2026")
    ]


def test_an_event_on_the_date_itself_counts_and_one_after_it_does_not():
    assert results(POWER[1:2], child(events=(("arrest", MARCH_3),)))[0][0] is True
    assert results(POWER[1:2], child(events=(("arrest", D(2026, 3, 4)),))) == [(False, NOT_KNOWN_REASON)]


def test_the_latest_of_several_events_is_named_with_how_many_more():
    events = (("asb", D(2025, 6, 1)), ("police_incident", D(2026, 2, 14)), ("arrest", D(2025, 12, 1)))
    assert results(POWER[1:2], child(events=events)) == [
        (True, "police incident on 14 February 2026 and 2 more in the 12 months to 3 March 2026")
    ]


def test_the_window_ends_on_the_last_day_of_a_shorter_month():
    assert months_before(D(2026, 5, 31), 3) == D(2026, 2, 28)
    assert window_start(D(2026, 5, 31), 3) == D(2026, 3, 1)
    assert window_start(D(2028, 2, 29), 12) == D(2027, 3, 1)
    assert window_start(D(2025, 2, 28), 12) == D(2024, 2, 29)
    three_months = [{"kind": "known_to", "label": "recent A&E", "events": ["ae_attendance"], "months": 3}]
    on = D(2026, 5, 31)
    assert results(three_months, child(on=on, events=(("ae_attendance", D(2026, 2, 28)),)))[0][0] is False
    assert results(three_months, child(on=on, events=(("ae_attendance", D(2026, 3, 1)),))) == [
        (True, "A&E attendance on 1 March 2026 in the 3 months to 31 May 2026")
    ]


# Not open to other services.


@pytest.mark.parametrize("kind", ["youth_justice", "camhs", "cin", "cp_plan", "looked_after"])
def test_a_child_open_to_an_excluded_service_fails_not_open(kind):
    [(passed, reason)] = results(POWER[2:], child(open_=(kind, "school_roll")))
    assert not passed
    assert reason.endswith(f"POWER does not take children open to {NOT_OPEN_REASON.removeprefix('not open to ')}")


def test_the_reason_names_the_open_services():
    assert results(POWER[2:], child(open_=("camhs", "cin"))) == [
        (
            False,
            "open to CAMHS or child in need (s17) on 3 March 2026; POWER does not take children open to youth "
            "justice, CAMHS, child in need (s17), child protection plan or looked after",
        )
    ]


def test_early_help_and_school_do_not_exclude_a_child():
    assert results(POWER[2:], child(open_=("early_help", "school_roll"))) == [
        (True, f"{NOT_OPEN_REASON} on 3 March 2026")
    ]


# Locality.


def test_locality_is_compared_without_regard_to_case_or_spacing():
    rule = [{"kind": "locality", "in": ["North Shireford", "East Shireford"]}]
    assert results(rule, child(locality="  north   SHIREFORD "), "P") == [
        (True, "lives in north   SHIREFORD; P works in North Shireford or East Shireford")
    ]
    assert results(rule, child(locality="West Shireford"), "P") == [
        (False, "lives in West Shireford; P works in North Shireford or East Shireford")
    ]
    assert results(rule, child(locality=""), "P") == [
        (False, "no locality recorded; P works in North Shireford or East Shireford")
    ]


# The POWER rule set as a whole.


def test_a_ten_year_old_known_to_police_and_open_to_no_service_is_eligible_for_power():
    facts = child(D(2015, 6, 1), open_=("school_roll",), events=(("domestic_abuse_notification", D(2025, 11, 5)),))
    result = evaluate(POWER, facts, programme="POWER")
    assert result.eligible and not result.failed
    assert result.as_json("power") == {
        "id": "c1",
        "programme": "power",
        "eligible": True,
        "rules": [
            {"rule": "age", "passed": True, "reason": "aged 10 on 3 March 2026; POWER takes ages 8–13"},
            {
                "rule": "known to police",
                "passed": True,
                "reason": "domestic abuse notification on 5 November 2025 in the 12 months to 3 March 2026",
            },
            {
                "rule": "not already supported by youth justice, CAMHS or social care",
                "passed": True,
                "reason": f"{NOT_OPEN_REASON} on 3 March 2026",
            },
        ],
    }


def test_every_failing_rule_is_reported_not_just_the_first():
    facts = child(D(2010, 1, 1), open_=("youth_justice",))
    result = evaluate(POWER, facts, programme="POWER")
    assert not result.eligible
    assert [r.rule for r in result.failed] == [
        "age",
        "known to police",
        "not already supported by youth justice, CAMHS or social care",
    ]


def test_no_rules_take_every_child():
    assert evaluate([], child(None), programme="Kooth").eligible


# problems(): malformed rule sets and rule sets no child could pass.


def test_the_power_rule_set_is_sound():
    assert problems(POWER) == []
    assert problems([]) == []


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ({"kind": "age"}, "the rules must be a list"),
        ("[]", "the rules must be a list"),
        ([7], "rule 1: each rule is an object with a kind"),
        ([{"min": 8}], "rule 1: kind must be one of age, level, known_to, not_open, locality, not None"),
        (
            [{"kind": "height", "min": 1}],
            "rule 1: kind must be one of age, level, known_to, not_open, locality, not 'height'",
        ),
        ([{"kind": ["age"]}], "rule 1: kind must be one of age, level, known_to, not_open, locality, not ['age']"),
        ([{"kind": "age", "min": 8, "maximum": 13}], "rule 1: unknown setting 'maximum' for a age rule"),
        ([{"kind": "age"}], "rule 1: give a min, a max or both"),
        ([{"kind": "age", "min": "8"}], "rule 1: min must be a whole number from 0 to 25"),
        ([{"kind": "age", "min": 8.5}], "rule 1: min must be a whole number from 0 to 25"),
        ([{"kind": "age", "min": True}], "rule 1: min must be a whole number from 0 to 25"),
        ([{"kind": "age", "max": 26}], "rule 1: max must be a whole number from 0 to 25"),
        ([{"kind": "age", "min": -1}], "rule 1: min must be a whole number from 0 to 25"),
        ([{"kind": "level", "min": 0}], "rule 1: min must be a whole number from 1 to 4"),
        ([{"kind": "level", "max": 5}], "rule 1: max must be a whole number from 1 to 4"),
        ([{"kind": "age", "min": 8, "label": ""}], "rule 1: label must be words"),
        (
            [{"kind": "known_to", "events": ["asb"]}],
            'rule 1: give a label that says what it means, e.g. "known to police"',
        ),
        ([{"kind": "known_to", "label": "known"}], "rule 1: name the involvements or events that count"),
        ([{"kind": "known_to", "label": "k", "events": ["burglary"]}], "rule 1: events: unknown codes ['burglary']"),
        ([{"kind": "known_to", "label": "k", "events": "asb"}], "rule 1: events must be a list of codes"),
        (
            [{"kind": "known_to", "label": "k", "events": ["asb"], "months": 0}],
            "rule 1: months must be a whole number from 1 to 120",
        ),
        (
            [{"kind": "known_to", "label": "k", "events": ["asb"], "months": "12"}],
            "rule 1: months must be a whole number from 1 to 120",
        ),
        ([{"kind": "not_open"}], "rule 1: involvements must list at least one code"),
        ([{"kind": "not_open", "involvements": []}], "rule 1: involvements must be a list of codes"),
        (
            [{"kind": "not_open", "involvements": ["social_care"]}],
            "rule 1: involvements: unknown codes ['social_care']",
        ),
        ([{"kind": "locality", "in": []}], "rule 1: in must list at least one locality"),
        ([{"kind": "locality", "in": ["North", " "]}], "rule 1: in must list at least one locality"),
        ([{"kind": "locality", "in": "North"}], "rule 1: in must list at least one locality"),
    ],
)
def test_a_malformed_rule_set_is_refused_with_a_reason(rules, problem):
    assert problem in problems(rules)


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ([{"kind": "age", "min": 14, "max": 8}], "rule 1: no child can pass: min 14 is more than max 8"),
        (
            [{"kind": "age", "min": 8, "max": 10}, {"kind": "age", "min": 12}],
            "no child can pass: the age rules leave no age between 12 and 10",
        ),
        (
            [{"kind": "level", "min": 3}, {"kind": "level", "max": 2}],
            "no child can pass: the level rules leave no level between 3 and 2",
        ),
        (
            [{"kind": "locality", "in": ["North Shireford"]}, {"kind": "locality", "in": ["South Shireford"]}],
            "no child can pass: the locality rules have no locality in common",
        ),
        (
            [
                {"kind": "known_to", "label": "known to CAMHS", "involvements": ["camhs"]},
                {"kind": "not_open", "involvements": ["camhs", "cin"]},
            ],
            "no child can pass: rule 1 needs an involvement that another rule excludes",
        ),
    ],
)
def test_a_rule_set_no_child_could_pass_is_refused(rules, problem):
    assert problems(rules) == [problem]


def test_sound_combinations_are_not_refused():
    assert problems([{"kind": "age", "min": 8, "max": 10}, {"kind": "age", "min": 10}]) == []
    assert problems([{"kind": "locality", "in": ["North"]}, {"kind": "locality", "in": [" north ", "South"]}]) == []
    # excluded as an involvement, but events still let a child pass
    assert problems([{**POWER[1], "involvements": ["youth_justice"]}, POWER[2]]) == []


def test_every_problem_of_every_rule_is_listed():
    found = problems([{"kind": "age", "min": "x", "max": 40}, {"kind": "locality"}])
    assert found == [
        "rule 1: min must be a whole number from 0 to 25",
        "rule 1: max must be a whole number from 0 to 25",
        "rule 2: in must list at least one locality",
    ]


# Rules in words, for the programme's page.


def test_every_rule_kind_reads_as_a_sentence():
    assert [describe(r) for r in POWER] == [
        "Aged 8 to 13, in completed years on the date asked about.",
        "Known to police: an open involvement (known to police) or an event (police incident, anti-social "
        "behaviour, arrest or domestic abuse notification) in the 12 months to the date asked about.",
        "Not already supported by youth justice, CAMHS or social care: not open to youth justice, CAMHS, child in "
        "need (s17), child protection plan or looked after.",
    ]
    assert describe({"kind": "age", "max": 5}) == "Aged 5 or under, in completed years on the date asked about."
    assert describe({"kind": "level", "min": 3, "max": 4}) == "A level of need from 3 (targeted) to 4 (specialist)."
    assert describe({"kind": "level", "label": "low-level needs", "max": 2}) == (
        "Low-level needs: a level of need from 1 (universal) to 2 (early help)."
    )
    assert describe({"kind": "locality", "in": ["North Shireford", "East Shireford"]}) == (
        "Lives in North Shireford or East Shireford."
    )


# Described children from JSON lines.


def test_a_described_child_is_read_from_a_line_of_json():
    line = (
        '{"id": 7, "as_of": "2026-03-03", "date_of_birth": "2015-06-01", "level_of_need": 2, '
        '"open_involvements": ["police_contact"], "events": [{"kind": "asb", "date": "2026-01-10"}], '
        '"locality": "North Shireford"}'
    )
    assert child_from_json(line, 1) == ChildFacts(
        id="7",
        as_of=MARCH_3,
        date_of_birth=D(2015, 6, 1),
        level_of_need=2,
        open_involvements=frozenset({"police_contact"}),
        events=(Event("asb", D(2026, 1, 10)),),
        locality="North Shireford",
    )
    assert child_from_json('{"id": "x", "as_of": "2026-03-03"}', 1).date_of_birth is None


@pytest.mark.parametrize(
    ("line", "field", "why"),
    [
        ("{", "", "not JSON (Expecting property name enclosed in double quotes at column 2)"),
        ("[1, 2]", "", "each line is one JSON object describing a child"),
        ('{"as_of": "2026-03-03"}', "id", "is required (text or a whole number)"),
        ('{"id": "", "as_of": "2026-03-03"}', "id", "is required (text or a whole number)"),
        ('{"id": true, "as_of": "2026-03-03"}', "id", "is required (text or a whole number)"),
        ('{"id": "a"}', "as_of", "is required, a date in the form YYYY-MM-DD"),
        ('{"id": "a", "as_of": "3/3/2026"}', "as_of", '"3/3/2026" is not a date in the form YYYY-MM-DD'),
        ('{"id": "a", "as_of": "2026-02-30"}', "as_of", '"2026-02-30" is not a real date'),
        ('{"id": "a", "as_of": "2026-W10-1"}', "as_of", '"2026-W10-1" is not a date in the form YYYY-MM-DD'),
        (
            '{"id": "a", "as_of": "2026-03-03", "date_of_birth": "2026-03-04"}',
            "date_of_birth",
            "2026-03-04 is after as_of 2026-03-03",
        ),
        ('{"id": "a", "as_of": "2026-03-03", "level_of_need": 5}', "level_of_need", "5 is not a level from 1 to 4"),
        ('{"id": "a", "as_of": "2026-03-03", "level_of_need": "2"}', "level_of_need", '"2" is not a level from 1 to 4'),
        (
            '{"id": "a", "as_of": "2026-03-03", "open_involvements": "camhs"}',
            "open_involvements",
            "must be a list of involvement kind codes",
        ),
        (
            '{"id": "a", "as_of": "2026-03-03", "open_involvements": ["yot"]}',
            "open_involvements",
            "unknown codes yot",
        ),
        (
            '{"id": "a", "as_of": "2026-03-03", "events": {}}',
            "events",
            'must be a list of {"kind": ..., "date": "YYYY-MM-DD"} objects',
        ),
        (
            '{"id": "a", "as_of": "2026-03-03", "events": [{"kind": "asb"}]}',
            "events[0]",
            'each event is {"kind": ..., "date": "YYYY-MM-DD"}',
        ),
        (
            '{"id": "a", "as_of": "2026-03-03", "events": [{"kind": ["asb"], "date": "2026-01-01"}]}',
            "events[0].kind",
            '["asb"] is not one of ' + EVENT_KINDS,
        ),
        (
            '{"id": "a", "as_of": "2026-03-03", "events": [{"kind": "asb", "date": "soon"}]}',
            "events[0].date",
            '"soon" is not a date in the form YYYY-MM-DD',
        ),
        ('{"id": "a", "as_of": "2026-03-03", "locality": 3}', "locality", "must be text"),
        (
            '{"id": "a", "as_of": "2026-03-03", "postcode": "SF1"}',
            "postcode",
            "is not a field of a described child (the fields are as_of, date_of_birth, events, id, level_of_need, "
            "locality, open_involvements)",
        ),
    ],
)
def test_a_malformed_line_names_its_line_field_and_why(line, field, why):
    with pytest.raises(BadLine) as refused:
        child_from_json(line, 4)
    assert (refused.value.line, refused.value.field, refused.value.why) == (4, field, why)
    expected = f"children.jsonl:4: {field}: {why}" if field else f"children.jsonl:4: {why}"
    assert refused.value.located("children.jsonl") == expected


def test_json_nested_too_deeply_is_a_malformed_line_not_a_crash():
    with pytest.raises(BadLine, match="nested too deeply"):
        child_from_json("[" * 100_000, 1)
