"""Benchmark: record linkage on a synthetic county, new records against the linked, two lists, and Spark.

All in one run, each figure from the engine as `continuum linkage` calls it (continuum.linkage.engine, plain
Python: the records are read straight from the county's files by bench/linkage_records.py, no database):

1. The county: `continuum synth --children N` (default 300,000), every person (people.parquet) and every feed
   record. Training, prediction and resolution on DuckDB: wall seconds of each and in all ("seconds"); pairwise
   precision, recall and F1 against truth/source_people.csv (a person's own record is the person); the review
   queue as a share of the records.
2. Incremental: --new feed records (default 10,000, drawn at random) held back; the rest linked (predict and
   resolve, not timed), then the new ones (with any the rest left waiting for review, as a daily run would)
   matched against the others with `predict_new` and resolved with the rest's identities as prior
   ("incremental_seconds"). The full relink is prediction and resolution of everything with
   the same model ("relink_seconds", from step 1); the incremental result is compared with it record by record.
3. Two lists (`continuum.synth.two_lists`, --lists people each, 80% on both, names, date of birth and postcode
   only): `lists.link_lists` at its default threshold against a careful unsupervised Splink set-up written
   here (Splink's own name, date of birth and postcode comparisons with term frequencies, u by random sampling,
   the match probability from a deterministic rule, EM on two blocking rules, links at p >= 0.5), both timed in
   this run; F1 over the pairs each links against the true pairs.
4. Spark in local mode (`local[2]`, 4 GiB driver) on counties of --spark-children (default 12,000 and 120,000):
   training, prediction and resolution on Spark in a process of its own, its wall seconds (the JVM's start
   included) and the peak resident memory of that process and its JVM together (sampled from /proc); and the
   same model trained on DuckDB predicting on Spark, compared pair by pair and link by link with DuckDB.

Writes bench/results/linkage.json: {"records", "f1", "review_share", "seconds", "incremental_seconds",
"relink_seconds", "lists": {...}, "spark": [{"children", "seconds", "peak_memory_mib", ...}], ...}.

    .venv/bin/python bench/linkage.py [--children 300000] [--new 10000] [--lists 5000]
                                      [--spark-children 12000 120000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from continuum.linkage.engine import evaluate, lists, predict, resolve
from continuum.linkage.engine.backends import open_backend
from continuum.linkage.engine.model import load, register_functions, registered, save, train
from continuum.linkage.engine.prepare import standardise
from continuum.linkage.engine.records import RECORD_SCHEMA
from continuum.synth import two_lists
from linkage_records import county_records  # bench/linkage_records.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
CONTINUUM = ROOT / ".venv" / "bin" / "continuum"
RESULTS = Path(__file__).parent / "results" / "linkage.json"
AS_OF = "2026-11-01"
SEED = 1
MIB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--new", type=int, default=10_000, help="feed records matched incrementally")
    parser.add_argument("--lists", type=int, default=5_000, help="people on each of the two lists")
    parser.add_argument("--spark-children", type=int, nargs="*", default=[12_000, 120_000])
    parser.add_argument("--keep", type=Path, help="write the counties under this folder and keep them")
    parser.add_argument("--spark-run", type=Path, help=argparse.SUPPRESS)  # the Spark measurement's own process
    opts = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)  # its training chatter would drown the figures
    if opts.spark_run:
        _spark_process(opts.spark_run)
        return
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="bench-linkage-"))
    counties = opts.keep or work
    try:
        county = measure_county(opts.children, counties, opts.new)
        print(f"Two lists of {opts.lists:,} people ...", flush=True)
        two = measure_lists(opts.lists)
        spark = [measure_spark(children, counties, work) for children in opts.spark_children]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "linkage",
        "date": datetime.date.today().isoformat(),
        **county,
        "lists": two,
        "spark": spark,
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "java": _java_version(),
            # Other work on the machine, which shares its two cores (1-minute load average, before and after).
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("machine",)}, indent=2))


# -- 1 and 2: the county on DuckDB, then new records incrementally ------------------------------------------------


def measure_county(children: int, folder: Path, new: int) -> dict[str, Any]:

    county = synth(children, folder)
    print("Reading the county's people and feed records ...", flush=True)
    started = time.perf_counter()
    records, truth = county_records(county)
    read_seconds = time.perf_counter() - started
    ids = records["record_id"].to_pylist()
    prior = _people(ids)
    print(f"  {records.num_rows:,} records ({len(prior):,} people) in {read_seconds:.1f} s", flush=True)

    with open_backend("duckdb") as backend:
        print("Training ...", flush=True)
        timer = _Timer()
        model = timer("train", lambda: train(records, backend=backend, progress=_progress))
        print(f"  {timer.seconds['train']:.1f} s; predicting ...", flush=True)
        pairs = timer("predict", lambda: predict.predict(records, model, backend=backend, progress=_progress))
        print(f"  {pairs.num_rows:,} pairs in {timer.seconds['predict']:.1f} s; resolving ...", flush=True)
        full = timer(
            "resolve",
            lambda: resolve.resolve(records=ids, prior=prior, pairs=pairs, upper=model.upper, lower=model.lower),
        )
        print(f"  {timer.seconds['resolve']:.1f} s", flush=True)
        scores = evaluate.pairwise(_placed(full, ids), truth)
        print(f"  {scores.line()}; {len(full.review):,} to review", flush=True)
        comparisons = _comparisons(records, model, backend)
        incremental = measure_incremental(records, prior, model, full, new, backend)
    seconds = sum(timer.seconds.values())
    return {
        "children": children,
        "records": records.num_rows,
        "people": len(prior),
        "feed_records": records.num_rows - len(prior),
        "f1": round(scores.f1, 4),
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "true_pairs": scores.true_pairs,
        "predicted_pairs": scores.predicted_pairs,
        "review_items": len(full.review),
        "review_share": round(len(full.review) / records.num_rows, 4),
        "waiting": len(full.waiting),
        "comparisons": comparisons,
        "scored_pairs": pairs.num_rows,
        "seconds": round(seconds, 1),
        "train_seconds": round(timer.seconds["train"], 1),
        "predict_seconds": round(timer.seconds["predict"], 1),
        "resolve_seconds": round(timer.seconds["resolve"], 1),
        "relink_seconds": round(timer.seconds["predict"] + timer.seconds["resolve"], 1),
        "read_seconds": round(read_seconds, 1),
        "model": {"upper": model.upper, "lower": model.lower, "fields": list(model.fields)},
        **incremental,
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure_incremental(
    records: pa.Table, prior: dict[str, str], model: Any, full: Any, new: int, backend: Any
) -> dict[str, Any]:
    """Yesterday's run on all but the new records, then today's: the new records (and yesterday's waiting ones)
    matched and resolved, timed. Then the contract's property: from the full run's own identities, the daily run
    gives exactly the full run's links."""
    ids = records["record_id"].to_pylist()
    feed_ids = [r for r in ids if r not in prior]
    held = set(random.Random(SEED).sample(feed_ids, min(new, len(feed_ids))))
    is_new = pa.array([r in held for r in ids])
    rest = records.filter(pc.invert(is_new))
    rest_ids = rest["record_id"].to_pylist()
    print(f"Linking all but {len(held):,} feed records (yesterday's run) ...", flush=True)
    rest_pairs = predict.predict(rest, model, backend=backend)
    linked = resolve.resolve(records=rest_ids, prior=prior, pairs=rest_pairs, upper=model.upper, lower=model.lower)
    yesterday = _differences(_placed(linked, rest_ids), _placed(full, rest_ids))
    # Matched today: the new records, and those yesterday's run left waiting for review (a daily run scores them
    # again, as resolve expects every pair touching a record not placed).
    again = held | linked.waiting
    print(f"Matching {len(held):,} new records (and {len(linked.waiting):,} waiting) against the rest ...", flush=True)
    timer = _Timer()
    today = _daily(records, again, dict(linked.assignments), model, backend, timer)
    seconds = sum(timer.seconds.values())
    own = _differences({r: today.get(r) for r in ids}, _placed(full, ids))
    print(f"  {seconds:.2f} s; {own:,} records placed otherwise than by the full run ({yesterday:,} already were)")

    # From the full run's identities (every record but the new ones and those it left waiting): the same links.
    again = held | full.waiting
    placed = {r: key for r, key in full.assignments.items() if r not in again}
    redone = _daily(records, again, placed, model, backend)
    same = _differences({r: redone.get(r) for r in ids}, _placed(full, ids))
    print(f"  from the full run's own identities: {same:,} records placed otherwise", flush=True)
    return {
        "incremental_records": len(held),
        "incremental_waiting_rescored": len(linked.waiting),
        "incremental_against": records.num_rows - len(held) - len(linked.waiting),
        "incremental_seconds": round(seconds, 2),
        "incremental_predict_seconds": round(timer.seconds["predict_new"], 2),
        "incremental_resolve_seconds": round(timer.seconds["resolve"], 2),
        "incremental_pairs": today.pairs,
        "incremental_same_links": same == 0,
        "incremental_records_placed_differently": same,
        "incremental_after_yesterdays_run_placed_differently": own,
        "yesterdays_run_placed_differently": yesterday,
    }


class _Placed(dict[str, str]):
    """Who is where after a daily run (record id -> identity id; waiting records absent), and its pairs."""

    pairs = 0


def _daily(
    records: pa.Table, again: set[str], placed: dict[str, str], model: Any, backend: Any, timer: _Timer | None = None
) -> _Placed:
    """A daily run: `again` matched against the others (`predict_new`), then resolved with the records in play
    (those, and every record of each identity their pairs reach: resolve needs no more to give the full run's
    groups), `placed` being the identities already known."""
    timer = timer or _Timer()
    ids = records["record_id"].to_pylist()
    is_again = pa.array([r in again for r in ids])
    fresh, settled = records.filter(is_again), records.filter(pc.invert(is_again))
    members: dict[str, list[str]] = {}  # identity -> its records: what the database's index gives a daily run
    for record, identity in placed.items():
        members.setdefault(identity, []).append(record)
    pairs = timer("predict_new", lambda: predict.predict_new(fresh, settled, model, backend=backend))

    def resolved() -> Any:
        touched = set(pairs["left_id"].to_pylist()) | set(pairs["right_id"].to_pylist())
        reached = {placed[r] for r in touched if r in placed}
        in_play = sorted(again | {r for identity in reached for r in members[identity]})
        in_prior = {r: placed[r] for r in in_play if r in placed}
        return resolve.resolve(records=in_play, prior=in_prior, pairs=pairs, upper=model.upper, lower=model.lower)

    after = timer("resolve", resolved)
    out = _Placed({**placed, **after.assignments})
    out.pairs = pairs.num_rows
    return out


def _comparisons(records: pa.Table, model: Any, backend: Any) -> int:
    """How many pairs the model's blocking rules have Splink compare (each pair once): what prediction's cost
    grows with, counted exactly (Splink's blocking analysis, no sampling)."""
    register_functions(backend)
    with registered(backend, [standardise(records)]) as (frame,):
        counts = count_comparisons_from_blocking_rules(
            frame,
            blocking_rules=[rule["blocking_rule"] for rule in model.splink["blocking_rules_to_generate_predictions"]],
            link_type="dedupe_only",
            unique_id_column_name=model.splink["unique_id_column_name"],
            record_sample_proportion=1.0,
        )
    return int(counts[-1]["cumulative_comparison_count"])


def _people(ids: list[str]) -> dict[str, str]:
    """Every platform person's record already has its identity (the person's own), as in the database."""
    return {r: r for r in ids if r.startswith("person:")}


def _placed(resolution: Any, ids: list[str]) -> dict[str, str | None]:
    return {r: resolution.assignments.get(r) for r in ids}


def _differences(one: Mapping[str, str | None], other: Mapping[str, str | None]) -> int:
    """Records whose group differs between two resolutions (groups compared by their members, not their keys)."""

    def members(assigned: Mapping[str, str | None]) -> dict[str, frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for record, key in assigned.items():
            groups.setdefault(key or f"waiting:{record}", set()).add(record)
        return {r: frozenset(g) for g in groups.values() for r in g}

    a, b = members(one), members(other)
    return sum(a[r] != b[r] for r in a)


# -- 3: two lists -------------------------------------------------------------------------------------------------


def measure_lists(size: int) -> dict[str, Any]:

    two = two_lists(size, seed=SEED)
    truth = set(zip(two.truth["left_id"].to_pylist(), two.truth["right_id"].to_pylist(), strict=True))
    left, right = _as_records(two.left, "left"), _as_records(two.right, "right")

    def ours() -> set[tuple[str, str]]:
        with open_backend("duckdb") as backend:
            pairs = lists.link_lists(left, right, backend=backend)
        return set(zip(pairs["left_id"].to_pylist(), pairs["right_id"].to_pylist(), strict=True))

    # Each once untimed first (imports, DuckDB's first connection), then each timed on its own.
    ours(), careful_splink(two.left, two.right)
    started = time.perf_counter()
    ours_pairs = ours()
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baseline_pairs = careful_splink(two.left, two.right)
    baseline_seconds = time.perf_counter() - started
    ours_scores, baseline_scores = _pair_scores(ours_pairs, truth), _pair_scores(baseline_pairs, truth)
    print(f"  link_lists: F1 {ours_scores['f1']:.4f} in {ours_seconds:.2f} s", flush=True)
    print(f"  careful Splink: F1 {baseline_scores['f1']:.4f} in {baseline_seconds:.2f} s", flush=True)
    return {
        "people_per_list": size,
        "true_pairs": len(truth),
        "fields": ["given_name", "family_name", "date_of_birth", "postcode"],
        "f1": ours_scores["f1"],
        "precision": ours_scores["precision"],
        "recall": ours_scores["recall"],
        "seconds": round(ours_seconds, 2),
        "baseline_f1": baseline_scores["f1"],
        "baseline_precision": baseline_scores["precision"],
        "baseline_recall": baseline_scores["recall"],
        "baseline_seconds": round(baseline_seconds, 2),
        "time_ratio": round(ours_seconds / baseline_seconds, 2),
        "baseline": "Splink 5 link_only: NameComparison on given and family names (term frequencies), "
        "DateOfBirthComparison, PostcodeComparison; u by random sampling (1e6 pairs), the match probability "
        "from names and date of birth agreeing (recall 0.7), EM blocked on both names and on date of birth; "
        "pairs at p >= 0.5",
    }


def _as_records(table: pa.Table, source: str) -> pa.Table:

    blank = pa.array([""] * table.num_rows, pa.string())
    columns = {name: table[name] if name in table.column_names else blank for name in RECORD_SCHEMA.names}
    columns["source"] = pa.array([source] * table.num_rows, pa.string())
    return pa.table(columns, schema=RECORD_SCHEMA)


def careful_splink(left: pa.Table, right: pa.Table) -> set[tuple[str, str]]:
    """What a careful analyst does with Splink alone: the values cleaned (names upper-cased and trimmed, postcodes
    in one form, dates as ISO strings), Splink's library comparisons, unsupervised training, p >= 0.5."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    clean = """
        SELECT record_id AS unique_id,
               nullif(upper(trim(regexp_replace(given_name, '\\s+', ' ', 'g'))), '') AS given_name,
               nullif(upper(trim(regexp_replace(family_name, '\\s+', ' ', 'g'))), '') AS family_name,
               strftime(date_of_birth, '%Y-%m-%d') AS date_of_birth,
               CASE WHEN postcode IS NULL OR trim(postcode) = '' THEN NULL
                    ELSE regexp_replace(upper(replace(postcode, ' ', '')), '(...)$', ' \\1') END AS postcode
        FROM source
    """
    tables = []
    for table in (left, right):
        con.register("source", table)
        tables.append(con.sql(clean).to_arrow_table())
        con.unregister("source")
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("family_name", "substr(date_of_birth, 1, 4)"),
        ],
        retain_matching_columns=False,
    )
    names = ("left_list", "right_list")  # plain "left" and "right" are SQL keywords
    frames = [db_api.register(t, dataset_display_name=n) for t, n in zip(tables, names, strict=True)]
    linker = Linker(frames, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
    # EM blocked on both names, then on date of birth: siblings share a family name and a postcode, so EM blocked
    # on postcode would learn "same family" as the match class; siblings rarely share a given name.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    rows = linker.inference.predict(threshold_match_probability=0.5).as_record_list()
    con.close()
    left_first = [r["source_dataset_l"] == names[0] for r in rows]
    return {
        (r["unique_id_l"], r["unique_id_r"]) if first else (r["unique_id_r"], r["unique_id_l"])
        for r, first in zip(rows, left_first, strict=True)
    }


def _pair_scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    correct = len(predicted & truth)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# -- 4: Spark in local mode ---------------------------------------------------------------------------------------


def measure_spark(children: int, folder: Path, work: Path) -> dict[str, Any]:
    """DuckDB here (the model, its pairs and links); Spark in its own process, its memory sampled from /proc."""

    county = synth(children, folder)
    records, truth = county_records(county)
    run = work / f"spark-{children}"
    run.mkdir()
    pq.write_table(records, run / "records.parquet")
    (run / "truth.json").write_text(json.dumps(truth))
    print(f"Spark, {children:,} children ({records.num_rows:,} records): DuckDB first ...", flush=True)
    ids = records["record_id"].to_pylist()
    prior = _people(ids)
    with open_backend("duckdb") as backend:
        started = time.perf_counter()
        model = train(records, backend=backend)
        pairs = predict.predict(records, model, backend=backend)
        on_duckdb = resolve.resolve(records=ids, prior=prior, pairs=pairs, upper=model.upper, lower=model.lower)
        duckdb_seconds = time.perf_counter() - started
        comparisons = _comparisons(records, model, backend)
    save(model, run / "model.json")
    print(f"  DuckDB {duckdb_seconds:.1f} s; Spark in its own process ...", flush=True)
    command = [sys.executable, __file__, "--spark-run", str(run)]
    process = subprocess.Popen(command, cwd=Path(__file__).parent)  # noqa: S603
    peak = _peak_tree_memory(process)
    if process.returncode:
        raise SystemExit(f"the Spark run at {children:,} children failed (status {process.returncode})")
    out = json.loads((run / "result.json").read_text())
    spark_pairs = pq.read_table(run / "pairs.parquet")
    same = _compare_pairs(pairs, spark_pairs)
    on_spark = resolve.resolve(records=ids, prior=prior, pairs=spark_pairs, upper=model.upper, lower=model.lower)
    differ = _differences(_placed(on_spark, ids), _placed(on_duckdb, ids))
    shutil.rmtree(run, ignore_errors=True)
    print(f"  Spark {out['seconds']:.1f} s, peak {peak / MIB:,.0f} MiB; {differ:,} records placed differently")
    return {
        "children": children,
        "records": records.num_rows,
        "comparisons": comparisons,
        "seconds": out["seconds"],
        "peak_memory_mib": round(peak / MIB),
        "session_seconds": out["session_seconds"],
        "train_seconds": out["train_seconds"],
        "predict_seconds": out["predict_seconds"],
        "resolve_seconds": out["resolve_seconds"],
        "f1": out["f1"],
        "duckdb_seconds": round(duckdb_seconds, 1),
        "duckdb_model_on_spark": {
            "same_pairs": same["same_pairs"],
            "max_probability_difference": same["max_probability_difference"],
            "same_links": differ == 0,
            "records_placed_differently": differ,
        },
        "master": os.environ.get("CONTINUUM_SPARK_MASTER") or "local[2]",
        "driver_memory": os.environ.get("CONTINUUM_SPARK_DRIVER_MEMORY") or "4g",
    }


def _spark_process(run: Path) -> None:
    """In the Spark run's own process: open Spark, train, predict and resolve there (timed); then predict with the
    DuckDB model too, for the comparison, and write both out."""

    records = pq.read_table(run / "records.parquet")
    truth = json.loads((run / "truth.json").read_text())
    ids = records["record_id"].to_pylist()
    timer = _Timer()
    started = time.perf_counter()
    with open_backend("spark", work_dir=run) as backend:
        timer.seconds["session"] = time.perf_counter() - started
        model = timer("train", lambda: train(records, backend=backend))
        pairs = timer("predict", lambda: predict.predict(records, model, backend=backend))
        prior = _people(ids)
        done = timer(
            "resolve",
            lambda: resolve.resolve(records=ids, prior=prior, pairs=pairs, upper=model.upper, lower=model.lower),
        )
        seconds = time.perf_counter() - started
        pq.write_table(predict.predict(records, load(run / "model.json"), backend=backend), run / "pairs.parquet")
    scores = evaluate.pairwise(_placed(done, ids), truth)
    result = {
        "seconds": round(seconds, 1),
        "session_seconds": round(timer.seconds["session"], 1),
        "train_seconds": round(timer.seconds["train"], 1),
        "predict_seconds": round(timer.seconds["predict"], 1),
        "resolve_seconds": round(timer.seconds["resolve"], 1),
        "f1": round(scores.f1, 4),
    }
    (run / "result.json").write_text(json.dumps(result))


def _compare_pairs(duckdb: pa.Table, spark: pa.Table) -> dict[str, Any]:
    def probabilities(table: pa.Table) -> dict[tuple[str, str], float]:
        columns = [table[c].to_pylist() for c in ("left_id", "right_id", "match_probability")]
        return {(a, b): p for a, b, p in zip(*columns, strict=True)}

    one, other = probabilities(duckdb), probabilities(spark)
    common = one.keys() & other.keys()
    return {
        "same_pairs": one.keys() == other.keys(),
        "max_probability_difference": max((abs(one[k] - other[k]) for k in common), default=0.0),
    }


def _peak_tree_memory(process: subprocess.Popen[bytes]) -> int:
    """Wait for the process; the peak of its resident memory and its descendants' (the JVM) summed, in bytes."""
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    sampler.join()
    return peak


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


# -- Shared -------------------------------------------------------------------------------------------------------


def synth(children: int, folder: Path) -> Path:
    county = folder / f"county-{children}"
    if (county / "manifest.json").is_file():
        manifest = json.loads((county / "manifest.json").read_text())
        if manifest["children"] == children and manifest["seed"] == SEED and manifest["as_of"] == AS_OF:
            print(f"Using the county of {children:,} children in {county}", flush=True)
            return county
    print(f"Generating a county of {children:,} children ...", flush=True)
    command = [str(CONTINUUM), "synth", "--children", str(children), "--seed", str(SEED), "--as-of", AS_OF]
    subprocess.run([*command, "--out", str(county)], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return county


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return work()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


_last_report = [0.0]


def _progress(what: str, done: int, total: int) -> None:
    now = time.perf_counter()
    if now - _last_report[0] > 5 or done == total:
        _last_report[0] = now
        print(f"    {what}: {done:,}/{total:,}", flush=True)


def _java_version() -> str | None:
    java = shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stderr.splitlines()[0] if done.stderr else None


if __name__ == "__main__":
    main()
