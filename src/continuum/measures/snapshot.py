"""Outcome measures' tables in a county snapshot (columns in docs/county-format.md).

questionnaires: one row per completed SDQ, item by item as ticked (`sdq1`..`sdq25`: 0 not true, 1 somewhat
true, 2 certainly true, blank when not answered; `difficulties` 0-3; the impact items 0-3), the same columns
as `continuum measures score sdq` reads. It loads after casework's tables. The scores and their bands are
worked out at load by the analytics scorer (`continuum.analytics.sdq`), never taken from the file.

The loader refuses an item outside its range, an informant the version has no form for (the self-report is
the 11-17 version; the 2-4 version has parent and teacher forms), a measure other than the SDQ, a
questionnaire for another child than the episode's, and one completed before the episode started or on or
after its end.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from continuum import tables as t
from continuum import vocabulary as v
from continuum.analytics.sdq import SDQ_BANDED_SCORES, SDQ_SCORES, sdq_form_problem, sdq_score_table
from continuum.measures.models import Measure, Questionnaire

ITEMS = tuple(f"sdq{i}" for i in range(1, 26))
IMPACT = ("impact_distress", "impact_home", "impact_friends", "impact_classroom", "impact_leisure")
VERSIONS: v.Codes = (("4-17", "Ages 4-17"), ("2-4", "Ages 2-4"), ("11-17", "Self-report, ages 11-17"))
Problem = tuple[str, str] | None


class _Load:
    def __init__(self) -> None:
        self._measures: dict[str, int] | None = None

    def measure(self, value: Any) -> int:
        slug = t.text(60)(value)
        if self._measures is None:
            self._measures = dict(Measure.objects.filter(kind=Measure.Kind.SDQ).values_list("slug", "pk"))
        if slug not in self._measures:
            raise ValueError(f"{slug!r} is not a questionnaire this snapshot can load (only the SDQ, 'sdq')")
        return self._measures[slug]

    @staticmethod
    def form(row: dict[str, Any]) -> Problem:
        return sdq_form_problem(row["informant"], row["version"])


def _episode_check(episodes: dict[uuid.UUID, tuple[uuid.UUID, datetime.date, datetime.date | None]]) -> t.RowCheck:
    def check(row: dict[str, Any]) -> Problem:
        episode = episodes.get(row["episode_id"]) if row["episode_id"] else None
        if episode is None:
            return None
        person, start, end = episode
        if person != row["person_id"]:
            return "person_id", f"{row['person_id']} is not the child of episode {row['episode_id']}"
        day = row["completed_on"]
        if day < start:
            return "completed_on", f"{day.isoformat()} is before the episode started ({start.isoformat()})"
        if end is not None and day >= end:
            return "completed_on", f"{day.isoformat()} is not before the episode's end ({end.isoformat()})"
        return None

    return check


def tables(episodes: dict[uuid.UUID, tuple[uuid.UUID, datetime.date, datetime.date | None]]) -> tuple[t.Table, ...]:
    """Outcome measures' tables, in load order, for one load; `episodes` is filled as the episodes are read
    (id -> child, start, end), for the checks against a questionnaire's episode."""
    load = _Load()
    item = t.number(int, minimum=0, maximum=2)
    rating = t.number(int, minimum=0, maximum=3)
    return (
        t.Table(
            "questionnaires",
            {
                "questionnaire_id": t.uuid_(),
                "measure": load.measure,
                "person_id": t.uuid_(),
                "episode_id": t.uuid_(False),
                "timepoint": t.code(v.TIMEPOINT),
                "informant": t.code(v.INFORMANT),
                "version": t.code(VERSIONS),
                "completed_on": t.date(),
                **dict.fromkeys(ITEMS, item),
                "difficulties": rating,
                **dict.fromkeys(IMPACT, rating),
                "completed_by_respondent": t.boolean,
            },
            key="questionnaire_id",
            references={"person_id": "people", "episode_id": "episodes"},
            checks=(load.form, _episode_check(episodes)),
            model=Questionnaire,
            renames={"questionnaire_id": "id", "measure": "measure_id"},
        ),
    )


def _questionnaires(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questionnaires as the model holds them: the answers in `responses` (answered items only), and the
    scores and bands worked out now."""
    out = []
    answers = (*ITEMS, "difficulties", *IMPACT)
    for row in rows:
        responses = {name: row[name] for name in answers if row[name] is not None}
        fields = {name: value for name, value in row.items() if name not in answers}
        fields["responses"] = responses
        fields["entered_at"] = datetime.datetime.combine(row["completed_on"], datetime.time(12), tzinfo=datetime.UTC)
        out.append(fields)
    for fields, (scores, bands) in zip(out, _scores(rows), strict=True):
        fields["scores"], fields["bands"] = scores, bands
    return out


def _scores(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each questionnaire's scores and bands, by the analytics scorer over the whole table at once."""
    if not rows:
        return []
    columns: dict[str, list[Any]] = {
        "response_id": [str(row["questionnaire_id"]) for row in rows],
        "informant": [row["informant"] for row in rows],
        "version": [row["version"] for row in rows],
    }
    for name in (*ITEMS, "difficulties", *IMPACT):
        columns[name] = [row[name] for row in rows]
    scored = sdq_score_table(pa.table(columns)).to_pydict()
    return [
        (
            {score: scored[score][i] for score in SDQ_SCORES},
            {score: scored[f"{score}_band"][i] for score in SDQ_BANDED_SCORES},
        )
        for i in range(len(rows))
    ]


# Tables whose checked rows are turned into the model's fields before they are written.
PREPARE: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]]] = {"questionnaires": _questionnaires}
