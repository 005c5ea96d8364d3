"""A synthetic county's people and feed records as record linkage reads them, straight from its files (no Django).

What `continuum linkage run` reads from the database after `continuum county load` and `continuum feeds load`,
built here from the same files so that benchmarks (and the Spark test) need no database:

- one record per person in people.parquet (source "person"; their current address and postcode; UPN and NHS
  number where they pass their check), record id "person:<person_id>";
- one record per person reference in each feed (source the feed), with the identity details the feed's tables
  carry (continuum.signals.feeds.catalogue says which columns), the first value each detail has, sex in the
  feed's codes mapped to M/F, postcodes written as the loader stores them, identifiers that fail their check left
  empty; record id "<feed>:<ref>".

`county_records(folder)` returns (records, truth): the records in RECORD_SCHEMA order and, for every record, the
county person it is about (truth/source_people.csv for feed records; a person's own record is the person).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from continuum.identifiers import nhs_number_is_valid, postcode_normalise, upn_is_valid
from continuum.linkage.engine.records import RECORD_SCHEMA
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.spec import FeedTable

DETAILS = ("given_name", "family_name", "date_of_birth", "sex", "postcode", "upn", "nhs_number")
_DATE_FORMAT = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y"}


def county_records(folder: Path) -> tuple[pa.Table, dict[str, str]]:
    con = duckdb.connect()
    people = _people(con, folder)
    feeds = _feeds(con, folder / "feeds")
    records = _checked(pa.concat_tables([people, feeds]))
    truth = {record: record.removeprefix("person:") for record in people["record_id"].to_pylist()}
    with (folder / "truth" / "source_people.csv").open(newline="", encoding="utf-8") as lines:
        truth.update({f"{row['feed']}:{row['ref']}": row["person_id"] for row in csv.DictReader(lines)})
    con.close()
    return records, truth


def _people(con: duckdb.DuckDBPyConnection, folder: Path) -> pa.Table:
    people, addresses = str(folder / "people.parquet"), str(folder / "addresses.parquet")
    return con.sql(
        """
        WITH home AS (
            SELECT person_id, any_value(address_line || ', ' || town) AS address, any_value(postcode) AS postcode
            FROM read_parquet(?) WHERE end_date IS NULL GROUP BY person_id
        )
        SELECT 'person:' || p.person_id AS record_id, 'person' AS source,
               coalesce(p.given_name, '') AS given_name, coalesce(p.family_name, '') AS family_name,
               CAST(p.date_of_birth AS DATE) AS date_of_birth,
               CASE WHEN p.sex IN ('M', 'F') THEN p.sex ELSE '' END AS sex,
               coalesce(h.postcode, '') AS postcode, coalesce(h.address, '') AS address,
               coalesce(p.nhs_number, '') AS nhs_number, coalesce(p.upn, '') AS upn
        FROM read_parquet(?) AS p LEFT JOIN home AS h USING (person_id)
        ORDER BY p.person_id
        """,
        params=[addresses, people],
    ).to_arrow_table()


def _feeds(con: duckdb.DuckDBPyConnection, feeds: Path) -> pa.Table:
    """Every feed's person references with their details: the first non-blank value of each across the tables."""
    parts = []
    for kind, feed in FEEDS.items():
        paths = [feeds / f"{kind}.csv"] if len(feed.tables) == 1 else sorted((feeds / kind).glob("*.csv"))
        for path in paths:
            if not path.is_file():
                continue
            header = path.open(encoding="utf-8-sig").readline().strip().split(",")
            table = feed.recognise(header)
            if table is not None and _has_details(table):
                parts.append(_select(kind, table, path, len(parts)))
    if not parts:
        return RECORD_SCHEMA.empty_table()
    union = " UNION ALL ".join(parts)
    firsts = ", ".join(f"first({d} ORDER BY part) FILTER (WHERE {d} IS NOT NULL) AS {d}" for d in DETAILS)
    rows = con.sql(
        f"""
        SELECT feed || ':' || ref AS record_id, feed AS source, {firsts}
        FROM ({union}) GROUP BY feed, ref ORDER BY feed, ref
        """  # noqa: S608 - the SQL is built from the catalogue's column names, never from the files' contents
    ).to_arrow_table()
    return pa.table(
        {
            "record_id": rows["record_id"],
            "source": rows["source"],
            "given_name": pc.fill_null(rows["given_name"], ""),
            "family_name": pc.fill_null(rows["family_name"], ""),
            "date_of_birth": pc.cast(rows["date_of_birth"], pa.date32()),
            "sex": pc.fill_null(rows["sex"], ""),
            "postcode": pc.fill_null(rows["postcode"], ""),
            "address": pa.array([""] * rows.num_rows, pa.string()),
            "nhs_number": pc.fill_null(rows["nhs_number"], ""),
            "upn": pc.fill_null(rows["upn"], ""),
        }
    )


def _has_details(table: FeedTable) -> bool:
    return any(getattr(table.person, detail) for detail in DETAILS)


def _select(kind: str, table: FeedTable, path: Path, part: int) -> str:
    """One file's rows as (feed, ref, part, details...): `part` orders the files, so "first" is the first file's."""
    person = table.person
    columns = []
    for detail in DETAILS:
        column = getattr(person, detail)
        if column is None:
            value = "NULL"
        elif detail == "date_of_birth":
            value = f"CAST(try_strptime(\"{column}\", '{_DATE_FORMAT[table.dates]}') AS DATE)"
        elif detail == "sex":
            cases = " ".join(f"WHEN '{code}' THEN '{sex}'" for code, sex in person.sex_codes.items() if sex in "MF")
            value = f'CASE trim("{column}") {cases} ELSE NULL END'
        else:
            value = f"nullif(trim(\"{column}\"), '')"
        columns.append(f"{value} AS {detail}")
    # Built from the catalogue's column names and the file's path, never from the files' contents.
    source = "read_csv('{}', header = true, all_varchar = true)".format(str(path).replace("'", "''"))
    selected = ", ".join(columns)
    return f"SELECT '{kind}' AS feed, \"{person.ref}\" AS ref, {part} AS part, {selected} FROM {source}"  # noqa: S608


def _checked(records: pa.Table) -> pa.Table:
    """Postcodes as the loader stores them; identifiers that fail their check left out, as the loader marks them."""
    postcodes = records["postcode"].to_pylist()
    upns = records["upn"].to_pylist()
    nhs = records["nhs_number"].to_pylist()
    normal = {p: postcode_normalise(p) for p in set(postcodes) if p}
    records = records.set_column(
        records.schema.get_field_index("postcode"), "postcode", pa.array([normal.get(p, "") for p in postcodes])
    )
    records = records.set_column(
        records.schema.get_field_index("upn"), "upn", pa.array([u if u and upn_is_valid(u) else "" for u in upns])
    )
    records = records.set_column(
        records.schema.get_field_index("nhs_number"),
        "nhs_number",
        pa.array([n if n and nhs_number_is_valid(n) else "" for n in nhs]),
    )
    return records.cast(RECORD_SCHEMA)
