"""Benchmark: issue 15's signals on a 300,000-child county: indicators against DuckDB's floor, the single view
under 50 signed-in users on SQLite and PostgreSQL, and the gap finder.

1. Set-up (skipped with --reuse DIR, which takes the figures recorded when DIR was set up): `continuum synth
   --children N --seed S --as-of D` (N = 300,000: some 628,000 people and a school year of attendance, ~67.5
   million marks), then for each database (SQLite under DIR/sqlite; PostgreSQL in the scratch database --postgres
   names, its var folder DIR/postgresql): `continuum migrate`, `collectstatic`, `continuum county load`,
   `continuum feeds load KIND FILE...` for each of the eight feeds (bench/feeds.py's files), `continuum linkage
   run`, each a process of its own at low priority (`nice -n 10`: the machine is shared), one database at a time,
   its wall seconds and peak memory written to DIR/setup.json as it finishes (a set-up broken off resumes there).
2. Signals: on each database `continuum migrate` (the modules' later migrations), `continuum signals indicators
   --as-of D` and `continuum signals gap --as-of D`, timed (the services end to end, as cron runs them).
3. Indicators (SQLite's var folder): `continuum.signals.indicators.compute(...)` over the whole county's marks
   (`read_marks(store)`), its linked events and pupils, against the floor: DuckDB's own `GROUP BY upn` over the
   same SQL, counting each pupil's marks and the marks in each category (the least any attendance indicator must
   do). Alternately, --repeats times each, in one process with the same DuckDB settings; the best of each.
   rows per second = marks / seconds. The floor straight from the Parquet files (no category join) is reported too.
4. The gap finder (SQLite's var folder): `continuum.signals.gap.find(...)` over the whole county, its inputs built
   as the service builds them (not timed, reported), and `run_gap_finder` end to end.
5. Load, on each database: --users signed-in front-door workers (who may open every child; --practitioners of
   them instead open children they work with), served by granian with the flags of `make demo` (bench/load.py's
   SERVER_ARGS) on 127.0.0.1, one thread per user with its own cookies (bench/load.py's client). All sign in, wait
   for each other, then each opens --rounds single views of random children (seeded: --with-events of them
   children with linked feed records, the rest without), pausing 1-3 s (seeded) before each. A page is an error
   unless it answers 200 at the address asked for. p50 and p95 of the single view's time to the last byte.

Writes bench/results/single_view.json: {"children", "marks", "indicator_rows_per_second", "floor_rows_per_second",
"ratio_to_floor", "load": [{"database", "users", "requests", "p50_ms", "p95_ms", "errors"}], "gap_finder_seconds",
...} with the machine, its load average, the versions, the county's seed and sizes and each step's seconds.

    .venv/bin/python bench/single_view.py --dir /work/bench15            # set up there (kept), then measure
    .venv/bin/python bench/single_view.py --reuse /work/bench15          # measure on that set-up
    .venv/bin/python bench/single_view.py --reuse DIR --steps load --page record   # the record page instead

PostgreSQL: --postgres URL (default postgres://continuum:continuum@127.0.0.1:5432/continuum_bench15; set-up drops
and creates it); --databases sqlite alone skips it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import load  # bench/load.py, beside this file: its client, server and percentiles
from feeds import feed_files  # bench/feeds.py: each feed's files in a county

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONTINUUM = BIN / "continuum"
RESULTS = Path(__file__).parent / "results" / "single_view.json"
SEED = 1
CHILDREN = 300_000
POSTGRES = "postgres://continuum:continuum@127.0.0.1:5432/continuum_bench15"
DATABASES = ("sqlite", "postgresql")
STEPS = ("setup", "signals", "indicators", "gap", "load")
NICE = ("nice", "-n", "10")  # set-up shares the machine's two cores with others' tests
MIB = 1024 * 1024
PAGES = {
    "single_view": "/multi-agency/children/{}/",  # issue 15's page (signals:single_view)
    "record": "/children/{}/",  # the child's record: to try the harness before the single view exists
}
CATEGORIES = ("present", "authorised", "unauthorised", "not_counted")


# -- The run ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--dir", type=Path, help="set up in this folder and keep it (resumes a set-up broken off)")
    where.add_argument("--reuse", type=Path, help="measure on this folder's set-up, without setting up")
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--postgres", default=POSTGRES, help="the scratch PostgreSQL database (dropped and made)")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--practitioners", type=int, default=0, help="of the users, practitioners opening their own")
    parser.add_argument("--rounds", type=int, default=20, help="single views each user opens")
    parser.add_argument("--with-events", type=float, default=0.8, help="share of children opened with feed records")
    parser.add_argument("--page", choices=PAGES, default="single_view")
    parser.add_argument("--repeats", type=int, default=2, help="timings of compute and of the floor, alternately")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--quiet-below",
        type=float,
        help="before each timed step, wait (up to --max-wait s) for the 1-minute load average to fall below this",
    )
    parser.add_argument("--max-wait", type=float, default=300)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # a measurement in a process of its own
    opts = parser.parse_args()
    if opts.worker:
        print(json.dumps(WORKERS[opts.worker](opts), default=str))
        return

    temporary = opts.dir is None and opts.reuse is None
    folder = (opts.reuse or opts.dir or Path(tempfile.mkdtemp(prefix="bench-single-view-"))).resolve()
    bench = Bench(folder, opts)
    load_before = os.getloadavg()
    started = time.perf_counter()
    try:
        if opts.reuse is None and "setup" in opts.steps:
            bench.setup()
        result = bench.measure()
        result["machine"] = machine(load_before, opts.postgres if "postgresql" in opts.databases else None)
        result["code"] = code_version()
    finally:
        if temporary:
            bench.drop_postgres()
            shutil.rmtree(folder, ignore_errors=True)
    result["run_seconds"] = round(time.perf_counter() - started, 1)
    result["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    summary(result)
    print(f"Written to {opts.out}")


class Bench:
    def __init__(self, folder: Path, opts: argparse.Namespace) -> None:
        self.folder, self.opts = folder, opts
        self.county = folder / "county"
        self.state_path = folder / "setup.json"
        self.state: dict[str, Any] = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        if opts.reuse is not None and not self.state:
            sys.exit(f"{self.state_path} is missing: {folder} was not set up by this benchmark (use --dir)")
        if self.state:  # a set-up's county is what it is: its figures, not the command line's
            opts.children, opts.seed = self.state["children"], self.state["seed"]
            opts.as_of = datetime.date.fromisoformat(self.state["as_of"])
            opts.postgres = self.state.get("postgres", opts.postgres)

    # -- Set-up ---------------------------------------------------------------------------------------------------

    def save(self) -> None:
        self.state_path.write_text(json.dumps(self.state, indent=2) + "\n")

    def setup(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        secret = self.folder / "secret_key"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(50))
            secret.chmod(0o600)
        self.state.setdefault("children", self.opts.children)
        self.state.setdefault("seed", self.opts.seed)
        self.state.setdefault("as_of", self.opts.as_of.isoformat())
        self.state.setdefault("postgres", self.opts.postgres)
        self.state.setdefault("date", datetime.date.today().isoformat())
        self.state.setdefault("steps", {})
        self.save()
        self.step(
            "synth",
            None,
            [
                str(CONTINUUM),
                "synth",
                "--children",
                str(self.opts.children),
                "--seed",
                str(self.opts.seed),
                "--as-of",
                self.opts.as_of.isoformat(),
                "--out",
                str(self.county),
            ],
        )
        if "unique_agency_names" not in self.state["steps"]:
            self.state["steps"]["unique_agency_names"] = {"renamed": unique_agency_names(self.county)}
            self.save()
        for database in self.opts.databases:
            self.setup_database(database)

    def step(
        self, name: str, database: str | None, command: list[str], *, output: Path | None = None
    ) -> dict[str, Any]:
        """Run one set-up command (at low priority) unless the set-up has done it; its seconds and peak memory."""
        key = f"{database}:{name}" if database else name
        done: dict[str, Any] | None = self.state["steps"].get(key)
        if done is not None:
            return done
        print(f"[set-up] {key}: {' '.join(command[1:3])} ...", flush=True)
        env = self.env(database) if database else self.env("sqlite")
        log = output or self.folder / "logs" / f"{key.replace(':', '-')}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        seconds, status, peak = run([*NICE, *command], env, log)
        if status != 0:
            sys.exit(f"{key} failed (exit {status}); see {log} and {log.with_suffix('.err')}")
        done = {"seconds": round(seconds, 1), "peak_memory_mib": round(peak / MIB), "load_average": load_average()}
        self.state["steps"][key] = done
        self.save()
        print(f"[set-up] {key}: {seconds:.1f} s, {peak / MIB:.0f} MiB", flush=True)
        return done

    def setup_database(self, database: str) -> None:
        var = self.var(database)
        var.mkdir(parents=True, exist_ok=True)
        if database == "postgresql" and f"{database}:migrate" not in self.state["steps"]:
            scratch_database(self.opts.postgres, create=True)
        self.step("migrate", database, [str(CONTINUUM), "migrate", "-v0"])
        self.step("collectstatic", database, [str(CONTINUUM), "collectstatic", "--noinput", "-v0"])
        self.step("county_load", database, [str(CONTINUUM), "county", "load", str(self.county)])
        for kind, paths in feed_files(self.county / "feeds").items():
            out = self.folder / "logs" / f"{database}-feeds-{kind}.json"
            done = self.step(
                f"feeds_{kind}",
                database,
                [str(CONTINUUM), "feeds", "load", kind, *map(str, paths), "--format", "json"],
                output=out,
            )
            if "rows" not in done:
                report = json.loads(_last_json_line(out.read_text()))
                if report["errors"]:
                    sys.exit(f"the {kind} feed did not load on {database}: {report['errors'][:5]}")
                done["rows"] = report["inserted"] + report["updated"] + report["unchanged"]
                self.save()
        self.step("linkage_run", database, [str(CONTINUUM), "linkage", "run"])

    def var(self, database: str) -> Path:
        return self.folder / database

    def env(self, database: str) -> dict[str, str]:
        """The environment of `make demo` (no HTTPS, no second factor, no debug), on this database's var folder."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
            "CONTINUUM_VAR_DIR": str(self.var(database)),
            "CONTINUUM_SECRET_KEY_FILE": str(self.folder / "secret_key"),
            "CONTINUUM_ASSETS_DIR": str(ROOT / "var" / "vendor"),
            "CONTINUUM_HTTPS": "false",
            "CONTINUUM_REQUIRE_2FA": "false",
            "CONTINUUM_DEBUG": "false",
            "CONTINUUM_DEMO": "true",
        }
        env.pop("CONTINUUM_SECRET_KEY", None)
        env.pop("DATABASE_URL", None)
        if database == "postgresql":
            env["DATABASE_URL"] = self.opts.postgres
        return env

    def drop_postgres(self) -> None:
        if "postgresql" in self.opts.databases:
            scratch_database(self.opts.postgres, create=False)

    # -- Measurements ---------------------------------------------------------------------------------------------

    def worker(self, name: str, database: str, *extra: str) -> dict[str, Any]:
        """One measurement in a process of its own, with Django set up on this database."""
        command = [
            sys.executable,
            __file__,
            "--worker",
            name,
            "--as-of",
            self.opts.as_of.isoformat(),
            "--repeats",
            str(self.opts.repeats),
            *extra,
        ]
        done = subprocess.run(command, env=self.env(database), capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            raise RuntimeError(
                f"the {name} measurement failed on {database}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
            )
        sys.stderr.write(done.stderr)
        out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return out

    def quiet(self, name: str) -> dict[str, Any]:
        """Wait, if asked, for the machine to be quieter (it is shared); what the wait was and the load then."""
        started = time.monotonic()
        limit = self.opts.quiet_below
        while limit is not None and os.getloadavg()[0] >= limit and time.monotonic() - started < self.opts.max_wait:
            time.sleep(5)
        waited = time.monotonic() - started
        if limit is not None:
            print(f"[{name}] waited {waited:.0f} s for a load average under {limit}: {load_average()}", flush=True)
        return {"waited_s": round(waited), "wanted_below": limit, "load_average_at_start": load_average()}

    def measure(self) -> dict[str, Any]:
        steps = self.opts.steps
        result: dict[str, Any] = {
            "benchmark": "single_view",
            "children": self.opts.children,
            "seed": self.opts.seed,
            "as_of": self.opts.as_of.isoformat(),
        }
        county = self.county_figures()
        result.update(county)
        result["setup"] = self.state.get("steps", {})
        result["setup_date"] = self.state.get("date")
        recorded = self.folder / "signals.json"  # the scheduled commands' last timings on this set-up
        earlier: dict[str, Any] = json.loads(recorded.read_text()) if recorded.exists() else {}
        if "signals" in steps:
            for database in self.opts.databases:
                earlier[database] = {
                    **self.signals(database),
                    "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "commit": code_version()["commit"],
                    "load_average_after": load_average(),
                }
                recorded.write_text(json.dumps(earlier, indent=2) + "\n")
        # Those of this run, or (when this run did not run them) the last ones, with their date and commit.
        result["signals_commands"] = earlier
        if "indicators" in steps:
            print("Indicators: compute against DuckDB's floor ...", flush=True)
            machine_then = self.quiet("indicators")
            figures = self.worker("indicators", "sqlite")
            figures["machine_at_start"] = machine_then
            result["marks"] = figures["marks"]
            result["indicator_rows_per_second"] = figures["rows_per_second"]
            result["floor_rows_per_second"] = figures["floor"]["rows_per_second"]
            result["ratio_to_floor"] = round(figures["rows_per_second"] / figures["floor"]["rows_per_second"], 3)
            result["indicator_seconds"] = figures["seconds"]
            result["floor_seconds"] = figures["floor"]["seconds"]
            result["indicators"] = figures
        if "gap" in steps:
            print("The gap finder ...", flush=True)
            machine_then = self.quiet("gap")
            figures = self.worker("gap", "sqlite")
            figures["machine_at_start"] = machine_then
            result["gap_finder_seconds"] = figures["find_seconds"]
            result["run_gap_finder_seconds"] = figures["run_gap_finder_seconds"]
            result["gap_finder"] = figures
        if "load" in steps:
            result["load"] = [self.load(database) for database in self.opts.databases]
        result["targets"] = targets(result)
        return result

    def county_figures(self) -> dict[str, Any]:
        manifest = json.loads((self.county / "manifest.json").read_text())
        counts = manifest.get("counts", {})
        feeds = {
            key.split(":")[1].removeprefix("feeds_"): step.get("rows")
            for key, step in self.state.get("steps", {}).items()
            if key.startswith("sqlite:feeds_")
        }
        return {
            "people": counts.get("people"),
            "feed_rows": feeds,
            "events": sum(rows for kind, rows in feeds.items() if kind != "attendance" and rows),
        }

    def signals(self, database: str) -> dict[str, Any]:
        """The modules' migrations, then the scheduled commands, as cron would run them; each timed."""
        env = self.env(database)
        figures: dict[str, Any] = {}
        logs = self.folder / "logs"
        logs.mkdir(exist_ok=True)
        as_of = self.opts.as_of.isoformat()
        for name, command in (
            ("migrate", ["migrate", "-v0"]),
            ("collectstatic", ["collectstatic", "--noinput", "-v0"]),  # the single view's stylesheet (MoJ Frontend)
            ("indicators", ["signals", "indicators", "--as-of", as_of]),
            ("gap", ["signals", "gap", "--as-of", as_of]),
        ):
            print(f"[{database}] continuum {' '.join(command)} ...", flush=True)
            log = logs / f"{database}-signals-{name}.log"
            seconds, status, peak = run([str(CONTINUUM), *command], env, log)
            if status != 0:
                sys.exit(f"continuum {' '.join(command)} failed on {database} (exit {status}); see {log}")
            figures[name] = {"seconds": round(seconds, 1), "peak_memory_mib": round(peak / MIB)}
            print(f"  {seconds:.1f} s", flush=True)
        return figures

    def load(self, database: str) -> dict[str, Any]:
        print(f"[{database}] accounts and children ...", flush=True)
        people = self.worker(
            "accounts",
            database,
            "--users",
            str(self.opts.users),
            "--practitioners",
            str(self.opts.practitioners),
            "--seed",
            str(self.opts.seed),
        )
        var = self.var(database)
        (var / "lock-waits.txt").unlink(missing_ok=True)
        machine_then = self.quiet(database)
        saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "CONTINUUM_SECRET_KEY_FILE", "CONTINUUM_ASSETS_DIR")}
        os.environ.update({k: v for k, v in self.env(database).items() if k in saved or k.startswith("CONTINUUM_")})
        if database != "postgresql":
            os.environ.pop("DATABASE_URL", None)
        try:
            figures = run_load(database, var, people, self.opts)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        figures["children_sampled"] = people["sample"]
        figures["machine_at_start"] = machine_then
        return figures


def unique_agency_names(county: Path) -> int:
    """Give each school whose name another agency has a name of its own: "Elm Primary School (URN 912345)".

    At 300,000 children the generator runs out of names for its ~530 schools (continuum.synth._places gives up
    after trying every street stem and keeps the name twice), and `continuum county load` rightly refuses an agency
    named twice. Only agencies.parquet holds agencies' names (feeds name schools by URN). Returns how many were
    renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = county / "agencies.parquet"
    table = pq.read_table(path)
    names = table.column("name").to_pylist()
    seen: set[str] = set()
    renamed = 0
    for i, (name, urn) in enumerate(zip(names, table.column("urn").to_pylist(), strict=True)):
        if name in seen:
            names[i] = f"{name} (URN {urn})" if urn else f"{name} ({i})"
            renamed += 1
        seen.add(names[i])
    if renamed:
        table = table.set_column(table.schema.get_field_index("name"), "name", pa.array(names, pa.string()))
        pq.write_table(table, path)
    return renamed


def scratch_database(url: str, *, create: bool) -> None:
    """Drop the database the URL names (and make it again, empty)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if create:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _last_json_line(text: str) -> str:
    """The command's one JSON object (its progress bar, on stderr, is in the same file)."""
    return next(line for line in reversed(text.splitlines()) if line.startswith("{"))


def run(args: list[str], env: dict[str, str], out: Path) -> tuple[float, int, int]:
    """Run a command, its output (and errors) to `out`; its wall seconds, exit status and peak memory (bytes)."""
    started = time.perf_counter()
    with out.open("w") as stdout, out.with_suffix(".err").open("w") as stderr:
        process = subprocess.Popen(args, env=env, stdout=stdout, stderr=stderr)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, process.returncode, usage.ru_maxrss * 1024


def load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


def machine(before: tuple[float, float, float], postgres: str | None) -> dict[str, Any]:
    from importlib.metadata import version

    import duckdb

    versions = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "duckdb": duckdb.__version__}
    versions.update({package: version(package) for package in ("django", "granian", "pyarrow", "psycopg")})
    if postgres:
        import psycopg

        with psycopg.connect(postgres) as con:
            row = con.execute("SHOW server_version").fetchone()
            versions["postgresql"] = row[0] if row else None
    return {
        "cpu_count": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "load_average_before": [round(x, 1) for x in before],
        "load_average_after": load_average(),
        "versions": versions,
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and which of issue 15's branches it holds."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)  # noqa: S607

    branches = git("for-each-ref", "--format=%(refname:short)", "refs/heads/i15", "refs/heads/i15-*").stdout.split()
    return {
        "commit": git("rev-parse", "HEAD").stdout.strip(),
        "parents": git("log", "-1", "--format=%P").stdout.split(),  # a merge's: what it brought together
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no").stdout.strip()),
        "branches_merged": [b for b in branches if git("merge-base", "--is-ancestor", b, "HEAD").returncode == 0],
    }


def targets(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "ratio_to_floor" in result:
        out["indicators_ratio_to_floor_at_least_0.5"] = result["ratio_to_floor"] >= 0.5
    for run_ in result.get("load", []):
        p95 = run_["p95_ms"]
        out[f"p95_under_300_ms_{run_['database']}"] = p95 is not None and p95 < 300 and run_["errors"] == 0
    if "gap_finder_seconds" in result:
        out["gap_finder_under_10_s"] = result["gap_finder_seconds"] < 10
    return out


def summary(result: dict[str, Any]) -> None:
    print()
    for key in ("children", "people", "marks", "indicator_rows_per_second", "floor_rows_per_second"):
        print(f"{key}: {result.get(key)}")
    print(f"ratio_to_floor: {result.get('ratio_to_floor')}")
    for run_ in result.get("load", []):
        print(
            f"{run_['database']}: {run_['users']} users, {run_['requests']} requests, p50 {run_['p50_ms']} ms, "
            f"p95 {run_['p95_ms']} ms, {run_['errors']} errors"
        )
    print(f"gap_finder_seconds: {result.get('gap_finder_seconds')}")
    print(f"targets: {result.get('targets')}")


# -- The load: users in threads, the server as `make demo` serves it -------------------------------------------


@dataclass
class Tally(load.Tally):
    """bench/load.py's tally, with each user's first page (the server's caches cold for the first of them)."""

    first: list[float] = field(default_factory=list)


def run_load(database: str, var: Path, people: dict[str, Any], opts: argparse.Namespace) -> dict[str, Any]:
    config = load.Configuration(database, "as `make demo` serves it", load.SERVER_ARGS, None, 0.0)
    port = load._free_port()
    print(f"[{database}] serving: granian {' '.join(load.SERVER_ARGS)}", flush=True)
    server = load._serve(config, var, port)
    base = f"http://{load.HOST}:{port}"
    tally = Tally(timings={"login_page": [], "sign_in": [], "page": []})
    groups: dict[str, list[float]] = {"with_feed_records": [], "without": [], "own": []}
    accounts = people["accounts"]
    solo = _solo(base, accounts[-1], people, opts)  # one user alone first: the page without the others waiting
    signed_in = threading.Barrier(len(accounts) + 1)
    threads = [
        threading.Thread(
            target=_user,
            args=(account, people, base, opts, opts.seed * 1000 + i, signed_in, tally, groups),
            daemon=True,
        )
        for i, account in enumerate(accounts)
    ]
    load_during: list[float] = []
    try:
        for thread in threads:
            thread.start()
        signed_in.wait(timeout=10 * load.REQUEST_TIMEOUT)  # every user signed in (or failed to)
        started = time.perf_counter()
        cpu_before = _server_cpu_seconds(server.pid)
        print(f"[{database}] {len(accounts)} users signed in; opening pages", flush=True)
        report_at = 0.0
        while any(t.is_alive() for t in threads):
            time.sleep(0.25)
            if (elapsed := time.perf_counter() - started) >= report_at:
                report_at = elapsed + 10
                load_during.append(os.getloadavg()[0])
                with tally.lock:
                    done, errors = len(tally.timings["page"]), len(tally.errors)
                print(f"[{database}] {elapsed:5.1f} s: {done} pages, {errors} errors", flush=True)
        seconds = time.perf_counter() - started
        cpu = _server_cpu_seconds(server.pid) - cpu_before
        peak = load._peak_memory_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = (var / "server.log").read_text(errors="replace")
    pages = tally.timings["page"]
    page_errors = [e for e in tally.errors if e["page"] == "page"]
    return {
        "database": database,
        "users": len(accounts),
        "requests": len(pages) + len(page_errors),
        "p50_ms": load._percentile(pages, 50),
        "p95_ms": load._percentile(pages, 95),
        "errors": len(page_errors),
        "page": PAGES[opts.page].format("<person_id>"),
        "max_ms": load._percentile(pages, 100),
        "p99_ms": load._percentile(pages, 99),
        "requests_per_second": round(len(pages) / seconds, 1) if seconds else None,
        "seconds": round(seconds, 1),
        "by_child": {
            name: {"requests": len(ms), "p50_ms": load._percentile(ms, 50), "p95_ms": load._percentile(ms, 95)}
            for name, ms in groups.items()
            if ms
        },
        "first_page_per_user": _first_pages(tally),
        "one_user_alone": {
            "requests": len(solo),
            "p50_ms": load._percentile(solo, 50),
            "p95_ms": load._percentile(solo, 95),
            "note": "one signed-in user opening pages one after another, no pause, before the others sign in",
        },
        "sign_in": {
            "requests": len(tally.timings["sign_in"]),
            "errors": sum(e["page"] == "sign_in" for e in tally.errors),
            "p50_ms": load._percentile(tally.timings["sign_in"], 50),
            "note": "all users sign in at once before the pages are timed (Argon2: not part of the figures)",
        },
        "roles": {
            role: sum(a["role"] == role for a in accounts) for role in dict.fromkeys(a["role"] for a in accounts)
        },
        "rounds": opts.rounds,
        "pause_seconds": list(load.PAUSE_SECONDS),
        "error_examples": tally.errors[:5],
        "server": {
            "command": f"granian {' '.join(load.SERVER_ARGS)} --host 127.0.0.1 --port PORT {load.APP}",
            "peak_memory_mib": peak,
            # The workers' CPU time per page while the pages were opened (user + system): what each page costs
            # the server whatever else the machine is doing (the database's own processes not counted).
            "cpu_ms_per_page": round(cpu * 1000 / len(pages), 1) if pages else None,
            "tracebacks": log.count("Traceback (most recent call last)"),
            "database_is_locked": log.count("database is locked"),
        },
        "load_average_during": [round(x, 1) for x in load_during],
    }


def _solo(base: str, account: dict[str, Any], people: dict[str, Any], opts: argparse.Namespace) -> list[float]:
    """One user alone opening --rounds pages one after another (the first not counted: the server's caches)."""
    tally = Tally(timings={"login_page": [], "sign_in": [], "page": []})
    browser = load.Browser(base)
    if not _sign_in(browser, account, tally):
        return []
    rng = random.Random(opts.seed)
    timings = []
    for _ in range(opts.rounds + 1):
        path = PAGES[opts.page].format(rng.choice(people["with_feed_records"] + people["without"]))
        started = time.perf_counter()
        status, where, _ = browser.open(path)
        if status == 200 and where == path:
            timings.append((time.perf_counter() - started) * 1000)
    return timings[1:]


def _server_cpu_seconds(pid: int) -> float:
    """The server's workers' CPU time so far (user and system, Linux's /proc; 0 elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        workers = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for worker in [str(pid), *workers]:
            fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime and stime
    except OSError:
        return 0.0
    return total


def _first_pages(tally: Tally) -> dict[str, Any]:
    firsts = tally.first  # each user's first page: the server's caches cold for the first of them
    return {"requests": len(firsts), "p50_ms": load._percentile(firsts, 50), "p95_ms": load._percentile(firsts, 95)}


def _user(
    account: dict[str, Any],
    people: dict[str, Any],
    base: str,
    opts: argparse.Namespace,
    seed: int,
    signed_in: threading.Barrier,
    tally: Tally,
    groups: dict[str, list[float]],
) -> None:
    rng = random.Random(seed)
    browser = load.Browser(base)
    try:
        ok = _sign_in(browser, account, tally)
    finally:
        signed_in.wait()  # the pages are timed once everyone is in
    if not ok:
        return
    own = account.get("children") or []
    for r in range(opts.rounds):
        time.sleep(rng.uniform(*load.PAUSE_SECONDS))
        if own:
            group, child = "own", rng.choice(own)
        elif rng.random() < opts.with_events:
            group, child = "with_feed_records", rng.choice(people["with_feed_records"])
        else:
            group, child = "without", rng.choice(people["without"])
        path = PAGES[opts.page].format(child)
        started = time.perf_counter()
        try:
            status, where, _ = browser.open(path)
        except OSError as exc:
            tally.error("page", f"connection: {exc!r}")
            continue
        ms = (time.perf_counter() - started) * 1000
        if status != 200 or where != path:
            tally.error("page", f"HTTP {status} at {where} for {path}")
            continue
        tally.add("page", ms)
        with tally.lock:
            groups[group].append(ms)
            if r == 0:
                tally.first.append(ms)


def _sign_in(browser: Any, account: dict[str, Any], tally: Tally) -> bool:
    page = _timed(browser, tally, "login_page", "/accounts/login/")
    token = load.TOKEN.search(page or "")
    if token is None:
        return False
    form = {"csrfmiddlewaretoken": token.group(1), "username": account["username"], "password": account["password"]}
    started = time.perf_counter()
    try:
        status, where, _ = browser.open("/accounts/login/", form)
    except OSError as exc:
        tally.error("sign_in", f"connection: {exc!r}")
        return False
    if status != 200 or where != "/":
        tally.error("sign_in", f"HTTP {status}: signing in led to {where}, not the home page")
        return False
    tally.add("sign_in", (time.perf_counter() - started) * 1000)
    return True


def _timed(browser: Any, tally: Tally, page: str, path: str) -> str | None:
    started = time.perf_counter()
    try:
        status, where, body = browser.open(path)
    except OSError as exc:
        tally.error(page, f"connection: {exc!r}")
        return None
    if status != 200:
        tally.error(page, f"HTTP {status} at {where}")
        return None
    tally.add(page, (time.perf_counter() - started) * 1000)
    return body


# -- In a worker process (Django set up on one database) -------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def accounts_worker(opts: argparse.Namespace) -> dict[str, Any]:
    """Accounts for the users (front-door workers, and --practitioners practitioners with the children they may open),
    and the children to open: a seeded sample of those with linked feed records and of those without."""
    _django()
    from django.db import connections

    from continuum.agencies.access import SystemActor
    from continuum.agencies.models import Agency, Allocation, Practitioner
    from continuum.agencies.services import practitioner_account_set
    from continuum.linkage.selectors import linked_source_people
    from continuum.people.models import Person
    from continuum.people.selectors import people_visible_to

    rng = random.Random(opts.seed)
    actor = SystemActor("single view benchmark")
    adult = opts.as_of.replace(year=opts.as_of.year - 18)
    children = sorted(
        str(pk) for pk in Person.objects.filter(date_of_birth__gt=adult).values_list("pk", flat=True).iterator()
    )
    linked = {str(person) for _, person, _, _ in linked_source_people()}
    with_records = [pk for pk in children if pk in linked]
    without = [pk for pk in children if pk not in linked]
    sample = 2000
    accounts = []
    agency = Agency.objects.filter(kind="early_help").order_by("name").first()
    assert agency is not None, "the county has no early help agency"
    with_cases = Practitioner.objects.filter(
        role="practitioner",
        agency__kind__in=("early_help", "childrens_social_care"),
        allocations__in=Allocation.objects.current(),
    ).distinct()

    def practitioner_for(username: str, role: str, i: int) -> Practitioner:
        """The one this benchmark gave that username before, or one of the role without an account yet."""
        found = Practitioner.objects.filter(user__username=username).first()
        if found is not None:
            return found
        pool = with_cases if role == "practitioner" else Practitioner.objects.filter(role=role)
        found = pool.filter(user__isnull=True).order_by("pk").first()
        if found is None and role == "front_door":  # fewer front-door workers than users: another at that door
            found = Practitioner.objects.create(
                given_name="Load", family_name=f"Test {i}", role=role, agency=agency, email=f"bench15-{i}@example.org"
            )
        if found is None:
            raise RuntimeError(f"the county has too few practitioners with children allocated for {username}")
        return found

    for i in range(opts.users):
        own: list[str] = []
        role, prefix = ("practitioner", "pr") if i < opts.practitioners else ("front_door", "fd")
        username = f"bench15-{prefix}-{i:03d}"
        practitioner = practitioner_for(username, role, i)
        user, password = practitioner_account_set(actor=actor, practitioner=practitioner, username=username)
        if practitioner.role == "practitioner":
            visible = people_visible_to(user).filter(date_of_birth__gt=adult).values_list("pk", flat=True)
            own = sorted(str(pk) for pk in visible[:500])
        accounts.append({"username": user.username, "password": password, "role": practitioner.role, "children": own})
    connections.close_all()
    return {
        "accounts": accounts,
        "with_feed_records": rng.sample(with_records, min(sample, len(with_records))),
        "without": rng.sample(without, min(sample, len(without))),
        "sample": {
            "children": len(children),
            "with_feed_records": len(with_records),
            "without": len(without),
            "drawn_from_each": sample,
            "children_are": f"people born after {adult} (under 18 on the county's date)",
        },
    }


def _best(timings: list[float]) -> float:
    return round(min(timings), 2)


def indicators_worker(opts: argparse.Namespace) -> dict[str, Any]:
    """compute() over the whole county against the floor, alternately, in this one process."""
    _django()
    import duckdb
    from django.conf import settings

    from continuum.signals import indicators
    from continuum.signals.feeds.marks_store import read_marks
    from continuum.signals.selectors.tables import events_table, linked_people, pupils_table
    from continuum.signals.services import indicators as indicators_service

    started = time.perf_counter()
    people = linked_people()
    events = events_table(people=people)
    pupils = pupils_table(people=people)
    tables_seconds = time.perf_counter() - started
    store = Path(settings.FEEDS_DIR) / "attendance"
    marks_sql = read_marks(store)
    definitions = indicators.load_definitions()
    threads = os.cpu_count() or 1

    # The connection as refresh_indicators opens it (its memory limit, spilling to a work folder), for both.
    memory_limit = getattr(indicators_service, "MEMORY_LIMIT", None)
    work = Path(settings.FEEDS_DIR) / ".work" / f"bench-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)

    def connect() -> duckdb.DuckDBPyConnection:
        config = {"temp_directory": str(work), **({"memory_limit": memory_limit} if memory_limit else {})}
        con = duckdb.connect(config=config)
        con.execute(f"SET threads = {threads}")
        con.execute("SET enable_progress_bar = false")
        return con

    with connect() as con:
        marks = int(con.execute(f"SELECT count(*) FROM ({marks_sql})").fetchone()[0])  # noqa: S608
    counts = ", ".join(f"count(*) FILTER (WHERE category = '{c}') AS {c}" for c in CATEGORIES)
    floor_sql = f"SELECT upn, count(*) AS marks, {counts} FROM ({marks_sql}) GROUP BY upn"  # noqa: S608
    parquet = store / "marks" / "school_urn=*" / "academic_year=*" / "marks.parquet"
    raw_sql = f"SELECT upn, code, count(*) FROM read_parquet('{parquet}', hive_partitioning = true) GROUP BY upn, code"  # noqa: S608
    # The floor with the windows: the same counts in each window the definitions name (the window itself, not its
    # earlier periods), one GROUP BY upn: the least an engine must do for windowed attendance indicators.
    windows = {name: window.periods(opts.as_of)[0] for name, window in definitions.windows.items()}
    windowed = ", ".join(
        f"count(*) FILTER (WHERE date BETWEEN DATE '{start}' AND DATE '{end}'"
        + (f" AND category = '{c}'" if c else "")
        + f") AS {name}_{c or 'marks'}"
        for name, (start, end) in windows.items()
        for c in ("", *CATEGORIES)
    )
    windows_sql = f"SELECT upn, {windowed} FROM ({marks_sql}) GROUP BY upn"  # noqa: S608
    windows_times: list[float] = []
    floor_times: list[float] = []
    raw_times: list[float] = []
    compute_times: list[float] = []
    rows = floor_rows = 0
    for _ in range(max(1, opts.repeats)):
        with connect() as con:
            t = time.perf_counter()
            floor_rows = con.sql(floor_sql).to_arrow_table().num_rows
            floor_times.append(time.perf_counter() - t)
        with connect() as con:
            t = time.perf_counter()
            out = indicators.compute(
                con=con, marks_sql=marks_sql, events=events, pupils=pupils, as_of=opts.as_of, definitions=definitions
            )
            compute_times.append(time.perf_counter() - t)
            rows = out.num_rows
            sample = out.slice(0, 3).to_pylist()
            names = sorted(set(out.column("indicator").to_pylist())) if "indicator" in out.column_names else []
            del out
        with connect() as con:
            t = time.perf_counter()
            con.sql(raw_sql).to_arrow_table()
            raw_times.append(time.perf_counter() - t)
        with connect() as con:
            t = time.perf_counter()
            con.sql(windows_sql).to_arrow_table()
            windows_times.append(time.perf_counter() - t)
    shutil.rmtree(work, ignore_errors=True)
    seconds, floor_seconds = min(compute_times), min(floor_times)
    return {
        "marks": marks,
        "pupils": pupils.num_rows,
        "events": events.num_rows,
        "linked_records": people.num_rows,
        "read_tables_seconds": round(tables_seconds, 2),
        "seconds": _best(compute_times),
        "seconds_each": [round(t, 2) for t in compute_times],
        "rows_per_second": round(marks / seconds),
        "output_rows": rows,
        "indicators": names,
        "output_example": sample,
        "floor": {
            "sql": "SELECT upn, count(*), count(*) FILTER (WHERE category = ...) for each category "
            "FROM (read_marks(store)) GROUP BY upn",
            "seconds": _best(floor_times),
            "seconds_each": [round(t, 2) for t in floor_times],
            "rows_per_second": round(marks / floor_seconds),
            "output_rows": floor_rows,
        },
        "floor_with_windows": {
            "sql": "SELECT upn, count(*) FILTER (WHERE date in the window [AND category = ...]) for each window and "
            "category FROM (read_marks(store)) GROUP BY upn",
            "windows": {name: [str(start), str(end)] for name, (start, end) in windows.items()},
            "seconds": _best(windows_times),
            "rows_per_second": round(marks / min(windows_times)),
            "ratio": round(min(windows_times) / seconds, 3),
        },
        "floor_straight_from_parquet": {
            "sql": "SELECT upn, code, count(*) FROM read_parquet(marks) GROUP BY upn, code (no category join)",
            "seconds": _best(raw_times),
            "rows_per_second": round(marks / min(raw_times)),
        },
        "duckdb": {"threads": threads, "memory_limit": memory_limit, "as": "refresh_indicators opens it"},
        "repeats": opts.repeats,
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def gap_worker(opts: argparse.Namespace) -> dict[str, Any]:
    """gap.find() over the whole county, its inputs read as run_gap_finder reads them (timed apart); then
    run_gap_finder end to end."""
    _django()
    import duckdb

    from continuum.agencies.access import SystemActor
    from continuum.signals import gap
    from continuum.signals.selectors.tables import events_table, linked_people
    from continuum.signals.services import gap as service

    # The service's own reading of its inputs (continuum.signals.services.gap.run_gap_finder, step by step).
    started = time.perf_counter()
    rules = service.current_rules()
    people = linked_people()
    kinds = sorted({s.kind for s in rules.signals.values() if s.kind})
    longest = max(rule.window_days for rule in rules.rules.values())
    inputs = {
        "events": events_table(kinds=kinds, since=opts.as_of - datetime.timedelta(days=longest), people=people),
        "indicators": service._indicators(rules),  # noqa: SLF001
        "open_involvement": service._involvements(rules),  # noqa: SLF001
        "population": service._population(rules, opts.as_of),  # noqa: SLF001
    }
    inputs_seconds = time.perf_counter() - started
    times = []
    flags = None
    for _ in range(max(1, opts.repeats)):
        with duckdb.connect() as con:
            t = time.perf_counter()
            flags = gap.find(con=con, as_of=opts.as_of, rules=rules, **inputs)
            times.append(time.perf_counter() - t)
    assert flags is not None
    t = time.perf_counter()
    result = service.run_gap_finder(actor=SystemActor("single view benchmark"), as_of=opts.as_of)
    service_seconds = time.perf_counter() - t
    return {
        "find_seconds": _best(times),
        "find_seconds_each": [round(x, 2) for x in times],
        "flags": flags.num_rows,
        "flagged_children": len(set(flags.column("person_id").to_pylist())),
        "inputs": {name: table.num_rows for name, table in inputs.items()},
        "inputs_seconds": round(inputs_seconds, 2),
        "run_gap_finder_seconds": round(service_seconds, 2),
        "run_gap_finder": {k: v for k, v in vars(result).items()} if hasattr(result, "__dict__") else str(result),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "accounts": accounts_worker,
    "indicators": indicators_worker,
    "gap": gap_worker,
}


if __name__ == "__main__":
    main()
