"""Since last time: two results of the same instrument side by side, per index and facet.

A change is read in the index's own direction (for a risk lower is better, for a strength higher
is better), and kindly: a change no larger than the measurement's noise, from the index's
declared :class:`~assess.core.model.Reliability`, is "about the same".  Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from assess.core.model import Index, Instrument, Result, Status

__all__ = ["Change", "Comparison", "Verdict", "compare", "scored_percent"]


class Verdict(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    """Within the noise: about the same."""


@dataclass(frozen=True, slots=True)
class Change:
    """One index's or facet's change from the earlier result to the later one.  `change`,
    `verdict` are None when either result left it unscored."""

    id: str
    index_id: str
    earlier: float | None
    later: float | None
    noise: float
    """Changes up to this many points (0–100) are about the same (0: no reliability declared)."""
    higher_is: Literal["risk", "strength"]
    """Its index's direction: for a risk a fall is better, for a strength a rise."""

    @property
    def change(self) -> float | None:
        if self.earlier is None or self.later is None:
            return None
        return self.later - self.earlier

    @property
    def verdict(self) -> Verdict | None:
        change = self.change
        if change is None:
            return None
        if abs(change) <= self.noise:
            return Verdict.SAME
        return Verdict.BETTER if (change < 0) == (self.higher_is == "risk") else Verdict.WORSE


@dataclass(frozen=True, slots=True)
class Comparison:
    indices: tuple[Change, ...]
    facets: tuple[Change, ...]

    def index(self, index_id: str) -> Change:
        return next(change for change in self.indices if change.id == index_id)

    def facet(self, facet_id: str) -> Change:
        return next(change for change in self.facets if change.id == facet_id)


def compare(instrument: Instrument, *, earlier: Result, later: Result) -> Comparison:
    """Every index and facet of `instrument`, from `earlier` to `later`.

    Both results must come from `instrument` (a code of an earlier bank is rescored with
    today's bank before it gets here), else ValueError.
    """
    for result in (earlier, later):
        if result.instrument_id != instrument.id:
            raise ValueError(
                f"a result of {result.instrument_id!r} cannot be compared on {instrument.id!r}"
            )
    indices: list[Change] = []
    facets: list[Change] = []
    for index in instrument.indices:
        indices.append(_change(index, index.id, earlier, later, facet=False))
        facets.extend(
            _change(index, part.id, earlier, later, facet=True)
            for part in instrument.facets_of(index.id)
        )
    return Comparison(indices=tuple(indices), facets=tuple(facets))


def _change(index: Index, part_id: str, earlier: Result, later: Result, *, facet: bool) -> Change:
    """The index itself, or one of its facets (`facet`), from `earlier` to `later`."""
    reliability = index.reliability
    return Change(
        id=part_id,
        index_id=index.id,
        earlier=scored_percent(earlier, part_id, facet=facet),
        later=scored_percent(later, part_id, facet=facet),
        noise=reliability.noise(of_facet=facet) if reliability else 0.0,
        higher_is=index.higher_is,
    )


def scored_percent(result: Result, part_id: str, *, facet: bool) -> float | None:
    """A facet's or index's 0–100 score, or None when unscored or not in the result."""
    try:
        score = result.facet(part_id) if facet else result.index(part_id)
    except KeyError:
        return None
    return None if score.status is Status.UNSCORED else score.percent
