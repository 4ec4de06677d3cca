"""Answers given before Python was ready, as the page hands them to the quiz.

On a slow link the quiz's widgets arrive a minute or more after its first page
(:mod:`assess.render.first_page`), so the first page carries the question pages too, drawn from
the same question bank, and a person answers them while Python starts.  When the quiz is drawn,
the page's script hands over what was done there, the next time the person turns a page: the
answers, the page they are turning to, the language shown, whether they chose to keep the
answers on this device, and whether they asked for their results.  This module reads that
hand-over, which arrives from the visitor's page like any other input and may be forged: only
questions of the bank, values among their options and pages of the quiz count.

>>> from assess.datafiles.instrument import load_instrument, default_instrument_path
>>> bank = load_instrument(default_instrument_path())
>>> early = read_early_answers(
...     '{"page": 2, "answers": {"spatial_1": 3, "spatial_2": 9, "elsewhere": 1}}',
...     bank, pages=8, languages=("ja", "en"))
>>> early.page, dict(early.answers.responses)
(2, {'spatial_1': 3})
>>> read_early_answers("not json", bank, pages=8, languages=("ja",)) is None
True
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from assess.core.model import Answers, Instrument

PREFIX = "early:"
"""What the page puts before the hand-over in the quiz's hidden field."""

LONGEST = 8000
"""Longer than any honest hand-over (about 40 question ids with a value each): not read."""


@dataclass(frozen=True, slots=True)
class EarlyAnswers:
    """What the person did on the first page's questions.  `page` is the page they turned to
    (0 the welcome, the last the profile); `finish`: they pressed Next on the profile, asking
    for their results."""

    answers: Answers
    page: int
    language: str | None
    keep: bool
    finish: bool


def allowed_values(instrument: Instrument) -> dict[str, tuple[tuple[str, object], ...]]:
    """Each question's id → ("responses" or "profile", the values it accepts)."""
    allowed: dict[str, tuple[tuple[str, object], ...]] = {}
    for item in instrument.items:
        allowed[item.id] = tuple(("responses", option.value) for option in item.scale.options)
    for question in instrument.profile:
        allowed[question.id] = tuple(("profile", code) for code in question.codes)
    return allowed


def _same(given: object, allowed: object) -> bool:
    # True == 1 in Python: a forged true is not the option whose value is 1.
    return type(given) is type(allowed) and given == allowed


def _answers(given: object, questions: Mapping[str, Iterable[tuple[str, object]]]) -> Answers:
    kept: dict[str, dict[str, object]] = {"responses": {}, "profile": {}}
    if isinstance(given, dict):
        for question_id, value in given.items():
            for part, option in questions.get(question_id, ()):
                if _same(value, option):
                    kept[part][question_id] = option
    return Answers(kept["responses"], kept["profile"])


def read_early_answers(
    text: str,
    instrument: Instrument,
    *,
    pages: int,
    languages: Collection[str],
) -> EarlyAnswers | None:
    """The hand-over in `text` (JSON, without :data:`PREFIX`), or None when it is not one.

    Questions the bank does not have and values not among a question's options are dropped;
    a page outside 0..`pages`, a language not in `languages` or anything that is not the shape
    of a hand-over makes the whole of it unreadable (None), so that nothing half-read is shown.
    """
    if len(text) > LONGEST:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    page, language = data.get("page"), data.get("language")
    if type(page) is not int or not 0 <= page <= pages:
        return None
    if language is not None and language not in languages:
        return None
    questions = allowed_values(instrument)
    return EarlyAnswers(
        answers=_answers(data.get("answers"), questions),
        page=page,
        language=language,
        keep=data.get("keep") is True,
        finish=data.get("finish") is True and page == pages,
    )


__all__ = ("LONGEST", "PREFIX", "EarlyAnswers", "allowed_values", "read_early_answers")
