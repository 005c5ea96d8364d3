"""The command line: `continuum synth` then `continuum county load`, as a council's developer would run them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from continuum.agencies.models import Involvement, Practitioner
from continuum.people.models import Person


def test_synth_then_county_load_builds_the_county_in_the_database(db, tmp_path):
    out = io.StringIO()
    call_command(
        "synth", "--children", "60", "--seed", "7", "--as-of", "2026-03-31", "--out", str(tmp_path), stdout=out
    )
    counts = json.loads(out.getvalue())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["counts"] == counts and manifest["children"] == 60
    call_command("county", "load", str(tmp_path), stdout=io.StringIO())
    assert Person.objects.count() == counts["people"]
    assert Involvement.objects.count() == counts["involvements"]
    assert Practitioner.objects.count() == counts["practitioners"]
    call_command("county", "load", str(tmp_path), stdout=io.StringIO())  # again: nothing doubles
    assert Person.objects.count() == counts["people"]


def test_county_load_of_a_folder_that_is_not_there_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("county", "load", str(tmp_path / "missing"))


def test_county_load_of_a_broken_snapshot_fails_with_the_problems_listed(db, tmp_path):
    call_command("synth", "--children", "20", "--out", str(tmp_path), stdout=io.StringIO())
    (tmp_path / "teams.parquet").unlink()
    with pytest.raises(CommandError, match=r"teams\.parquet or \.csv.*the file is missing"):
        call_command("county", "load", str(tmp_path), stdout=io.StringIO())
    assert not Person.objects.exists()
