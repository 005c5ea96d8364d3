"""Benchmark: fifty people signing in at once, then searching and opening records, on the embedded SQLite default.

Sets up a fresh var folder as `make demo` does (`continuum demo --children N`), gives 50 practitioners
accounts (front-door workers, early-help and social-care practitioners, team managers, school DSLs,
health and police: the mix of a council's pilot), and serves it with granian as `make demo` does. Then
50 simulated users, one thread each with its own cookies, fetch the sign-in page, wait at a barrier,
and all sign in at the same moment; each then does a few rounds of opening the search page, searching
for a child it works with and opening that child's record, pausing 1-3 s (seeded) between steps.

Any 5xx, connection failure or unexpected answer (a 4xx, a sign-in that does not reach the home page,
a search page without results) is an error. The server also writes down how long each write waited
for SQLite's write lock (PROBE: past the lock timeout a write fails with "database is locked"); its
log is searched for that message and its workers' peak memory read from /proc.

The same load runs twice in one go, from the same database: first against the baseline, the SQLite
options and server flags as they were before issue 10 item 20 (Django's 5 s lock timeout, granian's
default of 256 threads per worker), then against the settings as shipped and SERVER_ARGS. Writes
bench/results/load.json: each page's p50/p95, the lock waits, and the ratios to the baseline.

    .venv/bin/python bench/load.py [--users 50] [--children 5000] [--rounds 4] [--no-baseline]
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "load.json"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
APP = "continuum.web.wsgi:application"

# What the benchmark serves: the application, with how long each write waited for SQLite's write lock
# written down. A write waits at BEGIN IMMEDIATE, or at the statement itself outside a transaction;
# past the lock timeout it fails with "database is locked".
PROBE = r"""
import os
import time

from django.db.backends.signals import connection_created

from continuum.web.wsgi import application  # noqa: F401  (what granian serves)

_log = os.path.join(os.environ["CONTINUUM_VAR_DIR"], "lock-waits.txt")
_waits = os.open(_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)


def _timed(execute, sql, params, many, context):
    outside = not context["connection"].in_atomic_block
    if not (sql.startswith("BEGIN") or (outside and sql.startswith(("INSERT", "UPDATE", "DELETE")))):
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        os.write(_waits, f"{(time.perf_counter() - started) * 1000:.1f}\n".encode())


def _probe(sender, connection, **kwargs):
    if _timed not in connection.execute_wrappers:  # a thread's connection reopens for each request
        connection.execute_wrappers.append(_timed)


connection_created.connect(_probe)
"""

# The granian flags the demo should be served with (the Makefile's `demo` target adds host, port and
# the application). Two workers for two cores, four threads each. More threads do not sign people in
# faster (Argon2 uses the cores whatever the count); they make a request holding SQLite's write lock
# wait longer for the GIL and the CPU between its statements while the others poll for that lock,
# and every sign-in hashing at once holds Argon2's 100 MiB.
SERVER_ARGS = ("--interface", "wsgi", "--workers", "2", "--blocking-threads", "4", "--no-access-log")

# How it was served before: the Makefile's flags, so granian's default of backlog / workers / 2 = 256
# threads per worker.
BASELINE_SERVER_ARGS = ("--interface", "wsgi", "--workers", "2", "--no-access-log")
# And the SQLite options as they were, with Django's default lock timeout (Python's sqlite3 default of 5 s).
SQLITE_DEFAULT_TIMEOUT = 5.0
BASELINE_SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
}

# The users of a council's pilot, per 50: who signs in, in which kind of agency.
MIX = (
    ("front_door", "early_help", 8),
    ("practitioner", "early_help", 10),
    ("practitioner", "childrens_social_care", 8),
    ("practitioner", "voluntary", 3),
    ("practitioner", "youth_justice", 2),
    ("team_manager", "early_help", 3),
    ("team_manager", "childrens_social_care", 2),
    ("school_dsl", "school", 8),
    ("health_practitioner", "health", 4),
    ("police_liaison", "police", 2),
)
PAGES = ("login_page", "sign_in", "search_page", "search", "record")
PAUSE_SECONDS = (1.0, 3.0)
REQUEST_TIMEOUT = 60
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECORD_LINK = re.compile(r'href="(/children/[0-9a-f-]{36}/)"')


@dataclass(frozen=True)
class Configuration:
    name: str
    description: str
    server_args: tuple[str, ...]
    sqlite_options: dict[str, Any] | None  # None: the settings as shipped
    lock_timeout_s: float


@dataclass
class Account:
    username: str
    password: str
    role: str
    # What this user looks for: (name typed, date of birth or None, the record's path or "").
    searches: list[tuple[str, datetime.date | None, str]]


@dataclass
class Tally:
    """What the simulated users saw, shared between their threads."""

    timings: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    errors: list[dict[str, Any]] = field(default_factory=list)
    signed_in_at: list[float] = field(default_factory=list)  # when each user reached the home page
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, ms: float) -> None:
        with self.lock:
            self.timings[page].append(ms)

    def error(self, page: str, what: str) -> None:
        with self.lock:
            self.errors.append({"page": page, "what": what[:200]})

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.timings.values()) + len(self.errors)


class Browser:
    """One user's browser: its own cookies; follows redirects, as a browser does after a form is sent."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """The final status, the path it ended at and the body; raises OSError if the connection fails."""
        data = urlencode(form).encode() if form is not None else None
        url = self.base + path  # always http://127.0.0.1:PORT, the server this benchmark started
        request = urllib.request.Request(url, data=data, headers={"User-Agent": "continuum-load"})  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.geturl().removeprefix(self.base), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl().removeprefix(self.base), exc.read().decode(errors="replace")


def _step(tally: Tally, browser: Browser, page: str, path: str, form: dict[str, str] | None = None) -> str | None:
    """One page: timed, checked; the body when it answered as expected, None (and an error counted) otherwise."""
    started = time.perf_counter()
    try:
        status, where, body = browser.open(path, form)
    except OSError as exc:
        tally.error(page, f"connection: {exc!r}")
        return None
    ms = (time.perf_counter() - started) * 1000
    if status != 200:
        tally.error(page, f"HTTP {status} at {where}")
        return None
    if page == "sign_in" and where != "/":
        tally.error(page, f"signing in led to {where}, not the home page")
        return None
    if page == "search" and "found</h2>" not in body:
        tally.error(page, "the search page came back without results")
        return None
    tally.add(page, ms)
    return body


def _user(account: Account, base: str, seed: int, barrier: threading.Barrier, tally: Tally) -> None:
    rng = random.Random(seed)
    browser = Browser(base)
    page = _step(tally, browser, "login_page", "/accounts/login/")
    token = TOKEN.search(page or "")
    barrier.wait()  # everyone signs in at the same moment
    if token is None:
        return
    form = {"csrfmiddlewaretoken": token.group(1), "username": account.username, "password": account.password}
    if _step(tally, browser, "sign_in", "/accounts/login/", form) is None:  # until the home page shows
        return
    with tally.lock:
        tally.signed_in_at.append(time.perf_counter())
    for name, born, wanted in account.searches:
        time.sleep(rng.uniform(*PAUSE_SECONDS))
        page = _step(tally, browser, "search_page", "/children/")
        token = TOKEN.search(page or "")
        if token is None:
            continue
        time.sleep(rng.uniform(*PAUSE_SECONDS))
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "name": name,
            "date_of_birth-day": str(born.day) if born else "",
            "date_of_birth-month": str(born.month) if born else "",
            "date_of_birth-year": str(born.year) if born else "",
            "identifier": "",
            "postcode": "",
        }
        found = RECORD_LINK.findall(_step(tally, browser, "search", "/children/", form) or "")
        if not found:
            continue
        time.sleep(rng.uniform(*PAUSE_SECONDS))
        _step(tally, browser, "record", wanted if wanted in found else found[0])


def _percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (q in 0-100) of the values, in ms to one decimal."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))], 1)


def _prepare(var: Path, children: int) -> None:
    """A fresh var folder as `make demo` makes one: database, static files, county, demo accounts."""
    var.mkdir(parents=True)
    log = var.parent / "demo.log"
    print(f"Setting up a fresh var folder: continuum demo --children {children:,} (output in {log})", flush=True)
    started = time.perf_counter()
    with log.open("w") as out:
        command = [str(BIN / "continuum"), "demo", "--children", str(children)]
        subprocess.run(command, check=True, stdout=out, stderr=out)
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


def _accounts(users: int, rounds: int, seed: int) -> list[Account]:
    """Give `users` practitioners accounts, in the proportions of MIX; each searches for children it may open."""
    import django

    django.setup()
    from django.db import connections

    from continuum.agencies.access import SystemActor
    from continuum.agencies.models import Agency, Practitioner
    from continuum.agencies.services import practitioner_account_set
    from continuum.people.selectors import people_visible_to

    print(f"Giving {users} practitioners accounts", flush=True)
    rng = random.Random(seed)
    # Interleave the roles so that fewer than 50 users keep the mix.
    slots = sorted(((k + 0.5) / count, role, kind) for role, kind, count in MIX for k in range(count))
    adult = datetime.date.today() - datetime.timedelta(days=18 * 365)
    accounts = []
    for i in range(users):
        _, role, kind = slots[i % len(slots)]
        practitioner = (
            Practitioner.objects.filter(role=role, agency__kind=kind, user__isnull=True).order_by("pk").first()
        )
        if practitioner is None:  # a small county has few front-door workers: add one to the same agency
            agency = Agency.objects.filter(kind=kind).order_by("name").first()
            assert agency is not None, f"the county has no {kind} agency"
            practitioner = Practitioner.objects.create(
                given_name="Load", family_name=f"Test {i}", role=role, agency=agency, email=f"load{i}@example.org"
            )
        user, password = practitioner_account_set(
            actor=SystemActor("load benchmark"), practitioner=practitioner, username=f"load{i:03d}"
        )
        children = list(
            people_visible_to(user)
            .filter(date_of_birth__gt=adult)
            .order_by("pk")
            .values_list("pk", "given_name", "family_name", "date_of_birth")
        )
        searches = []
        for r, (pk, given, family, born) in enumerate(rng.sample(children, min(rounds, len(children)))):
            # Alternate a family name alone (many results) with a full name and date of birth (one).
            searches.append((family, None, f"/children/{pk}/") if r % 2 == 0 else (f"{given} {family}", born, ""))
        searches += [("Smith", None, "")] * (rounds - len(searches))  # too few children of their own: a common name
        accounts.append(Account(user.username, password, role, searches))
        if (i + 1) % 10 == 0 or i + 1 == users:
            print(f"  {i + 1}/{users} accounts", flush=True)
    connections.close_all()
    return accounts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _serve(config: Configuration, var: Path, port: int) -> subprocess.Popen[bytes]:
    (var / "load_probe.py").write_text(PROBE)
    path = os.pathsep.join(filter(None, [str(var), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "CONTINUUM_VAR_DIR": str(var), "PYTHONPATH": path}
    if config.sqlite_options is not None:
        # The baseline: the shipped settings with the SQLite options replaced, in a settings module of its own.
        (var / "baseline_settings.py").write_text(
            "from continuum.web.settings import *  # noqa: F403\n"
            "from continuum.web.settings import DATABASES\n\n"
            f"DATABASES['default']['OPTIONS'] = {config.sqlite_options!r}\n"
        )
        env["DJANGO_SETTINGS_MODULE"] = "baseline_settings"
    command = [str(BIN / "granian"), *config.server_args, "--host", HOST, "--port", str(port)]
    log = (var / "server.log").open("w")
    server = subprocess.Popen([*command, "load_probe:application"], env=env, stdout=log, stderr=log)
    log.close()  # the server has its own copy
    deadline = time.monotonic() + 60
    answered = 0
    while answered < 10:  # both workers up: several answers in a row
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start; see {var / 'server.log'}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.2)
    return server


def _progress(name: str, elapsed: float, tally: Tally, users: int) -> None:
    with tally.lock:
        signed_in, requests, errors = len(tally.signed_in_at), tally.requests, len(tally.errors)
    print(f"[{name}] {elapsed:5.1f} s: {signed_in}/{users} signed in, {requests} requests, {errors} errors", flush=True)


def _peak_memory_mib(pid: int) -> int | None:
    """The server's workers' peak resident memory, added up (Linux's high-water marks; None elsewhere)."""
    try:
        workers = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        peaks = [re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{w}/status").read_text()) for w in workers]
    except OSError:
        return None
    return round(sum(int(m[1]) for m in peaks if m) / 1024)


def _run(config: Configuration, var: Path, accounts: list[Account], seed: int) -> dict[str, Any]:
    port = _free_port()
    print(f"[{config.name}] serving: granian {' '.join(config.server_args)}", flush=True)
    server = _serve(config, var, port)
    tally = Tally()
    barrier = threading.Barrier(len(accounts) + 1)
    threads = [
        threading.Thread(target=_user, args=(a, f"http://{HOST}:{port}", seed * 1000 + i, barrier, tally), daemon=True)
        for i, a in enumerate(accounts)
    ]
    try:
        for t in threads:
            t.start()
        barrier.wait(timeout=2 * REQUEST_TIMEOUT)  # every user has the sign-in page, or one has failed
        started = time.perf_counter()
        print(f"[{config.name}] {len(accounts)} users signing in together", flush=True)
        report_at = 0.0
        while any(t.is_alive() for t in threads):
            time.sleep(0.25)
            if (elapsed := time.perf_counter() - started) >= report_at:
                report_at = elapsed + 5
                _progress(config.name, elapsed, tally, len(accounts))
        seconds = time.perf_counter() - started
        _progress(config.name, seconds, tally, len(accounts))
        peak_mib = _peak_memory_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_log = (var / "server.log").read_text(errors="replace")
    waits = (
        [float(ms) for ms in (var / "lock-waits.txt").read_text().split()] if (var / "lock-waits.txt").exists() else []
    )
    pages = {
        page: {
            "requests": len(tally.timings[page]) + sum(e["page"] == page for e in tally.errors),
            "errors": sum(e["page"] == page for e in tally.errors),
            "p50_ms": _percentile(tally.timings[page], 50),
            "p95_ms": _percentile(tally.timings[page], 95),
            "max_ms": _percentile(tally.timings[page], 100),
        }
        for page in PAGES
    }
    return {
        "name": config.name,
        "description": config.description,
        "server_command": f"granian {' '.join(config.server_args)} --host HOST --port PORT {APP}",
        "users": len(accounts),
        "requests": tally.requests,
        "errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "server_log": {
            "database_is_locked": server_log.count("database is locked"),
            "tracebacks": server_log.count("Traceback (most recent call last)"),
        },
        "seconds_until_all_signed_in": round(max(tally.signed_in_at) - started, 1) if tally.signed_in_at else None,
        "server_peak_memory_mib": peak_mib,
        "write_lock_waits": {
            "lock_timeout_s": config.lock_timeout_s,
            "writes": len(waits),
            "p50_ms": _percentile(waits, 50),
            "p99_ms": _percentile(waits, 99),
            "max_ms": _percentile(waits, 100),
            "over_1s": sum(ms > 1000 for ms in waits),
        },
        "seconds": round(seconds, 1),
        "pages": pages,
    }


def _ratio(new: float | None, old: float | None) -> float | None:
    return round(new / old, 2) if new is not None and old else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=4, help="searches (and records opened) per user")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    if os.environ.pop("DATABASE_URL", None):
        print("Ignoring DATABASE_URL: this benchmark measures the embedded SQLite default.", flush=True)
    assets = Path(os.environ.get("CONTINUUM_ASSETS_DIR", ROOT / "var" / "vendor"))
    if not assets.is_dir():
        sys.exit(f"{assets} is missing: run `make setup` first")
    with tempfile.TemporaryDirectory(prefix="continuum-load-") as directory:
        template = Path(directory) / "template"
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
                "CONTINUUM_VAR_DIR": str(template),
                "CONTINUUM_SECRET_KEY": secrets.token_urlsafe(40),
                "CONTINUUM_ASSETS_DIR": str(assets),
                "CONTINUUM_HTTPS": "false",
                "CONTINUUM_REQUIRE_2FA": "false",
                "CONTINUUM_DEBUG": "false",
                "CONTINUUM_DEMO": "true",
            }
        )
        _prepare(template, args.children)
        accounts = _accounts(args.users, args.rounds, args.seed)
        from django.conf import settings
        from django.contrib.auth.hashers import get_hasher

        hasher = get_hasher()
        options = settings.DATABASES["default"]["OPTIONS"]
        configurations = [
            Configuration(
                "shipped",
                "the SQLite settings as shipped (src/continuum/web/settings.py) and SERVER_ARGS",
                SERVER_ARGS,
                None,
                options.get("timeout", SQLITE_DEFAULT_TIMEOUT),
            )
        ]
        if args.baseline:
            before = Configuration(
                "before",
                "before issue 10 item 20: Django's 5 s SQLite lock timeout, granian's default 256 threads per worker",
                BASELINE_SERVER_ARGS,
                BASELINE_SQLITE_OPTIONS,
                BASELINE_SQLITE_OPTIONS.get("timeout", SQLITE_DEFAULT_TIMEOUT),
            )
            configurations.insert(0, before)
        runs = {}
        for config in configurations:
            var = Path(directory) / config.name
            shutil.copytree(template, var)  # each configuration starts from the same database
            runs[config.name] = _run(config, var, accounts, args.seed)
        shipped = runs["shipped"]
        result: dict[str, Any] = {
            "benchmark": "load",
            "database": "sqlite",
            "users": args.users,
            "requests": shipped["requests"],
            "errors": shipped["errors"],
            "pages": shipped["pages"],
            "children": args.children,
            "rounds": args.rounds,
            "seed": args.seed,
            "roles": {role: sum(a.role == role for a in accounts) for role in dict.fromkeys(a.role for a in accounts)},
            "settings": {
                "sqlite_options": options,
                "server_args": " ".join(SERVER_ARGS),
                "password_hasher": {
                    "algorithm": hasher.algorithm,
                    **{p: getattr(hasher, p, None) for p in ("time_cost", "memory_cost", "parallelism")},
                },
                "session_save_every_request": settings.SESSION_SAVE_EVERY_REQUEST,
            },
            "runs": runs,
        }
    if args.baseline:
        old = runs["before"]
        result["baseline"] = f"{old['name']}: {old['description']}"
        result["comparison"] = {
            "errors": {"before": old["errors"], "shipped": shipped["errors"]},
            "errors_ratio": _ratio(shipped["errors"], old["errors"]),
            "p95_ratio": {
                page: _ratio(shipped["pages"][page]["p95_ms"], old["pages"][page]["p95_ms"]) for page in PAGES
            },
            # The longest wait for the write lock as a fraction of the lock timeout. Near 1, writes fail with
            # "database is locked" (SQLite counts the sleeps it asked for, so on a busy machine a waiter
            # can pass 1 on the clock and still get the lock).
            "longest_lock_wait_of_timeout": {
                name: _ratio(run["write_lock_waits"]["max_ms"], run["write_lock_waits"]["lock_timeout_s"] * 1000)
                for name, run in runs.items()
            },
            "longest_lock_wait_ratio": _ratio(shipped["write_lock_waits"]["max_ms"], old["write_lock_waits"]["max_ms"]),
            "server_peak_memory_ratio": _ratio(shipped["server_peak_memory_mib"], old["server_peak_memory_mib"]),
        }
    result["machine"] = {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }
    result["date"] = datetime.date.today().isoformat()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print()
    for run in runs.values():
        print(f"{run['name']}: {run['requests']} requests, {run['errors']} errors ({run['description']})")
        for page, row in run["pages"].items():
            print(f"  {page:<12} p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms ({row['errors']} errors)")
        waits = run["write_lock_waits"]
        print(
            f"  longest wait for the write lock {waits['max_ms']} ms of {waits['lock_timeout_s']} s allowed; "
            f"server's peak memory {run['server_peak_memory_mib']} MiB"
        )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
