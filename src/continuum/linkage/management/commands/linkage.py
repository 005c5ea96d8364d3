"""`continuum linkage run|evaluate|merge|unmerge`: record linkage over the database.

`continuum linkage link --left A.csv --right B.csv --out PAIRS.csv` (any two lists of people, no database) runs
before Django is set up, from `continuum.cli`; it is named in this command's help.
"""

import json
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from continuum.agencies.access import SystemActor
from continuum.console import progress_bar
from continuum.linkage.engine.backends import BACKENDS
from continuum.linkage.engine.records import Progress
from continuum.linkage.services import (
    LinkageError,
    RunResult,
    evaluate_linkage,
    merge_identities,
    run_linkage,
    unmerge,
)


class Command(BaseCommand):
    help = (
        "Record linkage: link every feed record and person (run), measure it against a known truth (evaluate), merge "
        "two identities or undo a merge. `continuum linkage link --left A.csv --right B.csv --out PAIRS.csv` links "
        "any two lists of people without the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,evaluate,merge,unmerge,link}")
        run = sub.add_parser(
            "run",
            help="link every record loaded: all of them the first time, then the new and re-sent ones",
            description="Link the agency feeds' records and the people in the platform. The first run (or "
            "--retrain, or --model) trains or loads a model and scores every pair; later runs score only the records "
            "no run has seen and those sent again with other details. Identities keep their ids.",
        )
        run.add_argument("--backend", choices=BACKENDS, help="where Splink runs (default: CONTINUUM_LINKAGE_BACKEND)")
        run.add_argument("--retrain", action="store_true", help="train a new model, and score every pair again")
        run.add_argument("--model", metavar="FILE", type=Path, help="link with this model file (from a run's models/)")
        evaluate = sub.add_parser(
            "evaluate",
            help="pairwise precision, recall and F1 against a synthetic county's truth",
            description="Prints `precision P recall R F1 F` and the review queue's size.",
        )
        evaluate.add_argument("--truth", metavar="DIR", type=Path, required=True, help="the county's truth folder")
        evaluate.add_argument("--format", choices=["text", "json"], default="text", help="json: one object on stdout")
        merge = sub.add_parser("merge", help="merge one identity into another (audited; undo with unmerge)")
        merge.add_argument("--keep", metavar="ID", required=True, help="the identity that stays")
        merge.add_argument("--merge", metavar="ID", required=True, help="the identity merged into it")
        merge.add_argument("--reason", required=True, help="why they are one person")
        undo = sub.add_parser("unmerge", help="undo a merge: every record and relationship goes back")
        undo.add_argument("change", metavar="CHANGE_ID", help="the merge's id (in the history)")
        undo.add_argument("--reason", required=True, help="why the merge was wrong")
        sub.add_parser(
            "link",
            help="link two lists of people (CSV) without the database: "
            "`continuum linkage link --left A.csv --right B.csv --out PAIRS.csv`",
            add_help=False,
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = SystemActor("command line")
        try:
            match opts["action"]:
                case "run":
                    self._run(actor, opts)
                case "evaluate":
                    self._evaluate(actor, opts)
                case "merge":
                    change = merge_identities(
                        actor=actor,
                        keep=_id(opts["keep"], "--keep"),
                        merge=_id(opts["merge"], "--merge"),
                        reason=opts["reason"],
                    )
                    records = len(change.journal["records"])
                    moved = len(change.journal["relationships"])
                    self.stdout.write(
                        f"merged {change.other_id} into {change.identity_id}: {_plural(records, 'record')} and "
                        f"{_plural(moved, 'relationship')} moved; undo with `continuum linkage unmerge {change.pk}`"
                    )
                case "unmerge":
                    change = unmerge(actor=actor, change_id=_id(opts["change"], "CHANGE_ID"), reason=opts["reason"])
                    self.stdout.write(f"undid the merge {change.undoes_id}: {change.other_id} is on its own again")
                case _:  # link: only through `continuum`, before the database is set up
                    raise CommandError("run it as `continuum linkage link --left A.csv --right B.csv --out PAIRS.csv`")
        except LinkageError as exc:
            raise CommandError(str(exc)) from None

    def _run(self, actor: SystemActor, opts: dict[str, Any]) -> None:
        with _Bar("Linking records") as progress:
            result = run_linkage(
                actor=actor,
                backend=opts["backend"],
                retrain=opts["retrain"],
                model_file=opts["model"],
                progress=progress,
            )
        self.stdout.write(_summary(result))

    def _evaluate(self, actor: SystemActor, opts: dict[str, Any]) -> None:
        result = evaluate_linkage(actor=actor, truth=opts["truth"])
        if opts["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(result.scores.line())
        self.stdout.write(
            f"review queue: {_plural(result.review_pairs, 'pair')}, {_plural(result.waiting, 'record')} waiting "
            f"({_plural(result.scores.records, 'record')} in the truth)"
        )


class _Bar:
    """The progress bar on standard error, shown from the first step reported: a refusal before any (a model file
    that is not a model) is its one line."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.stack = ExitStack()
        self.update: Progress | None = None

    def __enter__(self) -> Progress:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.update is None:
            self.update = self.stack.enter_context(progress_bar(self.title, console=Console(stderr=True)))
        self.update(stage, done, total)

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


def _summary(result: RunResult) -> str:
    return (
        f"{result.kind} run with model {result.model_version} in {result.seconds:.1f} s: "
        f"{_plural(result.records, 'record')} scored, {_plural(result.pairs, 'pair')}, "
        f"{result.linked:,} linked, {_plural(result.new_identities, 'new identity', 'new identities')}, "
        f"{_plural(result.queued, 'pair')} queued for review, {result.waiting:,} waiting"
    )


def _id(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CommandError(f"{name}: {value!r} is not an id") from None


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
