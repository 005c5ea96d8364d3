"""`continuum signals indicators|alerts|gap`: the scheduled work over the linked feeds (see docs/ for cron).

Each sub-command lives in its own module under continuum.signals.commands: `add_arguments(parser)` and
`handle(opts, command)`.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from continuum.signals.commands import alerts, gap, indicators

SUBCOMMANDS = {"indicators": indicators, "alerts": alerts, "gap": gap}


class Command(BaseCommand):
    help = "Signals: compute every child's indicators, raise attendance alerts, find children falling through the gap."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, module in SUBCOMMANDS.items():
            module.add_arguments(sub.add_parser(name, help=module.HELP, description=module.__doc__))

    def handle(self, *args: Any, **opts: Any) -> None:
        SUBCOMMANDS[opts["action"]].handle(opts, self)
