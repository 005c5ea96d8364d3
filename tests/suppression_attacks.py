"""Ways of attacking a suppressed table, shared by the unit tests and the page's tests.

A table as a reader sees it is a tuple with None for each hidden count. The reader also knows the total
the counts add up to, that a hidden count is never zero, and perhaps the rule in continuum.disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from continuum.disclosure import TableDiscloses, suppress_table

Published = tuple[int | None, ...]


def tables(cells: int, total: int) -> Iterator[tuple[int, ...]]:
    """Every table of `cells` counts, zeros included, that adds up to `total`."""
    if cells == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in tables(cells - 1, total - first):
            yield (first, *rest)


def fillings(cells: int, total: int) -> Iterator[tuple[int, ...]]:
    """Every way of giving `cells` hidden cells counts of at least 1 that add up to `total`."""
    if cells == 0:
        if total == 0:
            yield ()
        return
    if total >= cells:
        for table in tables(cells, total - cells):
            yield tuple(count + 1 for count in table)


def publish(counts: tuple[int, ...]) -> Published | None:
    """What a reader sees of a table suppressed against its total; None if it cannot be published."""
    try:
        rows = suppress_table([(f"group {i}", count) for i, count in enumerate(counts)], total=sum(counts))
    except TableDiscloses:
        return None
    return tuple(row.count for row in rows)


def hidden_cells(published: Published) -> list[int]:
    return [i for i, count in enumerate(published) if count is None]


def remainder(published: Published, total: int) -> int:
    """The total minus every shown count: all that subtraction can tell about the hidden cells."""
    return total - sum(count for count in published if count is not None)


def completions(published: Published, total: int) -> Iterator[tuple[int, ...]]:
    """Every table a reader who knows only the shown counts and the total could believe is behind them."""
    hidden = hidden_cells(published)
    for filling in fillings(len(hidden), remainder(published, total)):
        table = list(published)
        for i, count in zip(hidden, filling, strict=True):
            table[i] = count
        yield tuple(count for count in table if count is not None)


def same_publication(published: Published, total: int) -> Iterator[tuple[int, ...]]:
    """Every table a reader who also knows the rule could believe: those it would publish just like this."""
    return (table for table in completions(published, total) if publish(table) == published)


def values_by_subtraction(published: Published, total: int) -> dict[int, set[int]]:
    """For each hidden cell, two values it could have (or all, if fewer), the other hidden cells filled in
    to make the table add up: every subtraction of shown counts from the total, tried at once."""
    hidden = hidden_cells(published)
    left = remainder(published, total)
    found: dict[int, set[int]] = {}
    for i in hidden:
        found[i] = set()
        for value in range(1, left + 1):
            if next(fillings(len(hidden) - 1, left - value), None) is not None:
                found[i].add(value)
                if len(found[i]) == 2:
                    break
    return found


def two_values_each(published: Published, candidates: Iterable[tuple[int, ...]]) -> dict[int, set[int]]:
    """Each hidden cell's values among the candidate tables, stopping once every cell has two."""
    seen: dict[int, set[int]] = {i: set() for i in hidden_cells(published)}
    for table in candidates:
        for i, values in seen.items():
            values.add(table[i])
        if all(len(values) >= 2 for values in seen.values()):
            break
    return seen
