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
