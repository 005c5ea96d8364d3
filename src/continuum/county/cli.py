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
from continuum.synth import MAX_CHILDREN, generate

SYNTH_HELP = "Generate a synthetic county (files only; `continuum county load DIR` puts it in the database)."


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
    """`continuum synth ARGS`: the counts as JSON on standard output; a problem as one line, status 1."""
    parser = argparse.ArgumentParser(prog="continuum synth", description=SYNTH_HELP)
    synth_arguments(parser)
    opts = parser.parse_args(argv)
    try:
        counts = synth(children=opts.children, seed=opts.seed, out=opts.out, as_of=opts.as_of)
    except OSError as exc:
        parser.exit(1, f"continuum synth: cannot write {opts.out}: {exc.strerror or exc}\n")
    print(json.dumps(counts, indent=2))
    return 0
