"""Synthetic NHS numbers and UPNs, and school-year ages, for whole arrays at once.

The check characters follow continuum.identifiers, which validates one value at a time; the
tests check every generated number against those validators.
"""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa

from continuum.identifiers import UPN_ALPHABET
from continuum.synth import _arrays as arr

# NHS numbers beginning 999 are reserved for testing and never issued to a patient.
_NHS_TEST_PREFIX = "999"
LOCAL_AUTHORITY = "999"  # an LA code no real authority has, for UPNs


def nhs_numbers(rng: np.random.Generator, present: np.ndarray) -> pa.Array:
    """Distinct valid NHS numbers from the 999 test range, null where present is False."""
    n = int(np.count_nonzero(present))
    body = np.arange(1_000_000)
    prefix = np.array([int(c) for c in _NHS_TEST_PREFIX])
    six = arr.digits(body, 6).astype(np.int64) - ord("0")
    total = prefix @ np.arange(10, 7, -1) + six @ np.arange(7, 1, -1)
    check = (11 - total % 11) % 11  # a remainder of 0 gives 11, written as 0
    valid = check != 10  # no NHS number ends in a check digit of 10
    if n > valid.sum():
        raise ValueError(f"the NHS test range holds {valid.sum():,} valid numbers; {n:,} are needed")
    chosen = rng.choice(np.flatnonzero(valid), size=n, replace=False)
    chars = np.concatenate(
        [
            np.frombuffer(_NHS_TEST_PREFIX.encode(), dtype=np.uint8)[None, :].repeat(n, axis=0),
            arr.digits(chosen, 6),
            arr.digits(check[chosen], 1),
        ],
        axis=1,
    )
    numbers = arr.fixed_width(chars)
    index = np.cumsum(present) - 1
    return numbers.take(pa.array(np.where(present, index, 0), mask=~np.asarray(present)))


def upns(establishment: np.ndarray, year: np.ndarray, serial: np.ndarray) -> pa.Array:
    """UPNs: check letter, LA code 999, 4-digit establishment, 2-digit year of allocation, 3-digit serial."""
    n = len(establishment)
    body = np.concatenate(
        [
            np.frombuffer(LOCAL_AUTHORITY.encode(), dtype=np.uint8)[None, :].repeat(n, axis=0),
            arr.digits(establishment, 4),
            arr.digits(year % 100, 2),
            arr.digits(serial, 3),
        ],
        axis=1,
    )
    total = (body.astype(np.int64) - ord("0")) @ np.arange(2, 14)
    letter = np.frombuffer(UPN_ALPHABET.encode(), dtype=np.uint8)[total % 23]
    return arr.fixed_width(np.concatenate([letter[:, None], body], axis=1))


def school_year_start(as_of: int) -> int:
    """The calendar year in which the school year containing as_of began (1 September)."""
    day = arr.date_of(as_of)
    return day.year if day.month >= 9 else day.year - 1


def academic_age(dob: np.ndarray, as_of: int) -> np.ndarray:
    """Age on the 31 August before the school year: what decides a child's year group."""
    cutoff = arr.day_number(datetime.date(school_year_start(as_of), 8, 31))
    return arr.whole_years(dob, cutoff)
