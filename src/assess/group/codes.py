"""Pasted result codes → the wide answers frame, and the lines that were not counted."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from assess.core.model import Answers, Instrument
from assess.core.result_code import CodeLayout, ResultCodeError, decode_result
from assess.group.answers import frame_of_answers


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """A pasted line that was not counted: its line number (never the code) and why."""

    line: int
    problem: str
    """A :class:`assess.core.result_code.ResultCodeError` kind, or ``duplicate``."""
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def frame_from_codes(
    instrument: Instrument, codes: Iterable[str], *, layouts: Iterable[CodeLayout] = ()
) -> tuple[pd.DataFrame, list[CodeProblem]]:
    """A wide answers frame from result codes, one per line, and the lines not counted.

    Codes of the instrument's earlier `layouts` count too, read into today's questions (an
    item added since is unanswered in them, an answer to one removed is left out).

    Blank lines are skipped.  A line that is not a code for this instrument is reported by its
    number; a code pasted twice is counted once (two people giving identical answers on the same
    day would also share a code, and count once: a rare undercount, preferred to double counts).
    The frame is built by :func:`assess.group.answers.answers_frame` (its notes give the columns).

    >>> from assess import default_instrument
    >>> frame, problems = frame_from_codes(default_instrument(), ["", "not-a-code"])
    >>> len(frame), [str(p)[:23] for p in problems]
    (0, ['line 2: the result code'])
    """
    taken: list[tuple[Answers, datetime.date]] = []
    problems: list[CodeProblem] = []
    seen: dict[str, int] = {}
    layouts = tuple(layouts)
    for number, line in enumerate(codes, start=1):
        text = line.strip() if isinstance(line, str) else line
        if isinstance(text, str) and not text:
            continue
        try:
            answers, taken_on = decode_result(instrument, text, layouts=layouts)
        except ResultCodeError as error:
            problems.append(CodeProblem(number, error.problem, str(error)))
            continue
        key = str(text).rstrip("=")
        if key in seen:
            problems.append(
                CodeProblem(
                    number,
                    "duplicate",
                    f"the same result code as line {seen[key]}; counted once",
                )
            )
            continue
        seen[key] = number
        taken.append((answers, taken_on))
    return frame_of_answers(instrument, taken), problems
