"""Benchmark: loading a county snapshot (`continuum county load DIR`), against the loader as it was before issue 13.

Generates a synthetic county (default 50,000 children; seed 1) and times, each on a fresh database,

- the loader: `county_load`, the function `continuum county load DIR` calls (files checked a column at a time,
  tables written a column at a time through continuum.bulk);
- the baseline: the loader before issue 13, reproduced here: every file checked row by row (`check_tables(...,
  by_row=True)`, the same readers and messages), then each table's rows built into model instances and written
  by the ORM's `bulk_create` (upserting on the id), all in one transaction.

Each loads the snapshot into an empty database, then again (the reload: the same snapshot, which changes
nothing). SQLite always; PostgreSQL too when DATABASE_URL is set (a scratch database beside it, made and
dropped for each run). Each run is a process of its own (Django set up and migrated there, not timed), and
afterwards the two databases must hold the same rows (compared by a digest of every loaded table, leaving
out the ids a database numbers itself and the times rows were written). Writes bench/results/county_load.json.

    .venv/bin/python bench/county_load.py [--children 50000]

bench/feeds.py calls `measure(children)` for the county_load figures of feeds.json.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).parent / "results" / "county_load.json"
SEED = 1
AS_OF = datetime.date(2026, 11, 1)  # as in `continuum synth --as-of 2026-11-01` (no later than today)
LOADERS = ("baseline", "current")


def measure(children: int = 50_000, *, seed: int = SEED, database_url: str | None = None) -> dict[str, Any]:
    """Time the loader and the baseline on one generated county: on SQLite, and on PostgreSQL when `database_url`
    (default: the DATABASE_URL environment variable; "" for SQLite alone) names one. Returns {"children", "rows",
    "county_load_seconds", "county_load_baseline_seconds", "ratio", ...} for SQLite, PostgreSQL's under
    "postgresql". Raises AssertionError if the two loads leave different rows."""
    from continuum.synth import generate

    url = database_url if database_url is not None else os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="county-load-") as directory:
        folder = Path(directory)
        started = time.perf_counter()
        generate(folder / "county", children=children, seed=seed, as_of=min(AS_OF, datetime.date.today()))
        generated = time.perf_counter() - started
        result: dict[str, Any] = {"benchmark": "county_load", "children": children, "seed": seed}
        result.update(_compare(folder, None))
        result["generate_seconds"] = round(generated, 2)
        if url:
            result["postgresql"] = _compare(folder, url)
    return result


def _compare(folder: Path, url: str | None) -> dict[str, Any]:
    runs = {loader: _run(loader, folder, url) for loader in LOADERS}
    base, current = runs["baseline"], runs["current"]
    if base["digest"] != current["digest"]:
        differ = sorted(name for name, digest in base["digests"].items() if current["digests"].get(name) != digest)
        raise AssertionError(f"the loader and the baseline leave different rows in {', '.join(differ)}")
    return {
        "database": "postgresql" if url else "sqlite",
        "rows": current["rows"],
        "county_load_seconds": current["first"],
        "county_load_baseline_seconds": base["first"],
        "ratio": round(base["first"] / current["first"], 1),
        "reload_seconds": current["reload"],
        "reload_baseline_seconds": base["reload"],
        "reload_ratio": round(base["reload"] / current["reload"], 1),
        "peak_memory_mib": current["peak_memory_mib"],
        "baseline_peak_memory_mib": base["peak_memory_mib"],
        "same_rows": True,
    }


def _run(loader: str, folder: Path, url: str | None) -> dict[str, Any]:
    """One loader on a fresh database, in a process of its own."""
    var = Path(tempfile.mkdtemp(prefix=f"var-{loader}-", dir=folder))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
        "CONTINUUM_VAR_DIR": str(var),
        "CONTINUUM_SECRET_KEY": secrets.token_urlsafe(40),
        "CONTINUUM_HTTPS": "false",
    }
    env.pop("DATABASE_URL", None)
    scratch = None
    if url:
        scratch = _scratch_database(url, create=True)
        env["DATABASE_URL"] = scratch
    try:
        command = [sys.executable, __file__, "--run", loader, "--snapshot", str(folder / "county")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            raise RuntimeError(f"the {loader} load failed:\n{done.stdout}\n{done.stderr}")
        out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return out
    finally:
        if url:
            _scratch_database(url, create=False)


def _scratch_database(url: str, *, create: bool) -> str:
    """A database named after DATABASE_URL's with `_bench_load` added, made empty (or dropped); its URL."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_bench_load"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if create:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


# -- In the run's own process -------------------------------------------------------------------------------


def _in_process(loader: str, snapshot: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from continuum.county import load as county

    call_command("migrate", verbosity=0)
    load = _current_load if loader == "current" else _baseline_load
    timings = []
    for _ in range(2):  # the first load, then the reload
        started = time.perf_counter()
        counts = load(snapshot)
        timings.append(round(time.perf_counter() - started, 2))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    digests = _digests(county.tables(snapshot))
    return {
        "first": timings[0],
        "reload": timings[1],
        "peak_memory_mib": round(peak),
        "rows": sum(counts.values()),
        "digest": hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest(),
        "digests": digests,
    }


def _current_load(directory: Path) -> dict[str, int]:
    from continuum.county.load import county_load

    return county_load(directory).counts


def _baseline_load(directory: Path) -> dict[str, int]:
    """The loader before issue 13: checked row by row, then written through model instances and bulk_create."""
    from django.db import transaction

    from continuum.agencies.access import SystemActor
    from continuum.audit.services import AuditAction, Subject, audit_record
    from continuum.county import load as county
    from continuum.tables import check_tables

    load = county.tables(directory)
    parsed = check_tables(directory, load, taken=county._taken, by_row=True)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for table in load:
            counts[table.name] = _baseline_write(table, parsed[table.name])
        audit_record(
            actor=SystemActor(),
            action=AuditAction.IMPORT,
            obj=Subject("county_snapshot", directory.name),
            event="county.snapshot_load",
            purpose="County snapshot load",
            detail={"directory": str(directory), "counts": counts},
        )
    return counts


_BASELINE_BATCH = 500
_NAME_KEYS = {"given_name_key", "family_name_key", "known_as_key", "search_key"}


def _baseline_instance(table: Any, row: dict[str, Any]) -> Any:
    from django.db import models

    from continuum.people.models import Person

    def is_text(name: str) -> bool:
        return isinstance(table.model._meta.get_field(name), models.CharField | models.TextField)

    fields = {}
    for column, value in row.items():
        name = table.renames.get(column, column)
        blank_text = value is None and name != "id" and not name.endswith("_id") and is_text(name)
        fields[name] = "" if blank_text else value
    obj = table.model(**fields)
    if isinstance(obj, Person):
        obj.refresh_keys()
    return obj


def _baseline_write(table: Any, rows: list[dict[str, Any]]) -> int:
    from continuum.county import load as county

    if table.name in county._PREPARE:
        rows = county._PREPARE[table.name](rows)
    objects = [_baseline_instance(table, row) for row in rows]
    manager = table.model._default_manager
    if table.replace_by:
        parents = sorted({row[table.replace_by] for row in rows})
        for start in range(0, len(parents), _BASELINE_BATCH):
            manager.filter(**{f"{table.replace_by}__in": parents[start : start + _BASELINE_BATCH]}).delete()
        manager.bulk_create(objects, batch_size=_BASELINE_BATCH)
        return len(objects)
    if table.key is None:
        manager.bulk_create(objects, batch_size=_BASELINE_BATCH)
        return len(objects)
    written = {table.renames.get(c, c) for c in (rows[0] if rows else table.columns)}
    update = [
        f.attname for f in table.model._meta.concrete_fields if not f.primary_key and f.attname in written | _NAME_KEYS
    ]
    manager.bulk_create(
        objects, batch_size=_BASELINE_BATCH, update_conflicts=True, unique_fields=["id"], update_fields=update
    )
    return len(objects)


def _digests(tables: Any) -> dict[str, str]:
    """Each loaded table's rows, as a digest: every column but ids the database numbers itself (and references to
    them) and the times rows were written (a default of now); a programme by its slug (its id is made by a
    migration, so each database has its own)."""
    from django.db import models
    from django.utils import timezone

    out = {}
    for table in tables:
        model = table.model
        names = []
        for f in model._meta.concrete_fields:
            if isinstance(f, models.AutoField) or f.default in (timezone.now, timezone.localdate):
                continue
            if isinstance(f, models.ForeignKey) and isinstance(f.target_field, models.AutoField):
                continue
            slugged = isinstance(f, models.ForeignKey) and any(g.name == "slug" for g in f.related_model._meta.fields)
            names.append(f"{f.name}__slug" if slugged else f.attname)
        rows = sorted(repr(row) for row in model._default_manager.order_by().values_list(*names))
        out[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16] + f" ({len(rows)} rows)"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--run", choices=LOADERS, help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_in_process(args.run, args.snapshot)))
        return
    result = measure(args.children)
    result["code_path"] = "continuum.county.load.county_load, the function `continuum county load DIR` calls"
    result["baseline"] = "checked row by row, written through model instances and bulk_create (the loader before)"
    result["machine"] = {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()}
    result["date"] = datetime.date.today().isoformat()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
