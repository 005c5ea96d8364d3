"""`continuum programmes list` and `continuum programmes eligibility`, in-process and as a person types them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.programmes.models import Programme
from continuum.programmes.selectors import programme_list

GOOD = [
    '{"id": "a", "as_of": "2026-03-03", "date_of_birth": "2012-03-02", "open_involvements": ["police_contact"]}',
    '{"id": "b", "as_of": "2026-03-03", "date_of_birth": "2015-06-01", '
    '"events": [{"kind": "asb", "date": "2025-03-04"}]}',
    "",
    '{"id": 3, "as_of": "2026-03-03", "date_of_birth": "2018-03-04", "open_involvements": ["camhs"]}',
]
NOT_OPEN = (
    "not open to youth justice, CAMHS, child in need (s17), child protection plan or looked after on 3 March 2026"
)


def _expected() -> list[dict]:
    age = "age"
    police = "known to police"
    support = "not already supported by youth justice, CAMHS or social care"
    return [
        {
            "id": "a",
            "programme": "power",
            "eligible": False,
            "rules": [
                {"rule": age, "passed": False, "reason": "aged 14 on 3 March 2026; POWER takes ages 8–13"},
                {"rule": police, "passed": True, "reason": "open on 3 March 2026: known to police"},
                {"rule": support, "passed": True, "reason": NOT_OPEN},
            ],
        },
        {
            "id": "b",
            "programme": "power",
            "eligible": True,
            "rules": [
                {"rule": age, "passed": True, "reason": "aged 10 on 3 March 2026; POWER takes ages 8–13"},
                {
                    "rule": police,
                    "passed": True,
                    "reason": "anti-social behaviour on 4 March 2025 in the 12 months to 3 March 2026",
                },
                {"rule": support, "passed": True, "reason": NOT_OPEN},
            ],
        },
        {
            "id": "3",
            "programme": "power",
            "eligible": False,
            "rules": [
                {"rule": age, "passed": False, "reason": "aged 7 on 3 March 2026; POWER takes ages 8–13"},
                {
                    "rule": police,
                    "passed": False,
                    "reason": "none found; POWER needs an open involvement (known to police) or an event (police "
                    "incident, anti-social behaviour, arrest or domestic abuse notification) in the 12 months to "
                    "3 March 2026",
                },
                {
                    "rule": support,
                    "passed": False,
                    "reason": "open to CAMHS on 3 March 2026; POWER does not take children open to youth justice, "
                    "CAMHS, child in need (s17), child protection plan or looked after",
                },
            ],
        },
    ]


MALFORMED = [
    GOOD[0],
    '{"id": "b", "as_of": "2026-02-30"}',
    GOOD[1],
    '{"id": "c", "as_of": "2026-03-03", "open_involvements": ["yot"]}',
]
MALFORMED_REPORT = [
    '{file}:2: as_of: "2026-02-30" is not a real date',
    "{file}:4: open_involvements: unknown codes yot",
]
UNKNOWN = "no programme 'powerful' in the catalogue: `continuum programmes list` shows the slugs"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "children.jsonl"
    good.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(MALFORMED) + "\n", encoding="utf-8")
    return {"good": good, "bad": bad}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("programmes", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_eligibility_prints_one_json_object_a_line_for_each_described_child(files):
    printed = run("eligibility", "--programme", "power", "--children", str(files["good"]))
    assert [json.loads(line) for line in printed.splitlines()] == _expected()


@pytest.mark.django_db
def test_a_malformed_line_is_reported_with_its_line_and_field_and_nothing_is_printed(files):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("programmes", "eligibility", "--programme", "power", "--children", str(files["bad"]), stdout=out)
    assert str(refused.value).splitlines() == [line.format(file=files["bad"]) for line in MALFORMED_REPORT]
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_an_unknown_programme_or_missing_file_is_one_line(files, tmp_path):
    with pytest.raises(CommandError, match="^no programme 'powerful' in the catalogue"):
        run("eligibility", "--programme", "powerful", "--children", str(files["good"]))
    with pytest.raises(CommandError) as missing:
        run("eligibility", "--programme", "power", "--children", str(tmp_path / "none.jsonl"))
    assert str(missing.value) == f"{tmp_path / 'none.jsonl'}: no such file"
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes(b'{"id": "caf\xe9"}\n')
    with pytest.raises(CommandError, match="cannot read it"):
        run("eligibility", "--programme", "power", "--children", str(latin))


@pytest.mark.django_db
def test_eligibility_never_reads_the_peoples_tables(files):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ran:
        run("eligibility", "--programme", "power", "--children", str(files["good"]))
    tables = " ".join(q["sql"] for q in ran.captured_queries)
    assert "programmes_programme" in tables
    assert "people_" not in tables and "agencies_" not in tables


@pytest.mark.django_db
def test_list_as_json_prints_the_whole_catalogue_with_current_rules():
    entries = json.loads(run("list", "--format", "json"))
    assert [e["slug"] for e in entries] == list(programme_list().values_list("slug", flat=True))
    power = next(e for e in entries if e["slug"] == "power")
    assert power["rules_version"] == 1 and power["rules"][0] == {"kind": "age", "min": 8, "max": 13}
    assert power["source"].startswith("Seed 000")
    turnaround = next(e for e in entries if e["slug"] == "turnaround-contextual-mentoring")
    assert (turnaround["unit_cost"], turnaround["unit_cost_year"]) == ("1023397.83", 2024)


@pytest.mark.django_db
def test_list_as_a_table_has_a_row_per_programme_and_all_includes_those_no_longer_offered():
    Programme.objects.filter(slug="allichat").update(active=False)
    lines = run("list").splitlines()
    assert lines[0].split() == ["SLUG", "NAME", "AGES", "DELIVERED", "EVIDENCE", "RULES"]
    assert len(lines) == 1 + programme_list().count()
    assert any(line.startswith("power ") and " 8-13 " in line and line.endswith("v1") for line in lines)
    assert not any(line.startswith("allichat ") for line in lines)
    assert any(line.startswith("allichat ") for line in run("list", "--all").splitlines())


# The real executable, as a rule designer runs it: its own SQLite database whatever DATABASE_URL says
# (the command reads only the catalogue, which the migrations give every database alike).
CONTINUUM = Path(sys.executable).parent / "continuum"


def test_the_command_line_prints_results_reports_bad_lines_and_refuses_an_unknown_slug(files, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
        "CONTINUUM_SECRET_KEY": "x" * 50,
        "CONTINUUM_VAR_DIR": str(tmp_path),
        "LANG": "C.UTF-8",
    }

    def continuum(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CONTINUUM, *args], env=env, capture_output=True, text=True, timeout=300, check=False)

    (tmp_path / "vendor").mkdir()  # as `make setup` leaves var/: otherwise a warning about static files
    migrated = continuum("migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr

    good = continuum("programmes", "eligibility", "--programme", "power", "--children", str(files["good"]))
    assert (good.returncode, good.stderr) == (0, "")
    assert good.stdout == "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in _expected())

    bad = continuum("programmes", "eligibility", "--programme", "power", "--children", str(files["bad"]))
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr == "".join(line.format(file=files["bad"]) + "\n" for line in MALFORMED_REPORT)

    unknown = continuum("programmes", "eligibility", "--programme", "powerful", "--children", str(files["good"]))
    assert (unknown.returncode, unknown.stdout, unknown.stderr) == (1, "", UNKNOWN + "\n")
