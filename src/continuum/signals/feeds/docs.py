"""docs/feeds/ written from the catalogue, so the pages say exactly what the checker accepts.

    python -m continuum.signals.feeds.docs [DIR]     # (re)writes DIR (default docs/feeds): index.md and a page per feed

tests/signals/test_catalogue.py fails when the committed pages differ from what this writes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from continuum.signals.feeds import codes
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.spec import DATE_FORMATS, Column, Feed, FeedTable

GENERATED = (
    "<!-- Generated from continuum.signals.feeds.catalogue by `python -m continuum.signals.feeds.docs`. "
    "Do not edit. -->"
)

# Categories shown beside a code list's meanings (the attendance codes' statistical category).
_CATEGORIES: list[tuple[Mapping[str, str], Mapping[str, str], str]] = [
    (codes.ATTENDANCE, codes.ATTENDANCE_CATEGORY, "Counts as")
]


def _kind(column: Column, table: FeedTable) -> str:
    match column.kind:
        case "text":
            return f"text (up to {column.max_length} characters)"
        case "ref":
            return f"reference (up to {column.max_length} characters)"
        case "code":
            return "code"
        case "codes":
            return "codes (comma-separated)"
        case "date":
            return f"date ({DATE_FORMATS[table.dates]})"
        case "datetime":
            return "date and time (YYYY-MM-DDTHH:MM[:SS], offset optional)"
        case "time":
            return "time (HH:MM[:SS])"
        case "integer":
            if column.minimum is not None and column.maximum is not None:
                return f"whole number, {column.minimum} to {column.maximum}"
            return "whole number"
        case "boolean":
            return "Y or N"
        case "upn":
            return "UPN (13 characters, check letter)"
        case "nhs_number":
            return "NHS number (10 digits, check digit)"
        case "postcode":
            return "postcode"
        case "partial_postcode":
            return "postcode district and sector"
        case "urn":
            return "school URN (6 digits)"
    raise ValueError(f"no description for the column kind {column.kind!r}")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(value: str) -> str:
    return f"`{value}`"


def _table_section(table: FeedTable, heading: str | None) -> list[str]:
    """A table's columns, key, person, event, row checks and code lists; under `heading` for multi-table feeds."""
    lines = [heading, "", table.description, ""] if heading else []
    lines += ["| Column | Type | Required | What it holds |", "|---|---|---|---|"]
    for column in table.columns:
        required = "yes" if column.required else "no"
        lines.append(f"| `{column.name}` | {_kind(column, table)} | {required} | {_cell(column.description)} |")
    lines.append("")
    lines.append(
        f"**Source key:** {', '.join(_code(k) for k in table.key)}. Unique within a file; a later load with the same "
        "key replaces the row."
    )
    lines.append("")
    person = table.person
    about = [f"{_code(person.ref)} (the source's own identifier)"]
    for label, name in (
        ("UPN", person.upn),
        ("NHS number", person.nhs_number),
        ("given name", person.given_name),
        ("family name", person.family_name),
        ("date of birth", person.date_of_birth),
        ("sex", person.sex),
        ("postcode", person.postcode),
        ("school", person.school_urn),
        ("ethnicity", person.ethnicity),
    ):
        if name:
            about.append(f"{label} {_code(name)}")
    lines.append(f"**Whom a row is about:** {'; '.join(about)}.")
    if person.sex and person.sex_codes and set(person.sex_codes.items()) != {("M", "M"), ("F", "F"), ("U", "U")}:
        mapped = ", ".join(f"{_code(k)} as {v}" for k, v in person.sex_codes.items())
        lines.append(f"Sex is read as Continuum's M, F, U: {mapped}.")
    lines.append("")
    if table.event is None:
        lines.append("**Event:** none; rows of this table are not events in a child's timeline.")
    else:
        event = table.event
        when = f"on {_code(event.occurred)}"
        if event.ended:
            when += f", ending on {_code(event.ended)} (blank: still going on)"
        lines.append(f"**Event:** each row is a {_code(event.kind)} (“{event.label}”) in the child's timeline, {when}.")
    lines.append("")
    if table.checks:
        lines.append("**Checks across a row:**")
        lines.append("")
        lines += [f"- {check.__doc__ or check.__name__}" for check in table.checks]
        lines.append("")
    lines += _code_lists(table, "###" if heading else "##")
    return lines


def _code_lists(table: FeedTable, heading: str) -> list[str]:
    lines: list[str] = []
    groups: list[tuple[Mapping[str, str], list[Column]]] = []
    for column in table.columns:
        if not column.codes:
            continue
        for known, members in groups:
            if known is column.codes:
                members.append(column)
                break
        else:
            groups.append((column.codes, [column]))
    for code_list, members in groups:
        names = " and ".join(", ".join(_code(c.name) for c in members).rsplit(", ", 1))
        if members[0].kind == "upn":
            lines += [f"{heading} Codes for {names} when there is no UPN", ""]
        else:
            lines += [f"{heading} Codes for {names}", ""]
        extra = next(((cats, label) for known, cats, label in _CATEGORIES if known is code_list), None)
        if extra:
            cats, label = extra
            lines += [f"| Code | Meaning | {label} |", "|---|---|---|"]
            lines += [
                f"| {_code(code)} | {_cell(meaning)} | {codes.ATTENDANCE_CATEGORIES[cats[code]]} |"
                for code, meaning in code_list.items()
            ]
        else:
            lines += ["| Code | Meaning |", "|---|---|"]
            lines += [f"| {_code(code)} | {_cell(meaning)} |" for code, meaning in code_list.items()]
        lines.append("")
    return lines


def _files(feed: Feed) -> str:
    if len(feed.tables) == 1:
        return f"`{feed.kind}.csv` (any file name)"
    return f"one file per table, such as `{feed.kind}/episodes.csv`; the table is told by its columns, never the name"


def feed_page(feed: Feed) -> str:
    """The page for one feed: what it is, its standard, every column of every table and every accepted code."""
    lines = [GENERATED, "", f"# {feed.title} (`{feed.kind}`)", "", feed.description, ""]
    lines += [f"**Standard:** {feed.standard}", ""]
    lines += [f"**Files:** {_files(feed)}.", ""]
    formats = sorted({DATE_FORMATS[t.dates] for t in feed.tables})
    lines += [f"**Dates:** {', '.join(formats)}. An impossible date (31/02/2024) is an error.", ""]
    lines += ["How files are read, what is an error and what is a warning: [the feeds index](index.md).", ""]
    if len(feed.tables) == 1:
        lines += _table_section(feed.tables[0], None)
    else:
        names = ", ".join(f"[`{t.name}`](#table-{t.name.replace('_', '-')})" for t in feed.tables)
        lines += [f"**Tables:** {names}.", ""]
        for table in feed.tables:
            lines += _table_section(table, f"## Table `{table.name}`")
    return "\n".join(lines).rstrip() + "\n"


INDEX = """\
{generated}

# Agency feeds

The extracts councils receive from schools, the police, health, youth justice and their own children's social care,
loaded into Continuum so that one child's records can be joined into one picture. Each feed speaks its own
standard: DfE codes for schools and social care, Home Office and ONS codes for the police, and a few of Continuum's
own codes where no national standard exists. The pages below list every column, its type, whether it is required,
and every accepted code with its meaning. They are generated from the catalogue the loader checks against
(`continuum.signals.feeds.catalogue`), so they say exactly what the loader checks.

| Feed | What it holds | Files | Dates | Page |
|---|---|---|---|---|
{feeds}

## Loading a feed

```
continuum feeds load KIND FILE... [--format json] [--quarantine DIR]
```

`KIND` is one of {kinds}. Give every file of one delivery in one call: they are checked together, and loaded
together or not at all.

- Every problem is reported as `FILE:LINE:FIELD: message`, with `FILE` as you named it. The header is line 1, so the
  first data row is line 2; `FIELD` is `-` for a problem with a whole row, and line 0 is a problem with the whole
  file.
- If there is any error in any file, the command exits with a non-zero status and **nothing** from that call is
  loaded.
- With `--quarantine DIR` you choose to load the good rows anyway: the rows with errors are written to `DIR` with
  the reasons for each, and the rest load. Nothing is ever dropped silently.
- `--format json` prints one object, totals over all the files of the call:
  `{{"feed", "inserted", "updated", "unchanged", "warnings", "errors": [...], "seconds"}}`. Without it you get a
  readable summary, and a progress bar on long loads.
- Every load is recorded in the audit trail: who ran it, each file and its checksum, and the counts.

## How files are read

- CSV, UTF-8 (a byte order mark is allowed), comma-separated, `"` for quoting, the header on line 1.
  A file in another encoding (a Windows-1252 export, say) is an error: save it as UTF-8.
- A blank cell has no value. Column order does not matter. Extra columns are ignored. A required column missing
  from the header is an error on line 1; a row with the wrong number of cells is an error on that row.
- Dates are `YYYY-MM-DD` (ISO 8601), except in the DfE returns (SSDA903 and CIN), which keep the DfE's
  `DD/MM/YYYY`. Date-times are `YYYY-MM-DDTHH:MM` with optional seconds and an optional offset (`Z`, `+01:00`).
  An impossible date or time is an error.
- Booleans are `Y` or `N` in Continuum's own feeds; the DfE returns keep the DfE's `0` and `1`, listed as codes.
- Names are free text of up to 100 characters. References (`ref`) are the source's own identifiers, up to 40
  characters with no control characters. Postcodes must be valid in form; an old or retired postcode loads.

### Types

| Type | Accepts |
|---|---|
| text | Any text up to the column's length (100 characters unless the page says otherwise). |
| reference | The source's own identifier, up to 40 characters, no control characters. |
| code | Exactly one of the codes the page lists for the column. Anything else is an error. |
| codes | Several of the column's codes separated by commas (CIN assessment factors, disabilities). |
| date | A real calendar date in the feed's format. |
| date and time | `YYYY-MM-DDTHH:MM[:SS]`, offset optional. |
| whole number | Digits only, within the range the page gives. |
| Y or N | `Y` or `N`. |
| UPN | A unique pupil number: 13 characters, a check letter then twelve characters. |
| NHS number | Ten digits, the last a check digit. |
| postcode | A UK postcode, valid in form. |
| postcode district and sector | A postcode's first part and the digit after the space, such as `SF1 2`. |
| school URN | A school's unique reference number: six digits. |

## Errors and warnings

**Errors** stop the load (or, with `--quarantine`, send the row to the quarantine): a value of the wrong type, an
unknown code, an impossible date, a required value left blank, a required column missing, a row with the wrong
number of cells, the same source key twice in one file (reported on the second line, naming the first), an end
before its start where a page says so, a file that is not UTF-8, an empty file, and an SSDA903 or CIN file whose
columns match no table.

**Warnings** load. A UPN whose check letter is wrong, or an NHS number whose check digit is wrong, is a warning:
real extracts carry them. The row loads, the identifier is marked unusable for linking records to people, and the
warning is reported with its `FILE:LINE:FIELD`. In SSDA903 and CIN files a UPN-unknown code (`UN1` ...) means the
child has no UPN; it is neither an error nor a warning.

## Loading again: source keys

Each table has a **source key**, the columns that identify a row in the source (for example `CHILD` and `DECOM`
for SSDA903 episodes). Loading the same file again changes nothing. A corrected re-send replaces the rows whose
keys it carries, and a later year's return loads on top of an earlier one. Within one file a key may appear only
once; across the files of one call, a later file's row replaces an earlier file's row with the same key.

## SSDA903 and CIN returns

Councils export these returns as one file per table, named however their system names them (`2019-episodes.csv`,
`Episodes 2024.csv`). Continuum tells a table by its columns: a file is the table all of whose columns appear in
its header (extra columns are fine). If no table's columns all appear, or the header holds two tables' columns
equally well, the file is an error. Column names are the DfE's own, with their capitals (`CHILD`, `DECOM`,
`LAchildID`).

### The DfE's validation rules

The DfE validates these returns with several hundred business rules of its own (rules across tables and years,
such as a placement's postcode agreeing with its provider). We looked for a maintained Python package that carries
them, so that Continuum could offer a validation report from it rather than write the rules by hand:

- The children's services analysts' community Data to Insight (first built by Social Finance) publishes the rules
  on PyPI as `csc-validator-be-903` (0.1.17) and `csc-validator-be-cin` (0.1.13), successors of
  `quality-lac-data-validator` (1.0.3). They are maintained and do carry the DfE's rules, year by year. We did
  not adopt them because they cannot be installed beside Continuum: both require pandas earlier than 2 (the SSDA903
  validator also numpy earlier than 1.25), neither of which is built for Python 3.12, which Continuum needs
  (Django 6), and which could not sit beside Continuum's pinned pandas 3.1.1 in any case. (The names
  `lac-validator` and `cin-validator` are not packages on PyPI.)
- `liiatools` 0.2.0 (Social Finance) is on PyPI, but it cleans and pools returns across councils; it does not carry
  the DfE's rules. It also requires pandas earlier than 2 and `cchardet` 2.1.7, which has no Python 3.12 build.

So Continuum checks what the catalogue states (structure, types, codes, dates, keys, identifiers' check characters
and the row checks on these pages) and does not write the DfE's business rules by hand. A council validates its
return as it already does, with the DfE's checks when it submits the return or the community's validator tool;
those checks and Continuum's are independent.
"""


def index_page() -> str:
    """docs/feeds/index.md: the feeds, how files are read, errors and warnings, the command and the source keys."""
    rows = []
    for feed in FEEDS.values():
        files = f"`{feed.kind}.csv`" if len(feed.tables) == 1 else f"`{feed.kind}/<table>.csv`"
        dates = ", ".join(sorted({DATE_FORMATS[t.dates] for t in feed.tables}))
        rows.append(f"| `{feed.kind}` | {feed.title} | {files} | {dates} | [{feed.kind}.md]({feed.kind}.md) |")
    kinds = ", ".join(f"`{kind}`" for kind in FEEDS)
    return INDEX.format(generated=GENERATED, feeds="\n".join(rows), kinds=kinds)


def pages() -> dict[str, str]:
    """Every page of docs/feeds/ by file name."""
    return {"index.md": index_page()} | {f"{feed.kind}.md": feed_page(feed) for feed in FEEDS.values()}


def write(directory: Path) -> list[Path]:
    """Write every page into `directory` (created if need be); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else Path("docs") / "feeds"
    for path in write(directory):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
