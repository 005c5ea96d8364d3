"""Two lists of the same children, as two agencies would keep them, from a seeded generator: most children on
both, some on one only, twins (same family name, date of birth and postcode, another given name) on both,
and the other list's copy corrupted the ways real lists differ: a nickname, a typo in the family name, day
and month the other way round, a postcode missing or moved, a married (double-barrelled) family name."""

from __future__ import annotations

import csv
import datetime
import random
from dataclasses import dataclass, replace
from pathlib import Path

# Formal given names and short forms a school or GP might record instead.
NICKNAMES = {
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy"),
    "Katherine": ("Kate", "Katie"),
    "James": ("Jim", "Jamie"),
    "Thomas": ("Tom", "Tommy"),
    "Alexander": ("Alex",),
    "Samuel": ("Sam",),
    "Joseph": ("Joe",),
    "Jennifer": ("Jenny",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky",),
    "Benjamin": ("Ben",),
    "Christopher": ("Chris",),
    "Nicholas": ("Nick",),
    "Jessica": ("Jess",),
    "Abigail": ("Abby",),
    "Edward": ("Ed", "Eddie"),
    "Michael": ("Mike",),
    "Anthony": ("Tony",),
    "Richard": ("Rick",),
}
OTHER_GIVEN = (  # noqa: SIM905 (a list of words reads best as words)
    "Olivia Amelia Isla Ava Mia Freya Aisha Zara Maryam Poppy Ruby Evie Grace Sophia Lily Ivy Harper Nia "
    "Noah Oliver Leo Arthur Muhammad Oscar Harry George Jack Theo Freddie Archie Finley Reuben Kai Yusuf "
    "Ibrahim Tomasz Oluwaseun Chidi Priya Anika Rohan Arjun Mei Jun Kofi Ama Siobhan Ciaran Niamh Rhys "
    "Carys Eilidh"
).split()
FAMILY = (  # noqa: SIM905 (a list of words reads best as words)
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker "
    "White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward "
    "Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James "
    "Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly "
    "Begum Miller Cox Hussain Marshall Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis "
    "Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes "
    "Knight Matthews Barker Powell Stevens Kaur Fisher Butler Dixon Russell Harvey Pearson Graham Okafor "
    "Nowak Kowalski Mensah Osei Nguyen Chen Hartley Whitfield Brennan Gallagher"
).split()
DISTRICTS = ("LS1", "LS2", "LS4", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS15", "LS17", "LS28")


MALE = {"William", "Robert", "James", "Thomas", "Alexander", "Samuel", "Joseph", "Daniel", "Matthew", "Benjamin"}
MALE |= {"Christopher", "Nicholas", "Edward", "Michael", "Anthony", "Richard"}


@dataclass(frozen=True)
class Child:
    record_id: str
    given_name: str
    family_name: str
    date_of_birth: str
    sex: str
    postcode: str


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _child(rng: random.Random, number: int) -> Child:
    sex = rng.choice("MF")
    formal = [name for name in NICKNAMES if (name in MALE) == (sex == "M")]
    given = rng.choice(formal) if rng.random() < 0.4 else rng.choice(OTHER_GIVEN)
    born = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 14))
    return Child(f"c{number}", given, rng.choice(FAMILY), born.isoformat(), sex, _postcode(rng))


def _typo(rng: random.Random, name: str) -> str:
    at = rng.randrange(1, len(name) - 1)
    if rng.random() < 0.5:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # two letters the other way round
    return name[:at] + name[at + 1 :]  # a letter left out


def _corrupt(rng: random.Random, child: Child) -> Child:
    changed = child
    if changed.given_name in NICKNAMES and rng.random() < 0.5:
        changed = replace(changed, given_name=rng.choice(NICKNAMES[changed.given_name]))
    if rng.random() < 0.08:
        changed = replace(changed, family_name=_typo(rng, changed.family_name))
    elif rng.random() < 0.04:
        changed = replace(changed, family_name=f"{changed.family_name}-{rng.choice(FAMILY)}")
    year, month, day = changed.date_of_birth.split("-")
    if int(day) <= 12 and day != month and rng.random() < 0.08:
        changed = replace(changed, date_of_birth=f"{year}-{day}-{month}")
    if rng.random() < 0.08:
        changed = replace(changed, postcode="")
    elif rng.random() < 0.08:
        changed = replace(changed, postcode=_postcode(rng))
    return changed


def two_lists(seed: int, people: int = 300) -> tuple[list[Child], list[Child], set[tuple[str, str]]]:
    """(left, right, the true pairs as (left id, right id)): `people` children a list, four in five of them on
    both; a tenth of the left's children have a twin on the right only."""
    rng = random.Random(seed)
    pool = [_child(rng, n) for n in range(people * 2)]
    twins = people // 10
    for n in range(twins):  # the same family, birth and home; another given name
        other = rng.choice([name for name in OTHER_GIVEN if name != pool[n].given_name])
        pool[people + n] = replace(pool[n], record_id=f"c{people + n}", given_name=other, sex=rng.choice("MF"))
    shared = people * 4 // 5
    on_right = pool[:shared] + pool[people : people + people - shared]
    left = [replace(child, record_id=f"A{n:04d}") for n, child in enumerate(pool[:people])]
    right = [_corrupt(rng, child) if n < shared else child for n, child in enumerate(on_right)]
    order = list(range(len(right)))
    rng.shuffle(order)
    right = [replace(right[n], record_id=f"B{place:04d}") for place, n in enumerate(order)]
    truth = {(left[n].record_id, right[place].record_id) for place, n in enumerate(order) if n < shared}
    return left, right, truth


def write_list(children: list[Child], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode"])
        writer.writerows(
            [c.record_id, c.given_name, c.family_name, c.date_of_birth, c.sex, c.postcode] for c in children
        )
