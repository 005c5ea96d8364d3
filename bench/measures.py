"""Benchmark: scoring 1,000,000 SDQ responses, the way `continuum measures score sdq` does, against a
plain row-by-row Python scorer in the same run (the baseline).

Generates 1,000,000 synthetic responses (every informant and version, some items, difficulty and impact
answers missing; seed 1) into a CSV file, then times

- the command's own path, `sdq_score_file` (pyarrow reading every column as text, `sdq_score_table`
  scoring whole columns with numpy, pyarrow writing), from the CSV file on disk to the output file;
- the baseline: the csv module reading row by row, `sdq_score` on each response, the csv module writing.

Both run over the whole file (the baseline is not sampled and scaled), and the two output files must be
identical byte for byte. Writes bench/results/measures.json.

    .venv/bin/python bench/measures.py [--responses 1000000]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import filecmp
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from continuum.analytics.cli import sdq_score_file
from continuum.analytics.sdq import (
    SDQ_IMPACT_COLUMNS,
    SDQ_IMPACT_KEYS,
    SDQ_INPUT_COLUMNS,
    SDQ_ITEM_COLUMNS,
    SDQ_OUTPUT_COLUMNS,
    SDQ_SCORES,
    sdq_score,
)

RESULTS = Path(__file__).parent / "results" / "measures.json"
SEED = 1
# Forms as (informant, version) and how often each is drawn.
FORMS = (("parent", "4-17", 0.35), ("parent", "2-4", 0.1), ("teacher", "4-17", 0.25), ("teacher", "2-4", 0.05))
FORMS += (("self", "11-17", 0.25),)
MISSING_ITEM = 0.04  # each item left blank this often ...
SPARSE_SHARE = 0.02  # ... except in this share of responses, where most items are blank (subscales not scorable)


def generate(path: Path, responses: int, seed: int = SEED) -> None:
    """Write `responses` synthetic SDQ responses to the CSV file `path`."""
    rng = np.random.default_rng(seed)
    text = pa.array(["0", "1", "2", "3", ""], pa.string())
    form = rng.choice(len(FORMS), size=responses, p=[share for _, _, share in FORMS])
    columns: dict[str, pa.Array] = {
        "response_id": pa.array([f"R{number:07d}" for number in range(1, responses + 1)], pa.string()),
        "informant": pc.take(pa.array([informant for informant, _, _ in FORMS]), pa.array(form)),
        "version": pc.take(pa.array([version for _, version, _ in FORMS]), pa.array(form)),
    }
    sparse = rng.random(responses) < SPARSE_SHARE
    for name in SDQ_ITEM_COLUMNS:
        answer = rng.choice(3, size=responses, p=(0.5, 0.32, 0.18))
        blank = (rng.random(responses) < MISSING_ITEM) | (sparse & (rng.random(responses) < 0.7))
        columns[name] = pc.take(text, pa.array(np.where(blank, 4, answer)))
    difficulties = rng.choice(5, size=responses, p=(0.35, 0.3, 0.2, 0.1, 0.05))  # 4: blank
    columns["difficulties"] = pc.take(text, pa.array(difficulties))
    teacher = np.isin(form, [2, 3])
    for key, name in zip(SDQ_IMPACT_KEYS, SDQ_IMPACT_COLUMNS, strict=True):
        answer = rng.choice(4, size=responses, p=(0.4, 0.3, 0.2, 0.1))
        blank = (rng.random(responses) < 0.05) | (difficulties == 0) & (rng.random(responses) < 0.8)
        if key in ("home", "leisure"):
            blank |= teacher  # not on the teacher's form
        columns[name] = pc.take(text, pa.array(np.where(blank, 4, answer)))
    table = pa.table({name: columns[name] for name in SDQ_INPUT_COLUMNS})
    with path.open("wb") as handle:
        handle.write((",".join(SDQ_INPUT_COLUMNS) + "\n").encode())
        pa_csv.write_csv(table, handle, pa_csv.WriteOptions(include_header=False, quoting_style="none"))


def baseline(source: Path, target: Path) -> int:
    """The plain row-by-row scorer: the csv module and `sdq_score`, one response at a time."""
    rows = 0
    with source.open(newline="", encoding="utf-8") as infile, target.open("w", newline="", encoding="utf-8") as out:
        reader = csv.reader(infile)
        header = next(reader)
        at = {name: header.index(name) for name in SDQ_INPUT_COLUMNS}
        items_at = [at[name] for name in SDQ_ITEM_COLUMNS]
        impact_at = [(key, at[name]) for key, name in zip(SDQ_IMPACT_KEYS, SDQ_IMPACT_COLUMNS, strict=True)]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SDQ_OUTPUT_COLUMNS)
        for row in reader:
            scores = sdq_score(
                informant=row[at["informant"]],
                version=row[at["version"]],
                items=[int(row[i]) if row[i] else None for i in items_at],
                difficulties=int(row[at["difficulties"]]) if row[at["difficulties"]] else None,
                impact={key: int(row[i]) if row[i] else None for key, i in impact_at},
            )
            values = [getattr(scores, name) for name in SDQ_SCORES]
            bands = [scores.bands.get(name) for name in SDQ_SCORES]
            writer.writerow([row[at["response_id"]], *("" if v is None else v for v in values + bands)])
            rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        source = folder / "responses.csv"
        started = time.perf_counter()
        generate(source, args.responses)
        generated = time.perf_counter() - started

        started = time.perf_counter()
        scored = sdq_score_file(source, folder / "vectorised.csv")
        seconds = time.perf_counter() - started

        started = time.perf_counter()
        baseline_rows = baseline(source, folder / "baseline.csv")
        baseline_seconds = time.perf_counter() - started

        identical = filecmp.cmp(folder / "vectorised.csv", folder / "baseline.csv", shallow=False)
        size = source.stat().st_size
    assert scored == baseline_rows == args.responses
    assert identical, "the vectorised and the row-by-row scorers disagree"
    result = {
        "benchmark": "measures",
        "responses": args.responses,
        "seconds": round(seconds, 2),
        "responses_per_second": round(args.responses / seconds),
        "baseline": "row by row: the csv module reading, sdq_score on each response, the csv module writing",
        "baseline_seconds": round(baseline_seconds, 2),
        "baseline_responses_per_second": round(args.responses / baseline_seconds),
        "baseline_sampled": False,
        "ratio_to_baseline": round(baseline_seconds / seconds, 1),
        "identical_output": identical,
        "compared": "all responses: the two output files are identical byte for byte",
        "code_path": "continuum.analytics.cli.sdq_score_file, the function `continuum measures score sdq` calls",
        "input_mib": round(size / 2**20, 1),
        "generate_seconds": round(generated, 2),
        "seed": SEED,
        "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "date": datetime.date.today().isoformat(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
