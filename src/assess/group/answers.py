"""The wide answers frame: the one shape in which a group's answers reach the summaries.

Pasted result codes (:mod:`assess.group.codes`), saved results (:func:`workshop_frame`) and the
synthetic sample (:mod:`assess.group.synthetic`) are all built by :func:`answers_frame`, so that
they agree on every column:

* one column per item of the questionnaire, in its order: ``float64`` option values, NaN where
  the person skipped the question;
* one column per profile question: ``object``, the option code or ``None``;
* ``taken_on``: ``object`` dtype holding :class:`datetime.date` values.  A result records the
  day it was taken and nothing finer; a pandas datetime would add a midnight in no time zone
  that nobody recorded, and no summary computes with the date.  ``pd.to_datetime(frame
  ["taken_on"])`` gives datetimes to whoever wants them.

A synthetic frame also has a ``synthetic`` column (True on every row) and
``frame.attrs["synthetic"] = True`` (:func:`mark_synthetic`), and whatever shows it says
:data:`SYNTHETIC_NOTE`.

>>> import datetime
>>> from assess import Answers, default_instrument
>>> instrument = default_instrument()
>>> frame = frame_of_answers(instrument, [(Answers({"spatial_1": 2}), datetime.date(2026, 11, 26))])
>>> frame.loc[0, "spatial_1"], frame.loc[0, "taken_on"], frame["spatial_2"].isna().all()
(np.float64(2.0), datetime.date(2026, 11, 26), np.True_)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from assess.core.model import Answers, Instrument, Text

TAKEN_ON = "taken_on"
"""The column of the day each result was taken (:class:`datetime.date` values)."""
SYNTHETIC = "synthetic"
"""Column and ``DataFrame.attrs`` key that marks synthetic (sample) answers."""
SYNTHETIC_NOTE = Text(ja="合成（サンプル）データ", en="synthetic (sample) data")
"""Shown wherever synthetic answers are displayed."""


def answers_frame(
    instrument: Instrument,
    *,
    items: Mapping[str, npt.ArrayLike],
    profile: Mapping[str, Sequence[object]],
    taken_on: Sequence[datetime.date],
    index: pd.Index | None = None,
) -> pd.DataFrame:
    """The wide answers frame of ``len(taken_on)`` results, column by column.

    `items` maps item ids to option values (NaN or None where unanswered), `profile` question
    ids to codes; an item or question left out is unanswered by everyone.  Columns other than
    the questionnaire's are refused, so that a typo cannot pass as a skipped question.
    """
    rows = len(taken_on)
    unknown = sorted(
        (set(items) - {i.id for i in instrument.items})
        | (set(profile) - {q.id for q in instrument.profile})
    )
    if unknown:
        raise ValueError(f"not questions of {instrument.id}: {', '.join(unknown)}")
    columns: dict[str, object] = {}
    for item in instrument.items:
        values = items.get(item.id)
        # None reads as NaN: unanswered.
        column = np.full(rows, np.nan) if values is None else np.asarray(values, dtype=np.float64)
        if len(column) != rows:
            raise ValueError(f"{item.id}: {len(column)} answers for {rows} results")
        columns[item.id] = pd.array(column, dtype="float64")
    for question in instrument.profile:
        codes = list(profile.get(question.id, [None] * rows))
        if len(codes) != rows:
            raise ValueError(f"{question.id}: {len(codes)} answers for {rows} results")
        columns[question.id] = pd.array(codes, dtype=object)
    columns[TAKEN_ON] = pd.array([_day(day) for day in taken_on], dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(rows) if index is None else index)


def _day(value: object) -> datetime.date:
    """A calendar day: a time of day, if any, is dropped (results record the day only)."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise ValueError(f"taken_on must be a date, not {type(value).__name__}")


def frame_of_answers(
    instrument: Instrument,
    taken: Iterable[tuple[Answers, datetime.date]],
    *,
    index: pd.Index | None = None,
) -> pd.DataFrame:
    """The wide answers frame of results given one by one as (answers, day taken) pairs.
    Answers to questions this questionnaire does not ask are left out."""
    pairs = list(taken)
    items = {
        item.id: [_value(answers.responses.get(item.id)) for answers, _ in pairs]
        for item in instrument.items
    }
    profile = {
        question.id: [answers.profile.get(question.id) for answers, _ in pairs]
        for question in instrument.profile
    }
    return answers_frame(
        instrument, items=items, profile=profile, taken_on=[day for _, day in pairs], index=index
    )


def _value(value: object) -> float:
    if value is None:
        return float("nan")
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"an answer is an option value (a number), not {value!r}")
    return float(value)


class SavedResult(Protocol):
    """What the summaries read of a saved result (see
    :class:`assess.store.results.ResultRecord`)."""

    @property
    def id(self) -> str: ...
    @property
    def instrument_id(self) -> str: ...
    @property
    def instrument_version(self) -> str: ...
    @property
    def taken_on(self) -> datetime.date: ...
    @property
    def answers(self) -> Answers: ...
    @property
    def cohort(self) -> str | None: ...


class ResultSource(Protocol):
    """Where saved results come from (see :class:`assess.store.results.ResultStore`)."""

    def results(self, cohort: str | None = None) -> Sequence[SavedResult]: ...


def frame_from_results(instrument: Instrument, results: Iterable[SavedResult]) -> pd.DataFrame:
    """The wide answers frame of saved results of this questionnaire and version (others are
    left out, so that two versions' answers are never mixed), indexed by ``result_id``."""
    own = [
        r
        for r in results
        if (r.instrument_id, r.instrument_version) == (instrument.id, instrument.version)
    ]
    index = pd.Index([r.id for r in own], name="result_id", dtype=object)
    return frame_of_answers(instrument, [(r.answers, r.taken_on) for r in own], index=index)


def workshop_frame(instrument: Instrument, source: ResultSource, cohort: str) -> pd.DataFrame:
    """The answers saved under one workshop code, of this questionnaire and version.

    A blank code is refused: a store reads "no code" as every result it holds, and the group
    view is for one workshop.
    """
    if not isinstance(cohort, str) or not cohort.strip():
        raise ValueError("a workshop code is needed for the group view")
    results = source.results(cohort)
    if len({r.cohort for r in results}) > 1 or any(r.cohort is None for r in results):
        raise ValueError("the store returned results of more than one workshop code")
    return frame_from_results(instrument, results)


def mark_synthetic(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the synthetic marks (a ``synthetic`` column, True, and ``attrs``)."""
    marked = frame.assign(**{SYNTHETIC: np.ones(len(frame), dtype=bool)})
    marked.attrs[SYNTHETIC] = True
    return marked


def is_synthetic(frame: pd.DataFrame) -> bool:
    """Whether a frame is marked as synthetic (sample) data, by ``attrs`` or a column."""
    if bool(frame.attrs.get(SYNTHETIC, False)):
        return True
    return SYNTHETIC in frame.columns and bool(frame[SYNTHETIC].astype(bool).any())
