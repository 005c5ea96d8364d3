"""`continuum feeds load KIND FILE... [--format json] [--quarantine DIR]` as a council's data officer runs it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.signals.models import FeedLoad, SignalEvent, SourcePerson
from tests.signals.feed_files import (
    EPISODES_903,
    HEADER_903,
    HEALTH,
    episode_row,
    header_row,
    health_row,
    nhs_number,
    police_file,
    police_row,
    write,
)

JSON_KEYS = {"feed", "inserted", "updated", "unchanged", "warnings", "errors", "seconds"}


def feeds(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("feeds", "load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output_is_one_object_with_exactly_the_documented_keys(db, tmp_path):
    path = police_file(tmp_path / "police.csv")
    out, _ = feeds("police", str(path), "--format", "json")
    report = json.loads(out)
    assert set(report) == JSON_KEYS
    assert {k: report[k] for k in ("feed", "inserted", "updated", "unchanged", "warnings", "errors")} == {
        "feed": "police",
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "warnings": [],
        "errors": [],
    }
    assert isinstance(report["seconds"], float)
    again = json.loads(feeds("police", str(path), "--format", "json")[0])
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_json_lists_warnings_and_errors_as_file_line_field(db, tmp_path):
    nhs = nhs_number(7)
    wrong = nhs[:9] + str((int(nhs[9]) + 1) % 10)
    path = write(tmp_path / "health.csv", HEALTH, [health_row("AE-1", "H1", wrong)])
    report = json.loads(feeds("health", str(path), "--format", "json")[0])
    assert [w.split(": ")[0] for w in report["warnings"]] == [f"{path}:2:nhs_number"]
    assert report["errors"] == [] and report["inserted"] == 1

    bad = police_file(tmp_path / "police.csv", [police_row("INC-1", "N1", role="BYSTANDER")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing loaded: 1 error") as refused:
        call_command("feeds", "load", "police", str(bad), "--format", "json", stdout=out)
    assert refused.value.returncode == 1
    report = json.loads(out.getvalue())
    assert set(report) == JSON_KEYS
    assert [e.split(": ")[0] for e in report["errors"]] == [f"{bad}:2:role"]
    assert not SignalEvent.objects.filter(feed="police").exists()


def test_the_readable_summary_gives_the_counts_then_every_problem(db, tmp_path):
    path = police_file(tmp_path / "police.csv")
    out, _ = feeds("police", str(path))
    assert out.startswith("police: 3 rows from 1 file in ")
    assert "3 inserted, 0 updated, 0 unchanged" in out

    bad = police_file(
        tmp_path / "bad.csv",
        [police_row("INC-1", "N1", role="BYSTANDER"), police_row("INC-2", "N1", occurred_on="2026-13-01")],
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing loaded: 2 errors"):
        call_command("feeds", "load", "police", str(bad), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "police: nothing loaded, 2 errors"
    assert [line.split(": ")[0] for line in lines[1:]] == [f"{bad}:2:role", f"{bad}:3:occurred_on"]


def test_warnings_are_marked_as_warnings(db, tmp_path):
    nhs = nhs_number(9)
    wrong = nhs[:9] + str((int(nhs[9]) + 1) % 10)
    path = write(tmp_path / "health.csv", HEALTH, [health_row("AE-1", "H1", wrong)])
    out, _ = feeds("health", str(path))
    warning = out.splitlines()[-1]
    assert warning.startswith(f"{path}:2:nhs_number: ") and warning.endswith(" (warning)")


def test_with_a_quarantine_the_good_rows_load_and_the_status_is_success(db, tmp_path):
    bad = police_file(tmp_path / "police.csv", [police_row("INC-1", "N1"), police_row("INC-2", "N1", role="X")])
    out, _ = feeds("police", str(bad), "--quarantine", str(tmp_path / "q"), "--format", "json")
    report = json.loads(out)
    assert report["inserted"] == 1 and [e.split(": ")[0] for e in report["errors"]] == [f"{bad}:3:role"]
    assert any((tmp_path / "q").iterdir())
    assert FeedLoad.objects.get().quarantined == 1


def test_a_quarantine_that_cannot_be_written_is_one_line(db, tmp_path):
    bad = police_file(tmp_path / "police.csv", [police_row("INC-1", "N1"), police_row("INC-2", "N1", role="X")])
    (tmp_path / "q").write_text("")
    with pytest.raises(CommandError, match=r"^cannot (write|make) the quarantine .*q: .*; nothing was loaded$"):
        feeds("police", str(bad), "--quarantine", str(tmp_path / "q"))
    assert not SourcePerson.objects.exists()


def test_an_unknown_feed_lists_the_feeds(db, tmp_path):
    with pytest.raises(CommandError, match=r"^unknown feed 'school': choose one of attendance, suspensions, police, "):
        feeds("school", str(police_file(tmp_path / "p.csv")))


def test_a_file_that_is_not_there_or_a_folder_is_one_line(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv: no such file$"):
        feeds("police", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match=r"is a folder: give the police file itself$"):
        feeds("police", str(tmp_path))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"empty has no \.csv files$"):
        feeds("ssda903", str(tmp_path / "empty"))


def test_a_903_folder_means_every_csv_in_it(db, tmp_path):
    folder = tmp_path / "ssda903"
    write(folder / "Header 2024.csv", HEADER_903, [header_row("C1")])
    write(folder / "Episodes 2024.csv", EPISODES_903, [episode_row("C1", "01/04/2024")])
    (folder / "notes.txt").write_text("not a table")
    report = json.loads(feeds("ssda903", str(folder), "--format", "json")[0])
    assert (report["inserted"], report["errors"]) == (2, [])
    assert [f["name"] for f in FeedLoad.objects.get().files] == [
        str(folder / "Episodes 2024.csv"),
        str(folder / "Header 2024.csv"),
    ]


# --- The real executable: exit statuses, one line, no traceback -----------------------------------------------------

CONTINUUM = Path(sys.executable).parent / "continuum"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, str]:
    """A var folder with a migrated SQLite database, as `make demo` leaves one."""
    var = tmp_path_factory.mktemp("var")
    (var / "vendor").mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "CONTINUUM_VAR_DIR": str(var),
        "CONTINUUM_SECRET_KEY": "test-only-secret-key-for-the-feeds-command-0123456789",
    }
    subprocess.run([str(CONTINUUM), "migrate", "--verbosity", "0"], env=env, check=True, timeout=600)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONTINUUM), "feeds", "load", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_command_exits_1_with_one_line_on_errors_and_0_when_loaded(migrated, tmp_path):
    good = police_file(tmp_path / "police.csv")
    loaded = run(migrated, "police", str(good), "--format", "json")
    assert loaded.returncode == 0, loaded.stderr
    assert set(json.loads(loaded.stdout)) == JSON_KEYS

    bad = police_file(tmp_path / "bad.csv", [police_row("INC-1", "N1", role="BYSTANDER")])
    refused = run(migrated, "police", str(bad), "--format", "json")
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["errors"][0].startswith(f"{bad}:2:role: ")
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1

    quarantined = run(migrated, "police", str(bad), "--quarantine", str(tmp_path / "q"))
    assert quarantined.returncode == 0, quarantined.stderr

    for args in (["police", str(tmp_path / "nope.csv")], ["nonsense", str(good)], ["police", str(tmp_path)]):
        failed = run(migrated, *args)
        assert failed.returncode == 1, args
        assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1, failed.stderr


def test_a_file_wrong_as_a_whole_stops_the_load_even_with_a_quarantine(db, tmp_path):
    good = police_file(tmp_path / "police.csv")
    headless = tmp_path / "empty.csv"
    headless.write_text("")
    out = io.StringIO()
    with pytest.raises(
        CommandError, match="^nothing loaded: 1 error; a file wrong as a whole has no rows to set aside$"
    ):
        call_command(
            "feeds", "load", "police", str(good), str(headless), "--quarantine", str(tmp_path / "q"), stdout=out
        )
    assert out.getvalue().splitlines()[1].startswith(f"{headless}:0:-: ")
    assert not SourcePerson.objects.exists() and not (tmp_path / "q").exists()
