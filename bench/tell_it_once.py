"""Benchmark: tell it once on a county-sized database — how long the candidate search takes, how many
records the database blocks hand to the scoring, and how often the right record is found.

Generates and loads a synthetic county (default 50,000 children) into a fresh SQLite database (or the
PostgreSQL named by DATABASE_URL), takes a sample of children and describes each as a busy referrer might
(exactly; with a typo in the family name; by a common short form of the given name; with the day and month
of birth swapped; with a new family name but the same postcode), then runs the front door's candidate
search for each as a school DSL. The baseline, in the same run, is the search a front-door worker had
before tell it once: the people search by name and date of birth (parts of names, exact dates), whose
recall and time on the same descriptions are reported beside it with their ratios. Writes
bench/results/tell_it_once.json.

Without an index on people's date of birth (people migration 0004) the search scanned every person:
a median of 38-67 ms per search on this machine; with it, under 11 ms.

    .venv/bin/python bench/tell_it_once.py [--children 50000] [--sample 200]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "tell_it_once.json"
SHORT_FORMS = {
    "robert": "Bob",
    "elizabeth": "Liz",
    "william": "Bill",
    "catherine": "Kate",
    "thomas": "Tom",
    "james": "Jim",
    "margaret": "Maggie",
    "katherine": "Kate",
    "benjamin": "Ben",
    "samuel": "Sam",
    "alexander": "Alex",
    "joseph": "Joe",
    "daniel": "Dan",
    "jessica": "Jess",
    "charlotte": "Lottie",
    "matthew": "Matt",
    "oliver": "Ollie",
    "joshua": "Josh",
    "rebecca": "Becky",
    "victoria": "Vicky",
}


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


def _typo(name: str, rng: random.Random) -> str:
    """Two neighbouring letters the other way round, past the first letter (as a hurried typist does)."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        var = Path(directory)
        _setup(var)
        from django.core.management import call_command
        from django.db import connection

        from continuum.agencies.access import SystemActor
        from continuum.agencies.models import Practitioner
        from continuum.agencies.services import practitioner_account_set
        from continuum.county.load import county_load
        from continuum.frontdoor import matching
        from continuum.frontdoor.selectors.referrals import candidate_search
        from continuum.people.models import Address, Person
        from continuum.people.selectors import SearchCriteria, person_search
        from continuum.synth import generate

        call_command("migrate", verbosity=0)
        generate(var / "county", children=args.children, seed=1, as_of=datetime.date.today())
        county_load(var / "county")
        practitioner = Practitioner.objects.filter(role="school_dsl").order_by("pk").first()
        assert practitioner is not None
        user, _ = practitioner_account_set(actor=SystemActor("benchmark"), practitioner=practitioner, username="bench")
        front = Practitioner.objects.filter(role="front_door").order_by("pk").first()
        assert front is not None
        screener, _ = practitioner_account_set(actor=SystemActor("benchmark"), practitioner=front, username="bench-fd")

        rng = random.Random(1)
        cutoff = datetime.date.today().replace(year=datetime.date.today().year - 18)
        children = list(Person.objects.filter(date_of_birth__gt=cutoff).order_by("pk").values_list("pk", flat=True))
        sample = Person.objects.filter(pk__in=rng.sample(children, min(args.sample, len(children))))
        postcodes = dict(Address.objects.current().filter(person__in=sample).values_list("person_id", "postcode"))

        def described(p: Person, how: str) -> matching.Described | None:
            given, family, born = p.given_name, p.family_name, p.date_of_birth
            postcode = ""
            if how == "typo in the family name":
                family = _typo(family, rng)
            elif how == "short form of the given name":
                if given.lower() not in SHORT_FORMS:
                    return None
                given = SHORT_FORMS[given.lower()]
            elif how == "day and month swapped":
                born = matching.swapped(born)
                if born is None:
                    return None
            elif how == "new family name, same postcode":
                if p.pk not in postcodes:
                    return None
                family, postcode = "Newname", postcodes[p.pk]
            return matching.Described(given, family, date_of_birth=born, postcode=postcode)

        kinds = [
            "exact",
            "typo in the family name",
            "short form of the given name",
            "day and month swapped",
            "new family name, same postcode",
        ]
        results = {}
        for how in kinds:
            timings, found, tried, blocked, offered = [], 0, 0, [], []
            base_timings, base_found = [], 0
            for person in sample:
                typed = described(person, how)
                if typed is None:
                    continue
                tried += 1
                started = time.perf_counter()
                result = candidate_search(viewer=user, described=typed, looking_for="child")
                timings.append((time.perf_counter() - started) * 1000)
                found += str(person.pk) in result.ids
                started = time.perf_counter()
                criteria = SearchCriteria(
                    name=f"{typed.given_name} {typed.family_name}", date_of_birth=typed.date_of_birth
                )
                baseline = person_search(viewer=screener, criteria=criteria)
                base_timings.append((time.perf_counter() - started) * 1000)
                base_found += any(p.pk == person.pk for p in baseline.people)
                offered.append(len(result.ids))
                blocks = matching.blocks(typed)
                blocked.append(
                    Person.objects.filter(date_of_birth__in=blocks.dates).count()
                    + Person.objects.filter(
                        family_name_key=blocks.family_key, given_name_key__in=blocks.given_keys
                    ).count()
                )
            results[how] = {
                "searches": tried,
                "found": found,
                "recall": round(found / tried, 3) if tried else None,
                "median_ms": round(statistics.median(timings), 2) if timings else None,
                "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2) if timings else None,
                "median_records_scored": statistics.median(blocked) if blocked else None,
                "candidates_offered": {
                    "mean": round(statistics.mean(offered), 2) if offered else None,
                    "max": max(offered, default=None),
                },
                "baseline_people_search": {
                    "found": base_found,
                    "recall": round(base_found / tried, 3) if tried else None,
                    "median_ms": round(statistics.median(base_timings), 2) if base_timings else None,
                },
                "recall_ratio": round(found / base_found, 2) if base_found else None,
                "time_ratio": round(statistics.median(timings) / statistics.median(base_timings), 2)
                if timings and base_timings
                else None,
            }
        result = {
            "benchmark": "tell_it_once",
            "database": connection.vendor,
            "children": args.children,
            "people": Person.objects.count(),
            "viewer": "school DSL",
            "baseline": "people.selectors.person_search by name and date of birth, as a front-door worker",
            "kinds": results,
            "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
            "date": datetime.date.today().isoformat(),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
