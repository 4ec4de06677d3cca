"""Scoring many respondents at once: tidy pandas frames in and out, numpy in between.

The arithmetic is the same as :func:`assess.core.scoring.score` (a test holds the two together),
done
column-wise over all respondents: one table look-up turns answers into keyed, weighted scores,
and one matrix product per quantity sums them into facets.  No Python loop runs per respondent.

Kept in one module, though long: the plan tables, the block arithmetic and the frame edge share
private types (`_Plan`, `ScoreTable`) and change together.

>>> import pandas as pd
>>> from assess import default_instrument
>>> instrument = default_instrument()
>>> frame = pd.DataFrame([{item.id: item.scale.values[-1] for item in instrument.items}] * 2)
>>> scores = score_cohort(instrument, frame)
>>> list(scores.index)
[0, 1]
>>> scores.loc[0, "isolation_risk_status"]
'complete'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from assess.core.model import Aggregation, BandBasis, Bands, Index, Instrument, Status
from assess.core.scoring import (
    AnswerError,
    AnswerProblem,
    facet_range,
    facet_unscored_reason,
    index_items_unscored_reason,
    index_range,
    index_unscored_reason,
    not_a_number,
    off_scale,
    question_label,
    whole_number,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_PROBLEMS_LISTED = 20


CHUNK_ROWS = 4096
"""Respondents scored together: small enough that every intermediate stays in the CPU cache."""


@dataclass(frozen=True, slots=True)
class ScoreTable:
    """Scores of a cohort, one row per respondent and one column per facet, then per index.

    `percent` is NaN where a score could not be computed; `band` holds the position of the band
    in its scope's bands (−1 where unscored); `missing` counts unanswered items (facets) or
    unscored facets (indices); `prorated` marks scores computed with parts missing.
    """

    scopes: tuple[str, ...]
    percent: FloatArray
    band: npt.NDArray[np.int8]
    missing: npt.NDArray[np.int16]
    prorated: npt.NDArray[np.bool_]
    lowest: FloatArray
    highest: FloatArray

    @property
    def raw(self) -> FloatArray:
        """Raw scores (e.g. a published total), derived from the 0–100 scores."""
        return self.lowest + self.percent / 100.0 * (self.highest - self.lowest)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Per-instrument tables, built once per call and used for every respondent.

    Most scales score each option linearly in its value (1–5 → 1–5, or reversed), so an item's
    weighted score above its minimum is ``slope × value + intercept``, and a facet's sum is one
    matrix product.  A missing answer is replaced by the value that gains nothing, so it adds
    zero.  Other scales (dichotomised, gapped values) go through a look-up table per column.
    """

    item_ids: tuple[str, ...]
    values: FloatArray  # every option value of any item, sorted, each once: the table's columns
    keyed: FloatArray  # item × value position → keyed score (after reverse keying)
    gained: FloatArray  # item × value position → weighted keyed score above the item's minimum
    valid: npt.NDArray[np.bool_]  # item × value position → is this value on the item's scale
    lowest_value: float  # smallest option value of any item; stands in for a missing answer
    highest_value: float  # largest option value of any item
    narrow: IntArray  # items whose own values span less than lowest–highest
    narrow_lowest: FloatArray  # their smallest option values
    narrow_highest: FloatArray  # their largest option values
    linear_gain: FloatArray  # item × facet → slope, for linear items (0 elsewhere)
    linear_intercept: FloatArray  # facet → sum of intercepts of its linear items
    tabled: IntArray  # columns of items scored through the look-up table
    missing_weights: FloatArray  # item × (3 facets) → [membership | span | gain at stand-in]
    total_span: FloatArray  # facet → weighted span of all its items
    allowed_missing: FloatArray  # facet → items that may be missing
    index_membership: FloatArray  # facet × index → 1 where the facet belongs to the index
    index_weights: FloatArray  # facet × index → its weight within the index
    index_size: FloatArray  # index → number of facets
    index_allowed_missing: FloatArray  # index → facets that may be unscored
    index_allowed_missing_items: FloatArray  # index → items that may be missing (inf: any)


def _plan(instrument: Instrument) -> _Plan:
    items = instrument.items
    facet_count = len(instrument.facets)
    # One table column per distinct option value, not per number between the lowest and the
    # highest: memory follows how many options there are, never how far apart their values lie.
    distinct = sorted({value for item in items for value in item.scale.values})
    column_of = {value: column for column, value in enumerate(distinct)}
    offset, top = distinct[0], distinct[-1]
    keyed = np.zeros((len(items), len(distinct)))
    valid = np.zeros((len(items), len(distinct)), dtype=bool)
    for row, item in enumerate(items):
        for value in item.scale.values:
            keyed[row, column_of[value]] = item.keyed_score(value)
            valid[row, column_of[value]] = True
    weights = np.array([item.weight for item in items])
    minimums = np.array([item.scale.min_score for item in items])
    gained = weights[:, None] * (keyed - minimums[:, None])
    span = np.array([item.weight * (item.scale.max_score - item.scale.min_score) for item in items])
    facet_position = {facet.id: column for column, facet in enumerate(instrument.facets)}
    membership = np.zeros((len(items), facet_count))
    linear_gain = np.zeros((len(items), facet_count))
    linear_intercept = np.zeros(facet_count)
    stand_in_gain = np.zeros(len(items))
    tabled = []
    for row, item in enumerate(items):
        column = facet_position[item.facet]
        membership[row, column] = 1.0
        line = _line(item.scale.values, [gained[row, column_of[v]] for v in item.scale.values])
        if line is None:
            tabled.append(row)
        else:
            slope, intercept = line
            linear_gain[row, column] = slope
            linear_intercept[column] += intercept
            stand_in_gain[row] = slope * offset + intercept
    lowest = np.array([min(i.scale.values) for i in items], dtype=np.float64)
    highest = np.array([max(i.scale.values) for i in items], dtype=np.float64)
    narrow = np.flatnonzero((lowest > offset) | (highest < top))
    index_membership = np.zeros((facet_count, len(instrument.indices)))
    index_weights = np.zeros_like(index_membership)
    for column, index in enumerate(instrument.indices):
        for row, facet in enumerate(instrument.facets):
            if facet.index == index.id:
                index_membership[row, column] = 1.0
                low, high = facet_range(instrument, facet)
                summed = index.aggregation is Aggregation.SUM
                index_weights[row, column] = high - low if summed else 1.0
    return _Plan(
        item_ids=tuple(i.id for i in items),
        values=np.array(distinct, dtype=np.float64),
        keyed=keyed,
        gained=gained,
        valid=valid,
        lowest_value=float(offset),
        highest_value=float(top),
        narrow=narrow,
        narrow_lowest=lowest[narrow],
        narrow_highest=highest[narrow],
        linear_gain=linear_gain,
        linear_intercept=linear_intercept,
        tabled=np.array(tabled, dtype=np.int64),
        missing_weights=np.hstack(
            [membership, span[:, None] * membership, stand_in_gain[:, None] * membership]
        ),
        total_span=span @ membership,
        allowed_missing=np.array([f.missing.max_missing for f in instrument.facets], dtype=float),
        index_membership=index_membership,
        index_weights=index_weights,
        index_size=index_membership.sum(axis=0),
        index_allowed_missing=np.array(
            [i.missing.max_missing for i in instrument.indices], dtype=float
        ),
        index_allowed_missing_items=np.array(
            [_or_any(i.missing.max_missing_items) for i in instrument.indices], dtype=float
        ),
    )


def _or_any(limit: int | None) -> float:
    return math.inf if limit is None else float(limit)


def _line(values: Sequence[int], gains: Sequence[float]) -> tuple[float, float] | None:
    """Slope and intercept when the gains lie on a line over contiguous values, else None."""
    ordered = sorted(zip(values, gains, strict=True))
    if [v for v, _ in ordered] != list(range(ordered[0][0], ordered[-1][0] + 1)):
        return None
    (v0, g0), (v1, g1) = ordered[0], ordered[-1]
    slope = (g1 - g0) / (v1 - v0)
    intercept = g0 - slope * v0
    if slope == 0 or any(not np.isclose(slope * v + intercept, g) for v, g in ordered):
        return None
    return slope, intercept


def score_matrix(instrument: Instrument, values: npt.ArrayLike) -> ScoreTable:
    """Score a respondents × items matrix of option values (NaN for unanswered).

    Columns follow ``instrument.items``.  Raises :class:`AnswerError` naming the first few
    respondents (by row) and items whose values are not on the item's scale.
    """
    plan = _plan(instrument)
    matrix = _as_matrix(plan, values)
    facets, indices = instrument.facets, instrument.indices
    scopes = tuple(f.id for f in facets) + tuple(i.id for i in indices)
    ranges = [facet_range(instrument, f) for f in facets] + [
        index_range(instrument, i) for i in indices
    ]
    lowest = np.array([low for low, _ in ranges])
    highest = np.array([high for _, high in ranges])
    rows = matrix.shape[0]
    percent = np.empty((rows, len(scopes)))
    band = np.empty((rows, len(scopes)), dtype=np.int8)
    missing = np.empty((rows, len(scopes)), dtype=np.int16)
    prorated = np.empty((rows, len(scopes)), dtype=bool)
    banding = _Banding.of([f.bands for f in facets] + [i.bands for i in indices])
    for start in range(0, rows, CHUNK_ROWS):
        block = matrix[start : start + CHUNK_ROWS]
        stop = start + block.shape[0]
        facet_percent, facet_missing = _score_facets(instrument, plan, block, start)
        index_percent, index_missing, index_prorated = _score_indices(
            plan, facet_percent, facet_missing
        )
        percent[start:stop, : len(facets)] = facet_percent
        percent[start:stop, len(facets) :] = index_percent
        missing[start:stop, : len(facets)] = facet_missing
        missing[start:stop, len(facets) :] = index_missing
        prorated[start:stop, : len(facets)] = (facet_missing > 0) & ~np.isnan(facet_percent)
        prorated[start:stop, len(facets) :] = index_prorated
        chunk_percent = percent[start:stop]
        chunk_raw = lowest + chunk_percent / 100.0 * (highest - lowest)
        band[start:stop] = banding.positions(chunk_raw, chunk_percent)
    return ScoreTable(scopes, percent, band, missing, prorated, lowest, highest)


def _as_matrix(plan: _Plan, values: npt.ArrayLike) -> FloatArray:
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(plan.item_ids):
        raise ValueError(
            f"expected a respondents × {len(plan.item_ids)} items matrix, got shape {matrix.shape}"
        )
    return matrix


def _score_facets(
    instrument: Instrument, plan: _Plan, block: FloatArray, first_row: int
) -> tuple[FloatArray, npt.NDArray[np.int16]]:
    """0–100 facet scores (NaN where unscored) and missing counts of a block of respondents."""
    missing = np.isnan(block)
    # A missing answer reads as the lowest value anywhere; what it would gain is taken off below.
    filled = block.copy()
    np.copyto(filled, plan.lowest_value, where=missing)
    if not _whole_and_in_range(plan, filled, block):
        _look_up(instrument, plan, block, first_row=first_row)  # raises, naming the cells
    gained = filled @ plan.linear_gain + plan.linear_intercept
    if plan.tabled.size:
        _, positions, _ = _look_up(
            instrument, plan, block[:, plan.tabled], columns=plan.tabled, first_row=first_row
        )
        table_gain = plan.gained[plan.tabled, positions]
        table_gain[missing[:, plan.tabled]] = 0.0
        gained += table_gain @ plan.missing_weights[plan.tabled, : len(plan.total_span)]
    facet_count = len(plan.total_span)
    missed = missing.astype(np.float64) @ plan.missing_weights
    missing_count = np.rint(missed[:, :facet_count]).astype(np.int16)
    possible = plan.total_span - missed[:, facet_count : 2 * facet_count]
    gained -= missed[:, 2 * facet_count :]
    scored = missing_count <= plan.allowed_missing
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(scored, 100.0 * gained / possible, np.nan)
    return percent, missing_count


def _whole_and_in_range(plan: _Plan, filled: FloatArray, block: FloatArray) -> bool:
    """Every answer a whole number within its item's values (gaps in a scale: see the table)."""
    if filled.min() < plan.lowest_value or filled.max() > plan.highest_value:
        return False
    if not (np.rint(filled) == filled).all():
        return False
    if plan.narrow.size:
        narrow = block[:, plan.narrow]  # NaN (missing) is ignored by fmin/fmax
        too_low = np.fmin.reduce(narrow, axis=0) < plan.narrow_lowest
        too_high = np.fmax.reduce(narrow, axis=0) > plan.narrow_highest
        return not (too_low.any() or too_high.any())
    return True


def _look_up(
    instrument: Instrument,
    plan: _Plan,
    block: FloatArray,
    *,
    columns: IntArray | None = None,
    first_row: int = 0,
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Positions of answers in the plan's tables, after checking each is on its item's scale.

    `block` holds the items at `columns` (default: all); `first_row` numbers rows in messages.
    """
    if columns is None:
        columns = np.arange(len(plan.item_ids))
    missing = np.isnan(block)
    filled = np.where(missing, plan.values[0], block)
    positions = np.minimum(np.searchsorted(plan.values, filled), len(plan.values) - 1)
    in_table = plan.values[positions] == filled
    positions = np.where(in_table, positions, 0)
    on_scale = plan.valid[columns, positions] & in_table
    bad = ~missing & ~on_scale
    if bad.any():
        _raise_off_scale(instrument, block, bad, columns, first_row)
    return columns, positions, missing


def _score_indices(
    plan: _Plan, facet_percent: FloatArray, facet_missing: npt.NDArray[np.int16]
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """0–100 scores of every index over a block, unscored-facet counts and prorated flags.

    An averaged index weighs its scored facets alike; a summed one by their raw ranges, so that
    each adds its share of its own range.  Both are one matrix product over the facets.
    """
    scored = ~np.isnan(facet_percent)
    scored_weight = scored.astype(np.float64)
    counted = scored_weight @ plan.index_membership
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = (
            np.where(scored, facet_percent, 0.0)
            @ plan.index_weights
            / (scored_weight @ plan.index_weights)
        )
    missing = plan.index_size - counted
    missing_items = facet_missing.astype(np.float64) @ plan.index_membership
    percent[missing > plan.index_allowed_missing] = np.nan
    percent[missing_items > plan.index_allowed_missing_items] = np.nan
    prorated_facets = (scored & (facet_missing > 0)).astype(np.float64) @ plan.index_membership
    prorated = ~np.isnan(percent) & ((missing > 0) | (prorated_facets > 0))
    return percent, missing, prorated


@dataclass(frozen=True, slots=True)
class _Banding:
    """Band lower bounds of every scope side by side, to band a whole block in one comparison."""

    on_percent: npt.NDArray[np.bool_]  # scope → bands cut the 0–100 score (else the raw one)
    lowers: FloatArray  # scope × band → lower bound, +inf past a scope's last band

    @classmethod
    def of(cls, scopes: Sequence[Bands]) -> _Banding:
        lowers = np.full((len(scopes), max(len(b.bands) for b in scopes)), np.inf)
        for row, bands in enumerate(scopes):
            lowers[row, : len(bands.bands)] = [band.lower for band in bands.bands]
        on_percent = np.array([b.basis is BandBasis.PERCENT for b in scopes])
        return cls(on_percent, lowers)

    def positions(self, raw: FloatArray, percent: FloatArray) -> npt.NDArray[np.int8]:
        """Position of each score's band in its scope, −1 where unscored (NaN)."""
        # Rounding keeps 5.999999999 (a prorated or floating sum) in the band its value shows.
        values = np.round(np.where(self.on_percent, percent, raw), 9)
        # Bands cover their scope's range (checked on load): the count of lower bounds at or
        # below a score is its band's position + 1; NaN is at or above none of them.
        position = np.full(values.shape, -1, dtype=np.int8)
        for lowers in self.lowers.T:
            position += values >= lowers
        return position


def _raise_off_scale(
    instrument: Instrument,
    block: FloatArray,
    bad: npt.NDArray[np.bool_],
    columns: IntArray,
    first_row: int,
) -> None:
    rows, positions = np.nonzero(bad)
    problems = []
    listed = zip(rows[:MAX_PROBLEMS_LISTED], positions[:MAX_PROBLEMS_LISTED], strict=True)
    for row, position in listed:
        item = instrument.items[columns[position]]
        problems.append(
            AnswerProblem(
                f"row {first_row + row}, {item.id}", off_scale(item, block[row, position])
            )
        )
    if len(rows) > MAX_PROBLEMS_LISTED:
        problems.append(AnswerProblem("…", f"and {len(rows) - MAX_PROBLEMS_LISTED} more"))
    raise AnswerError(problems)


# --- pandas at the edge ---------------------------------------------------------------------


def answers_matrix(
    instrument: Instrument, frame: pd.DataFrame, *, respondent: str = "respondent"
) -> tuple[pd.Index, FloatArray]:
    """Turn a wide (one row per respondent) or long (respondent, item, value) frame into a matrix.

    Columns that are neither items, profile questions nor the respondent column are an error,
    so that a misspelt item id is not silently scored as unanswered.
    """
    if {respondent, "item", "value"} <= set(frame.columns) and len(frame.columns) == 3:
        unknown_items = sorted(set(frame["item"].unique()) - {i.id for i in instrument.items})
        if unknown_items:
            raise AnswerError(
                [AnswerProblem(i, "is not a question of this instrument") for i in unknown_items]
            )
        twice = frame[frame.duplicated(subset=[respondent, "item"], keep="first")]
        if len(twice):
            problems = [
                AnswerProblem(
                    f"respondent {question_label(who)}",
                    f"answers {question_label(item)} more than once; keep one row",
                )
                for who, item in twice[[respondent, "item"]]
                .head(MAX_PROBLEMS_LISTED)
                .itertuples(index=False)
            ]
            if len(twice) > MAX_PROBLEMS_LISTED:
                problems.append(AnswerProblem("…", f"and {len(twice) - MAX_PROBLEMS_LISTED} more"))
            raise AnswerError(problems)
        frame = frame.pivot(index=respondent, columns="item", values="value")
    elif respondent in frame.columns:
        frame = frame.set_index(respondent)
    item_ids = [item.id for item in instrument.items]
    known = set(item_ids) | {question.id for question in instrument.profile}
    unknown = [column for column in frame.columns if column not in known]
    if unknown:
        listed = [
            AnswerProblem(question_label(c), "is not a question of this instrument")
            for c in unknown[:MAX_PROBLEMS_LISTED]
        ]
        if len(unknown) > MAX_PROBLEMS_LISTED:
            listed.append(AnswerProblem("…", f"and {len(unknown) - MAX_PROBLEMS_LISTED} more"))
        raise AnswerError(listed)
    numeric = frame.reindex(columns=item_ids)
    _check_answer_types(instrument, numeric)
    matrix = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    return frame.index, matrix


def _check_answer_types(instrument: Instrument, frame: pd.DataFrame) -> None:
    """Refuse text and true/false as answers, as :func:`assess.core.scoring.score` does.

    A number column passes whole (its fractions and off-scale values are caught with the
    scale); only columns of another type are looked at cell by cell, with the rule one person's
    answers are checked with (:func:`assess.core.scoring.whole_number`)."""
    problems: list[AnswerProblem] = []
    refused = 0
    for item in instrument.items:
        column = frame[item.id]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            continue
        cells = column.to_numpy(dtype=object)
        for row, value in enumerate(cells):
            if _is_empty(value) or whole_number(value) is not None:
                continue
            refused += 1
            if len(problems) < MAX_PROBLEMS_LISTED:
                problems.append(AnswerProblem(f"row {row}, {item.id}", not_a_number(item, value)))
    if refused > len(problems):
        problems.append(AnswerProblem("…", f"and {refused - len(problems)} more"))
    if problems:
        raise AnswerError(problems)


def _is_empty(value: object) -> bool:
    """An unanswered cell: None, NaN or pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def score_cohort(
    instrument: Instrument,
    frame: pd.DataFrame,
    *,
    respondent: str = "respondent",
    long: bool = False,
) -> pd.DataFrame:
    """Score a cohort.  Wide out: one row per respondent with, for every facet and index,
    ``<id>_percent`` (0–100), ``<id>_raw``, ``<id>_band``, ``<id>_status`` and ``<id>_reason``
    (why it is unscored, in the words :func:`assess.core.scoring.score` uses; empty if scored).
    With ``long=True``: one row per respondent and scope (tidy), columns
    ``respondent, kind, scope, raw, percent, band, status, reason``.
    """
    index, matrix = answers_matrix(instrument, frame, respondent=respondent)
    table = score_matrix(instrument, matrix)
    all_bands = [f.bands for f in instrument.facets] + [i.bands for i in instrument.indices]
    reasons = _reasons(instrument, table)
    raw = table.raw  # derived from the whole table: once, not once per scope
    columns: dict[str, object] = {}
    for j, scope in enumerate(table.scopes):
        band_ids = [band.id for band in all_bands[j].bands]
        columns[f"{scope}_percent"] = table.percent[:, j]
        columns[f"{scope}_raw"] = raw[:, j]
        columns[f"{scope}_band"] = pd.Categorical.from_codes(
            table.band[:, j], categories=pd.Index(band_ids), validate=False
        )
        columns[f"{scope}_status"] = _status_column(table, j)
        columns[f"{scope}_reason"] = reasons[j]
    wide = pd.DataFrame(columns, index=index)
    if not long:
        return wide
    return _to_long(instrument, wide, table.scopes, respondent)


def _reasons(instrument: Instrument, table: ScoreTable) -> list[pd.Categorical[str]]:
    """Why each unscored score is unscored (empty where scored), per scope, in the words of
    :func:`assess.core.scoring.score`.  Worded once per distinct case, and only the unscored
    rows are looked at: a cohort of complete answers costs one pass over a boolean column."""
    facets = instrument.facets
    unscored = np.isnan(table.percent)
    rows_count = len(table.percent)
    columns: list[pd.Categorical[str]] = []
    for j, facet in enumerate(facets):
        rows = np.flatnonzero(unscored[:, j])
        items = len(instrument.items_of(facet.id))
        cases, case = np.unique(table.missing[rows, j], return_inverse=True)
        words = [
            facet_unscored_reason(int(count), items, facet.missing.max_missing) for count in cases
        ]
        columns.append(_categorical(rows_count, rows, case, words))
    position = {facet.id: j for j, facet in enumerate(facets)}
    for k, index in enumerate(instrument.indices):
        rows = np.flatnonzero(unscored[:, len(facets) + k])
        members = [position[facet.id] for facet in instrument.facets_of(index.id)]
        chosen = np.array(members, dtype=np.int64)
        # Which of its facets are unscored, and how many of its items are unanswered (last
        # column): one pattern per distinct case among those rows.
        block = np.column_stack(
            [unscored[rows][:, chosen], table.missing[rows][:, chosen].sum(axis=1)]
        ).astype(np.int64)
        patterns, case = np.unique(block, return_inverse=True, axis=0)
        words = [_index_reason(instrument, index, members, pattern) for pattern in patterns]
        columns.append(_categorical(rows_count, rows, case, words))
    return columns


def _index_reason(
    instrument: Instrument, index: Index, members: list[int], pattern: npt.NDArray[np.int64]
) -> str:
    """The single path's reason for one pattern of unscored facets and unanswered items."""
    facets = instrument.facets
    off = [facets[m].id for m, flag in zip(members, pattern[:-1], strict=True) if flag]
    rule = index.missing
    if len(off) > rule.max_missing or rule.max_missing_items is None:
        return index_unscored_reason(off, len(members), rule.max_missing)
    items = sum(len(instrument.items_of(facets[m].id)) for m in members)
    return index_items_unscored_reason(int(pattern[-1]), items, rule.max_missing_items)


def _categorical(
    size: int, rows: IntArray, case: npt.NDArray[np.intp], words: list[str]
) -> pd.Categorical[str]:
    """A column of `size` rows holding `words[case[i]]` at `rows[i]`, empty elsewhere."""
    codes = np.full(size, -1, dtype=np.int64)
    codes[rows] = case.reshape(-1)
    return pd.Categorical.from_codes(codes, categories=pd.Index(words, dtype=object))


_STATUSES = pd.Index([Status.COMPLETE.value, Status.PRORATED.value, Status.UNSCORED.value])


def _status_column(table: ScoreTable, j: int) -> pd.Categorical[str]:
    codes = np.where(np.isnan(table.percent[:, j]), 2, np.where(table.prorated[:, j], 1, 0))
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=_STATUSES)


def _to_long(
    instrument: Instrument, wide: pd.DataFrame, scopes: Sequence[str], respondent: str
) -> pd.DataFrame:
    facet_ids = {facet.id for facet in instrument.facets}
    parts = []
    for scope in scopes:
        part = pd.DataFrame(
            {
                respondent: wide.index,
                "kind": "facet" if scope in facet_ids else "index",
                "scope": scope,
                "raw": wide[f"{scope}_raw"].to_numpy(),
                "percent": wide[f"{scope}_percent"].to_numpy(),
                "band": wide[f"{scope}_band"].astype(object).to_numpy(),
                "status": wide[f"{scope}_status"].astype(object).to_numpy(),
                "reason": wide[f"{scope}_reason"].astype(object).to_numpy(),
            }
        )
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def cronbach_alpha(instrument: Instrument, frame: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha of each facet over a cohort, from keyed item scores.

    Respondents with any item of the facet unanswered are left out of that facet (listwise).
    One row per facet: ``facet, items, respondents, alpha`` (NaN where it cannot be computed:
    fewer than two items or respondents, or no variance).
    """
    _, matrix = answers_matrix(instrument, frame)
    plan = _plan(instrument)
    columns, index, missing = _look_up(instrument, plan, matrix)
    keyed = np.where(missing, np.nan, plan.keyed[columns, index])
    rows = []
    for facet in instrument.facets:
        members = [j for j, item in enumerate(instrument.items) if item.facet == facet.id]
        block = keyed[:, members]
        block = block[~np.isnan(block).any(axis=1)]
        count, items = block.shape
        alpha = np.nan
        if items >= 2 and count >= 2:
            total_variance = block.sum(axis=1).var(ddof=1)
            if total_variance > 0:
                item_variance = block.var(axis=0, ddof=1).sum()
                alpha = items / (items - 1) * (1 - item_variance / total_variance)
        rows.append({"facet": facet.id, "items": items, "respondents": count, "alpha": alpha})
    return pd.DataFrame(rows)
