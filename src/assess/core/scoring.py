"""Scoring one person's answers: pure functions from an instrument and answers to a result.

>>> from assess.datafiles.instrument import load_instrument, default_instrument_path
>>> instrument = load_instrument(default_instrument_path())
>>> answers = Answers({item.id: item.scale.values[0] for item in instrument.items})
>>> result = score(instrument, answers)
>>> result.completeness
1.0
>>> 0 <= result.index("isolation_risk").percent <= 100
True
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from assess.core.model import (
    Aggregation,
    Answers,
    Band,
    BandBasis,
    Bands,
    Contribution,
    Facet,
    FacetScore,
    Index,
    IndexScore,
    Instrument,
    Item,
    Result,
    Status,
)
from assess.core.problems import ProblemsError


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.message}"


class AnswerError(ProblemsError[AnswerProblem]):
    """Answers that do not fit the instrument; `problems` lists every one of them."""

    heading = "answers do not fit the instrument"


# --- the answer rule, the same for one person and for a cohort ---------------------------------


def whole_number(value: object) -> int | None:
    """The option value an answer gives, or None when it gives none.

    An answer is a number: an integer, or a float with nothing after the point (``2.0``, as JSON
    and spreadsheets may write 2, and as a column with empty cells holds it).  Text (``'2'``),
    true/false, fractions, NaN and infinities are not answers.  :func:`score` and the cohort
    scorer both apply this rule, so that one never accepts what the other refuses.

    >>> whole_number(2), whole_number(2.0), whole_number("2"), whole_number(True), whole_number(2.5)
    (2, 2, None, None, None)
    """
    if isinstance(value, bool) or type(value).__name__ in {"bool_", "bool"}:
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return int(number)
    return None


def not_a_number(item: Item, value: object) -> str:
    """What to say about an answer :func:`whole_number` refuses (both paths say the same)."""
    return (
        f"must be a whole number, one of {list(item.scale.values)}, "
        f"not {type(value).__name__} {shown(value)}"
    )


def off_scale(item: Item, value: float) -> str:
    """What to say about a number that is not one of the item's option values."""
    return f"{value:g} is not on scale {item.scale.id!r}; choose one of {list(item.scale.values)}"


def shown(value: object, *, limit: int = 60) -> str:
    r"""A value as a message quotes it: its repr (control characters escaped), cut to `limit`.

    >>> print(shown(chr(27) + "[31m" + "x" * 100, limit=20))
    '\x1b[31mxxxxxxxxx…'
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


def question_label(question_id: object) -> str:
    """A question id as a message names it: as written when it is a plain id, else quoted."""
    if isinstance(question_id, str) and 0 < len(question_id) <= 60 and question_id.isprintable():
        return question_id
    return shown(question_id)


def facet_unscored_reason(missing: int, items: int, tolerated: int) -> str:
    """Why a facet is unscored, in the words both scoring paths use."""
    return f"{missing} of {items} questions unanswered; this facet tolerates {tolerated}"


def index_unscored_reason(missing: Sequence[str], facets: int, tolerated: int) -> str:
    """Why an index is unscored, in the words both scoring paths use."""
    return (
        f"{len(missing)} of {facets} facets could not be scored "
        f"({', '.join(missing)}); this index tolerates {tolerated}"
    )


def index_items_unscored_reason(missing: int, items: int, tolerated: int) -> str:
    """Why an index is unscored by its own rule over items, in the words both scoring paths use."""
    return f"{missing} of {items} questions unanswered; this index tolerates {tolerated}"


def as_given(answers: Answers) -> Answers:
    """The answers with every whole float read as the integer it is (2.0 → 2), so that a plan,
    a result code or a saved copy made from answers read from JSON is the same as from ints.
    Values that are not whole numbers are kept as they are, for :func:`check_answers` to name.

    >>> as_given(Answers({"a": 2.0, "b": "x"})).responses == {"a": 2, "b": "x"}
    True
    """
    responses = {
        question_id: number if (number := whole_number(value)) is not None else value
        for question_id, value in answers.responses.items()
    }
    return Answers(responses, answers.profile)


def check_answers(instrument: Instrument, answers: Answers) -> None:
    """Raise :class:`AnswerError` naming every unknown question, wrong type or off-scale value."""
    problems: list[AnswerProblem] = []
    items = {item.id: item for item in instrument.items}
    for question_id, value in answers.responses.items():
        item = items.get(question_id)
        if item is None:
            problems.append(
                AnswerProblem(question_label(question_id), "is not a question of this instrument")
            )
        elif value is None:
            continue
        elif (number := whole_number(value)) is None:
            problems.append(AnswerProblem(question_id, not_a_number(item, value)))
        elif number not in item.scale.values:
            problems.append(AnswerProblem(question_id, off_scale(item, number)))
    questions = {question.id: question for question in instrument.profile}
    for question_id, code in answers.profile.items():
        question = questions.get(question_id)
        if question is None:
            problems.append(
                AnswerProblem(
                    question_label(question_id), "is not a profile question of this instrument"
                )
            )
        elif code is not None and code not in question.codes:
            problems.append(
                AnswerProblem(
                    question_id,
                    f"{shown(code)} is not an option; choose one of {list(question.codes)}",
                )
            )
    if problems:
        raise AnswerError(problems)


def facet_range(instrument: Instrument, facet: Facet) -> tuple[float, float]:
    """The lowest and highest raw score a facet can take."""
    return _range(instrument.items_of(facet.id), facet.aggregation)


def _range(items: Sequence[Item], aggregation: Aggregation) -> tuple[float, float]:
    low = sum(item.weight * item.scale.min_score for item in items)
    high = sum(item.weight * item.scale.max_score for item in items)
    if aggregation is Aggregation.MEAN:
        total_weight = sum(item.weight for item in items) or 1.0
        return low / total_weight, high / total_weight
    return low, high


def index_range(instrument: Instrument, index: Index) -> tuple[float, float]:
    """The lowest and highest raw score an index can take.

    A summed index adds its facets' raw scores (e.g. a total over subscales); an averaged index
    averages its facets' 0–100 scores.
    """
    if index.aggregation is Aggregation.MEAN:
        return 0.0, 100.0
    ranges = [facet_range(instrument, facet) for facet in instrument.facets_of(index.id)]
    return sum(low for low, _ in ranges), sum(high for _, high in ranges)


def score(instrument: Instrument, answers: Answers) -> Result:
    """Score every facet and index; what cannot be scored says why, never a silent zero."""
    check_answers(instrument, answers)
    # 2.0 counts as 2 (see `whole_number`); every value left is an option value of its item.
    responses = {
        question_id: whole_number(value)
        for question_id, value in answers.responses.items()
        if value is not None
    }
    facet_scores = tuple(_score_facet(instrument, facet, responses) for facet in instrument.facets)
    by_id = {score.facet_id: score for score in facet_scores}
    index_scores = tuple(_score_index(instrument, index, by_id) for index in instrument.indices)
    answered = sum(1 for item in instrument.items if responses.get(item.id) is not None)
    return Result(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        facets=facet_scores,
        indices=index_scores,
        answered=answered,
        expected=len(instrument.items),
    )


def _score_facet(
    instrument: Instrument, facet: Facet, responses: Mapping[str, object]
) -> FacetScore:
    items = instrument.items_of(facet.id)
    answered = [(item, responses[item.id]) for item in items if responses.get(item.id) is not None]
    missing = tuple(item.id for item in items if responses.get(item.id) is None)
    contributions = tuple(
        sorted(
            (_contribution(item, value) for item, value in answered if isinstance(value, int)),
            key=lambda c: (-abs(c.pull) * c.weight, c.item_id),
        )
    )
    if beyond_tolerance(facet, len(missing)):
        reason = facet_unscored_reason(len(missing), len(items), facet.missing.max_missing)
        measure = _unscored(reason)
    else:
        # Sums are prorated over the answered items' share of the possible range (identical to
        # the plain sum when nothing is missing), so a skipped question neither adds nor removes
        # points.
        low, high = facet_range(instrument, facet)
        gained = sum(
            item.weight * (item.keyed_score(value) - item.scale.min_score)
            for item, value in answered
            if isinstance(value, int)
        )
        possible = sum(item.weight * _span(item) for item, _ in answered)
        raw, percent = _prorated(gained, possible, low, high)
        measure = _scored(facet.bands, raw, percent, prorated=bool(missing))
    return FacetScore(
        facet_id=facet.id,
        answered=len(answered),
        expected=len(items),
        missing_items=missing,
        contributions=contributions,
        **measure,
    )


def beyond_tolerance(facet: Facet, missing: int) -> bool:
    """The missing-answer rule: a facet with more than `max_missing` unanswered questions is
    not scored.  One rule for the scorer and for whoever tells a person what a skip costs."""
    return missing > facet.missing.max_missing


def facets_left_unscored(
    instrument: Instrument, answers: Answers, *, asked: Collection[str]
) -> tuple[Facet, ...]:
    """The facets that already cannot be scored because of questions among `asked` left
    unanswered (questions not yet asked do not count against them).

    >>> from assess.datafiles.instrument import load_instrument, default_instrument_path
    >>> instrument = load_instrument(default_instrument_path())
    >>> facet = instrument.facets[0]
    >>> asked = [item.id for item in instrument.items_of(facet.id)]
    >>> [f.id for f in facets_left_unscored(instrument, Answers({}), asked=asked)] == [facet.id]
    True
    >>> facets_left_unscored(instrument, Answers({}), asked=[])
    ()
    """
    responses = answers.responses
    return tuple(
        facet
        for facet in instrument.facets
        if beyond_tolerance(
            facet,
            sum(
                1
                for item in instrument.items_of(facet.id)
                if item.id in asked and responses.get(item.id) is None
            ),
        )
    )


def _score_index(
    instrument: Instrument, index: Index, facet_scores: Mapping[str, FacetScore]
) -> IndexScore:
    facets = instrument.facets_of(index.id)
    scored = [
        facet_scores[f.id] for f in facets if facet_scores[f.id].status is not Status.UNSCORED
    ]
    missing = tuple(f.id for f in facets if facet_scores[f.id].status is Status.UNSCORED)
    missing_items = tuple(i for f in facets for i in facet_scores[f.id].missing_items)
    rule = index.missing
    if len(missing) > rule.max_missing:
        reason: str | None = index_unscored_reason(missing, len(facets), rule.max_missing)
    elif rule.max_missing_items is not None and len(missing_items) > rule.max_missing_items:
        items = sum(facet_scores[f.id].expected for f in facets)
        reason = index_items_unscored_reason(len(missing_items), items, rule.max_missing_items)
    else:
        reason = None
    if reason is not None:
        measure = _unscored(reason)
    else:
        low, high = index_range(instrument, index)
        if index.aggregation is Aggregation.MEAN:
            percent = sum(s.percent or 0.0 for s in scored) / len(scored)
            raw = percent
        else:
            # Like a facet: prorate the scored facets' share of their possible range.
            spans = {f.id: facet_range(instrument, f) for f in facets}
            gained = sum((s.raw or 0.0) - spans[s.facet_id][0] for s in scored)
            possible = sum(spans[s.facet_id][1] - spans[s.facet_id][0] for s in scored)
            raw, percent = _prorated(gained, possible, low, high)
        any_prorated = bool(missing) or any(s.status is Status.PRORATED for s in scored)
        measure = _scored(index.bands, raw, percent, prorated=any_prorated)
    return IndexScore(
        index_id=index.id,
        scored_facets=len(scored),
        expected_facets=len(facets),
        missing_facets=missing,
        missing_items=missing_items,
        **measure,
    )


class _Measure(TypedDict):
    """What a facet's score and an index's score say alike: how it came about and where it
    landed, or why there is none."""

    status: Status
    raw: float | None
    percent: float | None
    band: Band | None
    reason: str | None


def _unscored(reason: str) -> _Measure:
    return _Measure(status=Status.UNSCORED, raw=None, percent=None, band=None, reason=reason)


def _scored(bands: Bands, raw: float, percent: float, *, prorated: bool) -> _Measure:
    return _Measure(
        status=Status.PRORATED if prorated else Status.COMPLETE,
        raw=raw,
        percent=percent,
        band=_band(bands, raw, percent),
        reason=None,
    )


def _prorated(gained: float, possible: float, low: float, high: float) -> tuple[float, float]:
    """The raw score and percent of `gained` points out of the `possible` ones of what was
    answered, spread over the whole range `low` to `high`."""
    fraction = gained / possible
    return low + fraction * (high - low), 100.0 * fraction


def _contribution(item: Item, value: int) -> Contribution:
    keyed = item.keyed_score(value)
    pull = 2.0 * (keyed - item.scale.min_score) / _span(item) - 1.0
    return Contribution(item.id, value, keyed, item.weight, pull)


def _span(item: Item) -> float:
    return item.scale.max_score - item.scale.min_score


def _band(bands: Bands, raw: float, percent: float) -> Band:
    value = percent if bands.basis is BandBasis.PERCENT else raw
    # Rounding keeps 5.999999 (a prorated or floating sum) in the band its printed value shows.
    return bands.band_for(round(value, 9))
