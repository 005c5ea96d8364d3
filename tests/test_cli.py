"""The `continuum` command as a person types it: the real executable, a clean environment, another folder.

A configuration problem ends with one line saying what to set or run (status 2), never a traceback;
`continuum synth` needs no settings at all.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CONTINUUM = Path(sys.executable).parent / "continuum"


def continuum(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `continuum ARGS` in `cwd` with nothing in the environment but PATH and `env`."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **env}
    return subprocess.run(
        [str(CONTINUUM), *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=300, check=False
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def var(tmp_path: Path) -> Path:
    """A var folder as `make setup` leaves it: the secret key (owner only) and the GOV.UK assets, no database."""
    var = tmp_path / "checkout" / "var"
    (var / "vendor").mkdir(parents=True)
    (var / "secret_key").write_text("test-only-secret-key-written-as-make-setup-would\n")
    (var / "secret_key").chmod(0o600)
    return var


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_with_no_secret_key_anywhere_a_command_says_what_to_set(elsewhere):
    result = continuum("county", "load", "county", cwd=elsewhere)
    assert result.returncode == 2
    assert one_line(result) == (
        "continuum: no secret key: set CONTINUUM_SECRET_KEY or CONTINUUM_SECRET_KEY_FILE, or CONTINUUM_VAR_DIR to "
        f"the folder `make demo` set up (looked for {elsewhere / 'var' / 'secret_key'})"
    )


def test_a_secret_key_file_that_is_not_there_is_named(elsewhere):
    result = continuum("audit", "export", "--since", "2026-01-01", cwd=elsewhere, CONTINUUM_SECRET_KEY_FILE="nokey")
    assert result.returncode == 2
    assert (
        one_line(result)
        == "continuum: CONTINUUM_SECRET_KEY_FILE names nokey, which cannot be read (No such file or directory)"
    )


def test_a_secret_key_in_the_var_folder_that_others_may_read_is_not_used(var):
    (var / "secret_key").chmod(0o644)
    result = continuum("audit", "export", "--since", "2026-01-01", cwd=var.parent)
    assert result.returncode == 2
    assert one_line(result) == (
        f"continuum: {var / 'secret_key'} may be read or changed by other users, so it is not used as the secret "
        f"key: run `chmod 600 {var / 'secret_key'}` or set CONTINUUM_SECRET_KEY_FILE"
    )


def test_a_var_folder_without_a_database_says_run_migrate(var, elsewhere):
    result = continuum("audit", "export", "--since", "2026-01-01", cwd=elsewhere, CONTINUUM_VAR_DIR=str(var))
    assert result.returncode == 2
    assert one_line(result) == (
        f"continuum: the SQLite database {var / 'continuum.sqlite3'} has no tables yet: "
        "run `continuum migrate` (or `make demo`)"
    )


def test_a_var_folder_that_is_not_there_is_named(tmp_path, elsewhere):
    missing = tmp_path / "no-such-var"
    result = continuum("migrate", cwd=elsewhere, CONTINUUM_VAR_DIR=str(missing), CONTINUUM_SECRET_KEY="x" * 50)
    assert result.returncode == 2
    assert one_line(result).startswith(
        f"continuum: cannot open the SQLite database {missing / 'continuum.sqlite3'}: the folder {missing} does "
        "not exist: set CONTINUUM_VAR_DIR"
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://continuum@localhost/continuum", "DATABASE_URL scheme 'mysql' is not supported: use postgres://"),
        ("postgres://continuum:pw@localhost:five/continuum", "DATABASE_URL has a port that is not a number"),
        ("postgres://continuum:pw@localhost:5432", "DATABASE_URL names no database"),
        # Nothing listens on port 1: PostgreSQL refusing the connection looks the same.
        (
            "postgres://continuum:do-not-print-me@127.0.0.1:1/continuum",
            "cannot connect to the PostgreSQL database continuum on 127.0.0.1:1 (connection failed:",
        ),
    ],
)
def test_a_bad_database_url_says_what_is_wrong_in_one_line(var, url, says):
    result = continuum("audit", "export", "--since", "2026-01-01", cwd=var.parent, DATABASE_URL=url)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("continuum: ") and says in line
    assert "do-not-print-me" not in result.stderr + result.stdout


def test_synth_needs_no_database_and_no_secret_key(elsewhere):
    # Settings that could not even be imported: synth never looks at them.
    args = ["synth", "--children", "20", "--seed", "3", "--as-of", "2026-03-31", "--out", "county"]
    result = continuum(*args, cwd=elsewhere, DJANGO_SETTINGS_MODULE="no.such.settings")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Generating county" in result.stderr  # the progress bar, kept off the JSON on standard output
    manifest = json.loads((elsewhere / "county" / "manifest.json").read_text())
    assert json.loads(result.stdout) == manifest["counts"]
    assert manifest["children"] == 20
    assert not (elsewhere / "var").exists()


def test_synth_imports_nothing_from_django(elsewhere):
    script = (
        "import sys\n"
        "from continuum import cli\n"
        "try:\n"
        "    cli.main(['continuum', 'synth', '--children', '5', '--out', 'county'])\n"
        "except SystemExit as done:\n"
        "    print(done.code, sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr


def test_synth_help_and_its_mistakes_need_no_settings(elsewhere):
    for args in (["synth", "--help"], ["help", "synth"]):
        result = continuum(*args, cwd=elsewhere)
        assert result.returncode == 0
        assert "usage: continuum synth" in result.stdout
        assert all(option in result.stdout for option in ("--children", "--seed", "--out", "--as-of"))
    result = continuum("synth", "--children", "0", "--out", "county", cwd=elsewhere)
    assert result.returncode == 2
    assert "continuum synth: error: argument --children: 0 is not from 1 to 400,000" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_synth_even_when_the_settings_are_broken(elsewhere):
    result = continuum("help", cwd=elsewhere)
    assert result.returncode == 0
    assert "`continuum synth` (generate a synthetic county) needs no settings" in result.stdout


def test_help_in_a_set_up_folder_lists_the_modules_commands(var):
    result = continuum("help", cwd=var.parent)
    assert result.returncode == 0, result.stderr
    assert "[county]\n    county\n    synth\n" in result.stdout
    assert "needs no settings" not in result.stdout


def test_after_migrate_in_the_checkout_the_commands_run_from_any_folder_with_the_var_folder_set(var, elsewhere):
    # In the checkout, nothing exported: ./var holds the key and the database.
    migrated = continuum("migrate", "--verbosity", "0", cwd=var.parent)
    assert migrated.returncode == 0, migrated.stderr
    assert (var / "continuum.sqlite3").exists()

    at = {"CONTINUUM_VAR_DIR": str(var)}
    generated = continuum("synth", "--children", "20", "--out", "county", cwd=elsewhere)
    assert generated.returncode == 0, generated.stderr
    loaded = continuum("county", "load", "county", cwd=elsewhere, **at)
    assert loaded.returncode == 0, loaded.stderr
    counts = json.loads(generated.stdout)
    assert re.search(rf"^people +{counts['people']:,}$", loaded.stdout, re.MULTILINE), loaded.stdout

    exported = continuum("audit", "export", "--since", "2026-01-01", "--out", "audit.csv", cwd=elsewhere, **at)
    assert exported.returncode == 0, exported.stderr
    assert "county.snapshot_load" in (elsewhere / "audit.csv").read_text()

    # A mistake in the command itself keeps Django's one line and status 1.
    refused = continuum("county", "load", "not-there", cwd=elsewhere, **at)
    assert refused.returncode == 1
    assert one_line(refused) == "CommandError: not-there is not a folder"
