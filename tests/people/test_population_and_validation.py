"""Aggregates for analysts, and clear validation of a person's details."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from continuum.audit.models import AuditEvent
from continuum.people.models import Person
from continuum.people.selectors import population_summary
from continuum.people.services import person_create, person_update


@pytest.mark.parametrize(
    ("username", "status"),
    [("analyst", 200), ("manager", 200), ("chair", 200), ("alice", 403), ("frontdoor", 403), ("admin", 403)],
)
def test_only_roles_with_aggregates_see_the_population_page(world, client_for, username, status):
    assert client_for(username).get(reverse("people:population")).status_code == status


def test_the_population_page_shows_counts_with_small_numbers_suppressed_and_no_identities(world, client_for):
    html = client_for("analyst").get(reverse("people:population")).content.decode()
    for person in world.people.values():
        assert person.family_name not in html and str(person.pk) not in html
    assert "fewer than 5" in html  # four children in the world: every non-zero cell is suppressed
    assert "<svg" in html and 'role="img"' in html
    assert AuditEvent.objects.filter(object_type="population_summary", actor_username="analyst").count() == 1


def test_population_counts_are_exact_above_the_threshold(world):
    for i in range(5):
        person_create(
            actor=world.frontdoor,
            given_name=f"Child{i}",
            family_name="Count",
            date_of_birth=datetime.date.today().replace(year=datetime.date.today().year - 2, day=1),
            sex="M",
            ethnicity="APKN",
        )
    summary = population_summary(viewer=world.analyst)
    assert summary.children == 9  # amy, ben, cara, dan and five toddlers; mum is an adult
    by_age = {row.label: row.count for row in summary.by_age}
    assert by_age["0 to 4"] == 5
    assert by_age["11 to 15"] is None  # amy and cara: two, suppressed
    assert {row.label: row.count for row in summary.by_ethnicity}["Asian"] == 5


def test_a_person_with_a_future_birth_date_or_bad_identifiers_is_refused_with_reasons(world):
    with pytest.raises(ValidationError) as caught:
        person_create(
            actor=world.frontdoor,
            given_name="Zed",
            family_name="Young",
            date_of_birth=datetime.date.today() + datetime.timedelta(days=1),
            nhs_number="1234567890",
            upn="X801200001001",
        )
    errors = caught.value.message_dict
    assert errors["date_of_birth"] == ["Date of birth must be today or in the past"]
    assert "check digit" in errors["nhs_number"][0]
    assert "check letter" in errors["upn"][0]
    assert not Person.objects.filter(family_name="Young").exists()


def test_a_person_needs_names(world):
    with pytest.raises(ValidationError) as caught:
        person_create(actor=world.frontdoor, given_name=" ", family_name="")
    assert set(caught.value.message_dict) >= {"given_name", "family_name"}


def test_updates_are_audited_with_the_fields_that_changed_but_not_their_values(world):
    person_update(actor=world.alice, person_id=world.amy.pk, known_as="Ames", first_language="eng")
    event = AuditEvent.objects.filter(action="update", person_id=world.amy.pk).get()
    assert event.detail == {"fields": ["first_language", "known_as"]}
    with pytest.raises(ValidationError):
        person_update(actor=world.alice, person_id=world.cara.pk, known_as="C")  # no relationship with cara


@pytest.mark.parametrize(
    ("typed", "found"), [("zoe", True), ("ZOË", True), ("ang", True), ("łuk", True), ("nowakx", False)]
)
def test_name_search_ignores_case_and_accents_and_matches_prefixes(world, typed, found):
    from continuum.people.selectors import SearchCriteria, person_search

    person_create(actor=world.frontdoor, given_name="Zoë", family_name="Ángel", sex="F")
    person_create(actor=world.frontdoor, given_name="Łukasz", family_name="Nowak", sex="M")
    result = person_search(viewer=world.frontdoor, criteria=SearchCriteria(name=typed))
    assert (result.total > 0) == found
