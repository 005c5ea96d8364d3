"""Loading a county snapshot (the synthetic county, or a council's first migration) into the operational store.

A snapshot is a folder of tables, each as Parquet or CSV: agencies, teams, practitioners, places,
households, people, addresses, household_members, relationships, involvements, allocations
(columns in docs/county-format.md). Every row is checked before anything is written; any problem
stops the load with the file, line and field named, and nothing is saved. Loading the same snapshot
again changes nothing: rows are matched on their ids.
"""

from __future__ import annotations

import csv
import datetime
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import models, transaction

from continuum import vocabulary as v
from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner, Team
from continuum.audit.models import AuditAction
from continuum.audit.services import SystemActor, audit_record
from continuum.people.identifiers import (
    nhs_number_problem,
    postcode_is_valid,
    postcode_normalise,
    upn_problem,
)
from continuum.people.models import Address, Household, HouseholdMember, Person, Place, Relationship, name_key

MAX_ERRORS = 50
BATCH = 500
_NAME_KEYS = {"given_name_key", "family_name_key", "known_as_key"}


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    field: str
    why: str

    def __str__(self) -> str:
        # CSV files count lines (the header is line 1); Parquet files count rows.
        where = f"row {self.line}" if self.file.endswith(".parquet") else f"line {self.line}"
        return f"{self.file}, {where}, field {self.field}: {self.why}"


class LoadFailed(Exception):
    """The snapshot has problems; nothing was written."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        more = " (stopped after the first {MAX_ERRORS})" if len(errors) >= MAX_ERRORS else ""
        super().__init__(f"{len(errors)} problem(s) found{more}; nothing was loaded:\n" + "\n".join(map(str, errors)))


# A column: how to read one cell. Returns the value or raises ValueError with the reason.
Reader = Callable[[Any], Any]


def _text(max_length: int, required: bool = True) -> Reader:
    def read(value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if required and not text:
            raise ValueError("is required")
        if len(text) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return text

    return read


def _uuid(required: bool = True) -> Reader:
    def read(value: Any) -> uuid.UUID | None:
        if value is None or str(value).strip() == "":
            if required:
                raise ValueError("is required")
            return None
        try:
            return uuid.UUID(str(value).strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a UUID") from None

    return read


def _date(required: bool = True, past: bool = False) -> Reader:
    def read(value: Any) -> datetime.date | None:
        if value is None or str(value).strip() == "":
            if required:
                raise ValueError("is required")
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            try:
                value = datetime.date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
        if past and value > datetime.date.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    return read


def _code(code_list: v.Codes, required: bool = True) -> Reader:
    allowed = v.codes(code_list)

    def read(value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text and not required:
            return ""
        if text not in allowed:
            raise ValueError(f"{text!r} is not one of {', '.join(sorted(allowed))}")
        return text

    return read


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in {"true", "1", "yes", "y"}:
        return True
    if text in {"false", "0", "no", "n", ""}:
        return False
    raise ValueError(f"{value!r} is not true or false")


def _number(kind: type, required: bool = False) -> Reader:
    def read(value: Any) -> Any:
        if value is None or str(value).strip() == "" or (isinstance(value, float) and value != value):
            if required:
                raise ValueError("is required")
            return None
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None

    return read


def _checked(reader: Reader, problem: Callable[[str], str | None]) -> Reader:
    def read(value: Any) -> str:
        text = reader(value)
        if text and (why := problem(text)):
            raise ValueError(why)
        return text

    return read


def _postcode(required: bool = True) -> Reader:
    def read(value: Any) -> str:
        text = _text(20, required)(value)
        if text and not postcode_is_valid(text):
            raise ValueError(f"{text!r} is not a UK postcode")
        return postcode_normalise(text)

    return read


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    columns: dict[str, Reader]
    renames: dict[str, str]  # file column -> model field
    references: dict[str, str]  # column -> table whose ids it must match (or be empty)
    replace_by: str | None = None  # child tables replaced per parent id instead of matched on id


TABLES: tuple[Table, ...] = (
    Table(
        "places",
        Place,
        {
            "place_id": _uuid(),
            "kind": _code(v.PLACE_KIND),
            "name": _text(200),
            "locality": _text(100, False),
            "postcode": _postcode(False),
            "x": _number(float),
            "y": _number(float),
        },
        {"place_id": "id"},
        {},
    ),
    Table(
        "agencies",
        Agency,
        {
            "agency_id": _uuid(),
            "name": _text(200),
            "kind": _code(v.AGENCY_KIND),
            "locality": _text(100, False),
            "school_phase": _code(v.SCHOOL_PHASE, False),
            "urn": _text(6, False),
            "place_id": _uuid(False),
        },
        {"agency_id": "id"},
        {"place_id": "places"},
    ),
    Table(
        "teams",
        Team,
        {"team_id": _uuid(), "agency_id": _uuid(), "name": _text(200), "locality": _text(100, False)},
        {"team_id": "id"},
        {"agency_id": "agencies"},
    ),
    Table(
        "practitioners",
        Practitioner,
        {
            "practitioner_id": _uuid(),
            "given_name": _text(100),
            "family_name": _text(100),
            "email": _text(254, False),
            "role": _code(v.ROLE),
            "agency_id": _uuid(),
            "team_id": _uuid(False),
            "caseload_capacity": _number(int),
        },
        {"practitioner_id": "id"},
        {"agency_id": "agencies", "team_id": "teams"},
    ),
    Table(
        "households",
        Household,
        {
            "household_id": _uuid(),
            "structure": _code(v.HOUSEHOLD_STRUCTURE, False),
            "address_line": _text(200, False),
            "town": _text(100, False),
            "locality": _text(100, False),
            "postcode": _postcode(False),
        },
        {"household_id": "id"},
        {},
    ),
    Table(
        "people",
        Person,
        {
            "person_id": _uuid(),
            "given_name": _text(100),
            "middle_names": _text(200, False),
            "family_name": _text(100),
            "known_as": _text(100, False),
            "date_of_birth": _date(required=False, past=True),
            "dob_approximate": _bool,
            "sex": _code(v.SEX),
            "ethnicity": _code(v.ETHNICITY),
            "first_language": _code(v.LANGUAGE, False),
            "nhs_number": _checked(_text(10, False), nhs_number_problem),
            "upn": _checked(_text(13, False), upn_problem),
            "send_status": _code(v.SEND_STATUS, False),
            "household_id": _uuid(False),
        },
        {"person_id": "id"},
        {"household_id": "households"},
    ),
    Table(
        "addresses",
        Address,
        {
            "person_id": _uuid(),
            "address_line": _text(200),
            "town": _text(100, False),
            "postcode": _postcode(),
            "start_date": _date(False),
            "end_date": _date(False),
        },
        {},
        {"person_id": "people"},
        replace_by="person_id",
    ),
    Table(
        "household_members",
        HouseholdMember,
        {
            "household_id": _uuid(),
            "person_id": _uuid(),
            "household_role": _code(v.HOUSEHOLD_ROLE),
            "start_date": _date(False),
            "end_date": _date(False),
        },
        {},
        {"household_id": "households", "person_id": "people"},
        replace_by="person_id",
    ),
    Table(
        "relationships",
        Relationship,
        {
            "relationship_id": _uuid(),
            "from_person_id": _uuid(),
            "to_person_id": _uuid(),
            "kind": _code(v.RELATIONSHIP_KIND),
            "start_date": _date(False),
            "end_date": _date(False),
            "source": _text(100),
            "confidence": _code(v.CONFIDENCE),
        },
        {"relationship_id": "id"},
        {"from_person_id": "people", "to_person_id": "people"},
    ),
    Table(
        "involvements",
        Involvement,
        {
            "involvement_id": _uuid(),
            "person_id": _uuid(),
            "agency_id": _uuid(),
            "kind": _code(v.INVOLVEMENT_KIND),
            "start_date": _date(),
            "end_date": _date(False),
            "team_id": _uuid(False),
            "lead_practitioner_id": _uuid(False),
        },
        {"involvement_id": "id"},
        {
            "person_id": "people",
            "agency_id": "agencies",
            "team_id": "teams",
            "lead_practitioner_id": "practitioners",
        },
    ),
    Table(
        "allocations",
        Allocation,
        {
            "allocation_id": _uuid(),
            "person_id": _uuid(),
            "practitioner_id": _uuid(),
            "kind": _code(v.ALLOCATION_KIND),
            "start_date": _date(),
            "end_date": _date(False),
        },
        {"allocation_id": "id"},
        {"person_id": "people", "practitioner_id": "practitioners"},
    ),
)

_ROW_CHECKS: dict[str, Callable[[dict[str, Any]], tuple[str, str] | None]] = {
    "relationships": lambda r: (
        ("to_person_id", "a person cannot be related to themselves")
        if r["from_person_id"] == r["to_person_id"]
        else None
    ),
}


def _ends_before_start(row: dict[str, Any]) -> tuple[str, str] | None:
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        return "end_date", f"{end.isoformat()} is before the start date {start.isoformat()}"
    return None


def _find(directory: Path, name: str) -> Path | None:
    for suffix in (".parquet", ".csv"):
        path = directory / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def _rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """Column names and (line, row) pairs. CSV lines count the header as line 1; Parquet rows count from 1."""
    if path.suffix == ".csv":
        handle = path.open(newline="", encoding="utf-8-sig")
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])

        def csv_rows() -> Iterator[tuple[int, dict[str, Any]]]:
            with handle:
                for row in reader:
                    yield reader.line_num, row

        return columns, csv_rows()
    table = pq.read_table(path)
    return table.column_names, ((i + 1, row) for i, row in enumerate(table.to_pylist()))


@dataclass
class LoadReport:
    counts: dict[str, int]  # rows loaded, by table


def county_load(
    directory: Path, *, actor: Any = None, progress: Callable[[str, int, int], None] | None = None
) -> LoadReport:
    """Check every table in the snapshot, then write them all in one transaction (or raise LoadFailed)."""
    directory = Path(directory)
    errors: list[LoadError] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, set[uuid.UUID]] = {}
    for table in TABLES:
        path = _find(directory, table.name)
        if path is None:
            errors.append(LoadError(f"{table.name}.parquet or .csv", 0, "-", "the file is missing"))
            continue
        parsed[table.name], table_errors = _parse(table, path, ids)
        errors.extend(table_errors)
        if progress:
            progress(f"checked {table.name}", TABLES.index(table) + 1, len(TABLES) * 2)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise LoadFailed(errors[:MAX_ERRORS])

    counts: dict[str, int] = {}
    with transaction.atomic():
        for i, table in enumerate(TABLES):
            counts[table.name] = _write(table, parsed[table.name])
            if progress:
                progress(f"loaded {table.name}", len(TABLES) + i + 1, len(TABLES) * 2)
        audit_record(
            actor=actor or SystemActor(),
            action=AuditAction.IMPORT,
            object_type="county_snapshot",
            object_id=directory.name,
            purpose="County snapshot load",
            detail={"directory": str(directory), "counts": counts},
        )
    return LoadReport(counts=counts)


def _parse(table: Table, path: Path, ids: dict[str, set[uuid.UUID]]) -> tuple[list[dict[str, Any]], list[LoadError]]:
    errors: list[LoadError] = []
    columns, rows = _rows(path)
    missing = [c for c in table.columns if c not in columns]
    if missing:
        return [], [LoadError(path.name, 1, c, "this column is missing") for c in missing]
    key = next((c for c, f in table.renames.items() if f == "id"), None)
    seen: set[uuid.UUID] = set()
    out = []
    for line, raw in rows:
        row: dict[str, Any] = {}
        for column, read in table.columns.items():
            try:
                row[column] = read(raw.get(column))
            except ValueError as exc:
                errors.append(LoadError(path.name, line, column, str(exc)))
        if key and row.get(key) is not None:
            # Known even when another cell of the row is wrong, so references to it do not fail too.
            if row[key] in seen:
                errors.append(LoadError(path.name, line, key, f"{row[key]} appears more than once"))
            seen.add(row[key])
        if len(row) == len(table.columns):
            for column, target in table.references.items():
                if row[column] is not None and row[column] not in ids.get(target, set()):
                    errors.append(LoadError(path.name, line, column, f"{row[column]} is not in {target}"))
            for check in (_ends_before_start, _ROW_CHECKS.get(table.name)):
                if check and (problem := check(row)):
                    errors.append(LoadError(path.name, line, *problem))
        out.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    ids[table.name] = seen
    return out, errors


def _instance(table: Table, row: dict[str, Any]) -> models.Model:
    fields = {}
    for column, value in row.items():
        name = table.renames.get(column, column)
        blank_text = value is None and name != "id" and not name.endswith("_id") and _is_text(table.model, name)
        fields[name] = "" if blank_text else value
    obj = table.model(**fields)
    if isinstance(obj, Person):
        obj.given_name_key = name_key(obj.given_name)
        obj.family_name_key = name_key(obj.family_name)
        obj.known_as_key = name_key(obj.known_as)
    return obj


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.CharField | models.TextField)


def _write(table: Table, rows: list[dict[str, Any]]) -> int:
    objects = [_instance(table, row) for row in rows]
    manager = table.model._default_manager
    if table.replace_by:
        parents = sorted({row[table.replace_by] for row in rows})
        for start in range(0, len(parents), BATCH):
            manager.filter(**{f"{table.replace_by}__in": parents[start : start + BATCH]}).delete()
        manager.bulk_create(objects, batch_size=BATCH)
        return len(objects)
    update = [
        f.attname
        for f in table.model._meta.concrete_fields
        if not f.primary_key and f.attname in {table.renames.get(c, c) for c in table.columns} | _NAME_KEYS
    ]
    manager.bulk_create(objects, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=update)
    return len(objects)
