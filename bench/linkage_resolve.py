"""Benchmark: `resolve` (scored pairs to identities) at a county's scale, full and incremental.

Builds a synthetic pair table like a 300,000-child county's (no Splink: the pairs are generated): 300,000
platform people, each with an identity already (`prior`), and 1,200,000 feed records, each belonging to one
of them; pairs within a person mostly above the upper threshold, some in the review band, and 200,000 false
pairs in the band and 5,000 above the upper threshold between strangers. Times

- the full run: every record, every pair;
- an incremental run: 10,000 new feed records (and every record left waiting) against everything else as
  the full run placed it, with only the pairs touching them, and checks it gives the same identities;
- the same with only the records in play: the new ones, and every record of each identity their pairs reach.

Writes bench/results/linkage_resolve.json.

    .venv/bin/python bench/linkage_resolve.py [--people 300000] [--feed 1200000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.linkage.engine.resolve import Resolution, resolve

RESULTS = Path(__file__).parent / "results" / "linkage_resolve.json"
UPPER, LOWER = 0.95, 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--feed", type=int, default=1_200_000)
    parser.add_argument("--new", type=int, default=10_000)
    opts = parser.parse_args()
    rng = np.random.default_rng(1)
    people, n = opts.people, opts.people + opts.feed
    person = np.concatenate([np.arange(people), rng.integers(0, people, opts.feed)])
    ids = pc.binary_join_element_wise("r", pa.array(rng.permutation(n).astype(str)), "")
    order = np.argsort(person, kind="stable")
    ordered = person[order]
    us, vs = [], []
    for k in (1, 2, 3):  # each record with the next three of the same person
        same = ordered[k:] == ordered[:-k]
        us.append(order[:-k][same])
        vs.append(order[k:][same])
    u, v = np.concatenate(us), np.concatenate(vs)
    draw = rng.random(len(u))
    p = np.where(draw < 0.95, rng.uniform(UPPER, 1.0, len(u)), rng.uniform(LOWER, UPPER, len(u)))
    u, v, p = u[draw < 0.99], v[draw < 0.99], p[draw < 0.99]  # and 1% below the lower threshold: not scored
    strangers = 205_000
    u = np.concatenate([u, rng.integers(0, n, strangers)])
    v = np.concatenate([v, rng.integers(0, n, strangers)])
    p = np.concatenate([p, rng.uniform(LOWER, UPPER, 200_000), rng.uniform(UPPER, 1.0, strangers - 200_000)])
    pairs = pa.table({"left_id": ids.take(pa.array(u)), "right_id": ids.take(pa.array(v)), "match_probability": p})
    records = ids.to_pylist()
    prior = {records[i]: f"person-{i}" for i in range(people)}
    platform_people = set(prior.values())

    started, cpu = time.perf_counter(), time.process_time()
    full = resolve(records=records, prior=prior, pairs=pairs, upper=UPPER, lower=LOWER, people=platform_people)
    full_seconds, full_cpu = time.perf_counter() - started, time.process_time() - cpu

    new = np.zeros(n, dtype=bool)
    new[rng.choice(np.arange(people, n), opts.new, replace=False)] = True
    new[[i for i, record in enumerate(records) if record in full.waiting]] = True

    def stable(identity: str) -> str:
        return identity.replace("new:", "identity-of-", 1)

    placed = {records[i]: stable(full.assignments[records[i]]) for i in np.flatnonzero(~new).tolist()}
    touching = pairs.filter(pa.array(new[u] | new[v]))
    started = time.perf_counter()
    incremental = resolve(
        records=records, prior=placed, pairs=touching, upper=UPPER, lower=LOWER, people=platform_people
    )
    incremental_seconds = time.perf_counter() - started
    # What a daily run reads: the records not placed, and every record of each identity their pairs reach.
    touched = {placed[r] for side in ("left_id", "right_id") for r in touching.column(side).to_pylist() if r in placed}
    in_play = [r for i, r in enumerate(records) if new[i] or placed[r] in touched]
    started = time.perf_counter()
    reduced = resolve(records=in_play, prior=placed, pairs=touching, upper=UPPER, lower=LOWER, people=platform_people)
    reduced_seconds = time.perf_counter() - started

    def same_identities(result: Resolution) -> bool:
        renamed: dict[str, str] = {}
        return result.waiting == full.waiting and all(
            (renamed.setdefault(identity, stable(full.assignments[r])) if identity.startswith("new:") else identity)
            == stable(full.assignments[r])
            for r, identity in result.assignments.items()
        )

    result = {
        "records": n,
        "pairs": pairs.num_rows,
        "identities": len(set(full.assignments.values())),
        "waiting": len(full.waiting),
        "review_items": len(full.review),
        "seconds": round(full_seconds, 2),
        "cpu_seconds": round(full_cpu, 2),  # this process's, all threads: less sensitive to the machine's load
        "incremental_records": int(new.sum()),
        "incremental_pairs": touching.num_rows,
        "incremental_seconds": round(incremental_seconds, 2),
        "incremental_same_identities": same_identities(incremental),
        "incremental_records_in_play": len(in_play),
        "incremental_in_play_seconds": round(reduced_seconds, 2),
        "incremental_in_play_same_identities": same_identities(reduced),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": round(os.getloadavg()[0], 1),  # other work on the machine slows every figure
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
