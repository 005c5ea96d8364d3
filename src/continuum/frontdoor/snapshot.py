"""The front door's tables in a county snapshot (columns in docs/county-format.md).

referrals, referral_reasons, referral_family_members, decisions, transfers, waiting_list_entries and
school_offers load after the agencies' and people's tables, which they refer to. A decision or a
waiting-list entry names its programme by the slug the catalogue gives it; an unknown slug stops the
load with the file, row and field named.

The loader refuses what the service would refuse: a level-4 (specialist) decision routed to no further
action, advice or a programme; a step up below level 4; a programme route without a programme (or a
programme on another route); a route that sends the child to a team (a programme, a step up, an open
episode) without the team, or one that closes the referral with a team; a change of level that does not
fit the level before it; a decision with nothing for the referrer; consent not sought without a reason;
a declined transfer without a reason; a transfer for a decision that sends the child to no team, or to
another team than the decision's; a decision before its referral arrived; a duplicate flag pointing at
anything but an earlier referral for the same child within 30 days.

Some checks compare a row with rows above it (a decision with its referral), so `tables()` builds the
specifications afresh for each load, with the catalogue read as it stands when the load checks it.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from continuum import tables as t
from continuum import vocabulary as v
from continuum.frontdoor.models import (
    Decision,
    Referral,
    ReferralFamilyMember,
    ReferralReason,
    SchoolOffer,
    Transfer,
    WaitingListEntry,
)
from continuum.programmes.selectors import programme_slug_reader

DUPLICATE_WINDOW = datetime.timedelta(days=30)
# As the decision service has them: the routes that send the child to a team, and those that close the referral.
_SENT_TO_A_TEAM = frozenset({"programme", "step_up", "existing_episode"})
_CLOSING = frozenset({"no_further_action", "advice"})
_NOT_FOR_LEVEL_4 = frozenset({"no_further_action", "advice", "programme"})
_ROUTES = dict(v.ROUTE)


def _codes(choices: Any) -> v.Codes:
    return tuple((str(code), str(label)) for code, label in choices)


class _Load:
    """What one load has read so far, for the checks that compare a row with rows above it."""

    def __init__(self) -> None:
        self.referrals: dict[uuid.UUID, tuple[uuid.UUID, datetime.datetime]] = {}  # id -> (person, received)
        self.decisions: dict[uuid.UUID, tuple[str, uuid.UUID | None]] = {}  # id -> (route, team)

    # -- referrals --------------------------------------------------------------------------------

    def consent_reason(self, row: dict[str, Any]) -> tuple[str, str] | None:
        if row["consent"] == "not_sought" and not row["consent_reason"]:
            return (
                "consent_reason",
                "is required when consent was not sought: say why seeking it would put the child at risk",
            )
        return None

    def closed(self, row: dict[str, Any]) -> tuple[str, str] | None:
        closed_at, status = row["closed_at"], row["status"]
        if status == Referral.Status.CLOSED and closed_at is None:
            return "closed_at", "is required for a closed referral"
        if status != Referral.Status.CLOSED and closed_at is not None:
            return "closed_at", f"must be empty: the referral's status is {status!r}, not closed"
        if closed_at is not None and closed_at < row["received_at"]:
            return "closed_at", f"{closed_at.isoformat()} is before the referral was received"
        return None

    def duplicate(self, row: dict[str, Any]) -> tuple[str, str] | None:
        """A possible duplicate points at an earlier referral (above it in the file) for the same child,
        received within the 30 days before. Every complete referral row is remembered here."""
        earlier_id = row["possible_duplicate_of_id"]
        self.referrals[row["referral_id"]] = (row["person_id"], row["received_at"])
        if earlier_id is None:
            return None
        earlier = self.referrals.get(earlier_id) if earlier_id != row["referral_id"] else None
        if earlier is None:
            return "possible_duplicate_of_id", f"{earlier_id} is not a referral above this one in the file"
        person, received = earlier
        if person != row["person_id"]:
            return "possible_duplicate_of_id", f"{earlier_id} is a referral for another child"
        if not datetime.timedelta(0) <= row["received_at"] - received <= DUPLICATE_WINDOW:
            return "possible_duplicate_of_id", f"{earlier_id} was not received in the 30 days before this one"
        return None

    # -- decisions --------------------------------------------------------------------------------

    def route(self, row: dict[str, Any]) -> tuple[str, str] | None:
        route, level = row["route"], row["level"]
        self.decisions[row["decision_id"]] = (route, row["team_id"])
        if level == 4 and route in _NOT_FOR_LEVEL_4:
            return "route", (
                f"a level 4 (specialist) decision cannot be {_ROUTES[route].lower()}: "
                "step up to children's social care or add to the open episode"
            )
        if route == "step_up" and level != 4:
            return "route", f"a step up to children's social care is for level 4 (specialist), not level {level}"
        if route == "programme" and row["programme"] is None:
            return "programme", "is required when the route is an early-help programme"
        if route != "programme" and row["programme"] is not None:
            return "programme", f"must be empty: the route is {_ROUTES[route].lower()}, not a programme"
        if route in _SENT_TO_A_TEAM and row["team_id"] is None:
            return "team_id", f"is required: {_ROUTES[route].lower()} sends the child to a team"
        if route in _CLOSING and row["team_id"] is not None:
            return "team_id", f"must be empty: {_ROUTES[route].lower()} sends the child to no team"
        return None

    def change(self, row: dict[str, Any]) -> tuple[str, str] | None:
        level, before, change = row["level"], row["previous_level"], row["change"]
        if before is None:
            expected = Decision.Change.FIRST
        elif level > before:
            expected = Decision.Change.STEP_UP
        elif level < before:
            expected = Decision.Change.STEP_DOWN
        else:
            expected = Decision.Change.SAME
        if change != expected:
            after = "with no level before it" if before is None else f"after level {before}"
            return "change", f"{change!r} does not fit level {level} {after} (that is {expected.value!r})"
        return None

    def decided_after_received(self, row: dict[str, Any]) -> tuple[str, str] | None:
        referral = self.referrals.get(row["referral_id"])
        if referral is not None and row["decided_at"] < referral[1]:
            return "decided_at", f"{row['decided_at'].isoformat()} is before the referral was received"
        return None

    # -- transfers --------------------------------------------------------------------------------

    def transfer(self, row: dict[str, Any]) -> tuple[str, str] | None:
        route, team = self.decisions.get(row["decision_id"], (None, None))
        if route is not None and route not in _SENT_TO_A_TEAM:
            return (
                "decision_id",
                f"the decision routes the child to {_ROUTES[route].lower()}, which sends them to no team",
            )
        if route is not None and team != row["team_id"]:
            return "team_id", f"{row['team_id']} is not the team the decision sends the child to ({team})"
        status, responded = row["status"], row["responded_at"]
        if status == Transfer.Status.DECLINED and not row["decline_reason"]:
            return "decline_reason", "is required when the team declined: the front door needs to know why"
        if status == Transfer.Status.PENDING and responded is not None:
            return "responded_at", "must be empty while the transfer waits for the team"
        if status != Transfer.Status.PENDING and responded is None:
            return "responded_at", f"is required for a transfer the team has {status}"
        if responded is not None and responded < row["sent_at"]:
            return "responded_at", f"{responded.isoformat()} is before the transfer was sent"
        return None


def tables() -> tuple[t.Table, ...]:
    """The front door's tables, in load order, for one load."""
    load = _Load()
    return (
        t.Table(
            "referrals",
            {
                "referral_id": t.uuid_(),
                "reference": t.text(20),
                "person_id": t.uuid_(),
                # A snapshot holds no user accounts: the practitioner who referred is named instead.
                "referrer_practitioner_id": t.uuid_(),
                "referrer_name": t.text(200),
                "referrer_agency_id": t.uuid_(),
                "received_at": t.moment(),
                "story": t.text(20_000, multiline=True),
                "child_wants": t.text(5_000, False, multiline=True),
                "family_wants": t.text(5_000, False, multiline=True),
                "consent": t.code(v.CONSENT),
                "consent_reason": t.text(5_000, False, multiline=True),
                "status": t.code(_codes(Referral.Status.choices)),
                "possible_duplicate_of_id": t.uuid_(False),
                "closed_at": t.moment(False),
                "allocation_id": t.uuid_(False),
            },
            key="referral_id",
            references={
                "person_id": "people",
                "referrer_practitioner_id": "practitioners",
                "referrer_agency_id": "agencies",
                "allocation_id": "allocations",
            },
            checks=(load.consent_reason, load.closed, load.duplicate),
            unique=(("reference",),),
            model=Referral,
            renames={"referral_id": "id"},
        ),
        t.Table(
            "referral_reasons",
            {"referral_id": t.uuid_(), "reason": t.code(v.REFERRAL_REASON)},
            references={"referral_id": "referrals"},
            unique=(("referral_id", "reason"),),
            model=ReferralReason,
            replace_by="referral_id",
        ),
        t.Table(
            "referral_family_members",
            {"referral_id": t.uuid_(), "person_id": t.uuid_(), "relationship": t.code(v.RELATIONSHIP_KIND)},
            references={"referral_id": "referrals", "person_id": "people"},
            model=ReferralFamilyMember,
            replace_by="referral_id",
        ),
        t.Table(
            "decisions",
            {
                "decision_id": t.uuid_(),
                "referral_id": t.uuid_(),
                "decided_by_practitioner_id": t.uuid_(),
                "decided_at": t.moment(),
                "level": t.number(int, True, minimum=1, maximum=4),
                "previous_level": t.number(int, minimum=1, maximum=4),
                "change": t.code(_codes(Decision.Change.choices)),
                "rationale": t.text(20_000, multiline=True),
                "route": t.code(v.ROUTE),
                "programme": programme_slug_reader(required=False),
                "team_id": t.uuid_(False),
                "outcome_for_referrer": t.text(5_000, multiline=True),
            },
            key="decision_id",
            references={
                "referral_id": "referrals",
                "decided_by_practitioner_id": "practitioners",
                "team_id": "teams",
            },
            checks=(load.route, load.change, load.decided_after_received),
            model=Decision,
            renames={"decision_id": "id", "programme": "programme_id"},
        ),
        t.Table(
            "transfers",
            {
                "transfer_id": t.uuid_(),
                "decision_id": t.uuid_(),
                "team_id": t.uuid_(),
                "sent_at": t.moment(),
                "status": t.code(_codes(Transfer.Status.choices)),
                "responded_at": t.moment(False),
                "decline_reason": t.text(5_000, False, multiline=True),
            },
            key="transfer_id",
            references={"decision_id": "decisions", "team_id": "teams"},
            checks=(load.transfer,),
            model=Transfer,
            renames={"transfer_id": "id"},
        ),
        t.Table(
            "waiting_list_entries",
            {
                "waiting_list_entry_id": t.uuid_(),
                "referral_id": t.uuid_(),
                "programme": programme_slug_reader(required=True),
                "team_id": t.uuid_(),
                "start_date": t.date(),
                "end_date": t.date(False),
                "outcome": t.text(200, False),
            },
            key="waiting_list_entry_id",
            references={"referral_id": "referrals", "team_id": "teams"},
            checks=(t.ends_on_or_after_start,),
            model=WaitingListEntry,
            renames={"waiting_list_entry_id": "id", "programme": "programme_id"},
        ),
        t.Table(
            "school_offers",
            {
                "school_offer_id": t.uuid_(),
                "agency_id": t.uuid_(),
                "offer": t.code(v.SCHOOL_OFFER),
                "on": t.date(),
                "note": t.text(300, False),
            },
            key="school_offer_id",
            references={"agency_id": "agencies"},
            model=SchoolOffer,
            renames={"school_offer_id": "id"},
        ),
    )
