"""Tell it once: a referred child described with typos, nicknames, a swapped date or a new surname is found,
with the reason in plain words, and a referrer never sees anything of a record they may not open."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from continuum.agencies.access import SystemActor
from continuum.agencies.services import involvement_open
from continuum.audit.models import AuditEvent
from continuum.frontdoor import matching
from continuum.frontdoor.matching import Described, Stored
from continuum.frontdoor.models import Referral
from continuum.people.models import Person
from continuum.people.services import address_add, person_create
from tests.conftest import years_ago
from tests.frontdoor.referral_journey import begin, choose, describe_child, finish, matches_page, send
from tests.queries import assert_database_query_count

BORN = datetime.date(2014, 3, 4)

# ---------------------------------------------------------------------------------------------------------
# The scoring on its own (plain Python)


def _score(typed: Described, stored: Stored) -> matching.Match:
    return matching.score(typed, stored)


ROBERT = Stored(1, "Robert", "Ashworth", date_of_birth=BORN, postcodes=("SF1 2AB",))


@pytest.mark.parametrize(
    ("typed", "stored", "why"),
    [
        (
            Described("Amy", "Ashdwon", date_of_birth=BORN),
            Stored(1, "Amy", "Ashdown", date_of_birth=BORN),
            "same date of birth; same given name; surname spelt differently: Ashdown / Ashdwon",
        ),
        (
            Described("Bob", "Ashworth", date_of_birth=BORN),
            ROBERT,
            "same date of birth; Bob and Robert are forms of the same name; same surname",
        ),
        (
            Described("Liz", "Jones", date_of_birth=BORN),
            Stored(1, "Elizabeth", "Jones", date_of_birth=BORN),
            "same date of birth; Liz and Elizabeth are forms of the same name; same surname",
        ),
        (
            Described("Kate", "Jones", date_of_birth=BORN),
            Stored(1, "Catherine", "Jones", date_of_birth=BORN),
            "same date of birth; Kate and Catherine are forms of the same name; same surname",
        ),
        (
            Described("Ben", "Carter", date_of_birth=BORN),
            Stored(1, "Benjamin", "Carter", known_as="Ben", date_of_birth=BORN),
            "same date of birth; known as Ben; same surname",
        ),
        (
            Described("Amy", "Ashdown", date_of_birth=datetime.date(2014, 4, 3)),
            Stored(1, "Amy", "Ashdown", date_of_birth=BORN),
            "date of birth with the day and month the other way round: 4 March 2014 / 3 April 2014; "
            "same given name; same surname",
        ),
        (
            Described("Amy", "Smith", date_of_birth=BORN, postcode="sf12ab"),
            Stored(1, "Amy", "Ashdown", date_of_birth=BORN, postcodes=("SF1 2AB",)),
            "same date of birth; same given name; different surname: Ashdown / Smith; same postcode; "
            "the surname may have changed",
        ),
        (
            Described("Amie", "Ashdown", date_of_birth=BORN),
            Stored(1, "Amy", "Ashdown", date_of_birth=BORN),
            "same date of birth; given name spelt differently: Amy / Amie; same surname",
        ),
        (
            Described("Amy", "Ashdown", date_of_birth=datetime.date(2015, 3, 4)),
            Stored(1, "Amy", "Ashdown", date_of_birth=BORN),
            "date of birth differs only in the year: 4 March 2014 / 4 March 2015; same given name; same surname",
        ),
        (
            Described("Megan", "Ashdown"),
            Stored(1, "Megan", "Ashdown", date_of_birth=datetime.date(1990, 1, 1), in_childs_family=True),
            "same given name; same surname; already recorded in the child's family",
        ),
    ],
)
def test_a_described_child_matches_the_record_with_the_reason_in_plain_words(typed, stored, why):
    found = _score(typed, stored)
    assert found.score >= matching.THRESHOLD
    assert found.why == why


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # A changed surname with nothing but the given name and date of birth: too weak on its own.
        (Described("Amy", "Smith", date_of_birth=BORN), Stored(1, "Amy", "Ashdown", date_of_birth=BORN)),
        # A sibling: same surname and postcode, another given name and date of birth.
        (
            Described("Amy", "Ashdown", date_of_birth=BORN, postcode="SF1 2AB"),
            Stored(1, "Jack", "Ashdown", date_of_birth=datetime.date(2016, 8, 1), postcodes=("SF1 2AB",)),
        ),
        # A twin: everything but the given name.
        (
            Described("Amy", "Ashdown", date_of_birth=BORN, postcode="SF1 2AB"),
            Stored(1, "Ella", "Ashdown", date_of_birth=BORN, postcodes=("SF1 2AB",)),
        ),
        # A parent of the same name at the same address.
        (
            Described("Robert", "Ashworth", date_of_birth=BORN, postcode="SF1 2AB"),
            Stored(1, "Robert", "Ashworth", date_of_birth=datetime.date(1980, 6, 9), postcodes=("SF1 2AB",)),
        ),
        # The same name and nothing else.
        (Described("Megan", "Ashdown"), Stored(1, "Megan", "Ashdown", date_of_birth=datetime.date(1990, 1, 1))),
    ],
)
def test_other_people_stay_below_the_line(typed, stored):
    assert _score(typed, stored).score < matching.THRESHOLD


def test_names_that_merely_share_a_short_form_are_not_one_name():
    assert matching.nickname_of("Bob", "Robert") and matching.nickname_of("liz", "ELIZABETH")
    assert matching.nickname_of("Kate", "Catherine") and matching.nickname_of("Rob", "Bob")
    assert not matching.nickname_of("Albert", "Alfred")  # both "Al"
    assert not matching.nickname_of("Amy", "Megan")


def test_blocks_ask_the_database_for_the_date_its_swap_the_name_forms_and_the_postcode():
    blocks = matching.blocks(Described("Bob", "Ashworth", date_of_birth=BORN, postcode="sf1 2ab"))
    assert blocks.dates == (BORN, datetime.date(2014, 4, 3))
    assert {"bob", "robert"} <= blocks.given_keys and blocks.family_key == "ashworth"
    assert blocks.postcode == "SF1 2AB"
    assert matching.blocks(Described("A", "B", date_of_birth=datetime.date(2014, 5, 5))).dates == (
        datetime.date(2014, 5, 5),
    )
    assert matching.blocks(Described("A", "B", date_of_birth=datetime.date(2014, 5, 20))).dates == (
        datetime.date(2014, 5, 20),
    )


def test_candidates_are_ranked_best_first_and_limited():
    typed = Described("Amy", "Ashdown", date_of_birth=BORN)
    stored = [Stored(i, "Amy", "Ashdwon" if i % 2 else "Ashdown", date_of_birth=BORN) for i in range(30)]
    ranked = matching.rank(typed, stored, limit=10)
    assert len(ranked) == 10 and all(m.why.endswith("same surname") for m in ranked)


# ---------------------------------------------------------------------------------------------------------
# Through the pages: Northgate's DSL refers pupils described as a busy referrer would


@pytest.fixture
def pupils(world):
    """Children on Northgate's roll (the DSL may open them), each with an address."""
    system = SystemActor("test set-up")
    made = {}
    for key, given, family, known_as, born_on, postcode in [
        ("robert", "Robert", "Ashworth", "", datetime.date(2013, 7, 9), "SF2 3CD"),
        ("elizabeth", "Elizabeth", "Okafor", "", datetime.date(2012, 11, 21), "SF2 4EF"),
        ("catherine", "Catherine", "Moss", "", datetime.date(2015, 2, 1), "SF2 5GH"),
        ("jade", "Jade", "Pryor", "", datetime.date(2014, 5, 8), "SF2 6JK"),
    ]:
        person = person_create(
            actor=world.frontdoor, given_name=given, family_name=family, known_as=known_as, date_of_birth=born_on
        )
        address_add(actor=world.frontdoor, person=person, address_line="1 Road", postcode=postcode)
        involvement_open(
            actor=system, person=person, agency=world.northgate, kind="school_roll", start_date=years_ago(1)
        )
        made[key] = person
    return made


CASES = [
    # (pupil, what the referrer typed, the reason shown)
    (
        "robert",
        {"given_name": "Bob", "family_name": "Ashworth", "date_of_birth": datetime.date(2013, 7, 9)},
        "same date of birth; Bob and Robert are forms of the same name; same surname",
    ),
    (
        "elizabeth",
        {"given_name": "Liz", "family_name": "Okafor", "date_of_birth": datetime.date(2012, 11, 21)},
        "same date of birth; Liz and Elizabeth are forms of the same name; same surname",
    ),
    (
        "catherine",
        {"given_name": "Kate", "family_name": "Mos", "date_of_birth": datetime.date(2015, 1, 2)},
        "date of birth with the day and month the other way round: 1 February 2015 / 2 January 2015; "
        "Kate and Catherine are forms of the same name; surname spelt differently: Moss / Mos",
    ),
    (
        "jade",
        {"given_name": "Jade", "family_name": "Pryer", "date_of_birth": datetime.date(2014, 5, 8)},
        "same date of birth; same given name; surname spelt differently: Pryor / Pryer",
    ),
    (
        "jade",
        {
            "given_name": "Jade",
            "family_name": "Whitlock",
            "date_of_birth": datetime.date(2014, 5, 8),
            "postcode": "sf2 6jk",
        },
        "same date of birth; same given name; different surname: Pryor / Whitlock; same postcode; "
        "the surname may have changed",
    ),
]


@pytest.mark.parametrize(
    ("key", "typed", "why"),
    CASES,
    ids=["nickname-bob", "nickname-liz", "kate-swapped-typo", "misspelt", "changed-surname"],
)
def test_a_misspelt_nicknamed_swapped_or_renamed_pupil_is_offered_with_the_reason(
    world, client_for, pupils, key, typed, why
):
    client = client_for("dsl_north")
    draft = begin(client)
    assert describe_child(client, draft, **typed).status_code == 302
    html = matches_page(client, draft)
    pupil = pupils[key]
    assert f'value="{pupil.pk}"' in html and pupil.display_name in html
    assert f"Why this record: {why}." in html
    assert choose(client, draft, pupil.pk).status_code == 302
    finish(client, draft)
    referral = send(client, draft)
    assert referral.person == pupil and referral.possible_matches == []
    assert Person.objects.filter(given_name=typed["given_name"], family_name=typed["family_name"]).count() == (
        1 if typed["given_name"] == pupil.given_name and typed["family_name"] == pupil.family_name else 0
    ), "no duplicate person was made"


def test_a_changed_surname_without_the_postcode_is_not_offered(world, client_for, pupils):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, given_name="Jade", family_name="Whitlock", date_of_birth=datetime.date(2014, 5, 8))
    html = matches_page(client, draft)
    assert "No existing record found" in html and "Pryor" not in html


def test_the_candidate_search_is_audited_with_its_criteria_and_every_candidate(world, client_for, pupils):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, given_name="Bob", family_name="Ashworth", date_of_birth=datetime.date(2013, 7, 9))
    matches_page(client, draft)
    row = AuditEvent.objects.get(event="frontdoor.candidate_search")
    assert row.action == "search" and row.actor_username == "dsl_north"
    assert row.detail["criteria"] == {"given_name": "Bob", "family_name": "Ashworth", "date_of_birth": "2013-07-09"}
    assert row.detail["candidates"] == [str(pupils["robert"].pk)] and row.detail["shown"] == [str(pupils["robert"].pk)]


# ---------------------------------------------------------------------------------------------------------
# A record the referrer may not open: never a detail of it


@pytest.fixture
def stranger(world):
    """A child Northgate has nothing to do with, with an NHS number and an address."""
    child = person_create(
        actor=world.frontdoor,
        given_name="Rosalind",
        family_name="Quennell",
        date_of_birth=datetime.date(2013, 9, 7),
        nhs_number="9434765870",
    )
    address_add(actor=world.frontdoor, person=child, address_line="9 Hidden Row", postcode="SF7 1XY")
    return child


def _never_shows(html: str, person: Person) -> None:
    born = person.date_of_birth
    for leak in (
        person.given_name,
        person.family_name,
        str(person.pk),
        person.pk.hex,
        person.nhs_number,
        f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}",
        born.isoformat(),
        f"{born.day} {born.strftime('%B')} {born.year}",
        "SF7 1XY",
        "Hidden Row",
    ):
        assert leak not in html, leak


def test_a_candidate_the_referrer_may_not_open_shows_nothing_of_itself(world, client_for, stranger):
    client = client_for("dsl_north")
    draft = begin(client)
    # Misspelt, with the day and month the other way round: the referrer's own words are all they see again.
    typed = {"given_name": "Rosalyn", "family_name": "Quenell", "date_of_birth": datetime.date(2013, 7, 9)}
    describe_child(client, draft, **typed)
    html = matches_page(client, draft)
    assert "A possible existing record &mdash; the front door will check" in html
    assert 'type="radio"' not in html, "nothing to choose"
    _never_shows(html, stranger)

    # Asking for it by id is refused like any other wrong answer, and saves nothing.
    refused = choose(client, draft, stranger.pk)
    assert refused.status_code == 200 and "Select the existing record" in refused.content.decode()
    _never_shows(refused.content.decode(), stranger)

    # "None of these": a new person, and the referral records that possible matches existed.
    assert choose(client, draft, "new").status_code == 302
    finish(client, draft)
    check = client.get(f"{draft}check/").content.decode()
    assert "Possible existing records were found: the front door will check them" in check
    _never_shows(check, stranger)
    referral = send(client, draft)
    assert referral.person != stranger and referral.person.family_name == "Quenell"
    assert referral.possible_matches == [{"person_id": str(referral.person_id), "candidates": [str(stranger.pk)]}]
    for url in (
        reverse("frontdoor:detail", args=[referral.pk]),
        reverse("frontdoor:mine"),
        reverse("frontdoor:sent", args=[referral.pk]),
        reverse("people:record", args=[referral.person_id]),
    ):
        _never_shows(client.get(url).content.decode(), stranger)
    row = AuditEvent.objects.filter(event="frontdoor.candidate_search").first()
    assert row.detail["candidates"] == [str(stranger.pk)] and row.detail["shown"] == []
    # The front door sees the possible match and opens it from the referral.
    front = client_for("frontdoor").get(reverse("frontdoor:detail", args=[referral.pk])).content.decode()
    assert "Possible existing records to check" in front
    assert reverse("people:record", args=[stranger.pk]) in front


def test_the_front_door_referring_sees_every_candidate_in_full(world, client_for, stranger):
    client = client_for("frontdoor")
    draft = begin(client)
    describe_child(client, draft, given_name="Rosalyn", family_name="Quenell", date_of_birth=datetime.date(2013, 7, 9))
    html = matches_page(client, draft)
    assert "Rosalind Quennell" in html and "A possible existing record" not in html


def test_a_family_member_already_linked_to_the_child_is_offered_by_name_alone(world, client_for):
    client = client_for("frontdoor")
    draft = begin(client)
    describe_child(client, draft, given_name="Amy", family_name="Ashdown", date_of_birth=world.amy.date_of_birth)
    choose(client, draft, world.amy.pk)
    client.post(f"{draft}family/", {"add": "yes"})
    client.post(f"{draft}family-member/", {"given_name": "Megan", "family_name": "Ashdown", "relationship": "parent"})
    html = matches_page(client, draft, step="family-matches")
    assert f'value="{world.mum.pk}"' in html
    assert "same given name; same surname; already recorded in the child&#39;s family" in html
    # The child cannot be named again as her own family member.
    refused = choose(client, draft, world.amy.pk, step="family-matches")
    assert refused.status_code == 200
    choose(client, draft, world.mum.pk, step="family-matches")
    finish(client, draft)
    referral = send(client, draft)
    assert [m.person for m in referral.family.all()] == [world.mum]


def test_a_school_naming_a_parent_it_may_not_open_gets_a_new_person_flagged_for_the_front_door(world, client_for):
    client = client_for("dsl_north")
    draft = begin(client)
    describe_child(client, draft, given_name="Amy", family_name="Ashdown", date_of_birth=world.amy.date_of_birth)
    choose(client, draft, world.amy.pk)
    client.post(f"{draft}family/", {"add": "yes"})
    client.post(f"{draft}family-member/", {"given_name": "Megan", "family_name": "Ashdown", "relationship": "parent"})
    html = matches_page(client, draft, step="family-matches")
    assert "A possible existing record &mdash; the front door will check" in html
    assert str(world.mum.pk) not in html and world.mum.date_of_birth.isoformat() not in html
    choose(client, draft, "new", step="family-matches")
    finish(client, draft)
    referral = send(client, draft)
    member = referral.family.get()
    assert member.person != world.mum
    assert referral.possible_matches == [{"person_id": str(member.person_id), "candidates": [str(world.mum.pk)]}]


def test_the_tell_it_once_page_costs_the_same_for_one_candidate_or_ten(world, client_for):
    client = client_for("frontdoor")
    draft = begin(client)
    describe_child(client, draft, given_name="Sam", family_name="Budget", date_of_birth=BORN)
    person_create(actor=world.frontdoor, given_name="Sam", family_name="Budget", date_of_birth=BORN)
    with assert_database_query_count(14) as one:
        html = matches_page(client, draft)
    assert len(re.findall(r'type="radio" value="[0-9a-f-]{36}"', html)) == 1
    for i in range(12):
        person = person_create(
            actor=world.frontdoor, given_name="Sam", family_name=f"Budgett{'e' * i}", date_of_birth=BORN
        )
        address_add(actor=world.frontdoor, person=person, address_line="1 Road", postcode="SF1 1AA")
    with assert_database_query_count(len(one.captured_queries)):
        html = matches_page(client, draft)
    assert len(re.findall(r'type="radio" value="[0-9a-f-]{36}"', html)) == 10
    assert not Referral.objects.exists()
