"""An attacker's test of the front door's figures: read every table off the analyst's page and try every
subtraction, as tests/people/test_population_disclosure.py does for the population page.

The front-door worker's page shows the true counts; the analyst's must show exactly what suppression
publishes for them, and no suppressed count may come out as a single number, either by subtracting from
the table's total or by someone who also knows the suppression rule.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Agency, Team
from continuum.agencies.services import allocation_add
from continuum.disclosure import FEWER_THAN, SMALL_NUMBER, SUPPRESSED
from continuum.frontdoor.models import Referral, WaitingListEntry
from continuum.people.services import person_create
from tests.frontdoor.figures_world import JUNE, at, decide, refer, send
from tests.frontdoor.page import Figures
from tests.suppression_attacks import Published, publish, same_publication, two_values_each, values_by_subtraction

REFERRALS = (
    "Referrals by the kind of agency that made them",
    "Time from referral to first decision, against the target of 1 working day",
    "Re-referrals within 12 months",
)
DECISIONS = ("Decisions by route", "Decisions by level of need")
REASONS = ("emotional_wellbeing", "behaviour", "school_attendance", "neglect", "domestic_abuse", "parenting")


def read(shown: str) -> int | None:
    return None if shown in (SUPPRESSED, FEWER_THAN) else int(shown.replace(",", ""))


def a_busy_june(world, catalogue, rng: random.Random) -> None:
    """Sixty referrals over May and June 2025 from every kind of agency and five schools, decided, sent on,
    allocated and waiting at random."""
    schools = [world.northgate, world.southgate] + [
        Agency.objects.create(name=f"Test School {i}", kind="school") for i in range(3)
    ]
    others = [world.agencies[k] for k in ("police", "health", "eh", "csc", "camhs")]
    children = list(world.people.values())[:4] + [
        person_create(
            actor=world.frontdoor,
            given_name=f"Child{i}",
            family_name="Sample",
            date_of_birth=datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000)),
            sex=rng.choice("MF"),
            ethnicity="WBRI",
        )
        for i in range(16)
    ]
    team = Team.objects.get(agency=world.agencies["eh"])
    programmes = [catalogue[slug] for slug in ("power", "lyft", "kooth", "staying-together")]
    for _ in range(60):
        agency = rng.choice(schools) if rng.random() < 0.45 else rng.choice(others)
        day = datetime.date(2025, 5, 1) + datetime.timedelta(days=rng.randint(0, 60))
        received = at(day.isoformat(), f"{rng.randint(8, 17):02d}:15")
        referral = refer(rng.choice(children), agency, received, *rng.sample(REASONS, rng.randint(1, 3)))
        if rng.random() < 0.15:
            continue
        decided = received + datetime.timedelta(hours=rng.choice([2, 26, 50, 98, 200, 400]))
        level = rng.choice([1, 2, 2, 3, 3, 4])
        route = "step_up" if level == 4 else rng.choice(["no_further_action", "advice", "programme", "programme"])
        programme = rng.choice(programmes) if route == "programme" else None
        decision = decide(referral, decided, level, route, programme, team if programme else None)
        if route in ("programme", "step_up"):
            send(decision, team, rng.choice(["accepted", "accepted", "declined", "pending"]), decided)
        if programme and rng.random() < 0.4:
            allocation = allocation_add(
                actor=SystemActor("test"),
                person=referral.person,
                practitioner=world.alice.practitioner,
                kind="lead",
                start_date=decided.date(),
            )
            Referral.objects.filter(pk=referral.pk).update(allocation=allocation)
        elif programme:
            start = decided.date() + datetime.timedelta(days=1)
            ended = rng.random() < 0.5
            WaitingListEntry.objects.create(
                referral=referral,
                programme=programme,
                team=team,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(1, 20)) if ended else None,
            )


def attack(published: Published, total: int, where: str) -> None:
    for i, values in values_by_subtraction(published, total).items():
        assert len(values) >= 2, f"{where}: {published} of {total} gives row {i} as {values}"
    for i, values in two_values_each(published, same_publication(published, total)).items():
        assert len(values) >= 2, f"{where}: {published} of {total} could only be {values} in row {i}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_suppressed_front_door_figure_can_be_worked_out(world, catalogue, client_for, seed):
    a_busy_june(world, catalogue, random.Random(seed))
    truth = Figures(client_for("frontdoor").get(reverse("frontdoor:dashboard"), JUNE).content.decode())
    shown = Figures(client_for("analyst").get(reverse("frontdoor:dashboard"), JUNE).content.decode())
    totals = {"referrals": int(truth.spans["referrals-total"]), "decisions": int(truth.spans["decisions-total"])}
    assert read(shown.spans["referrals-total"]) in (None, totals["referrals"])
    tried = 0
    decided = totals["referrals"] - int(truth.counts(REFERRALS[1])["Not decided yet"])
    for captions, total in (
        (REFERRALS, totals["referrals"]),
        (DECISIONS, totals["decisions"]),
        (("Decided referrals that went on to a programme",), decided),
    ):
        for caption in captions:
            true_counts = tuple(int(c) for c in truth.counts(caption).values())
            assert sum(true_counts) == total, caption
            if caption not in shown.tables:  # nothing could protect it: it is not shown at all
                assert publish(true_counts) is None, caption
                continue
            published = tuple(read(c) for c in shown.counts(caption).values())
            assert all(c == SUPPRESSED for c in shown.counts(caption).values() if read(c) is None), caption
            assert publish(true_counts) == published, caption
            attack(published, total, caption)
            tried += 1
    assert tried >= 4
    # Reasons do not add up to anything: only their small counts are hidden.
    for label, count in truth.counts("Referrals by reason").items():
        expected = FEWER_THAN if 0 < int(count) < SMALL_NUMBER else count
        assert shown.counts("Referrals by reason")[label] == expected
    # The waiting lists: each column adds up over the programmes and is protected against its own total.
    if "Waiting lists" in shown.tables:
        true_rows = truth.tables["Waiting lists"][1:]
        shown_rows = shown.tables["Waiting lists"][1:]
        for column in (1, 2, 3):
            true_counts = tuple(int(row[column]) for row in true_rows)
            published = tuple(read(row[column]) for row in shown_rows)
            assert publish(true_counts) == published
            attack(published, sum(true_counts), f"waiting lists, column {column}")
        for true_row, shown_row in zip(true_rows, shown_rows, strict=True):
            if shown_row[4] not in ("not shown", "none ended"):
                assert int(shown_row[3]) >= SMALL_NUMBER and shown_row[4] == true_row[4]


@pytest.mark.parametrize("seed", [1, 2])
def test_no_suppressed_school_figure_can_be_worked_out(world, catalogue, client_for, seed):
    a_busy_june(world, catalogue, random.Random(seed))
    url = reverse("frontdoor:schools")

    def table(username: str) -> list[list[str]]:
        page = Figures(client_for(username).get(url, JUNE).content.decode())
        return next(iter(page.tables.values()))[1:] if page.tables else []

    truth, shown = table("frontdoor"), table("analyst")
    for column in (1, 2):
        true_counts = tuple(int(row[column]) for row in truth)
        if not shown:
            assert publish(true_counts) is None or column == 2
            continue
        published = tuple(read(row[column]) for row in shown)
        assert publish(true_counts) == published
        attack(published, sum(true_counts), f"schools, column {column}")
    for row in shown:
        assert row[3] in ("Within the last month", "1 to 3 months", "3 to 12 months", "More than 12 months")
