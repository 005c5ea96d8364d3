"""How well linkage did against a known truth (the synthetic county's `truth/source_people.csv`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.db import transaction

from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.linkage.engine import evaluate
from continuum.linkage.engine.lists import ListError
from continuum.linkage.engine.truth import by_record, read_truth
from continuum.linkage.models import Record, ReviewPair
from continuum.linkage.services.common import OPEN, LinkageError


@dataclass(frozen=True)
class Evaluation:
    scores: evaluate.Scores
    review_pairs: int  # pairs waiting for review
    waiting: int  # records waiting for review

    def as_dict(self) -> dict[str, Any]:
        s = self.scores
        return {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "records": s.records,
            "true_pairs": s.true_pairs,
            "predicted_pairs": s.predicted_pairs,
            "correct_pairs": s.correct_pairs,
            "review_pairs": self.review_pairs,
            "waiting": self.waiting,
        }


def evaluate_linkage(*, actor: Actor, truth: Path) -> Evaluation:
    """Pairwise precision, recall and F1 of the identities linkage holds now, against `truth` (the county's truth
    folder, or its source_people.csv: feed, ref, person_id; a platform person's own record is that person), with
    the size of the review queue. A record waiting for review counts as a person of its own."""
    try:
        known = read_truth(truth)
    except ListError as exc:
        more = len(exc.problems) - 1
        raise LinkageError(exc.problems[0] + (f" (and {more} more problems)" if more else "")) from None
    with transaction.atomic():
        predicted: dict[str, str | None] = {}
        expected: dict[str, str] = {}
        sourced: dict[str, list[str]] = {"record_id": [], "feed": [], "ref": []}
        rows = Record.objects.values_list(
            "pk", "identity_id", "person_id", "source_person__feed", "source_person__ref"
        ).iterator(chunk_size=20_000)
        for pk, identity, person, feed, ref in rows:
            record = str(pk)
            predicted[record] = None if identity is None else str(identity)
            if person is not None:
                expected[record] = str(person)
            else:
                sourced["record_id"].append(record)
                sourced["feed"].append(feed)
                sourced["ref"].append(ref)
        expected |= by_record(pa.table(sourced, schema=_SOURCED), known)
        if not expected:
            raise LinkageError("no record is named in the truth: run `continuum linkage run` on the county first")
        result = Evaluation(
            scores=evaluate.pairwise(predicted, expected),
            review_pairs=ReviewPair.objects.filter(status__in=OPEN).count(),
            waiting=Record.objects.filter(identity__isnull=True, run__isnull=False).count(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=Subject("linkage_evaluation", truth.name),
            event="linkage.evaluate",
            purpose="Measured record linkage against a known truth",
            detail={"truth": str(truth), **result.as_dict()},
        )
    return result


_SOURCED = pa.schema([("record_id", pa.string()), ("feed", pa.string()), ("ref", pa.string())])
