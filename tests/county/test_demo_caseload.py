"""The demo's county, as `continuum demo` builds it (5,000 children, seed 1, as at today): the early-help demo
accounts have a live caseload, and the outcome reports for POWER and Strengthening Families have children to
count."""

from __future__ import annotations

import datetime
from pathlib import Path

from continuum.agencies.models import Allocation
from continuum.casework.models import Episode
from continuum.county.load import county_load
from continuum.measures.models import Questionnaire
from continuum.synth import generate
from continuum.web.management.commands.demo import Command


def test_the_demo_practitioner_has_a_live_caseload_and_the_outcome_reports_have_pairs(db, tmp_path: Path) -> None:
    today = datetime.date.today()
    generate(tmp_path, children=5_000, seed=1, as_of=today)
    county_load(tmp_path)

    practitioner = Command()._caseworker(set())
    assert practitioner is not None
    open_episodes = Episode.objects.filter(lead_practitioner=practitioner, end_date__isnull=True)
    live = (
        open_episodes.filter(sessions__isnull=False, plan__goals__isnull=False, questionnaires__timepoint="entry")
        .distinct()
        .count()
    )
    assert live >= 5
    assert open_episodes.filter(questionnaires__timepoint="exit").exists()  # ready to close
    allocated = set(
        Allocation.objects.current().filter(practitioner=practitioner, kind="lead").values_list("person_id", flat=True)
    )
    assert allocated - set(open_episodes.values_list("person_id", flat=True))  # allocated, no episode yet
    manager = Command()._manager_of(practitioner, {practitioner.pk})
    assert manager is not None and manager.team_id == practitioner.team_id

    year_ago = today - datetime.timedelta(days=365)
    for slug in ("power", "strengthening-families"):
        closed = Episode.objects.filter(programme__slug=slug, end_date__gte=year_ago, end_date__lte=today)
        paired = (
            Questionnaire.objects.filter(episode__in=closed, timepoint="exit")
            .exclude(informant="teacher")
            .exclude(scores__total=None)
            .values("episode")
            .distinct()
            .count()
        )
        assert paired >= 8, slug
