"""`continuum signals alerts [--as-of YYYY-MM-DD]`: the attendance protocol, run each night after the feeds are
loaded and linked (docs/attendance-protocol.md has the crontab line).

For every child with an open involvement of the kinds signals/attendance_protocol.toml lists, it finds runs of
unexplained absence (and spells of low attendance) in the attendance marks, raises an alert for the child's worker
for each run not alerted before, and emails each worker with new alerts once, naming no child. Safe to repeat.
"""

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from continuum.agencies.access import SystemActor
from continuum.console import progress_bar
from continuum.signals.services.alerts import AlertsResult, RulesError, raise_attendance_alerts

HELP = "raise attendance alerts for the allocated workers of children with runs of unexplained absence"


def _day(text: str) -> datetime.date:
    """A day written exactly YYYY-MM-DD (checked here, not by argparse, so a mistake is one line on stderr)."""
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r} is not a date written YYYY-MM-DD (such as 2025-03-14)") from None


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the day to run the protocol as at (default: today); marks after it are not read",
    )


def handle(opts: dict[str, Any], command: BaseCommand) -> None:
    as_of = None if opts.get("as_of") is None else _day(opts["as_of"])
    if as_of is not None and as_of > datetime.date.today():
        raise CommandError(f"--as-of {as_of.isoformat()} is in the future: give today or a day before it")
    try:
        with progress_bar("Attendance protocol", console=Console(stderr=True)) as progress:
            result = raise_attendance_alerts(actor=SystemActor("signals alerts"), as_of=as_of, progress=progress)
    except RulesError as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(summary(result))


def summary(result: AlertsResult) -> str:
    rules = ", ".join(f"{n:,} {rule.replace('_', ' ')}" for rule, n in sorted(result.by_rule.items()))
    lines = [
        f"Attendance protocol as at {result.as_of.isoformat()}: {_plural(result.children, 'child', 'children')} "
        f"with an open involvement ({result.unallocated:,} with nobody allocated)",
        f"{_plural(result.raised, 'new alert')}{f' ({rules})' if rules else ''}, "
        f"{result.already_raised:,} raised before, for {_plural(result.recipients, 'worker')}; "
        f"{_plural(result.emailed, 'email')} sent",
    ]
    if result.unallocated_runs:
        lines.append(
            f"{_plural(result.unallocated_runs, 'run')} of absence by children with nobody allocated: no alert "
            "(allocate a worker to them)"
        )
    return "\n".join(lines)


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
