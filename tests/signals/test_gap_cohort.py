"""The cohort view's arithmetic: rates and relative rate indexes against each dimension's reference group, hidden
wherever a count they are worked out from is suppressed. The county's counts are given here (the grouped query is
the people selector's, exercised by test_gap_pages.py)."""

from __future__ import annotations

import dataclasses

import pytest

from continuum.people.selectors import CohortCell
from continuum.signals.selectors import gap as selectors

CELLS = [
    # age band, sex, ethnic group, locality, school, children, flagged
    CohortCell("11 to 15", "Female", "White", "North", "Hill School", 1000, 30),
    CohortCell("11 to 15", "Male", "White", "North", "Hill School", 5000, 50),
    CohortCell("5 to 10", "Male", "Asian", "South", "Vale School", 200, 3),
]


@pytest.fixture
def county(monkeypatch):
    monkeypatch.setattr(selectors, "school_age_cohort", lambda **kwargs: CELLS)


def cohort(viewer, **filters):
    return selectors.gap_cohort(viewer=viewer, filters=selectors.GapFilters(**filters))


def dimension(found, key):
    return {g.label: g for g in next(d for d in found.dimensions if d.key == key).groups}


def test_the_index_against_the_largest_group_with_its_interval(world, county):
    found = cohort(world.analyst)
    assert (found.children.count, found.flagged.count) == (6200, 83)
    sex = dimension(found, "sex")
    # Female: 30 of 1,000 (30.0 per 1,000). Male, the largest group: 53 of 5,200 (10.19 per 1,000).
    # RRI = 0.03 / 0.0101923 = 2.9434. Variance of its log: 1/30 - 1/1000 + 1/53 - 1/5200 = 0.051009, sqrt 0.225852,
    # x 1.959964 = 0.442663 either side of ln 2.9434 = 1.079570: exp(0.636907) = 1.89, exp(1.522233) = 4.58.
    assert (sex["Female"].flagged.count, sex["Female"].children.count) == (30, 1000)
    assert sex["Female"].rate_shown == "30.0"
    assert sex["Female"].rri_shown == "2.94 (1.89 to 4.58)"
    assert sex["Female"].rri.significant
    assert sex["Male"].reference and sex["Male"].rri_shown == "1 (the reference group)"
    assert sex["Male"].rate_shown == "10.2"


def test_a_small_count_is_hidden_with_another_and_no_rate_or_index_is_worked_out_from_either(world, county):
    found = cohort(world.analyst)
    for key, small, large in (
        ("ethnicity", "Asian", "White"),
        ("locality", "South", "North"),
        ("age_band", "5 to 10", "11 to 15"),
    ):
        groups = dimension(found, key)
        # 3 flagged is primary-suppressed; 80 is then hidden too, or 83 - 80 would give it away.
        assert groups[small].flagged.count is None and groups[large].flagged.count is None
        assert groups[small].flagged.shown == groups[large].flagged.shown == "suppressed"
        assert groups[small].children.count == 200  # the population counts are large enough to show
        assert groups[small].rate is None and groups[small].rri is None and groups[small].rri_shown == "suppressed"
        assert groups[large].rate is None and groups[large].rri_shown.startswith("1 (the reference")


def test_everyone_else_as_the_reference_group(world, county, monkeypatch):
    rules = selectors.current_rules()
    everyone = dataclasses.replace(rules, references={**rules.references, "sex": "everyone_else"})
    monkeypatch.setattr(selectors, "current_rules", lambda: everyone)
    sex = dimension(cohort(world.analyst), "sex")
    # Female against every other child (the males): as before. Male against the females: 0.0101923 / 0.03 = 0.3397,
    # the same interval inverted: 1 / 4.5824 = 0.22 and 1 / 1.8906 = 0.53.
    assert sex["Female"].rri_shown == "2.94 (1.89 to 4.58)"
    assert sex["Male"].rri_shown == "0.34 (0.22 to 0.53)"
    assert not sex["Male"].reference


def test_filters_narrow_every_table_to_the_children_chosen(world, county):
    found = cohort(world.analyst, sex="Male")
    assert (found.children.count, found.flagged.count) == (5200, 53)
    assert set(dimension(found, "sex")) == {"Male"}
    assert set(dimension(found, "school")) == {"Hill School", "Vale School"}


def test_when_the_flagged_cannot_be_protected_the_children_are_still_counted(world, monkeypatch):
    cells = [
        CohortCell("11 to 15", "Female", "White", "North", "Hill School", 1000, 1),
        CohortCell("11 to 15", "Male", "White", "North", "Hill School", 5000, 0),
    ]
    monkeypatch.setattr(selectors, "school_age_cohort", lambda **kwargs: cells)
    found = cohort(world.analyst)
    assert found.flagged.shown == "fewer than 5"
    sex = dimension(found, "sex")
    assert (sex["Female"].children.count, sex["Male"].children.count) == (1000, 5000)
    for group in sex.values():  # one flagged child: no count, rate or index can be shown without pointing at her
        assert group.flagged.shown == "suppressed" and group.rate is None and group.rri is None
    (school,) = next(d for d in found.dimensions if d.key == "school").groups  # one school: its 6,000 shown
    assert (school.children.count, school.flagged.shown, school.rate) == (6000, "suppressed", None)
