"""The linkage model: Splink's settings for our records, unsupervised training, and the model file.

Comparisons (one per field the records carry, see `compared_fields`), each a few levels from most to least alike:

- given name: the same (with term-frequency adjustment: agreeing on Olivia says less than on Zofia), forms of one
  name (a nickname or short form by the `nicknames` package: Bill and William), spelt alike (Jaro-Winkler >= 0.92),
  a short form the package does not know (one holds the other's first three letters: Abi, Abigail), similar
  (>= 0.8), different;
- family name: the same (term-frequency adjusted), spelt alike, one part of a double-barrelled name the same,
  similar, different;
- date of birth: the same in one family home (weighed against how often twins share a home), the same, day and month
  the other way round, a day apart, one character different (a slip of a digit), different;
- sex; postcode: the same (as the chance of that given the family name, for a family shares both), one character
  different, same sector, same district, different; address: the same, alike, different;
- NHS number and UPN: the same or different (the caller leaves out any that fail their check).

Every SQL expression in the settings and blocking rules uses only what DuckDB and Spark SQL both have (unquoted
column names, `=`, `abs`, `substr`, `instr`, `concat`, `levenshtein`, and `jaro_winkler`, which Splink's jar gives
Spark and `register_functions` gives DuckDB), so one model file runs unchanged on either backend. That is why the
levels are written here as SQL rather than with `splink.comparison_library`: the library quotes column names in each
dialect's own way ("x" on DuckDB is a string on Spark), which would tie the model file to the backend it was
trained on.

Training is unsupervised (Splink's Fellegi-Sunter model, no labels): u from pairs of records drawn at random, the
probability that two random records match from deterministic rules, m by expectation maximisation on blocking rules
that find pairs of one person rather than of one family (see `TRAINING`), each on a capped sample of pairs so that
1.5 million records train in well under a minute. Two corrections keep a family from looking like one person: the
postcode counts as evidence given the family name and the date of birth given the family home (`_given_family`),
and no trained probability falls below a floor (`M_FLOOR`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import splink

from continuum.linkage.engine.backends import Backend, open_backend
from continuum.linkage.engine.prepare import standardise
from continuum.linkage.engine.records import FIELDS, Progress

MODEL_FILE_FORMAT = 1
MODEL_KIND = "continuum-linkage-model"

# Pairs at or above DEFAULT_UPPER link without a person looking; pairs in [DEFAULT_LOWER, DEFAULT_UPPER) go to
# clerical review. Chosen on synthetic counties of 5,000 and 50,000 children and on two lists of 5,000 children:
# - at 0.95 no pair of two different people linked on the counties once a join of two platform people goes to
#   review (as resolve does); recall is within 0.3% of what the records allow (a CIN or SSDA903 record with neither
#   a name nor a UPN cannot be told from other children born that day); the two lists reach F1 0.989;
# - at 0.99 recall falls, and a record with another family name (the other parent's, or a married name) but the
#   same given name, date of birth and postcode (about 0.98 on the 50,000 county) no longer links;
# - the band down to 0.2 holds about 0.1% of the records (the target is at most 1%) and catches the ambiguous
#   cases worth a person's look: a twin or a nickname the list does not know, another family name and no postcode.
DEFAULT_UPPER = 0.95
DEFAULT_LOWER = 0.2

# A field is compared when at least this share of records carry it (fewer says too little to train on).
MIN_SHARE = 0.01
# Pairs drawn at random for the u probabilities, and the cap on the pairs of each EM session.
U_PAIRS = 2e6
EM_PAIRS = 1.5e6
# Recall assumed of the deterministic rules when estimating the probability that two random records match.
DETERMINISTIC_RECALL = 0.7


class ModelFileError(ValueError):
    """A model file that cannot be used: one line naming the file and why."""


@dataclass(frozen=True)
class Level:
    label: str  # Splink's label_for_charts: also how `explain` finds the level's words
    sql: str  # the condition, in SQL both backends run ("ELSE" for the last level)
    agrees: bool | None  # None: a side is missing
    says: str  # in words, for a reviewer (never a value of the records)
    term_frequency: str | None = None  # the column whose value frequencies adjust this level's weight


def _null(column: str, says: str) -> Level:
    return Level("Missing", f"{column}_l IS NULL OR {column}_r IS NULL", None, says)


def _jaro_winkler(column: str, at_least: float) -> str:
    return f"jaro_winkler({column}_l, {column}_r) >= {at_least}"


def _one_part(column: str) -> str:
    """One side is a whole word of the other (Smith and Foster Smith)."""
    left, right = f"concat(' ', {column}_l, ' ')", f"concat(' ', {column}_r, ' ')"
    return f"instr({left}, {right}) > 0 OR instr({right}, {left}) > 0"


# The levels of each field's comparison, most alike first; the null level first.
LEVELS: dict[str, tuple[Level, ...]] = {
    "given_name": (
        _null("given_name", "A given name is missing"),
        Level("Same", "given_name_l = given_name_r", True, "Given names are the same", term_frequency="given_name"),
        Level(
            "Forms of one name",
            "given_canon_l = given_canon_r OR instr(given_forms_l, given_word_r) > 0"
            " OR instr(given_forms_r, given_word_l) > 0",
            True,
            "Given names are forms of one name (a nickname or short form)",
        ),
        Level("Spelt alike", _jaro_winkler("given_name", 0.92), True, "Given names are spelt alike"),
        Level(
            "Short form",
            "instr(given_name_l, given_start_r) > 0 OR instr(given_name_r, given_start_l) > 0",
            True,
            "One given name could be a short form of the other (it holds the other's first letters)",
        ),
        Level("Similar", _jaro_winkler("given_name", 0.8), False, "Given names are somewhat alike"),
        Level("Different", "ELSE", False, "Given names differ"),
    ),
    "family_name": (
        _null("family_name", "A family name is missing"),
        Level("Same", "family_name_l = family_name_r", True, "Family names are the same", term_frequency="family_name"),
        Level("Spelt alike", _jaro_winkler("family_name", 0.92), True, "Family names are spelt alike"),
        Level("One part the same", _one_part("family_name"), False, "One part of a family name is the same"),
        Level("Similar", _jaro_winkler("family_name", 0.8), False, "Family names are somewhat alike"),
        Level("Different", "ELSE", False, "Family names differ"),
    ),
    "date_of_birth": (
        _null("dob", "A date of birth is missing"),
        Level(
            "Same, in one family home",
            "dob_l = dob_r AND home_l = home_r",
            True,
            "Dates of birth are the same, in one family home (as twins' are)",
        ),
        Level("Same", "dob_l = dob_r", True, "Dates of birth are the same"),
        Level(
            "Day and month swapped",
            "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
            " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
            False,
            "Dates of birth have day and month the other way round",
        ),
        Level("A day apart", "abs(dob_days_l - dob_days_r) <= 1", False, "Dates of birth are a day apart"),
        Level("One digit different", "levenshtein(dob_l, dob_r) <= 1", False, "Dates of birth differ in one digit"),
        Level("Different", "ELSE", False, "Dates of birth differ"),
    ),
    "sex": (
        _null("sex", "A sex is not recorded"),
        Level("Same", "sex_l = sex_r", True, "Sexes are the same"),
        Level("Different", "ELSE", False, "Sexes differ"),
    ),
    "postcode": (
        _null("postcode", "A postcode is missing"),
        Level(
            "Same, with the family name",
            "home_l = home_r",
            True,
            "Postcodes are the same, as they are for a family living together",
        ),
        Level("Same", "postcode_l = postcode_r", True, "Postcodes are the same"),
        Level(
            "One character different",
            "levenshtein(postcode_l, postcode_r) <= 1",
            False,
            "Postcodes differ in one character (a slip, or the next sector's)",
        ),
        Level(
            "Same sector",
            "postcode_sector_l = postcode_sector_r",
            False,
            "Postcodes differ but are in the same sector (neighbouring streets)",
        ),
        Level(
            "Same district",
            "postcode_district_l = postcode_district_r",
            False,
            "Postcodes differ but are in the same district",
        ),
        Level("Different", "ELSE", False, "Postcodes are in different districts"),
    ),
    "address": (
        _null("address", "An address is missing"),
        Level("Same", "address_l = address_r", True, "Addresses are the same"),
        Level("Alike", _jaro_winkler("address", 0.9), True, "Addresses are written alike"),
        Level("Different", "ELSE", False, "Addresses differ"),
    ),
    "nhs_number": (
        _null("nhs_number", "An NHS number is missing"),
        Level("Same", "nhs_number_l = nhs_number_r", True, "NHS numbers are the same"),
        Level("Different", "ELSE", False, "NHS numbers differ"),
    ),
    "upn": (
        _null("upn", "A unique pupil number is missing"),
        Level("Same", "upn_l = upn_r", True, "Unique pupil numbers are the same"),
        Level("Different", "ELSE", False, "Unique pupil numbers differ"),
    ),
}

# The prepared column each field is checked for values by (a field is compared only when it has them).
_VALUE_COLUMN = {
    "given_name": "given_name",
    "family_name": "family_name",
    "date_of_birth": "dob",
    "sex": "sex",
    "postcode": "postcode",
    "address": "address",
    "nhs_number": "nhs_number",
    "upn": "upn",
}

# Blocking rules for predictions, each with the fields it needs. Together they find every pair worth scoring while
# keeping 1.5 million records to a few tens of millions of pairs.
BLOCKING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.dob = r.dob AND substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1)", ("date_of_birth", "given_name")),
    ("l.dob = r.dob AND l.family_name = r.family_name", ("date_of_birth", "family_name")),
    (
        "l.given_canon = r.given_canon AND l.family_key = r.family_key AND substr(l.dob, 1, 4) = substr(r.dob, 1, 4)",
        ("given_name", "family_name", "date_of_birth"),
    ),
    (
        "l.given_canon = r.given_canon AND l.family_key = r.family_key AND l.postcode_district = r.postcode_district",
        ("given_name", "family_name", "postcode"),
    ),
    ("l.given_canon = r.given_canon AND l.family_key = r.family_key AND l.dob IS NULL", ("given_name", "family_name")),
    ("l.given_canon = r.given_canon AND l.family_key = r.family_key AND r.dob IS NULL", ("given_name", "family_name")),
    ("l.dob_swapped = r.dob AND l.given_canon = r.given_canon", ("date_of_birth", "given_name")),
    ("l.postcode = r.postcode AND substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1)", ("postcode", "given_name")),
    ("l.upn = r.upn", ("upn",)),
    ("l.nhs_number = r.nhs_number", ("nhs_number",)),
)

# Pairs these rules find are taken as matches when estimating the probability that two random records match.
DETERMINISTIC: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "l.given_name = r.given_name AND l.family_name = r.family_name AND l.dob = r.dob",
        ("given_name", "family_name", "date_of_birth"),
    ),
    ("l.upn = r.upn", ("upn",)),
    ("l.nhs_number = r.nhs_number", ("nhs_number",)),
)

# The prepared columns each comparison reads: an EM session estimates m for the comparisons its blocking rule does
# not read (Splink leaves out the others).
COLUMNS = {
    "given_name": ("given_name", "given_canon", "given_forms", "given_word", "given_start"),
    "family_name": ("family_name",),
    "date_of_birth": ("dob", "dob_days", "home"),
    "sex": ("sex",),
    "postcode": ("postcode", "postcode_sector", "postcode_district", "home"),
    "address": ("address",),
    "nhs_number": ("nhs_number",),
    "upn": ("upn",),
}

# Expectation maximisation sessions, (rule, columns it reads, fields it needs), in order of preference. The first
# three find pairs that are nearly all the same person: a family's members never share an NHS number or a UPN, nor
# all of given name, family name and date of birth, so twins (same family name, date of birth and postcode) and a
# child named after a parent cannot teach the model that those are matches, as they do on the usual blocking rules
# (same date of birth; same names). The others are the usual rules, for records without identifiers, and the last
# two for lists with little more than names.
TRAINING: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "l.given_name = r.given_name AND l.family_name = r.family_name AND l.dob = r.dob",
        ("given_name", "family_name", "dob"),
        ("given_name", "family_name", "date_of_birth"),
    ),
    ("l.nhs_number = r.nhs_number", ("nhs_number",), ("nhs_number",)),
    ("l.upn = r.upn", ("upn",), ("upn",)),
    ("l.dob = r.dob", ("dob",), ("date_of_birth",)),
    (
        "l.given_name = r.given_name AND l.family_name = r.family_name",
        ("given_name", "family_name"),
        ("given_name", "family_name"),
    ),
    ("l.family_name = r.family_name", ("family_name",), ("family_name",)),
    ("l.postcode = r.postcode", ("postcode",), ("postcode",)),
)
# Sessions from this one on run only for comparisons the earlier ones could not estimate.
_FALLBACK = 3

# Floors for trained probabilities: EM drives a level it rarely sees towards 0, and a weight of -300 would then
# forbid a link whatever else agrees; nothing in this model is rarer among matches than 1 in 10,000.
M_FLOOR = 1e-4
U_FLOOR = 1e-7


@dataclass(frozen=True)
class TrainedModel:
    splink: dict[str, Any]  # Splink's settings with the trained m and u (backend-neutral: no dialect, no uid)
    upper: float
    lower: float
    records: int  # how many records it was trained on
    fields: tuple[str, ...]  # which of records.FIELDS it compares
    splink_version: str
    file_format: int = MODEL_FILE_FORMAT

    def to_json(self) -> str:
        """The model file's text: keys in a stable order, so one model always gives the same bytes."""
        document = {
            "kind": MODEL_KIND,
            "file_format": self.file_format,
            "splink_version": self.splink_version,
            "records": self.records,
            "fields": list(self.fields),
            "upper": self.upper,
            "lower": self.lower,
            "splink": self.splink,
        }
        return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    @functools.cached_property
    def sha256(self) -> str:
        """The SHA-256 of the model file's text (recorded with every link the model makes)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @property
    def comparisons(self) -> tuple[str, ...]:
        """The comparisons' names in the model's order (the gamma_ and bf_ columns of its pairs)."""
        return tuple(c["output_column_name"] for c in self.splink["comparisons"])

    @classmethod
    def from_json(cls, text: str, *, name: str) -> TrainedModel:
        """The model a file's text holds; `ModelFileError` naming `name` and why when it cannot be used."""
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise ModelFileError(f"{name}: not a linkage model file (not JSON)") from None
        if not isinstance(document, dict) or document.get("kind") != MODEL_KIND:
            raise ModelFileError(f"{name}: not a Continuum linkage model")
        file_format = document.get("file_format")
        if file_format != MODEL_FILE_FORMAT:
            raise ModelFileError(
                f"{name}: a linkage model in file format {file_format!r}; this version of Continuum reads format "
                f"{MODEL_FILE_FORMAT} (train a new model with `continuum linkage run --retrain`)"
            )
        version = document.get("splink_version")
        if not isinstance(version, str) or _major_minor(version) != _major_minor(splink.__version__):
            raise ModelFileError(
                f"{name}: a linkage model trained with Splink {version}; this installation runs Splink "
                f"{splink.__version__} (train a new model with `continuum linkage run --retrain`)"
            )
        known = {"kind", "file_format", "splink_version", "records", "fields", "upper", "lower", "splink"}
        unknown = sorted(set(document) - known)
        if unknown:
            raise ModelFileError(f"{name}: fields this version of Continuum does not know: {', '.join(unknown)}")
        missing = sorted(known - set(document))
        if missing:
            raise ModelFileError(f"{name}: not a complete linkage model (missing {', '.join(missing)})")
        fields = document["fields"]
        if not isinstance(fields, list) or any(f not in FIELDS for f in fields):
            raise ModelFileError(f"{name}: fields this version of Continuum does not know in 'fields': {fields!r}")
        upper, lower, records = document["upper"], document["lower"], document["records"]
        if not (_probability(upper) and _probability(lower) and lower <= upper):
            raise ModelFileError(f"{name}: thresholds must be probabilities with lower <= upper")
        if not isinstance(records, int) or isinstance(records, bool) or records < 0:
            raise ModelFileError(f"{name}: 'records' must be a whole number")
        settings = document["splink"]
        problem = _settings_problem(settings, fields)
        if problem:
            raise ModelFileError(f"{name}: {problem}")
        return cls(
            splink=settings,
            upper=float(upper),
            lower=float(lower),
            records=records,
            fields=tuple(fields),
            splink_version=version,
            file_format=file_format,
        )


def save(model: TrainedModel, path: Path) -> None:
    """Write the model file atomically (a temporary file in the same folder, renamed over `path`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(model.to_json())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def load(path: Path) -> TrainedModel:
    """The model in a file; `ModelFileError` (one line) if it cannot be read or used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a linkage model file (not UTF-8 text)") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    return TrainedModel.from_json(text, name=str(path))


def compared_fields(prepared: pa.Table, link_type: str = "dedupe_only") -> tuple[str, ...]:
    """The fields worth comparing: carried by at least `MIN_SHARE` of the records and, when the records come from
    several sources, by at least two of them (by both lists for link_only). A field only one source carries could
    only compare that source's records with each other, and a source keeps one record per person, so agreement
    there would teach the model nothing about matches (the platform's addresses, say)."""
    sources = pc.unique(prepared["source"]).to_pylist()
    fields = []
    for name in FIELDS:
        column = prepared[_VALUE_COLUMN[name]]
        present = pc.is_valid(column)
        if prepared.num_rows == 0 or pc.sum(present).as_py() < MIN_SHARE * prepared.num_rows:
            continue
        carrying = pc.unique(pc.filter(prepared["source"], present)).to_pylist()
        if link_type == "link_only" and len(carrying) < len(sources):
            continue
        if len(sources) > 1 and len(carrying) < 2:
            continue
        fields.append(name)
    return tuple(fields)


def settings(fields: Sequence[str], link_type: str) -> dict[str, Any]:
    """Splink's settings (untrained) comparing `fields`."""
    comparisons = []
    for name in fields:
        levels = []
        for level in LEVELS[name]:
            entry: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.label}
            if level.agrees is None:
                entry["is_null_level"] = True
            if level.term_frequency:
                entry["tf_adjustment_column"] = level.term_frequency
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        comparisons.append({"output_column_name": name, "comparison_description": name, "comparison_levels": levels})
    settings: dict[str, Any] = {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule, needs in BLOCKING if set(needs) <= set(fields)
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
    }
    if link_type == "link_only":
        settings["source_dataset_column_name"] = "source"
    return settings


def train(
    records: pa.Table,
    *,
    backend: Backend | None = None,
    link_type: str = "dedupe_only",
    seed: int = 42,
    progress: Progress | None = None,
) -> TrainedModel:
    """An unsupervised model for these records (see the module's docstring). `link_type` is "link_only" when
    `records.source` holds two lists to link with each other, "dedupe_only" to find every pair within them."""
    if link_type not in ("dedupe_only", "link_only"):
        raise ValueError(f"unknown link type {link_type!r}")
    steps = 4
    _report(progress, "Preparing records", 0, steps)
    prepared = standardise(records)
    fields = compared_fields(prepared, link_type)
    if not fields:
        raise ValueError("the records carry no field to compare")
    with using(backend) as active, registered(active, [prepared]) as (table,):
        linker = _linker(table, settings(fields, link_type))
        try:
            _report(progress, "Estimating how often two records match", 1, steps)
            _estimate_prior(linker, fields, _possible_pairs(prepared, link_type))
            _report(progress, "Estimating u from random pairs", 2, steps)
            linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
            trained = _given_family(linker.misc.save_model_to_json(), "u_probability", _twins_share(prepared))
        finally:
            linker.table_management.invalidate_cache()
        linker = _linker(table, trained)
        try:
            _report(progress, "Estimating m by expectation maximisation", 3, steps)
            estimated = _estimate_m(linker, fields, prepared, link_type)
            prior = trained["probability_two_random_records_match"]
            trained = _given_family(linker.misc.save_model_to_json(), "m_probability")
            # EM's own estimate within its blocked pairs is not the population's (Splink may write it back).
            trained["probability_two_random_records_match"] = prior
        finally:
            linker.table_management.invalidate_cache()
    # A comparison no session could estimate (say, NHS numbers no two records share) is left out of the model.
    fields = tuple(name for name in fields if name in estimated)
    if not fields:
        raise ValueError("the records carry too little to train a model (no pairs to learn from)")
    trained["comparisons"] = [c for c in trained["comparisons"] if c["output_column_name"] in fields]
    _report(progress, "Trained", steps, steps)
    return TrainedModel(
        splink=_neutral(_floored(trained)),
        upper=DEFAULT_UPPER,
        lower=DEFAULT_LOWER,
        records=records.num_rows,
        fields=fields,
        splink_version=splink.__version__,
    )


@contextlib.contextmanager
def using(backend: Backend | None) -> Iterator[Backend]:
    """The given backend, or DuckDB opened for this call; with the SQL functions the model's SQL uses, and Splink's
    log quiet (its notes on levels a training session did not see would cover the command line's progress bar)."""
    with _quiet(), contextlib.ExitStack() as stack:
        active = backend if backend is not None else stack.enter_context(open_backend("duckdb"))
        register_functions(active)
        yield active


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_log.setLevel(level)


def register_functions(backend: Backend) -> None:
    """DuckDB names Jaro-Winkler `jaro_winkler_similarity`; Splink's jar gives Spark `jaro_winkler`. The model's SQL
    says `jaro_winkler`, so on DuckDB it is defined as a macro (inlined: no cost)."""
    if backend.name == "duckdb":
        backend.session.execute("CREATE OR REPLACE MACRO jaro_winkler(a, b) AS jaro_winkler_similarity(a, b)")


@contextlib.contextmanager
def linker_for(backend: Backend, prepared: pa.Table, settings: dict[str, Any]) -> Iterator[Any]:
    """A Splink linker over the prepared records, its tables dropped afterwards (one backend serves many calls)."""
    with registered(backend, [prepared]) as (table,):
        linker = _linker(table, settings)
        try:
            yield linker
        finally:
            linker.table_management.invalidate_cache()


@contextlib.contextmanager
def registered(backend: Backend, tables: Sequence[pa.Table]) -> Iterator[list[Any]]:
    """The tables registered with the backend under fresh names, dropped afterwards."""
    done = []
    try:
        for table in tables:
            name = f"continuum_records_{uuid.uuid4().hex[:12]}"
            done.append(backend.db_api.register(backend.table(table), dataset_display_name=name))
        yield done
    finally:
        for frame in done:
            with contextlib.suppress(Exception):
                frame.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)


def _linker(table: Any, settings: dict[str, Any]) -> Any:
    from splink import Linker

    linker = Linker(table, settings, log_level=None)
    # Splink caches intermediate tables per connection, by name: start clean, whatever ran on it before.
    linker.table_management.invalidate_cache()
    return linker


def _possible_pairs(prepared: pa.Table, link_type: str) -> int:
    if link_type != "link_only":
        return prepared.num_rows * (prepared.num_rows - 1) // 2
    sizes = pc.value_counts(prepared["source"]).field("counts").to_pylist()
    return (sum(sizes) ** 2 - sum(n * n for n in sizes)) // 2


def _estimate_prior(linker: Any, fields: Sequence[str], possible_pairs: int) -> None:
    """The probability that two random records match, from the pairs the deterministic rules find (at least one
    pair in all of them: with no rule or no pair found, Splink would say 0 and nothing could ever link)."""
    deterministic = [rule for rule, needs in DETERMINISTIC if set(needs) <= set(fields)]
    settings = linker._settings_obj
    try:
        if deterministic:
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=DETERMINISTIC_RECALL)
    except ValueError:  # more pairs found than the recall allows: a tiny table of near duplicates
        settings._probability_two_random_records_match = 0.5
    least = 1 / max(1, possible_pairs)
    if not deterministic or not settings._probability_two_random_records_match > least:
        settings._probability_two_random_records_match = least


def _estimate_m(linker: Any, fields: Sequence[str], prepared: pa.Table, link_type: str) -> set[str]:
    """Run the EM sessions that apply (see `TRAINING`): the preferred ones, then the usual ones for any comparison
    still without an estimate. A rule that finds no pair in these records is passed over (checked first: a session
    Splink gives up on can leave its linker half changed). Returns the fields whose comparisons were estimated."""
    estimated: set[str] = set()
    for index, (rule, columns, needs) in enumerate(TRAINING):
        if not set(needs) <= set(fields):
            continue
        estimates = {f for f in fields if not set(COLUMNS[f]) & set(columns)}
        if not estimates or (index >= _FALLBACK and estimates <= estimated):
            continue
        if not _has_pairs(prepared, rule, link_type):
            continue
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
        )
        estimated |= estimates
    return estimated


def _has_pairs(prepared: pa.Table, rule: str, link_type: str) -> bool:
    """Whether a blocking rule finds at least one pair (DuckDB over the prepared table, whatever the backend)."""
    import duckdb

    other = "l.source <> r.source" if link_type == "link_only" else "l.record_id < r.record_id"
    connection = duckdb.connect()
    try:
        connection.register("l", prepared)
        connection.register("r", prepared)
        found = connection.execute(f"select 1 from l join r on ({rule}) and {other} limit 1").fetchall()  # noqa: S608
    finally:
        connection.close()
    return bool(found)


def _given_family(trained: dict[str, Any], key: str, twins: float | None = None) -> dict[str, Any]:
    """Agreement a family shares, counted once (Fellegi-Sunter assumes the comparisons independent; in a family home
    they are not, and counting them so would link a child with a parent of the same name, or a twin).

    By the chain rule, P(family, postcode, date) = P(family) P(postcode | family) P(date | family, postcode):
    - the postcode's levels "Same, with the family name" and "Same" (family names not the same) take the chance of
      the same postcode given the family names agree, or not: divided by P(family names the same), or by the rest.
      Among other people the same postcode is then weak evidence with the family name (a family lives together)
      and strong without it (a neighbour), so a record with another family name but the same home still links;
    - the date of birth's "Same, in one family home" takes, among other people, the share of pairs in one family
      home born the same day (`twins`, counted by `_twins_share`), and both "Same" levels the whole chance of the
      same date among matches (a match's date does not depend on the home).

    `key` is "u_probability" (before EM: `twins` given) or "m_probability" (after EM).
    """
    comparisons = {c["output_column_name"]: c for c in trained["comparisons"]}
    family = comparisons.get("family_name")
    same_family = _level(family, "Same").get(key) if family else None
    if "postcode" in comparisons and isinstance(same_family, float) and 0 < same_family < 1:
        with_family = _level(comparisons["postcode"], "Same, with the family name")
        without = _level(comparisons["postcode"], "Same")
        if isinstance(with_family.get(key), float) and isinstance(without.get(key), float):
            with_family[key] = min(1.0, with_family[key] / same_family)
            without[key] = min(1.0, without[key] / (1 - same_family))
    if "date_of_birth" in comparisons:
        at_home = _level(comparisons["date_of_birth"], "Same, in one family home")
        same = _level(comparisons["date_of_birth"], "Same")
        if isinstance(at_home.get(key), float) and isinstance(same.get(key), float):
            whole = min(1.0, at_home[key] + same[key])
            same[key] = whole
            at_home[key] = whole if twins is None else max(twins, whole)
    return trained


def _twins_share(prepared: pa.Table) -> float:
    """Among pairs of records of one family home (same family name and postcode) with given names that are not
    forms of one name (other people: brothers and sisters, parents, twins), the share born the same day: the chance
    that two other people of one home share a date of birth. Smoothed (one pair in two added), on DuckDB locally
    whatever the backend (a count over the prepared table)."""
    import duckdb

    connection = duckdb.connect()
    try:
        connection.register("prepared", prepared)
        same, pairs = connection.execute(
            """
            select count(*) filter (where l.dob = r.dob), count(*)
            from prepared l join prepared r
                on l.family_name = r.family_name and l.postcode = r.postcode and l.record_id < r.record_id
            where l.dob is not null and r.dob is not null
                and l.given_canon <> r.given_canon
                and jaro_winkler_similarity(l.given_name, r.given_name) < 0.8
            """
        ).fetchone() or (0, 0)
    finally:
        connection.close()
    return (same + 1) / (pairs + 2)


def _level(comparison: dict[str, Any], label: str) -> dict[str, Any]:
    return next(level for level in comparison["comparison_levels"] if level["label_for_charts"] == label)


def _floored(trained: dict[str, Any]) -> dict[str, Any]:
    """Every non-null level with trained m and u of at least `M_FLOOR` and `U_FLOOR` (a level never seen in
    training, which Splink marks with a sentence, takes the floor)."""
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            for key, floor in (("m_probability", M_FLOOR), ("u_probability", U_FLOOR)):
                value = level.get(key)
                level[key] = max(value, floor) if isinstance(value, float) else floor
    return trained


def _neutral(trained: dict[str, Any]) -> dict[str, Any]:
    """Splink's saved settings without what ties them to one run (the dialect, the linker's random uid), with the
    probabilities rounded to 12 significant digits so that a retrain on the same data gives the same file."""
    kept = {k: v for k, v in trained.items() if k not in ("sql_dialect", "linker_uid")}
    kept["probability_two_random_records_match"] = _round(kept["probability_two_random_records_match"])
    for comparison in kept["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                if isinstance(level.get(key), float):
                    level[key] = _round(level[key])
    return kept


def _round(value: float) -> float:
    return float(f"{value:.12g}")


def _report(progress: Progress | None, what: str, done: int, total: int) -> None:
    if progress is not None:
        progress(what, done, total)


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _probability(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1


def _settings_problem(settings: Any, fields: list[str]) -> str | None:
    """Why Splink's part of a model file cannot be used, or None."""
    if not isinstance(settings, dict):
        return "'splink' must be Splink's settings"
    comparisons = settings.get("comparisons")
    if not isinstance(comparisons, list) or not all(isinstance(c, dict) for c in comparisons):
        return "Splink's settings have no comparisons"
    names = [c.get("output_column_name") for c in comparisons]
    if names != list(fields):
        return f"the comparisons {names!r} are not the fields the model names ({fields!r})"
    for comparison in comparisons:
        levels = comparison.get("comparison_levels")
        if not isinstance(levels, list) or not levels:
            return f"the comparison {comparison.get('output_column_name')!r} has no levels"
        for level in levels:
            if not isinstance(level, dict) or not isinstance(level.get("sql_condition"), str):
                return f"a level of the comparison {comparison.get('output_column_name')!r} has no SQL condition"
            if not level.get("is_null_level") and not all(
                _probability(level.get(key)) for key in ("m_probability", "u_probability")
            ):
                return f"the comparison {comparison.get('output_column_name')!r} is not trained"
    if not _probability(settings.get("probability_two_random_records_match")):
        return "the probability that two random records match is missing"
    return None
