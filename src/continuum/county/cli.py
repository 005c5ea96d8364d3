"""`continuum synth`: generate a synthetic county as files. No Django here: it needs no database and no secret key.

`continuum.cli` runs it before Django is set up; the `synth` management command uses the same arguments and
function, so `call_command("synth", ...)` behaves the same.
"""

from __future__ import annotations

import argparse
import datetime
import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from continuum.console import progress_bar
from continuum.synth import MAX_CHILDREN, generate, two_lists

SYNTH_HELP = "Generate a synthetic county (files only; `continuum county load DIR` puts it in the database)."
LISTS_HELP = (
    "Write two lists of children to link (left.csv, right.csv; truth.csv pairs the records about the same child): "
    "names, date of birth and postcode only, each list with its own errors. `continuum linkage link` reads them."
)
MAX_LIST_PEOPLE = 1_000_000


def _children(value: str) -> int:
    try:
        children = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= children <= MAX_CHILDREN:
        raise argparse.ArgumentTypeError(f"{children:,} is not from 1 to {MAX_CHILDREN:,}")
    return children


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"{seed} is negative")
    return seed


def _people(value: str) -> int:
    try:
        people = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= people <= MAX_LIST_PEOPLE:
        raise argparse.ArgumentTypeError(f"{people:,} is not from 1 to {MAX_LIST_PEOPLE:,}")
    return people


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not from 0 to 1")
    return share


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def synth_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `continuum synth`, for the command line and the management command alike."""
    parser.add_argument("--children", type=_children, default=5000, help="number of children (default 5,000)")
    parser.add_argument("--seed", type=_seed, default=1, help="random seed: the same seed gives the same county")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the tables into")
    parser.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the date the county is generated as at, YYYY-MM-DD (default today)",
    )


def synth(*, children: int, seed: int, out: Path, as_of: datetime.date | None) -> dict[str, int]:
    """Write the county to `out` with a progress bar on standard error; return the number of rows in each table."""
    with progress_bar("Generating county", console=Console(stderr=True)) as progress:
        manifest = generate(out, children=children, seed=seed, as_of=as_of or datetime.date.today(), progress=progress)
    counts: dict[str, int] = manifest["counts"]
    return counts


def synth_main(argv: Sequence[str]) -> int:
    """`continuum synth ARGS`: the counts as JSON on standard output; a problem as one line, status 1.
    `continuum synth lists ARGS` writes two lists of children instead (`lists_main`)."""
    if list(argv[:1]) == ["lists"]:
        return lists_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="continuum synth",
        description=SYNTH_HELP,
        epilog="`continuum synth lists --out DIR` writes two lists of children to link instead.",
    )
    synth_arguments(parser)
    opts = parser.parse_args(argv)
    try:
        counts = synth(children=opts.children, seed=opts.seed, out=opts.out, as_of=opts.as_of)
    except OSError as exc:
        parser.exit(1, f"continuum synth: cannot write {opts.out}: {exc.strerror or exc}\n")
    print(json.dumps(counts, indent=2))
    return 0


def lists_main(argv: Sequence[str]) -> int:
    """`continuum synth lists ARGS`: the lists' sizes as JSON on standard output; a problem as one line, status 1."""
    parser = argparse.ArgumentParser(prog="continuum synth lists", description=LISTS_HELP)
    parser.add_argument("--people", type=_people, default=5000, help="children on each list (default 5,000)")
    parser.add_argument("--shared", type=_share, default=0.8, help="share of them on both lists (default 0.8)")
    parser.add_argument("--seed", type=_seed, default=1, help="random seed: the same seed gives the same lists")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the three files into")
    opts = parser.parse_args(argv)
    lists = two_lists(opts.people, seed=opts.seed, shared=opts.shared)
    try:
        lists.write(opts.out)
    except OSError as exc:
        parser.exit(1, f"continuum synth lists: cannot write {opts.out}: {exc.strerror or exc}\n")
    counts = {"left": lists.left.num_rows, "right": lists.right.num_rows, "true_pairs": lists.truth.num_rows}
    print(json.dumps(counts, indent=2))
    return 0
