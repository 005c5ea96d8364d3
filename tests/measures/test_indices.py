"""Adding a custom index from its definition: checked by the analytics, every problem listed, nothing half-saved."""

from __future__ import annotations

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from continuum.analytics.indices import EXAMPLES
from continuum.audit.models import AuditEvent
from continuum.measures.models import Measure

SMALL = {
    "name": "School belonging index",
    "higher_is_better": True,
    "items": {"a": {"min": 0, "max": 3}, "b": {"min": 0, "max": 3, "reverse": True}},
    "domains": {
        "belonging": {
            "items": ["a", "b"],
            "rule": "sum",
            "bands": [{"label": "low", "min": 0, "max": 2}, {"label": "high", "min": 3, "max": 6}],
        }
    },
}


def test_the_example_index_is_in_every_database(db):
    measure = Measure.objects.get(slug="restorative-parenting-recovery-index")
    assert measure.kind == "index" and len(measure.definition["items"]) == 15


def test_an_administrator_adds_an_index_from_pasted_json(world, client_for):
    client = client_for("admin")
    response = client.post("/measures/indices/", {"format": "json", "definition": json.dumps(SMALL), "source": "Ours"})
    assert response.status_code == 302
    measure = Measure.objects.get(slug="school-belonging-index")
    assert measure.definition == SMALL and measure.source == "Ours"
    assert AuditEvent.objects.get(event="measures.measure_save").object_id == str(measure.pk)
    assert "School belonging index" in client.get("/measures/indices/").content.decode()


def test_an_administrator_uploads_a_toml_file(world, client_for):
    text = (
        (EXAMPLES / "restorative_parenting_recovery_index.toml")
        .read_text()
        .replace('name = "Restorative Parenting Recovery Index (example)"', 'name = "Recovery index, second copy"')
    )
    upload = SimpleUploadedFile("index.toml", text.encode())
    response = client_for("admin").post("/measures/indices/", {"format": "toml", "upload": upload})
    assert response.status_code == 302
    assert Measure.objects.filter(slug="recovery-index-second-copy", kind="index").exists()


def test_every_problem_in_a_definition_is_listed_and_nothing_saved(world, client_for):
    bad = {
        **SMALL,
        "items": {"a": {"min": 0, "max": 3}, "b": {"min": 3, "max": 1}},
        "domains": {
            "belonging": {
                "items": ["a"],
                "rule": "sum",
                "bands": [{"label": "low", "min": 0, "max": 2}, {"label": "high", "min": 2, "max": 3}],
            }
        },
        "colour": "blue",
    }
    before = Measure.objects.count()
    body = client_for("admin").post("/measures/indices/", {"format": "json", "definition": json.dumps(bad)}).content
    text = html.unescape(body.decode())
    assert "There is a problem" in text and "'colour' is not a setting" in text
    assert "min (3) must be below max (1)" in text and "overlap" in text
    assert Measure.objects.count() == before


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"format": "json", "definition": "{not json"}, "This is not valid JSON"),
        ({"format": "toml", "definition": "name = "}, "This is not valid TOML"),
        ({"format": "json", "definition": "[1, 2]"}, "must be a JSON object"),
        ({"format": "json", "definition": ""}, "Paste the index"),
        ({"format": "yaml", "definition": "{}"}, "Select a valid choice"),
    ],
)
def test_unreadable_definitions_are_refused(world, client_for, data, error):
    before = Measure.objects.count()
    body = client_for("admin").post("/measures/indices/", data).content.decode()
    assert error in body and Measure.objects.count() == before


def test_the_same_name_twice_is_refused(world, client_for):
    client = client_for("admin")
    client.post("/measures/indices/", {"format": "json", "definition": json.dumps(SMALL)})
    body = client.post("/measures/indices/", {"format": "json", "definition": json.dumps(SMALL)}).content.decode()
    assert "already a measure" in body and Measure.objects.filter(slug="school-belonging-index").count() == 1


@pytest.mark.parametrize("username", ["alice", "analyst", "manager", "dsl_north"])
def test_only_administrators_add_indices(world, client_for, username):
    client = client_for(username)
    assert client.get("/measures/indices/").status_code == 403
    assert client.post("/measures/indices/", {"format": "json", "definition": json.dumps(SMALL)}).status_code == 403
    assert not Measure.objects.filter(slug="school-belonging-index").exists()
