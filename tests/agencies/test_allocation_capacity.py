"""A practitioner's caseload capacity is a maximum wherever a child is allocated, not only at the front door."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from continuum.agencies.models import Allocation
from continuum.agencies.services import allocation_add, allocation_end
from tests.conftest import TODAY


def test_allocating_beyond_capacity_is_refused_and_a_place_that_frees_up_can_be_used(world):
    worker = world.alice.practitioner
    worker.caseload_capacity = 1  # alice already holds amy
    worker.save()
    with pytest.raises(ValidationError) as refused:
        allocation_add(actor=world.manager, person=world.cara, practitioner=worker, kind="lead", start_date=TODAY)
    assert refused.value.message_dict["practitioner"] == [
        "Alice Tester already holds 1 children, their maximum of 1: choose someone with room"
    ]
    assert not Allocation.objects.filter(person=world.cara).exists()
    allocation_end(actor=world.manager, allocation=Allocation.objects.get(person=world.amy), end_date=TODAY)
    allocation_add(actor=world.manager, person=world.cara, practitioner=worker, kind="lead", start_date=TODAY)
    assert Allocation.objects.current().filter(practitioner=worker).count() == 1
