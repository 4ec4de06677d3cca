"""Synthetic (sample) answers, so that the facilitator's view can be tried without real data.

Nobody answered these: every frame made here is marked as synthetic, with a ``synthetic`` column
that is True on every row and ``frame.attrs["synthetic"] = True``
(:func:`assess.group.answers.mark_synthetic`), and everything that shows it says "synthetic
(sample) data" (合成（サンプル）データ).

The answers are plausible rather than uniform noise: each person has one latent tendency towards
isolation, shared in part by the indices (more isolation risk goes with a weaker network), each
index and facet adds its own part, and each item reads its facet's trait with noise.  So items
of a facet agree with each other as in real data (Cronbach's alpha of about 0.7–0.9), facets
differ in their average (so that some come out weaker in the room), and a few answers are
skipped.

>>> from assess import default_instrument
>>> frame = synthetic_cohort(default_instrument(), 3, seed=1)
>>> len(frame), frame.attrs["synthetic"], bool(frame["synthetic"].all())
(3, True, True)
>>> frame.equals(synthetic_cohort(default_instrument(), 3, seed=1))
True
"""

from __future__ import annotations

import datetime
from statistics import NormalDist

import numpy as np
import pandas as pd

from assess.core.model import Instrument, Item
from assess.group.answers import answers_frame, mark_synthetic

SHARED = 0.6
"""How much of an index's trait is the person's overall tendency towards isolation."""
FACET_LOADING = 0.75
"""How much of a facet's trait is its index's trait."""
ITEM_LOADING = 0.8
"""How much of an item's answer is its facet's trait (the rest is noise)."""
FACET_SPREAD = 0.3
"""Standard deviation of the facets' average levels, so that facets differ in the room."""
MISSING_RATE = 0.02
"""Share of answers skipped."""
FIRST_DAY = datetime.date(2026, 1, 10)


def synthetic_cohort(
    instrument: Instrument,
    size: int,
    *,
    seed: int,
    missing_rate: float = MISSING_RATE,
) -> pd.DataFrame:
    """`size` synthetic respondents of `instrument`: the wide answers frame
    (:func:`assess.group.answers.answers_frame`), marked as synthetic.  The same `seed` gives
    the same frame."""
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 0:
        raise ValueError(f"size must be a whole number of respondents, 0 or more, not {size!r}")
    if not 0.0 <= missing_rate < 1.0:
        raise ValueError(f"missing_rate must be at least 0 and below 1, not {missing_rate!r}")
    rng = np.random.default_rng(seed)
    tendency = rng.standard_normal(size)
    index_trait = {
        index.id: SHARED * tendency + np.sqrt(1 - SHARED**2) * rng.standard_normal(size)
        for index in instrument.indices
    }
    items: dict[str, np.ndarray] = {}
    facet_trait: dict[str, np.ndarray] = {}
    for facet in instrument.facets:
        index = instrument.index(facet.index)
        # Higher tendency: more risk, less strength.
        direction = 1.0 if index.higher_is == "risk" else -1.0
        level = rng.normal(0.0, FACET_SPREAD)
        own = np.sqrt(1 - FACET_LOADING**2) * rng.standard_normal(size)
        facet_trait[facet.id] = direction * (FACET_LOADING * index_trait[index.id] + own) + level
    for item in instrument.items:
        latent = ITEM_LOADING * facet_trait[item.facet] + np.sqrt(
            1 - ITEM_LOADING**2
        ) * rng.standard_normal(size)
        values = _options(item, latent)
        skipped = rng.random(size) < missing_rate
        items[item.id] = np.where(skipped, np.nan, values)
    profile = {}
    for question in instrument.profile:
        picks = rng.integers(0, len(question.codes), size)
        profile[question.id] = [question.codes[p] for p in picks]
    days = rng.integers(0, 3, size)
    taken_on = [FIRST_DAY + datetime.timedelta(days=int(d)) for d in days]
    return mark_synthetic(
        answers_frame(instrument, items=items, profile=profile, taken_on=taken_on)
    )


def _options(item: Item, latent: np.ndarray) -> np.ndarray:
    """Option values for latent scores: higher latent → higher keyed score, cut at the normal
    distribution's quantiles so that each option is about as likely when the trait is average."""
    ordered = sorted(item.scale.values, key=lambda value: (item.keyed_score(value), value))
    count = len(ordered)
    cuts = np.array([NormalDist().inv_cdf(j / count) for j in range(1, count)])
    positions = np.searchsorted(cuts, latent)
    return np.asarray(ordered, dtype=np.float64)[positions]
