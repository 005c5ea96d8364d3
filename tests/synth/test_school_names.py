"""Every school in the county has a name of its own, however many schools a town has: a county load refuses two
agencies of one name. A 300,000-child county used every street stem of some towns' school names (139 schools named
twice); the generator then names a school by its town, or by its URN."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow.parquet as pq

from continuum.synth import _places, generate


def test_school_names_stay_unique_when_a_towns_names_run_out(tmp_path: Path, monkeypatch) -> None:
    # Two street stems and one saint: a county of 3,000 children runs out of names as a large county does.
    monkeypatch.setattr(_places, "STREET_STEMS", _places.STREET_STEMS[:2])
    monkeypatch.setattr(_places, "_SAINTS", _places._SAINTS[:1])
    generate(tmp_path / "county", children=3000, seed=1, as_of=datetime.date(2026, 11, 28))
    names = pq.read_table(tmp_path / "county" / "agencies.parquet").column("name").to_pylist()
    assert len(names) == len(set(names))
    assert any("(URN " in n or n.endswith(")") for n in names)  # the fallback was needed, and used
