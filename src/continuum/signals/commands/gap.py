"""`continuum signals gap [--as-of YYYY-MM-DD]`: find the children falling through the gap (docs/gap-finder.md).

Run it after the feeds are loaded and linked and the indicators computed (nightly, after `continuum signals
indicators`). It replaces the list the front door reads; a child still flagged keeps the day first flagged.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from continuum.agencies.access import SystemActor
from continuum.console import progress_bar
from continuum.signals.services.gap import GapFinderError, run_gap_finder

HELP = "find children with signals from several agencies and nobody working with them"


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, for example 2026-11-28") from None


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD", help="the day the rules' windows end on (default: today)"
    )


def handle(opts: dict[str, Any], command: BaseCommand) -> None:
    as_of = opts.get("as_of")
    if as_of is not None and as_of > datetime.date.today():
        raise CommandError(f"--as-of {as_of.isoformat()} is in the future: the feeds cannot say what will happen")
    try:
        with progress_bar("Finding children falling through the gap", console=Console(stderr=True)) as progress:
            result = run_gap_finder(actor=SystemActor("command line"), as_of=as_of, progress=progress)
    except GapFinderError as exc:
        raise CommandError(str(exc)) from None
    rules = ", ".join(f"{name} {n:,}" for name, n in result.by_rule.items())
    command.stdout.write(
        f"{result.flagged_children:,} of {result.children:,} school-age children falling through the gap as at "
        f"{result.as_of.isoformat()} ({rules}); {result.new:,} new, {result.removed:,} no longer flagged; "
        f"{result.seconds:.1f} s"
    )
