"""What the facilitator sees of a group: frozen values of counts, percentiles and alphas.

A :class:`CohortSummary` holds no individual's answers: no rows of the answers frame, no result
ids, no dates, no profile answers.  :func:`assess.group.summarise.summarise` makes one;
:mod:`assess.group.summary_tables` and :mod:`assess.group.summary_text` lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assess.core.model import Text, find
from assess.core.reference import Reference, SurveyRound
from assess.group.disclosure import Withheld

UNSCORED = "unscored"
"""Key of the breakdown cell for people whose answers were too incomplete to score."""
NO_ANSWER = "no_answer"
"""Key of the breakdown cell for people who skipped the direct loneliness question."""

ScopeKind = Literal["facet", "index"]
Direction = Literal["risk", "strength"]


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
        return find(self.cells, key, by=lambda cell: cell.key)

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
        return find(self.scopes, scope_id)

    @property
    def indices(self) -> tuple[ScopeSummary, ...]:
        return tuple(s for s in self.scopes if s.kind == "index")

    @property
    def facets(self) -> tuple[ScopeSummary, ...]:
        return tuple(s for s in self.scopes if s.kind == "facet")
