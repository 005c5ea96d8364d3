"""`continuum feeds load KIND FILE... [--format json] [--quarantine DIR]`: check a feed's files and load them."""

import json
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from continuum.agencies.access import SystemActor
from continuum.console import progress_bar
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.spec import Progress
from continuum.signals.services import FeedLoadError, LoadResult, csv_files, load_feed

LONG_LOAD_BYTES = 2_000_000  # files this large (about 20,000 rows) get a progress bar


class Command(BaseCommand):
    help = "Agency feeds: check a feed's files and load them, all or nothing (or with a quarantine); safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load",
            help="check and load one feed's files",
            description=f"KIND is one of {', '.join(FEEDS)}. For ssda903 and cin a FILE may be a folder: its "
            "*.csv files, each table recognised by its columns.",
        )
        load.add_argument("kind", metavar="KIND", help="the feed: " + ", ".join(FEEDS))
        load.add_argument("files", metavar="FILE", nargs="+", type=Path, help="the feed's CSV files")
        load.add_argument("--format", choices=["text", "json"], default="text", help="json: one object on stdout")
        load.add_argument(
            "--quarantine",
            metavar="DIR",
            type=Path,
            help="load the good rows and write the rows with errors to DIR with their reasons",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        kind: str = opts["kind"]
        if kind not in FEEDS:
            raise CommandError(f"unknown feed {kind!r}: choose one of {', '.join(FEEDS)}")
        paths, names = _files(kind, opts["files"])
        bar: AbstractContextManager[Progress | None] = nullcontext(None)
        if sum(p.stat().st_size for p in paths) >= LONG_LOAD_BYTES:
            bar = progress_bar(f"Loading {kind}", console=Console(stderr=True))
        try:
            with bar as progress:
                result = load_feed(
                    actor=SystemActor("command line"),
                    kind=kind,
                    paths=paths,
                    names=names,
                    quarantine=opts["quarantine"],
                    progress=progress,
                )
        except FeedLoadError as exc:
            raise CommandError(str(exc)) from None
        if opts["format"] == "json":
            self.stdout.write(json.dumps(_as_json(result)))
        else:
            self._summary(result)
        if result.refused:
            errors = _plural(len(result.errors), "error")
            if opts["quarantine"] is None:
                raise CommandError(f"nothing loaded: {errors} (fix them, or load the good rows with --quarantine DIR)")
            raise CommandError(f"nothing loaded: {errors}; a file wrong as a whole has no rows to set aside")

    def _summary(self, result: LoadResult) -> None:
        rows = result.inserted + result.updated + result.unchanged
        if result.refused:
            self.stdout.write(f"{result.feed}: nothing loaded, {_plural(len(result.errors), 'error')}")
        else:
            self.stdout.write(
                f"{result.feed}: {rows:,} rows from {_plural(len(result.files), 'file')} in {result.seconds:.1f} s: "
                f"{result.inserted:,} inserted, {result.updated:,} updated, {result.unchanged:,} unchanged"
            )
        if result.quarantined:
            folder = result.quarantine_files[0].parent if result.quarantine_files else ""
            self.stdout.write(f"{_plural(result.quarantined, 'row')} with errors set aside in {folder}")
        for problem in result.errors:
            self.stdout.write(str(problem))
        for problem in result.warnings:
            self.stdout.write(f"{problem} (warning)")


def _files(kind: str, given: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to load and their names as the user gave them; a folder (SSDA903, CIN) means its CSV files."""
    paths: list[Path] = []
    for path in given:
        if path.is_dir():
            if len(FEEDS[kind].tables) == 1:
                raise CommandError(f"{path} is a folder: give the {kind} file itself")
            found = csv_files(path)
            if not found:
                raise CommandError(f"{path} has no .csv files")
            paths.extend(found)
        elif not path.exists():
            raise CommandError(f"{path}: no such file")
        elif not path.is_file():
            raise CommandError(f"{path} is not a file")
        else:
            paths.append(path)
    return paths, [str(p) for p in paths]


def _as_json(result: LoadResult) -> dict[str, Any]:
    return {
        "feed": result.feed,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "warnings": [str(p) for p in result.warnings],
        "errors": [str(p) for p in result.errors],
        "seconds": round(result.seconds, 3),
    }


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
