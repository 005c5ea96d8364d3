"""How well linkage did against a known truth (the synthetic county's `truth/source_people.csv`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.linkage.engine import evaluate
from continuum.linkage.models import Record, ReviewPair
from continuum.linkage.services.common import OPEN, LinkageError

TRUTH_FILE = "source_people.csv"
TRUTH_COLUMNS = ("feed", "ref", "person_id")


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
    """Pairwise precision, recall and F1 of the identities linkage holds now, against `truth` (a folder holding
    source_people.csv: feed, ref, person_id; a platform person's own record is that person), with the size of the
    review queue. A record waiting for review counts as a person of its own."""
    if not truth.exists():
        raise LinkageError(f"{truth}: no such folder (give the county's truth folder)")
    path = truth / TRUTH_FILE if truth.is_dir() else truth
    known = _read_truth(path)
    with transaction.atomic():
        predicted: dict[str, str | None] = {}
        expected: dict[str, str] = {}
        rows = Record.objects.values_list(
            "pk", "identity_id", "person_id", "source_person__feed", "source_person__ref"
        ).iterator(chunk_size=20_000)
        for pk, identity, person, feed, ref in rows:
            who = str(person) if person is not None else known.get((feed, ref))
            if who is None:
                continue
            expected[str(pk)] = who
            predicted[str(pk)] = None if identity is None else str(identity)
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
            obj=Subject("linkage_evaluation", path.name),
            event="linkage.evaluate",
            purpose="Measured record linkage against a known truth",
            detail={"truth": str(path), **result.as_dict()},
        )
    return result


def _read_truth(path: Path) -> dict[tuple[str, str], str]:
    """(feed, ref) -> the true person's id; LinkageError in one line for a file that is missing or not the truth."""
    try:
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            missing = [c for c in TRUTH_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise LinkageError(f"{path}: not a linkage truth file: no column {', '.join(missing)}")
            return {(row["feed"], row["ref"]): row["person_id"] for row in reader}
    except FileNotFoundError:
        raise LinkageError(f"{path.parent}: has no {TRUTH_FILE} (give the county's truth folder)") from None
    except csv.Error as exc:
        raise LinkageError(f"{path}: not a CSV file ({exc})") from None
    except UnicodeDecodeError:
        raise LinkageError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise LinkageError(f"{path}: {exc.strerror or exc}") from None
