"""The county's agency feeds: every extract the single view is built from, written as the agencies send them.

`write` puts under a directory (the generator's scratch directory, moved into place with the rest):

- feeds/attendance.csv, suspensions.csv, police.csv, missing.csv, health.csv, youth_justice.csv,
  feeds/ssda903/<table>.csv and feeds/cin/<table>.csv, in the formats of docs/feeds/ (the contract);
- feeds/README.txt, saying the people in them are invented;
- truth/source_people.csv: the county person behind every person reference in every feed;
- feeds-bad/: one small malformed file per case, with the problems each should raise (expected.json).

Each source holds its own record of a child, with its own errors (_feeds_identity); the events follow the
county's involvements (a looked-after child's care episodes, a youth justice child's outcomes) and its need.
Plain Python over numpy arrays; marks are written in slices (_feeds_school).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa

from continuum.synth import _arrays as arr
from continuum.synth import _feeds_bad, _feeds_care, _feeds_events, _feeds_school
from continuum.synth import _feeds_identity as ident
from continuum.synth._agencies import Organisation
from continuum.synth._families import MALE, Population
from continuum.synth._feeds_common import County, year_start
from continuum.synth._geography import Addresses
from continuum.synth._identifiers import academic_age
from continuum.synth._namebook import NameBook
from continuum.synth._places import Schools
from continuum.synth._services import KINDS, SEND_CODES, Services

README = """These files are synthetic.

Every person, address, school, incident, attendance mark and identifier in this folder was invented by
Continuum's synthetic county generator (`continuum synth`). None of it describes a real person. NHS numbers are
from the range reserved for testing (999...), UPNs use a local authority code no council has (999), postcodes are
in the fictional SF area, and school URNs are from 900000 up.

The files are in the formats councils receive from schools, police, hospitals, youth justice and social care
(see docs/feeds/), with the errors real extracts carry: nicknames and typing slips in names, day and month
swapped in dates of birth, old postcodes, missing or mistyped identifiers. truth/source_people.csv (beside this
folder) names the true person behind every record, for testing record linkage.
"""


class Truth:
    """The county person behind each person reference, feed by feed."""

    def __init__(self, person_id: pa.Array) -> None:
        self.person_id = person_id
        self.parts: list[tuple[str, pa.Array, np.ndarray]] = []

    def add(self, feed: str, refs: pa.Array | Sequence[str], people: np.ndarray) -> None:
        refs = refs if isinstance(refs, pa.Array) else pa.array(list(refs), type=pa.string())
        self.parts.append((feed, refs, np.asarray(people, dtype=np.int64)))

    def table(self) -> pa.Table:
        rows: dict[tuple[str, str], int] = {}
        for feed, refs, people in self.parts:
            for ref, person in zip(refs.to_pylist(), people.tolist(), strict=True):
                if rows.setdefault((feed, ref), person) != person:
                    raise AssertionError(f"{feed} reference {ref} was given to two people")
        keys = sorted(rows)
        return pa.table(
            {
                "feed": pa.array([f for f, _ in keys], type=pa.string()),
                "ref": pa.array([r for _, r in keys], type=pa.string()),
                "person_id": self.person_id.take(pa.array([rows[k] for k in keys], type=pa.int64())),
            }
        )


def county(
    seed: int,
    as_of: int,
    pop: Population,
    addresses: Addresses,
    book: NameBook,
    people: pa.Table,
    services: Services,
    schools: Schools,
    org: Organisation,
) -> County:
    start = arr.day_number(year_start(arr.date_of(as_of)))
    column = {name: people[name].combine_chunks() for name in people.column_names}
    register = ident.Register(
        pop=pop,
        addresses=addresses,
        book=book,
        person_id=column["person_id"],
        given_name=column["given_name"],
        family_name=column["family_name"],
        known_as=column["known_as"],
        sex=column["sex"],
        ethnicity=column["ethnicity"],
        upn=column["upn"],
        nhs_number=column["nhs_number"],
        household_postcode=addresses.postcode,
    )
    rows = services.involvements
    known = {}
    for kind in KINDS:
        during = (rows.kind == KINDS.index(kind)) & (rows.start <= as_of) & ((rows.end < 0) | (rows.end >= start))
        flag = np.zeros(pop.people, dtype=bool)
        flag[rows.person[during]] = True
        known[kind] = flag
    age = np.maximum(arr.whole_years(pop.dob, as_of), 0)
    return County(seed, as_of, start, register, services, schools, org, age, known)


def write(out: Path, c: County) -> dict[str, int]:
    """Write every feed, the truth and the malformed files under `out`; return the rows written per file."""
    feeds = out / "feeds"
    for folder in (feeds / "ssda903", feeds / "cin", out / "feeds-bad", out / "truth"):
        folder.mkdir(parents=True, exist_ok=True)
    (feeds / "README.txt").write_text(README)
    truth = Truth(c.register.person_id)
    counts = _schools(c, feeds, truth)
    outcomes = _feeds_events.youth_justice(c)
    force = _feeds_events.force(c, outcomes)
    for name, table in (
        ("youth_justice", outcomes.rows),
        ("police", force.police),
        ("missing", force.missing),
        ("health", _feeds_events.health(c)),
    ):
        counts[f"{name}.csv"] = write_csv(feeds / f"{name}.csv", table.columns)
        truth.add(name, table.refs, table.people)
    care = _feeds_care.build(c, force.care_missing, np.unique(outcomes.person))
    for feed, tables in care.tables.items():
        for name, columns in tables.items():
            counts[f"{feed}/{name}.csv"] = write_csv(feeds / feed / f"{name}.csv", columns)
    for feed, (refs, people) in care.people.items():
        truth.add(feed, refs, people)
    source_people = truth.table()
    write_csv(out / "truth" / "source_people.csv", {name: source_people[name] for name in source_people.column_names})
    _feeds_bad.write(out / "feeds-bad")
    return counts


def _schools(c: County, feeds: Path, truth: Truth) -> dict[str, int]:
    """Suspensions first (a suspended pupil's marks say so, and an exclusion ends their time at the school), then
    every register mark of the year."""
    days = _feeds_school.school_days(c.start, c.as_of)
    rows = c.services.involvements
    on_roll = (rows.kind == KINDS.index("school_roll")) & (rows.start <= c.as_of)
    rolls = _feeds_school.rolls(
        c.rng("school records"),
        c.register,
        rows.person[on_roll],
        c.org.agency_school[rows.agency[on_roll]],
        rows.start[on_roll],
        rows.end[on_roll],
        days,
        arr.fixed_width(arr.digits(c.schools.urn, 6)),
    )
    pupils = _feeds_school.Pupils(
        secondary=academic_age(c.pop.dob, c.as_of) >= 11,
        boy=c.pop.sex == MALE,
        send_support=c.pop.send == SEND_CODES.index("K"),
        ehc_plan=c.pop.send == SEND_CODES.index("E"),
        traveller=np.isin(c.register.ethnicity.to_numpy(zero_copy_only=False), ["WIRT", "WROM"]),
        known=c.known,
    )
    phase = c.schools.phase
    events = _feeds_school.suspensions(c.rng("suspensions"), rolls, pupils, days, phase)
    counts = {"suspensions.csv": write_csv(feeds / "suspensions.csv", _suspension_rows(rolls, events, days))}
    truth.add("suspensions", rolls.record.upn.take(pa.array(events["stretch"])), rolls.person[events["stretch"]])
    counts["attendance.csv"] = _feeds_school.write_attendance(
        feeds / "attendance.csv", c.rng("attendance"), rolls, pupils, days, phase, events
    )
    truth.add("attendance", rolls.record.upn, rolls.person)
    return counts


def _suspension_rows(rolls: _feeds_school.Rolls, events: dict[str, np.ndarray], days: np.ndarray) -> dict:
    stretch = pa.array(events["stretch"])
    record = rolls.record.take(events["stretch"])
    reasons = list(_feeds_school.SUSPENSION_REASONS)
    sessions = pa.array(events["sessions"], mask=events["category"] == 1).cast(pa.string())
    category = events["category"]
    return {
        "upn": record.upn,
        "given_name": record.given_name,
        "family_name": record.family_name,
        "date_of_birth": arr.dates(record.dob, record.dob >= 0),
        "sex": record.sex,
        "school_urn": rolls.urn.take(stretch),
        "category": arr.pick(["SUSP", "PERM", "LUNC"], category),
        "start_date": arr.dates(days[events["day"]]),
        "sessions": sessions,
        "reason": arr.pick(reasons, events["reason"]),
        "reason_2": arr.pick(reasons, events["reason_2"]),
        "reason_3": pa.nulls(len(category), pa.string()),
    }


def write_csv(path: Path, columns: Mapping[str, pa.Array | pa.ChunkedArray | Sequence[str | None]]) -> int:
    """A CSV file as councils' systems write one: a header, then one row per record, quoting only where a cell needs
    it, blank for no value. Returns the number of rows."""
    names = list(columns)
    values = [c.to_pylist() if isinstance(c, pa.Array | pa.ChunkedArray) else list(c) for c in columns.values()]
    rows = list(zip(*values, strict=True)) if values else []
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    return len(rows)
