"""Records for the linkage engine's tests: a small synthetic population seen by several sources, each with the
identity errors the synthetic county's feeds carry (continuum.synth), and a hand-made set of hard cases.

Plain Python, no database: the engine takes Arrow tables.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.linkage.engine.model import TrainedModel, train
from continuum.linkage.engine.records import RECORD_SCHEMA
from continuum.synth import _arrays as arr
from continuum.synth import _families, _geography, _namebook
from continuum.synth import _feeds_identity as ident

FEMALE = 1
AS_OF = datetime.date(2026, 12, 1)

# Each source: its identity errors, and which identifiers it holds.
SOURCES = {
    "person": (ident.Errors(), ("nhs_number", "upn")),
    "health": (ident.HEALTH, ("nhs_number",)),
    "school": (ident.SCHOOL, ("upn",)),
    "police": (ident.POLICE, ()),
}


@dataclass(frozen=True)
class Population:
    records: pa.Table  # RECORD_SCHEMA
    truth: dict[str, str]  # record_id -> person


@functools.cache
def population(children: int = 300, seed: int = 11, sources: tuple[str, ...] = tuple(SOURCES)) -> Population:
    """`children` children, each seen once by every source in `sources` (record ids "<source>:<n>")."""
    today = arr.day_number(AS_OF)
    book = _namebook.build()
    pop = _families.build(seed, children * 2, today, book)
    rng = arr.stream(seed, "geography")
    addresses = _geography.place_households(
        rng, _geography.choose_towns(rng, pop.household_heritage != _families.WBRI), today
    )
    female = pa.array(pop.sex == FEMALE)
    surname = pa.array(np.maximum(pop.family_name, 0))
    family = pc.if_else(female, book.family_feminine.take(surname), book.family_masculine.take(surname))
    second = pa.array(np.maximum(pop.family_name_second, 0))
    second_name = pc.if_else(female, book.family_feminine.take(second), book.family_masculine.take(second))
    family = arr.choose(pop.family_name_second >= 0, arr.join(family, second_name, sep="-"), family)
    upns = pa.array([f"T{i:012d}" for i in range(pop.people)])  # shapes only: the engine trusts its caller's checks
    register = ident.Register(
        pop=pop,
        addresses=addresses,
        book=book,
        person_id=pa.array([f"p{i}" for i in range(pop.people)]),
        given_name=arr.pick(book.given, pop.given),
        family_name=family,
        known_as=arr.pick(book.nicknames, pop.known_as),
        sex=pa.array(np.where(pop.sex == FEMALE, "F", "M")),
        ethnicity=pa.nulls(pop.people, pa.string()),
        upn=upns,
        nhs_number=pop.nhs_number,
        household_postcode=addresses.postcode,
    )
    kids = np.flatnonzero(pop.is_child & (pop.household >= 0))
    chosen = np.sort(np.random.default_rng(seed).choice(kids, size=min(children, len(kids)), replace=False))
    tables, truth = [], {}
    for source in sources:
        errors, identifiers = SOURCES[source]
        seen = ident.records(arr.stream(seed, f"linkage-test-{source}"), register, chosen, errors)
        n = len(chosen)
        ids = [f"{source}:{i}" for i in range(n)]
        truth.update({record: f"p{int(person)}" for record, person in zip(ids, chosen, strict=True)})
        born = pa.array(np.where(seen.dob >= 0, seen.dob, 0).astype("datetime64[D]"), pa.date32())
        born = pc.if_else(pa.array(seen.dob >= 0), born, pa.nulls(n, pa.date32()))
        blank = pa.nulls(n, pa.string())
        tables.append(
            pa.table(
                {
                    "record_id": pa.array(ids),
                    "source": pa.array([source] * n),
                    "given_name": seen.given_name,
                    "family_name": seen.family_name,
                    "date_of_birth": born,
                    "sex": pc.if_else(pc.equal(seen.sex, "U"), blank, seen.sex),
                    "postcode": seen.postcode if source != "school" else blank,
                    "address": blank,
                    "nhs_number": seen.nhs_number if "nhs_number" in identifiers else blank,
                    "upn": seen.upn if "upn" in identifiers else blank,
                },
                schema=RECORD_SCHEMA,
            )
        )
    return Population(pa.concat_tables(tables), truth)


# The hard cases, as (record id, person, given, family, date of birth, sex, postcode). A person record (with an NHS
# number) and a police record (none) for each: the police records must link, or not, on names, date and postcode.
HAND_MADE = (
    # Twins: same family name, date of birth, sex and postcode, other given names: never one person.
    ("twin-a-person", "twin-a", "Oliver", "Quennell", "2015-03-14", "M", "SF9 1QQ"),
    ("twin-a-police", "twin-a", "Oliver", "QUENNELL", "2015-03-14", "M", "SF9 1QQ"),
    ("twin-b-person", "twin-b", "Harry", "Quennell", "2015-03-14", "M", "SF9 1QQ"),
    ("twin-b-police", "twin-b", "Harry", "QUENNELL", "2015-03-14", "M", "SF9 1QQ"),
    # A nickname: Bill for William.
    ("nickname-person", "nickname", "William", "Ashdown", "2012-06-02", "M", "SF8 2WW"),
    ("nickname-police", "nickname", "Bill", "ASHDOWN", "2012-06-02", "M", "SF82WW"),
    # Another family name (a step-parent's, or married), same given name, date of birth and postcode.
    ("surname-person", "surname", "Sophie", "Marchetti", "2011-09-21", "F", "SF7 3XX"),
    ("surname-police", "surname", "Sophie", "Kowalczyk", "2011-09-21", "F", "SF7 3XX"),
    # Day and month the other way round.
    ("swapped-person", "swapped", "Ruby", "Fairweather", "2013-04-07", "F", "SF6 4YY"),
    ("swapped-police", "swapped", "Ruby", "FAIRWEATHER", "2013-07-04", "F", "SF6 4YY"),
)


def hand_made() -> Population:
    rows = []
    for i, (record, _person, given, family, born, sex, postcode) in enumerate(HAND_MADE):
        source = record.rsplit("-", 1)[1]
        rows.append(
            {
                "record_id": record,
                "source": source,
                "given_name": given,
                "family_name": family,
                "date_of_birth": datetime.date.fromisoformat(born),
                "sex": sex,
                "postcode": postcode,
                "address": None,
                "nhs_number": f"99990000{i:02d}" if source == "person" else None,
                "upn": None,
            }
        )
    return Population(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), {r[0]: r[1] for r in HAND_MADE})


def combined(*parts: Population) -> Population:
    return Population(pa.concat_tables([p.records for p in parts]), {k: v for p in parts for k, v in p.truth.items()})


@functools.cache
def county() -> Population:
    """300 children seen by four sources, and the hand-made cases: what most of the tests link."""
    return combined(population(300), hand_made())


@functools.cache
def county_model() -> TrainedModel:
    """The model trained on `county()`, once per test run (training takes a few seconds)."""
    return train(county().records)
