"""Administrators edit the catalogue through the admin pages: validated, audited, rule sets versioned."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from continuum.audit.models import AuditEvent
from continuum.programmes.models import Programme, RuleSet

pytestmark = pytest.mark.django_db

CHANGE = "/admin/programmes/programme/{}/change/"
ADD_RULES = "/admin/programmes/ruleset/add/"


def _form(programme: Programme, **changes: Any) -> dict[str, Any]:
    """The change form as the admin page would post it, with some values changed."""
    data: dict[str, Any] = {
        "name": programme.name,
        "slug": programme.slug,
        "provider": programme.provider,
        "category": programme.category,
        "modalities": programme.modalities,
        "needs": programme.needs,
        "summary": programme.summary,
        "min_age": programme.min_age if programme.min_age is not None else "",
        "max_age": programme.max_age if programme.max_age is not None else "",
        "session_limit": programme.session_limit or "",
        "typical_weeks": programme.typical_weeks or "",
        "duration": programme.duration,
        "capacity": programme.capacity if programme.capacity is not None else "",
        "unit_cost": programme.unit_cost if programme.unit_cost is not None else "",
        "unit_cost_year": programme.unit_cost_year or "",
        "unit_cost_basis": programme.unit_cost_basis,
        "measures": "\n".join(programme.measures),
        "evidence_rating": programme.evidence_rating,
        "evidence_summary": programme.evidence_summary,
        "outcome_figures": programme.outcome_figures,
        "source": programme.source,
        "active": "on" if programme.active else "",
    }
    return {**data, **changes}


def _field_errors(response: Any, field: str) -> list[str]:
    """The messages the admin shows beside one field."""
    html = response.content.decode()
    row = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert row, f"no error shown at {field}"
    return [m.strip() for m in re.findall(r"<li>(.*?)</li>", row.group(1), re.S)]


@pytest.fixture
def admin_client(client_for) -> Client:
    return client_for("admin", csrf=False)


@pytest.fixture
def power() -> Programme:
    return Programme.objects.get(slug="power")


def test_an_administrator_finds_the_catalogue_and_its_rule_sets_in_the_admin(admin_client):
    assert admin_client.get("/admin/programmes/programme/").status_code == 200
    assert admin_client.get("/admin/programmes/ruleset/").status_code == 200
    assert b"Programmes" in admin_client.get("/admin/").content


def test_an_administrator_changes_a_programme_and_the_change_is_audited(admin_client, power, world):
    response = admin_client.post(
        CHANGE.format(power.pk), _form(power, capacity=40, measures="SDQ\nGoal-based outcomes")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    power.refresh_from_db()
    assert (power.capacity, power.measures) == (40, ["SDQ", "Goal-based outcomes"])
    row = AuditEvent.objects.get(event="programmes.programme_save")
    assert (row.actor_id, row.action, row.object_id) == (world.admin.pk, "update", str(power.pk))
    assert row.detail == {"slug": "power", "fields": ["capacity", "measures"]}


def test_a_negative_capacity_is_refused_at_the_capacity_field_and_nothing_is_saved(admin_client, power):
    response = admin_client.post(CHANGE.format(power.pk), _form(power, capacity=-3))
    assert response.status_code == 200
    assert _field_errors(response, "capacity") == ["Capacity cannot be negative"]
    power.refresh_from_db()
    assert power.capacity is None
    assert not AuditEvent.objects.filter(event="programmes.programme_save").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"min_age": 14, "max_age": 8}, "max_age", "Oldest age (8) must not be younger than youngest age (14)"),
        ({"max_age": 40}, "max_age", "Oldest age must be 25 or under"),
        ({"modalities": []}, "modalities", "Choose at least one way the programme is delivered"),
        (
            {"modalities": ["telepathy"]},
            "modalities",
            "Select a valid choice. telepathy is not one of the available choices.",
        ),
        ({"unit_cost": "-5"}, "unit_cost", "Unit cost cannot be negative"),
        ({"unit_cost": "300"}, "unit_cost_year", "Give the year a unit cost was given in, with the cost"),
        (
            {"session_limit": 0},
            "session_limit",
            "Session limit must be at least 1, or left empty when there is no limit",
        ),
        ({"slug": "kooth"}, "slug", "Programme with this Slug already exists."),
    ],
)
def test_bad_values_are_refused_with_the_field_named(admin_client, power, changes, field, message):
    response = admin_client.post(CHANGE.format(power.pk), _form(power, **changes))
    assert response.status_code == 200
    assert message in _field_errors(response, field)
    assert Programme.objects.get(pk=power.pk).max_age == 13


def test_an_administrator_adds_a_programme(admin_client):
    new = Programme(
        slug="test-programme",
        name="Test programme",
        category="preventative",
        modalities=["group"],
        summary="A test.",
        source="A test source",
    )
    response = admin_client.post("/admin/programmes/programme/add/", _form(new))
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Programme.objects.get(slug="test-programme")
    assert AuditEvent.objects.get(event="programmes.programme_save").action == "create"
    assert not added.rule_sets.exists()


def test_the_change_page_shows_the_current_rules_in_words_and_a_link_to_add_a_version(admin_client, power):
    page = admin_client.get(CHANGE.format(power.pk)).content.decode()
    assert "Version 1" in page
    assert "Aged 8 to 13, in completed years on the date asked about." in page
    assert f'href="{ADD_RULES}?programme={power.pk}"' in page


def test_a_new_version_starts_from_the_current_rules(admin_client, power):
    page = admin_client.get(f"{ADD_RULES}?programme={power.pk}").content.decode()
    assert "&quot;police_contact&quot;" in page
    assert admin_client.get(f"{ADD_RULES}?programme=not-a-uuid").status_code == 200


def test_a_good_new_version_is_added_with_its_note_and_audited(admin_client, power, world):
    rules = [{"kind": "age", "min": 8, "max": 12}, *RuleSet.objects.get(programme=power).rules[1:]]
    response = admin_client.post(
        ADD_RULES, {"programme": power.pk, "rules": json.dumps(rules), "note": "Ages narrowed to 8–12 for a pilot"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(power.rule_sets.order_by("version").values_list("version", "rules", "note", "created_by"))
    assert versions[0][0] == 1 and versions[0][1][0] == {"kind": "age", "min": 8, "max": 13}
    assert versions[1] == (2, rules, "Ages narrowed to 8–12 for a pilot", world.admin.pk)
    row = AuditEvent.objects.get(event="programmes.rules_version")
    assert (row.actor_id, row.action, row.purpose) == (world.admin.pk, "create", "Ages narrowed to 8–12 for a pilot")
    assert row.detail == {"programme": "power", "version": 2}


@pytest.mark.parametrize(
    ("rules", "messages"),
    [
        ('[{"kind": "age", "min": 14, "max": 8}]', ["Rule 1: no child can pass: min 14 is more than max 8"]),
        (
            '[{"kind": "age", "min": 8, "max": 10}, {"kind": "age", "min": 12}]',
            ["No child can pass: the age rules leave no age between 12 and 10"],
        ),
        ('[{"kind": "known_to", "events": ["burglary"]}]', None),
        ('[{"kind": "age", "min": 8,}]', ["Rules must be JSON: check the brackets, commas and quotation marks"]),
        ('{"kind": "age"}', ["The rules must be a list"]),
    ],
)
def test_an_unsatisfiable_or_malformed_rule_set_is_refused_and_nothing_is_saved(admin_client, power, rules, messages):
    response = admin_client.post(ADD_RULES, {"programme": power.pk, "rules": rules, "note": "Trying"})
    assert response.status_code == 200
    shown = _field_errors(response, "rules")
    if messages:
        assert shown == messages
    else:
        assert "Rule 1: events: unknown codes [&#x27;burglary&#x27;]" in shown
    assert power.rule_sets.count() == 1
    assert not AuditEvent.objects.filter(event="programmes.rules_version").exists()


def test_a_version_needs_a_note(admin_client, power):
    response = admin_client.post(ADD_RULES, {"programme": power.pk, "rules": "[]", "note": ""})
    assert _field_errors(response, "note") == ["This field is required."]
    assert power.rule_sets.count() == 1


def test_a_version_is_never_edited_in_place(admin_client, power):
    version = RuleSet.objects.get(programme=power)
    page = admin_client.get(f"/admin/programmes/ruleset/{version.pk}/change/")
    assert page.status_code == 200
    assert "Aged 8 to 13" in page.content.decode()
    assert 'name="rules"' not in page.content.decode()  # read-only
    response = admin_client.post(
        f"/admin/programmes/ruleset/{version.pk}/change/",
        {"programme": power.pk, "rules": "[]", "note": "Quietly widened"},
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.rules[0] == {"kind": "age", "min": 8, "max": 13}
    assert admin_client.post(f"/admin/programmes/ruleset/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RuleSet.objects.filter(pk=version.pk).exists()


@pytest.mark.parametrize("username", ["alice", "frontdoor", "manager", "analyst", "nobody"])
def test_anyone_but_an_administrator_gets_page_not_found(client_for, power, username):
    client = client_for(username)
    for url in ("/admin/programmes/programme/", CHANGE.format(power.pk), ADD_RULES):
        assert client.get(url).status_code == 404, url
    response = client.post(ADD_RULES, {"programme": power.pk, "rules": "[]", "note": "Sneaky"})
    assert response.status_code == 404
    assert power.rule_sets.count() == 1


def test_the_services_refuse_a_non_administrator(world, power):
    from django.core.exceptions import PermissionDenied

    from continuum.programmes.services import programme_save, rules_version_add

    with pytest.raises(PermissionDenied):
        rules_version_add(actor=world.alice, programme_id=power.pk, rules=[], note="No")
    with pytest.raises(PermissionDenied):
        programme_save(actor=world.frontdoor, programme=power, wanted={"capacity": 1})
