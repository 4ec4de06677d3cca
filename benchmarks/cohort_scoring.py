"""How fast does cohort scoring run, against a hand-written numpy floor measured in the same run?

    .venv/bin/python benchmarks/cohort_scoring.py [--sizes 10000 100000 1000000] [--repeats 5]

Two floors are timed: `floor` is one matrix product of the answers with the facet weights on a
copy with the gaps already filled (pure arithmetic, a lower bound no scorer can reach), and
`floor+gaps` also fills the gaps itself (`nan_to_num`), the least that turns the same data,
gaps and all, into numbers.  `score_matrix` also checks every answer is on its scale,
looks up keyed scores, handles missing answers, prorates, applies the missing-answer rules,
scores the indices and finds the bands.  Timings interleave the two and keep the best of
`--repeats` runs, so that a busy neighbour on a shared machine inflates neither side alone.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from assess import Answers, default_instrument, score
from assess.core.model import Instrument
from assess.group.cohort import score_cohort, score_matrix


def synthetic_answers(instrument: Instrument, size: int, *, seed: int = 1) -> np.ndarray:
    """Random valid answers, about 2 % left blank (NaN)."""
    rng = np.random.default_rng(seed)
    columns = []
    for item in instrument.items:
        values = np.array(item.scale.values, dtype=np.float64)
        columns.append(values[rng.integers(0, len(values), size=size)])
    matrix = np.column_stack(columns)
    matrix[rng.random(matrix.shape) < 0.02] = np.nan
    return matrix


def facet_weights(instrument: Instrument) -> np.ndarray:
    weights = np.zeros((len(instrument.items), len(instrument.facets)))
    position = {facet.id: j for j, facet in enumerate(instrument.facets)}
    for i, item in enumerate(instrument.items):
        weights[i, position[item.facet]] = item.weight
    return weights


def best_of(repeats: int, *runs: Callable[[], object]) -> list[float]:
    """Best wall time of each run, interleaved so that load spikes hit all of them alike."""
    best = [math.inf] * len(runs)
    for _ in range(repeats):
        for k, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()

    instrument = default_instrument()
    weights = facet_weights(instrument)
    print(
        f"instrument {instrument.id} {instrument.version}: {len(instrument.items)} items, "
        f"{len(instrument.facets)} facets, {len(instrument.indices)} indices"
    )
    print(
        f"{'respondents':>12} {'floor s':>9} {'+gaps s':>9} {'matrix s':>9} {'ratio':>6} "
        f"{'ratio+g':>7} {'frame s':>9} {'ratio':>6}"
    )
    rows = []
    for size in arguments.sizes:
        answers = synthetic_answers(instrument, size)
        dense = np.nan_to_num(answers)  # the floor gets a gap-free matrix, for free
        frame = pd.DataFrame(answers, columns=[item.id for item in instrument.items])
        floor, gaps, matrix, cohort = best_of(
            arguments.repeats,
            lambda dense=dense: dense @ weights,
            lambda answers=answers: np.nan_to_num(answers) @ weights,
            lambda answers=answers: score_matrix(instrument, answers),
            lambda frame=frame: score_cohort(instrument, frame),
        )
        rows.append((size, floor, matrix, cohort))
        print(
            f"{size:>12,} {floor:>9.4f} {gaps:>9.4f} {matrix:>9.4f} {matrix / floor:>6.2f} "
            f"{matrix / gaps:>7.2f} {cohort:>9.4f} {cohort / floor:>6.2f}"
        )
    if len(rows) > 1:
        print("growth (time ∝ size^k, between successive sizes):")
        for (n0, f0, m0, c0), (n1, f1, m1, c1) in itertools.pairwise(rows):
            exponent = math.log(n1 / n0)
            print(
                f"  {n0:,} → {n1:,}: floor k={math.log(f1 / f0) / exponent:.2f}, "
                f"matrix k={math.log(m1 / m0) / exponent:.2f}, "
                f"frame k={math.log(c1 / c0) / exponent:.2f}"
            )

    one = {item.id: item.scale.values[len(item.scale.values) // 2] for item in instrument.items}
    answers_one = Answers(one)
    timings = []
    for _ in range(2000):
        start = time.perf_counter()
        score(instrument, answers_one)
        timings.append(time.perf_counter() - start)
    print(
        f"one respondent with score(): median {statistics.median(timings) * 1e3:.3f} ms, "
        f"p95 {sorted(timings)[int(0.95 * len(timings))] * 1e3:.3f} ms"
    )


if __name__ == "__main__":
    main()
