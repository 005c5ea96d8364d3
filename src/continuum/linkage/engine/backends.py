"""Where Splink runs: DuckDB in this process (the default), or Apache Spark. One place opens and closes each.

`open_backend(name)` is a context manager yielding a `Backend` whose `db_api` Splink's `Linker` takes. The
rest of the engine never names a backend: the same code runs on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BACKENDS = ("duckdb", "spark")


class BackendError(RuntimeError):
    """The backend could not start (no Java for Spark, an unknown name ...): one line for the user."""


@dataclass
class Backend:
    name: str
    db_api: Any  # splink's DuckDBAPI or SparkAPI
    session: Any = None  # the DuckDB connection or the SparkSession

    def table(self, arrow_table: Any) -> Any:
        """The Arrow table as this backend's input to `db_api.register` (a DuckDB relation or a Spark frame)."""
        if self.name == "duckdb":
            return arrow_table
        return self.session.createDataFrame(arrow_table.to_pandas())


@contextmanager
def open_backend(name: str = "duckdb", *, work_dir: Path | None = None) -> Iterator[Backend]:
    if name not in BACKENDS:
        raise BackendError(f"unknown linkage backend {name!r}: choose one of {', '.join(BACKENDS)}")
    if name == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect()
        try:
            yield Backend("duckdb", DuckDBAPI(connection=connection), connection)
        finally:
            connection.close()
        return
    raise BackendError("the Spark backend is not built yet")  # the Spark engineer replaces this
