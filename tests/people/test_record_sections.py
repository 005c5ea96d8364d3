"""The child's record is built from sections modules register; the page and the download use the same ones."""

from __future__ import annotations

import pytest
from django.urls import reverse

from continuum.people import selectors
from continuum.people.selectors import record as record_module


@pytest.fixture
def temporary_sections():
    """Sections a test registers, removed afterwards so other tests see the shipped record."""
    before = dict(record_module._SECTIONS)
    yield
    record_module._SECTIONS.clear()
    record_module._SECTIONS.update(before)


def test_the_shipped_sections_come_in_order(db):
    names = [s.name for s in selectors.record_sections()]
    assert names == [
        "education",
        "household",
        "relationships",
        "referrals",
        "concerns",
        "involvements",
        "allocations",
        "episodes",
    ]


def test_a_module_adds_a_section_to_the_page_and_the_download_without_editing_people(
    world, client_for, temporary_sections, tmp_path, settings
):
    seen = []

    @selectors.record_section("casework_test", title="Support from early help", template="test/section.html", order=45)
    def _support(ctx):
        seen.append(ctx.person.pk)
        return {"sessions": 3, "viewer": ctx.viewer.username}

    @_support.export
    def _(data):
        return {"support": {"sessions": data["sessions"]}}

    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "section.html").write_text(
        '<h2 class="govuk-heading-m">{{ shown.section.title }}</h2><p>{{ shown.data.sessions }} sessions</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]},
        *settings.TEMPLATES[1:],
    ]
    html = client_for("alice").get(reverse("people:record", args=[world.amy.pk])).content.decode()
    assert "Support from early help" in html and "3 sessions" in html
    assert html.index("Support from early help") < html.index("Team around the child")
    exported = client_for("alice").get(reverse("people:export", args=[world.amy.pk])).json()
    assert exported["record"]["support"] == {"sessions": 3}
    assert seen == [world.amy.pk, world.amy.pk]  # built once for the page, once for the download


def test_a_section_of_a_category_the_viewer_may_not_read_is_not_built_at_all(world, client_for, temporary_sections):
    built = []

    @selectors.record_section(
        "intelligence_test", title="Police intelligence", template="none.html", order=1, category="police_intelligence"
    )
    def _intel(ctx):
        built.append(ctx.viewer.username)
        return None

    assert client_for("alice").get(reverse("people:record", args=[world.amy.pk])).status_code == 200
    assert built == []
    record = selectors.person_record(viewer=world.police, person_id=world.amy.pk)
    assert built == ["police"] and record.section("intelligence_test") is None


def test_two_sections_cannot_share_a_name(db, temporary_sections):
    selectors.record_section("dup_test", title="A", template="a.html", order=1)(lambda ctx: None)
    with pytest.raises(ValueError, match="registered twice"):
        selectors.record_section("dup_test", title="B", template="b.html", order=2)(lambda ctx: None)
