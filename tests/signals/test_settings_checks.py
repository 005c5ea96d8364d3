"""The start-up check refuses a malformed indicator definitions file, attendance protocol or gap rules file, naming
the file and what is wrong; the packaged files pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.signals.checks import settings_files_check


def test_the_packaged_files_pass(settings):
    settings.INDICATORS_PATH = settings.ATTENDANCE_PROTOCOL_PATH = settings.GAP_RULES_PATH = None
    assert settings_files_check() == []


@pytest.mark.parametrize(
    ("setting", "code"),
    [
        ("INDICATORS_PATH", "continuum.E016"),
        ("ATTENDANCE_PROTOCOL_PATH", "continuum.E017"),
        ("GAP_RULES_PATH", "continuum.E018"),
    ],
)
def test_a_malformed_file_is_refused_by_name(settings, tmp_path: Path, setting: str, code: str):
    bad = tmp_path / "deployment.toml"
    bad.write_text("version = 1\nunknown_setting = true\n[broken\n", encoding="utf-8")
    setattr(settings, setting, str(bad))
    found = settings_files_check()
    assert [m.id for m in found] == [code]
    assert str(bad) in found[0].msg


def test_a_missing_file_is_refused(settings, tmp_path: Path):
    settings.GAP_RULES_PATH = str(tmp_path / "not-there.toml")
    found = settings_files_check()
    assert [m.id for m in found] == ["continuum.E018"]
    assert "not-there.toml" in found[0].msg
