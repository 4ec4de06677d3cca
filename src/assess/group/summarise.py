"""Summarising a group: a wide answers frame in, a :class:`~assess.group.summary.CohortSummary`
out, with every figure passed through the disclosure rules of :mod:`assess.group.disclosure`.

>>> from assess import default_instrument
>>> from assess.group.synthetic import synthetic_cohort
>>> instrument = default_instrument()
>>> summary = summarise(instrument, synthetic_cohort(instrument, 40, seed=7))
>>> summary.participants, summary.synthetic
(40, True)
>>> summarise(instrument, synthetic_cohort(instrument, 4, seed=7)).withheld.text()
'fewer than 5 people'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from assess.core.model import Instrument, Text
from assess.core.reference import Reference
from assess.group.answers import is_synthetic
from assess.group.cohort import cronbach_alpha, score_cohort
from assess.group.disclosure import (
    DEFAULT_MIN_GROUP,
    QUANTILES,
    Withheld,
    WithheldReason,
    check_min_group,
    shown_quantiles,
    suppress,
)
from assess.group.summary import (
    NO_ANSWER,
    UNSCORED,
    Alpha,
    Breakdown,
    Cell,
    CohortSummary,
    Direction,
    Distribution,
    ScopeKind,
    ScopeSummary,
    SurveyComparison,
)

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
    """The group picture of a wide answers frame (:mod:`assess.group.answers`; columns other
    than items are ignored), with what :mod:`assess.group.disclosure` withholds withheld.

    `reference` is the national survey to set the direct loneliness question beside (callers
    read the shipped one with :func:`assess.datafiles.reference.default_reference`); no comparison
    is made without one, or when the instrument has no item of that id.  `cohort` is only a
    label carried into the output.
    Raises :class:`ValueError` for a `min_group` below 3 or answers off their items' scales.
    """
    min_group = check_min_group(min_group)
    items = _item_frame(instrument, answers_frame)
    participants = len(items)
    synthetic = is_synthetic(answers_frame)
    scores = score_cohort(instrument, items)
    too_few = Withheld(WithheldReason.TOO_FEW, min_group)
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
    withheld: Withheld | None = Withheld(WithheldReason.TOO_FEW, min_group)
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
        withheld = None if distribution.complete else Withheld(WithheldReason.TAILS, min_group)
    return ScopeSummary(
        kind, scope_id, index_id, label, higher_is, distribution, withheld, breakdown
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
            yield Alpha(
                facet.id, facet.label, items, None, Withheld(WithheldReason.TOO_FEW, min_group)
            )
        elif math.isnan(value):
            yield Alpha(
                facet.id,
                facet.label,
                items,
                None,
                Withheld(WithheldReason.NOT_COMPUTABLE, min_group),
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


def _breakdown(
    keys: Sequence[str], labels: Sequence[Text], counts: Sequence[int], min_group: int
) -> Breakdown:
    """Counts per category as they may be shown (see :func:`assess.group.disclosure.suppress`)."""
    total = int(sum(counts))
    if total < min_group:
        shown: tuple[int | None, ...] = tuple(None for _ in counts)
        reason = Withheld(WithheldReason.TOO_FEW, min_group)
    else:
        shown = suppress(counts, min_group=min_group)
        reason = Withheld(WithheldReason.SMALL_CELLS, min_group)
    cells = tuple(
        Cell(key, label, count, None if count is not None else reason)
        for key, label, count in zip(keys, labels, shown, strict=True)
    )
    return Breakdown(cells, total)
