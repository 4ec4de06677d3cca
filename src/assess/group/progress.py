"""Personal progress: one person's results over time, as a tidy table.

Results come from the local store (saved with consent) or from result codes the person kept;
both arrive here as (date, answers) pairs and are scored again with the current instrument.

>>> import datetime
>>> from assess import Answers, default_instrument
>>> instrument = default_instrument()
>>> calm = Answers({i.id: i.scale.values[0] for i in instrument.items})
>>> days = [datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]
>>> table = history(instrument, [(day, calm) for day in days])
>>> sorted(set(table["taken_on"].astype(str)))
['2026-10-01', '2026-11-01']
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pandas as pd

from assess.core.model import Answers, Instrument, Status
from assess.core.scoring import score

COLUMNS = ["taken_on", "kind", "scope", "percent", "band"]


def history(instrument: Instrument, taken: Iterable[tuple[datetime.date, Answers]]) -> pd.DataFrame:
    """One row per result and scope (index or facet): date, 0–100 score and band, oldest first.

    Unscored scopes keep their row with NaN, so a gap in a line shows a gap in the answers.
    """
    rows = []
    for taken_on, answers in taken:
        result = score(instrument, answers)
        scopes = [("index", s.index_id, s.status, s.percent, s.band) for s in result.indices]
        scopes += [("facet", s.facet_id, s.status, s.percent, s.band) for s in result.facets]
        for kind, scope, status, percent, band in scopes:
            scored = status is not Status.UNSCORED and percent is not None
            rows.append(
                {
                    "taken_on": taken_on,
                    "kind": kind,
                    "scope": scope,
                    "percent": round(percent, 1)
                    if scored and percent is not None
                    else float("nan"),
                    "band": band.id if scored and band is not None else None,
                }
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["taken_on", "kind", "scope"], kind="stable").reset_index(drop=True)


def changes(table: pd.DataFrame) -> pd.DataFrame:
    """For each scope, the first and the latest score and the change between them."""
    scored = table.dropna(subset=["percent"]).sort_values("taken_on", kind="stable")
    grouped = scored.groupby(["kind", "scope"], sort=False)["percent"]
    summary = pd.DataFrame({"first": grouped.first(), "latest": grouped.last()})
    summary["change"] = (summary["latest"] - summary["first"]).round(1)
    return summary.reset_index()
