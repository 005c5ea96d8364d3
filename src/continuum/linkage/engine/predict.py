"""Scoring pairs of records with a trained model: every pair within a set of records, or new records against those
already linked (incremental linkage).

Both return `pairs_schema(model)`: left_id < right_id (as strings), the match probability and weight, and for each
comparison its level (`gamma_<field>`, -1 when a side is missing) and Bayes factor (`bf_<field>`, term-frequency
adjustment included). Term frequencies always come from the whole population scored (for `predict_new`, the new
and the linked records together), so a pair scores the same whichever way it is found.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from continuum.linkage.engine.backends import Backend
from continuum.linkage.engine.model import TrainedModel, linker_for, registered, using
from continuum.linkage.engine.prepare import standardise
from continuum.linkage.engine.records import RECORD_SCHEMA, Progress

PAIRS_SCHEMA = pa.schema(
    [
        ("left_id", pa.string()),
        ("right_id", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
    ]
)


def pairs_schema(model: TrainedModel) -> pa.Schema:
    """`PAIRS_SCHEMA` with the model's comparison columns: gamma_<name> (int8) and bf_<name> (float64)."""
    schema = PAIRS_SCHEMA
    for name in model.comparisons:
        schema = schema.append(pa.field(f"gamma_{name}", pa.int8()))
    for name in model.comparisons:
        schema = schema.append(pa.field(f"bf_{name}", pa.float64()))
    return schema


def predict(
    records: pa.Table,
    model: TrainedModel,
    *,
    backend: Backend | None = None,
    threshold: float | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Every pair of `records` the model's blocking rules find with match probability >= `threshold` (default the
    model's lower threshold)."""
    threshold = model.lower if threshold is None else threshold
    _report(progress, "Preparing records", 0, 2)
    prepared = standardise(records)
    _report(progress, "Scoring pairs", 1, 2)
    with using(backend) as active, linker_for(active, prepared, model.splink) as linker:
        frame = linker.inference.predict(threshold_match_probability=threshold)
        pairs = _pairs(frame, model)
    _report(progress, "Scored", 2, 2)
    return pairs


def predict_new(
    new: pa.Table,
    linked: pa.Table,
    model: TrainedModel,
    *,
    backend: Backend | None = None,
    threshold: float | None = None,
) -> pa.Table:
    """The pairs new × linked and new × new (never linked × linked) with match probability >= `threshold` (default
    the model's lower threshold): the same pairs, with the same probabilities, as `predict` over both would give."""
    threshold = model.lower if threshold is None else threshold
    new = new.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)
    linked = linked.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)
    union = standardise(pa.concat_tables([new, linked]))
    prepared_new, prepared_linked = union.slice(0, new.num_rows), union.slice(new.num_rows)
    with (
        using(backend) as active,
        linker_for(active, union, model.splink) as linker,
        registered(active, [prepared_new, prepared_linked]) as (new_frame, linked_frame),
    ):
        # Term frequencies from the whole population (the linker's input is the union), as `predict` computes them.
        for column in _term_frequency_columns(model):
            linker.table_management.compute_tf_table(column)
        parts = []
        if new.num_rows and linked.num_rows:
            between = linker.inference.predict_between(new_frame, linked_frame, threshold_match_probability=threshold)
            parts.append(_pairs(between, model))
        if new.num_rows > 1:
            within = linker.inference.predict_within(new_frame, threshold_match_probability=threshold)
            parts.append(_pairs(within, model))
    if not parts:
        return pairs_schema(model).empty_table()
    return _sorted(pa.concat_tables(parts))


def _term_frequency_columns(model: TrainedModel) -> list[str]:
    columns = []
    for comparison in model.splink["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and column not in columns:
                columns.append(column)
    return columns


def _pairs(frame: Any, model: TrainedModel) -> pa.Table:
    """Splink's predictions as `pairs_schema(model)`: ids ordered, each comparison's level and Bayes factor.

    Splink 5 returns each comparison's match weight (`mw_<name>`, and `mw_tf_adj_<name>` for its term-frequency
    part) but not its level unless every compared column is kept too (far too much at scale), so the level is read
    back from the weight: each level's weight is a constant of the model, the same number Splink wrote into its SQL.
    """
    table = frame.as_pyarrow_table()
    frame.drop_table_from_database_and_remove_from_cache()
    columns = set(table.column_names)
    gammas, factors = [], []
    for name, weights in level_weights(model).items():
        cases = " ".join(f"WHEN abs(p.mw_{name} - ({weight!r})) < 1e-9 THEN {gamma}" for gamma, weight in weights)
        gammas.append(f"cast(CASE {cases} END as tinyint) as gamma_{name}")
        weight = f"p.mw_{name}"
        if f"mw_tf_adj_{name}" in columns:
            weight = f"{weight} + coalesce(p.mw_tf_adj_{name}, 0.0)"
        factors.append(f"cast(pow(2.0, {weight}) as double) as bf_{name}")
    connection = duckdb.connect()
    try:
        connection.register("predictions", table)
        selected = ",\n".join(gammas + factors)
        result = connection.sql(
            f"""
            select
                least(p.record_id_l, p.record_id_r) as left_id,
                greatest(p.record_id_l, p.record_id_r) as right_id,
                cast(p.match_probability as double) as match_probability,
                cast(p.match_weight as double) as match_weight,
                {selected}
            from predictions p
            order by left_id, right_id
            """  # noqa: S608 (names and numbers from the model, no record values)
        ).to_arrow_table()
    finally:
        connection.close()
    return result.cast(pairs_schema(model))


def level_weights(model: TrainedModel) -> dict[str, list[tuple[int, float]]]:
    """For each comparison, (gamma, match weight) of its levels, most alike first and the null level (-1, 0) last,
    as Splink computes them from the model (its clamping of tiny probabilities included). Two levels of one
    comparison with the same weight (never seen in training, both at the floors) read back as the more alike."""
    from splink.internals.settings_creator import SettingsCreator

    settings = SettingsCreator.from_path_or_dict(model.splink).get_settings("duckdb")
    weights = {}
    for comparison in settings.comparisons:
        levels = sorted(comparison.comparison_levels, key=lambda level: -level.comparison_vector_value)
        weights[comparison.output_column_name] = [
            (level.comparison_vector_value, float(level._match_weight)) for level in levels
        ]
    return weights


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([("left_id", "ascending"), ("right_id", "ascending")])


def _report(progress: Progress | None, what: str, done: int, total: int) -> None:
    if progress is not None:
        progress(what, done, total)
