"""Small agency feed files for the loader's tests, written as a council would send them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from continuum.identifiers import nhs_number_check_digit, upn_check_letter

POLICE = [
    "incident_ref",
    "person_ref",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "occurred_on",
    "incident_type",
    "role",
    "offence_group",
    "arrested",
    "outcome",
    "da_notification",
]
HEALTH = [
    "attendance_ref",
    "person_ref",
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "site",
    "arrived_at",
    "arrival_mode",
    "diagnosis_group",
    "self_harm",
]
ATTENDANCE = ["upn", "given_name", "family_name", "date_of_birth", "school_urn", "date", "session", "code"]
HEADER_903 = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES_903 = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
OC2_903 = [
    "CHILD",
    "DOB",
    "SDQ_SCORE",
    "SDQ_REASON",
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
]


def upn(n: int) -> str:
    """A valid UPN (its check letter right)."""
    body = f"{820000000000 + n:012d}"[:11] + str(n % 10)
    return upn_check_letter(body) + body


def bad_upn(n: int) -> str:
    """A UPN whose check letter is wrong: a warning, and not usable for linkage."""
    good = upn(n)
    return ("A" if good[0] != "A" else "B") + good[1:]


def nhs_number(n: int) -> str:
    """A valid NHS number in the 999 range the NHS keeps for testing."""
    for i in range(n, n + 1000):
        first_nine = f"999{i:06d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
    raise ValueError(n)


def write(path: Path, header: Sequence[str], rows: Sequence[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as out:
        writer = csv.DictWriter(out, fieldnames=list(header))
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})
    return path


def police_row(incident: str, person: str, **values: str) -> dict[str, str]:
    row = {
        "incident_ref": incident,
        "person_ref": person,
        "given_name": "Amy",
        "family_name": "Example",
        "date_of_birth": "2011-04-05",
        "sex": "F",
        "postcode": "SW1A 1AA",
        "occurred_on": "2026-02-03",
        "incident_type": "CRIME",
        "role": "VICTIM",
        "offence_group": "VAP",
        "arrested": "N",
        "outcome": "",
        "da_notification": "",
    }
    return row | values


def police_file(path: Path, rows: Sequence[dict[str, str]] | None = None) -> Path:
    """Three rows: Amy a victim in two incidents, Ben a suspect in the first."""
    if rows is None:
        rows = [
            police_row("INC-1", "N100"),
            police_row(
                "INC-1",
                "N200",
                given_name="Ben",
                date_of_birth="2010-01-02",
                sex="M",
                role="SUSPECT",
                arrested="Y",
                outcome="1",
            ),
            police_row(
                "INC-2", "N100", occurred_on="2026-03-04", incident_type="ASB", role="WITNESS", offence_group=""
            ),
        ]
    return write(path, POLICE, rows)


def health_row(ref: str, person: str, nhs: str, **values: str) -> dict[str, str]:
    row = {
        "attendance_ref": ref,
        "person_ref": person,
        "nhs_number": nhs,
        "given_name": "Cara",
        "family_name": "Example",
        "date_of_birth": "2012-06-07",
        "sex": "F",
        "postcode": "SW1A 2AA",
        "site": "RXX01",
        "arrived_at": "2026-01-10T22:15",
        "arrival_mode": "AMBULANCE",
        "diagnosis_group": "INJURY",
        "self_harm": "N",
    }
    return row | values


def episode_row(child: str, decom: str, **values: str) -> dict[str, str]:
    row = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": "U1",
        "PLACE_PROVIDER": "PR1",
        "HOME_POST": "SW1A 1",
        "PL_POST": "SW1A 2",
        "URN": "SC123456",
    }
    return row | values


def header_row(child: str, **values: str) -> dict[str, str]:
    return {"CHILD": child, "SEX": "1", "DOB": "05/04/2011", "ETHNIC": "WBRI", "UPN": upn(1), "MOTHER": ""} | values


def attendance_rows(pupils: Sequence[tuple[str, str]], days: Sequence[str], codes: Sequence[str]) -> list[dict]:
    """Marks for each (upn, given name) pupil on each day, AM and PM, cycling through `codes`."""
    rows = []
    i = 0
    for pupil, given in pupils:
        for day in days:
            for session in ("AM", "PM"):
                rows.append(
                    {
                        "upn": pupil,
                        "given_name": given,
                        "family_name": "Example",
                        "date_of_birth": "2014-09-01",
                        "school_urn": "100001",
                        "date": day,
                        "session": session,
                        "code": codes[i % len(codes)],
                    }
                )
                i += 1
    return rows
