"""The outcome report, run on the synthetic county, recovers the effect the generator planted: for each informant
the report's 95% interval for the mean change in total difficulties holds the planted mean change."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command

from continuum.county.load import county_load
from continuum.synth import generate
from tests.synth.test_synth import AS_OF

SINCE = "2015-01-01"  # every episode the county holds: the report counts those that closed in the period


def test_the_report_interval_holds_the_planted_change_in_total_difficulties(db, tmp_path: Path) -> None:
    generate(tmp_path, children=5_000, seed=1, as_of=AS_OF)
    county_load(tmp_path)
    truth = json.loads((tmp_path / "truth" / "outcomes.json").read_text())
    for programme in ("power", "strengthening-families"):
        planted = truth["sdq"]["programmes"][programme]["planted_mean_change_total_difficulties"]
        out = io.StringIO()
        call_command(
            "report", "outcomes", "--programme", programme, "--from", SINCE, "--to", AS_OF.isoformat(),
            "--format", "json", stdout=out,
        )  # fmt: skip
        report = json.loads(out.getvalue())
        totals = [m for m in report["measures"] if m["key"] in ("sdq_parent_total", "sdq_self_total")]
        checked = [m for m in totals if m["enough"]]
        assert checked, f"no informant has five pairs for {programme}: {totals}"
        for measure in checked:
            assert measure["ci_low"] <= planted <= measure["ci_high"], (programme, measure["key"], planted, measure)
        # The generator's pairs include open episodes ready to close, which the report (closed episodes) leaves out.
        paired = sum(m["coverage"][0]["count"] for m in totals)
        assert 20 <= paired <= truth["sdq"]["programmes"][programme]["paired_parent_or_self"]
