"""The generator's one entry point: build the county, then write it."""

from __future__ import annotations

import datetime
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from continuum.synth import (
    _agencies,
    _casework,
    _families,
    _feeds,
    _frontdoor,
    _geography,
    _namebook,
    _places,
    _relationships,
    _services,
    _tables,
)
from continuum.synth import _arrays as arr
from continuum.synth._identifiers import academic_age

FORMAT_VERSION = 1
_FEED_FOLDERS = ("feeds", "feeds-bad")
_FEED_TRUTH = "source_people.csv"
# The NHS test range (999...) holds 909,091 valid numbers; a county has about two people per child.
MAX_CHILDREN = 400_000
# The stages progress() reports, in order.
_STAGES = (
    "families",
    "schools and places",
    "services",
    "staff",
    "relationships",
    "front door",
    "casework",
    "people",
    "histories",
    "writing",
    "feeds",
)


def generate(
    out_dir: Path,
    *,
    children: int,
    seed: int,
    as_of: datetime.date,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Write a synthetic county of `children` children to out_dir as Parquet files; return the manifest.

    The same (children, seed, as_of) always gives byte-identical files. Tables are written to a
    temporary directory first and moved into out_dir only when all are complete; manifest.json is
    written last.
    """
    if isinstance(children, bool) or not isinstance(children, int) or not 1 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be a whole number from 1 to {MAX_CHILDREN:,}, not {children!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, not {seed!r}")
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        raise ValueError(f"as_of must be a date, not {as_of!r}")
    out_dir = Path(out_dir)
    total = len(_STAGES)

    def step(stage: str) -> None:
        if progress is not None:
            progress(stage, _STAGES.index(stage), total)

    today = arr.day_number(as_of)
    book = _namebook.build()
    step("families")
    pop = _families.build(seed, children, today, book)
    minority = pop.household_heritage != _families.WBRI
    rng = arr.stream(seed, "geography")
    addresses = _geography.place_households(rng, _geography.choose_towns(rng, minority), today)

    step("schools and places")
    kids = np.flatnonzero(pop.is_child & (pop.household >= 0))
    counts = _places.school_counts(
        addresses.locality[pop.household[kids]], academic_age(pop.dob[kids], today), children
    )
    schools, places = _places.build(arr.stream(seed, "places"), addresses, counts, children)
    org = _agencies.organisation(schools)

    step("services")
    services = _services.build(seed, pop, addresses, schools, places, org, today)

    step("staff")
    caseload = _services.caseload(services.involvements, len(org.team_name))
    staff = _agencies.staff(arr.stream(seed, "staff"), org, schools, book, caseload, children, services.headcount)
    allocations = _services.leads_and_allocations(seed, services.involvements, staff, services.school_of, org, today)

    step("relationships")
    relationships = _relationships.build(
        seed, pop, services.placements, services.school_of, addresses.locality[pop.household], today
    )
    step("front door")
    front_door = _frontdoor.build(seed, pop, addresses, services, org, staff, allocations, relationships, today)
    step("casework")
    casework = _casework.build(seed, pop, services, org, staff, allocations, relationships, front_door, today)
    tables = _tables.build(
        seed,
        pop,
        addresses,
        schools,
        places,
        org,
        staff,
        services,
        allocations,
        relationships,
        front_door,
        casework,
        book,
        step,
    )

    manifest = {
        "generator": "continuum.synth",
        "format_version": FORMAT_VERSION,
        "seed": seed,
        "children": children,
        "as_of": as_of.isoformat(),
        "counts": {name: tables[name].num_rows for name in tables},
    }
    step("writing")
    ages = arr.whole_years(pop.dob[pop.is_child], today)
    truths = {"summary": _summary(tables, ages), "outcomes": _outcomes(casework)}
    county = _feeds.county(seed, today, pop, addresses, book, tables["people"], services, schools, org)

    def feeds(scratch: Path) -> None:
        step("feeds")
        manifest["feeds"] = _feeds.write(scratch, county)

    _write(out_dir, tables, manifest, truths, feeds)
    if progress is not None:
        progress("done", total, total)
    return manifest


def _outcomes(casework: _casework.Casework) -> dict:
    """What the casework generator planted: SDQ change by programme, missing exits, the course's retention."""
    return {"sdq": casework.truth["sdq"], "retention": casework.truth["retention"]}


def _write(
    out_dir: Path,
    tables: dict[str, pa.Table],
    manifest: dict,
    truths: dict[str, dict],
    feeds: Callable[[Path], None],
) -> None:
    """Write everything to a scratch directory, then move it into place: a failed run leaves no half county.

    `truths` are written as truth/NAME.json; `feeds` writes the agency feeds (feeds/, feeds-bad/ and
    truth/source_people.csv) into the scratch directory."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = out_dir / ".partial"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "truth").mkdir(parents=True)
    for name, table in tables.items():
        # Built from arrays, never pandas, so no metadata but the schema's: the same data, the same bytes.
        pq.write_table(table, scratch / f"{name}.parquet", compression="zstd")
    for name, truth in truths.items():
        (scratch / "truth" / f"{name}.json").write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n")
    feeds(scratch)
    # Without a manifest the directory is known to be incomplete until the last file is in place.
    (out_dir / "manifest.json").unlink(missing_ok=True)
    (out_dir / "truth").mkdir(exist_ok=True)
    for name in tables:
        (scratch / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
    for name in truths:
        (scratch / "truth" / f"{name}.json").replace(out_dir / "truth" / f"{name}.json")
    (scratch / "truth" / _FEED_TRUTH).replace(out_dir / "truth" / _FEED_TRUTH)
    for folder in _FEED_FOLDERS:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
        (scratch / folder).replace(out_dir / folder)
    shutil.rmtree(scratch)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def _counts(column: pa.ChunkedArray) -> dict[str, int]:
    values = column.value_counts()
    return {str(v["values"]): int(v["counts"]) for v in sorted(values.to_pylist(), key=lambda v: str(v["values"]))}


def _summary(tables: dict[str, pa.Table], ages: np.ndarray) -> dict:
    """The realised distributions, for checking the county against the figures it was drawn from."""
    people = tables["people"]
    children = people.filter(people["is_child"])
    truth = tables["truth/people"]
    child_truth = truth.filter(people["is_child"])
    involvements = tables["involvements"]
    by_kind = {}
    for kind in sorted(set(involvements["kind"].to_pylist())):
        rows = involvements.filter(pc.equal(involvements["kind"], kind))
        open_rows = rows.filter(pc.is_null(rows["end_date"]))
        by_kind[kind] = {
            "open": open_rows.num_rows,
            "closed": rows.num_rows - open_rows.num_rows,
            "children_open": len(pc.unique(open_rows["person_id"])),
        }
    return {
        "children": children.num_rows,
        "people": people.num_rows,
        "households": tables["households"].num_rows,
        "children_by_age": {str(age): int(n) for age, n in enumerate(np.bincount(ages, minlength=18))},
        "children_by_sex": _counts(children["sex"]),
        "children_by_ethnicity": _counts(children["ethnicity"]),
        "children_by_send_status": _counts(children["send_status"]),
        "children_by_first_language": _counts(children["first_language"]),
        "children_by_household_structure": _counts(child_truth["structure"]),
        "households_by_structure": _counts(tables["households"]["structure"]),
        "involvements_by_kind": by_kind,
        **_front_door_summary(tables),
    }


def _front_door_summary(tables: dict[str, pa.Table]) -> dict:
    referrals = tables["referrals"]
    kinds = dict(zip(tables["agencies"]["agency_id"].to_pylist(), tables["agencies"]["kind"].to_pylist(), strict=True))
    source = pa.array([kinds[a] for a in referrals["referrer_agency_id"].to_pylist()], type=pa.string())
    waiting = tables["waiting_list_entries"]
    return {
        "referrals_by_source": _counts(pa.chunked_array([source])),
        "referral_reasons": _counts(tables["referral_reasons"]["reason"]),
        "referrals_by_status": _counts(referrals["status"]),
        "decisions_by_route": _counts(tables["decisions"]["route"]),
        "decisions_by_level": _counts(tables["decisions"]["level"]),
        "transfers_by_status": _counts(tables["transfers"]["status"]),
        "waiting_now_by_programme": _counts(waiting.filter(pc.is_null(waiting["end_date"]))["programme"]),
        "school_offers": _counts(tables["school_offers"]["offer"]),
    }
