"""Vectorised building blocks: random streams, ids, dates, grouped indices and string columns.

Everything here works on whole numpy arrays so the generator never loops in Python over people.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_EPOCH = datetime.date(1970, 1, 1)
DAYS_PER_YEAR = 365.2425
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream for one part of the generator.

    Each part draws from its own stream, keyed by a stable hash of its name, so changing how much one
    part draws never shifts the numbers another part sees.
    """
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(zlib.crc32(name.encode()),))
    return np.random.Generator(np.random.PCG64(sequence))


def day_number(value: datetime.date) -> int:
    """Days since 1970-01-01, the integer form every date takes inside the generator."""
    return (value - _EPOCH).days


def date_of(days: int) -> datetime.date:
    return _EPOCH + datetime.timedelta(days=int(days))


def calendar(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each day number."""
    dates = days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]")
    months = dates.astype("datetime64[M]")
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years.astype(np.int64) + 1970, month, day


def whole_years(born: np.ndarray, on: int | np.ndarray) -> np.ndarray:
    """Age in completed years on a day (or on each of several days)."""
    by, bm, bd = calendar(np.asarray(born))
    oy, om, od = calendar(np.broadcast_to(np.asarray(on), np.shape(born)))
    before_birthday = (om < bm) | ((om == bm) & (od < bd))
    return oy - by - before_birthday


def first_of_year(days: np.ndarray) -> np.ndarray:
    """1 January of the year each day falls in (the conventional date for an estimated birth date)."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def group_starts(counts: np.ndarray) -> np.ndarray:
    """Offset of each group's first item in a flat array holding the groups one after another."""
    return np.cumsum(counts) - counts


def group_arange(counts: np.ndarray) -> np.ndarray:
    """Position of each item within its group: [0..c0-1, 0..c1-1, ...]."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(counts.sum()) - np.repeat(group_starts(counts), counts)


def random_member(rng: np.random.Generator, item_group: np.ndarray, wanted: np.ndarray, groups: int) -> np.ndarray:
    """A random item from each wanted group (items labelled 0..groups-1), or -1 where the group is empty."""
    order = np.argsort(item_group, kind="stable")
    counts = np.bincount(item_group, minlength=groups)
    pick = group_starts(counts)[wanted] + (rng.random(len(wanted)) * counts[wanted]).astype(np.int64)
    return np.where(counts[wanted] > 0, order[np.clip(pick, 0, max(len(order) - 1, 0))], -1)


def weighted_top(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of k items drawn without replacement with probability proportional to weight.

    Efraimidis and Spirakis: the k largest log(u) / w. Items of weight 0 are never drawn. The result
    is in index order so later steps do not depend on draw order.
    """
    keys = weighted_keys(rng, weights)
    k = min(int(k), int(np.count_nonzero(weights > 0)))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    chosen = np.argpartition(-keys, k - 1)[:k]
    return np.sort(chosen)


def weighted_keys(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Random sort keys: ordering by descending key is a weighted random permutation."""
    u = rng.random(len(weights))
    with np.errstate(divide="ignore"):
        return np.where(weights > 0, np.log(u) / np.where(weights > 0, weights, 1.0), -np.inf)


def categorical(rng: np.random.Generator, probabilities: np.ndarray, size: int) -> np.ndarray:
    """Draw category indices from one probability vector."""
    cumulative = np.cumsum(probabilities) / np.sum(probabilities)
    return np.minimum(np.searchsorted(cumulative, rng.random(size), side="right"), len(probabilities) - 1)


def categorical_rows(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one category per item from the probability row the item points at (table is rows x categories)."""
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(rows))
    return (u[:, None] >= cumulative[rows]).sum(axis=1).clip(0, table.shape[1] - 1)


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """n random version-4 UUIDs as canonical lower-case strings."""
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = np.empty((n, 32), dtype=np.uint8)
    hexed[:, 0::2] = _HEX[raw >> 4]
    hexed[:, 1::2] = _HEX[raw & 0x0F]
    text = np.full((n, 36), ord("-"), dtype=np.uint8)
    for start, stop, at in ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24)):
        text[:, at : at + stop - start] = hexed[:, start:stop]
    return fixed_width(text)


def fixed_width(chars: np.ndarray) -> pa.Array:
    """A string array from an (n, width) array of ASCII bytes, without a Python loop."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(chars)))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an (n, width) array of ASCII bytes."""
    values = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + ord("0")).astype(np.uint8)


def dates(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """'YYYY-MM-DD' strings, null where present is False."""
    mask = None if present is None else ~np.asarray(present, dtype=bool)
    return pa.array(np.asarray(days, dtype=np.int32), mask=mask).cast(pa.date32()).cast(pa.string())


def pick(values: Sequence[str] | pa.Array, index: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """values[index] as a string array, null where present is False (or index is negative)."""
    pool = values if isinstance(values, pa.Array) else pa.array(list(values), type=pa.string())
    index = np.asarray(index, dtype=np.int64)
    valid = index >= 0 if present is None else (np.asarray(present, dtype=bool) & (index >= 0))
    return pool.take(pa.array(np.where(valid, index, 0), mask=~valid))


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    length = next(len(p) for p in parts if not isinstance(p, str))
    arrays = [pa.array([p] * length, type=pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*arrays, sep)


def integers_as_text(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())


def choose(condition: np.ndarray, when_true: pa.Array, when_false: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(condition, dtype=bool)), when_true, when_false)
