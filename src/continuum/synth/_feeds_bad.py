"""Malformed feed files, one small file per way a real extract goes wrong, with the problems each must raise.

Each file starts from three good rows of its feed (written here, so the cases do not depend on the county's size)
and breaks one thing. expected.json lists, per file, its feed and the problems as FILE:LINE:FIELD prefixes (the
header is line 1; field "-" for a whole row, line 0 for the whole file); a case whose problems are all warnings
(an identifier failing its check character) says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from continuum.identifiers import nhs_number_check_digit, upn_check_letter


def _upn(body: str) -> str:
    return upn_check_letter(body) + body


def _nhs(first_nine: str) -> str:
    return first_nine + str(nhs_number_check_digit(first_nine))


_UPN = _upn("999200124001")
_NHS = _nhs("999000012")


@dataclass(frozen=True)
class _Template:
    kind: str
    name: str  # file name stem
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # three good rows; the second and third differ in the key from the first
    code: str  # a coded column
    date: str  # a date (or date-time) column
    bad_date: str  # an impossible value for it
    required: str  # a required column
    check: str | None = None  # an identifier with a check character
    bad_check: str = ""  # the identifier with a wrong check character
    text: str | None = None  # a text column that can hold an accented letter


_TEMPLATES = (
    _Template(
        "attendance",
        "attendance",
        ("upn", "given_name", "family_name", "date_of_birth", "school_urn", "date", "session", "code"),
        (
            (_UPN, "Amelia", "Hart", "2013-05-02", "912345", "2024-09-09", "AM", "/"),
            (_UPN, "Amelia", "Hart", "2013-05-02", "912345", "2024-09-09", "PM", "\\"),
            (_UPN, "Amelia", "Hart", "2013-05-02", "912345", "2024-09-10", "AM", "I"),
        ),
        code="code",
        date="date",
        bad_date="2024-09-31",
        required="school_urn",
        check="upn",
        bad_check=("A" if _UPN[0] != "A" else "B") + _UPN[1:],
        text="given_name",
    ),
    _Template(
        "suspensions",
        "suspensions",
        (
            "upn",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "school_urn",
            "category",
            "start_date",
            "sessions",
            "reason",
            "reason_2",
            "reason_3",
        ),
        (
            (_UPN, "Amelia", "Hart", "2013-05-02", "F", "912345", "SUSP", "2024-10-01", "2", "DB", "", ""),
            (_UPN, "Amelia", "Hart", "2013-05-02", "F", "912345", "SUSP", "2024-11-12", "4", "VA", "PP", ""),
            (_UPN, "Amelia", "Hart", "2013-05-02", "F", "912345", "LUNC", "2024-11-20", "1", "DB", "", ""),
        ),
        code="reason",
        date="start_date",
        bad_date="2024-02-30",
        required="category",
        check="upn",
        bad_check=("A" if _UPN[0] != "A" else "B") + _UPN[1:],
        text="family_name",
    ),
    _Template(
        "police",
        "police",
        (
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
        ),
        (
            (
                "SFP/24/004101",
                "N12345678",
                "Tyler",
                "MASON",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "2024-06-01",
                "CRIME",
                "SUSPECT",
                "THF",
                "Y",
                "8",
                "",
            ),
            (
                "SFP/24/004102",
                "N12345678",
                "Tyler",
                "MASON",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "2024-06-20",
                "ASB",
                "SUSPECT",
                "",
                "",
                "",
                "",
            ),
            (
                "SFP/24/004103",
                "N22345678",
                "Ruby",
                "MASON",
                "2015-07-30",
                "F",
                "SF3 2AB",
                "2024-07-02",
                "DOMESTIC",
                "PRESENT_DA",
                "",
                "",
                "",
                "Y",
            ),
        ),
        code="role",
        date="occurred_on",
        bad_date="2024-06-31",
        required="incident_ref",
        text="given_name",
    ),
    _Template(
        "missing",
        "missing",
        (
            "episode_ref",
            "person_ref",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "postcode",
            "missing_from",
            "started_at",
            "returned_at",
            "risk",
            "return_interview",
            "return_interview_on",
        ),
        (
            (
                "MP-200101",
                "N12345678",
                "Tyler",
                "Mason",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "HOME",
                "2024-06-01T21:30",
                "2024-06-02T09:15",
                "MEDIUM",
                "ACCEPTED",
                "2024-06-03",
            ),
            (
                "MP-200102",
                "N12345678",
                "Tyler",
                "Mason",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "HOME",
                "2024-08-11T19:00",
                "2024-08-11T23:40",
                "LOW",
                "DECLINED",
                "",
            ),
            (
                "MP-200103",
                "N32345678",
                "Jade",
                "Cole",
                "2008-11-02",
                "F",
                "SF7 4DE",
                "CARE",
                "2024-09-05T16:45",
                "",
                "HIGH",
                "PENDING",
                "",
            ),
        ),
        code="risk",
        date="started_at",
        bad_date="2024-02-30T21:30",
        required="missing_from",
        text="family_name",
    ),
    _Template(
        "health",
        "health",
        (
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
        ),
        (
            (
                "ZSF01-700101",
                "SF1234567",
                _NHS,
                "Tyler",
                "Mason",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "ZSF01",
                "2024-06-01T22:05",
                "AMBULANCE",
                "ASSAULT",
                "N",
            ),
            (
                "ZSF01-700102",
                "SF1234567",
                _NHS,
                "Tyler",
                "Mason",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "ZSF01",
                "2024-09-14T17:40",
                "WALK_IN",
                "INJURY",
                "N",
            ),
            (
                "ZKB01-700103",
                "KB7654321",
                "",
                "Jade",
                "Cole",
                "2008-11-02",
                "F",
                "SF7 4DE",
                "ZKB01",
                "2024-10-03T02:10",
                "AMBULANCE",
                "POISONING",
                "Y",
            ),
        ),
        code="diagnosis_group",
        date="arrived_at",
        bad_date="2024-13-01T10:00",
        required="self_harm",
        check="nhs_number",
        bad_check=_NHS[:-1] + str((int(_NHS[-1]) + 1) % 10),
        text="given_name",
    ),
    _Template(
        "youth_justice",
        "youth_justice",
        (
            "outcome_ref",
            "person_ref",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "postcode",
            "outcome_date",
            "outcome",
            "offence_group",
            "end_date",
        ),
        (
            ("YJO-100101", "YJ123456", "Tyler", "Mason", "2009-03-14", "M", "SF3 2AB", "2024-07-15", "YC", "THF", ""),
            (
                "YJO-100102",
                "YJ123456",
                "Tyler",
                "Mason",
                "2009-03-14",
                "M",
                "SF3 2AB",
                "2024-10-02",
                "RO",
                "VAP",
                "2025-01-30",
            ),
            ("YJO-100103", "YJ223456", "Kai", "Reid", "2008-01-21", "M", "SF9 1XY", "2024-08-19", "O22", "DRG", ""),
        ),
        code="outcome",
        date="outcome_date",
        bad_date="2024-04-31",
        required="outcome_ref",
        text="family_name",
    ),
    _Template(
        "ssda903",
        "ssda903-episodes",
        (
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
        ),
        (
            ("100101", "01/04/2024", "S", "V2", "N1", "U6", "PR1", "15/06/2024", "X1", "", "SF3 2", "SF5 1", ""),
            ("100101", "15/06/2024", "P", "V2", "N1", "U4", "PR4", "", "", "CARPL", "SF3 2", "SF6 4", ""),
            ("100102", "03/09/2024", "S", "C1", "N4", "K2", "PR4", "", "", "", "SF7 4", "SF2 8", "SC123456"),
        ),
        code="PLACE",
        date="DECOM",
        bad_date="31/06/2024",
        required="RNE",
    ),
    _Template(
        "ssda903",
        "ssda903-header",
        ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
        (
            ("100101", "1", "14/03/2009", "WBRI", _UPN, "", ""),
            ("100102", "2", "02/11/2008", "MWBC", "UN5", "0", ""),
            ("100103", "1", "21/01/2019", "BAFR", "UN1", "", ""),
        ),
        code="ETHNIC",
        date="DOB",
        bad_date="29/02/2009",
        required="SEX",
        check="UPN",
        bad_check=("A" if _UPN[0] != "A" else "B") + _UPN[1:],
    ),
    _Template(
        "cin",
        "cin-referrals",
        (
            "LAchildID",
            "CINreferralDate",
            "ReferralSource",
            "PrimaryNeedCode",
            "CINclosureDate",
            "ReasonForClosure",
            "ReferralNFA",
        ),
        (
            ("100101", "02/05/2024", "6", "N1", "", "", "0"),
            ("100102", "17/06/2024", "2A", "N5", "30/09/2024", "RC7", "0"),
            ("100103", "04/07/2024", "3E", "N0", "04/07/2024", "RC8", "1"),
        ),
        code="PrimaryNeedCode",
        date="CINreferralDate",
        bad_date="31/09/2024",
        required="ReferralNFA",
    ),
    _Template(
        "cin",
        "cin-child",
        (
            "LAchildID",
            "UPN",
            "FormerUPN",
            "UPNunknown",
            "PersonBirthDate",
            "ExpectedPersonBirthDate",
            "GenderCurrent",
            "PersonDeathDate",
            "Ethnicity",
            "Disabilities",
        ),
        (
            ("100101", _UPN, "", "", "14/03/2009", "", "1", "", "WBRI", "NONE"),
            ("100102", "", "", "UN5", "02/11/2008", "", "2", "", "MWBC", "AUT,LD"),
            ("100103", "", "", "UN1", "21/01/2019", "", "1", "", "BAFR", "NONE"),
        ),
        code="GenderCurrent",
        date="PersonBirthDate",
        bad_date="30/02/2019",
        required="LAchildID",
        check="UPN",
        bad_check=("A" if _UPN[0] != "A" else "B") + _UPN[1:],
    ),
)

# A table whose columns match none of the SSDA903 tables (a 903 export from another return, or a typo'd header).
_UNKNOWN_903 = (("CHILD", "DOB", "PLACEMENT_TYPE", "START"), ("100101", "14/03/2009", "U6", "01/04/2024"))


def _csv(header: tuple[str, ...], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _with(t: _Template, line: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in t.rows]
    rows[line - 2][t.header.index(column)] = value
    return rows


Case = tuple[str, bytes, list[str], bool]  # file name, content, expected problem prefixes, warnings only


def _cases(t: _Template) -> list[Case]:
    name = t.name
    out: list[Case] = []

    def add(case: str, content: str | bytes, problems: list[str], warnings_only: bool = False) -> None:
        file = f"{name}-{case}.csv"
        data = content if isinstance(content, bytes) else content.encode()
        out.append((file, data, [f"{file}:{p}" for p in problems], warnings_only))

    add("unknown-code", _csv(t.header, _with(t, 3, t.code, "ZZZ")), [f"3:{t.code}"])
    add("impossible-date", _csv(t.header, _with(t, 3, t.date, t.bad_date)), [f"3:{t.date}"])
    rows = [list(r) for r in t.rows]
    rows[1].append("extra")
    add("wrong-column-count", _csv(t.header, rows), ["3:-"])
    keep = [i for i, c in enumerate(t.header) if c != t.required]
    header = tuple(t.header[i] for i in keep)
    add("missing-column", _csv(header, [[r[i] for i in keep] for r in t.rows]), [f"1:{t.required}"])
    add("duplicate-key", _csv(t.header, [*t.rows, t.rows[0]]), ["5:-"])  # a whole-row problem, naming line 2
    if t.check is not None:
        add("bad-check-character", _csv(t.header, _with(t, 2, t.check, t.bad_check)), [f"2:{t.check}"], True)
    if t.text is not None:
        accented = _with(t, 2, t.text, "Zoë")
        add("windows-1252", _csv(t.header, accented).encode("cp1252"), ["2:-"])  # where the first such byte is
    add("empty", b"", ["0:-"])
    add("header-only", _csv(t.header, []), ["0:-"])
    return out


def cases() -> list[tuple[str, Case]]:
    """Every malformed case: (feed kind, case)."""
    out = [(t.kind, case) for t in _TEMPLATES for case in _cases(t)]
    header, row = _UNKNOWN_903
    file = "ssda903-unknown-table.csv"
    out.append(("ssda903", (file, _csv(header, [row]).encode(), [f"{file}:1:-"], False)))
    return out


def write(folder: Path) -> None:
    """Write every case into `folder`, and expected.json beside them."""
    expected = []
    for kind, (file, content, problems, warnings_only) in cases():
        (folder / file).write_bytes(content)
        expected.append({"kind": kind, "file": file, "problems": problems, "warnings_only": warnings_only})
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
