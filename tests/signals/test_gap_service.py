"""Running the gap finder over the store: flags replaced in one audited transaction, the first day kept; the
command and its bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from continuum.agencies.services import involvement_open
from continuum.audit.models import AuditEvent
from continuum.signals.models import ChildIndicator, GapFlag, IndicatorRun
from continuum.signals.services.gap import GapFinderError, run_gap_finder
from tests.conftest import TODAY
from tests.linkage.services_world import fake_engine
from tests.signals.gap_world import FLAGGED, SYSTEM, load_signals


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"


@pytest.fixture
def signals(world, tmp_path, monkeypatch):
    load_signals(world, tmp_path, fake_engine(monkeypatch))
    return world


def flagged(world) -> dict[str, tuple[str, datetime.date]]:
    names = {p.pk: key for key, p in world.people.items()}
    return {names[f.person_id]: (f.rule, f.first_flagged) for f in GapFlag.objects.all()}


def test_children_with_signals_from_two_agencies_and_nobody_working_with_them_are_flagged(signals):
    result = run_gap_finder(actor=SYSTEM, as_of=TODAY)
    assert flagged(signals) == {key: ("two_agencies_90_days", TODAY) for key in FLAGGED}
    assert (result.flags, result.flagged_children, result.new, result.removed) == (2, 2, 2, 0)
    assert result.by_rule == {"two_agencies_90_days": 2, "three_agencies_12_months": 0}
    assert result.children == 4  # amy, ben, cara and dan are of school age; their mother is not
    cara = GapFlag.objects.get(person=signals.cara)
    assert (cara.as_of, cara.agencies) == (TODAY, ["health", "police"])
    assert [(e["date"], e["source"], e["label"]) for e in cara.evidence] == [
        ((TODAY - datetime.timedelta(days=20)).isoformat(), "A&E attendances", "A&E attendance for self-harm"),
        (
            (TODAY - datetime.timedelta(days=10)).isoformat(),
            "Police incidents",
            "Police incident: the child was a victim or a suspect",
        ),
    ]
    audit = AuditEvent.objects.get(event="signals.gap_run")
    assert (audit.action, audit.detail["flags"], audit.detail["new"]) == ("create", 2, 2)
    assert audit.actor_username.startswith("system (test")


def test_a_child_still_flagged_keeps_the_first_day_and_one_no_longer_flagged_goes(signals):
    run_gap_finder(actor=SYSTEM, as_of=TODAY - datetime.timedelta(days=1))
    involvement_open(
        actor=SYSTEM, person=signals.dan, agency=signals.agencies["eh"], kind="early_help", start_date=TODAY
    )
    result = run_gap_finder(actor=SYSTEM, as_of=TODAY)
    assert flagged(signals) == {"cara": ("two_agencies_90_days", TODAY - datetime.timedelta(days=1))}
    assert (result.new, result.removed) == (0, 1)
    assert GapFlag.objects.get().as_of == TODAY
    assert AuditEvent.objects.filter(event="signals.gap_run").count() == 2


def test_persistent_absence_from_the_indicators_counts_as_the_school(world, tmp_path, monkeypatch):
    engine = fake_engine(monkeypatch)
    load_signals(world, tmp_path, engine, children=("cara",), health=False)  # a police incident only
    # (A's indicator run writes these rows; built here as that run would leave them.)
    run = IndicatorRun.objects.create(
        as_of=TODAY, started_at=datetime.datetime.now(datetime.UTC), finished_at=datetime.datetime.now(datetime.UTC)
    )
    ChildIndicator.objects.create(
        person=world.cara,
        indicator="persistent_absence",
        window="last_90_days",
        as_of=TODAY,
        numerator=20,
        denominator=110,
        value=18.2,
        met=True,
        run=run,
    )
    run_gap_finder(actor=SYSTEM, as_of=TODAY)
    flag = GapFlag.objects.get()
    assert (flag.person_id, flag.agencies) == (world.cara.pk, ["police", "school"])
    assert flag.evidence[-1]["summary"] == "18.2% (20 of 110)"


def test_the_command_reports_what_it_found(signals, capsys):
    call_command("signals", "gap", "--as-of", TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"2 of 4 school-age children falling through the gap as at {TODAY.isoformat()}" in out
    assert "two_agencies_90_days 2" in out


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("28/11/2026", "'28/11/2026' is not a date: write it as YYYY-MM-DD"),
        ("2026-02-30", "'2026-02-30' is not a date"),
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "is in the future"),
    ],
)
def test_the_command_refuses_a_bad_date_in_one_line_and_changes_nothing(db, argument, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("signals", "gap", "--as-of", argument)
    assert "\n" not in str(caught.value)
    assert not GapFlag.objects.exists()
    assert not AuditEvent.objects.filter(event="signals.gap_run").exists()


def test_a_bad_rules_file_is_refused_in_one_line(db, settings, tmp_path):
    settings.GAP_RULES_PATH = tmp_path / "rules.toml"
    (tmp_path / "rules.toml").write_text("version = 1\n")
    with pytest.raises(GapFinderError, match="rules.toml: the file: missing 'cohort'"):
        run_gap_finder(actor=SYSTEM)
    with pytest.raises(CommandError, match="missing 'cohort'"):
        call_command("signals", "gap")
