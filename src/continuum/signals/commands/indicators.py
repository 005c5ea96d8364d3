"""`continuum signals indicators [--as-of YYYY-MM-DD]`: compute every child's indicators from the linked feeds.

Run it after each load of the feeds and linkage (nightly, beside `continuum signals alerts`): it replaces every
child's values with the new run's, as at today unless --as-of names an earlier day. Progress goes to standard error,
a one-line summary to standard output; a mistake (a bad date, a definitions file that does not check) is one line
and exit status 1.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from continuum.agencies.access import SystemActor
from continuum.console import progress_bar
from continuum.signals.indicators import DefinitionsError
from continuum.signals.services.indicators import IndicatorsError, refresh_indicators

HELP = "compute every child's indicators (attendance, police contacts, missing episodes ...) from the linked feeds"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", dest="as_of", metavar="YYYY-MM-DD", help="the last day of every window (default: today)"
    )


def handle(opts: dict[str, Any], command: BaseCommand) -> None:
    as_of = _day(opts.get("as_of"))
    try:
        with ExitStack() as stack:
            shown: list[Callable[[str, int, int], None]] = []

            def progress(stage: str, done: int, total: int) -> None:
                # The bar appears at the first step, so a refusal before any is its one line.
                if not shown:
                    bar = progress_bar("Computing indicators", console=Console(stderr=True))
                    shown.append(stack.enter_context(bar))
                shown[0](stage, done, total)

            run = refresh_indicators(actor=SystemActor("continuum signals indicators"), as_of=as_of, progress=progress)
    except (DefinitionsError, IndicatorsError) as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(
        f"indicators as at {run.as_of:%Y-%m-%d}: {run.rows:,} values for {run.children:,} children "
        f"({run.marks:,} attendance marks read)"
    )


def _day(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {text!r}") from None
