"""`continuum linkage run|evaluate|merge|unmerge` as a council's data officer runs them: what they print, and every
refusal one line with status 1, no traceback, nothing changed. (tests/linkage/test_services_county.py runs and
evaluates a synthetic county through the command; `continuum linkage link` has tests/linkage/test_link_command.py.)
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.linkage.models import IdentityChange
from tests.linkage.services_world import FakeEngine, fake_engine, identity_of, police, snapshot

CONTINUUM = Path(sys.executable).parent / "continuum"


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"


@pytest.fixture
def engine(monkeypatch) -> FakeEngine:
    return fake_engine(monkeypatch)


def linkage(*args: str) -> str:
    out = io.StringIO()
    call_command("linkage", *args, stdout=out)
    return out.getvalue()


def test_run_prints_what_it_did_and_merge_and_unmerge_name_what_moved(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"), ("N9", "Meg"))
    engine.score("Amy", "Amie", 0.97)
    engine.score("Megan", "Meg", 0.93)
    assert linkage("run").startswith("full run with model 1 in ")
    again = linkage("run")
    assert again.startswith("incremental run with model 1 in ")
    assert again.endswith(
        ": 0 records scored, 0 pairs, 0 linked, 0 new identities, 0 pairs queued for review, 0 waiting\n"
    )

    amy, megan = identity_of("Amy"), identity_of("Megan")
    merged = linkage("merge", "--keep", amy, "--merge", megan, "--reason", "One person recorded twice")
    change = IdentityChange.objects.get(kind="merge")
    assert merged == (
        f"merged {megan} into {amy}: 2 records and 1 relationship moved; "
        f"undo with `continuum linkage unmerge {change.pk}`\n"
    )
    assert linkage("unmerge", str(change.pk), "--reason", "Mother and daughter") == (
        f"undid the merge {change.pk}: {megan} is on its own again\n"
    )
    assert identity_of("Meg") == megan


def test_refusals_are_command_errors_and_change_nothing(world, engine, tmp_path):
    police(tmp_path, ("N1", "Amie"))
    linkage("run")
    before = snapshot()
    amy = identity_of("Amy")
    for args, message in [
        (["merge", "--keep", "amy", "--merge", amy, "--reason", "x"], "^--keep: 'amy' is not an id$"),
        (["merge", "--keep", amy, "--merge", amy, "--reason", "x"], "^an identity cannot be merged into itself$"),
        (["unmerge", "nope", "--reason", "x"], "^CHANGE_ID: 'nope' is not an id$"),
        (["unmerge", amy, "--reason", "x"], f"^no merge has the id {amy}$"),
        (["evaluate", "--truth", str(tmp_path / "nowhere")], "nowhere:1:-: the file does not exist$"),
        (["run", "--model", str(tmp_path / "none.json")], "none.json: "),
        (["link"], "^run it as `continuum linkage link --left A.csv --right B.csv --out PAIRS.csv`$"),
    ]:
        with pytest.raises(CommandError, match=message) as refused:
            linkage(*args)
        assert refused.value.returncode == 1 and "\n" not in str(refused.value)
    (tmp_path / "truth").mkdir()
    with pytest.raises(CommandError, match="truth/source_people.csv:1:-: the file does not exist$"):
        linkage("evaluate", "--truth", str(tmp_path / "truth"))
    (tmp_path / "truth" / "source_people.csv").write_text("feed,ref\n")
    with pytest.raises(CommandError, match="source_people.csv:1:person_id: the column is missing$"):
        linkage("evaluate", "--truth", str(tmp_path / "truth"))
    assert snapshot() == before


def test_the_help_names_every_action_and_the_link_command_that_needs_no_database(db, capsys):
    with pytest.raises(SystemExit):
        call_command("linkage", "--help")
    text = " ".join(capsys.readouterr().out.split())
    for action in ("run", "evaluate", "merge", "unmerge", "link"):
        assert action in text
    assert "`continuum linkage link --left A.csv --right B.csv --out PAIRS.csv`" in text


# --- The real executable: exit statuses, one line, no traceback ---------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, str]:
    """A var folder with a migrated SQLite database and nothing loaded, as `make demo` leaves one before the county."""
    var = tmp_path_factory.mktemp("var")
    (var / "vendor").mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "CONTINUUM_VAR_DIR": str(var),
        "CONTINUUM_SECRET_KEY": "test-only-secret-key-for-the-linkage-command-0123456789",
    }
    subprocess.run([str(CONTINUUM), "migrate", "--verbosity", "0"], env=env, check=True, timeout=600)
    return env


def test_the_command_exits_1_with_one_line_and_no_traceback(migrated, tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text('{"kind": "something else"}')
    for args in (
        ["run"],
        ["run", "--model", str(bad)],
        ["merge", "--keep", "x", "--merge", "y", "--reason", "r"],
        ["unmerge", "5f0c1c9e-0000-4000-8000-000000000000", "--reason", "r"],
        ["evaluate", "--truth", str(tmp_path)],
    ):
        done = subprocess.run(
            [str(CONTINUUM), "linkage", *args], env=migrated, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
        assert done.stderr.startswith("CommandError: ")
