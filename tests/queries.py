"""Exact query counts that show the SQL when they are wrong (after Zulip's assert_database_query_count).

A budget that only says "at most 30" lets the next module add an N+1 query unnoticed; an exact count
fails on the first extra query and prints every statement, so the reader sees which one is new.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_database_query_count(expected: int) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as context:
        yield context
    ran = context.captured_queries
    if len(ran) != expected:
        listing = "\n".join(f"{n:3}. {query['sql']}" for n, query in enumerate(ran, start=1))
        pytest.fail(f"expected {expected} database queries, {len(ran)} ran:\n{listing}", pytrace=False)
