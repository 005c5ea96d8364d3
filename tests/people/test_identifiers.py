"""NHS numbers and UPNs, checked against worked examples computed by hand."""

from __future__ import annotations

import pytest

from continuum.identifiers import (
    nhs_number_check_digit,
    nhs_number_is_valid,
    nhs_number_problem,
    postcode_is_valid,
    postcode_normalise,
    upn_check_letter,
    upn_is_valid,
    upn_problem,
)


def test_nhs_number_worked_example():
    # 9 4 3 4 7 6 5 9 1 weighted 10..2: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
    assert nhs_number_check_digit("943476591") == 9
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("943 476 5919")


def test_nhs_number_whose_check_would_be_ten_is_never_valid():
    # 1 0 0 0 0 0 0 0 1 weighted 10..2: 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no digit can hold.
    assert nhs_number_check_digit("100000001") is None
    assert all(not nhs_number_is_valid(f"100000001{d}") for d in range(10))


def test_nhs_number_check_of_eleven_becomes_zero():
    # 000000000: total 0, 11 - 0 = 11 -> 0.
    assert nhs_number_check_digit("000000000") == 0


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("9434765918", "check digit"),
        ("943476591", "exactly 10 digits"),
        ("94347659190", "exactly 10 digits"),
        ("943476591X", "exactly 10 digits"),
    ],
)
def test_invalid_nhs_numbers_say_why(value, why):
    assert why in nhs_number_problem(value)


def test_upn_worked_example():
    # Body 8 0 1 2 0 0 0 0 1 0 0 1 weighted 2..13: 16+0+4+10+0+0+0+0+10+0+0+13 = 53; 53 mod 23 = 7 -> H.
    assert upn_check_letter("801200001001") == "H"
    assert upn_is_valid("H801200001001")
    assert upn_is_valid("h801200001001")


def test_temporary_upn_with_a_letter_in_the_last_place():
    # 9 9 9 0 0 0 1 2 6 0 0 then A (value 0): 18+27+36+0+0+0+8+18+60+0+0+0 = 167; 167 mod 23 = 6 -> G.
    assert upn_check_letter("99900012600A") == "G"
    assert upn_is_valid("G99900012600A")


@pytest.mark.parametrize(
    ("value", "why"),
    [("A801200001001", "check letter"), ("H80120000100", "exactly 13"), ("H8012000010X1", "eleven digits")],
)
def test_invalid_upns_say_why(value, why):
    assert why in upn_problem(value)


def test_postcodes_are_normalised_and_checked():
    assert postcode_normalise(" sf1 2ab") == "SF1 2AB"
    assert postcode_normalise("SF12AB") == "SF1 2AB"
    assert postcode_is_valid("SF10 3QJ") and not postcode_is_valid("SF1")
