"""The result as a versioned, self-describing JSON document, and reading answers back from one.

>>> from assess import Answers, default_instrument, score
>>> instrument = default_instrument()
>>> document = result_document(instrument, Answers({}), score(instrument, Answers({})))
>>> document["format"], document["instrument"]["id"]
('assess-result/1', 'freelance-connection')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from assess.core.model import Answers, Band, FacetScore, IndexScore, Instrument, Result, Text

RESULT_FORMAT = "assess-result/1"


def result_document(
    instrument: Instrument,
    answers: Answers,
    result: Result,
    *,
    taken_on: str | None = None,
    disclaimer: Text | None = None,
) -> dict[str, Any]:
    """Everything needed to read the result later, labels in both languages (no personal data).

    `disclaimer` (that this is a self-check, not a diagnosis) travels with the data when given.
    """
    return {
        "format": RESULT_FORMAT,
        "disclaimer": _text(disclaimer) if disclaimer else None,
        "instrument": {
            "id": instrument.id,
            "version": instrument.version,
            "title": _text(instrument.title),
        },
        "taken_on": taken_on,
        "completeness": round(result.completeness, 4),
        "answers": {
            "responses": {k: v for k, v in answers.responses.items() if v is not None},
            "profile": {k: v for k, v in answers.profile.items() if v is not None},
        },
        "indices": [_index(instrument, score) for score in result.indices],
        "facets": [_facet(instrument, score) for score in result.facets],
    }


def json_text(document: Mapping[str, Any]) -> str:
    """A result document as pretty JSON text: Japanese stays readable, never ``\\u`` escapes."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def answers_from_document(document: Mapping[str, Any]) -> Answers:
    """Answers from a result document or a plain ``{"responses": ..., "profile": ...}`` mapping.

    A flat mapping of question ids to values is read as responses, so that a hand-written answers
    file can be as short as ``{"spatial_1": 4}``.
    """
    if "responses" in document or "answers" in document:
        body = document.get("answers", document)
        if not isinstance(body, Mapping):
            raise ValueError("'answers' must be a mapping with 'responses' and 'profile'")
        responses = body.get("responses", {})
        profile = body.get("profile", {})
        if not isinstance(responses, Mapping) or not isinstance(profile, Mapping):
            raise ValueError("'responses' and 'profile' must each map question ids to answers")
        return Answers(dict(responses), dict(profile))
    return Answers(dict(document))


def _text(text: Text) -> dict[str, str]:
    return text.by_language


def _band(band: Band | None) -> dict[str, Any] | None:
    if band is None:
        return None
    return {"id": band.id, "label": _text(band.label), "explanation": _text(band.explanation)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _facet(instrument: Instrument, score: FacetScore) -> dict[str, Any]:
    facet = instrument.facet(score.facet_id)
    return {
        "id": score.facet_id,
        "index": facet.index,
        "label": _text(facet.label),
        "status": score.status.value,
        "percent": _round(score.percent),
        "raw": _round(score.raw),
        "band": _band(score.band),
        "answered": score.answered,
        "expected": score.expected,
        "missing_items": list(score.missing_items),
        "reason": score.reason,
        "drivers": [
            {"item": c.item_id, "value": c.value, "pull": round(c.pull, 4)}
            for c in score.contributions
        ],
    }


def _index(instrument: Instrument, score: IndexScore) -> dict[str, Any]:
    index = instrument.index(score.index_id)
    return {
        "id": score.index_id,
        "label": _text(index.label),
        "higher_is": index.higher_is,
        "status": score.status.value,
        "percent": _round(score.percent),
        "raw": _round(score.raw),
        "band": _band(score.band),
        "missing_facets": list(score.missing_facets),
        "reason": score.reason,
    }
