"""What every feed is drawn from, and the cell formats they share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.synth import _arrays as arr
from continuum.synth import _feeds_identity as ident
from continuum.synth._agencies import Organisation
from continuum.synth._families import Population
from continuum.synth._places import Schools
from continuum.synth._services import Services


@dataclass
class County:
    """What the feeds are drawn from: the county's people and services, and the year the feeds cover."""

    seed: int
    as_of: int
    start: int  # first day of the year the feeds cover (the day after the same date a year before)
    register: ident.Register
    services: Services
    schools: Schools
    org: Organisation
    age: np.ndarray  # whole years at as_of, per person
    known: dict[str, np.ndarray]  # by involvement kind, per person: open at some time in the year

    @property
    def pop(self) -> Population:
        return self.register.pop

    def rng(self, part: str) -> np.random.Generator:
        return arr.stream(self.seed, f"feeds.{part}")


@dataclass
class Rows:
    """One single-table feed: its columns in order, and for each row the person reference and who it is."""

    columns: dict[str, pa.Array]
    refs: pa.Array
    people: np.ndarray


def unique_numbers(rng: np.random.Generator, n: int, digits: int) -> np.ndarray:
    """n different random numbers of exactly `digits` digits, in the order drawn."""
    drawn = np.empty(0, dtype=np.int64)
    while len(drawn) < n:
        more = np.concatenate([drawn, rng.integers(10 ** (digits - 1), 10**digits, n + 16)])
        _, first = np.unique(more, return_index=True)
        drawn = more[np.sort(first)]
    return drawn[:n]


def blank_where(blank: np.ndarray, values: np.ndarray | str) -> np.ndarray:
    """values (an array, or one value for every row) as objects, None where `blank` is True."""
    out = np.full(len(blank), None, dtype=object)
    keep = ~np.asarray(blank, dtype=bool)
    out[keep] = values[keep] if isinstance(values, np.ndarray) else values
    return out


def first_of_each(*columns: np.ndarray) -> np.ndarray:
    """For rows sorted by `columns`: True on the first row of each run of equal values (one row per distinct key)."""
    first = np.zeros(len(columns[0]), dtype=bool)
    first[:1] = True
    for column in columns:
        first[1:] |= column[1:] != column[:-1]
    return first


def numbered(prefix: str, numbers: np.ndarray) -> pa.Array:
    """References such as 'YJ123456': a prefix and each number."""
    return arr.join(prefix, arr.integers_as_text(numbers))


def uniform_days(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """A day drawn evenly from first..last (inclusive) for each pair."""
    return first + (rng.random(len(first)) * (last - first + 1)).astype(np.int64)


def codes(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    """n codes drawn by weight (a numpy array of str)."""
    return np.array(list(weights), dtype=object)[arr.categorical(rng, np.array(list(weights.values())), n)]


def text(values: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """A string column from a numpy array of str or None, null where present is False."""
    out = pa.array(values.tolist() if isinstance(values, np.ndarray) else values, type=pa.string())
    if present is None:
        return out
    return pc.if_else(pa.array(np.asarray(present, dtype=bool)), out, pa.nulls(len(out), pa.string()))


def year_start(as_of: datetime.date) -> datetime.date:
    """The first day of the twelve months up to and including as_of."""
    try:
        before = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        before = as_of.replace(year=as_of.year - 1, day=28)
    return before + datetime.timedelta(days=1)


def dmy(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """'DD/MM/YYYY' strings (the DfE returns' dates), null where present is False."""
    days = np.asarray(days, dtype=np.int64)
    year, month, day = arr.calendar(np.where(days >= 0, days, 0))
    slash = np.full((len(days), 1), ord("/"), dtype=np.uint8)
    text = arr.fixed_width(
        np.concatenate([arr.digits(day, 2), slash, arr.digits(month, 2), slash, arr.digits(year, 4)], axis=1)
    )
    valid = np.ones(len(days), dtype=bool) if present is None else np.asarray(present, dtype=bool)
    return pc.if_else(pa.array(valid), text, pa.nulls(len(days), pa.string()))


def moments(minutes: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """'YYYY-MM-DDTHH:MM' local date-times from minutes since 1970, null where present is False."""
    minutes = np.asarray(minutes, dtype=np.int64)
    days, rest = np.divmod(np.maximum(minutes, 0), 24 * 60)
    colon = np.full((len(minutes), 1), ord(":"), dtype=np.uint8)
    clock = arr.fixed_width(np.concatenate([arr.digits(rest // 60, 2), colon, arr.digits(rest % 60, 2)], axis=1))
    text = arr.join(arr.dates(days), clock, sep="T")
    valid = np.ones(len(minutes), dtype=bool) if present is None else np.asarray(present, dtype=bool)
    return pc.if_else(pa.array(valid), text, pa.nulls(len(minutes), pa.string()))
