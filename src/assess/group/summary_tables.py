"""A group summary as tidy tables, CSV that no spreadsheet runs as a formula, and JSON.

>>> from assess import default_instrument
>>> from assess.group.summarise import summarise
>>> from assess.group.synthetic import synthetic_cohort
>>> instrument = default_instrument()
>>> frames = summary_frames(summarise(instrument, synthetic_cohort(instrument, 30, seed=1)))
>>> list(frames) == list(TABLES)
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from assess.group.answers import SYNTHETIC, SYNTHETIC_NOTE
from assess.group.disclosure import Withheld
from assess.group.summary import CohortSummary, Distribution, SurveyComparison

TABLES: tuple[str, ...] = ("overview", "distributions", "bands", "weakest", "survey", "alphas")


def summary_frames(summary: CohortSummary, *, language: str = "en") -> dict[str, pd.DataFrame]:
    """The summary as tidy tables: ``overview``, ``distributions``, ``bands``, ``weakest``,
    ``survey`` and ``alphas``.  Labels are in `language`; ``withheld`` says why a value is
    missing (English), empty where it is shown."""
    note = SYNTHETIC_NOTE.in_language(language) if summary.synthetic else ""
    overview = pd.DataFrame(
        [
            {
                "cohort": summary.cohort or "",
                "instrument": summary.instrument_id,
                "version": summary.instrument_version,
                "participants": summary.participants,
                "min_group": summary.min_group,
                "synthetic": summary.synthetic,
                "data": note,
                "withheld": _why(summary.withheld),
            }
        ]
    )
    distributions = pd.DataFrame(
        [
            {
                "kind": scope.kind,
                "index": scope.index,
                "scope": scope.id,
                "label": scope.label.in_language(language),
                "higher_is": scope.higher_is,
                **_stats(scope.distribution),
                "withheld": _why(scope.withheld),
            }
            for scope in summary.scopes
        ],
        columns=[
            "kind",
            "index",
            "scope",
            "label",
            "higher_is",
            "mean",
            "p10",
            "p25",
            "median",
            "p75",
            "p90",
            "withheld",
        ],
    )
    bands = pd.DataFrame(
        [
            {
                "kind": scope.kind,
                "scope": scope.id,
                "label": scope.label.in_language(language),
                "band": cell.key,
                "band_label": cell.label.in_language(language),
                "count": cell.count,
                "share": scope.bands.share(cell),
                "withheld": _why(cell.withheld),
            }
            for scope in summary.scopes
            for cell in scope.bands.cells
        ],
        columns=["kind", "scope", "label", "band", "band_label", "count", "share", "withheld"],
    )
    weakest = pd.DataFrame(
        [
            {
                "rank": rank,
                "facet": scope.id,
                "label": scope.label.in_language(language),
                "index": scope.index,
                "higher_is": scope.higher_is,
                "mean": scope.distribution.mean if scope.distribution else None,
                "need": scope.need,
            }
            for rank, scope in enumerate(summary.weakest, start=1)
        ],
        columns=["rank", "facet", "label", "index", "higher_is", "mean", "need"],
    )
    survey = _survey_frame(summary.survey, language)
    alphas = pd.DataFrame(
        [
            {
                "facet": alpha.facet,
                "label": alpha.label.in_language(language),
                "items": alpha.items,
                "alpha": alpha.alpha,
                "withheld": _why(alpha.withheld),
            }
            for alpha in summary.alphas
        ],
        columns=["facet", "label", "items", "alpha", "withheld"],
    )
    frames = {
        "overview": overview,
        "distributions": distributions,
        "bands": bands,
        "weakest": weakest,
        "survey": survey,
        "alphas": alphas,
    }
    frames["bands"] = bands.astype({"count": "Int64"})
    frames["survey"] = survey.astype({"count": "Int64", "national_respondents": "Int64"})
    if summary.synthetic:
        for frame in frames.values():
            frame.attrs[SYNTHETIC] = True
    return frames


def _survey_frame(survey: SurveyComparison | None, language: str) -> pd.DataFrame:
    columns = [
        "value",
        "answer",
        "count",
        "share",
        "national_share",
        "national_round",
        "national_respondents",
        "source",
        "checked",
        "withheld",
    ]
    if survey is None:
        return pd.DataFrame(columns=columns)
    rows = [
        {
            "value": cell.key,
            "answer": cell.label.in_language(language),
            "count": cell.count,
            "share": survey.room.share(cell),
            "national_share": survey.national_share(cell.key),
            "national_round": survey.round.year,
            "national_respondents": survey.round.respondents,
            "source": survey.round.source,
            "checked": survey.reference.checked.isoformat(),
            "withheld": _why(cell.withheld),
        }
        for cell in survey.room.cells
    ]
    return pd.DataFrame(rows, columns=columns)


def _stats(distribution: Distribution | None) -> dict[str, float | None]:
    names = ("mean", "p10", "p25", "median", "p75", "p90")
    if distribution is None:
        return dict.fromkeys(names)
    return {name: getattr(distribution, name) for name in names}


def _why(withheld: Withheld | None) -> str:
    return withheld.text() if withheld is not None else ""


def combined_frame(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """All tables in one tidy frame, a ``table`` column first (columns a table lacks are empty)."""
    parts = []
    for name, frame in frames.items():
        if not len(frame):
            continue
        part = frame.assign(table=name)
        # Whole numbers stay whole beside the empty cells of other tables.
        whole = [c for c in part.columns if pd.api.types.is_integer_dtype(part[c].dtype)]
        parts.append(part.astype(dict.fromkeys(whole, "Int64")))
    if not parts:
        return pd.DataFrame({"table": []})
    combined = pd.concat(parts, ignore_index=True)
    return combined[["table", *[c for c in combined.columns if c != "table"]]]


def summary_json(summary: CohortSummary, *, language: str = "en") -> str:
    """The summary as JSON: the overview's fields, then every table as a list of records
    (``null`` where withheld)."""
    frames = summary_frames(summary, language=language)
    document: dict[str, object] = {
        "format": "assess-cohort-summary/1",
        "cohort": summary.cohort,
        "instrument": summary.instrument_id,
        "version": summary.instrument_version,
        "participants": summary.participants,
        "min_group": summary.min_group,
        "synthetic": summary.synthetic,
    }
    if summary.synthetic:
        document["note"] = f"{SYNTHETIC_NOTE.ja} / {SYNTHETIC_NOTE.en}"
    document["withheld"] = _why(summary.withheld) or None
    tables: dict[str, list[dict[str, object]]] = {}
    for name, frame in frames.items():
        if name == "overview":
            continue
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        for record in records:
            if record.get("withheld") == "":
                record["withheld"] = None
        tables[name] = records
    document["tables"] = tables
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
