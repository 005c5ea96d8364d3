"""The `continuum` command: Django's management commands, each module adding its own sub-commands.

`continuum synth`, `continuum measures score` (scoring a file of questionnaires) and `continuum linkage link`
(linking two lists of people) run before Django is set up, so they need no settings, database or secret
key. Every other command runs through Django; a configuration problem (no secret key, no database, a database
without its tables) ends with one line saying what to set or run, and status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

# Status for "the command could not start: fix the configuration" (Django's CommandError exits with 1).
CONFIGURATION_PROBLEM = 2


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:]
    if args[:1] == ["synth"] or args[:2] == ["help", "synth"]:
        from continuum.county.cli import synth_main

        sys.exit(synth_main(args[1:] if args[0] == "synth" else ["--help"]))
    if args[:2] == ["measures", "score"] or args[:3] == ["help", "measures", "score"]:
        from continuum.analytics.cli import measures_score_main

        sys.exit(measures_score_main(args[2:] if args[0] == "measures" else ["--help"]))
    if args[:2] == ["linkage", "link"] or args[:3] == ["help", "linkage", "link"]:
        from continuum.linkage.engine.cli import linkage_link_main

        sys.exit(linkage_link_main(args[2:] if args[0] == "linkage" else ["--help"]))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.web.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(argv)
        if args in ([], ["help"], ["--help"], ["-h"]):
            _mention_synth()
    except ImproperlyConfigured as exc:
        if "--traceback" in args:
            raise
        _stop(str(exc))
    except DatabaseError:
        problem = None if "--traceback" in args else _database_problem()
        if problem is None:
            raise
        _stop(problem)


def _mention_synth() -> None:
    """Django lists only its own commands when the settings are broken; synth works regardless."""
    from django.conf import settings

    if not settings.configured:
        sys.stdout.write(
            "`continuum synth` (generate a synthetic county) needs no settings: `continuum synth --help`.\n"
        )


def _stop(message: str) -> NoReturn:
    one_line = " ".join(line.strip() for line in message.splitlines() if line.strip())
    sys.stderr.write(f"continuum: {one_line}\n")
    sys.exit(CONFIGURATION_PROBLEM)


def _database_problem() -> str | None:
    """After a database error: what to set or run if the database cannot be reached or has not been migrated.

    None when it is reachable and up to date: then the error was not a configuration problem.
    """
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        where = f"the SQLite database {database['NAME']}"
    else:
        server = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 'default port'}"
        where = f"the {connection.display_name} database {database['NAME']} on {server}"
    try:
        connection.close()
        connection.ensure_connection()
    except DatabaseError as failed:
        if connection.vendor == "sqlite":
            folder = Path(database["NAME"]).parent
            missing = "" if folder.is_dir() else f"the folder {folder} does not exist: "
            return (
                f"cannot open {where}: {missing}set CONTINUUM_VAR_DIR to the folder `make demo` set up, or DATABASE_URL"
            )
        reason = str(failed).strip().splitlines()[0] if str(failed).strip() else type(failed).__name__
        return f"cannot connect to {where} ({reason}): check DATABASE_URL and that the database server is running"
    try:
        executor = MigrationExecutor(connection)
        if not executor.recorder.has_table():
            return f"{where} has no tables yet: run `continuum migrate` (or `make demo`)"
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return f"{where} is not up to date: run `continuum migrate`"
    except DatabaseError:
        return None
    finally:
        connection.close()
    return None


if __name__ == "__main__":
    main()
