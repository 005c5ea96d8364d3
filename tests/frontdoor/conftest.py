"""Fixtures for the front door's tests."""

from __future__ import annotations

import pytest

from continuum.programmes.models import Programme

# The slugs the catalogue's data migration guarantees; the front door's snapshot and the synthetic county
# name programmes by them.
GUARANTEED_SLUGS = (
    "power",
    "shift",
    "staying-together",
    "no-wrong-door",
    "pause",
    "redthread",
    "more-than-mentors",
    "functional-family-therapy",
    "inside-out",
    "step-up-step-down",
    "strengthening-families",
    "creative-life-story",
    "kooth",
    "harmony-groups",
    "lyft",
)


@pytest.fixture
def catalogue(db) -> dict[str, Programme]:
    """The programmes the front door names, whether or not the catalogue's data migration has run here."""
    return {
        slug: Programme.objects.get_or_create(
            slug=slug,
            defaults={
                "name": slug.replace("-", " ").title(),
                "category": "preventative",
                "modalities": ["one_to_one"],
                "summary": "A programme in the catalogue.",
                "source": "Test fixture",
            },
        )[0]
        for slug in GUARANTEED_SLUGS
    }
