"""Small pieces of sentence-making shared by the quiz's widgets (no I/O, no widgets)."""

from __future__ import annotations

from collections.abc import Sequence


def quoted_names(names: Sequence[str], language: str) -> str:
    """Names inside a sentence: 「A」、「B」 in Japanese, "A, B" in English.

    >>> quoted_names(["孤立", "備え"], "ja"), quoted_names(["Space", "Safety net"], "en")
    ('「孤立」、「備え」', 'Space, Safety net')
    """
    if language == "ja":
        return "、".join(f"「{name}」" for name in names)
    return ", ".join(names)


def numbers_list(numbers: Sequence[int], language: str) -> str:
    """Question numbers inside a sentence: 3、5 in Japanese, 3, 5 in English.

    >>> numbers_list([3, 5], "ja"), numbers_list([3, 5], "en")
    ('3、5', '3, 5')
    """
    return ("、" if language == "ja" else ", ").join(str(number) for number in numbers)


def colon(language: str) -> str:
    """The colon after a name: full-width in Japanese, followed by a space in English."""
    return "：" if language == "ja" else ": "


def score_with_band(percent_html: str, band: str, language: str) -> str:
    """「38/100（中程度）」 in Japanese, "38/100 · Moderate" in English (`percent_html` may hold
    markup; `band` is already escaped)."""
    if language == "ja":
        return f"{percent_html}/100（{band}）" if band else f"{percent_html}/100"
    return f"{percent_html}/100 · {band}" if band else f"{percent_html}/100"
