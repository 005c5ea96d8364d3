"""Children's social care's two statutory returns for the year, from the county's social care involvements: the
SSDA903 (children looked after) and the Children in Need census, as tables with the DfE's column names and dates
written DD/MM/YYYY.

One social care system keeps both, so a child has one council reference (CHILD in the 903, LAchildID in the census)
and one record of their date of birth and UPN. Codes are the DfE's (the full lists are in the feeds catalogue);
the shares among them are assumptions of the order of the DfE's published figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.synth import _arrays as arr
from continuum.synth import _feeds_identity as ident
from continuum.synth._families import FEMALE, KINSHIP, MALE, YEAR
from continuum.synth._feeds_common import (
    County,
    blank_where,
    codes,
    dmy,
    first_of_each,
    text,
    uniform_days,
    unique_numbers,
)
from continuum.synth._services import KINDS, SEND_CODES

# --- SSDA903 ------------------------------------------------------------------------------------------------------
_PLACEMENT_CHANGES_A_YEAR = 0.7
_MOST_EPISODES = 5
_LATER_EPISODE = {"P": 0.65, "L": 0.2, "T": 0.1, "B": 0.05}  # reason for a new episode after the first
_FIRST_STATUS = {"C1": 0.45, "V2": 0.4, "L2": 0.1, "J1": 0.05}
_NEXT_STATUS = {"C1": "C2", "V2": "C1", "L2": "C1", "J1": "V2", "C2": "C2", "E1": "E1"}
_NEED = {"N1": 0.62, "N2": 0.04, "N3": 0.03, "N4": 0.07, "N5": 0.14, "N6": 0.02, "N8": 0.08}
_FOSTER = {"U4": 0.45, "U6": 0.4, "U1": 0.08, "U3": 0.07}
_FOSTER_PROVIDER = {"PR1": 0.65, "PR4": 0.35}
_HOME_PROVIDER = {"PR4": 0.7, "PR1": 0.2, "PR5": 0.1}
_PLACE_CHANGE = {
    "CARPL": 0.4,
    "CREQB": 0.14,
    "CREQO": 0.1,
    "CHILD": 0.1,
    "LAREQ": 0.1,
    "STAND": 0.03,
    "ALLEG": 0.02,
    "CLOSE": 0.03,
    "OTHER": 0.08,
}
_CEASED_YOUNG = {"E4A": 0.3, "E11": 0.2, "E41": 0.15, "E45": 0.15, "E13": 0.1, "E8": 0.1}
_CEASED_OLDER = {"E4A": 0.35, "E4B": 0.1, "E8": 0.2, "E13": 0.1, "E45": 0.1, "E41": 0.05, "E5": 0.1}
_PARTICIPATION = {"PN1": 0.45, "PN2": 0.05, "PN3": 0.02, "PN4": 0.05, "PN5": 0.1, "PN6": 0.25, "PN7": 0.08}
_AWAY_PER_MISSING = 0.5  # away from placement, whereabouts known (903 only), per missing episode
_SDQ_NOT_RETURNED = {"SDQ2": 0.4, "SDQ4": 0.3, "SDQ5": 0.2, "SDQ3": 0.1}
_IN_TOUCH = {"YES": 0.9, "NO": 0.04, "REFU": 0.03, "RHOM": 0.03}
_ACTIVITY = {"F2": 0.55, "P2": 0.05, "F4": 0.05, "F5": 0.08, "G4": 0.05, "G5": 0.18, "G6": 0.04}
_ACCOMMODATION = {"C1": 0.3, "D1": 0.25, "B1": 0.15, "E1": 0.1, "T1": 0.05, "D2": 0.05, "Y1": 0.1}

# --- Children in need census ----------------------------------------------------------------------------------------
_NFA_PER_REFERRAL = 0.4  # referrals closed with no further action, per referral that led to an episode
_SOURCE = {
    "6": 0.28,
    "2A": 0.2,
    "3A": 0.04,
    "3B": 0.03,
    "3D": 0.03,
    "3E": 0.04,
    "5D": 0.05,
    "5A": 0.04,
    "5B": 0.03,
    "5C": 0.02,
    "1A": 0.06,
    "1C": 0.01,
    "2B": 0.02,
    "4": 0.02,
    "7": 0.02,
    "8": 0.03,
    "9": 0.01,
    "10": 0.07,
}
_PRIMARY_NEED = {
    "N1": 0.5,
    "N2": 0.06,
    "N3": 0.05,
    "N4": 0.1,
    "N5": 0.15,
    "N6": 0.04,
    "N7": 0.02,
    "N8": 0.03,
    "N9": 0.05,
}
_CLOSURE = {"RC7": 0.78, "RC9": 0.08, "RC3": 0.05, "RC4": 0.05, "RC5": 0.04}
_FACTORS = {
    "3B": 0.22,
    "4B": 0.2,
    "4A": 0.12,
    "16A": 0.1,
    "17A": 0.1,
    "2B": 0.06,
    "1B": 0.05,
    "3A": 0.04,
    "14A": 0.03,
    "6B": 0.02,
    "15A": 0.02,
    "10A": 0.01,
    "11A": 0.01,
    "24A": 0.01,
    "7A": 0.01,
}
_ABUSE = {"NEG": 0.5, "EMO": 0.38, "PHY": 0.07, "SAB": 0.04, "MUL": 0.01}
_S47_WITHOUT_PLAN = 0.15
_DISABILITY = ("LD", "AUT", "COMM", "BEH", "MOB", "HAND", "VIS", "HEAR")


@dataclass
class Care:
    tables: dict[str, dict[str, dict[str, pa.Array]]]  # feed -> table -> columns
    people: dict[str, tuple[pa.Array, np.ndarray]]  # feed -> (references, people)


def build(c: County, care_missing: dict[str, np.ndarray], convicted: np.ndarray) -> Care:
    """Both returns. `care_missing` are the force's missing-from-care episodes; `convicted` the children with a
    youth justice outcome in the year."""
    rng = c.rng("social care")
    inv = c.services.involvements

    def spells(kind: str) -> np.ndarray:
        return np.flatnonzero(
            (inv.kind == KINDS.index(kind)) & (inv.start <= c.as_of) & ((inv.end < 0) | (inv.end >= c.start))
        )

    looked_after = spells("looked_after")
    episodes = spells("cin")
    cin_people = inv.person[episodes]
    nfa = _nfa_referrals(c, rng, episodes)
    everyone = np.unique(np.concatenate([inv.person[looked_after], cin_people, nfa[0]]))
    la_id = np.full(c.pop.people, -1)
    la_id[everyone] = unique_numbers(rng, len(everyone), 6)
    record = ident.records(c.rng("social care records"), c.register, everyone, ident.SOCIAL_CARE)
    slot = np.full(c.pop.people, -1)
    slot[everyone] = np.arange(len(everyone))
    ssda903, in_903 = _ssda903(c, rng, looked_after, la_id, record, slot, care_missing, convicted)
    cin, in_cin = _cin(c, rng, episodes, nfa, la_id, record, slot)
    return Care(
        tables={"ssda903": ssda903, "cin": cin},
        people={
            "ssda903": (arr.integers_as_text(la_id[in_903]), in_903),
            "cin": (arr.integers_as_text(la_id[in_cin]), in_cin),
        },
    )


def _partial(postcodes: pa.Array) -> pa.Array:
    """A postcode's district and sector ('SF12 3AB' -> 'SF12 3'), as the 903 records home and placement."""
    return pc.utf8_slice_codeunits(postcodes, 0, -2)


def _ssda903(
    c: County,
    rng: np.random.Generator,
    spells: np.ndarray,
    la_id: np.ndarray,
    record: ident.Identity,
    slot: np.ndarray,
    care_missing: dict[str, np.ndarray],
    convicted: np.ndarray,
) -> tuple[dict[str, dict[str, pa.Array]], np.ndarray]:
    inv, pop = c.services.involvements, c.pop
    person = inv.person[spells]
    start = inv.start[spells]
    end = inv.end[spells]
    until = np.where(end >= 0, end, c.as_of)
    age = c.age[person]
    # Episodes: a period of care split where the placement or the legal status changed.
    changes = np.minimum(rng.poisson(_PLACEMENT_CHANGES_A_YEAR * (until - start) / YEAR), _MOST_EPISODES - 1)
    changes = np.minimum(changes, np.maximum(until - start - 1, 0))
    count = 1 + changes
    period = np.repeat(np.arange(len(spells)), count)
    k = arr.group_arange(count)
    cut = uniform_days(rng, start[period] + 1, np.maximum(until[period] - 1, start[period] + 1))
    decom = np.where(k == 0, start[period], cut)
    order = np.lexsort((decom, period))
    decom = decom[order]
    # Same-day cuts collapse into one episode.
    keep = first_of_each(period, decom)
    period, decom = period[keep], decom[keep]
    count = np.bincount(period, minlength=len(spells))
    k = arr.group_arange(count)
    last = k == count[period] - 1
    dec = np.where(last, np.where(end[period] >= 0, end[period], -1), np.r_[decom[1:], -1])
    rne = np.where(k == 0, "S", codes(rng, _LATER_EPISODE, len(k))).astype(object)
    uasc = pop.unaccompanied[person]
    first_status = np.where(uasc, "V2", codes(rng, _FIRST_STATUS, len(spells))).astype(object)
    need = np.where(uasc, "N8", codes(rng, _NEED, len(spells))).astype(object)
    # Where the child lives: the county's placements for the open periods, a mix for earlier episodes.
    placed = np.full(pop.people, -1)
    placed[c.services.placements.child] = pop.household[c.services.placements.child]
    fostered = placed[person] >= 0
    birth = pop.birth_household[person]
    kinship = (birth >= 0) & (pop.structure[np.maximum(birth, 0)] == KINSHIP)
    place_now = np.where(
        fostered,
        codes(rng, {"U4": 0.55, "U6": 0.45}, len(spells)),
        np.where(kinship, codes(rng, {"U1": 0.6, "U3": 0.4}, len(spells)), np.where(age >= 13, "K2", "P1")),
    ).astype(object)
    teenager = age[period] >= 13
    earlier_place = np.where(teenager, codes(rng, {**_FOSTER, "K2": 0.5}, len(k)), codes(rng, _FOSTER, len(k)))
    current = last & (end[period] < 0)
    ls = np.empty(len(k), dtype=object)
    place = np.empty(len(k), dtype=object)
    for i in range(len(k)):  # a few thousand episodes: each follows on from the one before
        p = period[i]
        if k[i] == 0:
            ls[i] = first_status[p]
        elif rne[i] in ("L", "B"):
            ls[i] = "E1" if ls[i - 1] == "C2" and age[p] < 5 else _NEXT_STATUS[ls[i - 1]]
        else:
            ls[i] = ls[i - 1]
        if current[i]:
            place[i] = place_now[p]
        elif k[i] > 0 and rne[i] in ("L", "T"):  # legal status only, or the same carers: the same placement type
            place[i] = place[i - 1]
        else:
            place[i] = earlier_place[i]
    provider = np.where(
        place == "P1",
        "PR0",
        np.where(place == "K2", codes(rng, _HOME_PROVIDER, len(k)), codes(rng, _FOSTER_PROVIDER, len(k))),
    ).astype(object)
    provider = np.where(np.isin(place, ["U1", "U3"]), "PR1", provider).astype(object)
    home = arr.pick(c.register.household_postcode, np.where(uasc[period], -1, birth[period]))
    here = np.where(
        np.isin(place, ["P1", "U1", "U3"]),
        birth[period],
        np.where(fostered[period] & current, pop.household[person[period]], rng.integers(0, pop.households, len(k))),
    )
    here = np.where(here >= 0, here, rng.integers(0, pop.households, len(k)))
    place_postcode = arr.pick(c.register.household_postcode, here)
    registered = (place == "K2") | (np.isin(place, ["U4", "U5", "U6"]) & (provider == "PR4"))  # an Ofsted URN
    urn = np.where(registered, unique_numbers(rng, len(k), 6), -1)
    older = age[period] >= 8
    ceased = np.where(older, codes(rng, _CEASED_OLDER, len(k)), codes(rng, _CEASED_YOUNG, len(k))).astype(object)
    rec = np.where(last, blank_where(dec < 0, ceased), "X1").astype(object)
    change = blank_where(~np.isin(rne, ["P", "T", "B"]), codes(rng, _PLACE_CHANGE, len(k)))
    # This year's return holds the episodes open at some time in the year.
    shown = (dec < 0) | (dec >= c.start)
    child = person[period]
    episode_rows = np.flatnonzero(shown)
    children = np.unique(child[episode_rows])
    ids = arr.integers_as_text(la_id[children])
    id_of = arr.integers_as_text(la_id)
    rec_of = record.take(slot[children])
    dob_of = np.full(pop.people, -1)
    dob_of[children] = rec_of.dob
    e = episode_rows
    episodes = {
        "CHILD": id_of.take(pa.array(child[e])),
        "DECOM": _dmy(decom[e]),
        "RNE": text(rne[e]),
        "LS": text(ls[e]),
        "CIN": text(need[period[e]]),
        "PLACE": text(place[e]),
        "PLACE_PROVIDER": text(provider[e]),
        "DEC": _dmy(dec[e]),
        "REC": text(rec[e]),
        "REASON_PLACE_CHANGE": text(change[e]),
        "HOME_POST": _partial(home).take(pa.array(e)),
        "PL_POST": _partial(place_postcode).take(pa.array(e)),
        "URN": arr.choose(
            urn[e] >= 0,
            arr.join("SC", arr.integers_as_text(np.maximum(urn[e], 0))),
            text(np.full(len(e), "XXXXXXX", dtype=object)),
        ),
    }
    girl = pop.sex[children] == FEMALE
    mother = girl & (c.age[children] >= 15) & (rng.random(len(children)) < 0.03)
    became = pop.dob[children] + int(15 * YEAR) + rng.integers(0, int(2 * YEAR), len(children))
    became = np.minimum(became, c.as_of)
    header = {
        "CHILD": ids,
        "SEX": _sex_903(pop.sex[children]),
        "DOB": _dmy(rec_of.dob),
        "ETHNIC": c.register.ethnicity.take(pa.array(children)),
        "UPN": _upn_or_reason(c, children, rec_of.upn),
        "MOTHER": text(np.where(mother, "1", "0").astype(object), girl),
        "MC_DOB": _dmy(became, mother),
    }

    reviews = _reviews(c, rng, person, start, until, dob_of, id_of)
    uasc_children = children[pop.unaccompanied[children]]
    uasc_table = {
        "CHILD": id_of.take(pa.array(uasc_children)),
        "SEX": _sex_903(pop.sex[uasc_children]),
        "DOB": _dmy(dob_of[uasc_children]),
        "DUC": _dmy(_birthday(pop.dob[uasc_children], 18)),
    }
    missing = _missing_903(c, rng, care_missing, person, start, until, dob_of, id_of)
    oc2 = _oc2(c, rng, person[(end < 0) & (start <= c.as_of - 365)], dob_of, id_of, convicted)
    oc3 = _oc3(c, rng, person, end, dob_of, id_of)
    tables = {
        "header": header,
        "episodes": episodes,
        "reviews": reviews,
        "uasc": uasc_table,
        "missing": missing,
        "oc2": oc2,
        "oc3": oc3,
    }
    return tables, children


def _birthday(dob: np.ndarray, years: int) -> np.ndarray:
    """The day of each birthday (a 29 February birthday falls on 1 March in other years)."""
    year, month, day = arr.calendar(dob)
    months = ((year + years - 1970) * 12 + month - 1).astype("datetime64[M]")
    return (months.astype("datetime64[D]") + (day - 1)).astype(np.int64)


def _dmy(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    ok = days >= 0 if present is None else (np.asarray(present, dtype=bool) & (days >= 0))
    return dmy(days, ok)


def _sex_903(sex: np.ndarray) -> pa.Array:
    """The 903's codes: 1 male, 2 female (a child whose sex is not recorded is returned as U, as from 2024)."""
    return text(np.where(sex == MALE, "1", np.where(sex == FEMALE, "2", "U")).astype(object))


def _upn_or_reason(c: County, children: np.ndarray, upn: pa.Array) -> pa.Array:
    """The child's UPN as the council holds it, or the DfE's code for why there is none."""
    young = c.age[children] < 6
    reason = np.where(young, "UN1", np.where(c.services.school_of[children] < 0, "UN2", "UN5")).astype(object)
    return pc.coalesce(upn, text(reason))


def _reviews(
    c: County,
    rng: np.random.Generator,
    person: np.ndarray,
    start: np.ndarray,
    until: np.ndarray,
    dob_of: np.ndarray,
    id_of: pa.Array,
) -> dict[str, pa.Array]:
    """Looked-after reviews: within 20 working days of coming into care, three months later, then every six."""
    most = 40
    offsets = np.r_[28, 28 + 91, 28 + 91 + 182 * np.arange(1, most - 1)]
    day = start[:, None] + offsets[None, :] + rng.integers(-5, 6, (len(start), most))
    spell = np.repeat(np.arange(len(start)), most).reshape(len(start), most)
    ok = (day <= until[:, None]) & (day >= c.start) & (day <= c.as_of)
    day, spell = day[ok], spell[ok]
    child = person[spell]
    age = arr.whole_years(c.pop.dob[child], day)
    code = np.where(age < 4, "PN0", codes(rng, _PARTICIPATION, len(day))).astype(object)
    return {
        "CHILD": id_of.take(pa.array(child)),
        "DOB": _dmy(dob_of[child]),
        "REVIEW": _dmy(day),
        "REVIEW_CODE": text(code),
    }


def _missing_903(
    c: County,
    rng: np.random.Generator,
    care_missing: dict[str, np.ndarray],
    person: np.ndarray,
    start: np.ndarray,
    until: np.ndarray,
    dob_of: np.ndarray,
    id_of: pa.Array,
) -> dict[str, pa.Array]:
    """Missing (M) episodes as the force recorded them, and away from placement (A) as only the council knows."""
    day_minutes = 24 * 60
    m_child = care_missing["person"]
    m_start = care_missing["start"] // day_minutes
    m_end = np.where(care_missing["end"] >= 0, care_missing["end"] // day_minutes, -1)
    # Away episodes fall in the same periods of care as the child's missing episodes.
    went = np.isin(person, m_child)
    spells = np.flatnonzero(went)
    away = rng.poisson(_AWAY_PER_MISSING * np.maximum(np.bincount(m_child, minlength=c.pop.people)[person[spells]], 1))
    spell = np.repeat(spells, away)
    first = np.maximum(start[spell], c.start)
    a_start = uniform_days(rng, first, np.maximum(until[spell], first))
    a_end = np.minimum(a_start + rng.integers(0, 2, len(spell)), c.as_of)
    child = np.concatenate([m_child, person[spell]])
    began = np.concatenate([m_start, a_start])
    ended = np.concatenate([m_end, a_end])
    kind = np.r_[np.full(len(m_child), "M", dtype=object), np.full(len(spell), "A", dtype=object)]
    order = np.lexsort((began, child))
    child, began, ended, kind = child[order], began[order], ended[order], kind[order]
    keep = first_of_each(child, began)  # one per child and start day
    child, began, ended, kind = child[keep], began[keep], ended[keep], kind[keep]
    return {
        "CHILD": id_of.take(pa.array(child)),
        "DOB": _dmy(dob_of[child]),
        "MISSING": text(kind),
        "MIS_START": _dmy(began),
        "MIS_END": _dmy(ended),
    }


def _oc2(
    c: County,
    rng: np.random.Generator,
    children: np.ndarray,
    dob_of: np.ndarray,
    id_of: pa.Array,
    convicted: np.ndarray,
) -> dict[str, pa.Array]:
    """Outcomes of children looked after continuously for twelve months at the year's end."""
    children = np.unique(children)
    n = len(children)
    age = c.age[children]
    sdq_age = (age >= 4) & (age <= 16)
    returned = sdq_age & (rng.random(n) < 0.8)
    score = np.clip(np.rint(rng.normal(14.5, 6.5, n)), 0, 40).astype(np.int64)
    reason = np.where(sdq_age, codes(rng, _SDQ_NOT_RETURNED, n), "SDQ1").astype(object)
    ten = age >= 10
    misuse = ten & (rng.random(n) < 0.04)
    received = misuse & (rng.random(n) < 0.6)
    offered = misuse & ~received & (rng.random(n) < 0.5)

    def flag(chance: float, where: np.ndarray) -> pa.Array:
        return text(np.where(rng.random(n) < chance, "1", "0").astype(object), where)

    everyone = np.ones(n, dtype=bool)
    return {
        "CHILD": id_of.take(pa.array(children)),
        "DOB": _dmy(dob_of[children]),
        "SDQ_SCORE": text(score.astype(str).astype(object), returned),
        "SDQ_REASON": text(reason, ~returned),
        "CONVICTED": text(np.where(np.isin(children, convicted), "1", "0").astype(object), ten),
        "HEALTH_CHECK": flag(0.88, age < 5),
        "IMMUNISATIONS": flag(0.86, everyone),
        "TEETH_CHECK": flag(0.82, everyone),
        "HEALTH_ASSESSMENT": flag(0.9, everyone),
        "SUBSTANCE_MISUSE": text(np.where(misuse, "1", "0").astype(object), ten),
        "INTERVENTION_RECEIVED": text(np.where(received, "1", "0").astype(object), misuse),
        "INTERVENTION_OFFERED": text(np.where(offered, "1", "0").astype(object), misuse & ~received),
    }


def _oc3(
    c: County, rng: np.random.Generator, person: np.ndarray, end: np.ndarray, dob_of: np.ndarray, id_of: pa.Array
) -> dict[str, pa.Array]:
    """Care leavers: those whose 17th birthday fell in the year and who were looked after at 16 or over."""
    sixteenth = c.pop.dob[person] + int(16 * YEAR)
    seventeenth = c.pop.dob[person] + int(17 * YEAR)
    due = (seventeenth >= c.start) & (seventeenth <= c.as_of) & ((end < 0) | (end >= sixteenth))
    children = np.unique(person[due])
    n = len(children)
    touch = codes(rng, _IN_TOUCH, n)
    known = touch == "YES"
    return {
        "CHILD": id_of.take(pa.array(children)),
        "DOB": _dmy(dob_of[children]),
        "IN_TOUCH": text(touch),
        "ACTIV": text(np.where(known, codes(rng, _ACTIVITY, n), "0").astype(object)),
        "ACCOM": text(np.where(known, codes(rng, _ACCOMMODATION, n), "0").astype(object)),
    }


def _nfa_referrals(c: County, rng: np.random.Generator, episodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Children referred in the year whose referral closed with no further action: (people, days)."""
    inv = c.services.involvements
    began = int((inv.start[episodes] >= c.start).sum())
    children = np.flatnonzero(c.pop.is_child)
    weight = (
        1.0
        + 4 * c.known["early_help"][children]
        + 3 * c.known["police_contact"][children]
        + 2 * c.known["camhs"][children]
    ) * ~c.known["cin"][children]
    picked = children[arr.weighted_top(rng, weight, round(_NFA_PER_REFERRAL * began))]
    day = uniform_days(rng, np.maximum(c.start, c.pop.dob[picked]), np.full(len(picked), c.as_of))
    return picked, day


def _cin(
    c: County,
    rng: np.random.Generator,
    episodes: np.ndarray,
    nfa: tuple[np.ndarray, np.ndarray],
    la_id: np.ndarray,
    record: ident.Identity,
    slot: np.ndarray,
) -> tuple[dict[str, dict[str, pa.Array]], np.ndarray]:
    inv, pop = c.services.involvements, c.pop
    id_of = arr.integers_as_text(la_id)
    person = inv.person[episodes]
    start = inv.start[episodes]
    closed = (inv.end[episodes] >= 0) & (inv.end[episodes] <= c.as_of)
    end = np.where(closed, inv.end[episodes], -1)
    n = len(episodes)
    # The child protection plans and periods of care inside each episode, and each plan's earlier plans.
    by_person: dict[int, list[int]] = {}
    for i, p in enumerate(person.tolist()):
        by_person.setdefault(p, []).append(i)
    episode_end = inv.end[episodes]
    plans: list[tuple[int, int, int, int]] = []  # episode, start, end, earlier plans
    with_plan = np.zeros(n, dtype=bool)
    for kind in ("cp_plan", "looked_after"):
        rows = np.flatnonzero((inv.kind == KINDS.index(kind)) & (inv.start <= c.as_of))
        rows = rows[np.lexsort((inv.start[rows], inv.person[rows]))]
        before = arr.group_arange(np.unique(inv.person[rows], return_counts=True)[1])  # the child's earlier ones
        for r, earlier in zip(rows.tolist(), before.tolist(), strict=True):
            for i in by_person.get(int(inv.person[r]), []):
                if start[i] <= inv.start[r] and (episode_end[i] < 0 or episode_end[i] >= inv.start[r]):
                    with_plan[i] = True
                    if kind == "cp_plan" and (inv.end[r] < 0 or inv.end[r] >= c.start):
                        plans.append((i, int(inv.start[r]), int(inv.end[r]), earlier))
                    break

    assessed = np.minimum(start + rng.integers(0, 8, n), c.as_of)
    assessed = np.where(end >= 0, np.minimum(assessed, end), assessed)
    authorised = assessed + rng.integers(10, 56, n)
    authorised_ok = (authorised <= c.as_of) & ((end < 0) | (authorised <= end))
    short = (end >= 0) & (end - start < 70) & ~with_plan
    closure = np.where(short, "RC8", codes(rng, _CLOSURE, n)).astype(object)
    need = np.where(
        with_plan, codes(rng, {"N1": 0.75, "N4": 0.05, "N5": 0.15, "N8": 0.05}, n), codes(rng, _PRIMARY_NEED, n)
    )
    need = np.where(pop.unaccompanied[person], "N8", need).astype(object)

    nfa_people, nfa_day = nfa
    ref_person = np.concatenate([person, nfa_people])
    ref_day = np.concatenate([start, nfa_day])
    ref_end = np.concatenate([end, nfa_day])
    referrals = {
        "LAchildID": id_of.take(pa.array(ref_person)),
        "CINreferralDate": _dmy(ref_day),
        "ReferralSource": text(codes(rng, _SOURCE, len(ref_person))),
        "PrimaryNeedCode": text(np.r_[need, np.full(len(nfa_people), "N0", dtype=object)]),
        "CINclosureDate": _dmy(ref_end),
        "ReasonForClosure": text(np.r_[closure, np.full(len(nfa_people), "RC8", dtype=object)], ref_end >= 0),
        "ReferralNFA": text(np.r_[np.full(n, "0", dtype=object), np.full(len(nfa_people), "1", dtype=object)]),
    }
    factor_lists = []
    for i in range(n):
        if closure[i] == "RC8" and rng.random() < 0.4:
            factor_lists.append("21")
            continue
        count = 1 + int(rng.poisson(1.2))
        chosen = sorted(set(codes(rng, _FACTORS, count).tolist()), key=list(_FACTORS).index)
        factor_lists.append(",".join(chosen))
    a = np.flatnonzero(~authorised_ok | (authorised >= c.start))  # the assessments open at some time in the year
    assessments = {
        "LAchildID": id_of.take(pa.array(person[a])),
        "CINreferralDate": _dmy(start[a]),
        "AssessmentActualStartDate": _dmy(assessed[a]),
        "AssessmentInternalReviewDate": _dmy(np.full(len(a), -1)),
        "AssessmentAuthorisationDate": _dmy(authorised[a], authorised_ok[a]),
        "AssessmentFactors": text(np.array(factor_lists, dtype=object)[a], authorised_ok[a]),
    }

    plan = np.array(plans, dtype=np.int64).reshape(-1, 4)
    plan_episode, plan_start, plan_end, earlier_plans = plan[:, 0], plan[:, 1], plan[:, 2], plan[:, 3]
    s47_start = np.maximum(plan_start - rng.integers(14, 36, len(plan)), start[plan_episode])
    without = np.flatnonzero(~with_plan & (rng.random(n) < _S47_WITHOUT_PLAN))
    lone_start = np.minimum(start[without] + rng.integers(1, 10, len(without)), c.as_of)
    lone_start = np.where(end[without] >= 0, np.minimum(lone_start, end[without]), lone_start)
    this_year = lone_start >= c.start
    without, lone_start = without[this_year], lone_start[this_year]
    s47_episode = np.r_[plan_episode, without]
    s47_day = np.r_[s47_start, lone_start]
    target = np.r_[s47_start + 21, np.full(len(without), -1)]
    conference = np.r_[plan_start, np.full(len(without), -1)]
    s47_order = np.lexsort((s47_day, s47_episode))
    s47_episode, s47_day, target, conference = (a[s47_order] for a in (s47_episode, s47_day, target, conference))
    unique_s47 = first_of_each(person[s47_episode], s47_day)
    s47_episode, s47_day, target, conference = (a[unique_s47] for a in (s47_episode, s47_day, target, conference))
    section47 = {
        "LAchildID": id_of.take(pa.array(person[s47_episode])),
        "CINreferralDate": _dmy(start[s47_episode]),
        "S47ActualStartDate": _dmy(s47_day),
        "InitialCPCtarget": _dmy(target),
        "DateOfInitialCPC": _dmy(conference),
        "ICPCnotRequired": text(np.where(conference >= 0, "0", "1").astype(object)),
    }
    initial = codes(rng, _ABUSE, len(plan))
    latest = np.where(rng.random(len(plan)) < 0.85, initial, codes(rng, _ABUSE, len(plan))).astype(object)
    cp_plans = {
        "LAchildID": id_of.take(pa.array(person[plan_episode])),
        "CINreferralDate": _dmy(start[plan_episode]),
        "CPPstartDate": _dmy(plan_start),
        "CPPendDate": _dmy(np.where(plan_end <= c.as_of, plan_end, -1)),
        "InitialCategoryOfAbuse": text(initial),
        "LatestCategoryOfAbuse": text(latest),
        "NumberOfPreviousCPP": text(earlier_plans.astype(str).astype(object)),
    }
    plan_day = authorised + rng.integers(0, 15, n)
    has_plan = ~with_plan & authorised_ok & (closure != "RC8") & (plan_day <= c.as_of) & ((end < 0) | (plan_day < end))
    has_plan &= (end < 0) | (end >= c.start)
    p = np.flatnonzero(has_plan)
    cin_plans = {
        "LAchildID": id_of.take(pa.array(person[p])),
        "CINreferralDate": _dmy(start[p]),
        "CINPlanStartDate": _dmy(plan_day[p]),
        "CINPlanEndDate": _dmy(end[p]),
    }

    children = np.unique(ref_person)
    rec = record.take(slot[children])
    no_upn = pc.is_null(rec.upn).to_numpy(zero_copy_only=False)
    referred_only = np.isin(children, nfa_people) & ~np.isin(children, person)
    reason = np.where(
        c.age[children] < 6,
        "UN1",
        np.where(referred_only, "UN7", np.where(c.services.school_of[children] < 0, "UN2", "UN5")),
    ).astype(object)
    send = pop.send[children]
    disabilities = np.full(len(children), "NONE", dtype=object)
    for i in np.flatnonzero(send == SEND_CODES.index("E")).tolist():
        kinds = rng.choice(len(_DISABILITY), size=1 + int(rng.random() < 0.4), replace=False)
        disabilities[i] = ",".join(_DISABILITY[j] for j in sorted(kinds.tolist()))
    support = np.flatnonzero((send == SEND_CODES.index("K")) & (rng.random(len(children)) < 0.3))
    disabilities[support] = np.array(["BEH", "LD", "COMM"], dtype=object)[rng.integers(0, 3, len(support))]
    sex = pop.sex[children]
    child_table = {
        "LAchildID": id_of.take(pa.array(children)),
        "UPN": rec.upn,
        "FormerUPN": pa.nulls(len(children), pa.string()),
        "UPNunknown": text(reason, no_upn),
        "PersonBirthDate": _dmy(rec.dob),
        "ExpectedPersonBirthDate": pa.nulls(len(children), pa.string()),
        "GenderCurrent": text(np.where(sex == MALE, "1", np.where(sex == FEMALE, "2", "0")).astype(object)),
        "PersonDeathDate": pa.nulls(len(children), pa.string()),
        "Ethnicity": c.register.ethnicity.take(pa.array(children)),
        "Disabilities": text(disabilities),
    }
    tables = {
        "child": child_table,
        "referrals": referrals,
        "assessments": assessments,
        "section47": section47,
        "cp_plans": cp_plans,
        "cin_plans": cin_plans,
    }
    return tables, children
