"""Standardising records before Splink compares them (continuum.linkage.engine.prepare): plain Python, no database."""

from __future__ import annotations

import datetime

import pyarrow as pa
import pytest

from continuum.linkage.engine.prepare import PREPARED_SCHEMA, given_forms, standardise
from continuum.linkage.engine.records import RECORD_SCHEMA, empty_records


def records(*rows: dict) -> pa.Table:
    full = [{name: row.get(name) for name in RECORD_SCHEMA.names} for row in rows]
    return pa.Table.from_pylist(full, schema=RECORD_SCHEMA)


def one(**values: object) -> dict:
    return standardise(records({"record_id": "r1", "source": "police", **values})).to_pylist()[0]


def test_names_are_upper_case_without_accents_punctuation_or_stray_spaces() -> None:
    row = one(given_name="  zoë  anne ", family_name="o'brien-SMITH ")
    assert row["given_name"] == "ZOE ANNE"
    assert row["family_name"] == "OBRIEN SMITH"


def test_a_name_of_punctuation_only_is_missing() -> None:
    row = one(given_name=" - ", family_name="")
    assert row["given_name"] is None
    assert row["family_name"] is None
    assert row["given_forms"] is None
    assert row["family_key"] is None


def test_a_nickname_carries_the_full_names_it_is_short_for() -> None:
    row = one(given_name="Bill")
    assert "|WILLIAM|" in row["given_forms"]
    assert "|BILL|" in row["given_forms"]
    assert given_forms("bill") == given_forms("BILL")


def test_the_nickname_forms_come_from_the_first_given_name() -> None:
    assert "|WILLIAM|" in one(given_name="Bill James")["given_forms"]


def test_a_full_name_stands_for_itself() -> None:
    forms, canon = given_forms("Zofia")
    assert forms == "|ZOFIA|"
    assert canon == "ZOFIA"


def test_family_names_that_sound_alike_share_a_key() -> None:
    assert one(family_name="Smith")["family_key"] == one(family_name="Smyth")["family_key"]


def test_dates_of_birth_as_iso_text_with_the_swapped_date_and_day_number() -> None:
    row = one(date_of_birth=datetime.date(2013, 4, 7))
    assert row["dob"] == "2013-04-07"
    assert row["dob_swapped"] == "2013-07-04"
    assert row["dob_days"] == (datetime.date(2013, 4, 7) - datetime.date(1970, 1, 1)).days


@pytest.mark.parametrize("day", [datetime.date(2013, 4, 13), datetime.date(2013, 4, 4)])
def test_no_swapped_date_when_the_day_cannot_be_a_month_or_is_the_month(day: datetime.date) -> None:
    assert one(date_of_birth=day)["dob_swapped"] is None


def test_a_missing_date_of_birth_stays_missing() -> None:
    row = one(date_of_birth=None)
    assert (row["dob"], row["dob_swapped"], row["dob_days"]) == (None, None, None)


def test_postcodes_without_spaces_with_their_sector_and_district() -> None:
    row = one(postcode=" sf17 0yu")
    assert row["postcode"] == "SF170YU"
    assert row["postcode_sector"] == "SF170"
    assert row["postcode_district"] == "SF17"
    assert one(postcode="SF170YU")["postcode"] == row["postcode"]


def test_a_family_home_is_the_family_name_and_postcode_together() -> None:
    assert one(family_name="Smith", postcode="SF1 2AB")["home"] == "SMITH|SF12AB"
    assert one(family_name="Smith", postcode="")["home"] is None


def test_identifiers_are_normalised_and_blank_is_missing() -> None:
    row = one(nhs_number="999 123 4567", upn=" a123456789012 ", sex="f")
    assert row["nhs_number"] == "9991234567"
    assert row["upn"] == "A123456789012"
    assert row["sex"] == "F"
    blank = one(nhs_number="", upn="", sex="U")
    assert (blank["nhs_number"], blank["upn"], blank["sex"]) == (None, None, None)


def test_rows_keep_their_order_and_the_prepared_schema() -> None:
    table = records(*({"record_id": f"r{i}", "source": "list", "given_name": f"N{i}"} for i in range(50, 0, -1)))
    prepared = standardise(table)
    assert prepared.schema == PREPARED_SCHEMA
    assert prepared["record_id"].to_pylist() == table["record_id"].to_pylist()


def test_no_records_give_an_empty_table() -> None:
    assert standardise(empty_records()).num_rows == 0


def test_the_same_records_always_give_the_same_table() -> None:
    table = records(
        {"record_id": "a", "source": "x", "given_name": "Kate", "family_name": "Ó Súilleabháin", "postcode": "SF1 1AA"},
        {"record_id": "b", "source": "y", "given_name": "Katie", "date_of_birth": datetime.date(2010, 1, 2)},
    )
    assert standardise(table).equals(standardise(table))
