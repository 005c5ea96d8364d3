"""Tell it once: does the person a referrer describes look like someone already on record, and why?

Plain Python (no Django), so it can be tried from a notebook and tested on its own. The selector that
uses it (frontdoor.selectors.referrals.candidate_search) first picks a small block of people in the
database (`blocks`: the same date of birth or the same date with day and month swapped, the same
family name with a matching given name, the same postcode), then `rank` scores each of them here.

Each part of the description is compared with the record and counts for or against it, in the manner
of Fellegi and Sunter's record linkage: agreeing on a date of birth says more than agreeing on a
postcode, and a nickname or a typo says less than an exact match. The weights are set so that:

- a misspelt, nicknamed or transposed-date description of the same child scores above the line;
- a changed family name scores above the line only with the same given name, date of birth and
  postcode (a child who took a step-parent's name, still at home);
- siblings (same family name and postcode, another given name and date) and twins (another given
  name) stay below it;
- a family member described by name alone scores above the line when the record is already linked to
  the child being referred (a relationship, or the same household).

Nicknames come from the `nicknames` package (a hand-curated list of English given names and their
short forms, github.com/carltonnorthern/nicknames, Apache-2.0); spelling distance is Jaro-Winkler and
the phonetic key is Metaphone, both from `jellyfish`.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jellyfish
from nicknames import NickNamer

from continuum.identifiers import postcode_is_valid, postcode_normalise

# Weights: what agreeing, nearly agreeing or disagreeing on each part adds to the score.
SAME_DATE = 4.0
SWAPPED_DATE = 3.0
ONE_PART_OF_DATE = 1.0
OTHER_DATE = -3.0
SAME_GIVEN = 3.0
NICKNAME = 2.5
GIVEN_TYPO = 2.0
OTHER_GIVEN = -3.0
SAME_FAMILY = 3.0
FAMILY_TYPO = 2.0
FAMILY_PART = 2.0
OTHER_FAMILY = -1.0  # family names change (marriage, a step-parent's name), so disagreeing costs little
SAME_POSTCODE = 2.0
EARLIER_POSTCODE = 1.5
IN_CHILDS_FAMILY = 2.0  # a family member's description, and the record is already linked to the child
# A candidate is offered at or above this score.
THRESHOLD = 7.0
# Jaro-Winkler similarity at or above which two names are the same name mistyped.
TYPO_SIMILARITY = 0.9
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def name_key(value: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed (as people.models.name_key keys names)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.lower().split())


def _compact(value: str) -> str:
    return name_key(value).replace(" ", "")


def _postcode(value: str) -> str:
    return postcode_normalise(value) if postcode_is_valid(value) else ""


def say_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def swapped(day: datetime.date | None) -> datetime.date | None:
    """The date with its day and month the other way round (3 April for 4 March), where that is another date."""
    if day is None or day.day == day.month or day.day > 12:
        return None
    return day.replace(month=day.day, day=day.month)


@dataclass(frozen=True)
class Described:
    """The person as the referrer describes them."""

    given_name: str
    family_name: str
    known_as: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""

    def as_audit(self) -> dict[str, str]:
        shown = {
            "given_name": self.given_name.strip(),
            "family_name": self.family_name.strip(),
            "known_as": self.known_as.strip(),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "postcode": self.postcode.strip(),
        }
        return {k: v for k, v in shown.items() if v}


@dataclass(frozen=True)
class Stored:
    """A person on record, as far as matching needs them."""

    id: Any
    given_name: str
    family_name: str
    known_as: str = ""
    date_of_birth: datetime.date | None = None
    postcodes: tuple[str, ...] = ()  # the current address's first
    earlier_postcodes: tuple[str, ...] = ()
    in_childs_family: bool = False  # recorded as related to, or living with, the child being referred


@dataclass(frozen=True)
class Match:
    id: Any
    score: float
    reasons: tuple[str, ...]

    @property
    def why(self) -> str:
        """Why this record was offered, in plain words: "same date of birth; surname spelt differently: A / B"."""
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class Blocks:
    """What to look for in the database before scoring: any person meeting one of these is scored."""

    dates: tuple[datetime.date, ...] = ()
    family_key: str = ""
    given_keys: frozenset[str] = field(default_factory=frozenset)
    postcode: str = ""


def blocks(typed: Described) -> Blocks:
    """The database conditions that find every record `rank` could score above the line.

    A record scoring above the line agrees on the date of birth (exactly or swapped), or on the postcode,
    or on both names with the date nearly right; the third is searched as the same family name with one
    of the given name's forms (so it stays small for a common family name). The selector adds the people
    already linked to the child, when a family member is being looked for.
    """
    dates = tuple(d for d in (typed.date_of_birth, swapped(typed.date_of_birth)) if d is not None)
    given = {name_key(n) for n in (typed.given_name, typed.known_as) if name_key(n)}
    forms = set(given)
    for name in given:
        forms |= _namer().nicknames_of(name) | _namer().canonicals_of(name)
    return Blocks(
        dates=dates,
        family_key=name_key(typed.family_name),
        given_keys=frozenset(forms),
        postcode=_postcode(typed.postcode),
    )


@functools.cache
def _namer() -> NickNamer:
    return NickNamer()


def _forms(name: str) -> set[str]:
    """The name and the full names it is a short form of (bob -> robert, bert, bobby)."""
    key = name_key(name)
    return {key, *_namer().canonicals_of(key)} if key else set()


def nickname_of(a: str, b: str) -> bool:
    """Whether two given names are forms of one name: Bob and Robert, Liz and Elizabeth, Kate and Catherine.

    True when one is a short form of the other, when both are short forms of one name, or when their full
    names are spellings of each other (Kate is short for Katherine, which Catherine spells differently).
    Two full names that merely share a short form (Albert and Alfred, both "Al") are not.
    """
    left, right = _forms(a), _forms(b)
    if not left or not right:
        return False
    if left & right:
        return True
    return any(jellyfish.jaro_winkler_similarity(x, y) >= TYPO_SIMILARITY for x in left for y in right)


def _spelt_alike(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if jellyfish.damerau_levenshtein_distance(a, b) <= (1 if min(len(a), len(b)) <= 5 else 2):
        return True
    return jellyfish.jaro_winkler_similarity(a, b) >= TYPO_SIMILARITY


def _sound_alike(a: str, b: str) -> bool:
    return bool(a) and bool(b) and jellyfish.metaphone(a) == jellyfish.metaphone(b)


def _date_part(typed: datetime.date | None, stored: datetime.date | None) -> tuple[float, str]:
    if typed is None or stored is None:
        return 0.0, ""
    if typed == stored:
        return SAME_DATE, "same date of birth"
    pair = f"{say_date(stored)} / {say_date(typed)}"
    if swapped(typed) == stored:
        return SWAPPED_DATE, f"date of birth with the day and month the other way round: {pair}"
    differ = [
        part
        for part, x, y in (
            ("day", typed.day, stored.day),
            ("month", typed.month, stored.month),
            ("year", typed.year, stored.year),
        )
        if x != y
    ]
    if len(differ) == 1:
        return ONE_PART_OF_DATE, f"date of birth differs only in the {differ[0]}: {pair}"
    return OTHER_DATE, f"different date of birth: {pair}"


def _given_part(typed: Described, stored: Stored) -> tuple[float, str]:
    typed_names = [n for n in (typed.given_name, typed.known_as) if _compact(n)]
    stored_names = [(n, known) for n, known in ((stored.given_name, False), (stored.known_as, True)) if _compact(n)]
    if not typed_names or not stored_names:
        return 0.0, ""
    best: tuple[float, str] = (OTHER_GIVEN, f"different given name: {stored.given_name} / {typed.given_name}")
    for t in typed_names:
        for s, known in stored_names:
            if _compact(t) == _compact(s):
                found = (SAME_GIVEN, f"known as {s}" if known else "same given name")
            elif nickname_of(t, s):
                found = (NICKNAME, f"{t} and {s} are forms of the same name")
            elif _spelt_alike(_compact(t), _compact(s)) or _sound_alike(_compact(t), _compact(s)):
                found = (GIVEN_TYPO, f"given name spelt differently: {s} / {t}")
            else:
                continue
            best = max(best, found, key=lambda pair: pair[0])
    return best


def _family_part(typed: Described, stored: Stored) -> tuple[float, str]:
    t, s = _compact(typed.family_name), _compact(stored.family_name)
    if not t or not s:
        return 0.0, ""
    pair = f"{stored.family_name} / {typed.family_name}"
    if t == s:
        return SAME_FAMILY, "same surname"
    if _spelt_alike(t, s):
        return FAMILY_TYPO, f"surname spelt differently: {pair}"
    if _sound_alike(t, s):
        return FAMILY_TYPO, f"surname sounds the same: {pair}"
    parts_t, parts_s = set(name_key(typed.family_name).split()), set(name_key(stored.family_name).split())
    if len(parts_t | parts_s) > 1 and parts_t & parts_s:
        return FAMILY_PART, f"part of the surname matches: {pair}"
    return OTHER_FAMILY, f"different surname: {pair}"


def _postcode_part(typed: Described, stored: Stored) -> tuple[float, str]:
    postcode = _postcode(typed.postcode)
    if not postcode:
        return 0.0, ""
    if postcode in stored.postcodes:
        return SAME_POSTCODE, "same postcode"
    if postcode in stored.earlier_postcodes:
        return EARLIER_POSTCODE, "lived at the same postcode before"
    return 0.0, ""


def score(typed: Described, stored: Stored) -> Match:
    """How far the description agrees with the record, and why, part by part."""
    parts = [
        _date_part(typed.date_of_birth, stored.date_of_birth),
        _given_part(typed, stored),
        _family_part(typed, stored),
        _postcode_part(typed, stored),
        (IN_CHILDS_FAMILY, "already recorded in the child's family") if stored.in_childs_family else (0.0, ""),
    ]
    total = sum(weight for weight, _ in parts)
    reasons = tuple(words for _, words in parts if words)
    if total >= THRESHOLD and parts[2][0] == OTHER_FAMILY and parts[1][0] > 0 and parts[0][0] > 0 and parts[3][0] > 0:
        reasons = (*reasons, "the surname may have changed")
    return Match(id=stored.id, score=total, reasons=reasons)


def rank(typed: Described, stored: Iterable[Stored], *, limit: int = 10) -> list[Match]:
    """The records that score at or above the line, best first (at most `limit`)."""
    found = [m for m in (score(typed, s) for s in stored) if m.score >= THRESHOLD]
    return sorted(found, key=lambda m: (-m.score, str(m.id)))[:limit]
