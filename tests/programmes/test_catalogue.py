"""The catalogue the migrations give an empty database, and eligibility worked out from a child's record."""

from __future__ import annotations

import datetime

import pytest

from continuum.agencies.access import SystemActor
from continuum.agencies.services import involvement_close
from continuum.programmes.eligibility import Event, problems
from continuum.programmes.models import Programme, RuleSet
from continuum.programmes.selectors import child_facts, eligibility_for, event_source, programme_list
from continuum.programmes.services import rules_version_add
from tests.conftest import GUARANTEED_PROGRAMME_SLUGS, TODAY

pytestmark = pytest.mark.django_db

REQUIRED = GUARANTEED_PROGRAMME_SLUGS
SEEDS = ("000_8159a131f115551f.txt", "001_ed8f03f7b8a2c157.txt", "002_d60e8eb5bae4804d.txt")


def test_the_migrations_give_at_least_thirty_programmes_with_the_slugs_others_rely_on():
    slugs = set(Programme.objects.values_list("slug", flat=True))
    assert len(slugs) >= 30
    assert slugs >= REQUIRED


def test_every_seeded_programme_has_a_sound_version_one_and_names_its_source_document():
    for programme in Programme.objects.prefetch_related("rule_sets"):
        versions = list(programme.rule_sets.all())
        assert [rs.version for rs in versions] == [1], programme.slug
        assert problems(versions[0].rules) == [], programme.slug
        assert versions[0].note, programme.slug
        assert programme.source.startswith("Seed 00"), programme.slug
        assert ".txt" in programme.source, programme.slug
        programme.full_clean()


def test_every_source_document_is_used():
    sources = " ".join(Programme.objects.values_list("source", flat=True))
    for seed in (*SEEDS, "003_17170b9a77f0906f.txt", "004_f0c949abad9ece95.txt"):
        assert seed in sources


def test_powers_rules_are_exactly_the_issues():
    power = Programme.objects.get(slug="power")
    assert (power.min_age, power.max_age, power.session_limit, power.measures) == (
        8,
        13,
        12,
        ["Strengths and Difficulties Questionnaire (on entry and exit)"],
    )
    assert RuleSet.objects.get(programme=power).rules == [
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


def test_the_catalogue_ages_agree_with_the_age_rules():
    for programme in Programme.objects.prefetch_related("rule_sets"):
        ages = [r for r in programme.rule_sets.get().rules if r["kind"] == "age"]
        band = (ages[0].get("min"), ages[0].get("max")) if ages else (None, None)
        assert band == (programme.min_age, programme.max_age), programme.slug


def test_the_list_is_in_alphabetical_order_whatever_the_capitals():
    names = [p.name for p in programme_list()]
    assert names == sorted(names, key=str.lower)


# Eligibility from the record (the screening page calls eligibility_for).


def test_child_facts_come_from_the_record_on_the_date(world):
    facts = child_facts(person=world.amy, as_of=TODAY, level_of_need=2)
    assert facts.id == str(world.amy.pk)
    assert facts.date_of_birth == world.amy.date_of_birth
    assert facts.level_of_need == 2
    assert facts.open_involvements == frozenset({"school_roll", "early_help", "police_contact", "camhs"})
    earlier = child_facts(person=world.amy, as_of=TODAY - datetime.timedelta(days=45), level_of_need=None)
    assert "police_contact" not in earlier.open_involvements


def test_amy_is_known_to_police_but_open_to_camhs_so_power_does_not_take_her(world):
    power = next(
        e for e in eligibility_for(person=world.amy, as_of=TODAY, level_of_need=2) if e.programme.slug == "power"
    )
    assert power.rules_version == 1
    assert not power.eligible
    assert [(r.rule, r.passed) for r in power.result.rules] == [
        ("age", True),
        ("known to police", True),
        ("not already supported by youth justice, CAMHS or social care", False),
    ]


def test_once_camhs_closes_power_takes_her(world):
    camhs = world.amy.involvements.get(kind="camhs")
    involvement_close(actor=SystemActor("test"), involvement=camhs, end_date=TODAY - datetime.timedelta(days=1))
    power = next(
        e for e in eligibility_for(person=world.amy, as_of=TODAY, level_of_need=2) if e.programme.slug == "power"
    )
    assert power.eligible


def test_events_from_a_registered_source_count_and_eligible_programmes_come_first(world):
    @event_source("test-police-feed")
    def _feed(person, as_of):
        if person.pk == world.dan.pk:
            yield Event("asb", TODAY - datetime.timedelta(days=30))
            yield Event("arrest", TODAY + datetime.timedelta(days=3))  # after the date: never counted

    try:
        results = eligibility_for(person=world.dan, as_of=TODAY, level_of_need=2)
    finally:
        from continuum.programmes import selectors

        selectors._EVENT_SOURCES.pop("test-police-feed")
    power = next(e for e in results if e.programme.slug == "power")
    assert power.eligible
    assert power.result.rules[1].reason.startswith("anti-social behaviour on ")
    flags = [e.eligible for e in results]
    assert flags == sorted(flags, reverse=True)
    assert len(results) == programme_list().count()


def test_the_newest_version_of_the_rules_is_the_one_applied(world):
    power = Programme.objects.get(slug="power")
    rules_version_add(
        actor=SystemActor("test"),
        programme_id=power.pk,
        rules=[{"kind": "age", "min": 8, "max": 11}],
        note="Test: a narrower band",
    )
    found = next(
        e for e in eligibility_for(person=world.amy, as_of=TODAY, level_of_need=2) if e.programme.slug == "power"
    )
    assert found.rules_version == 2
    assert found.eligible  # amy is 11, and version 2 asks nothing else


def test_a_new_level_of_need_is_in_the_reasons(world):
    staying = next(
        e
        for e in eligibility_for(person=world.cara, as_of=TODAY, level_of_need=2)
        if e.programme.slug == "staying-together"
    )
    assert not staying.eligible
    assert staying.result.rules[0].reason == "level of need 2; Staying Together takes levels 3–4"
