"""Benchmark: how long the synthetic county takes to generate, small and large.

Runs generate() for 5,000 and for 300,000 children (seed 1, a fixed as-of date) into temporary
directories and writes bench/results/synth.json. The 5,000-children run is the baseline; the ratio
of seconds per child at 300,000 to seconds per child at 5,000 shows how the generator scales (below
1 means it gets cheaper per child as the county grows).

    .venv/bin/python bench/synth.py
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from continuum.synth import generate

SIZES = (5_000, 300_000)
SEED = 1
AS_OF = datetime.date(2025, 3, 31)
RESULTS = Path(__file__).parent / "results" / "synth.json"


def run(children: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        manifest = generate(Path(directory), children=children, seed=SEED, as_of=AS_OF)
        seconds = time.perf_counter() - started
    return {
        "children": children,
        "seconds": round(seconds, 2),
        "rows": manifest["counts"],
        "children_per_second": round(children / seconds),
        # The process's peak so far: the runs go smallest first, so this is each run's own peak.
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run_command(children: int) -> dict:
    """The command a council would type, `continuum synth`, end to end: start-up, generation, progress bar."""
    with tempfile.TemporaryDirectory() as directory:
        command = [str(Path(sys.executable).parent / "continuum"), "synth", "--children", str(children)]
        command += ["--seed", str(SEED), "--as-of", AS_OF.isoformat(), "--out", directory]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # needs no secret key
        seconds = time.perf_counter() - started
    return {"command": " ".join(command[1:-2]), "seconds": round(seconds, 2)}


def main() -> None:
    runs = [run(children) for children in SIZES]
    command = run_command(SIZES[-1])
    small, large = runs
    per_child = (large["seconds"] / large["children"]) / (small["seconds"] / small["children"])
    result = {
        "benchmark": "synth",
        "runs": runs,
        "baseline": "5,000-children run",
        "ratio_per_child_300k_vs_5k": round(per_child, 3),
        "command_run": command,
        "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "date": datetime.date.today().isoformat(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for r in runs:
        print(
            f"{r['children']:>9,} children: {r['seconds']:7.2f} s, {r['children_per_second']:,} children/s, "
            f"peak {r['peak_memory_mib']:,} MiB"
        )
    print(f"seconds per child, 300k vs 5k: {per_child:.3f}")
    print(f"continuum synth --children {SIZES[-1]:,}: {command['seconds']:.2f} s")


if __name__ == "__main__":
    main()
