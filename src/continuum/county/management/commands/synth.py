import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from continuum.console import progress_bar
from continuum.synth import generate


class Command(BaseCommand):
    help = "Generate a synthetic county (files only; `continuum county load DIR` puts it in the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=5000, help="number of children (default 5,000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same county")
        parser.add_argument("--out", type=Path, required=True, help="folder to write the tables into")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="the date the county is generated as at, YYYY-MM-DD (default today)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        as_of = opts["as_of"] or datetime.date.today()
        with progress_bar("Generating county") as progress:
            manifest = generate(
                opts["out"], children=opts["children"], seed=opts["seed"], as_of=as_of, progress=progress
            )
        self.stdout.write(json.dumps(manifest["counts"], indent=2))
