"""The Strengths and Difficulties Questionnaire (SDQ), scored to its published rules.

One response at a time (`sdq_score`, for a questionnaire entered on a session) or a whole table at once
(`sdq_score_table`, numpy over pyarrow columns, for `continuum measures score sdq` and the benchmark). The
two are written independently and a test checks they agree on thousands of random responses.

Only item numbers and response codes are held here, never the questionnaire's wording: the SDQ is
copyrighted (youthinmind, sdqinfo.org) and its forms may not be reproduced or altered.

Sources
-------
The scoring follows the SDQ scoring syntax published at sdqinfo.org (SPSS, Stata and R versions of one
algorithm; "Scoring the SDQ" on the same site gives the bands). As published copies of that syntax show
(it is reproduced in many public analysis scripts, checked for this module):

- Items are ticked 0 "not true", 1 "somewhat true", 2 "certainly true". Items 7, 11, 14, 21 and 25 are
  worded positively inside difficulty subscales and are reverse-scored (2 - x).
- Subscales of five items each: emotional 3, 8, 13, 16, 24; conduct 5, 7, 12, 18, 22; hyperactivity
  2, 10, 15, 21, 25; peer 6, 11, 14, 19, 23; prosocial 1, 4, 9, 17, 20. The 2-4 versions change the
  wording of a few items but score by the same item numbers.
- A subscale with at least three of its five items answered is prorated: the mean of the answered items
  times five, rounded to a whole number with halves rounded up (SPSS `RND(MEAN.3(...) * 5)`; the R
  version writes `floor(0.5 + x)`), so 2.5 gives 3 where Python's `round` would give 2. With fewer than
  three answered the subscale is not scored. The rounding is done here in whole numbers,
  (10 * sum + answered) // (2 * answered), which is exactly round-half-up of 5 * sum / answered.
- Total difficulties is emotional + conduct + hyperactivity + peer, scored only when all four are.
  Externalising is conduct + hyperactivity and internalising emotional + peer (Goodman, Lamping &
  Ploubidis 2010), each only when both parts are scored.
- Impact supplement: each impact item is recoded 0 "not at all" and 1 "only a little" to 0, 2 "quite a
  lot" to 1, 3 "a great deal" to 2, and summed over the informant's items: distress, home life,
  friendships, classroom learning and leisure for parents and young people (0-10); distress, peer
  relationships and classroom learning for teachers (0-6). In the published syntax a missing impact
  item counts as 0 (`recode ... (.=0)` in Stata, `NA=0` in R) and the score is computed when at least
  one of the informant's impact items is answered (`if nimpact != 0`); when none is, it is not scored.
  When the first question of the supplement ("overall, do you think ... has difficulties", coded
  0 no, 1 minor, 2 definite, 3 severe) is answered "no", the impact score is 0 whatever else is ticked.
  Note: the brief for this module said "missing if any of those items is missing"; the published syntax
  says otherwise, and it is followed here.
- Four-band categorisation ("Scoring the SDQ", sdqinfo.org: close to average, slightly raised, high,
  very high, about 80/10/5/5% of a UK community sample; for prosocial: close to average, slightly
  lowered, low, very low). `SDQ_BAND_RANGES` holds the published cut-offs. The teacher bands agree with
  Table 1 of PMC4830858, which quotes sdqinfo's scoring instructions for 4- to 17-year-olds; the parent
  and self-report bands agree with the UK three-band cut-offs quoted from sdqinfo in BMC Psychiatry
  21:203 (2021) Table 2 where the two overlap.
- The 2-4 versions are banded with the informant's 4-17 bands: no separately published four-band
  cut-offs for the 2-4 versions were found, and sdqinfo's scoring instructions give one set per informant.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SDQ_INFORMANTS: Final = ("parent", "teacher", "self")
SDQ_VERSIONS: Final = ("4-17", "2-4", "11-17")
# The versions each informant's form is published in: the self-report form is for 11-17s only.
SDQ_FORMS: Final[Mapping[str, tuple[str, ...]]] = {
    "parent": ("4-17", "2-4"),
    "teacher": ("4-17", "2-4"),
    "self": ("11-17",),
}
SDQ_ITEM_COUNT: Final = 25
SDQ_ITEMS_BY_SUBSCALE: Final[Mapping[str, tuple[int, ...]]] = {
    "emotional": (3, 8, 13, 16, 24),
    "conduct": (5, 7, 12, 18, 22),
    "hyperactivity": (2, 10, 15, 21, 25),
    "peer": (6, 11, 14, 19, 23),
    "prosocial": (1, 4, 9, 17, 20),
}
SDQ_DIFFICULTY_SUBSCALES: Final = ("emotional", "conduct", "hyperactivity", "peer")
SDQ_REVERSED: Final = (7, 11, 14, 21, 25)
SDQ_IMPACT_KEYS: Final = ("distress", "home", "friends", "classroom", "leisure")
SDQ_IMPACT_ITEMS: Final[Mapping[str, tuple[str, ...]]] = {
    "parent": SDQ_IMPACT_KEYS,
    "teacher": ("distress", "friends", "classroom"),
    "self": SDQ_IMPACT_KEYS,
}
SDQ_SCORES: Final = (
    "emotional",
    "conduct",
    "hyperactivity",
    "peer",
    "prosocial",
    "total",
    "externalising",
    "internalising",
    "impact",
)
SDQ_BANDED_SCORES: Final = ("emotional", "conduct", "hyperactivity", "peer", "prosocial", "total", "impact")
SDQ_DIFFICULTY_BANDS: Final = ("close_to_average", "slightly_raised", "high", "very_high")
SDQ_PROSOCIAL_BANDS: Final = ("close_to_average", "slightly_lowered", "low", "very_low")

# Per informant and score: the score ranges of the four bands, in the order of SDQ_DIFFICULTY_BANDS (or
# SDQ_PROSOCIAL_BANDS for prosocial, where a low score is the concern). Both ends included.
_Bands = tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]
SDQ_BAND_RANGES: Final[Mapping[str, Mapping[str, _Bands]]] = {
    "parent": {
        "total": ((0, 13), (14, 16), (17, 19), (20, 40)),
        "emotional": ((0, 3), (4, 4), (5, 6), (7, 10)),
        "conduct": ((0, 2), (3, 3), (4, 5), (6, 10)),
        "hyperactivity": ((0, 5), (6, 7), (8, 8), (9, 10)),
        "peer": ((0, 2), (3, 3), (4, 4), (5, 10)),
        "prosocial": ((8, 10), (7, 7), (6, 6), (0, 5)),
        "impact": ((0, 0), (1, 1), (2, 2), (3, 10)),
    },
    "teacher": {
        "total": ((0, 11), (12, 15), (16, 18), (19, 40)),
        "emotional": ((0, 3), (4, 4), (5, 5), (6, 10)),
        "conduct": ((0, 2), (3, 3), (4, 4), (5, 10)),
        "hyperactivity": ((0, 5), (6, 7), (8, 8), (9, 10)),
        "peer": ((0, 2), (3, 4), (5, 5), (6, 10)),
        "prosocial": ((6, 10), (5, 5), (4, 4), (0, 3)),
        "impact": ((0, 0), (1, 1), (2, 2), (3, 6)),
    },
    "self": {
        "total": ((0, 14), (15, 17), (18, 19), (20, 40)),
        "emotional": ((0, 4), (5, 5), (6, 6), (7, 10)),
        "conduct": ((0, 3), (4, 4), (5, 5), (6, 10)),
        "hyperactivity": ((0, 5), (6, 6), (7, 7), (8, 10)),
        "peer": ((0, 2), (3, 3), (4, 4), (5, 10)),
        "prosocial": ((7, 10), (6, 6), (5, 5), (0, 4)),
        "impact": ((0, 0), (1, 1), (2, 2), (3, 10)),
    },
}

# The table columns (`continuum measures score sdq` reads and writes these).
SDQ_ITEM_COLUMNS: Final = tuple(f"sdq{number}" for number in range(1, SDQ_ITEM_COUNT + 1))
SDQ_IMPACT_COLUMNS: Final = tuple(f"impact_{key}" for key in SDQ_IMPACT_KEYS)
SDQ_INPUT_COLUMNS: Final = (
    "response_id",
    "informant",
    "version",
    *SDQ_ITEM_COLUMNS,
    "difficulties",
    *SDQ_IMPACT_COLUMNS,
)
SDQ_OUTPUT_COLUMNS: Final = ("response_id", *SDQ_SCORES, *(f"{score}_band" for score in SDQ_SCORES))

_IMPACT_POINTS: Final = (0, 0, 1, 2)  # 0 not at all, 1 only a little -> 0; 2 quite a lot -> 1; 3 a great deal -> 2
_ITEM_WHY: Final = "is not 0 (not true), 1 (somewhat true) or 2 (certainly true), or blank when not answered"
_DIFFICULTIES_WHY: Final = "is not 0 (no), 1 (minor), 2 (definite) or 3 (severe), or blank when not answered"
_IMPACT_WHY: Final = (
    "is not 0 (not at all), 1 (only a little), 2 (quite a lot) or 3 (a great deal), or blank when not answered"
)


class SdqInputError(ValueError):
    """A response that cannot be scored: which field, and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SdqScores:
    """The scores of one response (None where not scorable) and the band of each banded score."""

    emotional: int | None
    conduct: int | None
    hyperactivity: int | None
    peer: int | None
    prosocial: int | None
    total: int | None
    externalising: int | None
    internalising: int | None
    impact: int | None
    bands: dict[str, str | None]


def sdq_band(informant: str, score: str, value: int | None) -> str | None:
    """The four-band category of `value` on `score` for `informant`'s form; None when not scored."""
    if value is None:
        return None
    labels = SDQ_PROSOCIAL_BANDS if score == "prosocial" else SDQ_DIFFICULTY_BANDS
    for label, (low, high) in zip(labels, SDQ_BAND_RANGES[informant][score], strict=True):
        if low <= value <= high:
            return label
    raise ValueError(f"{value} is outside the range of the {informant} {score} score")


_FORM_NAMES: Final = {"parent": "parent", "teacher": "teacher", "self": "self-report"}


def sdq_form_problem(informant: str, version: str) -> tuple[str, str] | None:
    """(field, why) if there is no such SDQ form; None if there is."""
    if informant not in SDQ_FORMS:
        return "informant", f"{_shown(informant)} is not an informant: parent, teacher or self"
    if version not in SDQ_VERSIONS:
        return "version", f"{_shown(version)} is not a version: 4-17, 2-4 or 11-17"
    if version not in SDQ_FORMS[informant]:
        versions = " or ".join(SDQ_FORMS[informant])
        return "version", f"the {_FORM_NAMES[informant]} form has no {version} version (only {versions})"
    return None


def sdq_score(
    *,
    informant: str,
    version: str,
    items: Sequence[int | None],
    difficulties: int | None,
    impact: Mapping[str, int | None],
) -> SdqScores:
    """Score one SDQ response: `items` holds items 1 to 25 in order (None when not answered), `impact`
    the impact supplement by key (`SDQ_IMPACT_KEYS`, None or absent when not answered; a question not on
    the informant's form, such as home life for a teacher, does not count, though its answer must still
    be 0-3), `difficulties` the supplement's first question (0 no, 1 minor, 2 definite, 3 severe).

    Raises SdqInputError naming the first field that is wrong.
    """
    problem = sdq_form_problem(informant, version)
    if problem:
        raise SdqInputError(*problem)
    if isinstance(items, str | bytes) or len(items) != SDQ_ITEM_COUNT:
        count = len(items) if isinstance(items, Sequence) else "no"
        raise SdqInputError("items", f"{count} item responses given; the SDQ has {SDQ_ITEM_COUNT} (items 1 to 25)")
    answers: list[int | None] = []
    for number, value in enumerate(items, start=1):
        answers.append(_answer(f"sdq{number}", value, 2, _ITEM_WHY))
    difficulties = _answer("difficulties", difficulties, 3, _DIFFICULTIES_WHY)
    for key, value in impact.items():
        if key not in SDQ_IMPACT_KEYS:
            raise SdqInputError("impact", f"{_shown(key)} is not an impact question: {', '.join(SDQ_IMPACT_KEYS)}")
        _answer(f"impact_{key}", value, 3, _IMPACT_WHY)

    scored = [None if a is None else (2 - a if n in SDQ_REVERSED else a) for n, a in enumerate(answers, start=1)]
    sub = {name: _prorated([scored[n - 1] for n in numbers]) for name, numbers in SDQ_ITEMS_BY_SUBSCALE.items()}
    emotional, conduct, hyperactivity, peer = (sub[name] for name in SDQ_DIFFICULTY_SUBSCALES)
    total = None
    if emotional is not None and conduct is not None and hyperactivity is not None and peer is not None:
        total = emotional + conduct + hyperactivity + peer
    externalising = None if conduct is None or hyperactivity is None else conduct + hyperactivity
    internalising = None if emotional is None or peer is None else emotional + peer

    answered = [impact[key] for key in SDQ_IMPACT_ITEMS[informant] if impact.get(key) is not None]
    impact_score = None
    if difficulties == 0:
        impact_score = 0
    elif answered:
        impact_score = sum(_IMPACT_POINTS[value] for value in answered if value is not None)

    values = {**sub, "total": total, "impact": impact_score}
    return SdqScores(
        emotional=emotional,
        conduct=conduct,
        hyperactivity=hyperactivity,
        peer=peer,
        prosocial=sub["prosocial"],
        total=total,
        externalising=externalising,
        internalising=internalising,
        impact=impact_score,
        bands={score: sdq_band(informant, score, values[score]) for score in SDQ_BANDED_SCORES},
    )


def _answer(field: str, value: object, highest: int, why: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= int(value) <= highest:
        raise SdqInputError(field, f"{_shown(value)} {why}")
    return int(value)


def _prorated(values: list[int | None]) -> int | None:
    """The subscale score: five times the mean of the answered items, halves rounded up; None under three."""
    answered = [value for value in values if value is not None]
    if len(answered) < 3:
        return None
    return (10 * sum(answered) + len(answered)) // (2 * len(answered))


def _shown(value: object) -> str:
    """A value as quoted in a message: repr, so control characters show escaped, and cut short when long."""
    shown = repr(value)
    return shown if len(shown) <= 40 else f"{shown[:30]}...{shown[-1]}"


# The vectorised path ------------------------------------------------------------------------------------------------

MAX_PROBLEMS: Final = 1000


@dataclass(frozen=True)
class SdqCellProblem:
    """One bad cell of a table: its row (0 for the first data row; None for the header) and column."""

    row: int | None
    field: str
    why: str


class SdqTableError(ValueError):
    """The table has problems (the first `MAX_PROBLEMS` of them, in row order; `total` counts them all)."""

    def __init__(self, problems: list[SdqCellProblem], total: int) -> None:
        self.problems = problems
        self.total = total
        super().__init__(f"{total} problem(s) in the SDQ table")


def sdq_score_table(table: pa.Table) -> pa.Table:
    """Score every response of `table` (columns `SDQ_INPUT_COLUMNS`, cells as text as in a CSV file, or
    as numbers; blank or null when not answered) into a table of `SDQ_OUTPUT_COLUMNS`: the scores as small
    integers and the bands as text, null where not scorable. Externalising and internalising have no
    published bands: their band columns are there, and always null.

    Raises SdqTableError listing the problems if any cell is wrong; nothing is scored then.
    """
    parsed, problems, total = _parse(table, MAX_PROBLEMS)
    if parsed is None:
        raise SdqTableError(problems, total)
    return _score_parsed(parsed)


def sdq_table_problems(table: pa.Table, *, limit: int | None = None) -> list[SdqCellProblem]:
    """Every bad cell of `table` in row order (the first `limit` of them), or [] if it can be scored."""
    _, problems, _ = _parse(table, limit)
    return problems


@dataclass
class _Parsed:
    ids: pa.ChunkedArray
    informant: np.ndarray  # int8 codes into SDQ_INFORMANTS
    items: np.ndarray  # (25, n) int8, -1 when not answered
    difficulties: np.ndarray  # int8, -1 when not answered
    impact: np.ndarray  # (5, n) int8 in SDQ_IMPACT_KEYS order, -1 when not answered


def _text(table: pa.Table, name: str) -> pa.ChunkedArray:
    """A column as trimmed text, "" for a null."""
    column = table.column(name)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = pc.cast(column, pa.string())
    return pc.utf8_trim_whitespace(pc.fill_null(column, ""))


def _codes(cells: pa.ChunkedArray, allowed: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The position of each cell in `allowed` (-1 when blank or not allowed), and where it was not allowed."""
    index = pc.fill_null(pc.index_in(cells, value_set=pa.array(allowed, pa.string())), -1)
    codes = np.asarray(index.to_numpy(), dtype=np.int8)
    wrong = (codes < 0) & np.asarray(pc.not_equal(cells, "").to_numpy(), dtype=bool)
    return codes, wrong


_ASCII_SPACES: Final = np.array([9, 10, 11, 12, 13, 32], dtype=np.uint8)


def _digit_codes(table: pa.Table, name: str, highest: int) -> tuple[np.ndarray, np.ndarray]:
    """`_codes` for a column of answers 0 to `highest`, fast: a one-character cell is read from its byte.

    Only cells of other lengths (spaces around a digit, or something wrong) go through `_codes`.
    """
    column = table.column(name)
    if column.type != pa.string():
        return _codes(_text(table, name), tuple(str(code) for code in range(highest + 1)))
    codes = np.full(len(column), -1, dtype=np.int8)
    wrong = np.zeros(len(column), dtype=bool)
    at = 0
    for chunk in column.chunks:
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        n = len(chunk)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=n + 1, offset=4 * chunk.offset)
        data = np.frombuffer(chunk.buffers()[2] or b"", dtype=np.uint8)
        lengths = np.diff(offsets)
        single = np.flatnonzero(lengths == 1)
        byte = data[offsets[single]]
        digit = byte.astype(np.int16) - ord("0")
        fits = (digit >= 0) & (digit <= highest)
        codes[at + single] = np.where(fits, digit, -1)
        wrong[at + single] = ~fits & ~np.isin(byte, _ASCII_SPACES)  # a lone space is a blank
        longer = np.flatnonzero(lengths > 1)
        if len(longer):
            cells = pc.utf8_trim_whitespace(pc.take(chunk, pa.array(longer)))
            allowed = tuple(str(code) for code in range(highest + 1))
            codes[at + longer], wrong[at + longer] = _codes(pa.chunked_array([cells]), allowed)
        at += n
    return codes, wrong


# A check of one column: its name, the rows where it fails, and the reason given the row.
_Check = tuple[str, np.ndarray, Callable[[int], str]]


def _parse(table: pa.Table, limit: int | None) -> tuple[_Parsed | None, list[SdqCellProblem], int]:
    names = table.column_names
    missing = [name for name in SDQ_INPUT_COLUMNS if name not in names]
    twice = sorted({name for name in names if name in SDQ_INPUT_COLUMNS and names.count(name) > 1})
    if missing or twice:
        header = [SdqCellProblem(None, name, "the column is missing") for name in missing]
        header += [SdqCellProblem(None, name, "the column appears more than once") for name in twice]
        return None, header[:limit], len(header)

    n = table.num_rows
    checks: list[_Check] = []

    def check(name: str, wrong: np.ndarray, why: Callable[[str], str]) -> None:
        column = table.column(name)
        checks.append((name, wrong, lambda row: why(_cell(column, row))))

    ids = _text(table, "response_id")
    blank = np.asarray(pc.equal(ids, "").to_numpy(), dtype=bool)
    control = np.asarray(pc.match_substring_regex(ids, r"[\x00-\x1f\x7f-\x9f]").to_numpy(), dtype=bool)
    check("response_id", blank, lambda cell: "is required")
    check("response_id", control, lambda cell: f"{_shown(cell)} contains a control character")
    check("response_id", _repeated(ids) & ~blank, lambda cell: f"{_shown(cell)} appears more than once")

    informant_text = _text(table, "informant")
    version_text = _text(table, "version")
    informant, _ = _codes(informant_text, SDQ_INFORMANTS)
    version, _ = _codes(version_text, SDQ_VERSIONS)
    check("informant", informant < 0, _informant_why)
    check("version", version < 0, _version_why)
    form_ok = np.array([[v in SDQ_FORMS[i] for v in SDQ_VERSIONS] for i in SDQ_INFORMANTS], dtype=bool)
    no_form = (informant >= 0) & (version >= 0) & ~form_ok[np.maximum(informant, 0), np.maximum(version, 0)]

    def form_why(row: int) -> str:
        problem = sdq_form_problem(_cell(informant_text, row), _cell(version_text, row))
        return problem[1] if problem else ""

    checks.append(("version", no_form, form_why))

    items = np.empty((SDQ_ITEM_COUNT, n), dtype=np.int8)
    for position, name in enumerate(SDQ_ITEM_COLUMNS):
        items[position], wrong = _digit_codes(table, name, 2)
        check(name, wrong, lambda cell: f"{_shown(cell)} {_ITEM_WHY}")
    difficulties, wrong = _digit_codes(table, "difficulties", 3)
    check("difficulties", wrong, lambda cell: f"{_shown(cell)} {_DIFFICULTIES_WHY}")
    impact = np.empty((len(SDQ_IMPACT_KEYS), n), dtype=np.int8)
    for position, name in enumerate(SDQ_IMPACT_COLUMNS):
        impact[position], wrong = _digit_codes(table, name, 3)
        check(name, wrong, lambda cell: f"{_shown(cell)} {_IMPACT_WHY}")

    total = sum(int(mask.sum()) for _, mask, _ in checks)
    if total == 0:
        return _Parsed(ids, informant, items, difficulties, impact), [], 0
    return None, _problems(n, checks, limit), total


def _cell(column: pa.ChunkedArray, row: int) -> str:
    value = column[row].as_py()
    return "" if value is None else str(value).strip()


def _informant_why(cell: str) -> str:
    if not cell:
        return "is required: parent, teacher or self"
    return f"{_shown(cell)} is not an informant: parent, teacher or self"


def _version_why(cell: str) -> str:
    if not cell:
        return "is required: 4-17, 2-4 or 11-17"
    return f"{_shown(cell)} is not a version: 4-17, 2-4 or 11-17"


def _repeated(ids: pa.ChunkedArray) -> np.ndarray:
    """Where a response_id has already appeared in an earlier row."""
    encoded = pc.dictionary_encode(ids).combine_chunks()
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    first = np.zeros(len(indices), dtype=bool)
    if len(indices):
        _, first_rows = np.unique(indices, return_index=True)
        first[first_rows] = True
    return ~first


def _problems(rows: int, checks: list[_Check], limit: int | None) -> list[SdqCellProblem]:
    """The failing cells in row order (then column order), each with its reason."""
    failing = np.zeros(rows, dtype=bool)
    for _, mask, _ in checks:
        failing |= mask
    out: list[SdqCellProblem] = []
    for row in np.flatnonzero(failing).tolist():
        for name, mask, why in checks:
            if mask[row]:
                if limit is not None and len(out) >= limit:
                    return out
                out.append(SdqCellProblem(row, name, why(row)))
    return out


# Band lookup tables: for each banded score, [informant code, score] -> band index 0-3.
def _band_lookup(score: str) -> np.ndarray:
    table = np.full((len(SDQ_INFORMANTS), 41), -1, dtype=np.int8)
    for code, informant in enumerate(SDQ_INFORMANTS):
        for band, (low, high) in enumerate(SDQ_BAND_RANGES[informant][score]):
            table[code, low : high + 1] = band
    return table


_BAND_LOOKUP: Final = {score: _band_lookup(score) for score in SDQ_BANDED_SCORES}
# Which impact items are on each informant's form: [informant code, impact key position].
_OWN_IMPACT: Final = np.array(
    [[key in SDQ_IMPACT_ITEMS[informant] for key in SDQ_IMPACT_KEYS] for informant in SDQ_INFORMANTS], dtype=bool
)


def _score_parsed(parsed: _Parsed) -> pa.Table:
    items = parsed.items.astype(np.int16)
    reversed_rows = [number - 1 for number in SDQ_REVERSED]
    items[reversed_rows] = np.where(items[reversed_rows] >= 0, 2 - items[reversed_rows], -1)
    answered = items >= 0
    points = np.where(answered, items, 0)

    scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # name -> (value, scored)
    for name, numbers_ in SDQ_ITEMS_BY_SUBSCALE.items():
        rows = [number - 1 for number in numbers_]
        count = answered[rows].sum(axis=0, dtype=np.int16)
        total = points[rows].sum(axis=0, dtype=np.int16)
        scored = count >= 3
        value = (10 * total + count) // (2 * np.maximum(count, 1))
        scores[name] = (value, scored)
    (e, e_ok), (c, c_ok), (h, h_ok), (p, p_ok) = (scores[name] for name in SDQ_DIFFICULTY_SUBSCALES)
    scores["total"] = (e + c + h + p, e_ok & c_ok & h_ok & p_ok)
    scores["externalising"] = (c + h, c_ok & h_ok)
    scores["internalising"] = (e + p, e_ok & p_ok)

    impact = parsed.impact.astype(np.int16)
    own = _OWN_IMPACT[parsed.informant].T
    impact_answered = (impact >= 0) & own
    impact_points = np.where(impact_answered, np.asarray(_IMPACT_POINTS, dtype=np.int16)[np.maximum(impact, 0)], 0)
    no_difficulties = parsed.difficulties == 0
    impact_value = np.where(no_difficulties, 0, impact_points.sum(axis=0))
    scores["impact"] = (impact_value, no_difficulties | impact_answered.any(axis=0))

    columns: dict[str, pa.Array | pa.ChunkedArray] = {"response_id": parsed.ids}
    for name in SDQ_SCORES:
        value, scored = scores[name]
        columns[name] = pa.array(value.astype(np.int8), mask=~scored, type=pa.int8())
    for name in SDQ_SCORES:
        columns[f"{name}_band"] = _bands(name, parsed.informant, *scores[name])
    return pa.table(columns)


def _bands(score: str, informant: np.ndarray, value: np.ndarray, scored: np.ndarray) -> pa.Array:
    if score not in _BAND_LOOKUP:
        return pa.nulls(len(value), pa.string())
    band = _BAND_LOOKUP[score][informant, np.where(scored, value, 0)]
    labels = SDQ_PROSOCIAL_BANDS if score == "prosocial" else SDQ_DIFFICULTY_BANDS
    return pc.take(pa.array(labels, pa.string()), pa.array(band, mask=~scored, type=pa.int8()))
