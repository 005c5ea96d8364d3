"""The embedded SQLite database as the settings open it. bench/load.py measures it under fifty sign-ins at once."""

from __future__ import annotations

from django.db.utils import ConnectionHandler

from continuum.web.settings import _database


def test_a_write_waits_for_the_lock_long_enough_for_a_burst_of_sign_ins(tmp_path, django_db_blocker):
    """At Django's default of 5 s, some of fifty people signing in at once got 'database is locked'."""
    connection = ConnectionHandler({"default": _database(None, tmp_path)})["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:  # a database of its own, not the test one
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 20_000  # milliseconds
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert connection.transaction_mode == "IMMEDIATE"
    finally:
        connection.close()
