"""Pairs in record linkage's review queue, built by hand on the shared test world (tests/conftest.py).

Linkage's own run makes these in production; the pages' tests need exact, small states: amy (a person in the
platform, with her own record and identity), a record from the A&E feed that is probably her (same NHS number,
"Amie"), a police record and a school attendance record that are probably one boy, and a model that says why.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from continuum.linkage import services
from continuum.linkage.models import Identity, LinkModel, LinkRun, Record, ReviewPair
from continuum.signals.models import FeedLoad, SourcePerson

# The model's reasons, as linkage's explain.reasons gives them (dataclasses.asdict of each Reason).
AMY_REASONS = [
    {
        "field": "given_name",
        "label": "Given name",
        "agrees": False,
        "weight": 1.2,
        "words": "Given names are similar: some evidence for",
    },
    {
        "field": "family_name",
        "label": "Family name",
        "agrees": True,
        "weight": 6.5,
        "words": "Family names agree: strong evidence for",
    },
    {
        "field": "date_of_birth",
        "label": "Date of birth",
        "agrees": True,
        "weight": 7.8,
        "words": "Dates of birth agree: strong evidence for",
    },
    {"field": "postcode", "label": "Postcode", "agrees": None, "weight": 0.0, "words": "One record has no postcode"},
    {
        "field": "nhs_number",
        "label": "NHS number",
        "agrees": True,
        "weight": 9.1,
        "words": "NHS numbers agree: very strong evidence for",
    },
]
BOY_REASONS = [
    {
        "field": "given_name",
        "label": "Given name",
        "agrees": True,
        "weight": 4.0,
        "words": "Given names agree: strong evidence for",
    },
    {
        "field": "family_name",
        "label": "Family name",
        "agrees": False,
        "weight": -3.1,
        "words": "Family names differ: evidence against",
    },
    {
        "field": "date_of_birth",
        "label": "Date of birth",
        "agrees": True,
        "weight": 6.0,
        "words": "Dates of birth have day and month the other way round: some evidence for",
    },
]


@dataclass
class Linkage:
    model: LinkModel
    run: LinkRun
    amy_record: Record
    amy_identity: Identity
    health: SourcePerson  # "Amie Ashdown" at A&E: amy's NHS number
    health_record: Record
    police: SourcePerson  # a boy known to police
    police_record: Record
    school: SourcePerson  # the same boy on a school register, family name spelt differently
    school_record: Record
    amy_pair: ReviewPair  # amy's own record and the A&E record
    boy_pair: ReviewPair  # the police record and the school record


def _load(feed: str) -> FeedLoad:
    now = timezone.now()
    return FeedLoad.objects.create(feed=feed, started_at=now, finished_at=now, loaded_by_name="test set-up")


def source_person(feed: str, ref: str, **values: Any) -> SourcePerson:
    load = _load(feed)
    digest = hashlib.sha1(f"{feed}|{ref}|{sorted(values.items())}".encode(), usedforsecurity=False).hexdigest()
    return SourcePerson.objects.create(feed=feed, ref=ref, row_hash=digest, first_load=load, last_load=load, **values)


def model_and_run() -> tuple[LinkModel, LinkRun]:
    now = timezone.now()
    model = LinkModel.objects.create(
        version=1,
        trained_at=now,
        trained_by_name="test set-up",
        splink_version="5.0",
        file_format=1,
        model={},
        sha256="0" * 64,
        records=100,
        upper=0.99,
        lower=0.5,
    )
    run = LinkRun.objects.create(
        kind="full", backend="duckdb", model=model, started_at=now, finished_at=now, run_by_name="test set-up"
    )
    return model, run


def pair(
    left: Record,
    right: Record,
    *,
    model: LinkModel,
    run: LinkRun,
    probability: float,
    why: str,
    reasons: list,
    **kw: Any,
) -> ReviewPair:
    """A pair in review as a run leaves it: its records' hashes as linkage saw them, its state as the services give
    it (so a decision on it is taken, until something changes)."""
    seen = services.read_records([left.pk, right.pk]).table
    for record_id, row_hash in zip(seen["record_id"].to_pylist(), seen["row_hash"].to_pylist(), strict=True):
        Record.objects.filter(pk=record_id).update(row_hash=row_hash)
    made = ReviewPair.objects.create(
        left=left,
        right=right,
        match_probability=probability,
        model=model,
        run=run,
        why=why,
        comparison=reasons,
        queued_at=kw.pop("queued_at", timezone.now()),
        **kw,
    )
    made.state = services.current_state(made)
    made.save(update_fields=["state"])
    return made


def build(world: Any) -> Linkage:
    model, run = model_and_run()
    now = timezone.now()
    amy_identity = Identity.objects.create(person=world.amy, created_at=now)
    amy_record = Record.objects.create(person=world.amy, identity=amy_identity, how="person", linked_at=now)
    health = source_person(
        "health",
        "AE-7731",
        given_name="Amie",
        family_name="Ashdown",
        date_of_birth=world.amy.date_of_birth,
        sex="F",
        nhs_number=world.amy.nhs_number,
        nhs_number_usable=True,
    )
    health_record = Record.objects.create(source_person=health)  # waiting: no identity until reviewed
    born = datetime.date(2014, 3, 7)
    police = source_person(
        "police", "PN-0042", given_name="Tomasz", family_name="Kowalski", date_of_birth=born, sex="M", postcode="SF12AB"
    )
    police_record = Record.objects.create(
        source_person=police, identity=Identity.objects.create(created_at=now), how="new", linked_at=now
    )
    school = source_person(
        "attendance",
        "H801200001999",
        given_name="Tomasz",
        family_name="Kowalsky",
        date_of_birth=datetime.date(2014, 7, 3),
        sex="M",
        upn="H801200001999",
        upn_usable=False,
        school_urn="100001",
    )
    school_record = Record.objects.create(source_person=school)
    amy_pair = pair(amy_record, health_record, model=model, run=run, probability=0.93, why="band", reasons=AMY_REASONS)
    boy_pair = pair(
        police_record,
        school_record,
        model=model,
        run=run,
        probability=0.71,
        why="band",
        reasons=BOY_REASONS,
        queued_at=now - datetime.timedelta(days=1),
    )
    return Linkage(
        model=model,
        run=run,
        amy_record=amy_record,
        amy_identity=amy_identity,
        health=health,
        health_record=health_record,
        police=police,
        police_record=police_record,
        school=school,
        school_record=school_record,
        amy_pair=amy_pair,
        boy_pair=boy_pair,
    )
