"""Indicators: readable definitions (signals/indicators.toml) computed in DuckDB over the feeds, the same SQL on Spark.

Plain Python (no Django):

    definitions = load_definitions()            # or load_definitions(path): DefinitionsError names file and entry
    rows = compute(con=duckdb.connect(), marks_sql=read_marks(store), events=events, pupils=pupils,
                   as_of=date(2025, 3, 14), definitions=definitions)

See docs/indicators.md for each indicator's definition, denominator and windows.
"""

from continuum.signals.indicators.definitions import (
    Definitions,
    DefinitionsError,
    Events,
    Indicator,
    Marks,
    Window,
    load_definitions,
)
from continuum.signals.indicators.engine import OUTPUT_SCHEMA, compute, indicator_sql

__all__ = [
    "OUTPUT_SCHEMA",
    "Definitions",
    "DefinitionsError",
    "Events",
    "Indicator",
    "Marks",
    "Window",
    "compute",
    "indicator_sql",
    "load_definitions",
]
