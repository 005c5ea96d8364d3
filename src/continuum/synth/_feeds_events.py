"""The event feeds of the year: youth justice outcomes, police incidents, missing episodes and A&E attendances.

Children are chosen with the rates below (assumptions of the right order, from the sources named), weighted by age
and by what the county knows of them: adolescents for police, missing and youth justice, and children known to
social care or youth justice several times more often. Each source keeps its own reference for a child (a force's
nominal, a hospital's local patient number, a youth justice case number) and its own record of who they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from continuum.synth import _arrays as arr
from continuum.synth import _feeds_identity as ident
from continuum.synth._families import MALE, YEAR
from continuum.synth._feeds_common import (
    County,
    Rows,
    blank_where,
    codes,
    first_of_each,
    moments,
    numbered,
    text,
    uniform_days,
    unique_numbers,
)
from continuum.synth._geography import LOCALITIES, TOWN_LOCALITY
from continuum.synth._services import KINDS

DAY_MINUTES = 24 * 60

# --- Youth justice ------------------------------------------------------------------------------------------------
# Youth Justice Board, youth justice statistics 2023 to 2024: about half of children's outcomes are out of court
# (community resolutions, diversion, cautions), referral orders the commonest sentence, custody rare.
_YJ_OUTCOMES = {
    "CR": 0.1,
    "O22": 0.15,
    "YC": 0.14,
    "YCC": 0.11,
    "RO": 0.25,
    "YRO": 0.12,
    "YRO_ISS": 0.02,
    "DTO": 0.03,
    "CD": 0.03,
    "AD": 0.01,
    "FINE": 0.03,
}
# How long an order or a conditional caution runs (days, shortest and longest).
_YJ_LENGTH = {"YCC": (84, 112), "RO": (90, 365), "YRO": (180, 730), "YRO_ISS": (180, 365), "DTO": (120, 730)}
_YJ_MORE = 0.5  # further outcomes in the year, Poisson mean
# ONS police recorded crime: the offence groups of children's offending and of crimes against children.
_OFFENDING = {"VAP": 0.36, "THF": 0.18, "CDA": 0.1, "DRG": 0.1, "WPN": 0.07, "POR": 0.1, "ROB": 0.06, "SEX": 0.03}
_VICTIMISATION = {"VAP": 0.46, "THF": 0.18, "SEX": 0.1, "ROB": 0.07, "CDA": 0.05, "POR": 0.1, "MIS": 0.04}
# The crime outcome the police recorded for a youth justice outcome's offence.
_CRIME_OUTCOME_OF = {"CR": "8", "O22": "22", "YC": "2", "YCC": "2"}


@dataclass
class Outcomes:
    rows: Rows
    person: np.ndarray
    day: np.ndarray
    outcome: np.ndarray
    offence: np.ndarray


def youth_justice(c: County) -> Outcomes:
    """Outcomes for the children the youth justice service worked with in the year: the outcome that began the
    work, and for some further ones."""
    rng = c.rng("youth_justice")
    inv = c.services.involvements
    rows = np.flatnonzero(
        (inv.kind == _kind("youth_justice")) & (inv.start <= c.as_of) & ((inv.end < 0) | (inv.end >= c.start))
    )
    person = inv.person[rows]
    tenth = c.pop.dob[person] + int(10 * YEAR) + 1
    first = np.maximum(np.maximum(inv.start[rows], c.start), tenth)
    last = np.where(inv.end[rows] >= 0, np.minimum(inv.end[rows], c.as_of), c.as_of)
    keep = first <= last
    rows, person, first, last = rows[keep], person[keep], first[keep], last[keep]
    count = 1 + rng.poisson(_YJ_MORE, len(rows))
    which = np.repeat(np.arange(len(rows)), count)
    day = uniform_days(rng, first[which], last[which])
    began = (arr.group_arange(count) == 0) & (inv.start[rows][which] >= c.start)
    day = np.where(began, first[which], day)
    person = person[which]
    outcome = codes(rng, _YJ_OUTCOMES, len(day))
    offence = codes(rng, _OFFENDING, len(day))
    # One outcome per child and day.
    order = np.lexsort((day, person))
    person, day, outcome, offence = person[order], day[order], outcome[order], offence[order]
    keep = first_of_each(person, day)
    person, day, outcome, offence = person[keep], day[keep], outcome[keep], offence[keep]
    shortest = np.array([_YJ_LENGTH.get(o, (0, 0))[0] for o in outcome])
    longest = np.array([_YJ_LENGTH.get(o, (0, 0))[1] for o in outcome])
    ends = day + shortest + (rng.random(len(day)) * (longest - shortest + 1)).astype(np.int64)
    ended = (longest > 0) & (ends <= c.as_of)  # an order still running has no end date yet
    children, child = np.unique(person, return_inverse=True)
    case = numbered("YJ", unique_numbers(rng, len(children), 6))
    record = ident.records(rng, c.register, children, ident.YOUTH_JUSTICE).take(child)
    refs = case.take(pa.array(child))
    order = np.argsort(day, kind="stable")
    serial = np.empty(len(day), dtype=np.int64)
    serial[order] = np.arange(1, len(day) + 1)
    columns = {
        "outcome_ref": numbered("YJO-", 100_000 + serial),
        "person_ref": refs,
        **_identity_columns(record),
        "postcode": record.postcode,
        "outcome_date": arr.dates(day),
        "outcome": text(outcome),
        "offence_group": text(offence),
        "end_date": arr.dates(ends, ended),
    }
    return Outcomes(Rows(columns, refs, person), person, day, outcome, offence)


# --- Police -------------------------------------------------------------------------------------------------------
# Incidents involving a child in a year, per child of the county (assumptions of the order of police figures):
# a child present at a domestic abuse incident is the commonest (Operation Encompass notifications), then child
# concern notifications, victims, suspects, anti-social behaviour and witnesses.
_DOMESTIC_HOUSEHOLDS = 0.012  # households with children that have a domestic abuse incident, per child
_DOMESTIC_MORE = 0.5  # further incidents in such a household, Poisson mean
_DOMESTIC_CRIME = 0.35  # of domestic incidents recorded as a crime (violence against the person)
_NOTIFIED = 0.9  # of children on a school roll present at a domestic incident, the school told (Operation Encompass)
_PER_CHILD = {"victim": 0.018, "suspect": 0.008, "asb": 0.008, "witness": 0.004, "concern": 0.015}
_REPEAT = {"victim": 0.2, "suspect": 0.6, "asb": 0.5, "witness": 0.1, "concern": 0.3}
_ARRESTED = 0.4  # of children suspected of a crime
_SUSPECT_OUTCOMES = {
    "1": 0.12,
    "2": 0.05,
    "8": 0.18,
    "22": 0.08,
    "16": 0.22,
    "15": 0.12,
    "14": 0.05,
    "10": 0.05,
    "21": 0.03,
    "20": 0.04,
}
_VICTIM_OUTCOMES = {"18": 0.3, "14": 0.2, "16": 0.15, "15": 0.12, "1": 0.08, "8": 0.06, "2": 0.02, "20": 0.02}
_DOMESTIC_OUTCOMES = {"16": 0.4, "15": 0.2, "1": 0.2, "10": 0.1, "21": 0.1}
_UNDER_INVESTIGATION_DAYS = 60  # a crime this recent often has no outcome yet
_SECOND_NOMINAL = 0.04  # of children with two or more police records, a duplicate nominal was created


def _age_weight(age: np.ndarray, by_band: tuple[float, ...]) -> np.ndarray:
    """Weights by age band: 0-4, 5-9, 10-11, 12-13, 14-15, 16-17."""
    band = np.searchsorted(np.array([5, 10, 12, 14, 16]), age, side="right")
    return np.array(by_band)[band]


def _known(c: County, *kinds: str) -> np.ndarray:
    flag = np.zeros(c.pop.people, dtype=bool)
    for kind in kinds:
        flag |= c.known[kind]
    return flag


class _Incidents:
    """Incidents (day, type, offence group, crime outcome) and the children in them (one row per child per
    incident: role, whether arrested, whether the school was told of a domestic abuse incident)."""

    def __init__(self) -> None:
        self.incident_cells: dict[str, list[np.ndarray]] = {"day": [], "kind": [], "offence": [], "outcome": []}
        self.row_cells: dict[str, list[np.ndarray]] = {
            "incident": [],
            "person": [],
            "role": [],
            "arrested": [],
            "da": [],
        }
        self.count = 0

    def incidents(
        self, day: np.ndarray, kind: str, offence: np.ndarray | None = None, outcome: np.ndarray | None = None
    ) -> np.ndarray:
        n = len(day)
        none = np.full(n, None, dtype=object)
        for name, values in (
            ("day", day),
            ("kind", np.full(n, kind, dtype=object)),
            ("offence", none if offence is None else offence),
            ("outcome", none if outcome is None else outcome),
        ):
            self.incident_cells[name].append(values)
        self.count += n
        return self.count - n + np.arange(n)

    def rows(
        self,
        incident: np.ndarray,
        person: np.ndarray,
        role: np.ndarray | str,
        arrested: np.ndarray | None = None,
        da: np.ndarray | None = None,
    ) -> None:
        n = len(person)
        none = np.full(n, None, dtype=object)
        for name, values in (
            ("incident", incident),
            ("person", person),
            ("role", np.broadcast_to(np.asarray(role, dtype=object), n)),
            ("arrested", none if arrested is None else arrested),
            ("da", none if da is None else da),
        ):
            self.row_cells[name].append(values)

    def incident(self, name: str) -> np.ndarray:
        return np.concatenate(self.incident_cells[name])

    def row(self, name: str) -> np.ndarray:
        return np.concatenate(self.row_cells[name])


@dataclass
class Force:
    police: Rows
    missing: Rows
    care_missing: dict[str, np.ndarray]  # missing from care: person, start and end minutes (-1 still missing)


def force(c: County, outcomes: Outcomes) -> Force:
    """The police force's two extracts, which share its nominal records: incidents and missing episodes."""
    rng = c.rng("police")
    incidents = _incidents(c, rng, outcomes)
    person = incidents.row("person")
    missing = _missing_episodes(c)
    children = np.flatnonzero(c.pop.is_child)
    nominal = np.full(c.pop.people, -1)
    pool = unique_numbers(rng, 2 * len(children), 8)
    nominal[children] = pool[: len(children)]
    # A few children were recorded twice: a second nominal on some of their incidents.
    rows_per = np.bincount(person, minlength=c.pop.people)
    doubled = np.flatnonzero((rows_per >= 2) & (rng.random(c.pop.people) < _SECOND_NOMINAL))
    second = np.full(c.pop.people, -1)
    second[doubled] = pool[len(children) : len(children) + len(doubled)]
    # Each duplicated child's first incident is on the first nominal and the last on the second; between, either.
    _, first_row = np.unique(person, return_index=True)
    _, last_row = np.unique(person[::-1], return_index=True)
    last_row = len(person) - 1 - last_row
    use_second = (second[person] >= 0) & (rng.random(len(person)) < 0.5)
    use_second[first_row] = False
    use_second[last_row[second[person[last_row]] >= 0]] = True
    row_nominal = np.where(use_second, second[person], nominal[person])
    episode_nominal = nominal[missing["person"]]
    used, slot = np.unique(np.concatenate([row_nominal, episode_nominal]), return_inverse=True)
    owner = np.empty(len(used), dtype=np.int64)
    owner[slot] = np.concatenate([person, missing["person"]])
    records = ident.records(c.rng("police records"), c.register, owner, ident.POLICE)
    refs = numbered("N", used)
    police_record = records.take(slot[: len(person)])
    police_refs = refs.take(pa.array(slot[: len(person)]))
    police = _police_rows(incidents, police_record, police_refs)
    missing_record = records.take(slot[len(person) :])
    missing_refs = refs.take(pa.array(slot[len(person) :]))
    return Force(
        police=Rows(police, police_refs, person),
        missing=Rows(_missing_columns(c, missing, missing_record, missing_refs), missing_refs, missing["person"]),
        care_missing={k: v[missing["care"]] for k, v in missing.items() if k in ("person", "start", "end")},
    )


def _incidents(c: County, rng: np.random.Generator, outcomes: Outcomes) -> _Incidents:
    pop, age = c.pop, c.age
    children = np.flatnonzero(pop.is_child)
    social_care = _known(c, "cin", "cp_plan", "looked_after")
    justice = c.known["youth_justice"]
    police_known = c.known["police_contact"]
    male = pop.sex == MALE
    inc = _Incidents()
    n = len(children)

    # Domestic abuse: one incident, every child living in the household present; the school told if on a roll.
    household = pop.household[children]
    at_home = household >= 0
    weight = np.zeros(pop.households)
    risk = 1 + 8 * social_care[children] + 2 * c.known["early_help"][children] + police_known[children]
    np.maximum.at(weight, household[at_home], risk[at_home])
    chosen = arr.weighted_top(rng, weight, round(_DOMESTIC_HOUSEHOLDS * n))
    where = np.repeat(chosen, 1 + rng.poisson(_DOMESTIC_MORE, len(chosen)))
    day = uniform_days(rng, np.full(len(where), c.start), np.full(len(where), c.as_of))
    crime = rng.random(len(where)) < _DOMESTIC_CRIME
    recent = (day > c.as_of - _UNDER_INVESTIGATION_DAYS) & (rng.random(len(where)) < 0.6)
    outcome = blank_where(~crime | recent, codes(rng, _DOMESTIC_OUTCOMES, len(where)))
    ids = inc.incidents(day, "DOMESTIC", blank_where(~crime, "VAP"), outcome)
    by_household = children[at_home][np.argsort(household[at_home], kind="stable")]
    sizes = np.bincount(household[at_home], minlength=pop.households)
    members = sizes[where]
    incident = np.repeat(np.arange(len(where)), members)
    child = by_household[np.repeat(arr.group_starts(sizes)[where], members) + arr.group_arange(members)]
    born = pop.dob[child] <= day[incident]
    incident, child = incident[born], child[born]
    told = (c.services.school_of[child] >= 0) & (rng.random(len(child)) < _NOTIFIED)
    inc.rows(ids[incident], child, "PRESENT_DA", da=np.where(told, "Y", "N").astype(object))

    def alone(kind: str, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Children chosen by weight for incidents of their own (some more than once), and the days."""
        picked = arr.weighted_top(rng, weight, round(_PER_CHILD[kind] * n))
        who = children[np.repeat(picked, 1 + rng.poisson(_REPEAT[kind], len(picked)))]
        return who, uniform_days(rng, np.maximum(pop.dob[who], c.start), np.full(len(who), c.as_of))

    def unresolved(outcome: np.ndarray, day: np.ndarray, share: float) -> np.ndarray:
        recent = (day > c.as_of - _UNDER_INVESTIGATION_DAYS) & (rng.random(len(day)) < share)
        return blank_where(recent, outcome)

    a = age[children]
    need = 1 + 4 * social_care[children] + police_known[children]
    who, day = alone("victim", _age_weight(a, (0.3, 0.5, 1.0, 1.5, 2.0, 2.2)) * need)
    outcome = unresolved(codes(rng, _VICTIM_OUTCOMES, len(who)), day, 0.6)
    inc.rows(inc.incidents(day, "CRIME", codes(rng, _VICTIMISATION, len(who)), outcome), who, "VICTIM")

    offending = (
        _age_weight(a, (0, 0, 0.3, 1.0, 2.0, 2.5))
        * np.where(male[children], 3.0, 1.0)
        * (1 + 6 * justice[children] + 3 * police_known[children] + 1.5 * social_care[children])
    )
    who, day = alone("suspect", offending)
    outcome = unresolved(codes(rng, _SUSPECT_OUTCOMES, len(who)), day, 0.7)
    arrested = np.where(rng.random(len(who)) < _ARRESTED, "Y", "N").astype(object)
    inc.rows(inc.incidents(day, "CRIME", codes(rng, _OFFENDING, len(who)), outcome), who, "SUSPECT", arrested)

    # The offences behind youth justice outcomes: the child was the suspect a few weeks or months before.
    before = outcomes.day - rng.integers(14, 120, len(outcomes.day))
    seen = before >= c.start
    outcome = np.array([_CRIME_OUTCOME_OF.get(o, "1") for o in outcomes.outcome[seen]], dtype=object)
    arrested = np.where(rng.random(int(seen.sum())) < 0.7, "Y", "N").astype(object)
    ids = inc.incidents(before[seen], "CRIME", outcomes.offence[seen], outcome)
    inc.rows(ids, outcomes.person[seen], "SUSPECT", arrested)

    who, day = alone("asb", offending)
    role = np.where(rng.random(len(who)) < 0.75, "SUSPECT", "VICTIM").astype(object)
    inc.rows(inc.incidents(day, "ASB"), who, role)
    who, day = alone("witness", _age_weight(a, (0, 0.3, 1.0, 1.0, 1.5, 1.5)))
    inc.rows(inc.incidents(day, "CRIME", codes(rng, _VICTIMISATION, len(who))), who, "WITNESS")
    concern = 1 + 6 * social_care[children] + 2 * c.known["early_help"][children] + 2 * c.known["camhs"][children]
    who, day = alone("concern", concern * _age_weight(a, (1.0, 0.8, 1.0, 1.3, 1.6, 1.6)))
    inc.rows(inc.incidents(day, "CONCERN"), who, "SUBJECT")
    return inc


def _police_rows(inc: _Incidents, record: ident.Identity, refs: pa.Array) -> dict[str, pa.Array]:
    day = inc.incident("day")
    # Incident references in the order they were reported, numbered within each year: SFP/<yy>/<serial>.
    year = arr.calendar(day)[0] % 100
    order = np.lexsort((np.arange(len(day)), day, year))
    serial = np.empty(len(day), dtype=np.int64)
    serial[order] = arr.group_arange(np.unique(year[order], return_counts=True)[1])
    reference = arr.join(
        "SFP/", arr.fixed_width(arr.digits(year, 2)), "/", arr.fixed_width(arr.digits(serial + 4_001, 6))
    )
    index = pa.array(inc.row("incident"))
    return {
        "incident_ref": reference.take(index),
        "person_ref": refs,
        **_identity_columns(record),
        "postcode": record.postcode,
        "occurred_on": arr.dates(day).take(index),
        "incident_type": text(inc.incident("kind")).take(index),
        "role": text(inc.row("role")),
        "offence_group": text(inc.incident("offence")).take(index),
        "arrested": text(inc.row("arrested")),
        "outcome": text(inc.incident("outcome")).take(index),
        "da_notification": text(inc.row("da")),
    }


# --- Missing ------------------------------------------------------------------------------------------------------
# DfE children looked after 2024: about one looked-after child in nine went missing in the year, about six times
# each, nearly all aged 13 or over. From home (NCA missing persons data): under 1% of children aged 10 to 17 a
# year, several times more for children known to social care or youth justice.
_MISSING_FROM_CARE = {"under 11": 0.01, "11-12": 0.08, "13 and over": 0.28}
_CARE_MORE = 4.0
_MISSING_FROM_HOME = 0.006
_HOME_MORE = 0.7
_RISK = {"HIGH": 0.08, "MEDIUM": 0.45, "LOW": 0.35, "NO_APPARENT_RISK": 0.12}
_INTERVIEW = {"ACCEPTED": 0.55, "DECLINED": 0.25, "NOT_OFFERED": 0.12, "": 0.08}  # "": not recorded
_HOURS_MEDIAN = 14.0


def _missing_episodes(c: County) -> dict[str, np.ndarray]:
    rng = c.rng("missing")
    inv, pop = c.services.involvements, c.pop
    care = np.flatnonzero(
        (inv.kind == _kind("looked_after")) & (inv.start <= c.as_of) & ((inv.end < 0) | (inv.end >= c.start))
    )
    person = inv.person[care]
    age = c.age[person]
    chance = np.where(age >= 13, _MISSING_FROM_CARE["13 and over"], np.where(age >= 11, 0.08, 0.01))
    went = rng.random(len(care)) < chance
    care, person = care[went], person[went]
    count = 1 + rng.poisson(_CARE_MORE, len(care))
    which = np.repeat(np.arange(len(care)), count)
    first = np.maximum(inv.start[care], c.start)[which]
    last = np.where(inv.end[care] >= 0, np.minimum(inv.end[care], c.as_of), c.as_of)[which]
    care_person, care_day = person[which], uniform_days(rng, first, last)

    children = np.flatnonzero(pop.is_child & (c.age >= 10))
    weight = (
        1
        + 5 * _known(c, "cin", "cp_plan")[children]
        + 4 * c.known["youth_justice"][children]
        + 2 * c.known["camhs"][children]
        + 1.5 * c.known["police_contact"][children]
    ) * ~c.known["looked_after"][children]
    picked = children[arr.weighted_top(rng, weight, round(_MISSING_FROM_HOME * len(children)))]
    home_person = np.repeat(picked, 1 + rng.poisson(_HOME_MORE, len(picked)))
    home_day = uniform_days(rng, np.full(len(home_person), c.start), np.full(len(home_person), c.as_of))

    person = np.concatenate([care_person, home_person])
    from_care = np.r_[np.ones(len(care_person), dtype=bool), np.zeros(len(home_person), dtype=bool)]
    # Mostly after school and in the evening.
    clock = np.clip(rng.normal(19.5 * 60, 180, len(person)), 0, DAY_MINUTES - 1).astype(np.int64)
    start = np.concatenate([care_day, home_day]) * DAY_MINUTES + clock
    hours = np.minimum(rng.lognormal(np.log(_HOURS_MEDIAN), 1.0, len(person)), 30 * 24)
    end = start + (hours * 60).astype(np.int64)
    end = np.where(end > (c.as_of + 1) * DAY_MINUTES - 1, -1, end)  # not back yet
    order = np.lexsort((start, person))
    return {"person": person[order], "start": start[order], "end": end[order], "care": from_care[order]}


def _missing_columns(c: County, m: dict[str, np.ndarray], record: ident.Identity, refs: pa.Array) -> dict:
    rng = c.rng("missing rows")
    n = len(m["person"])
    back = m["end"] >= 0
    back_day = np.where(back, m["end"] // DAY_MINUTES, -1)
    recent = back & (back_day > c.as_of - 3)
    interview = codes(rng, _INTERVIEW, n)
    interview = np.where(~back | recent, "PENDING", interview).astype(object)
    held = back_day + rng.integers(0, 4, n)
    held_ok = (interview == "ACCEPTED") & (held <= c.as_of)
    interview = np.where((interview == "ACCEPTED") & ~held_ok, "PENDING", interview).astype(object)
    order = np.argsort(m["start"], kind="stable")
    serial = np.empty(n, dtype=np.int64)
    serial[order] = np.arange(1, n + 1)
    return {
        "episode_ref": numbered("MP-", 200_000 + serial),
        "person_ref": refs,
        **_identity_columns(record),
        "postcode": record.postcode,
        "missing_from": text(np.where(m["care"], "CARE", "HOME").astype(object)),
        "started_at": moments(m["start"]),
        "returned_at": moments(m["end"], back),
        "risk": text(codes(rng, _RISK, n)),
        "return_interview": text(interview),
        "return_interview_on": arr.dates(held, held_ok),
    }


# --- A&E ----------------------------------------------------------------------------------------------------------
# NHS England, hospital accident and emergency activity: about a third of children attend A&E in a year, most
# often babies and toddlers and older teenagers; injuries the commonest diagnosis, self-harm and intoxication
# among adolescents. Children known to social care or CAMHS attend more often.
_AE_RATE = (0.55, 0.35, 0.2, 0.22, 0.25, 0.33)  # attendances a year by age band (as _age_weight)
_SITES = ("ZSF01", "ZSF02", "ZKB01")  # the county's type 1 and 2 departments (fictional ODS site codes)
_TRUSTS = ("SF", "KB")  # each trust's patient numbers begin with its letters
_SITE_TRUST = ("SF", "SF", "KB")
_LOCAL_SITE = {"North Shireford": 0, "West Shireford": 0, "South Shireford": 1, "East Shireford": 2}
_OTHER_SITE = 0.1
_DIAGNOSES = {
    "young": {
        "RESPIRATORY": 0.25,
        "INFECTION": 0.2,
        "GASTRO": 0.15,
        "INJURY": 0.25,
        "NO_ABNORMALITY": 0.1,
        "OTHER": 0.05,
    },
    "child": {
        "INJURY": 0.45,
        "RESPIRATORY": 0.12,
        "INFECTION": 0.1,
        "GASTRO": 0.08,
        "OTHER": 0.15,
        "NO_ABNORMALITY": 0.1,
    },
    "adolescent": {
        "INJURY": 0.35,
        "ASSAULT": 0.06,
        "POISONING": 0.05,
        "ALCOHOL": 0.04,
        "DRUGS": 0.02,
        "MENTAL_HEALTH": 0.1,
        "OTHER": 0.18,
        "RESPIRATORY": 0.06,
        "INFECTION": 0.05,
        "GASTRO": 0.04,
        "NO_ABNORMALITY": 0.05,
    },
}
_SELF_HARM = {"POISONING": 0.7, "MENTAL_HEALTH": 0.5, "INJURY": 0.04}
_AMBULANCE = {"POISONING": 0.5, "ALCOHOL": 0.5, "ASSAULT": 0.35, "MENTAL_HEALTH": 0.3}
_SECOND_PATIENT_NUMBER = 0.015  # registered twice at one trust (an unknown patient's temporary number kept)


def health(c: County) -> Rows:
    rng = c.rng("health")
    pop = c.pop
    children = np.flatnonzero(pop.is_child)
    age = c.age[children]
    rate = _age_weight(age, _AE_RATE) * (
        1 + 0.5 * _known(c, "cin", "cp_plan", "looked_after")[children] + 0.5 * c.known["camhs"][children]
    )
    count = rng.poisson(rate)
    person = np.repeat(children, count)
    day = uniform_days(rng, np.maximum(pop.dob[person], c.start), np.full(len(person), c.as_of))
    hour = np.clip(rng.normal(16.0, 4.5, len(person)), 0, 23.99)
    arrived = day * DAY_MINUTES + (hour * 60).astype(np.int64)
    a = c.age[person]
    band = np.where(a < 5, "young", np.where(a < 12, "child", "adolescent"))
    diagnosis = np.empty(len(person), dtype=object)
    for name, weights in _DIAGNOSES.items():
        rows = band == name
        diagnosis[rows] = codes(rng, weights, int(rows.sum()))
    harm_chance = np.array([_SELF_HARM.get(d, 0.0) for d in diagnosis]) * (a >= 10)
    harm_chance *= np.where(c.known["camhs"][person], 1.3, 1.0)
    self_harm = rng.random(len(person)) < np.minimum(harm_chance, 0.95)
    ambulance = rng.random(len(person)) < np.array([_AMBULANCE.get(d, 0.12) for d in diagnosis])
    police = (rng.random(len(person)) < 0.08) & np.isin(diagnosis, ["MENTAL_HEALTH", "ASSAULT"])
    mode = np.where(police, "POLICE", np.where(ambulance, "AMBULANCE", "WALK_IN")).astype(object)
    mode = np.where(rng.random(len(person)) < 0.02, "OTHER", mode).astype(object)
    household = np.maximum(pop.household[person], 0)
    locality = np.array([_LOCAL_SITE[LOCALITIES[i]] for i in range(len(LOCALITIES))])
    local = locality[TOWN_LOCALITY[c.register.addresses.town[household]]]
    site = np.where(rng.random(len(person)) < _OTHER_SITE, rng.integers(0, len(_SITES), len(person)), local)
    trust = np.array([_TRUSTS.index(t) for t in _SITE_TRUST])[site]
    # One patient number per child at each trust, and a second for a few.
    patient, slot = np.unique(person * 2 + trust, return_inverse=True)
    number = unique_numbers(rng, 2 * len(patient), 7)
    visits = np.bincount(slot, minlength=len(patient))
    twice = (visits >= 2) & (rng.random(len(patient)) < _SECOND_PATIENT_NUMBER)
    use_second = twice[slot] & (rng.random(len(person)) < 0.5)
    key = np.where(use_second, len(patient) + slot, slot)
    used, ref_slot = np.unique(key, return_inverse=True)
    owner = np.empty(len(used), dtype=np.int64)
    owner[ref_slot] = person
    owner_trust = np.empty(len(used), dtype=np.int64)
    owner_trust[ref_slot] = trust
    ref_text = arr.join(arr.pick(_TRUSTS, owner_trust), arr.integers_as_text(number[used]))
    record = ident.records(c.rng("health records"), c.register, owner, ident.HEALTH).take(ref_slot)
    refs = ref_text.take(pa.array(ref_slot))
    order = np.argsort(arrived, kind="stable")
    serial = np.empty(len(person), dtype=np.int64)
    serial[order] = np.arange(1, len(person) + 1)
    columns = {
        "attendance_ref": arr.join(
            text(np.array(_SITES, dtype=object)[site]), arr.integers_as_text(700_000 + serial), sep="-"
        ),
        "person_ref": refs,
        "nhs_number": record.nhs_number,
        **_identity_columns(record),
        "postcode": record.postcode,
        "site": text(np.array(_SITES, dtype=object)[site]),
        "arrived_at": moments(arrived),
        "arrival_mode": text(mode),
        "diagnosis_group": text(diagnosis),
        "self_harm": text(np.where(self_harm, "Y", "N").astype(object)),
    }
    return Rows(columns, refs, person)


def _identity_columns(record: ident.Identity) -> dict[str, pa.Array]:
    return {
        "given_name": record.given_name,
        "family_name": record.family_name,
        "date_of_birth": arr.dates(record.dob, record.dob >= 0),
        "sex": record.sex,
    }


def _kind(kind: str) -> int:
    return KINDS.index(kind)
