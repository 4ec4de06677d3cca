"""Disclosure control: which figures about a group may be shown, so that nobody in the room can
be singled out from what the facilitator sees.

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
  frame, no result ids, no dates, no profile answers (:mod:`assess.group.summary`).

What it does not protect against: looking at the same workshop again after one more person has
joined and subtracting the two views.  Share the view once the group is complete.

>>> suppress([12, 1, 7], min_group=5)    # 1 is small; 7 is withheld beside it
(12, None, None)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

MIN_GROUP_FLOOR = 3
"""The smallest group a figure may be computed from, whatever the configuration says."""
DEFAULT_MIN_GROUP = 5
QUANTILES: tuple[float, ...] = (10.0, 25.0, 50.0, 75.0, 90.0)
"""The percentiles a distribution may show (see :func:`shown_quantiles`)."""


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


class WithheldReason(StrEnum):
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
    WithheldReason.TOO_FEW: "fewer than {min_group} people",
    WithheldReason.SMALL_CELLS: "withheld so that nobody in a group of fewer than {min_group} "
    "people can be singled out",
    WithheldReason.TAILS: "percentiles with fewer than {min_group} people beyond them are withheld",
    WithheldReason.NOT_COMPUTABLE: "cannot be computed (e.g. everyone answered alike)",
}


@dataclass(frozen=True, slots=True)
class Withheld:
    """A figure that is not shown, and why.  :meth:`text` is English; the UI translates
    ``facilitator.withheld.<reason>`` from the messages catalogue."""

    reason: WithheldReason
    min_group: int

    def text(self) -> str:
        return _REASON_TEXT[self.reason].format(min_group=self.min_group)


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
