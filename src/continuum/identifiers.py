"""National identifiers and their check characters.

Plain Python with no Django imports, so the synthetic generator, loaders and analytics can use it.

- NHS number: ten digits, the last a modulus-11 check digit over the first nine (weights 10..2).
- Unique Pupil Number (UPN, DfE): thirteen characters, a check letter followed by twelve characters
  (LA code, establishment number, year, serial); the check letter is the sum of characters 2-13
  weighted 2..13, modulo 23, read from the 23-letter alphabet without I, O and S. A temporary UPN
  carries a letter in position 13, valued by its place in the same alphabet.
"""

from __future__ import annotations

import re
import uuid

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """Check digit for nine leading digits, or None where no valid NHS number can end them."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NHS number check digit needs exactly nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_normalise(value: str) -> str:
    """Strip the spaces and hyphens people type inside an NHS number."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_problem(value: str) -> str | None:
    """Why a value is not a valid NHS number, or None when it is."""
    digits = nhs_number_normalise(value)
    if len(digits) != 10 or not digits.isdigit():
        return "an NHS number has exactly 10 digits"
    expected = nhs_number_check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        return "the check digit (the 10th digit) does not match - check the number for a typing error"
    return None


def nhs_number_is_valid(value: str) -> bool:
    return nhs_number_problem(value) is None


def upn_check_letter(last_twelve: str) -> str:
    """Check letter for characters 2-13 of a UPN."""
    body = last_twelve.upper()
    if len(body) != 12 or not body[:11].isdigit() or not (body[11].isdigit() or body[11] in UPN_ALPHABET):
        raise ValueError("a UPN body is eleven digits then a digit or a letter")
    values = [int(c) for c in body[:11]]
    values.append(int(body[11]) if body[11].isdigit() else UPN_ALPHABET.index(body[11]))
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return UPN_ALPHABET[total % 23]


def upn_problem(value: str) -> str | None:
    """Why a value is not a valid UPN, or None when it is."""
    upn = (value or "").strip().upper()
    if len(upn) != 13:
        return "a UPN has exactly 13 characters"
    try:
        expected = upn_check_letter(upn[1:])
    except ValueError:
        return "after the check letter a UPN has eleven digits and then a digit or a letter"
    if upn[0] != expected:
        return "the check letter (the first character) does not match - check the UPN for a typing error"
    return None


def upn_is_valid(value: str) -> bool:
    return upn_problem(value) is None


def postcode_normalise(value: str) -> str:
    """Upper case with one space before the inward code ('sf1 2ab' -> 'SF1 2AB'); unchanged if not a postcode."""
    compact = re.sub(r"\s", "", (value or "").upper())
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else (value or "").strip().upper()


def postcode_is_valid(value: str) -> bool:
    return bool(_POSTCODE.match(re.sub(r"\s", "", (value or "").upper())))


def record_id(value: object) -> uuid.UUID | None:
    """A record's reference (a UUID) as it arrived in a form or an address, or None if it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
