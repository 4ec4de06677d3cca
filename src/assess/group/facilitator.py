"""The facilitator's view of a workshop: anonymous aggregates of a group, never an individual.

Pure functions, pandas in and out.  :func:`summarise` turns a wide answers frame (one row per
result, a column per item holding option values; other columns such as profile answers,
``taken_on`` or ids are ignored) into a :class:`CohortSummary`; :func:`summary_frames` lays that
out as tidy tables, and :func:`to_csv` writes one so that no cell can run as a formula in a
spreadsheet.  :func:`frame_from_codes` turns pasted result codes into such a frame.

Disclosure control
------------------
The aim is that nobody in the room can be singled out from what the facilitator sees.

* **Small groups.**  A figure computed from fewer than ``min_group`` people (5 by default,
  configurable, never below :data:`MIN_GROUP_FLOOR` = 3) is withheld: its value is ``None`` and
  a :class:`Withheld` says why.  A cohort smaller than ``min_group`` shows its head count only.
* **Distributions** are the mean and percentiles (10th, 25th, 50th, 75th, 90th) of the people
  with a score; never the minimum or maximum (each is one person's score) and no points.  A
  percentile is an order statistic, so in a small group a few of them pin down everyone's score
  (with 5 people, the 10th, 25th, 50th, 75th and 90th percentile give all five scores back).  A
  percentile is therefore shown only when at least ``min_group`` people lie on each side of it:
  the median from 2 × ``min_group`` people, the quartiles from 4 ×, the 10th and 90th from 10 ×
  (:func:`shown_quantiles`).  There is no histogram beside the bands: counts over overlapping
  bins of the same scores can be subtracted to isolate the few people between two boundaries.
* **Small cells.**  In a breakdown (band counts with an "unscored" cell; the answers to the
  direct loneliness question with a "no answer" cell) every cell holding 1 to ``min_group − 1``
  people is withheld (primary suppression).  The breakdown's total (the number of participants)
  is shown, so one withheld cell could be worked out by subtraction: more cells are withheld,
  the smallest non-empty ones first, until at least two are withheld *and* they hold at least
  ``min_group`` people together (complementary suppression).  Empty cells are shown (0 people is
  nobody).  Then the result is audited as an adversary would: every way of filling the withheld
  cells that these rules would have shown the same way is counted, and if any withheld cell has
  only one possible value (e.g. because a tie or the choice of the complementary cell gives it
  away), or there are too many ways to check, the whole breakdown is withheld, empty cells too.
  The audit depends on nothing but what is shown, so withholding after it leaks nothing more.
  Every withheld cell carries the same reason, so a reader cannot tell a small cell from a
  complementary one.  :func:`suppress` is the rule; the tests check it exhaustively on small
  breakdowns.
* **No individual answers.**  A summary holds counts, quantiles and alphas only: no rows of the
  frame, no result ids, no dates, no profile answers.

What it does not protect against: looking at the same workshop again after one more person has
joined and subtracting the two views.  Share the view once the group is complete.

>>> from assess import default_instrument
>>> from assess.group.synthetic import synthetic_cohort
>>> instrument = default_instrument()
>>> summary = summarise(instrument, synthetic_cohort(instrument, 40, seed=7))
>>> summary.participants, summary.synthetic
(40, True)
>>> summarise(instrument, synthetic_cohort(instrument, 4, seed=7)).withheld.text()
'fewer than 5 people'
>>> suppress([12, 1, 7], min_group=5)    # 1 is small; 7 is withheld beside it
(12, None, None)
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

from assess.core.messages import Messages
from assess.core.model import Instrument, Text
from assess.core.reference import Reference, SurveyRound

MIN_GROUP_FLOOR = 3
"""The smallest group a figure may be computed from, whatever the configuration says."""
DEFAULT_MIN_GROUP = 5
QUANTILES: tuple[float, ...] = (10.0, 25.0, 50.0, 75.0, 90.0)
UNSCORED = "unscored"
"""Key of the breakdown cell for people whose answers were too incomplete to score."""
NO_ANSWER = "no_answer"
"""Key of the breakdown cell for people who skipped the direct loneliness question."""
SYNTHETIC = "synthetic"
"""Column and ``DataFrame.attrs`` key that marks synthetic (sample) answers."""
SYNTHETIC_NOTE = Text(ja="合成（サンプル）データ", en="synthetic (sample) data")
"""Shown wherever synthetic answers are displayed."""

ScopeKind = Literal["facet", "index"]
Direction = Literal["risk", "strength"]


def check_min_group(min_group: int) -> int:
    """The smallest group size, checked: a whole number, at least :data:`MIN_GROUP_FLOOR`.

    >>> check_min_group(2)
    Traceback (most recent call last):
    ...
    ValueError: min_group must be at least 3 so that nobody can be singled out, not 2
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int | np.integer):
        raise ValueError(f"min_group must be a whole number, not {min_group!r}")
    if min_group < MIN_GROUP_FLOOR:
        raise ValueError(
            f"min_group must be at least {MIN_GROUP_FLOOR} so that nobody can be singled out, "
            f"not {min_group}"
        )
    return int(min_group)


class Reason(StrEnum):
    """Why a figure is not shown."""

    TOO_FEW = "too_few"
    """Computed from fewer than `min_group` people."""
    SMALL_CELLS = "small_cells"
    """A cell of a breakdown, withheld so that nobody in a small group can be singled out."""
    TAILS = "tails"
    """Some percentiles of a distribution, where fewer than `min_group` people lie beyond them."""
    NOT_COMPUTABLE = "not_computable"
    """Enough people, but the figure is undefined (e.g. alpha when everyone answered alike)."""


_REASON_TEXT = {
    Reason.TOO_FEW: "fewer than {min_group} people",
    Reason.SMALL_CELLS: "withheld so that nobody in a group of fewer than {min_group} people "
    "can be singled out",
    Reason.TAILS: "percentiles with fewer than {min_group} people beyond them are withheld",
    Reason.NOT_COMPUTABLE: "cannot be computed (e.g. everyone answered alike)",
}


@dataclass(frozen=True, slots=True)
class Withheld:
    """A figure that is not shown, and why.  :meth:`text` is English; the UI translates
    ``facilitator.withheld.<reason>`` from the messages catalogue."""

    reason: Reason
    min_group: int

    def text(self) -> str:
        return _REASON_TEXT[self.reason].format(min_group=self.min_group)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Mean and percentiles of 0–100 scores, rounded to one decimal; a percentile is ``None``
    where fewer than `min_group` people lie on one side of it (see :func:`shown_quantiles`)."""

    mean: float
    p10: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None

    @property
    def complete(self) -> bool:
        return None not in (self.p10, self.p25, self.median, self.p75, self.p90)

    @property
    def has_box(self) -> bool:
        """Whether the quartiles and median are shown (enough for a box)."""
        return None not in (self.p25, self.median, self.p75)


@dataclass(frozen=True, slots=True)
class Cell:
    """One category of a breakdown: `count` is ``None`` when withheld."""

    key: str
    label: Text
    count: int | None
    withheld: Withheld | None = None


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Counts per category; `total` is every participant (the cells add up to it)."""

    cells: tuple[Cell, ...]
    total: int

    def cell(self, key: str) -> Cell:
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)

    def share(self, cell: Cell) -> float | None:
        """Percent of all participants in a cell (None when withheld)."""
        if cell.count is None or not self.total:
            return None
        return round(100.0 * cell.count / self.total, 1)


@dataclass(frozen=True, slots=True)
class ScopeSummary:
    """An index or a facet over the group."""

    kind: ScopeKind
    id: str
    index: str
    """The index a facet belongs to (an index: its own id)."""
    label: Text
    higher_is: Direction
    distribution: Distribution | None
    withheld: Withheld | None
    bands: Breakdown

    @property
    def need(self) -> float | None:
        """How much the room needs this, 0–100: the mean risk, or 100 − the mean strength."""
        if self.distribution is None:
            return None
        mean = self.distribution.mean
        return mean if self.higher_is == "risk" else round(100.0 - mean, 1)


@dataclass(frozen=True, slots=True)
class SurveyComparison:
    """The room's answers to the direct loneliness question beside the national survey's."""

    item: str
    reference: Reference
    round: SurveyRound
    room: Breakdown
    """Cells in the reference's category order (loneliest first), then "no answer"."""

    def national_share(self, key: str) -> float | None:
        if key == NO_ANSWER:
            return self.round.no_answer
        position = self.reference.categories.index(int(key))
        return self.round.shares[position]


@dataclass(frozen=True, slots=True)
class Alpha:
    """Cronbach's alpha of a facet (internal consistency of its items) in this group."""

    facet: str
    label: Text
    items: int
    alpha: float | None
    withheld: Withheld | None


@dataclass(frozen=True, slots=True)
class CohortSummary:
    """Everything the facilitator sees about a group.  No individual's answers are in it."""

    instrument_id: str
    instrument_version: str
    cohort: str | None
    participants: int
    min_group: int
    synthetic: bool
    scopes: tuple[ScopeSummary, ...]
    """Indices first, then facets, in the instrument's order."""
    weakest: tuple[ScopeSummary, ...]
    """Facets by the room's need, greatest first (only facets whose figures are shown)."""
    survey: SurveyComparison | None
    alphas: tuple[Alpha, ...]
    withheld: Withheld | None
    """Set when the whole group is smaller than `min_group`: then only the head count is shown."""

    def scope(self, scope_id: str) -> ScopeSummary:
        for scope in self.scopes:
            if scope.id == scope_id:
                return scope
        raise KeyError(scope_id)

    @property
    def indices(self) -> tuple[ScopeSummary, ...]:
        return tuple(s for s in self.scopes if s.kind == "index")

    @property
    def facets(self) -> tuple[ScopeSummary, ...]:
        return tuple(s for s in self.scopes if s.kind == "facet")


# --- the suppression rule ------------------------------------------------------------------------


def suppress(counts: Sequence[int], *, min_group: int) -> tuple[int | None, ...]:
    """The counts of a breakdown as they may be shown: ``None`` where withheld.

    >>> suppress([9, 6, 0], min_group=5)          # nothing small: all shown
    (9, 6, 0)
    >>> suppress([3, 2, 10], min_group=5)         # two small cells, 5 together: enough
    (None, None, 10)
    >>> suppress([12, 1, 7], min_group=5)         # 1 is small; the 7 is withheld beside it
    (12, None, None)
    >>> suppress([1, 19, 0], min_group=5)         # only the 19 could hide the 1: all withheld
    (None, None, None)
    """
    check_min_group(min_group)
    values = [int(c) for c in counts]
    if any(c < 0 for c in values):
        raise ValueError(f"counts cannot be negative: {values}")
    shown = _complementary(values, min_group)
    if None not in shown or all(c is None for c in shown):
        return shown
    return shown if _audit(shown, sum(values), min_group) else tuple(None for _ in shown)


AUDIT_BUDGET = 20_000
"""Most ways of filling withheld cells the audit checks; beyond it the breakdown is withheld."""


def _complementary(values: Sequence[int], min_group: int) -> tuple[int | None, ...]:
    """Primary and complementary suppression (before the audit)."""
    withheld = {i for i, c in enumerate(values) if 0 < c < min_group}
    if not withheld:
        return tuple(values)
    while len(withheld) < 2 or sum(values[i] for i in withheld) < min_group:
        candidates = [i for i, c in enumerate(values) if c > 0 and i not in withheld]
        if not candidates:
            break
        withheld.add(min(candidates, key=lambda i: (values[i], i)))
    if all(i in withheld for i, c in enumerate(values) if c > 0):
        return tuple(None for _ in values)
    return tuple(None if i in withheld else c for i, c in enumerate(values))


def _audit(shown: Sequence[int | None], total: int, min_group: int) -> bool:
    """Whether no withheld cell can be pinned down by someone who sees `shown` and `total` and
    knows :func:`_complementary`: each must have at least two values that it maps back to
    `shown`.  Withheld cells are never empty (empty cells are shown), so they hold 1 or more."""
    hidden = [i for i, c in enumerate(shown) if c is None]
    remainder = total - sum(c for c in shown if c is not None)
    if math.comb(remainder - 1, len(hidden) - 1) > AUDIT_BUDGET:
        return False
    possible: list[set[int]] = [set() for _ in hidden]
    candidate = list(shown)
    for parts in _compositions(remainder, len(hidden)):
        for position, value in zip(hidden, parts, strict=True):
            candidate[position] = value
        if _complementary([c or 0 for c in candidate], min_group) == tuple(shown):
            for seen, value in zip(possible, parts, strict=True):
                seen.add(value)
    return all(len(seen) >= 2 for seen in possible)


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way of writing `total` as `parts` whole numbers of at least 1, in order."""
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _breakdown(
    keys: Sequence[str], labels: Sequence[Text], counts: Sequence[int], min_group: int
) -> Breakdown:
    total = int(sum(counts))
    if total < min_group:
        shown: tuple[int | None, ...] = tuple(None for _ in counts)
        reason = Withheld(Reason.TOO_FEW, min_group)
    else:
        shown = suppress(counts, min_group=min_group)
        reason = Withheld(Reason.SMALL_CELLS, min_group)
    cells = tuple(
        Cell(key, label, count, None if count is not None else reason)
        for key, label, count in zip(keys, labels, shown, strict=True)
    )
    return Breakdown(cells, total)


# --- summarising a group -------------------------------------------------------------------------

_UNSCORED_LABEL = Text(ja="採点できず（回答不足）", en="not scored (too few answers)")
_NO_ANSWER_LABEL = Text(ja="無回答", en="no answer")


def summarise(
    instrument: Instrument,
    answers_frame: pd.DataFrame,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    reference: Reference | None = None,
    cohort: str | None = None,
) -> CohortSummary:
    """The group picture of a wide answers frame (see the module's notes on what is withheld).

    `reference` is the national survey to set the direct loneliness question beside (callers
    read the shipped one with :func:`assess.datafiles.reference.default_reference`); no comparison
    is made without one, or when the instrument has no item of that id.  `cohort` is only a
    label carried into the output.
    Raises :class:`ValueError` for a `min_group` below 3 or answers off their items' scales.
    """
    from assess.group.cohort import cronbach_alpha, score_cohort

    min_group = check_min_group(min_group)
    items = _item_frame(instrument, answers_frame)
    participants = len(items)
    synthetic = is_synthetic(answers_frame)
    scores = score_cohort(instrument, items)
    too_few = Withheld(Reason.TOO_FEW, min_group)
    scopes = [
        _scope(
            "index",
            index.id,
            index.id,
            index.label,
            index.higher_is,
            [(band.id, band.label) for band in index.bands.bands],
            scores,
            min_group,
        )
        for index in instrument.indices
    ]
    for facet in instrument.facets:
        index = instrument.index(facet.index)
        scopes.append(
            _scope(
                "facet",
                facet.id,
                index.id,
                facet.label,
                index.higher_is,
                [(band.id, band.label) for band in facet.bands.bands],
                scores,
                min_group,
            )
        )
    facets = [s for s in scopes if s.kind == "facet" and s.need is not None]
    weakest = tuple(sorted(facets, key=lambda s: -(s.need or 0.0)))
    alphas = tuple(_alphas(instrument, cronbach_alpha(instrument, items), min_group))
    return CohortSummary(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        cohort=cohort,
        participants=participants,
        min_group=min_group,
        synthetic=synthetic,
        scopes=tuple(scopes),
        weakest=weakest,
        survey=_survey(instrument, items, reference, min_group),
        alphas=alphas,
        withheld=too_few if participants < min_group else None,
    )


def is_synthetic(frame: pd.DataFrame) -> bool:
    """Whether a frame is marked as synthetic (sample) data, by ``attrs`` or a column."""
    if bool(frame.attrs.get(SYNTHETIC, False)):
        return True
    return SYNTHETIC in frame.columns and bool(frame[SYNTHETIC].astype(bool).any())


def _item_frame(instrument: Instrument, frame: pd.DataFrame) -> pd.DataFrame:
    """The item columns only (others ignored), numbered 0…n−1, values checked against scales."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame of answers, not {type(frame).__name__}")
    item_ids = [item.id for item in instrument.items]
    if len(frame) and not any(column in frame.columns for column in item_ids):
        raise ValueError(
            f"the answers frame has none of the questions of {instrument.id} as a column; "
            "expected one column per item id (e.g. "
            f"{', '.join(item_ids[:3])}) holding option values"
        )
    items = frame.reindex(columns=item_ids).reset_index(drop=True)
    numeric = pd.DataFrame(
        {item_id: pd.to_numeric(items[item_id], errors="coerce") for item_id in item_ids},
        index=items.index,
    )
    off_scale = []
    for item in instrument.items:
        given = items[item.id].notna()
        valid = numeric[item.id].isin(list(item.scale.values))
        bad = int((given & ~valid).sum())
        if bad:
            off_scale.append(f"{item.id} ({bad}×; options are {list(item.scale.values)})")
    if off_scale:
        raise ValueError(
            "the answers frame holds values that are not options of their questions: "
            + "; ".join(off_scale)
        )
    return numeric.astype("float64")


def _scope(
    kind: ScopeKind,
    scope_id: str,
    index_id: str,
    label: Text,
    higher_is: Direction,
    bands: Sequence[tuple[str, Text]],
    scores: pd.DataFrame,
    min_group: int,
) -> ScopeSummary:
    percent = scores[f"{scope_id}_percent"].to_numpy(dtype=np.float64)
    scored = percent[~np.isnan(percent)]
    band_column = scores[f"{scope_id}_band"].astype(object)
    counts = [int((band_column == band_id).sum()) for band_id, _ in bands]
    counts.append(len(percent) - len(scored))
    breakdown = _breakdown(
        [band_id for band_id, _ in bands] + [UNSCORED],
        [band_label for _, band_label in bands] + [_UNSCORED_LABEL],
        counts,
        min_group,
    )
    distribution: Distribution | None = None
    withheld: Withheld | None = Withheld(Reason.TOO_FEW, min_group)
    if len(scored) >= min_group:
        shown = shown_quantiles(len(scored), min_group)
        values = np.percentile(scored, QUANTILES)
        quantiles = {
            q: _round(v) if q in shown else None for q, v in zip(QUANTILES, values, strict=True)
        }
        distribution = Distribution(
            mean=_round(float(scored.mean())),
            p10=quantiles[10.0],
            p25=quantiles[25.0],
            median=quantiles[50.0],
            p75=quantiles[75.0],
            p90=quantiles[90.0],
        )
        withheld = None if distribution.complete else Withheld(Reason.TAILS, min_group)
    return ScopeSummary(
        kind, scope_id, index_id, label, higher_is, distribution, withheld, breakdown
    )


def shown_quantiles(people: int, min_group: int) -> tuple[float, ...]:
    """The percentiles shown for `people` scores: those with at least `min_group` people on
    each side (p × people ≥ min_group and (1 − p) × people ≥ min_group).

    >>> shown_quantiles(9, 5), shown_quantiles(10, 5), shown_quantiles(20, 5)
    ((), (50.0,), (25.0, 50.0, 75.0))
    """
    return tuple(
        q
        for q in QUANTILES
        # Whole numbers (percent × people), so that 10 % of 50 is exactly 5.
        if min(q, 100.0 - q) * people >= 100 * min_group
    )


def _round(value: float) -> float:
    return round(float(value), 1)


def _alphas(instrument: Instrument, table: pd.DataFrame, min_group: int) -> Iterable[Alpha]:
    for row in table.to_dict("records"):
        facet = instrument.facet(str(row["facet"]))
        items = int(row["items"])
        respondents = int(row["respondents"])
        value = float(row["alpha"])
        if respondents < min_group:
            yield Alpha(facet.id, facet.label, items, None, Withheld(Reason.TOO_FEW, min_group))
        elif math.isnan(value):
            yield Alpha(
                facet.id, facet.label, items, None, Withheld(Reason.NOT_COMPUTABLE, min_group)
            )
        else:
            yield Alpha(facet.id, facet.label, items, round(value, 2), None)


def _survey(
    instrument: Instrument, items: pd.DataFrame, reference: Reference | None, min_group: int
) -> SurveyComparison | None:
    if reference is None or reference.item not in items.columns:
        return None
    item = instrument.item(reference.item)
    answers = items[reference.item]
    labels = []
    for value in reference.categories:
        try:
            labels.append(item.scale.option(value).label)
        except KeyError:
            return None  # the reference does not fit this instrument's scale
    counts = [int((answers == value).sum()) for value in reference.categories]
    counts.append(int(answers.isna().sum()))
    room = _breakdown(
        [str(value) for value in reference.categories] + [NO_ANSWER],
        [*labels, _NO_ANSWER_LABEL],
        counts,
        min_group,
    )
    return SurveyComparison(reference.item, reference, reference.latest, room)


# --- tidy tables and CSV -------------------------------------------------------------------------


def summary_frames(summary: CohortSummary, *, language: str = "en") -> dict[str, pd.DataFrame]:
    """The summary as tidy tables: ``overview``, ``distributions``, ``bands``, ``weakest``,
    ``survey`` and ``alphas``.  Labels are in `language`; ``withheld`` says why a value is
    missing (English), empty where it is shown."""
    note = SYNTHETIC_NOTE.in_language(language) if summary.synthetic else ""
    overview = pd.DataFrame(
        [
            {
                "cohort": summary.cohort or "",
                "instrument": summary.instrument_id,
                "version": summary.instrument_version,
                "participants": summary.participants,
                "min_group": summary.min_group,
                "synthetic": summary.synthetic,
                "data": note,
                "withheld": _why(summary.withheld),
            }
        ]
    )
    distributions = pd.DataFrame(
        [
            {
                "kind": scope.kind,
                "index": scope.index,
                "scope": scope.id,
                "label": scope.label.in_language(language),
                "higher_is": scope.higher_is,
                **_stats(scope.distribution),
                "withheld": _why(scope.withheld),
            }
            for scope in summary.scopes
        ],
        columns=[
            "kind",
            "index",
            "scope",
            "label",
            "higher_is",
            "mean",
            "p10",
            "p25",
            "median",
            "p75",
            "p90",
            "withheld",
        ],
    )
    bands = pd.DataFrame(
        [
            {
                "kind": scope.kind,
                "scope": scope.id,
                "label": scope.label.in_language(language),
                "band": cell.key,
                "band_label": cell.label.in_language(language),
                "count": cell.count,
                "share": scope.bands.share(cell),
                "withheld": _why(cell.withheld),
            }
            for scope in summary.scopes
            for cell in scope.bands.cells
        ],
        columns=["kind", "scope", "label", "band", "band_label", "count", "share", "withheld"],
    )
    weakest = pd.DataFrame(
        [
            {
                "rank": rank,
                "facet": scope.id,
                "label": scope.label.in_language(language),
                "index": scope.index,
                "higher_is": scope.higher_is,
                "mean": scope.distribution.mean if scope.distribution else None,
                "need": scope.need,
            }
            for rank, scope in enumerate(summary.weakest, start=1)
        ],
        columns=["rank", "facet", "label", "index", "higher_is", "mean", "need"],
    )
    survey = _survey_frame(summary.survey, language)
    alphas = pd.DataFrame(
        [
            {
                "facet": alpha.facet,
                "label": alpha.label.in_language(language),
                "items": alpha.items,
                "alpha": alpha.alpha,
                "withheld": _why(alpha.withheld),
            }
            for alpha in summary.alphas
        ],
        columns=["facet", "label", "items", "alpha", "withheld"],
    )
    frames = {
        "overview": overview,
        "distributions": distributions,
        "bands": bands,
        "weakest": weakest,
        "survey": survey,
        "alphas": alphas,
    }
    frames["bands"] = bands.astype({"count": "Int64"})
    frames["survey"] = survey.astype({"count": "Int64", "national_respondents": "Int64"})
    if summary.synthetic:
        for frame in frames.values():
            frame.attrs[SYNTHETIC] = True
    return frames


def _survey_frame(survey: SurveyComparison | None, language: str) -> pd.DataFrame:
    columns = [
        "value",
        "answer",
        "count",
        "share",
        "national_share",
        "national_round",
        "national_respondents",
        "source",
        "checked",
        "withheld",
    ]
    if survey is None:
        return pd.DataFrame(columns=columns)
    rows = [
        {
            "value": cell.key,
            "answer": cell.label.in_language(language),
            "count": cell.count,
            "share": survey.room.share(cell),
            "national_share": survey.national_share(cell.key),
            "national_round": survey.round.year,
            "national_respondents": survey.round.respondents,
            "source": survey.reference.source,
            "checked": survey.reference.checked.isoformat(),
            "withheld": _why(cell.withheld),
        }
        for cell in survey.room.cells
    ]
    return pd.DataFrame(rows, columns=columns)


def _stats(distribution: Distribution | None) -> dict[str, float | None]:
    names = ("mean", "p10", "p25", "median", "p75", "p90")
    if distribution is None:
        return dict.fromkeys(names)
    return {name: getattr(distribution, name) for name in names}


def _why(withheld: Withheld | None) -> str:
    return withheld.text() if withheld is not None else ""


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR),
with their full-width forms, which Japanese spreadsheet software may convert."""


def defuse(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula: prefixed with ``'`` when it starts
    (after any spaces) with a formula trigger.

    >>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("  +1"), defuse("ws-1")
    ('\\'=HYPERLINK("http://x")', "'  +1", 'ws-1')
    """
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def to_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no index) with formula injection prevented (see :func:`defuse`).

    Text cells and column names are defused; numbers are written as numbers.  Lines end in CRLF
    (RFC 4180), so that a carriage return or line feed inside a cell is always quoted and can
    never start a new row (whose first cell could then be a formula).

    >>> to_csv(pd.DataFrame({"cohort": ["=1+1", "ws-1"], "n": [5, 6]})).split()
    ['cohort,n', "'=1+1,5", 'ws-1,6']
    """
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if not (
            pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
        ) or isinstance(series.dtype, pd.CategoricalDtype):
            safe[column] = series.astype(object).map(
                lambda value: defuse(str(value)) if isinstance(value, str) else value
            )
    safe.columns = pd.Index([defuse(str(column)) for column in safe.columns])
    return str(safe.to_csv(index=False, lineterminator="\r\n"))


# --- pasted result codes -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """A pasted line that was not counted: its line number (never the code) and why."""

    line: int
    problem: str
    """A :class:`assess.core.result_code.ResultCodeError` kind, or ``duplicate``."""
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def frame_from_codes(
    instrument: Instrument, codes: Iterable[str]
) -> tuple[pd.DataFrame, list[CodeProblem]]:
    """A wide answers frame from result codes, one per line, and the lines not counted.

    Blank lines are skipped.  A line that is not a code for this instrument is reported by its
    number; a code pasted twice is counted once (two people giving identical answers on the same
    day would also share a code, and count once: a rare undercount, preferred to double counts).
    Columns: every item (floats, NaN where unanswered), every profile question, ``taken_on``.

    >>> from assess import default_instrument
    >>> frame, problems = frame_from_codes(default_instrument(), ["", "not-a-code"])
    >>> len(frame), [str(p)[:23] for p in problems]
    (0, ['line 2: the result code'])
    """
    from assess.core.result_code import ResultCodeError, decode_result

    rows: list[dict[str, object]] = []
    problems: list[CodeProblem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(codes, start=1):
        text = line.strip() if isinstance(line, str) else line
        if isinstance(text, str) and not text:
            continue
        try:
            answers, taken_on = decode_result(instrument, text)
        except ResultCodeError as error:
            problems.append(CodeProblem(number, error.problem, str(error)))
            continue
        key = str(text).rstrip("=")
        if key in seen:
            problems.append(
                CodeProblem(
                    number,
                    "duplicate",
                    f"the same result code as line {seen[key]}; counted once",
                )
            )
            continue
        seen[key] = number
        row: dict[str, object] = {
            item.id: answers.responses.get(item.id) for item in instrument.items
        }
        row.update({q.id: answers.profile.get(q.id) for q in instrument.profile})
        row["taken_on"] = taken_on
        rows.append(row)
    return _codes_frame(instrument, rows), problems


def _codes_frame(instrument: Instrument, rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    item_ids = [item.id for item in instrument.items]
    profile_ids = [question.id for question in instrument.profile]
    columns: dict[str, object] = {
        item_id: pd.array(
            [np.nan if row[item_id] is None else float(str(row[item_id])) for row in rows],
            dtype="float64",
        )
        for item_id in item_ids
    }
    for question_id in profile_ids:
        columns[question_id] = pd.array([row[question_id] for row in rows], dtype=object)
    taken: list[object] = [row["taken_on"] for row in rows]
    columns["taken_on"] = pd.array(
        [d if isinstance(d, datetime.date) else None for d in taken], dtype=object
    )
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


# --- whole-summary outputs (the command line) ----------------------------------------------------

TABLES: tuple[str, ...] = ("overview", "distributions", "bands", "weakest", "survey", "alphas")


def combined_frame(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """All tables in one tidy frame, a ``table`` column first (columns a table lacks are empty)."""
    parts = []
    for name, frame in frames.items():
        if not len(frame):
            continue
        part = frame.assign(table=name)
        # Whole numbers stay whole beside the empty cells of other tables.
        whole = [c for c in part.columns if pd.api.types.is_integer_dtype(part[c].dtype)]
        parts.append(part.astype(dict.fromkeys(whole, "Int64")))
    if not parts:
        return pd.DataFrame({"table": []})
    combined = pd.concat(parts, ignore_index=True)
    return combined[["table", *[c for c in combined.columns if c != "table"]]]


def summary_json(summary: CohortSummary, *, language: str = "en") -> str:
    """The summary as JSON: the overview's fields, then every table as a list of records
    (``null`` where withheld)."""
    import json

    frames = summary_frames(summary, language=language)
    document: dict[str, object] = {
        "format": "assess-cohort-summary/1",
        "cohort": summary.cohort,
        "instrument": summary.instrument_id,
        "version": summary.instrument_version,
        "participants": summary.participants,
        "min_group": summary.min_group,
        "synthetic": summary.synthetic,
    }
    if summary.synthetic:
        document["note"] = f"{SYNTHETIC_NOTE.ja} / {SYNTHETIC_NOTE.en}"
    document["withheld"] = _why(summary.withheld) or None
    tables: dict[str, list[dict[str, object]]] = {}
    for name, frame in frames.items():
        if name == "overview":
            continue
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        for record in records:
            if record.get("withheld") == "":
                record["withheld"] = None
        tables[name] = records
    document["tables"] = tables
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def summary_text(summary: CohortSummary, *, language: str, messages: Messages) -> str:
    """The summary as plain text for a terminal, in `language`."""

    def say(key: str, **values: object) -> str:
        return messages.text(f"facilitator.{key}", language, **values)

    def withheld(reason: Withheld | None) -> str:
        if reason is None:
            return ""
        return say(f"withheld.{reason.reason.value}", min_group=reason.min_group)

    def counts(breakdown: Breakdown) -> str:
        shown = []
        for cell in breakdown.cells:
            share = breakdown.share(cell)
            value = "—" if cell.count is None else f"{cell.count} ({share:.0f}%)"
            shown.append(f"{cell.label.in_language(language)} {value}")
        return " · ".join(shown)

    lines = [say("title")]
    if summary.synthetic:
        lines.append(f"*** {SYNTHETIC_NOTE.ja} / {SYNTHETIC_NOTE.en} ***")
    if summary.cohort:
        lines.append(say("cohort.shown", cohort=summary.cohort))
    lines.append(say("participants", count=summary.participants))
    lines.append(say("privacy", min_group=summary.min_group))
    if summary.withheld is not None:
        lines.append(say("too_small", reason=withheld(summary.withheld)))
        return "\n".join(lines) + "\n"
    for kind, scopes in (("indices", summary.indices), ("facets", summary.facets)):
        lines += ["", f"== {say(f'{kind}.title')} =="]
        for scope in scopes:
            figures = (
                withheld(scope.withheld)
                if scope.distribution is None
                else _stats_text(scope.distribution, say)
            )
            if scope.distribution is not None and scope.withheld is not None:
                figures += f" ({withheld(scope.withheld)})"
            lines.append(f"{scope.label.in_language(language)}: {figures}")
            lines.append(f"  {say('text.bands')}: {counts(scope.bands)}")
    lines += ["", say("bands.footnote"), "", f"== {say('weakest.title')} =="]
    for rank, scope in enumerate(summary.weakest, start=1):
        assert scope.distribution is not None
        key = "weakest.risk" if scope.higher_is == "risk" else "weakest.strength"
        mean = f"{scope.distribution.mean:.0f}"
        lines.append(f"{rank}. {scope.label.in_language(language)} — {say(key, mean=mean)}")
    if summary.survey is not None:
        survey = summary.survey
        year = survey.round.label.in_language(language)
        lines += ["", f"== {say('survey.title')} =="]
        lines.append(say("survey.explain", year=year, n=f"{survey.round.respondents:,}"))
        for cell in survey.room.cells:
            share = survey.room.share(cell)
            national = survey.national_share(cell.key)
            room = "—" if share is None else f"{share:.0f}%"
            lines.append(
                f"  {cell.label.in_language(language)}: "
                + say("text.room_national", room=room, national=f"{national:.1f}%")
            )
        reference = survey.reference
        lines.append(
            f"{say('survey.source')}: {reference.name.in_language(language)} "
            f"({say('survey.checked', date=reference.checked.isoformat())}) {reference.source}"
        )
        lines.append(reference.caveats.in_language(language))
        lines.append(say("survey.caveat_room"))
    lines += ["", f"== {say('alphas.title')} =="]
    for alpha in summary.alphas:
        value = f"{alpha.alpha:.2f}" if alpha.alpha is not None else withheld(alpha.withheld)
        lines.append(f"{alpha.label.in_language(language)} ({alpha.items}): {value}")
    return "\n".join(lines) + "\n"


def _stats_text(d: Distribution, say: Callable[..., str]) -> str:
    parts = [say("text.mean", value=f"{d.mean:.0f}")]
    if d.median is not None:
        parts.append(say("text.median", value=f"{d.median:.0f}"))
    if d.p25 is not None and d.p75 is not None:
        parts.append(say("text.middle", low=f"{d.p25:.0f}", high=f"{d.p75:.0f}"))
    if d.p10 is not None and d.p90 is not None:
        parts.append(say("text.tails", low=f"{d.p10:.0f}", high=f"{d.p90:.0f}"))
    return say("text.separator").join(parts)
