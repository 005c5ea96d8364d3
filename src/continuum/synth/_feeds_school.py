"""The schools' feeds: every register mark of the year for each pupil of compulsory school age, and the census's
suspensions and permanent exclusions.

A pupil's absence follows a propensity drawn for them (higher at secondary school, with special educational needs,
and markedly higher for children known to social care or youth justice), realised day by day as spells: a spell of
absence begins with a chance that makes the pupil's share of days missed their propensity, and lasts a few days for
most (a cold) and weeks for the few who hardly attend. Each spell has one reason: illness for most, unauthorised
for more of the spells of pupils who miss most. The distribution is set so that about one pupil in five misses
10% or more of their possible sessions (persistent absence) and about one in fifty half or more (severe), as in
England's published figures for 2023 to 2024.

Marks are made and written a slice of pupils at a time (numpy matrices of pupils by school days), so a county of
any size is written in bounded memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.synth import _arrays as arr
from continuum.synth import _feeds_identity as ident
from continuum.synth._places import PRIMARY, SPECIAL
from continuum.workingdays import is_working_day

PUPILS_PER_SLICE = 10_000
# The DfE attendance codes this county's registers use (the full set is in the feeds catalogue): present,
# approved educational activity (counted as present), authorised and unauthorised absence, not counted.
CODES = ("/", "\\", "L", "V", "P", "B", "I", "M", "C", "R", "E", "G", "N", "O", "U", "#", "Y1", "Y4")
_CODE = {code: i for i, code in enumerate(CODES)}
PRESENT_AM, PRESENT_PM = _CODE["/"], _CODE["\\"]

# Absence propensity: the log-odds of the share of sessions a pupil misses is normal around a base, moved by
# what is known about the child. The base and spread give about 20% persistent and 2% severe absence
# overall (checked in tests/synth/test_feeds.py); the shifts follow the DfE's published gaps (children in need
# are about twice as likely to be persistently absent, children on a protection plan more so; looked-after
# children less so than other children in need; youth justice and Gypsy, Roma and Traveller pupils most).
_BASE_LOG_ODDS = -4.3
_SPREAD = 1.75
_SHIFT = {
    "secondary": 0.45,
    "send_support": 0.35,
    "ehc_plan": 0.55,
    "traveller": 1.2,
    "early_help": 0.6,
    "cin": 1.35,
    "cp_plan": 1.6,
    "looked_after": 0.6,
    "youth_justice": 1.4,
    "camhs": 0.35,
}
_MOST = 0.92  # nobody's propensity is above this: even the most absent pupil is marked present some days
# Reasons for a spell of absence. Authorised: illness most, then medical appointments, exceptional leave and
# religious observance. Unauthorised: other unauthorised absence, holidays not agreed, reason not yet known.
_AUTHORISED = {"I": 0.88, "M": 0.04, "C": 0.05, "R": 0.03}
_UNAUTHORISED = {"O": 0.68, "G": 0.17, "N": 0.15}
# Per present day: a visit (both sessions), sport (afternoon), other approved activity (one session), a medical
# appointment (one session) and, per morning, the pupil's own chance of arriving late.
_VISIT, _SPORT, _ACTIVITY, _APPOINTMENT = 0.003, 0.0015, 0.002, 0.004
_LATE_MEAN = 0.012
_LATE_AFTER_REGISTER = 0.1  # of late arrivals, after the register closed (U, unauthorised)
_POLLING_STATION = 0.35  # primary schools closed for an election day (#)
_SNOW_DAY = 0.04  # schools unexpectedly closed for a day one winter (Y4)
_TRANSPORT_FAILED = 0.002  # special-school pupils' transport not there, per day (Y1)

# Suspensions (DfE, suspensions and permanent exclusions in England 2022 to 2023): about 0.7% of primary and
# 6.5% of secondary pupils suspended at least once in a year, about three times each at secondary school;
# permanent exclusions about 1 in 1,000 secondary and 2 in 10,000 primary pupils. Boys, pupils with special
# educational needs and children known to social care are several times more likely.
_SUSPENDED = {"primary": 0.007, "secondary": 0.065}
_REPEATS = {"primary": 0.8, "secondary": 1.9}  # further suspensions, Poisson mean
_PERMANENT = {"primary": 0.0002, "secondary": 0.001}
_SUSPENSION_FACTOR = {
    "boy": 2.2,
    "send_support": 2.5,
    "ehc_plan": 3.0,
    "cin": 3.0,
    "cp_plan": 3.0,
    "looked_after": 2.0,
    "youth_justice": 5.0,
}
_LUNCHTIME = 0.05
_SESSIONS = {1: 0.1, 2: 0.42, 3: 0.08, 4: 0.2, 6: 0.12, 8: 0.03, 10: 0.05}
_REASONS = {
    "DB": 0.33,
    "VA": 0.12,
    "PP": 0.12,
    "VP": 0.1,
    "PA": 0.06,
    "DA": 0.04,
    "DM": 0.04,
    "BU": 0.03,
    "OW": 0.02,
    "SM": 0.02,
    "TH": 0.02,
    "RA": 0.02,
    "MT": 0.03,
    "LG": 0.01,
    "DS": 0.01,
    "PH": 0.01,
}
SUSPENSION_REASONS = tuple(_REASONS)
_SECOND_REASON = 0.15
_EXCLUDED_SESSIONS = 10  # a permanently excluded pupil is marked E until the council's provision begins


def _monday_from(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _school_holidays(year: int) -> tuple[set[datetime.date], list[datetime.date]]:
    """The school year starting in September of `year`: its holidays (an approximation of English term dates) and
    its training days."""
    off: set[datetime.date] = set()

    def weeks(monday: datetime.date, count: int) -> datetime.date:
        for i in range(7 * count - 2):
            off.add(monday + datetime.timedelta(days=i))
        return monday + datetime.timedelta(days=7 * count)

    day = datetime.date
    summer_end = day(year, 9, 2)
    off.update(day(year, 7, 22) + datetime.timedelta(days=i) for i in range((summer_end - day(year, 7, 22)).days + 1))
    autumn_half = _monday_from(day(year, 10, 21))
    weeks(autumn_half, 1)
    after_christmas = weeks(_monday_from(day(year, 12, 18)), 2)
    weeks(_monday_from(day(year + 1, 2, 12)), 1)
    good_friday = next(
        d for d, name in holidays.country_holidays("GB", years=year + 1).items() if name == "Good Friday"
    )
    after_easter = weeks(good_friday - datetime.timedelta(days=4), 2)
    weeks(_monday_from(day(year + 1, 5, 25)), 1)
    off.update(day(year + 1, 7, 22) + datetime.timedelta(days=i) for i in range(43))
    first_days = [d for d in (summer_end + datetime.timedelta(days=i) for i in range(1, 8)) if is_working_day(d)][:2]
    training = [*first_days, autumn_half - datetime.timedelta(days=3)]
    for after in (after_christmas, after_easter):
        training.append(next(d for d in (after + datetime.timedelta(days=i) for i in range(7)) if is_working_day(d)))
    return off, training


def school_days(first: int, last: int) -> np.ndarray:
    """Day numbers of the school days from `first` to `last`: weekdays that are not bank holidays, school holidays
    or training days (about 190 a year, 380 sessions)."""
    start, end = arr.date_of(first), arr.date_of(last)
    off: set[datetime.date] = set()
    for year in range(start.year - 1, end.year + 1):
        holidays_, training = _school_holidays(year)
        off |= holidays_ | set(training)
    days = [first + i for i in range(last - first + 1)]
    return np.array([d for d in days if is_working_day(arr.date_of(d)) and arr.date_of(d) not in off], dtype=np.int64)


@dataclass
class Rolls:
    """Each stretch of a pupil's time on a school's roll within the year (a pupil who moved up to secondary
    school has two), sorted by pupil, with the school's record of them."""

    person: np.ndarray
    school: np.ndarray
    first: np.ndarray  # index into the school days of the first day on roll
    last: np.ndarray  # ... and of the last (inclusive)
    record: ident.Identity
    urn: pa.Array  # per stretch, the school's URN


@dataclass
class Pupils:
    """What shapes a pupil's attendance and behaviour at school (per person in the county)."""

    secondary: np.ndarray
    boy: np.ndarray
    send_support: np.ndarray
    ehc_plan: np.ndarray
    traveller: np.ndarray
    known: dict[str, np.ndarray]  # by involvement kind: known to the service in the year


def rolls(
    rng: np.random.Generator,
    register: ident.Register,
    roll_person: np.ndarray,
    roll_school: np.ndarray,
    roll_start: np.ndarray,
    roll_end: np.ndarray,
    days: np.ndarray,
    urns: pa.Array,
) -> Rolls:
    """The stretches on roll of children with a UPN (compulsory school age), cut to the school days of the year."""
    has_upn = register.upn.is_valid().to_numpy(zero_copy_only=False)[roll_person]
    first = np.searchsorted(days, roll_start, side="left")
    last = np.where(roll_end >= 0, np.searchsorted(days, roll_end, side="left"), len(days)) - 1
    keep = has_upn & (first <= last)
    order = np.flatnonzero(keep)[np.lexsort((first[keep], roll_person[keep]))]
    person, school = roll_person[order], roll_school[order]
    record = ident.records(rng, register, person, ident.SCHOOL)
    return Rolls(person, school, first[order], last[order], record, urns.take(pa.array(school)))


def suspensions(
    rng: np.random.Generator, rolls_: Rolls, pupils: Pupils, days: np.ndarray, phase: np.ndarray
) -> dict[str, np.ndarray]:
    """Suspensions and permanent exclusions of the year: per event its stretch on roll, day index, category,
    sessions and reasons (indices into the code lists). A permanent exclusion ends the stretch."""
    person = rolls_.person
    secondary = phase[rolls_.school] != PRIMARY
    factor = np.ones(len(person))
    for name, value in _SUSPENSION_FACTOR.items():
        flag = pupils.boy if name == "boy" else getattr(pupils, name, None)
        flag = pupils.known[name] if flag is None else flag
        factor *= np.where(flag[person], value, 1.0)
    factor /= factor.mean() if len(factor) else 1.0
    share = (rolls_.last - rolls_.first + 1) / max(len(days), 1)
    suspended_p = np.array([_SUSPENDED[s] for s in ("primary", "secondary")])[secondary.astype(int)]
    suspended = rng.random(len(person)) < np.minimum(suspended_p * factor * share, 0.9)
    repeats = np.array([_REPEATS[s] for s in ("primary", "secondary")])[secondary.astype(int)]
    count = np.where(suspended, 1 + rng.poisson(repeats * np.sqrt(factor) * share), 0)
    stretch = np.repeat(np.arange(len(person)), count)
    length = rolls_.last[stretch] - rolls_.first[stretch] + 1
    day = rolls_.first[stretch] + (rng.random(len(stretch)) * length).astype(np.int64)
    category = np.where(rng.random(len(stretch)) < _LUNCHTIME, 2, 0)  # SUSP, PERM, LUNC
    permanent_p = np.array([_PERMANENT[s] for s in ("primary", "secondary")])[secondary.astype(int)]
    # A permanent exclusion mostly follows suspensions: the chance sits on the pupils already suspended.
    excluded = suspended & (rng.random(len(person)) < np.minimum(permanent_p * factor / 0.05, 0.5))
    last_event = np.flatnonzero(np.r_[stretch[1:] != stretch[:-1], True]) if len(stretch) else np.empty(0, int)
    last_event = last_event[excluded[stretch[last_event]]]
    category[last_event] = 1
    sessions = np.array(list(_SESSIONS))[arr.categorical(rng, np.array(list(_SESSIONS.values())), len(stretch))]
    sessions = np.where(category == 2, 1, sessions)
    reasons = np.array(list(_REASONS.values()))
    first_reason = arr.categorical(rng, reasons, len(stretch))
    second = np.where(rng.random(len(stretch)) < _SECOND_REASON, arr.categorical(rng, reasons, len(stretch)), -1)
    second = np.where(second == first_reason, -1, second)
    # One event per stretch, day and category (the census's key); a later duplicate is dropped.
    key = (stretch * len(days) + day) * 3 + category
    _, unique = np.unique(key, return_index=True)
    keep = np.sort(unique)
    events = {
        "stretch": stretch[keep],
        "day": day[keep],
        "category": category[keep],
        "sessions": sessions[keep],
        "reason": first_reason[keep],
        "reason_2": second[keep],
    }
    # The exclusion ends the pupil's time at the school once the excluded sessions are over; nothing after it.
    perm = events["category"] == 1
    end = np.minimum(rolls_.last[events["stretch"][perm]], events["day"][perm] + _EXCLUDED_SESSIONS // 2 - 1)
    rolls_.last[events["stretch"][perm]] = end
    after = events["day"] > rolls_.last[events["stretch"]]
    return {name: values[~after] for name, values in events.items()}


def propensity(rng: np.random.Generator, pupils: Pupils, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pupil's share of sessions missed and their mean spell of absence in days."""
    log_odds = _BASE_LOG_ODDS + _SPREAD * rng.standard_normal(len(people))
    for name, shift in _SHIFT.items():
        flag = getattr(pupils, name, None)
        flag = pupils.known[name] if flag is None else flag
        log_odds += np.where(flag[people], shift, 0.0)
    rate = np.minimum(1 / (1 + np.exp(-log_odds)), _MOST)
    spell = 1.6 + 9.0 * rate  # a day or two of a cold; weeks at a time for pupils who hardly attend
    return rate, spell


def _season(days: np.ndarray) -> np.ndarray:
    """Illness is commoner in winter and absence on Fridays: relative chance of a spell starting, mean 1."""
    _, month, _ = arr.calendar(days)
    winter = np.isin(month, (12, 1, 2))
    summer = np.isin(month, (6, 7, 9))
    weekday = (days + 3) % 7  # 1 January 1970 was a Thursday; Monday is 0
    factor = np.where(winter, 1.35, np.where(summer, 0.8, 1.0)) * np.where(weekday == 4, 1.15, 1.0)
    return factor / factor.mean()


def _marks(
    rng: np.random.Generator, rate: np.ndarray, spell: np.ndarray, season: np.ndarray, late: np.ndarray
) -> np.ndarray:
    """Codes (indices into CODES) for pupils x school days x (AM, PM)."""
    pupils, days = len(rate), len(season)
    end = 1.0 / spell
    begin = np.minimum(rate * end / (1 - rate), 1.0)
    absent = np.empty((pupils, days), dtype=bool)
    state = rng.random(pupils) < rate
    draws = rng.random((pupils, days), dtype=np.float32)
    for d in range(days):
        state = np.where(state, draws[:, d] >= end, draws[:, d] < begin * season[d])
        absent[:, d] = state
    # One reason per spell, drawn where it starts and carried through it.
    starts = absent & ~np.pad(absent, ((0, 0), (1, 0)))[:, :-1]
    unauthorised_share = 0.15 + 0.55 * np.minimum(rate / 0.5, 1.0)
    unauthorised = rng.random((pupils, days), dtype=np.float32) < unauthorised_share[:, None]
    which = rng.random((pupils, days), dtype=np.float32)
    auth = np.array([_CODE[c] for c in _AUTHORISED], dtype=np.uint8)
    unauth = np.array([_CODE[c] for c in _UNAUTHORISED], dtype=np.uint8)
    auth_cut = np.cumsum(list(_AUTHORISED.values()))
    unauth_cut = np.cumsum(list(_UNAUTHORISED.values()))
    reason = np.where(
        unauthorised,
        unauth[np.minimum(np.searchsorted(unauth_cut, which), len(unauth) - 1)],
        auth[np.minimum(np.searchsorted(auth_cut, which), len(auth) - 1)],
    )
    at = np.where(starts, np.arange(days, dtype=np.int32), 0)
    np.maximum.accumulate(at, axis=1, out=at)
    reason = np.take_along_axis(reason, at, axis=1)
    codes = np.empty((pupils, days, 2), dtype=np.uint8)
    codes[:, :, 0] = np.where(absent, reason, PRESENT_AM)
    codes[:, :, 1] = np.where(absent, reason, PRESENT_PM)
    # Present days: late arrivals, approved activities away from school and the odd appointment.
    present = ~absent
    u = rng.random((pupils, days), dtype=np.float32)
    late_am = present & (u < late[:, None])
    after_register = late_am & (u < late[:, None] * _LATE_AFTER_REGISTER)
    codes[:, :, 0] = np.where(late_am, np.where(after_register, _CODE["U"], _CODE["L"]), codes[:, :, 0])
    v = rng.random((pupils, days), dtype=np.float32)
    visit = present & (v < _VISIT)
    codes[visit] = _CODE["V"]
    sport = present & (v >= _VISIT) & (v < _VISIT + _SPORT)
    codes[:, :, 1] = np.where(sport, _CODE["P"], codes[:, :, 1])
    activity = present & (v >= _VISIT + _SPORT) & (v < _VISIT + _SPORT + _ACTIVITY)
    appointment = present & (v >= 1 - _APPOINTMENT)
    morning = u >= 0.5
    for mask, code in ((activity, _CODE["B"]), (appointment, _CODE["M"])):
        codes[:, :, 0] = np.where(mask & morning, code, codes[:, :, 0])
        codes[:, :, 1] = np.where(mask & ~morning, code, codes[:, :, 1])
    return codes


def closures(rng: np.random.Generator, days: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Whole-school days not counted, schools x school days: the code of a polling day (#) or a snow day (Y4),
    0 for an ordinary day."""
    schools = len(phase)
    out = np.zeros((schools, len(days)), dtype=np.uint8)
    years, month, day = arr.calendar(days)
    weekday = (days + 3) % 7
    polling = np.flatnonzero((month == 5) & (day <= 7) & (weekday == 3))  # the first Thursday in May
    closed = (phase == PRIMARY) & (rng.random(schools) < _POLLING_STATION)
    if len(polling):
        out[closed, polling[0]] = _CODE["#"]
    winter = np.flatnonzero(np.isin(month, (12, 1, 2)))
    snowed = np.flatnonzero(rng.random(schools) < _SNOW_DAY)
    if len(winter) and len(snowed):
        out[snowed, winter[rng.integers(0, len(winter), len(snowed))]] = _CODE["Y4"]
    return out


def write_attendance(
    path: Path,
    rng: np.random.Generator,
    rolls_: Rolls,
    pupils: Pupils,
    days: np.ndarray,
    phase: np.ndarray,
    events: dict[str, np.ndarray],
) -> int:
    """Write attendance.csv a slice of pupils at a time; return the number of marks.

    Each line is the school's record of the pupil (the same on all their marks there) followed by the day, the
    session and the code, so a slice's lines are two gathers and a join, written as one buffer. No cell holds a
    comma, a quote or a line break, so nothing needs quoting."""
    people, first_stretch = np.unique(rolls_.person, return_index=True)
    rate, spell = propensity(rng, pupils, people)
    late = rng.exponential(_LATE_MEAN, len(people)) * (1 + 3 * rate)
    season = _season(days)
    closed = closures(rng, days, phase)
    special = phase[rolls_.school] == SPECIAL
    pupil_part = _pupil_part(rolls_)
    mark_part = _mark_part(days)
    suspended = _excluded_sessions(events, rolls_, people, len(days))
    written = 0
    with path.open("wb") as out:
        out.write((",".join(ATTENDANCE_COLUMNS) + "\n").encode())
        for start in range(0, len(people), PUPILS_PER_SLICE):
            stop = min(start + PUPILS_PER_SLICE, len(people))
            codes = _marks(rng, rate[start:stop], spell[start:stop], season, late[start:stop])
            out_of_school = (suspended[:, 0] >= start) & (suspended[:, 0] < stop)
            pupil, day, half = suspended[out_of_school].T
            codes[pupil - start, day, half] = _CODE["E"]
            first = first_stretch[start]
            last = first_stretch[stop] if stop < len(people) else len(rolls_.person)
            stretch = np.arange(first, last)
            sessions = 2 * (rolls_.last[stretch] - rolls_.first[stretch] + 1)
            row_stretch = np.repeat(stretch, sessions)
            k = arr.group_arange(sessions)
            day = rolls_.first[row_stretch] + k // 2
            half = k % 2
            pupil = np.searchsorted(people, rolls_.person[row_stretch]) - start
            code = codes.reshape(-1)[(pupil * len(days) + day) * 2 + half]
            school_closed = closed[rolls_.school[row_stretch], day]
            code = np.where(school_closed > 0, school_closed, code)
            transport = special[row_stretch] & (rng.random(len(code)) < _TRANSPORT_FAILED / 2)
            code = np.where(transport & (code <= _CODE["B"]), _CODE["Y1"], code)
            lines = pc.binary_join_element_wise(
                pupil_part.take(pa.array(row_stretch)),
                mark_part.take(pa.array((day * 2 + half) * len(CODES) + code)),
                "",
            )
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
            out.write(lines.buffers()[2][offsets[0] : offsets[-1]])
            written += len(code)
    return written


ATTENDANCE_COLUMNS = (
    "upn",
    "given_name",
    "family_name",
    "date_of_birth",
    "school_urn",
    "date",
    "session",
    "code",
)


def _pupil_part(rolls_: Rolls) -> pa.Array:
    """Each stretch's first five cells and the comma after them: UPN, names, date of birth and school URN."""
    record = rolls_.record
    cells = [
        record.upn,
        record.given_name,
        record.family_name,
        arr.dates(record.dob, record.dob >= 0),
        rolls_.urn,
    ]
    part = arr.join(*(pc.fill_null(cell, "") for cell in cells), "", sep=",")
    commas = pc.count_substring(part, ",").to_numpy(zero_copy_only=False)
    if (commas != len(cells)).any() or pc.any(pc.match_substring_regex(part, '["\r\n]')).as_py():
        raise ValueError("a pupil's record holds a comma, a quote or a line break")
    return part


def _mark_part(days: np.ndarray) -> pa.Array:
    """The last three cells and the line end, for every (school day, session, code): index (day * 2 + session) *
    len(CODES) + code."""
    dates = np.repeat(np.array(arr.dates(days).to_pylist(), dtype=object), 2 * len(CODES))
    sessions = np.tile(np.repeat(np.array(["AM", "PM"], dtype=object), len(CODES)), len(days))
    codes = np.tile(np.array(CODES, dtype=object), 2 * len(days))
    return pa.array([f"{d},{s},{c}\n" for d, s, c in zip(dates, sessions, codes, strict=True)], type=pa.string())


def _excluded_sessions(events: dict[str, np.ndarray], rolls_: Rolls, people: np.ndarray, days: int) -> np.ndarray:
    """The sessions a suspension or exclusion keeps the pupil out, as rows (pupil, day, session): from the morning of
    its day for its sessions (ten for a permanent exclusion). A lunchtime suspension misses no marked session."""
    sessions = np.where(events["category"] == 1, _EXCLUDED_SESSIONS, events["sessions"])
    sessions = np.where(events["category"] == 2, 0, sessions)
    event = np.repeat(np.arange(len(sessions)), sessions)
    offset = arr.group_arange(sessions)
    day = events["day"][event] + offset // 2
    inside = day < days  # sessions after the year's last school day are next year's
    pupil = np.searchsorted(people, rolls_.person[events["stretch"][event]])
    return np.stack([pupil, day, offset % 2], axis=1)[inside]
