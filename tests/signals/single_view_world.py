"""Amy's multi-agency picture, on the shared test world (tests/conftest.py): the feeds load through the loader as a
council's files would; linkage's placing of each feed record with amy is written by hand (linkage's own run makes
these in production; tests/linkage/review_world.py does the same).

- police: amy present at a domestic abuse incident on 17 May 2026 (an Operation Encompass notification sent);
  placed by a reviewer at 88%
- health: amy at A&E on 9 April 2026, poisoning, self-harm; placed automatically at 97.34%
- suspensions: amy suspended from Northgate (URN 100001) for 2 sessions on 11 March 2026; placed automatically at 99.99%
- ben's police record (a suspect on 2 February 2026) is linked to ben, never shown on amy's page
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from continuum.agencies.access import SystemActor
from continuum.linkage.models import Identity, Record
from continuum.signals.models import SourcePerson
from continuum.signals.services import load_feed
from tests.signals.feed_files import HEALTH, police_row, upn, write

SUSPENSIONS = [
    "upn",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "school_urn",
    "category",
    "start_date",
    "sessions",
    "reason",
    "reason_2",
    "reason_3",
]
POLICE_COLUMNS = list(police_row("X", "Y"))

INCIDENT_DAY = "17 May 2026"
INCIDENT_WORDS = "Domestic abuse incident"
AE_DAY = "9 April 2026"
AE_WORDS = "Poisoning, including overdose"
SUSPENSION_WORDS = "Suspension (fixed-period exclusion): 2 sessions; persistent or general disruptive behaviour"
BEN_INCIDENT_DAY = "2 February 2026"


@dataclass
class Picture:
    police: SourcePerson
    health: SourcePerson
    school: SourcePerson


def _load(kind: str, path: Path) -> None:
    result = load_feed(actor=SystemActor("test set-up"), kind=kind, paths=[path])
    assert not result.errors and not result.refused, result.errors


def _place(source: SourcePerson, identity: Identity, *, how: str, probability: float | None) -> None:
    Record.objects.create(
        source_person=source, identity=identity, how=how, match_probability=probability, linked_at=timezone.now()
    )


def build(world: Any, folder: Path) -> Picture:
    a = world.agencies
    a["northgate"].urn = "100001"
    a["northgate"].save()
    a["police"].contact_email = "mash-police@example.org"
    a["police"].contact_phone = "0100 000 0001"
    a["police"].save()
    a["health"].contact_email = "safeguarding@health.example.org"
    a["health"].save()
    pupil = upn(1)
    _load(
        "police",
        write(
            folder / "police.csv",
            POLICE_COLUMNS,
            [
                police_row(
                    "INC-7",
                    "N100",
                    given_name="Amy",
                    family_name="Ashdown",
                    occurred_on="2026-05-17",
                    incident_type="DOMESTIC",
                    role="PRESENT_DA",
                    offence_group="",
                    da_notification="Y",
                ),
                police_row("INC-9", "N200", given_name="Ben", occurred_on="2026-02-02", role="SUSPECT"),
            ],
        ),
    )
    _load(
        "health",
        write(
            folder / "health.csv",
            HEALTH,
            [
                {
                    "attendance_ref": "AE-1",
                    "person_ref": "H1",
                    "nhs_number": world.amy.nhs_number,
                    "given_name": "Amy",
                    "family_name": "Ashdown",
                    "date_of_birth": world.amy.date_of_birth.isoformat(),
                    "sex": "F",
                    "arrived_at": "2026-04-09T21:30",
                    "arrival_mode": "AMBULANCE",
                    "diagnosis_group": "POISONING",
                    "self_harm": "Y",
                }
            ],
        ),
    )
    _load(
        "suspensions",
        write(
            folder / "suspensions.csv",
            SUSPENSIONS,
            [
                {
                    "upn": pupil,
                    "given_name": "Amy",
                    "family_name": "Ashdown",
                    "date_of_birth": world.amy.date_of_birth.isoformat(),
                    "sex": "F",
                    "school_urn": "100001",
                    "category": "SUSP",
                    "start_date": "2026-03-11",
                    "sessions": "2",
                    "reason": "DB",
                }
            ],
        ),
    )
    now = timezone.now()
    amy = Identity.objects.create(person=world.amy, created_at=now)
    Record.objects.create(person=world.amy, identity=amy, how="person", linked_at=now)
    ben = Identity.objects.create(person=world.ben, created_at=now)
    Record.objects.create(person=world.ben, identity=ben, how="person", linked_at=now)
    police = SourcePerson.objects.get(feed="police", ref="N100")
    health = SourcePerson.objects.get(feed="health", ref="H1")
    school = SourcePerson.objects.get(feed="suspensions", ref=pupil)
    _place(police, amy, how="review", probability=0.88)
    _place(health, amy, how="auto", probability=0.97349)
    _place(school, amy, how="auto", probability=0.99999)
    _place(SourcePerson.objects.get(feed="police", ref="N200"), ben, how="auto", probability=0.995)
    return Picture(police=police, health=health, school=school)
