"""continuum.bulk: rows written a column at a time are stored as the ORM stores them, on SQLite and PostgreSQL.

Run on both databases (DATABASE_URL=postgres://... for PostgreSQL): the two write by different paths
(executemany; COPY and INSERT ... SELECT).
"""

from __future__ import annotations

import datetime
import os
import uuid

import pyarrow as pa
import pytest
from django.db import IntegrityError, connection, transaction

from continuum import bulk
from continuum.people.models import Address, Household, Person, Place, Relationship

BORN = datetime.date(2015, 3, 27)
PERSON_FIELDS = ["id", "given_name", "family_name", "date_of_birth", "dob_approximate", "sex", "household_id"]


@pytest.mark.parametrize("as_arrow", [False, True], ids=["rows", "arrow"])
def test_written_rows_are_stored_as_the_orm_stores_them(db, as_arrow):
    home = Household.objects.create(postcode="SF1 2AB")
    by_orm = Person.objects.create(
        given_name="Ava", family_name="Stone", date_of_birth=BORN, dob_approximate=True, sex="F", household=home
    )
    ids = [uuid.uuid4(), uuid.uuid4()]
    rows = [
        (ids[0], "Ava", "Stone", BORN, True, "F", home.pk),
        (ids[1], "Jo", "Stone", None, False, "M", None),
    ]
    data: bulk.Rows = rows
    if as_arrow:
        columns = list(zip(*rows, strict=True))
        data = pa.table(
            {
                "id": pa.array([str(i).upper() for i in columns[0]]),  # any spelling the UUID field reads
                "given_name": pa.array(columns[1]),
                "family_name": pa.array(columns[2]),
                "date_of_birth": pa.array(columns[3], pa.date32()),
                "dob_approximate": pa.array(columns[4]),
                "sex": pa.array(columns[5]),
                "household_id": pa.array([str(home.pk), None]),
            }
        )
    with transaction.atomic():
        assert bulk.insert(Person, data, fields=PERSON_FIELDS) == 2
    stored = Person.objects.get(pk=ids[0])
    assert (stored.given_name, stored.date_of_birth, stored.dob_approximate, stored.household_id) == (
        "Ava",
        BORN,
        True,
        home.pk,
    )
    other = Person.objects.get(pk=ids[1])
    assert (other.date_of_birth, other.household_id, other.ethnicity, other.middle_names) == (None, None, "NOBT", "")
    # Every column as the ORM stores it, but the name keys save() works out (left out here) and the times.
    keys = {"given_name_key", "family_name_key", "known_as_key", "search_key"}
    same = [f.column for f in Person._meta.concrete_fields if f.name not in keys | {"id", "created_at", "updated_at"}]
    assert dict(zip(same, _raw_columns(Person, ids[0], same), strict=True)) == dict(
        zip(same, _raw_columns(Person, by_orm.pk, same), strict=True)
    )


def _raw_columns(model, pk, columns: list[str]) -> tuple:  # type: ignore[no-untyped-def]
    table, quoted = connection.ops.quote_name(model._meta.db_table), ", ".join(map(connection.ops.quote_name, columns))
    with connection.cursor() as cursor:
        pk_value = model._meta.pk.get_db_prep_value(pk, connection)
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [pk_value])  # noqa: S608
        return tuple(cursor.fetchone())


def test_numbers_and_text_from_arrow_are_stored_as_python_values_would_be(db):
    ids = [uuid.uuid4(), uuid.uuid4()]
    table = pa.table(
        {
            "id": pa.array([i.hex for i in ids]),  # 32 digits, no hyphens: read by the field itself
            "kind": pa.array(["school", "park"]),
            "name": pa.array(["Oak Primary", "Rec"]),
            "x": pa.array([100.5, -2.25]),
            "y": pa.array([200.0, 0.0]),
        }
    )
    with transaction.atomic():
        bulk.insert(Place, table, fields=["id", "kind", "name", "x", "y"])
    assert sorted(Place.objects.values_list("name", "x", "y", "locality")) == [
        ("Oak Primary", 100.5, 200.0, ""),
        ("Rec", -2.25, 0.0, ""),
    ]
    assert set(Place.objects.values_list("id", flat=True)) == set(ids)


def _people(count: int) -> list[Person]:
    return [Person.objects.create(given_name=f"P{n}", family_name="Stone") for n in range(count)]


def _updated_rows(model) -> set:  # type: ignore[no-untyped-def]
    """The ids of rows rewritten since _mark: a row's ctid moves on PostgreSQL; a trigger counts on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, ctid::text FROM {model._meta.db_table}")  # noqa: S608
            now = dict(cursor.fetchall())
        return {pk for pk, where in now.items() if pk in _mark and _mark[pk] != where}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM temp.rewritten")
        return {row[0] for row in cursor.fetchall()}


_mark: dict = {}


def _watch(model) -> None:  # type: ignore[no-untyped-def]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT id, ctid::text FROM {table}")  # noqa: S608
            _mark.clear()
            _mark.update(dict(cursor.fetchall()))
            return
        cursor.execute("CREATE TEMP TABLE rewritten (id)")
        cursor.execute(
            f"CREATE TEMP TRIGGER rewrite AFTER UPDATE ON {table} BEGIN INSERT INTO rewritten VALUES (new.id); END"  # noqa: S608
        )


def test_an_upsert_leaves_unchanged_rows_alone_and_updates_the_changed(db):
    places = [(uuid.uuid4(), "school", f"School {n}", 1.0, 2.0) for n in range(5)]
    fields = ["id", "kind", "name", "x", "y"]
    with transaction.atomic():
        bulk.upsert(Place, places, fields=fields, unique=["id"], update=["kind", "name", "x", "y"])
    _watch(Place)
    again = [*places[:4], (places[4][0], "park", "Renamed", 1.0, 2.0), (uuid.uuid4(), "park", "New", 0.0, 0.0)]
    with transaction.atomic():
        assert bulk.upsert(Place, again, fields=fields, unique=["id"], update=["kind", "name", "x", "y"]) == 6
    rewritten = _updated_rows(Place)
    assert {str(pk).replace("-", "") for pk in rewritten} == {places[4][0].hex}
    assert Place.objects.get(pk=places[4][0]).name == "Renamed" and Place.objects.count() == 6


def test_left_out_fields_take_their_defaults_a_new_uuid_per_row(db):
    people = _people(2)
    rows = [(people[0].pk, people[1].pk, "sibling", "school record"), (people[1].pk, people[0].pk, "sibling", "x")]
    with transaction.atomic():
        bulk.insert(Relationship, rows, fields=["from_person_id", "to_person_id", "kind", "source"])
    made = list(Relationship.objects.all())
    assert len({r.pk for r in made}) == 2 and {r.confidence for r in made} == {"reported"}
    with transaction.atomic():
        bulk.insert(Person, [("Ava", "Stone")], fields=["given_name", "family_name"])
    ava = Person.objects.get(given_name="Ava")
    assert (ava.sex, ava.ethnicity, ava.known_as) == ("U", "NOBT", "")
    assert ava.created_at is not None and abs((ava.created_at - people[0].created_at).total_seconds()) < 60


def test_a_row_of_the_wrong_width_an_unknown_field_or_a_table_with_other_columns_is_refused(db):
    with pytest.raises(ValueError, match="a row has 1 values for 2 fields"):
        bulk.insert(Household, [("SF1 2AB",)], fields=["postcode", "town"])
    with pytest.raises(ValueError, match="Household has no column colour"):
        bulk.insert(Household, [("red",)], fields=["colour"])
    with pytest.raises(ValueError, match="are not the fields"):
        bulk.insert(Household, pa.table({"town": ["Shireford"]}), fields=["postcode"])
    with pytest.raises(ValueError, match="upsert needs"):
        bulk.upsert(Household, [], fields=["postcode"], unique=[], update=[])


def test_delete_removes_rows_by_a_column_and_lets_the_orm_do_what_follows(db):
    ava, jo = _people(2)
    for person in (ava, ava, jo):
        Address.objects.create(person=person, address_line="1 Oak Road", postcode="SF1 2AB")
    with transaction.atomic():
        assert bulk.delete(Address, [ava.pk], field="person_id") == 2  # nothing refers to an address: one statement
    assert list(Address.objects.values_list("person_id", flat=True)) == [jo.pk]
    home = Household.objects.create(postcode="SF1 2AB")
    Person.objects.filter(pk=jo.pk).update(household=home)
    with transaction.atomic():
        assert bulk.delete(Household, pa.array([str(home.pk), None]), field="id") == 1  # people refer to it
    assert Person.objects.get(pk=jo.pk).household_id is None  # the ORM's SET_NULL
    assert bulk.delete(Household, [], field="id") == 0


def test_writing_refuses_a_broken_reference_inside_a_transaction(db):
    nobody = uuid.uuid4()
    with pytest.raises(IntegrityError), bulk.writing():
        bulk.insert(Address, [(nobody, "1 Oak Road", "SF1 2AB")], fields=["person_id", "address_line", "postcode"])
    assert not Address.objects.exists()


# Only SQLite stops checking at every row, and only outside a transaction: so this test runs outside the test's
# own. (On PostgreSQL the audit trail, being append-only, refuses the flush that would follow.)
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's way of checking")
@pytest.mark.django_db(transaction=True)
def test_writing_checks_references_once_at_the_end_and_saves_nothing_when_one_is_broken():
    ava = Person.objects.create(given_name="Ava", family_name="Stone")
    fields = ["person_id", "address_line", "postcode"]
    with pytest.raises(IntegrityError), bulk.writing():
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone() == (0,)
        bulk.insert(Address, [(ava.pk, "1 Oak Road", "SF1 2AB")], fields=fields)
        bulk.insert(Address, [(uuid.uuid4(), "2 Oak Road", "SF1 2AB")], fields=fields)
    assert not Address.objects.exists()
    with pytest.raises(IntegrityError), bulk.writing():  # the ORM's writes inside are checked as well
        Address.objects.create(person_id=uuid.uuid4(), address_line="3 Oak Road", postcode="SF1 2AB")
    with pytest.raises(IntegrityError), bulk.writing():
        bulk.insert(Address, [(ava.pk, "1 Oak Road", "SF1 2AB")], fields=fields)
        Person.objects.filter(pk=ava.pk)._raw_delete(connection.alias)  # leaving her address behind
    assert not Address.objects.exists() and Person.objects.filter(pk=ava.pk).exists()
    with bulk.writing():
        bulk.insert(Address, [(ava.pk, "1 Oak Road", "SF1 2AB")], fields=fields)
    assert Address.objects.count() == 1
    with connection.cursor() as cursor:  # checking at every row, and the usual cache, are back
        assert cursor.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert cursor.execute("PRAGMA cache_size").fetchone()[0] != -bulk.CACHE_KIB


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's way of indexing")
def test_an_empty_sqlite_table_gets_its_indexes_made_again_after_a_big_insert(db, monkeypatch):
    monkeypatch.setattr(bulk, "REINDEX_ROWS", 3)

    def indexes() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people_address'")
            return sorted(cursor.fetchall())

    before = indexes()
    statements: list[str] = []
    people = _people(2)
    rows = [(people[n % 2].pk, f"{n} Oak Road", "SF1 2AB") for n in range(3)]
    with connection.execute_wrapper(lambda run, sql, *rest: statements.append(sql) or run(sql, *rest)):
        with transaction.atomic():
            bulk.insert(Address, rows, fields=["person_id", "address_line", "postcode"])
        with transaction.atomic():  # not empty now: rows go into the indexes as they are
            bulk.insert(Address, rows, fields=["person_id", "address_line", "postcode"])
    dropped = [sql for sql in statements if sql.startswith("DROP INDEX")]
    assert len(dropped) == len([name for name, sql in before if sql]) == 2
    assert indexes() == before and Address.objects.count() == 6
    assert Address.objects.filter(postcode="SF1 2AB", person=people[0]).count() == 4  # the indexes find them


def test_json_text_is_stored_as_the_json_it_holds_and_other_values_as_the_field_encodes_them(db):
    from django.utils import timezone

    from continuum.signals.models import FeedLoad

    now = timezone.now()
    fields = ["id", "feed", "started_at", "finished_at", "loaded_by_name", "files"]
    ids = [uuid.uuid4(), uuid.uuid4(), uuid.uuid4()]
    rows = [
        (ids[0], "police", now, now, "test", bulk.JsonText('[["2026-09-07", 10, 9, 1, 0]]')),
        (ids[1], "police", now, now, "test", [{"name": "police.csv"}]),
        (ids[2], "police", now, now, "test", "[1, 2]"),  # plain text is a JSON string, as the ORM stores it
    ]
    with transaction.atomic():
        bulk.insert(FeedLoad, rows, fields=fields)
    stored = dict(FeedLoad.objects.filter(pk__in=ids).values_list("id", "files"))
    assert stored[ids[0]] == [["2026-09-07", 10, 9, 1, 0]]
    assert stored[ids[1]] == [{"name": "police.csv"}]
    assert stored[ids[2]] == "[1, 2]"
