"""For the gap finder's tests: the shared world (tests/conftest.py) with police and A&E feeds loaded and linked.

Cara (14, nobody working with her) and Dan (9, his early help closed last year) each have a police incident and a
self-harm attendance at A&E in the last 90 days: both fall through the gap. Amy (11) has the same, but early help
and CAMHS are working with her. Linkage's scoring is the stand-in of tests/linkage/services_world.py (by given name).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from continuum.agencies.access import SystemActor
from continuum.linkage.services import running
from continuum.signals.services import load_feed
from tests.conftest import TODAY, World
from tests.linkage.services_world import FakeEngine
from tests.signals.feed_files import HEALTH, health_row, police_file, police_row, write

SYSTEM = SystemActor("test")
FLAGGED = ("cara", "dan")


def day(days_ago: int) -> str:
    return (TODAY - datetime.timedelta(days=days_ago)).isoformat()


def load_signals(
    world: World, folder: Path, engine: FakeEngine, *, children=("amy", "cara", "dan"), health: bool = True
) -> None:
    """A police incident (victim, 10 days ago) and a self-harm A&E attendance (20 days ago) for each child, loaded
    as the police and the hospital send them and linked to the child."""
    police_rows, health_rows = [], []
    for n, key in enumerate(children):
        person = world.people[key]
        who = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
        }
        police_rows.append(police_row(f"INC-{n}", f"N{n}", occurred_on=day(10), **who))
        health_rows.append(
            health_row(
                f"AE-{n}", f"H{n}", "", arrived_at=f"{day(20)}T21:30", diagnosis_group="POISONING", self_harm="Y", **who
            )
        )
        engine.score(person.given_name, person.given_name, 0.99)
    files = [("police", police_file(folder / "police.csv", police_rows))]
    if health:
        files.append(("health", write(folder / "health.csv", HEALTH, health_rows)))
    for kind, path in files:
        result = load_feed(actor=SYSTEM, kind=kind, paths=[path])
        assert not result.errors, result.errors
    running.run_linkage(actor=SYSTEM)
