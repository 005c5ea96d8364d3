"""Benchmark: a county's agency feeds loaded and checked, against DuckDB reading the same files (the floor); and
the county snapshot load against the ORM writer it replaced.

1. `continuum synth --children N` writes the county's feeds (N = 300,000: about 190,000 pupils and a year of
   attendance marks, some 70 million rows, and the other feeds' files).
2. The floor: DuckDB's own `read_csv` and `COUNT(*) ... GROUP BY` the person column (the pupil's UPN, the source's
   person reference, CHILD, LAchildID) over every file, in one process: rows read per second.
3. The load: a fresh SQLite database (`continuum migrate`), then `continuum feeds load KIND FILE... --format json`
   for each of the eight feeds as a council would run them, each in its own process (its peak memory is the
   process's maximum resident set, read with os.wait4): rows per second over the sum of the loads' wall times.
4. The county snapshot: bench/county_load.py's measure() (the current loader against the old ORM bulk_create
   writer, reproduced there, on the same snapshot of --county-children children).

Writes bench/results/feeds.json with {"children", "rows", "rows_per_second", "floor_rows_per_second",
"ratio_to_floor", "peak_memory_mib", "county_load_seconds", "county_load_baseline_seconds", ...}.

    .venv/bin/python bench/feeds.py [--children 300000] [--county-children 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from county_load import measure as measure_county_load  # bench/county_load.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
CONTINUUM = ROOT / ".venv" / "bin" / "continuum"
RESULTS = Path(__file__).parent / "results" / "feeds.json"
AS_OF = "2026-11-01"
SEED = 1
MIB = 1024 * 1024
# Each feed's files under DIR/feeds, and the column that names the person in each.
SINGLE = ("attendance", "suspensions", "police", "missing", "health", "youth_justice")
FOLDERS = ("ssda903", "cin")
PERSON_COLUMNS = ("upn", "person_ref", "CHILD", "LAchildID")


def feed_files(feeds: Path) -> dict[str, list[Path]]:
    """Each feed's files, leaving out any with a header and no rows (a table with nobody in it this year)."""
    files = {kind: [feeds / f"{kind}.csv"] for kind in SINGLE}
    files.update({kind: sorted((feeds / kind).glob("*.csv")) for kind in FOLDERS})
    return {kind: [path for path in paths if _has_rows(path)] for kind, paths in files.items()}


def _has_rows(path: Path) -> bool:
    with path.open(encoding="utf-8-sig") as lines:
        next(lines, None)
        return any(line.strip() for line in lines)


def floor(files: dict[str, list[Path]]) -> dict[str, Any]:
    """DuckDB reading every file and counting rows per person: the fastest anything can read these files here."""
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    rows = 0
    started = time.perf_counter()
    for paths in files.values():
        for path in paths:
            header = path.open(encoding="utf-8-sig").readline().strip().split(",")
            person = next(c for c in PERSON_COLUMNS if c in header)
            result = con.execute(
                f'SELECT "{person}", COUNT(*) FROM read_csv(?, header = true) GROUP BY "{person}"',  # noqa: S608
                [str(path)],
            ).fetchall()
            rows += sum(count for _, count in result)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds)}


def run(args: list[str], env: dict[str, str], out: Path) -> tuple[float, int, int]:
    """Run a command; return its wall seconds, exit status and peak memory (bytes)."""
    started = time.perf_counter()
    with out.open("w") as stdout:
        process = subprocess.Popen(args, env=env, stdout=stdout, stderr=subprocess.DEVNULL)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, process.returncode, usage.ru_maxrss * 1024


def load(files: dict[str, list[Path]], work: Path) -> dict[str, Any]:
    var = work / "var"
    var.mkdir()
    (var / "secret_key").write_text("bench-" + "x" * 50)
    env = {**os.environ, "CONTINUUM_VAR_DIR": str(var), "CONTINUUM_SECRET_KEY_FILE": str(var / "secret_key")}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(CONTINUUM), "migrate", "-v0"], env=env, check=True)  # noqa: S603
    feeds = []
    for kind, paths in files.items():
        out = work / f"{kind}.json"
        seconds, status, peak = run(
            [str(CONTINUUM), "feeds", "load", kind, *map(str, paths), "--format", "json"], env, out
        )
        report = json.loads(out.read_text())
        if status != 0 or report["errors"]:
            raise SystemExit(f"the {kind} feed did not load: {report['errors'][:5]}")
        rows = report["inserted"] + report["updated"] + report["unchanged"]
        feeds.append(
            {
                "feed": kind,
                "rows": rows,
                "seconds": round(seconds, 2),
                "inserted": report["inserted"],
                "warnings": len(report["warnings"]) if isinstance(report["warnings"], list) else report["warnings"],
                "peak_memory_mib": round(peak / MIB),
            }
        )
        print(f"  {kind:14} {rows:>12,} rows {seconds:8.1f} s {peak / MIB:8.0f} MiB", flush=True)
    total = sum(f["seconds"] for f in feeds)
    rows = sum(f["rows"] for f in feeds)
    return {
        "rows": rows,
        "seconds": round(total, 2),
        "rows_per_second": round(rows / total),
        "peak_memory_mib": max(f["peak_memory_mib"] for f in feeds),
        "feeds": feeds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--county-children", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="write the county here and keep it (default: a temporary folder)")
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    county = opts.keep or work / "county"
    try:
        print(f"Generating a county of {opts.children:,} children ...", flush=True)
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [
                str(CONTINUUM),
                "synth",
                "--children",
                str(opts.children),
                "--seed",
                str(SEED),
                "--as-of",
                AS_OF,
                "--out",
                str(county),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        synth_seconds = time.perf_counter() - started
        files = feed_files(county / "feeds")
        print("Floor: DuckDB read_csv + COUNT(*) GROUP BY person ...", flush=True)
        floor_result = floor(files)
        print(f"  {floor_result['rows']:,} rows in {floor_result['seconds']} s", flush=True)
        print("Loading the feeds ...", flush=True)
        loaded = load(files, work)
        if loaded["rows"] != floor_result["rows"]:
            raise SystemExit(f"the load read {loaded['rows']:,} rows, DuckDB {floor_result['rows']:,}")
        print(f"Loading a county snapshot of {opts.county_children:,} children, and the baseline ...", flush=True)
        county_result = measure_county_load(opts.county_children)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "feeds",
        "date": datetime.date.today().isoformat(),
        "children": opts.children,
        "rows": loaded["rows"],
        "marks": next(f["rows"] for f in loaded["feeds"] if f["feed"] == "attendance"),
        "seconds": loaded["seconds"],
        "rows_per_second": loaded["rows_per_second"],
        "floor_rows_per_second": floor_result["rows_per_second"],
        "floor_seconds": floor_result["seconds"],
        "ratio_to_floor": round(loaded["rows_per_second"] / floor_result["rows_per_second"], 3),
        "peak_memory_mib": loaded["peak_memory_mib"],
        "feeds": loaded["feeds"],
        "synth_seconds": round(synth_seconds, 1),
        "county_children": opts.county_children,
        "county_load_seconds": county_result["county_load_seconds"],
        "county_load_baseline_seconds": county_result["county_load_baseline_seconds"],
        "county_load_ratio": round(
            county_result["county_load_baseline_seconds"] / county_result["county_load_seconds"], 2
        ),
        "database": "sqlite",
        "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("feeds", "machine")}, indent=2))


if __name__ == "__main__":
    main()
