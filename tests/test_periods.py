"""One notion of a period: from the start date up to, not including, the end date; checked alike everywhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from continuum.agencies.models import Allocation, Involvement
from continuum.agencies.services import allocation_add, involvement_close, involvement_open
from continuum.people.models import Address, Household, HouseholdMember, Relationship
from tests.conftest import TODAY

DAY = datetime.timedelta(days=1)


@pytest.fixture
def early_help(world):
    return Involvement.objects.get(person=world.amy, kind="early_help")


def test_an_involvement_is_current_from_its_start_until_the_day_before_it_ends(world, early_help):
    start = early_help.start_date
    early_help.end_date = TODAY + 7 * DAY
    early_help.save()
    current = Involvement.objects.current
    assert early_help in current(on=start)
    assert early_help not in current(on=start - DAY)
    assert early_help in current()  # an end date next week is not closed yet
    assert early_help in current(on=TODAY + 6 * DAY)
    assert early_help not in current(on=TODAY + 7 * DAY)
    assert early_help.is_current() and not early_help.is_current(on=TODAY + 7 * DAY)


def test_an_end_date_in_the_future_keeps_the_working_relationship_until_then(world, client_for, early_help):
    from django.urls import reverse

    Involvement.objects.filter(person=world.amy).exclude(pk=early_help.pk).delete()
    Allocation.objects.filter(person=world.amy).delete()
    involvement_close(actor=world.manager, involvement=early_help, end_date=TODAY + 3 * DAY)
    assert client_for("alice").get(reverse("people:record", args=[world.amy.pk])).status_code == 200
    involvement_close(actor=world.manager, involvement=early_help, end_date=TODAY)
    assert client_for("alice").get(reverse("people:record", args=[world.amy.pk])).status_code == 404


def test_an_involvement_starting_next_week_gives_no_relationship_today(world):
    future = involvement_open(
        actor=world.frontdoor, person=world.cara, agency=world.eh, kind="early_help", start_date=TODAY + 7 * DAY
    )
    assert future not in Involvement.objects.current()
    assert future in Involvement.objects.current(on=TODAY + 7 * DAY)


def test_an_empty_start_means_since_a_date_nobody_recorded(world):
    address = Address.objects.create(person=world.cara, address_line="2 Lane", postcode="SF1 1AA")
    assert address in Address.objects.current(on=datetime.date(1900, 1, 1))
    assert Address.objects.ended().filter(pk=address.pk).count() == 0


@pytest.mark.parametrize("model", [Address, HouseholdMember, Relationship, Involvement, Allocation])
def test_every_period_refuses_an_end_before_its_start(world, model):
    fields = {
        Address: lambda: {"person": world.amy, "address_line": "1 Road", "postcode": "SF1 1AA"},
        HouseholdMember: lambda: {
            "household": Household.objects.create(),
            "person": world.amy,
            "household_role": "child",
        },
        Relationship: lambda: {"from_person": world.mum, "to_person": world.cara, "kind": "carer", "source": "test"},
        Involvement: lambda: {"person": world.amy, "agency": world.eh, "kind": "early_help"},
        Allocation: lambda: {"person": world.amy, "practitioner": world.alice.practitioner, "kind": "lead"},
    }[model]()
    record = model(**fields, start_date=TODAY, end_date=TODAY - DAY)
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert caught.value.message_dict["end_date"] == ["The end date must be on or after the start date"]
    model(**fields, start_date=TODAY, end_date=TODAY).full_clean()  # a period of no days is allowed


def test_ending_an_allocation_before_it_started_is_refused_by_the_service(world):
    allocation = allocation_add(
        actor=world.manager, person=world.cara, practitioner=world.alice.practitioner, kind="lead", start_date=TODAY
    )
    from continuum.agencies.services import allocation_end

    with pytest.raises(ValidationError):
        allocation_end(actor=world.manager, allocation=allocation, end_date=TODAY - DAY)
    allocation.refresh_from_db()
    assert allocation.end_date is None
