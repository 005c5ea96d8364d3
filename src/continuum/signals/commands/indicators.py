"""`continuum signals indicators` (skeleton: to be built)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = "not built yet"


def add_arguments(parser: ArgumentParser) -> None:
    pass


def handle(opts: dict[str, Any], command: BaseCommand) -> None:
    raise CommandError("not built yet")
