"""Instruments and results as pandas tables, for people exploring in JupyterLab.

>>> from assess import default_instrument
>>> items = items_frame(default_instrument())
>>> list(items.columns)
['index', 'facet', 'item', 'scale', 'reverse', 'weight', 'ja', 'en']
"""

from __future__ import annotations

import pandas as pd

from assess.core.model import Instrument, Result


def items_frame(instrument: Instrument) -> pd.DataFrame:
    """One row per item, grouped by index and facet, wording in both languages."""
    rows = [
        {
            "index": instrument.facet(item.facet).index,
            "facet": item.facet,
            "item": item.id,
            "scale": item.scale.id,
            "reverse": item.reverse,
            "weight": item.weight,
            "ja": item.text.ja,
            "en": item.text.en,
        }
        for item in instrument.items
    ]
    return pd.DataFrame(rows)


def scores_frame(instrument: Instrument, result: Result, *, language: str = "ja") -> pd.DataFrame:
    """One row per index and facet: score, band, status and, when unscored, why."""
    rows = []
    for index in instrument.indices:
        scope = result.index(index.id)
        rows.append(
            {
                "scope": index.label.in_language(language),
                "kind": "index",
                "percent": None if scope.percent is None else round(scope.percent, 1),
                "raw": None if scope.raw is None else round(scope.raw, 2),
                "band": scope.band.label.in_language(language) if scope.band else None,
                "status": scope.status.value,
                "why": scope.reason or "",
            }
        )
        for facet in instrument.facets_of(index.id):
            score = result.facet(facet.id)
            drivers = ", ".join(c.item_id for c in score.contributions[:2])
            rows.append(
                {
                    "scope": "  " + facet.label.in_language(language),
                    "kind": "facet",
                    "percent": None if score.percent is None else round(score.percent, 1),
                    "raw": None if score.raw is None else round(score.raw, 2),
                    "band": score.band.label.in_language(language) if score.band else None,
                    "status": score.status.value,
                    "why": score.reason or (f"driven by {drivers}" if drivers else ""),
                }
            )
    return pd.DataFrame(rows)
