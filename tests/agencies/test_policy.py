"""The access policy file: what it says, and that a malformed one is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum import vocabulary as v
from continuum.agencies.policy import PolicyError, load_policy

SHIPPED = Path(__file__).parents[2] / "src" / "continuum" / "agencies" / "access_policy.toml"


@pytest.fixture(scope="module")
def policy():
    return load_policy(SHIPPED)


def test_every_role_is_described(policy):
    assert set(policy.roles) == v.codes(v.ROLE)


def test_only_the_front_door_searches_everyone_and_analysts_and_administrators_see_no_child(policy):
    assert {code for code, r in policy.roles.items() if r.scope == "all"} == {"front_door"}
    assert {code for code, r in policy.roles.items() if r.scope == "none"} == {"analyst", "administrator"}
    assert policy.roles["analyst"].aggregates and not policy.roles["analyst"].categories


def test_police_intelligence_and_health_detail_are_shared_only_with_the_roles_a_rule_names(policy):
    readers = {cat: {c for c, r in policy.roles.items() if cat in r.categories} for cat in policy.category_labels}
    assert readers["police_intelligence"] == {"police_liaison", "front_door"}
    assert readers["health"] == {"health_practitioner"}
    assert "school_dsl" not in readers["youth_justice"]
    assert readers["identity"] == {c for c, r in policy.roles.items() if r.scope != "none"}


def test_every_involvement_kind_and_agency_kind_has_a_category(policy):
    assert set(policy.involvement_categories) == v.codes(v.INVOLVEMENT_KIND)
    assert set(policy.agency_kind_categories) == v.codes(v.AGENCY_KIND)
    assert policy.category_of("police_contact") == "police_intelligence"
    assert policy.category_of("camhs") == "health"


def test_break_glass_is_time_limited_and_reasoned(policy):
    assert 1 <= policy.break_glass_minutes <= 240
    assert "immediate_risk" in dict(policy.break_glass_reasons)
    assert {c for c, r in policy.roles.items() if r.break_glass} >= {
        "practitioner",
        "school_dsl",
        "police_liaison",
    }
    assert not policy.roles["analyst"].break_glass and not policy.roles["front_door"].break_glass


def test_only_the_front_door_reviews_record_linkage(policy):
    assert {code for code, r in policy.roles.items() if r.reviews_linkage} == {"front_door"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('scope = "all"', 'scope = "everyone"', 1), "[roles.front_door] scope must be one of"),
        (
            ('shared_with = ["health_practitioner"]', 'shared_with = ["nurse"]', 1),
            "[categories.health] shared_with",
        ),
        (('camhs = "health"', 'camhs = "medical"', 1), "camhs names unknown category 'medical'"),
        (
            ("leads_casework = true\n", "leads_casework = true\nreviews_linkage = true\n", 1),
            '[roles.practitioner] a role that reviews record linkage must have scope "all"',
        ),
        (("minutes = 60", "minutes = 0", 1), "[break_glass] minutes must be"),
        (
            (
                'relationships = ["agency_involvement", "allocated", "break_glass", "open_referral", '
                '"transfer_to_team", "team_around_family"]',
                'relationships = ["friendship"]',
                1,
            ),
            "unknown relationships ['friendship']",
        ),
        (("version = 1", "version = 2", 1), "[version]"),
        (("[roles.analyst]", "[roles.analyst_x]", 1), "[roles.analyst] every role must be described"),
        (('police_contact = "police_intelligence"\n', "", 1), "missing ['police_contact']"),
        (("= ", "== ", 1), "cannot read the access policy"),
    ],
)
def test_a_malformed_policy_is_refused_naming_the_entry(tmp_path, change, message):
    old, new, count = change
    text = SHIPPED.read_text()
    assert old in text
    broken = tmp_path / "policy.toml"
    broken.write_text(text.replace(old, new, count))
    with pytest.raises(PolicyError) as caught:
        load_policy(broken)
    assert message in str(caught.value)
    assert str(broken) in str(caught.value)


def test_a_deployment_can_narrow_the_policy_without_code(world, client_for, settings, tmp_path):
    """A council that shares police intelligence with its police officers only edits the file, not the code."""
    from django.urls import reverse

    narrowed = tmp_path / "policy.toml"
    narrowed.write_text(
        SHIPPED.read_text().replace(
            'shared_with = ["police_liaison", "front_door"]', 'shared_with = ["police_liaison"]'
        )
    )
    settings.ACCESS_POLICY_PATH = narrowed
    html = client_for("frontdoor").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Known to police" not in html
