"""The table checker's readers on their own: what each cell reader takes and what it refuses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from continuum import tables as t


def why(reader: t.Reader, value: object) -> str:
    with pytest.raises(ValueError, match=r".") as caught:
        reader(value)
    return str(caught.value)


@pytest.mark.parametrize(
    "address",
    [
        "pat@example.org",
        "Pat.Lee@Example.ORG",
        "pat.o'neil+eh@example.org",
        "a!#$%&'*+/=?^_`{|}~-@example.org",
        "pat@localhost",  # WHATWG needs no dot in the domain
        "pat@x-1.example.org",
        f"pat@{'a' * 63}.org",
    ],
)
def test_email_takes_what_the_whatwg_definition_calls_valid(address):
    assert t.email()(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "pat",
        "pat@",
        "@example.org",
        "pat@@example.org",
        "pat lee@example.org",
        '"pat lee"@example.org',
        "pat@example..org",
        "pat@.example.org",
        "pat@example.org.",
        "pat@-example.org",
        "pat@example-.org",
        "pat@exa_mple.org",
        "pat@[192.0.2.1]",
        "pat@exämple.org",
        "pät@example.org",
        "<pat@example.org>",
        "pat@example.org, jo@example.org",
        "pat@example.org (Pat)",
        f"pat@{'a' * 64}.org",
    ],
)
def test_email_refuses_what_the_whatwg_definition_does_not_allow(address):
    assert why(t.email(), address).endswith("is not an email address")


def test_email_is_optional_by_default_and_no_longer_than_djangos_email_field():
    assert t.email()("") == "" and t.email()(None) == ""
    assert why(t.email(required=True), "") == "is required"
    assert why(t.email(), "a" * 64 + "@" + ".".join(["b" * 60] * 4)) == "is longer than 254 characters"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("+12", 12), (" 12 ", 12), ("12.0", 12), (12, 12), (12.0, 12), (Decimal("12"), 12), ("0", 0)],
)
def test_a_whole_number_may_be_written_as_one(value, expected):
    assert t.number(int, minimum=0, maximum=32767)(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("12.5", "'12.5' is not a whole number"),
        (12.5, "12.5 is not a whole number"),
        ("-1", "'-1' is not between 0 and 32767"),
        ("32768", "'32768' is not between 0 and 32767"),
        (40000, "40000 is not between 0 and 32767"),
        ("1e999999999", "'1e999999999' is not between 0 and 32767"),
        ("1_000", "'1_000' is not a number"),
        ("١٢", "'١٢' is not a number"),
        ("nan", "'nan' is not a number"),
        ("inf", "'inf' is not a number"),
        (float("inf"), "inf is not a finite number"),
        (True, "True is not a number"),
        ("12 children", "'12 children' is not a number"),
    ],
)
def test_a_bounded_whole_number_refuses_fractions_and_numbers_out_of_range(value, problem):
    assert why(t.number(int, minimum=0, maximum=32767), value) == problem


def test_unbounded_numbers_still_refuse_what_no_column_holds():
    assert why(t.number(int), "9" * 30) == f"'{'9' * 30}' is too large"
    assert why(t.number(int), "1e999999999") == "'1e999999999' is too large"
    assert why(t.number(float), "1e999") == "'1e999' is too large"
    assert why(t.number(int, minimum=1), "0") == "'0' is less than 1"
    assert why(t.number(int, maximum=9), "10") == "'10' is more than 9"
    assert t.number(float)("100.5") == 100.5 and t.number(float)("-.5e2") == -50.0
    assert t.number(float)(float("nan")) is None and t.number(int)(" ") is None


@pytest.mark.parametrize(
    "value",
    [
        "2012-W10-3",
        "2012W103",
        "20120310",
        "2012-W10",
        "2012-03-10T00:00",
        "2012-03-10 00:00",
        "2012-3-10",
        "١٢٣٤-03-10",
    ],
)
def test_a_date_is_only_ever_yyyy_mm_dd(value):
    assert why(t.date(), value) == f"{value!r} is not a date in the form YYYY-MM-DD"


def test_a_date_column_or_timestamp_column_is_a_date():
    assert t.date()(" 2012-03-10 ") == datetime.date(2012, 3, 10)
    assert t.date()(datetime.date(2012, 3, 10)) == datetime.date(2012, 3, 10)
    assert t.date()(datetime.datetime(2012, 3, 10, 13, 5)) == datetime.date(2012, 3, 10)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Ava\x00", "U+0000 NUL"),
        ("A\x00va", "U+0000 NUL"),
        ("Ava\x1b[2J", "U+001B escape"),
        ("Av\ta", "U+0009 tab"),
        ("Ava\nMay", "U+000A line feed"),
        ("Ava\rMay", "U+000D carriage return"),
        ("\x1fAva", "U+001F"),
        ("Ava\x7f", "U+007F"),
        ("Ava\x85", "U+0085"),
    ],
)
def test_text_refuses_control_characters(value, problem):
    assert why(t.text(100), value) == f"contains a control character ({problem})"


def test_text_trims_tabs_and_line_breaks_at_the_ends_and_multiline_text_keeps_them_inside():
    assert t.text(100)("\tAva \r\n") == "Ava"
    notes = t.text(1000, multiline=True)
    assert notes("Seen at home.\r\nMum\tpresent.\n") == "Seen at home.\r\nMum\tpresent."
    assert why(notes, "Seen\x00") == "contains a control character (U+0000 NUL)"
    assert why(notes, "Seen\x0b") == "contains a control character (U+000B)"


@pytest.mark.parametrize(
    "reader",
    [t.uuid_(), t.date(), t.code(t.v.SEX), t.postcode(), t.email(), t.number(int), t.boolean],
)
@pytest.mark.parametrize("value", ["F\x00", "\x1c2012-03-10", "1\x85", "\x00"])
def test_every_reader_refuses_a_control_character_even_one_str_strip_would_remove(reader, value):
    assert why(reader, value).startswith("contains a control character (U+00")


def test_a_missing_value_in_a_parquet_float_column_is_empty_not_the_text_nan():
    assert t.text(10, False)(float("nan")) == "" and t.uuid_(False)(float("nan")) is None
    assert t.date(False)(float("nan")) is None and t.code(t.v.SEX, False)(float("nan")) == ""


@pytest.mark.parametrize(
    "value", ["{00000000-0000-4000-8000-000000000001}", "urn:uuid:00000000-0000-4000-8000-000000000001", "0_" * 16]
)
def test_a_uuid_is_written_8_4_4_4_12(value):
    assert why(t.uuid_(), value).endswith("is not a UUID")


def test_a_long_cell_is_quoted_short_in_a_message():
    problem = why(t.uuid_(), "x" * 200_000)
    assert len(problem) < 100 and problem.endswith("...' is not a UUID")


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_a_non_utf8_byte_is_found_on_the_line_the_csv_module_counts(tmp_path, end):
    from continuum.tables import not_utf8

    path = tmp_path / "people.csv"
    path.write_bytes(end.join([b"id,name", b"1,Amy", b'2,"two', b'lines"', b"3,Zo\xeb", b"4,Ben"]) + end)
    bad = not_utf8(path)
    assert bad is not None and bad.line == 5 and "0xEB" in bad.why
    path.write_bytes(end.join([b"id,name", b"1,Zo\xc3\xab"]))
    assert not_utf8(path) is None
