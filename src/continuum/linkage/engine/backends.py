"""Where Splink runs: DuckDB in this process (the default), or Apache Spark. One place opens and closes each.

`open_backend(name)` is a context manager yielding a `Backend` whose `db_api` Splink's `Linker` takes. The
rest of the engine never names a backend: the same code runs on both.

Spark runs in local mode by default (`CONTINUUM_SPARK_MASTER`, default `local[2]`; a cluster's master URL runs
it there instead) with a driver of `CONTINUUM_SPARK_DRIVER_MEMORY` (default 4g). What Splink needs of a Spark
session, learnt the hard way (docs/architecture.md, "Running on Spark"): its similarity functions' jar on
`spark.jars`, a checkpoint directory (Splink breaks long query plans by writing intermediate tables there), and
workers running this interpreter (a different Python on PATH fails every user function).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

BACKENDS = ("duckdb", "spark")

SPARK_MASTER = "CONTINUUM_SPARK_MASTER"
SPARK_DRIVER_MEMORY = "CONTINUUM_SPARK_DRIVER_MEMORY"
DEFAULT_SPARK_MASTER = "local[2]"
DEFAULT_SPARK_DRIVER_MEMORY = "4g"
# Spark's default of 200 shuffle partitions is for clusters; on two cores each partition is mostly overhead.
SHUFFLE_PARTITIONS = 8
# Only errors from the JVM once the session runs (`setLogLevel`): Spark's chatter would break the command line's
# progress bar. Until then the root level stays at WARN, the level Spark as a shell wants (any other makes it
# announce the difference), with the two warnings every local start gives silenced.
_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.hostname.name = org.apache.spark.util.Utils
logger.hostname.level = error
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
"""


class BackendError(RuntimeError):
    """The backend could not start (no Java for Spark, an unknown name ...): one line for the user."""


@dataclass
class Backend:
    name: str
    db_api: Any  # splink's DuckDBAPI or SparkAPI
    session: Any = None  # the DuckDB connection or the SparkSession

    def table(self, arrow_table: Any) -> Any:
        """The Arrow table as this backend's input to `db_api.register` (the table itself for DuckDB; a Spark
        DataFrame built from its Arrow batches, with no detour through pandas or Python rows, for Spark)."""
        if self.name == "duckdb":
            return arrow_table
        return self.session.createDataFrame(arrow_table)


@contextmanager
def open_backend(name: str = "duckdb", *, work_dir: Path | None = None) -> Iterator[Backend]:
    """The backend `name` ("duckdb" or "spark"), closed on leaving. `work_dir` holds Spark's checkpoints (a
    temporary folder, removed afterwards, when None); DuckDB works in memory."""
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
    with _spark(work_dir) as backend:
        yield backend


@contextmanager
def _spark(work_dir: Path | None) -> Iterator[Backend]:
    java = _java()
    master, memory = _settings()
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="spark-", dir=work_dir))
    try:
        session = _session(folder, java, master, memory)
        try:
            from splink.backends.spark import SparkAPI

            db_api = SparkAPI(spark_session=session)  # registers the jar's functions
            _jaro_winkler_as_on_duckdb(session)
            yield Backend("spark", db_api, session)
        finally:
            session.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _java() -> str:
    """The java command Spark will start, or BackendError saying how to get one."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).is_file():
        where = f"JAVA_HOME ({home}) has no bin/java" if home else "no java command on PATH"
        raise BackendError(
            f"the Spark backend needs a Java runtime (17 or later) and {where}: "
            "install one (Debian: apt-get install openjdk-17-jre-headless) or use --backend duckdb"
        )
    return java


def _settings() -> tuple[str, str]:
    """The master and driver memory from the environment, checked: Spark's own complaint comes as a Java
    stack trace and "Java gateway process exited"."""
    master = os.environ.get(SPARK_MASTER) or DEFAULT_SPARK_MASTER
    memory = os.environ.get(SPARK_DRIVER_MEMORY) or DEFAULT_SPARK_DRIVER_MEMORY
    if not re.fullmatch(r"local(\[(\*|[1-9][0-9]*)(, *[0-9]+)?\])?|(spark|k8s|mesos)://\S+|yarn", master):
        raise BackendError(
            f"{SPARK_MASTER}={master!r} is not a Spark master: local[N], spark://HOST:PORT, yarn or k8s://URL"
        )
    if not re.fullmatch(r"[1-9][0-9]*[kmgt]?", memory, flags=re.IGNORECASE):
        raise BackendError(f"{SPARK_DRIVER_MEMORY}={memory!r} is not an amount of memory such as 4g or 512m")
    return master, memory


def _session(folder: Path, java: str, master: str, memory: str) -> Any:
    # Workers start `PYSPARK_PYTHON`; left unset they start whatever `python3` is first on PATH (here pyenv's
    # 3.11), and every Python function then fails on the version mismatch. In local mode they are this machine's
    # processes, so this interpreter; a cluster's own setting (its workers' Python) is kept.
    if master.startswith("local"):
        os.environ["PYSPARK_PYTHON"] = sys.executable
    else:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    # PySpark 4.3 warns on every pandas conversion that it does not fully support pandas 3; the conversions Splink
    # makes are the ones tests/linkage/test_spark.py checks against DuckDB.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    log4j = folder / "log4j2.properties"
    log4j.write_text(_LOG4J2)
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.appName("continuum-linkage")
        .master(master)
        .config("spark.driver.memory", memory)
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # Spark's own stage bars would garble ours
        .config("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
        .config("spark.default.parallelism", str(SHUFFLE_PARTITIONS))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.warehouse.dir", str(folder / "warehouse"))  # not ./spark-warehouse wherever it started
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j.as_uri()}")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say why in one line, not Py4J's traceback
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise BackendError(f"Spark did not start (java at {java}): {reason}") from exc
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
    return session


def _jaro_winkler_as_on_duckdb(session: Any) -> None:
    """`jaro_winkler` on Spark giving exactly what DuckDB's `jaro_winkler_similarity` gives, in place of the jar's.

    The two count transpositions differently (DuckDB, like jellyfish and Winkler's own code, halves their number
    rounding down; the jar does not), so for PORTER and PORRTER DuckDB says 0.928 and the jar 0.908: either side
    of a 0.92 threshold, the same model would put a pair in another level on Spark. DuckDB also compares UTF-8
    bytes, not characters; a string's bytes read as Latin-1 give jellyfish the same units. An Arrow function runs
    the comparisons a batch at a time in Spark's Python workers; it is defined here, inside this function, so that
    Spark ships it by value (a cluster's workers need jellyfish and pyarrow, not Continuum)."""
    import jellyfish
    from pyspark.sql.functions import arrow_udf
    from pyspark.sql.types import DoubleType

    def similarity(left: str | None, right: str | None) -> float | None:
        if left is None or right is None:
            return None
        return float(jellyfish.jaro_winkler_similarity(_bytes(left), _bytes(right)))

    def _bytes(text: str) -> str:
        return text if text.isascii() else text.encode("utf-8").decode("latin-1")

    def jaro_winkler(left: pa.Array, right: pa.Array) -> pa.Array:
        seen: dict[tuple[str | None, str | None], float | None] = {}  # a batch repeats its names often
        out = []
        for pair in zip(left.to_pylist(), right.to_pylist(), strict=True):
            if pair not in seen:
                seen[pair] = similarity(*pair)
            out.append(seen[pair])
        return pa.array(out, pa.float64())

    # A scalar Arrow function, told by its type hints (PySpark's stubs want the older functionType argument).
    session.udf.register("jaro_winkler", arrow_udf(jaro_winkler, DoubleType()))  # type: ignore[call-overload]
