"""Published reference distributions (e.g. Japan's national loneliness survey) and where one
person's answer stands in them.  The values only; :mod:`assess.datafiles.reference` reads them.

>>> survey = Reference(
...     id="demo", item="lonely", name=Text("調査", "Survey"),
...     checked=datetime.date(2026, 1, 1), caveats=Text("", ""),
...     categories=(3, 2, 1),
...     rounds=(
...         SurveyRound("r1", 2023, Text("", ""), 100, (10.0, 30.0, 60.0), 0.0, "https://r1"),
...     ),
... )
>>> standing = stand_in(survey, value=2)
>>> standing.share, standing.lonelier, standing.less_lonely
(30.0, 10.0, 60.0)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assess.core.model import Text


@dataclass(frozen=True, slots=True)
class SurveyRound:
    id: str
    year: int
    label: Text
    respondents: int
    shares: tuple[float, ...]
    """Percent of respondents per category, in the order of `Reference.categories`."""
    no_answer: float
    source: str
    """Where this round's figures were published: each round has its own report, and a figure
    quoted with another round's link cannot be checked by the reader."""


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    item: str
    name: Text
    checked: datetime.date
    caveats: Text
    categories: tuple[int, ...]
    """Answer values of the compared item, from the loneliest category down."""
    rounds: tuple[SurveyRound, ...]

    @property
    def latest(self) -> SurveyRound:
        return max(self.rounds, key=lambda r: r.year)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where an answer sits: the share answering the same, and the shares on either side."""

    round: SurveyRound
    value: int
    share: float
    lonelier: float
    less_lonely: float

    @property
    def same_or_more(self) -> float:
        """The share who gave the same answer or said they felt lonely more often: the kind way
        to place an answer (nobody is told how many are less lonely than they are)."""
        return round(self.share + self.lonelier, 1)


def stand_in(reference: Reference, *, value: int, round_id: str | None = None) -> Standing:
    """Place an answer in a round of the survey (the latest unless named)."""
    chosen = reference.latest
    if round_id is not None:
        chosen = next(r for r in reference.rounds if r.id == round_id)
    if value not in reference.categories:
        raise ValueError(f"{value} is not a category of {reference.id}: {reference.categories}")
    position = reference.categories.index(value)
    return Standing(
        round=chosen,
        value=value,
        share=chosen.shares[position],
        lonelier=round(sum(chosen.shares[:position]), 1),
        less_lonely=round(sum(chosen.shares[position + 1 :]), 1),
    )
