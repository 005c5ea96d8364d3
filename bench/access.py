"""Benchmark: what the access policy costs on the hot paths, on a county-sized database.

Generates and loads a synthetic county (default 50,000 children) into a fresh SQLite database (or
the PostgreSQL named by DATABASE_URL), then times, for a front-door worker (every child; the
baseline) and a practitioner, a school DSL and a team manager (children they have a working
relationship with): a name search, opening a child's record, and counting the records the user
may open. Writes bench/results/access.json with the median of repeated runs and each role's ratio
to the front-door baseline.

    .venv/bin/python bench/access.py [--children 50000]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "access.json"
REPEATS = 25


def _setup(var: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
            "CONTINUUM_VAR_DIR": str(var),
            "CONTINUUM_SECRET_KEY": secrets.token_urlsafe(40),
            "CONTINUUM_HTTPS": "false",
        }
    )
    import django

    django.setup()


def _median_ms(fn, repeats: int = REPEATS) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        var = Path(directory)
        _setup(var)
        from django.core.management import call_command

        from continuum.agencies.access import SystemActor
        from continuum.agencies.models import Practitioner
        from continuum.agencies.services import practitioner_account_set
        from continuum.county.load import county_load
        from continuum.people import selectors
        from continuum.people.models import Person
        from continuum.synth import generate

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        generate(var / "county", children=args.children, seed=1, as_of=datetime.date.today())
        generated = time.perf_counter() - started
        started = time.perf_counter()
        county_load(var / "county")
        loaded = time.perf_counter() - started

        def account(role: str, agency_kind: str) -> object:
            practitioner = (
                Practitioner.objects.filter(role=role, agency__kind=agency_kind).order_by("family_name", "pk").first()
            )
            assert practitioner is not None
            user, _ = practitioner_account_set(
                actor=SystemActor("benchmark"), practitioner=practitioner, username=f"bench-{role}-{agency_kind}"
            )
            return user

        users = {
            "front_door (baseline)": account("front_door", "early_help"),
            "practitioner": account("practitioner", "early_help"),
            "school_dsl": account("school_dsl", "school"),
            "team_manager": account("team_manager", "childrens_social_care"),
        }
        common = Person.objects.values_list("family_name", flat=True).order_by("family_name").first()
        criteria = selectors.SearchCriteria(name=common or "a")
        results = {}
        for label, user in users.items():
            visible = selectors.people_visible_to(user)
            one = visible.order_by("pk").first()
            results[label] = {
                "records_visible": visible.count(),
                "count_visible_ms": _median_ms(lambda v=visible: v.count()),
                "search_ms": _median_ms(lambda u=user: selectors.person_search(viewer=u, criteria=criteria)),
                "open_record_ms": _median_ms(lambda u=user, p=one: selectors.person_record(viewer=u, person_id=p.pk))
                if one
                else None,
            }
        base = results["front_door (baseline)"]
        for row in results.values():
            row["search_ratio_to_baseline"] = round(row["search_ms"] / base["search_ms"], 2)
            if row["open_record_ms"] and base["open_record_ms"]:
                row["open_record_ratio_to_baseline"] = round(row["open_record_ms"] / base["open_record_ms"], 2)
        from django.db import connection

        result = {
            "benchmark": "access",
            "database": connection.vendor,
            "children": args.children,
            "people": Person.objects.count(),
            "generate_seconds": round(generated, 2),
            "load_seconds": round(loaded, 2),
            "baseline": "front-door worker (scope all: no relationship filter)",
            "roles": results,
            "repeats": REPEATS,
            "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
            "date": datetime.date.today().isoformat(),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
