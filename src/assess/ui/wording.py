"""Small pieces of sentence-making shared by the quiz's widgets (no I/O, no widgets).

How a language writes lists, names in a sentence and a colon is data
(``data/i18n/languages.yaml``, one :class:`~assess.core.model.Language` each): these take it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assess.core.messages import Messages
from assess.core.model import Language


def quoted_names(names: Sequence[str], writing: Language) -> str:
    """Names inside a sentence: 「A」、「B」 in Japanese, "A, B" in English."""
    return writing.quoted(names)


def numbers_list(numbers: Sequence[int], writing: Language) -> str:
    """Question numbers inside a sentence: 3、5 in Japanese, 3, 5 in English."""
    return writing.listed(numbers)


def colon(writing: Language) -> str:
    """The colon after a name: full-width in Japanese, followed by a space in English."""
    return writing.colon


def score_with_band(percent_html: str, band: str, language: str, messages: Messages) -> str:
    """「38/100（中程度）」 in Japanese, "38/100 · Moderate" in English (`percent_html` may hold
    markup; `band` is already escaped; the messages hold no markup of their own)."""
    if not band:
        return messages.text("results.score", language, score=percent_html)
    return messages.text("results.score_band", language, score=percent_html, band=band)
