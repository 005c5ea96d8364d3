"""What the walk-through by every role found, tried again as a practitioner would: search, Back, the
record's title and wording, emergency access, navigation and the audit filters."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from continuum.people.models import Address
from continuum.people.services import address_add, person_create
from tests.conftest import years_ago


def _found(html: str) -> str:
    return re.search(r'id="results-heading">([^<]+)<', html).group(1).strip()


def test_search_posts_then_redirects_so_back_and_the_back_link_keep_the_results(world, client_for):
    client = client_for("frontdoor")
    response = client.post(reverse("people:search"), {"name": "ashdown"})
    assert response.status_code == 302 and response["Location"] == reverse("people:search")
    assert "ashdown" not in response["Location"].lower()
    results = client.get(reverse("people:search")).content.decode()
    assert _found(results) == "2 people found" and "Amy Ashdown" in results
    record = client.get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Back to search results" in record
    again = client.get(reverse("people:search")).content.decode()  # Back, or the back link
    assert _found(again) == "2 people found" and 'value="ashdown"' in again
    client.post(reverse("people:search_clear"))
    assert "results-heading" not in client.get(reverse("people:search")).content.decode()


def test_results_say_people_show_ages_and_can_be_limited_to_children(world, client_for):
    client = client_for("frontdoor")
    client.post(reverse("people:search"), {"name": "ashdown"})
    html = client.get(reverse("people:search")).content.decode()
    assert "<title>2 people found - Find a child" in html
    assert 'data-label="Age">36<' in html.replace("\n", "") or ">36<" in html
    client.post(reverse("people:search"), {"name": "ashdown", "children_only": "on"})
    html = client.get(reverse("people:search")).content.decode()
    assert _found(html) == "1 person found" and "Megan Ashdown" not in html


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Gordon", "ordon"), ("Al-Hashimi", "Al Hashimi"), ("Al Hashimi", "Al-Hashimi"), ("Al Hashimi", "alhashimi")],
)
def test_part_names_and_names_with_or_without_a_hyphen_or_space_are_found(world, client_for, stored, typed):
    person_create(actor=world.frontdoor, given_name="Sami", family_name=stored, date_of_birth=years_ago(10))
    client = client_for("frontdoor")
    client.post(reverse("people:search"), {"name": typed})
    assert f"Sami {stored}" in client.get(reverse("people:search")).content.decode()


def test_part_postcodes_find_people(world, client_for):
    sami = person_create(actor=world.frontdoor, given_name="Sami", family_name="Postcode", date_of_birth=years_ago(9))
    address_add(actor=world.frontdoor, person=sami, address_line="3 Lane", postcode="SF3 4AB")
    Address.objects.create(person=world.cara, address_line="9 Road", postcode="SF34 1AA")  # SF34 is not SF3
    client = client_for("frontdoor")
    for typed in ("SF3", "sf3", "SF3 4", "sf34ab"):
        client.post(reverse("people:search"), {"postcode": typed})
        html = client.get(reverse("people:search")).content.decode()
        assert "Sami Postcode" in html and "Cara Dunmore" not in html, typed


def test_many_results_are_paged_with_the_govuk_pagination_component(world, client_for):
    for i in range(30):
        person_create(actor=world.frontdoor, given_name=f"Kid{i:02}", family_name="Pager", date_of_birth=years_ago(7))
    client = client_for("frontdoor")
    client.post(reverse("people:search"), {"name": "pager"})
    first = client.get(reverse("people:search")).content.decode()
    assert _found(first) == "30 people found" and "govuk-pagination" in first and "Kid00" in first
    second = client.get(reverse("people:search"), {"page": 2}).content.decode()
    assert "Kid29" in second and "Kid00" not in second and "pager" not in str(re.findall(r'href="([^"]+)"', second))


def test_the_record_title_names_the_page_not_the_child(world, client_for):
    html = client_for("alice").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert "Ashdown" not in title and "Amy" not in title and "Child's record" in title


def test_the_record_says_why_in_a_practitioners_words(world, client_for):
    html = client_for("alice").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Your agency is working with this child" in html
    assert "The user's agency" not in html


def test_one_navigation_item_is_current(world, client_for):
    html = client_for("alice").get(reverse("people:break_glass")).content.decode()
    active = re.findall(r'govuk-service-navigation__item--active">\s*<a class="[^"]+" href="([^"]+)"', html)
    assert active == [reverse("people:break_glass")]


def test_a_mistake_in_the_audit_filters_lists_nothing_and_counts_read_properly(world, client_for):
    admin = client_for("admin")
    html = admin.get(reverse("audit:events"), {"person_id": "not-a-reference"}).content.decode()
    assert "There is a problem" in html and "<tbody" not in html
    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))
    html = admin.get(reverse("audit:events"), {"action": "view", "username": "alice"}).content.decode()
    assert ">1 event<" in html


def _emergency_search(client, person, family_name, **extra):
    born = person.date_of_birth
    data = {
        "family_name": family_name,
        "date_of_birth-day": born.day,
        "date_of_birth-month": born.month,
        "date_of_birth-year": born.year,
        "reason_code": "immediate_risk",
        "reason": "School reports the child did not arrive",
    }
    data.update(extra)
    return client.post(reverse("people:break_glass"), data).content.decode()


def test_emergency_access_is_not_offered_for_a_record_the_user_can_already_open(world, client_for):
    html = _emergency_search(client_for("alice"), world.amy, "Ashdown")
    assert "you can already see it" in html
    assert "Open this record with emergency access" not in html


def test_the_emergency_access_button_names_the_person_for_screen_readers_without_showing_markup(world, client_for):
    html = _emergency_search(client_for("alice"), world.cara, "Dunmore")
    assert "&lt;span" not in html
    button = re.search(r"<button[^>]*>\s*(Open this record.*?)</button>", html, re.S).group(1)
    assert re.sub(r"\s+", " ", button).strip() == (
        'Open this record with emergency access<span class="govuk-visually-hidden">: Cara Dunmore</span>'
    )


def test_emergency_access_says_adult_for_an_adult(world, client_for):
    html = _emergency_search(client_for("bob"), world.mum, "Ashdown")
    assert "(adult)" in html and "child, age" not in html


def test_trying_again_keeps_the_reason_typed(world, client_for):
    html = _emergency_search(
        client_for("alice"), world.cara, "Dunmore", **{"date_of_birth-day": (world.cara.date_of_birth.day % 27) + 1}
    )
    assert "No record matches" in html
    assert "School reports the child did not arrive" in html  # kept in the form shown again


def test_a_record_opened_with_emergency_access_says_when_the_access_ends(world, client_for):
    alice = client_for("alice")
    _emergency_search(alice, world.cara, "Dunmore")
    alice.post(
        reverse("people:break_glass_grant"),
        {"person_id": world.cara.pk, "reason_code": "immediate_risk", "reason": "School reports the child did not"},
    )
    html = alice.get(reverse("people:record", args=[world.cara.pk])).content.decode()
    assert "You are using emergency access. It ends at" in html


def test_a_refused_record_offers_emergency_access_to_roles_that_have_it_alike_for_real_and_invented_ids(
    world, client_for
):
    import uuid

    real = client_for("alice").get(reverse("people:record", args=[world.cara.pk]))
    invented = client_for("alice").get(reverse("people:record", args=[uuid.uuid4()]))
    assert real.status_code == invented.status_code == 404
    assert b"use emergency access" in real.content and real.content == invented.content
    assert (
        b"use emergency access"
        not in client_for("frontdoor").get(reverse("people:record", args=[uuid.uuid4()])).content
    )
