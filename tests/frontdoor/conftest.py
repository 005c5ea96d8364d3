"""Fixtures for the front door's tests."""

from __future__ import annotations

import pytest

from continuum.programmes.models import Programme
from tests.conftest import GUARANTEED_PROGRAMME_SLUGS

GUARANTEED_SLUGS = sorted(GUARANTEED_PROGRAMME_SLUGS)


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
