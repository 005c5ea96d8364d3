"""Drawing names from the lists in _names, many people at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from continuum.synth import _names

GROUPS = tuple(_names.GROUPS)
# Pools of given names, in the order draw_given numbers them.
BOYS, GIRLS, MEN, WOMEN = range(4)
_POOL_KEYS = ("boys", "girls", "men", "women")
_FALLBACK = {"men": "boys", "women": "girls"}


def _weights(count: int, flatness: float) -> np.ndarray:
    """Popularity falling with rank, so the first names on a list are the commonest."""
    weights = 1.0 / (np.arange(count) + flatness)
    cumulative = np.cumsum(weights) / weights.sum()
    cumulative[-1] = 1.0  # so a draw below 1 always lands inside this pool
    return cumulative


@dataclass(frozen=True)
class NameBook:
    given: pa.Array
    family_masculine: pa.Array
    family_feminine: pa.Array
    nicknames: pa.Array
    _given_cumulative: np.ndarray
    _family_cumulative: np.ndarray
    _nickname_start: np.ndarray
    _nickname_count: np.ndarray

    def draw_given(self, rng: np.random.Generator, group: np.ndarray, pool: np.ndarray) -> np.ndarray:
        """Index into `given` of one name per person from their group's pool (BOYS..WOMEN)."""
        keys = np.asarray(group, dtype=np.int64) * 4 + pool
        return np.searchsorted(self._given_cumulative, keys + rng.random(len(keys)), side="right")

    def draw_family(self, rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
        """Index into the family-name arrays of one family name per person from their group."""
        keys = np.asarray(group, dtype=np.int64)
        return np.searchsorted(self._family_cumulative, keys + rng.random(len(keys)), side="right")

    def draw_nickname(self, rng: np.random.Generator, given: np.ndarray) -> np.ndarray:
        """Index into `nicknames` of a short form of each given name, or -1 where it has none."""
        count = self._nickname_count[given]
        pick = (rng.random(len(given)) * np.maximum(count, 1)).astype(np.int64)
        return np.where(count > 0, self._nickname_start[given] + pick, -1)


def build() -> NameBook:
    given: list[str] = []
    given_cumulative: list[np.ndarray] = []
    family_m: list[str] = []
    family_f: list[str] = []
    family_cumulative: list[np.ndarray] = []
    for number, group in enumerate(GROUPS):
        lists = _names.GROUPS[group]
        for pool, key in enumerate(_POOL_KEYS):
            names = _names.split(lists.get(key) or lists[_FALLBACK[key]])
            given.extend(names)
            given_cumulative.append(number * 4 + pool + _weights(len(names), 15.0))
        forms = [name.split("|") for name in _names.split(lists["family"])]
        family_m.extend(form[0] for form in forms)
        family_f.extend(form[-1] for form in forms)
        family_cumulative.append(number + _weights(len(forms), 25.0))
    short_forms: list[str] = []
    start = np.zeros(len(given), dtype=np.int64)
    count = np.zeros(len(given), dtype=np.int64)
    offsets: dict[str, tuple[int, int]] = {}
    for name, short in _names.NICKNAMES.items():
        offsets[name] = (len(short_forms), len(short.split()))
        short_forms.extend(short.split())
    for index, name in enumerate(given):
        start[index], count[index] = offsets.get(name, (0, 0))
    return NameBook(
        given=pa.array(given, type=pa.string()),
        family_masculine=pa.array(family_m, type=pa.string()),
        family_feminine=pa.array(family_f, type=pa.string()),
        nicknames=pa.array(short_forms, type=pa.string()),
        _given_cumulative=np.concatenate(given_cumulative),
        _family_cumulative=np.concatenate(family_cumulative),
        _nickname_start=start,
        _nickname_count=count,
    )


def group_index(heritage: np.ndarray, language: np.ndarray, heritages: list[str], languages: list[str]) -> np.ndarray:
    """Name group of each person from their heritage and home language (indices into the given code lists)."""
    table = np.array(
        [[GROUPS.index(_names.group_for(h, lang)) for lang in languages] for h in heritages], dtype=np.int64
    )
    return table[heritage, language]
