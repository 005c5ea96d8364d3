from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.console import progress_bar
from continuum.county.load import LoadFailed, county_load


class Command(BaseCommand):
    help = "Load a county snapshot (Parquet or CSV tables) into the database: all or nothing, safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="check and load a snapshot folder")
        load.add_argument("directory", type=Path)

    def handle(self, *args: Any, **opts: Any) -> None:
        directory: Path = opts["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        try:
            with progress_bar("Loading county") as progress:
                report = county_load(directory, progress=progress)
        except LoadFailed as exc:
            raise CommandError(str(exc)) from None
        for table, count in report.counts.items():
            self.stdout.write(f"{table:24} {count:>9,}")
