"""The access policy is checked at start-up: `continuum check`, migrations and the server refuse a bad one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from continuum.agencies import access
from tests.agencies.test_policy import SHIPPED

CONTINUUM = Path(sys.executable).parent / "continuum"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text()
    assert old in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_the_shipped_policy_passes_the_check():
    assert [m for m in run_checks(tags=["continuum"]) if m.is_serious()] == []


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("version = 1", "version = 7", "[version]"),
        ('scope = "all"', 'scope = "everyone"', "[roles.front_door]"),
        (
            "[relationships]\n",
            '[relationships]\nfriendship = "A friend"\n',
            "[relationships] no installed module provides",
        ),
    ],
)
def test_a_malformed_policy_fails_the_system_check_naming_the_entry(db, settings, tmp_path, old, new, named):
    settings.ACCESS_POLICY_PATH = _broken(tmp_path, old, new)
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert named in str(caught.value) and "continuum.E001" in str(caught.value)


def test_a_relationship_source_the_policy_does_not_describe_is_a_warning():
    @access.relationship_source("panel_agenda_test")
    def _source(practitioner):  # a module added a source but nobody named it in the policy
        return practitioner.allocations.none().values("person_id")

    try:
        messages = run_checks(tags=["continuum"])
        assert [m.id for m in messages] == ["continuum.W001"]
        assert "panel_agenda_test" in messages[0].msg
    finally:
        del access._SOURCES["panel_agenda_test"]


def _run(args: list[str], policy: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
        "CONTINUUM_ACCESS_POLICY": str(policy),
        "CONTINUUM_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def test_continuum_check_on_the_command_line_refuses_an_unknown_version(tmp_path):
    result = _run([str(CONTINUUM), "check"], _broken(tmp_path, "version = 1", "version = 2"), tmp_path)
    assert result.returncode != 0
    assert "[version] this release understands access policy version 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_server_will_not_start_with_a_malformed_policy(tmp_path):
    script = "import continuum.web.wsgi"
    result = _run([sys.executable, "-c", script], _broken(tmp_path, "minutes = 60", "minutes = 0"), tmp_path)
    assert result.returncode != 0
    assert "[break_glass] minutes must be" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("break_glass = true\naggregates = true", "break_glas = true\naggregates = true", "[roles.team_manager]"),
        ("version = 1\n", "version = 1\nsuperusers = []\n", "[the top level] unknown settings ['superusers']"),
        ("minutes = 60", "minutes = 60\nhours = 2", "[break_glass] unknown settings ['hours']"),
    ],
)
def test_a_misspelt_setting_is_refused_not_ignored(tmp_path, old, new, named):
    from continuum.agencies.policy import PolicyError, load_policy

    with pytest.raises(PolicyError) as caught:
        load_policy(_broken(tmp_path, old, new))
    assert named in str(caught.value)
