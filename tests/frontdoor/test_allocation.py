"""Transfers to a team, allocation within caseload capacity, the waiting list and re-allocation, through HTTP."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from continuum.agencies.models import Allocation
from continuum.agencies.services import allocation_add
from continuum.audit.models import AuditEvent
from continuum.frontdoor.models import Referral, Transfer, WaitingListEntry
from continuum.programmes.models import Programme
from tests.frontdoor import screening_world as sw

TODAY = datetime.date.today()


def _sent_to_early_help(world, client_for, *, given_name: str = "Kit") -> Referral:
    """A 9-year-old known to police, referred, and sent by the front door to early help's team for POWER."""
    if not Programme.objects.filter(slug="test-power").exists():
        sw.power()
    r = sw.referral(world, sw.child_known_to_police(world, age=9, given_name=given_name))
    response = client_for("frontdoor").post(
        reverse("frontdoor:decide", args=[r.pk]),
        {
            "level": "2",
            "rationale": "Known to police, aged 9, nobody else involved",
            "route": "programme",
            "programme": str(Programme.objects.get(slug="test-power").pk),
            "programme_team": str(sw.team(world, "eh").pk),
            "outcome_for_referrer": "Offered POWER: a worker will contact the family.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return r


def _transfer(r: Referral) -> Transfer:
    return Transfer.objects.get(decision__referral=r, status="pending")


def _accepted(world, client_for, **kwargs) -> Referral:
    r = _sent_to_early_help(world, client_for, **kwargs)
    response = client_for("manager").post(reverse("frontdoor:transfer", args=[_transfer(r).pk]), {"action": "accept"})
    assert response.status_code == 302
    return r


def _allocate(client, r: Referral, practitioner):
    return client.post(
        reverse("frontdoor:allocate", args=[r.pk]), {"action": "allocate", "practitioner": str(practitioner.pk)}
    )


# Transfers.


def test_the_team_manager_sees_the_referral_sent_and_accepts_it(world, client_for):
    r = _sent_to_early_help(world, client_for)
    manager = client_for("manager")
    # While the transfer is pending, the receiving team works with the child (and nobody else new does).
    assert manager.get(reverse("people:record", args=[r.person_id])).status_code == 200
    assert client_for("alice").get(reverse("people:record", args=[r.person_id])).status_code == 200
    assert client_for("bob").get(reverse("people:record", args=[r.person_id])).status_code == 404
    listing = manager.get(reverse("frontdoor:transfers")).content.decode()
    assert "Kit Fenwick" in listing and r.reference in listing
    page = manager.get(reverse("frontdoor:transfer", args=[_transfer(r).pk])).content.decode()
    assert "Getting into trouble after school" in page and "Known to police, aged 9" in page
    assert "Eligibility for POWER as the front door saw it" in page and "aged 9 on" in page

    transfer = _transfer(r)
    response = manager.post(reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "accept"})
    assert response["Location"] == reverse("frontdoor:allocate", args=[r.pk])
    transfer.refresh_from_db()
    r.refresh_from_db()
    assert (transfer.status, transfer.responded_by, r.status) == ("accepted", world.manager, Referral.Status.DECIDED)
    assert AuditEvent.objects.filter(event="frontdoor.transfer_accept", object_id=str(transfer.pk)).count() == 1
    # Accepted and waiting for a practitioner, the team still works with the child.
    assert manager.get(reverse("people:record", args=[r.person_id])).status_code == 200


def test_a_decline_needs_a_reason_which_the_front_door_then_sees(world, client_for):
    r = _sent_to_early_help(world, client_for)
    transfer = _transfer(r)
    manager = client_for("manager")
    body = manager.post(
        reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "decline", "reason": " "}
    ).content.decode()
    assert "Give the reason for declining: the front door will see it" in body
    transfer.refresh_from_db()
    assert transfer.status == "pending"

    reason = "Our POWER workers are all on training until March; try the youth service"
    response = manager.post(reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "decline", "reason": reason})
    assert response.status_code == 302
    transfer.refresh_from_db()
    r.refresh_from_db()
    assert (transfer.status, transfer.decline_reason, r.status) == ("declined", reason, Referral.Status.NEW)
    event = AuditEvent.objects.get(event="frontdoor.transfer_decline")
    assert event.detail["reason"] == reason and event.person_id == r.person_id

    front = client_for("frontdoor")
    queue = front.get(reverse("frontdoor:queue")).content.decode()
    assert r.reference in queue and "Declined by Test Early Help team" in queue and "on training until March" in queue
    decide = front.get(reverse("frontdoor:decide", args=[r.pk])).content.decode()
    assert "Test Early Help team declined it on" in decide and "on training until March" in decide
    # Declined, the team no longer works with the child: the list names the referral only.
    assert manager.get(reverse("people:record", args=[r.person_id])).status_code == 404
    listing = manager.get(reverse("frontdoor:transfers")).content.decode()
    assert r.reference in listing and "Kit Fenwick" not in listing


def test_a_transfer_is_answered_once(world, client_for):
    r = _sent_to_early_help(world, client_for)
    transfer = _transfer(r)
    manager = client_for("manager")
    manager.post(reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "accept"})
    body = manager.post(
        reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "decline", "reason": "Changed our minds"}
    ).content.decode()
    assert "Your team has already answered this referral" in body
    transfer.refresh_from_db()
    assert transfer.status == "accepted" and transfer.decline_reason == ""


@pytest.mark.parametrize(
    ("username", "status"), [("cscmanager", 404), ("bob", 403), ("alice", 403), ("dsl_north", 403)]
)
def test_nobody_outside_the_team_manager_sees_or_answers_a_transfer(world, client_for, username, status):
    r = _sent_to_early_help(world, client_for)
    transfer = _transfer(r)
    client = client_for(username)
    assert client.get(reverse("frontdoor:transfer", args=[transfer.pk])).status_code == status
    for data in ({"action": "accept"}, {"action": "decline", "reason": "Not ours"}):
        assert client.post(reverse("frontdoor:transfer", args=[transfer.pk]), data).status_code == status
    transfer.refresh_from_db()
    assert transfer.status == "pending"
    listing = client.get(reverse("frontdoor:transfers"))
    assert "Kit Fenwick" not in listing.content.decode()
    if status == 404:
        assert AuditEvent.objects.filter(actor_username=username, action="refused", object_id=str(transfer.pk)).exists()


def test_a_guessed_transfer_is_refused_like_another_teams(world, client_for):
    assert client_for("manager").get(reverse("frontdoor:transfer", args=[uuid.uuid4()])).status_code == 404


# Allocation and capacity.


def test_allocating_records_a_lead_allocation_and_the_referral(world, client_for):
    sw.capacity(world, "alice", 5)
    r = _accepted(world, client_for)
    manager = client_for("manager")
    page = manager.get(reverse("frontdoor:allocate", args=[r.pk])).content.decode()
    assert "Alice Tester" in page and "Room for 4" in page  # alice already leads amy's early help
    response = _allocate(manager, r, world.alice.practitioner)
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == Referral.Status.ALLOCATED
    assert (r.allocation.practitioner, r.allocation.kind, r.allocation.start_date) == (
        world.alice.practitioner,
        "lead",
        TODAY,
    )
    assert AuditEvent.objects.filter(event="frontdoor.referral_allocate", object_id=str(r.pk)).count() == 1
    assert AuditEvent.objects.filter(event="agencies.allocation_add", person_id=r.person_id).count() == 1
    # Alice now works with the child through her allocation.
    assert client_for("alice").get(reverse("people:record", args=[r.person_id])).status_code == 200


def test_a_practitioner_at_capacity_cannot_be_given_another_child(world, client_for):
    sw.capacity(world, "alice", 1)  # she already leads amy
    r = _accepted(world, client_for)
    manager = client_for("manager")
    page = manager.get(reverse("frontdoor:allocate", args=[r.pk])).content.decode()
    assert "Full" in page
    body = _allocate(manager, r, world.alice.practitioner).content.decode()
    assert "There is a problem" in body
    assert "Alice Tester already holds 1 children, their maximum of 1: choose someone with room" in body
    r.refresh_from_db()
    assert r.status == Referral.Status.DECIDED and r.allocation is None
    assert Allocation.objects.filter(practitioner=world.alice.practitioner).count() == 1


def test_shift_guides_hold_at_most_five(world, client_for):
    guide = sw.eh_practitioner(world, "Sam", most=5)
    referrals = [_accepted(world, client_for, given_name=f"Child{i}") for i in range(6)]
    manager = client_for("manager")
    for r in referrals[:5]:
        assert _allocate(manager, r, guide).status_code == 302
    assert "already holds 5 children, their maximum of 5" in _allocate(manager, referrals[5], guide).content.decode()
    assert Allocation.objects.current().filter(practitioner=guide).count() == 5


def test_only_someone_in_the_accepting_team_may_be_allocated(world, client_for):
    r = _accepted(world, client_for)
    body = _allocate(client_for("manager"), r, world.bob.practitioner).content.decode()
    assert "Choose a practitioner in the team" in body
    assert not Allocation.objects.filter(practitioner=world.bob.practitioner, person_id=r.person_id).exists()


def test_when_nobody_has_room_the_child_waits_and_allocation_ends_the_wait(world, client_for):
    sw.capacity(world, "alice", 1)
    first = _accepted(world, client_for, given_name="First")
    second = _accepted(world, client_for, given_name="Second")
    manager = client_for("manager")
    page = manager.get(reverse("frontdoor:allocate", args=[first.pk])).content.decode()
    assert "Nobody has room" in page
    assert manager.post(reverse("frontdoor:allocate", args=[first.pk]), {"action": "wait"}).status_code == 302
    manager.post(reverse("frontdoor:allocate", args=[second.pk]), {"action": "wait"})
    # The first has waited twelve days.
    WaitingListEntry.objects.filter(referral=first).update(start_date=TODAY - datetime.timedelta(days=12))
    first.refresh_from_db()
    assert first.status == Referral.Status.WAITING
    assert AuditEvent.objects.filter(event="frontdoor.waiting_list_add").count() == 2

    caseloads = manager.get(reverse("frontdoor:caseloads")).content.decode()
    assert "First Fenwick" in caseloads and "Second Fenwick" in caseloads
    assert "12 days" in caseloads and "Joined today" in caseloads
    assert caseloads.index("First Fenwick") < caseloads.index("Second Fenwick")
    assert "Alice Tester" in caseloads and "Full" in caseloads
    assert AuditEvent.objects.filter(event="frontdoor.caseloads_view").count() == 1

    # A place opens: the first child is allocated from the list, which ends their entry.
    guide = sw.eh_practitioner(world, "Sam", most=3)
    assert _allocate(manager, first, guide).status_code == 302
    entry = WaitingListEntry.objects.get(referral=first)
    assert entry.end_date == TODAY and entry.outcome == "Allocated to Sam Worker"
    first.refresh_from_db()
    assert first.status == Referral.Status.ALLOCATED
    assert AuditEvent.objects.filter(event="frontdoor.waiting_list_remove", person_id=first.person_id).count() == 1
    caseloads = manager.get(reverse("frontdoor:caseloads")).content.decode()
    assert "First Fenwick" not in caseloads and "Second Fenwick" in caseloads


def test_the_waiting_list_is_refused_while_someone_has_room(world, client_for):
    sw.capacity(world, "alice", 5)
    r = _accepted(world, client_for)
    body = client_for("manager").post(reverse("frontdoor:allocate", args=[r.pk]), {"action": "wait"}).content.decode()
    assert "Alice Tester has room: allocate the child instead" in body
    assert not WaitingListEntry.objects.exists()


def test_re_allocation_ends_the_old_allocation_and_keeps_it_in_the_history(world, client_for):
    sw.capacity(world, "alice", 5)
    sam = sw.eh_practitioner(world, "Sam", most=5)
    r = _accepted(world, client_for)
    front = client_for("frontdoor")  # the front door may allocate too
    _allocate(front, r, world.alice.practitioner)
    first = Referral.objects.get(pk=r.pk).allocation
    assert _allocate(front, r, sam).status_code == 302
    r.refresh_from_db()
    first.refresh_from_db()
    assert first.end_date == TODAY and not first.is_current()
    assert r.allocation.practitioner == sam and r.allocation.is_current()
    history = {(a.practitioner.given_name, a.is_current()) for a in Allocation.objects.filter(person_id=r.person_id)}
    assert history == {("Alice", False), ("Sam", True)}
    page = front.get(reverse("frontdoor:allocate", args=[r.pk])).content.decode()
    assert "Allocations in the team" in page and "Alice Tester" in page and "Sam Worker" in page
    assert (
        "Re-allocated from Alice Tester to Sam Worker"
        in AuditEvent.objects.filter(event="frontdoor.referral_allocate").latest("id").purpose
    )
    assert "The child is already allocated to Sam Worker" in _allocate(front, r, sam).content.decode()


def test_nobody_is_allocated_before_a_team_accepts(world, client_for):
    sw.capacity(world, "alice", 5)
    r = _sent_to_early_help(world, client_for)
    front = client_for("frontdoor")
    assert (
        "No team has accepted this referral yet"
        in front.get(reverse("frontdoor:allocate", args=[r.pk])).content.decode()
    )
    assert "No team has accepted this referral yet" in _allocate(front, r, world.alice.practitioner).content.decode()
    assert Referral.objects.get(pk=r.pk).allocation is None


@pytest.mark.parametrize("username", ["cscmanager", "bob", "alice", "dsl_north", "analyst"])
def test_only_the_front_door_and_the_accepting_manager_allocate(world, client_for, username):
    sw.capacity(world, "alice", 5)
    r = _accepted(world, client_for)
    client = client_for(username)
    assert client.get(reverse("frontdoor:allocate", args=[r.pk])).status_code in {403, 404}
    assert _allocate(client, r, world.alice.practitioner).status_code in {403, 404}
    assert Referral.objects.get(pk=r.pk).allocation is None


def test_the_caseloads_page_is_for_team_managers_and_counts_every_current_allocation(world, client_for):
    sw.capacity(world, "bob", 3)
    system_child = world.cara
    allocation_add(
        actor=world.frontdoor,
        person=system_child,
        practitioner=world.bob.practitioner,
        kind="team_around_family",
        start_date=TODAY,
    )
    ended = allocation_add(
        actor=world.frontdoor,
        person=world.dan,
        practitioner=world.bob.practitioner,
        kind="lead",
        start_date=TODAY - datetime.timedelta(days=90),
    )
    Allocation.objects.filter(pk=ended.pk).update(end_date=TODAY - datetime.timedelta(days=1))
    page = client_for("cscmanager").get(reverse("frontdoor:caseloads")).content.decode()
    row = page[page.index("Bob Tester") : page.index("</tr>", page.index("Bob Tester"))]
    assert ">2<" in row and ">3<" in row and "Room for 1" in row  # ben (lead) and cara (team around the family)
    for username in ("alice", "frontdoor", "dsl_north", "analyst"):
        assert client_for(username).get(reverse("frontdoor:caseloads")).status_code == 403


def test_the_caseloads_page_says_how_many_referrals_wait_for_the_teams_answer(world, client_for):
    _sent_to_early_help(world, client_for, given_name="Kit")
    _sent_to_early_help(world, client_for, given_name="Lou")
    page = client_for("manager").get(reverse("frontdoor:caseloads")).content.decode()
    assert "2 referrals are waiting for your team to accept or decline." in page
    assert "&lt;" not in page
    assert reverse("frontdoor:transfers") in page


def test_words_from_users_are_escaped_wherever_they_show(world, client_for):
    r = _sent_to_early_help(world, client_for)
    script = "<script>alert('declined')</script>"
    client_for("manager").post(
        reverse("frontdoor:transfer", args=[_transfer(r).pk]), {"action": "decline", "reason": script}
    )
    front = client_for("frontdoor")
    for url in (reverse("frontdoor:queue"), reverse("frontdoor:decide", args=[r.pk])):
        body = front.get(url).content.decode()
        assert script not in body and "&lt;script&gt;alert(" in body
