"""Standardising records before Splink compares them: names, dates, postcodes and identifiers in one shape.

`standardise` turns a `records.RECORD_SCHEMA` table into the columns the model compares (`PREPARED_SCHEMA`). It runs
in DuckDB SQL over Arrow, never row by row, so a million and a half records take seconds; the few values that need
Python (a name's nickname forms, a family name's Metaphone key) are worked out once per distinct name and joined
back. It runs before the records are registered with a backend, so DuckDB and Spark compare the same values.

- Names: accents stripped, upper case, apostrophes and full stops dropped, any other punctuation a space, spaces
  collapsed and trimmed ("o'brien-smith " -> "OBRIEN SMITH").
- Given names: `given_forms` holds the first name and the full names it is a short form of, by the `nicknames`
  package (a hand-curated list of English given names, Apache-2.0; also used by `continuum.frontdoor.matching`),
  as "|BILL|WILLIAM|ROBERT|", and `given_word` the first name as "|BILL|" to look for in another's forms;
  `given_canon` one full name for blocking (the form with most short forms); `given_start` its first three letters.
- Family names: `family_key`, the Metaphone key of the name without spaces (sounds-alike blocking).
- Dates of birth: ISO text (`dob`), `dob_swapped` with the day and month the other way round where that is
  another date (blocking on a transposed date), and `dob_days` (days since 1970: dates a day apart).
- Postcodes: upper case without spaces, their sector (`SF17 0`) and district (`SF17`) without the unit; `home`, the
  family name and postcode together (a family home: the model counts what a family shares once).
- Identifiers: NHS numbers as digits, UPNs upper case; empty is NULL.
"""

from __future__ import annotations

import functools

import duckdb
import jellyfish
import pyarrow as pa
from nicknames import NickNamer

from continuum.linkage.engine.records import RECORD_SCHEMA

PREPARED_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("source", pa.string()),
        ("given_name", pa.string()),
        ("given_forms", pa.string()),
        ("given_word", pa.string()),
        ("given_start", pa.string()),
        ("given_canon", pa.string()),
        ("family_name", pa.string()),
        ("family_key", pa.string()),
        ("dob", pa.string()),
        ("dob_swapped", pa.string()),
        ("dob_days", pa.int32()),
        ("sex", pa.string()),
        ("postcode", pa.string()),
        ("postcode_sector", pa.string()),
        ("postcode_district", pa.string()),
        ("home", pa.string()),
        ("address", pa.string()),
        ("nhs_number", pa.string()),
        ("upn", pa.string()),
    ]
)

# A name cleaned in SQL: the expression for column `c` (NULL when nothing is left).
_NAME_SQL = (
    "nullif(trim(regexp_replace(regexp_replace(strip_accents(upper(coalesce({c}, ''))), '[''’.]', '', 'g'),"
    " '[^A-Z]+', ' ', 'g')), '')"
)


def standardise(records: pa.Table) -> pa.Table:
    """The records' values as the model compares them (`PREPARED_SCHEMA`), one row per record in the same order."""
    records = records.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)
    connection = duckdb.connect()
    try:
        connection.register("records", records)
        connection.execute(
            f"""
            create temporary table cleaned as
            select
                row_number() over () as row_number,
                record_id,
                coalesce(source, '') as source,
                {_NAME_SQL.format(c="given_name")} as given_name,
                {_NAME_SQL.format(c="family_name")} as family_name,
                strftime(date_of_birth, '%Y-%m-%d') as dob,
                case
                    when day(date_of_birth) <= 12 and day(date_of_birth) <> month(date_of_birth)
                    then strftime(make_date(year(date_of_birth), day(date_of_birth), month(date_of_birth)), '%Y-%m-%d')
                end as dob_swapped,
                cast(date_diff('day', DATE '1970-01-01', date_of_birth) as integer) as dob_days,
                case upper(trim(coalesce(sex, ''))) when 'M' then 'M' when 'F' then 'F' end as sex,
                nullif(regexp_replace(upper(coalesce(postcode, '')), '[^A-Z0-9]', '', 'g'), '') as postcode,
                nullif(trim(regexp_replace(strip_accents(upper(coalesce(address, ''))), '[^A-Z0-9]+', ' ', 'g')), '')
                    as address,
                nullif(regexp_replace(coalesce(nhs_number, ''), '[^0-9]', '', 'g'), '') as nhs_number,
                nullif(regexp_replace(upper(coalesce(upn, '')), '[^A-Z0-9]', '', 'g'), '') as upn
            from records
            """  # noqa: S608 (no values in the SQL: the column expressions are this module's constants)
        )
        firsts = connection.execute("select distinct split_part(given_name, ' ', 1) from cleaned").fetchall()
        families = connection.execute("select distinct family_name from cleaned").fetchall()
        connection.register("given_lookup", _given_lookup([name for (name,) in firsts if name]))
        connection.register("family_lookup", _family_lookup([name for (name,) in families if name]))
        return (
            connection.sql(
                """
            select
                c.record_id,
                c.source,
                c.given_name,
                g.forms as given_forms,
                '|' || split_part(c.given_name, ' ', 1) || '|' as given_word,
                substr(c.given_name, 1, 3) as given_start,
                g.canon as given_canon,
                c.family_name,
                f.family_key,
                c.dob,
                c.dob_swapped,
                c.dob_days,
                c.sex,
                c.postcode,
                case when length(c.postcode) >= 5 then substr(c.postcode, 1, length(c.postcode) - 2) end
                    as postcode_sector,
                case when length(c.postcode) >= 5 then substr(c.postcode, 1, length(c.postcode) - 3) end
                    as postcode_district,
                c.family_name || '|' || c.postcode as home,
                c.address,
                c.nhs_number,
                c.upn
            from cleaned c
            left join given_lookup g on g.name = split_part(c.given_name, ' ', 1)
            left join family_lookup f on f.name = c.family_name
            order by c.row_number
            """
            )
            .to_arrow_table()
            .cast(PREPARED_SCHEMA)
        )
    finally:
        connection.close()


@functools.cache
def _namer() -> NickNamer:
    return NickNamer()


@functools.cache
def _short_form_counts() -> dict[str, int]:
    return {name: len(nicknames) for name, nicknames in _namer().nickname_lookup.items()}


def given_forms(name: str) -> tuple[str, str]:
    """A given name's forms ("|BILL|ROBERT|WILLIAM|...|": the name and the full names it is a short form of) and one
    full name standing for it (the form with most short forms, then the first alphabetically)."""
    key = name.lower()
    forms = sorted({key, *_namer().canonicals_of(key)})
    counts = _short_form_counts()
    canon = min(forms, key=lambda form: (-counts.get(form, 0), form))
    return "|" + "|".join(form.upper() for form in forms) + "|", canon.upper()


def _given_lookup(names: list[str]) -> pa.Table:
    pairs = [given_forms(name) for name in names]
    return pa.table(
        {
            "name": pa.array(names, pa.string()),
            "forms": pa.array([forms for forms, _ in pairs], pa.string()),
            "canon": pa.array([canon for _, canon in pairs], pa.string()),
        }
    )


def _family_lookup(names: list[str]) -> pa.Table:
    keys = [jellyfish.metaphone(name.replace(" ", "")) or None for name in names]
    return pa.table({"name": pa.array(names, pa.string()), "family_key": pa.array(keys, pa.string())})
