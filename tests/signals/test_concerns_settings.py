"""The concern settings (signals/concerns.toml): every key checked, a bad file named with its entry, and the
start-up check that refuses one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from continuum.signals.concern_settings import DEFAULT_PATH, ConcernSettingsError, load_concern_settings
from continuum.signals.selectors.concerns import concern_settings

GOOD = """
version = 1
review_days = 14

[categories.neglect]
label = "Signs of neglect"
hint = "Hungry, unwashed"

[outcomes.no_further_action]
label = "No further action"
hint = "Not borne out"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "concerns.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_settings_load_with_every_category_and_outcome_the_pages_offer():
    settings = load_concern_settings()
    assert settings.review_days == 28
    assert {"emotional_wellbeing", "neglect", "exploitation", "attendance", "online_safety", "other"} <= set(
        settings.category_codes
    )
    assert {"referred_front_door", "early_help_offered", "no_further_action"} <= set(settings.outcome_codes)
    assert all(c.label and c.hint for c in (*settings.categories, *settings.outcomes))
    assert settings.category_label("retired_code") == "retired_code"  # a concern whose code is no longer listed


def test_a_small_file_loads(tmp_path):
    loaded = load_concern_settings(write(tmp_path, GOOD))
    assert loaded.review_days == 14 and loaded.category_label("neglect") == "Signs of neglect"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("version = 1", "version = 2"), "[version] must be 1"),
        (lambda t: t.replace("review_days = 14", "review_days = 0"), "[review_days] must be a whole number"),
        (lambda t: t.replace("review_days = 14", 'review_days = "14"'), "[review_days] must be a whole number"),
        (lambda t: t.replace("review_days = 14", "review_days = 400"), "from 1 to 365"),
        (lambda t: "review_weeks = 2\n" + t, "[review_weeks] is not a setting"),
        (lambda t: t.replace('hint = "Hungry, unwashed"', ""), "[categories.neglect] needs a hint"),
        (lambda t: t.replace('label = "Signs of neglect"', 'label = "  "'), "[categories.neglect] needs a label"),
        (lambda t: t.replace('hint = "Not borne out"', 'hint = "x"\ncolour = "red"'), "'colour' is not a setting"),
        (lambda t: t.replace("[categories.neglect]", "[categories.Neglect]"), "[categories.Neglect] a code is"),
        (lambda t: t.replace("[categories.neglect]", f"[categories.{'n' * 41}]"), "at most 40"),
        (lambda t: t.replace("[outcomes.no_further_action]", "[outcomes]\nx = 1\n[outcomes.nfa]"), "[outcomes.x]"),
        (
            lambda t: t + '\n[categories.hungry]\nlabel = "signs of NEGLECT"\nhint = "h"\n',
            "[categories.hungry] the label 'signs of NEGLECT' is used twice",
        ),
        (lambda t: t.split("[outcomes.no_further_action]")[0], "[outcomes] must list at least one entry"),
        (lambda t: t.replace("version = 1", "version = = 1"), "is not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_entry(tmp_path, change, message):
    path = write(tmp_path, change(GOOD))
    with pytest.raises(ConcernSettingsError) as refused:
        load_concern_settings(path)
    assert message in str(refused.value) and str(path) in str(refused.value)


def test_a_missing_or_binary_file_is_refused_in_one_line(tmp_path):
    with pytest.raises(ConcernSettingsError, match="cannot be read"):
        load_concern_settings(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00version = 1")
    with pytest.raises(ConcernSettingsError, match="is not UTF-8"):
        load_concern_settings(binary)


def test_the_start_up_check_refuses_a_malformed_file_and_a_deployment_may_use_its_own(tmp_path):
    bad = write(tmp_path, GOOD.replace("review_days = 14", "review_days = -1"))
    try:
        with override_settings(CONCERNS_PATH=str(bad)):
            errors = [m for m in checks.run_checks(tags=["continuum"]) if m.id == "signals.E001"]
            assert len(errors) == 1 and "[review_days]" in errors[0].msg
        own = tmp_path / "own.toml"
        own.write_text(GOOD, encoding="utf-8")
        with override_settings(CONCERNS_PATH=str(own)):
            assert concern_settings().review_days == 14
            assert not [m for m in checks.run_checks(tags=["continuum"]) if m.id == "signals.E001"]
    finally:
        concern_settings.cache_clear()
    assert concern_settings().review_days == load_concern_settings(DEFAULT_PATH).review_days
