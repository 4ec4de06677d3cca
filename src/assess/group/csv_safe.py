"""The one CSV writer for every CSV this project writes: no cell a spreadsheet runs as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms, which Japanese spreadsheet software may convert) is read as a formula by Excel,
LibreOffice and Google Sheets; a respondent id or workshop code written that way could run
``=HYPERLINK(...)`` on a facilitator's machine.  Such text cells are prefixed with ``'``.
Numbers stay numbers (a score of −3 is written as -3).  Lines end in CRLF (RFC 4180), so that a
line break inside a cell is always quoted and can never start a new row.

A control or format character in a text cell (an escape sequence in a respondent id, a bell, a
right-to-left override) is written as its visible escape (``\\x1b``), never raw: the CSV is
often read in a terminal first (``assess score cohort.csv``), where the raw one would act.

>>> import pandas as pd
>>> frame = pd.DataFrame({"respondent": ["=1+1", "r2"], "score": [-3.5, 40.0]})
>>> to_csv(frame).splitlines()
['respondent,score', "'=1+1,-3.5", 'r2,40.0']
"""

from __future__ import annotations

import unicodedata
from typing import TextIO

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR),
with their full-width forms."""


_ACTING = frozenset({"Cc", "Cf", "Zl", "Zp"})
"""Unicode categories a terminal or a text viewer may act on: controls (ESC, BEL, CR), format
characters (bidi overrides) and line and paragraph separators.  A tab is kept: it moves the
cursor, nothing more, and a cell starting with one is defused as a formula."""


def defuse(text: str) -> str:
    """A text cell no spreadsheet runs as a formula and no terminal acts on: control and format
    characters written as visible escapes, then prefixed with ``'`` when it starts (after any
    spaces) with a formula trigger.

    >>> defuse("=SUM(A1)"), defuse("  +1"), defuse("ws-1"), defuse("\\t=1")
    ("'=SUM(A1)", "'  +1", 'ws-1', "'\\t=1")
    >>> print(defuse(chr(27) + "[2Jr1"), defuse("\\u202er2"), defuse("東京　ws"))
    \\x1b[2Jr1 \\u202er2 東京　ws
    """
    if not text.isprintable():
        text = "".join(
            repr(c)[1:-1] if c != "\t" and unicodedata.category(c) in _ACTING else c for c in text
        )
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_frame(frame: pd.DataFrame, *, index: bool = False) -> pd.DataFrame:
    """The frame with every text cell and column name defused (the index, if kept, as a column)."""
    safe = frame.reset_index() if index else frame.copy()
    for column in safe.columns:
        series = safe[column]
        numeric = pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
        if isinstance(series.dtype, pd.CategoricalDtype):
            safe[column] = _defused_categories(series)
        elif not numeric:
            safe[column] = series.astype(object).map(_defused_cell)
    safe.columns = pd.Index([defuse(str(column)) for column in safe.columns])
    return safe


def _defused_cell(value: object) -> object:
    return defuse(value) if isinstance(value, str) else value


def _defused_categories(series: pd.Series) -> pd.Series:
    """A categorical column defused once per category, not once per row (bands, statuses and
    reasons of 250,000 respondents: seconds saved)."""
    categories = list(series.cat.categories)
    renamed = [_defused_cell(category) for category in categories]
    if len(set(renamed)) == len(renamed):
        return series.cat.rename_categories(renamed)
    return series.astype(object).map(_defused_cell)  # two categories would become one


def write_csv(frame: pd.DataFrame, stream: TextIO, *, index: bool = False) -> None:
    """Write the frame to `stream` as CSV, formula triggers defused (see the module's notes)."""
    safe_frame(frame, index=index).to_csv(stream, index=False, lineterminator="\r\n")


def to_csv(frame: pd.DataFrame, *, index: bool = False) -> str:
    """The frame as CSV text, formula triggers defused (see the module's notes)."""
    return str(safe_frame(frame, index=index).to_csv(index=False, lineterminator="\r\n"))
