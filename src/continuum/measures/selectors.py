"""Reading questionnaires and programme outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from continuum.measures.models import Questionnaire


def timepoints_recorded(*, episode_ids: Iterable[Any]) -> dict[Any, set[str]]:
    """For each episode, the timepoints (entry, review, exit) at which any questionnaire was recorded: the
    caseload uses it to list the measures due. Not audited: it says only that a questionnaire exists."""
    recorded: dict[Any, set[str]] = defaultdict(set)
    rows = Questionnaire.objects.filter(episode_id__in=list(episode_ids)).values_list("episode_id", "timepoint")
    for episode_id, timepoint in rows.distinct():
        recorded[episode_id].add(timepoint)
    return dict(recorded)
