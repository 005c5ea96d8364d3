"""Turning the generated arrays into the Parquet tables of the file contract."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.synth import _arrays as arr
from continuum.synth import _casework as cwork
from continuum.synth import _frontdoor as fdoor
from continuum.synth._agencies import AGENCY_KINDS, ROLES, Organisation, Staff
from continuum.synth._families import CHILD, ETHNICITIES, FEMALE, LANGUAGES, SEXES, STRUCTURES, Population
from continuum.synth._families import ROLES as HOUSEHOLD_ROLES
from continuum.synth._geography import Addresses, locality_names, town_names
from continuum.synth._namebook import NameBook
from continuum.synth._places import PHASES, PLACE_KINDS, Places, Schools
from continuum.synth._relationships import CONFIDENCES, Relationships
from continuum.synth._relationships import KINDS as RELATIONSHIP_KINDS
from continuum.synth._services import ALLOCATION_KINDS, SEND_CODES, Allocations, Services
from continuum.synth._services import KINDS as INVOLVEMENT_KINDS

_STRING = pa.string()


def _ids(seed: int, table: str, n: int) -> pa.Array:
    return arr.uuids(arr.stream(seed, f"ids.{table}"), n)


def _codes(names: list[str], index: np.ndarray) -> pa.Array:
    return arr.pick(names, index)


def _nullable_int(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    return pa.array(values, type=pa.int64(), mask=values < 0)


def _ref(ids: pa.Array, index: np.ndarray) -> pa.Array:
    """The id at each index, null where the index is -1."""
    return arr.pick(ids, np.asarray(index, dtype=np.int64))


def _end_date(days: np.ndarray) -> pa.Array:
    """End dates, null where the day is -1 (still open; every real end in the county is after 1970)."""
    days = np.asarray(days, dtype=np.int64)
    return arr.dates(days, days != -1)


class Ids:
    """Every entity's UUID, each table's drawn from its own stream."""

    def __init__(self, seed: int, pop: Population, org: Organisation, staff: Staff, places: Places) -> None:
        self.agency = _ids(seed, "agencies", len(org.agency_name))
        self.team = _ids(seed, "teams", len(org.team_name))
        self.practitioner = _ids(seed, "practitioners", len(staff.role))
        self.place = _ids(seed, "places", len(places.kind))
        self.household = _ids(seed, "households", pop.households)
        self.person = _ids(seed, "people", pop.people)
        self.family = _ids(seed, "families", pop.households + pop.people)


def build(
    seed: int,
    pop: Population,
    addresses: Addresses,
    schools: Schools,
    places: Places,
    org: Organisation,
    staff: Staff,
    services: Services,
    allocations: Allocations,
    relationships: Relationships,
    front_door: fdoor.FrontDoor,
    casework: cwork.Casework,
    book: NameBook,
    step: Callable[[str], None],
) -> dict[str, pa.Table]:
    """All tables of the contract, keyed by their path under the output directory (without .parquet)."""
    ids = Ids(seed, pop, org, staff, places)
    towns, localities = town_names(), locality_names()
    tables: dict[str, pa.Table] = {}

    school_of_agency = org.agency_school
    is_school = school_of_agency >= 0
    school = np.maximum(school_of_agency, 0)
    tables["agencies"] = pa.table(
        {
            "agency_id": ids.agency,
            "name": pa.array(org.agency_name, type=_STRING),
            "kind": _codes(AGENCY_KINDS, org.agency_kind),
            "locality": _codes(localities, org.agency_locality),
            "school_phase": _codes(PHASES, np.where(is_school, schools.phase[school], -1)),
            "urn": arr.pick(arr.fixed_width(arr.digits(schools.urn, 6)), np.where(is_school, school, -1)),
            "place_id": _ref(ids.place, np.where(is_school, schools.place[school], -1)),
            # Ofcom keeps 01632 960000-960999 for drama: no real line rings.
            "contact_phone": pa.array([f"01632 960{i % 1000:03d}" for i in range(len(org.agency_name))], _STRING),
            "contact_email": pa.array(
                [f"enquiries.{i + 1}@example.org" for i in range(len(org.agency_name))], type=_STRING
            ),
        }
    )
    tables["teams"] = pa.table(
        {
            "team_id": ids.team,
            "agency_id": _ref(ids.agency, org.team_agency),
            "name": pa.array(org.team_name, type=_STRING),
            "locality": _codes(localities, org.team_locality),
        }
    )
    tables["practitioners"] = pa.table(
        {
            "practitioner_id": ids.practitioner,
            "given_name": staff.given,
            "family_name": staff.family,
            "email": staff.email,
            "role": _codes(ROLES, staff.role),
            "agency_id": _ref(ids.agency, staff.agency),
            "team_id": _ref(ids.team, staff.team),
            "caseload_capacity": _nullable_int(staff.capacity),
        }
    )
    tables["places"] = pa.table(
        {
            "place_id": ids.place,
            "kind": _codes(PLACE_KINDS, places.kind),
            "name": places.name,
            "locality": _codes(localities, places.locality),
            "postcode": places.postcode,
            "x": pa.array(np.round(places.x, 1)),
            "y": pa.array(np.round(places.y, 1)),
        }
    )
    tables["households"] = pa.table(
        {
            "household_id": ids.household,
            "structure": _codes(STRUCTURES, pop.structure),
            "address_line": addresses.address_line,
            "town": _codes(towns, addresses.town),
            "locality": _codes(localities, addresses.locality),
            "postcode": addresses.postcode,
            "x": pa.array(np.round(addresses.x, 1)),
            "y": pa.array(np.round(addresses.y, 1)),
        }
    )
    step("people")
    tables["people"], given, family = _people(pop, services, book, ids)
    tables["addresses"] = _addresses(pop, addresses, ids, towns)
    tables["household_members"] = _members(pop, ids)
    step("histories")
    order = np.lexsort((relationships.target, relationships.source))
    tables["relationships"] = pa.table(
        {
            "relationship_id": _ids(seed, "relationships", len(order)),
            "from_person_id": _ref(ids.person, relationships.source[order]),
            "to_person_id": _ref(ids.person, relationships.target[order]),
            "kind": _codes(RELATIONSHIP_KINDS, relationships.kind[order]),
            "start_date": arr.dates(relationships.start[order]),
            "end_date": _end_date(relationships.end[order]),
            "source": pa.array(np.full(len(order), "synthetic", dtype=object), type=_STRING),
            "confidence": _codes(CONFIDENCES, relationships.confidence[order]),
        }
    )
    rows = services.involvements
    order = np.lexsort((rows.kind, rows.start, rows.person))
    tables["involvements"] = pa.table(
        {
            "involvement_id": _ids(seed, "involvements", len(order)),
            "person_id": _ref(ids.person, rows.person[order]),
            "agency_id": _ref(ids.agency, rows.agency[order]),
            "kind": _codes(INVOLVEMENT_KINDS, rows.kind[order]),
            "start_date": arr.dates(rows.start[order]),
            "end_date": _end_date(rows.end[order]),
            "team_id": _ref(ids.team, rows.team[order]),
            "lead_practitioner_id": _ref(ids.practitioner, rows.lead[order]),
        }
    )
    order = np.lexsort((allocations.kind, allocations.start, allocations.person))
    allocation_ids = _ids(seed, "allocations", len(order))
    tables["allocations"] = pa.table(
        {
            "allocation_id": allocation_ids,
            "person_id": _ref(ids.person, allocations.person[order]),
            "practitioner_id": _ref(ids.practitioner, allocations.practitioner[order]),
            "kind": _codes(ALLOCATION_KINDS, allocations.kind[order]),
            "start_date": arr.dates(allocations.start[order]),
            "end_date": _end_date(allocations.end[order]),
        }
    )
    # The extended family: households joined by a parent; an unaccompanied child is a family of one.
    family_label = np.where(
        pop.birth_household >= 0, pop.family[np.maximum(pop.birth_household, 0)], pop.households + np.arange(pop.people)
    )
    tables["truth/people"] = pa.table(
        {
            "person_id": ids.person,
            "family_id": _ref(ids.family, family_label),
            "household_id": _ref(ids.household, pop.household),
            "structure": _codes(STRUCTURES, pop.structure[pop.household]),
            "birth_mother_id": _ref(ids.person, np.where(pop.mother >= 0, pop.mother, -1)),
            "birth_father_id": _ref(ids.person, np.where(pop.father >= 0, pop.father, -1)),
            "true_given_name": given,
            "true_family_name": family,
            "true_date_of_birth": arr.dates(pop.true_dob),
        }
    )
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))  # where each allocation, by its index, sits in the table
    allocated = front_door.allocation >= 0
    allocation_of = np.full(len(allocated), -1)
    allocation_of[allocated] = position[front_door.allocation[allocated]]
    tables.update(
        _front_door(seed, front_door, ids, _ref(allocation_ids, allocation_of), tables["people"], pop, org, staff, book)
    )
    referral_ids = tables["referrals"]["referral_id"].combine_chunks()
    decision_ids = tables["decisions"]["decision_id"].combine_chunks()
    tables.update(_casework(seed, casework, ids, referral_ids, decision_ids, allocation_ids.take(pa.array(position))))
    return tables


def _people(pop: Population, services: Services, book: NameBook, ids: Ids) -> tuple[pa.Table, pa.Array, pa.Array]:
    given = book.given.take(pa.array(pop.given))
    first_middle = arr.pick(book.given, pop.middle[:, 0])
    second_middle = arr.pick(book.given, pop.middle[:, 1])
    middle = pc.coalesce(arr.join(first_middle, second_middle, sep=" "), first_middle, second_middle)
    female = pa.array(pop.sex == FEMALE)
    surname = pa.array(np.maximum(pop.family_name, 0))
    family = pc.if_else(female, book.family_feminine.take(surname), book.family_masculine.take(surname))
    second = pa.array(np.maximum(pop.family_name_second, 0))
    second_name = pc.if_else(female, book.family_feminine.take(second), book.family_masculine.take(second))
    family = arr.choose(pop.family_name_second >= 0, arr.join(family, second_name, sep="-"), family)
    table = pa.table(
        {
            "person_id": ids.person,
            "given_name": given,
            "middle_names": middle,
            "family_name": family,
            "known_as": arr.pick(book.nicknames, pop.known_as),
            "date_of_birth": arr.dates(pop.dob),
            "dob_approximate": pa.array(pop.dob_approximate, type=pa.bool_()),
            "sex": _codes(SEXES, pop.sex),
            "ethnicity": _codes(ETHNICITIES, pop.ethnicity),
            "first_language": _codes(LANGUAGES, pop.language),
            "nhs_number": pop.nhs_number,
            "upn": arr.pick(services.upns, services.upn_of),
            "send_status": _codes(SEND_CODES, pop.send),
            "is_child": pa.array(pop.is_child, type=pa.bool_()),
            "household_id": _ref(ids.household, pop.household),
        }
    )
    return table, given, family


def _memberships(pop: Population) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(person, household, role, start, end) for every membership, current (end -1) and past."""
    former = pop.former_members
    person = np.concatenate([np.arange(pop.people), former.source])
    household = np.concatenate([pop.household, former.target])
    # A former member was a child of the household, or (a father who moved out) a parent in it.
    former_role = np.where(pop.is_child[former.source], CHILD, HOUSEHOLD_ROLES.index("parent"))
    role = np.concatenate([pop.role, former_role])
    start = np.concatenate([pop.member_since, former.start])
    end = np.concatenate([np.full(pop.people, -1), former.end])
    return person, household, role, start, end


def _members(pop: Population, ids: Ids) -> pa.Table:
    person, household, role, start, end = _memberships(pop)
    order = np.lexsort((start, person, household))
    return pa.table(
        {
            "household_id": _ref(ids.household, household[order]),
            "person_id": _ref(ids.person, person[order]),
            "household_role": _codes(HOUSEHOLD_ROLES, role[order]),
            "start_date": arr.dates(start[order]),
            "end_date": _end_date(end[order]),
        }
    )


def _addresses(pop: Population, addresses: Addresses, ids: Ids, towns: list[str]) -> pa.Table:
    """Each person's addresses: those of the households they belonged to, over the time they belonged.

    A household that moved recently lived before at one or two other addresses (each the current
    address of some other household); a member is shown at each address for the part of their
    membership that overlaps the household's time there.
    """
    person, household, _, joined, left = _memberships(pop)
    left = np.where(left < 0, np.iinfo(np.int64).max, left)
    moved = addresses.moved_on[household] >= 0
    never = np.iinfo(np.int64).min
    moved_on = np.where(moved, addresses.moved_on[household], never)
    earlier_on = addresses.earlier_moved_on[household]
    # (which household's address, period start, period end) for current, earlier and earliest address.
    periods = (
        (household, moved_on, np.full(len(household), np.iinfo(np.int64).max)),
        (addresses.earlier[household, 0], earlier_on, moved_on),
        (addresses.earlier[household, 1], earlier_on - (3 * 365), earlier_on),
    )
    parts = []
    for at, begins, ends in periods:
        start = np.maximum(joined, begins)
        end = np.minimum(left, ends)
        ok = (at >= 0) & (end > start)
        parts.append((person[ok], at[ok], start[ok], end[ok]))
    person, at, start, end = (np.concatenate([p[i] for p in parts]) for i in range(4))
    end = np.where(end == np.iinfo(np.int64).max, -1, end)
    order = np.lexsort((start, person))
    person, at, start, end = person[order], at[order], start[order], end[order]
    index = pa.array(at)
    return pa.table(
        {
            "person_id": _ref(ids.person, person),
            "address_line": addresses.address_line.take(index),
            "town": _codes(towns, addresses.town[at]),
            "postcode": addresses.postcode.take(index),
            "start_date": arr.dates(start),
            "end_date": _end_date(end),
        }
    )


def _instants(seconds: np.ndarray) -> pa.Array:
    """UTC instants as 'YYYY-MM-DDTHH:MM:SSZ', null where the value is -1."""
    seconds = np.asarray(seconds, dtype=np.int64)
    present = seconds >= 0
    days, rest = np.divmod(np.maximum(seconds, 0), fdoor.DAY)
    year, month, day = arr.calendar(days)
    n = len(seconds)

    def sep(char: str) -> np.ndarray:
        return np.full((n, 1), ord(char), dtype=np.uint8)

    chars = np.concatenate(
        [
            arr.digits(year, 4),
            sep("-"),
            arr.digits(month, 2),
            sep("-"),
            arr.digits(day, 2),
            sep("T"),
            arr.digits(rest // 3600, 2),
            sep(":"),
            arr.digits(rest // 60 % 60, 2),
            sep(":"),
            arr.digits(rest % 60, 2),
            sep("Z"),
        ],
        axis=1,
    )
    return arr.pick(arr.fixed_width(chars), np.where(present, np.arange(n), -1))


def _text(values: np.ndarray) -> pa.Array:
    """Python strings, null where empty."""
    return pa.array([v or None for v in values.tolist()], type=_STRING)


def _front_door(
    seed: int,
    fd: fdoor.FrontDoor,
    ids: Ids,
    allocation_id: pa.Array,
    people: pa.Table,
    pop: Population,
    org: Organisation,
    staff: Staff,
    book: NameBook,
) -> dict[str, pa.Table]:
    """The front door's tables: referrals with their reasons and family, decisions, transfers, waiting-list
    entries and the offers schools took up; and in truth/ the child's details as the referrer typed them."""
    n = len(fd.person)
    referral_ids = _ids(seed, "referrals", n)
    decision_ids = _ids(seed, "decisions", len(fd.decided))
    # References count up within each calendar year of receipt (local time): FD-2025-000123.
    year = arr.calendar(fd.received // fdoor.DAY)[0]
    serial = arr.group_arange(np.unique(year, return_counts=True)[1]) + 1  # received in order
    reference = arr.join("FD-", arr.integers_as_text(year), "-", arr.fixed_width(arr.digits(serial, 6)))
    referrer_name = pc.coalesce(
        arr.join(arr.pick(staff.given, fd.referrer), arr.pick(staff.family, fd.referrer), sep=" "),
        arr.pick(org.agency_name, fd.agency),
    )
    stories = [text for reason in fdoor.REASONS for text in fdoor.STORIES[reason]] + list(fdoor.STEP_UP_STORIES)
    story = fd.story[:, 0] * 3 + fd.story[:, 1]
    tables = {
        "referrals": pa.table(
            {
                "referral_id": referral_ids,
                "reference": reference,
                "person_id": _ref(ids.person, fd.person),
                "referrer_practitioner_id": _ref(ids.practitioner, fd.referrer),
                "referrer_name": referrer_name,
                "referrer_agency_id": _ref(ids.agency, fd.agency),
                "received_at": _instants(fd.received),
                "story": arr.pick(stories, story),
                "child_wants": arr.pick(fdoor.CHILD_WANTS, np.where(fd.child_wants > 0, fd.child_wants, -1)),
                "family_wants": arr.pick(fdoor.FAMILY_WANTS, np.where(fd.family_wants > 0, fd.family_wants, -1)),
                "consent": _codes(fdoor.CONSENTS, fd.consent),
                "consent_reason": arr.pick(fdoor.NOT_SOUGHT_REASONS, fd.consent_reason),
                "status": _codes(fdoor.STATUSES, fd.status),
                "possible_duplicate_of_id": _ref(referral_ids, fd.duplicate_of),
                "closed_at": _instants(fd.closed),
                "allocation_id": allocation_id,
            }
        ),
        "referral_reasons": pa.table(
            {"referral_id": _ref(referral_ids, fd.reason_referral), "reason": _codes(fdoor.REASONS, fd.reason)}
        ),
        "referral_family_members": pa.table(
            {
                "referral_id": _ref(referral_ids, fd.family_referral),
                "person_id": _ref(ids.person, fd.family_person),
                "relationship": _codes(RELATIONSHIP_KINDS, fd.family_kind),
            }
        ),
        "decisions": pa.table(
            {
                "decision_id": decision_ids,
                "referral_id": _ref(referral_ids, fd.decision_referral),
                "decided_by_practitioner_id": _ref(ids.practitioner, fd.decider),
                "decided_at": _instants(fd.decided),
                "level": pa.array(fd.level, type=pa.int64()),
                "previous_level": _nullable_int(fd.previous_level),
                "change": _codes(fdoor.CHANGES, fd.change),
                "rationale": pa.array(fd.rationale.tolist(), type=_STRING),
                "route": _codes(fdoor.ROUTES, fd.route),
                "programme": _codes(fdoor.PROGRAMMES, fd.programme),
                "team_id": _ref(ids.team, fd.decision_team),
                "outcome_for_referrer": arr.pick([fdoor.OUTCOMES[r] for r in range(len(fdoor.ROUTES))], fd.route),
            }
        ),
        "transfers": pa.table(
            {
                "transfer_id": _ids(seed, "transfers", len(fd.sent)),
                "decision_id": _ref(decision_ids, fd.transfer_decision),
                "team_id": _ref(ids.team, fd.transfer_team),
                "sent_at": _instants(fd.sent),
                "status": _codes(fdoor.TRANSFER_STATUSES, fd.transfer_status),
                "responded_at": _instants(fd.responded),
                "decline_reason": _text(fd.decline_reason),
            }
        ),
        "waiting_list_entries": pa.table(
            {
                "waiting_list_entry_id": _ids(seed, "waiting_list_entries", len(fd.wait_referral)),
                "referral_id": _ref(referral_ids, fd.wait_referral),
                "programme": _codes(fdoor.PROGRAMMES, fd.wait_programme),
                "team_id": _ref(ids.team, fd.wait_team),
                "start_date": arr.dates(fd.wait_start),
                "end_date": _end_date(fd.wait_end),
                "outcome": _text(fd.wait_outcome),
            }
        ),
        "school_offers": pa.table(
            {
                "school_offer_id": _ids(seed, "school_offers", len(fd.offer_agency)),
                "agency_id": _ref(ids.agency, fd.offer_agency),
                "offer": _codes(fdoor.OFFERS, fd.offer_kind),
                "on": arr.dates(fd.offer_day),
                "note": pa.array(fd.offer_note.tolist(), type=_STRING),
            }
        ),
    }
    tables["truth/referral_details"] = _as_typed(seed, fd, referral_ids, ids, people, pop, book)
    return tables


# How often the child's details as the referrer typed them differ from the record (assumption): a
# nickname or the name the child goes by, a typo, the other parent's surname, day and month swapped.
_TYPED = {
    "nickname": 0.35,
    "given_name_typo": 0.04,
    "family_name_typo": 0.08,
    "other_surname": 0.05,
    "day_month_swapped": 0.05,
    "date_of_birth_off_by_one_day": 0.03,
    "date_of_birth_unknown": 0.02,
}
_VOWELS = "aeiou"


def _typo(name: str, op: int, at: float) -> str:
    """One slip of the keyboard: two letters swapped, one dropped or doubled, or a vowel changed."""
    if len(name) < 3:
        return name + name[-1:]
    i = 1 + int(at * (len(name) - 2))  # never the first letter: people rarely get that wrong
    if op == 0 and name[i] != name[i + 1 : i + 2]:
        out = name[:i] + name[i + 1 : i + 2] + name[i] + name[i + 2 :]
    elif op == 1:
        out = name[:i] + name[i + 1 :]
    elif op == 2:
        out = name[: i + 1] + name[i:]
    else:
        vowels = [j for j in range(1, len(name)) if name[j].lower() in _VOWELS]
        j = vowels[int(at * len(vowels))] if vowels else i
        out = name[:j] + _VOWELS[(_VOWELS.find(name[j].lower()) + 1) % 5] + name[j + 1 :]
    return out if out != name else name[:i] + name[i + 1 :]


def _as_typed(
    seed: int, fd: fdoor.FrontDoor, referral_ids: pa.Array, ids: Ids, people: pa.Table, pop: Population, book: NameBook
) -> pa.Table:
    """The child's name and date of birth as the referrer typed them, and what differs from the record.

    The referral itself names the true person (tell-it-once found them); this is what the search had to
    find them from.
    """
    rng = arr.stream(seed, "frontdoor.typed")
    n = len(fd.person)
    draw = {change: rng.random(n) < p for change, p in _TYPED.items()}
    take = pa.array(fd.person)
    given = people["given_name"].take(take).to_pylist()
    family = people["family_name"].take(take).to_pylist()
    known_as = people["known_as"].take(take).to_pylist()
    nickname = arr.pick(book.nicknames, book.draw_nickname(rng, pop.given[fd.person])).to_pylist()
    mother = pop.mother[fd.person]
    mothers_name = arr.pick(people["family_name"].combine_chunks(), np.where(mother >= 0, mother, -1)).to_pylist()
    born = pop.dob[fd.person]
    _, month, day_of_month = arr.calendar(born)
    ops, places = rng.integers(0, 4, (n, 2)), rng.random((n, 2))
    shift = np.where(rng.random(n) < 0.5, -1, 1)
    typed_given: list[str] = []
    typed_family: list[str] = []
    changes: list[list[str]] = []
    for i in range(n):
        changed = []
        first, last = given[i], family[i]
        short = known_as[i] or nickname[i]
        if draw["nickname"][i] and short and short != first:
            first = short
            changed.append("nickname")
        if draw["given_name_typo"][i]:
            first = _typo(first, int(ops[i, 0]), float(places[i, 0]))
            changed.append("given_name_typo")
        if draw["other_surname"][i] and mothers_name[i] and mothers_name[i] != last:
            last = mothers_name[i]
            changed.append("other_surname")
        if draw["family_name_typo"][i]:
            last = _typo(last, int(ops[i, 1]), float(places[i, 1]))
            changed.append("family_name_typo")
        typed_given.append(first)
        typed_family.append(last)
        changes.append(changed)
    swap = draw["day_month_swapped"] & (day_of_month <= 12) & (day_of_month != month)
    year = arr.calendar(born)[0]
    swapped = (
        np.array(
            [f"{y:04d}-{d:02d}-{m:02d}" for y, m, d in zip(year[swap], month[swap], day_of_month[swap], strict=True)]
        )
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    typed_born = born.copy()
    typed_born[swap] = swapped
    off = draw["date_of_birth_off_by_one_day"] & ~swap
    typed_born[off] += shift[off]
    unknown = draw["date_of_birth_unknown"] & ~swap & ~off
    for change, rows in (
        ("day_month_swapped", swap),
        ("date_of_birth_off_by_one_day", off),
        ("date_of_birth_unknown", unknown),
    ):
        for row in np.flatnonzero(rows).tolist():
            changes[row].append(change)
    return pa.table(
        {
            "referral_id": referral_ids,
            "person_id": _ref(ids.person, fd.person),
            "given_name": pa.array(typed_given, type=_STRING),
            "family_name": pa.array(typed_family, type=_STRING),
            "date_of_birth": arr.dates(typed_born, ~unknown),
            "changes": pa.array([";".join(c) for c in changes], type=_STRING),
        }
    )


def _casework(
    seed: int, cw: cwork.Casework, ids: Ids, referral_ids: pa.Array, decision_ids: pa.Array, allocation_ids: pa.Array
) -> dict[str, pa.Table]:
    """Episodes of support and everything in them, and the questionnaires (columns in docs/county-format.md)."""
    n = len(cw.person)
    episode_ids = _ids(seed, "episodes", n)
    t = cw.tables
    closure = cw.closure
    step_down = [cwork.STEP_DOWN_TO[i] for i in range(len(cwork.STEP_DOWN_TO))]
    tables: dict[str, pa.Table] = {
        "episodes": pa.table(
            {
                "episode_id": episode_ids,
                "reference": pa.array(cw.reference, type=_STRING),
                "person_id": _ref(ids.person, cw.person),
                "programme": _codes(cwork.PROGRAMMES, cw.programme),
                "lead_practitioner_id": _ref(ids.practitioner, cw.lead),
                "team_id": _ref(ids.team, cw.team),
                "referral_id": _ref(referral_ids, cw.referral),
                "decision_id": _ref(decision_ids, cw.decision),
                "allocation_id": _ref(allocation_ids, cw.allocation),
                "start_date": arr.dates(cw.start),
                "end_date": _end_date(cw.end),
                "level_at_start": pa.array(cw.level, type=pa.int64()),
                "level_at_close": _nullable_int(cw.level_close),
                "closure_reason": _codes(cwork.CLOSURES, closure),
                "closure_note": arr.pick(
                    [cwork.CLOSURE_NOTE_OTHER], np.where(closure == cwork.CLOSURES.index("other"), 0, -1)
                ),
                "step_down_to": _codes(cwork.STEP_DOWN_TO, cw.step_down),
                "step_down_note": arr.pick([cwork.STEP_DOWN_NOTES[c] for c in step_down], cw.step_down),
                "step_up_referral_id": _ref(referral_ids, cw.step_up_referral),
                "next_session_on": _end_date(
                    cw.next_session if cw.next_session is not None else np.full(len(cw.person), -1)
                ),
            }
        )
    }
    f = t["episode_family_members"]
    tables["episode_family_members"] = pa.table(
        {
            "episode_id": _ref(episode_ids, f["episode"]),
            "person_id": _ref(ids.person, f["person"]),
            "relationship": _codes(RELATIONSHIP_KINDS, f["kind"]),
        }
    )
    m = t["team_members"]
    tables["team_members"] = pa.table(
        {
            "team_member_id": _ids(seed, "team_members", len(m["episode"])),
            "episode_id": _ref(episode_ids, m["episode"]),
            "practitioner_id": _ref(ids.practitioner, m["practitioner"]),
            "role": _codes(list(cwork.TAF_ROLES.values()), m["role"]),
            "start_date": arr.dates(m["start"]),
            "end_date": _end_date(m["end"]),
        }
    )
    a = t["assessments"]
    assessment_ids = _ids(seed, "assessments", len(a["episode"]))
    tables["assessments"] = pa.table(
        {
            "assessment_id": assessment_ids,
            "episode_id": _ref(episode_ids, a["episode"]),
            "previous_assessment_id": _ref(assessment_ids, a["previous"]),
            "completed_on": arr.dates(a["day"]),
            "assessor_practitioner_id": _ref(ids.practitioner, cw.lead[a["episode"]]),
            "child_words": _codes(list(cwork.CHILD_WORDS), a["child_words"]),
            "parent_words": _codes(list(cwork.PARENT_WORDS), a["parent_words"]),
            "summary": _codes(list(cwork.SUMMARIES), a["summary"]),
            "proposed_level": pa.array(a["level"], type=pa.int64()),
        }
    )
    d = t["assessment_domains"]
    strengths = [s for domain in cwork.DOMAINS for s in cwork.STRENGTHS[domain]]
    needs = [s for domain in cwork.DOMAINS for s in cwork.NEEDS[domain]]
    tables["assessment_domains"] = pa.table(
        {
            "assessment_id": _ref(assessment_ids, d["assessment"]),
            "domain": _codes(cwork.DOMAINS, d["domain"]),
            "concern": pa.array(d["concern"], type=pa.int64()),
            "strengths": _codes(strengths, d["domain"] * 3 + d["strength"]),
            "needs": _codes(needs, np.where(d["need"] >= 0, d["domain"] * 3 + d["need"], -1)),
            "areas": d["areas"],
        }
    )
    p = t["plans"]
    plan_ids = _ids(seed, "plans", len(p["episode"]))
    tables["plans"] = pa.table(
        {
            "plan_id": plan_ids,
            "episode_id": _ref(episode_ids, p["episode"]),
            "assessment_id": _ref(assessment_ids, p["assessment"]),
            "agreed_on": arr.dates(p["agreed"]),
            "review_every_weeks": pa.array(p["weeks"], type=pa.int64()),
            "next_review_due": arr.dates(p["next_due"]),
            "child_views": _codes(list(cwork.PLAN_CHILD_VIEWS), p["child_views"]),
            "family_views": _codes(list(cwork.PLAN_FAMILY_VIEWS), p["family_views"]),
        }
    )
    g = t["goals"]
    goal_ids = _ids(seed, "goals", len(g["plan"]))
    tables["goals"] = pa.table(
        {
            "goal_id": goal_ids,
            "plan_id": _ref(plan_ids, g["plan"]),
            "description": _codes([x[0] for x in cwork.GOALS], g["text"]),
            "success_looks_like": _codes([x[1] for x in cwork.GOALS], g["text"]),
            "who": _codes([x[2] for x in cwork.GOALS], g["text"]),
            "target_date": arr.dates(g["target"]),
            "agreed_with": _codes(cwork.VOICES, g["with"]),
            "achieved_on": _end_date(g["achieved"]),
        }
    )
    r = t["goal_ratings"]
    tables["goal_ratings"] = pa.table(
        {
            "goal_id": _ref(goal_ids, r["goal"]),
            "rated_on": arr.dates(r["day"]),
            "rating": pa.array(r["rating"], type=pa.int64()),
            "rated_by": _codes(cwork.RATED_BY, r["by"]),
        }
    )
    v = t["reviews"]
    tables["reviews"] = pa.table(
        {
            "review_id": _ids(seed, "reviews", len(v["episode"])),
            "episode_id": _ref(episode_ids, v["episode"]),
            "held_on": arr.dates(v["day"]),
            "child_views": _codes(list(cwork.REVIEW_CHILD_VIEWS), v["child_views"]),
            "family_views": _codes(list(cwork.REVIEW_FAMILY_VIEWS), v["family_views"]),
            "summary": _codes(list(cwork.REVIEW_SUMMARIES), v["summary"]),
            "next_review_due": _end_date(v["next_due"]),
            "reviewed_by_practitioner_id": _ref(ids.practitioner, cw.lead[v["episode"]]),
        }
    )
    s = t["sessions"]
    tables["sessions"] = pa.table(
        {
            "session_id": _ids(seed, "sessions", len(s["episode"])),
            "episode_id": _ref(episode_ids, s["episode"]),
            "held_on": arr.dates(s["day"]),
            "kind": _codes(cwork.SESSION_TYPES, s["kind"]),
            "attendance": _codes(cwork.ATTENDANCE, s["attendance"]),
            "duration_minutes": _nullable_int(s["minutes"]),
            "practitioner_id": _ref(ids.practitioner, cw.lead[s["episode"]]),
            "case_note": _codes(cwork.CASE_NOTES, s["note"]),
        }
    )
    c = t["cohorts"]
    cohort_ids = _ids(seed, "cohorts", len(c["team"]))
    tables["cohorts"] = pa.table(
        {
            "cohort_id": cohort_ids,
            "programme": pa.array([cwork.GROUP_PROGRAMME] * len(c["team"]), type=_STRING),
            "name": pa.array(c["name"].tolist(), type=_STRING),
            "venue": pa.array(c["venue"].tolist(), type=_STRING),
            "start_date": arr.dates(c["start"]),
            "end_date": _end_date(c["end"]),
            "planned_sessions": pa.array(np.full(len(c["team"]), cwork.COURSE_SESSIONS), type=pa.int64()),
        }
    )
    cf = t["cohort_facilitators"]
    tables["cohort_facilitators"] = pa.table(
        {"cohort_id": _ref(cohort_ids, cf["cohort"]), "practitioner_id": _ref(ids.practitioner, cf["practitioner"])}
    )
    cm = t["cohort_members"]
    tables["cohort_members"] = pa.table(
        {
            "cohort_id": _ref(cohort_ids, cm["cohort"]),
            "episode_id": _ref(episode_ids, cm["episode"]),
            "joined_on": arr.dates(cm["joined"]),
            "left_on": _end_date(cm["left"]),
        }
    )
    cs = t["cohort_sessions"]
    tables["cohort_sessions"] = pa.table(
        {
            "cohort_id": _ref(cohort_ids, cs["cohort"]),
            "number": pa.array(cs["number"], type=pa.int64()),
            "held_on": arr.dates(cs["day"]),
        }
    )
    ca = t["cohort_attendance"]
    tables["cohort_attendance"] = pa.table(
        {
            "cohort_id": _ref(cohort_ids, ca["cohort"]),
            "number": pa.array(ca["number"], type=pa.int64()),
            "episode_id": _ref(episode_ids, ca["episode"]),
            "attended": pa.array(ca["attended"], type=pa.bool_()),
        }
    )
    fb = t["feedback"]
    tables["closure_feedback"] = pa.table(
        {
            "feedback_id": _ids(seed, "closure_feedback", len(fb["episode"])),
            "episode_id": _ref(episode_ids, fb["episode"]),
            "given_by": _codes(cwork.VOICES, fb["by"]),
            "given_on": arr.dates(fb["day"]),
            "helpfulness": pa.array(fb["helpfulness"], type=pa.int64()),
            "what_helped": _codes(list(cwork.HELPED), fb["helped"]),
            "what_could_be_better": _codes(list(cwork.BETTER), fb["better"]),
            "consent_to_quote": pa.array(fb["consent"], type=pa.bool_()),
            "quote": _codes(list(cwork.QUOTES), fb["quote"]),
        }
    )
    q = t["questionnaires"]
    count = len(q["episode"])
    columns: dict[str, pa.Array] = {
        "questionnaire_id": _ids(seed, "questionnaires", count),
        "measure": pa.array(["sdq"] * count, type=_STRING),
        "person_id": _ref(ids.person, q["person"]),
        "episode_id": _ref(episode_ids, q["episode"]),
        "timepoint": _codes(cwork.TIMEPOINTS, q["timepoint"]),
        "informant": _codes(cwork.INFORMANTS, q["informant"]),
        "version": _codes(cwork.VERSIONS, q["version"]),
        "completed_on": arr.dates(q["day"]),
    }
    for i in range(25):
        columns[f"sdq{i + 1}"] = _nullable_int(q["items"][:, i])
    columns["difficulties"] = pa.array(q["difficulties"], type=pa.int64())
    for i, name in enumerate(cwork.IMPACT_ITEMS):
        columns[name] = _nullable_int(q["impact"][:, i])
    columns["completed_by_respondent"] = pa.array(q["by_respondent"], type=pa.bool_())
    tables["questionnaires"] = pa.table(columns)
    return tables
