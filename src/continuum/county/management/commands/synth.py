import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.county.cli import SYNTH_HELP, synth, synth_arguments


class Command(BaseCommand):
    """`call_command("synth", ...)`; `continuum synth` itself runs `continuum.county.cli` without Django."""

    help = SYNTH_HELP

    def add_arguments(self, parser: CommandParser) -> None:
        synth_arguments(parser)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            counts = synth(children=opts["children"], seed=opts["seed"], out=opts["out"], as_of=opts["as_of"])
        except OSError as exc:
            raise CommandError(f"cannot write {opts['out']}: {exc.strerror or exc}") from None
        self.stdout.write(json.dumps(counts, indent=2))
