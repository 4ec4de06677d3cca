"""Wording a native reader trusts: the rules every Japanese and English text in a data file keeps,
stated once, for ``assess validate --strict`` (and its tests) to apply.

They come from native readers' read-throughs of the shipped texts:
Japanese takes full-width brackets and punctuation, no half-width space between Japanese
characters, no Latin words but the names of services and formats a Japanese reader meets in
Latin letters, dates written as 2026年11月26日, no English dash between a statement and its
answer, no 、 between items already set off by 「」, and words a Japanese editor would choose
(観点, not the dictionary's 側面 for "facet").  English takes no Japanese punctuation and no ISO
dates in prose.  Each problem says what to write instead.

>>> problems_in_japanese("出典:調査")
['half-width colon: use ：']
>>> problems_in_japanese("出典: 調査")
['half-width colon: use ：', 'stray half-width space: remove it']
>>> problems_in_english("checked on 2026-11-26")
['ISO date in prose: write 26 November 2026']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "LATIN_NAMES",
    "NAMES_WITH_SPACES",
    "bilingual_texts",
    "problems_in_english",
    "problems_in_japanese",
]

LATIN_NAMES = frozenset(
    {
        # services and platforms, as their Japanese users write them
        "SNS",
        "Slack",
        "Facebook",
        "Discord",
        "LINE",
        "Web",
        # terms of the trade, written in Latin letters in Japanese too
        "Q&A",
        "UI/UX",
        "LP",
        "LT",
        # file formats named on the download buttons
        "Markdown",
        "HTML",
        "ics",
        "JSON",
        "CSV",
        # example workshop codes (what a person types)
        "ws-tokyo",
        "ws-tokyo-0312",
    }
)
"""Latin words a Japanese text may hold: names its readers meet in Latin letters."""
NAMES_WITH_SPACES = ("まもろうよ こころ",)
"""Official names written with a space by their owners."""

_JAPANESE = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
_PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)")

_JAPANESE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"[()\[\]]", "half-width bracket: use （）「」"),
    (r"[,;!?]", "half-width punctuation: use 、。！？"),
    (r"(?<![0-9]):|:(?![0-9])", "half-width colon: use ："),
    (r"(?<![A-Za-z0-9])\.|\.(?![A-Za-z0-9])", "half-width full stop: use 。"),
    (_JAPANESE + r" | " + _JAPANESE, "stray half-width space: remove it"),
    (_ISO_DATE.pattern, "ISO date: write 2026年11月26日"),
    (r"\s[—–]|[—–]\s", "English dash before an answer: write （回答：…） or use ："),
    (r"」、「", "、 between 「」-quoted items: write 「A」と「B」 or 「A」「B」"),
)
_JAPANESE_WORDS: tuple[tuple[str, str], ...] = (
    ("感じました", "the app has no feelings: say what the answers show"),
    ("今月の目標", "write これから1か月の目標"),
    ("側面", "reads as a translated report: write 観点"),
)


def problems_in_japanese(text: str) -> list[str]:
    """What a native reader would stumble over in a Japanese text, each with its fix (empty
    when none).  Placeholders such as ``{date}`` and official names with spaces are left out."""
    body = _PLACEHOLDER.sub("", text)
    for name in NAMES_WITH_SPACES:
        body = body.replace(name, "")
    found = [problem for pattern, problem in _JAPANESE_PATTERNS if re.search(pattern, body)]
    if body != body.strip() and "stray half-width space: remove it" not in found:
        found.append("stray half-width space: remove it")
    found += [f"{word}: {fix}" for word, fix in _JAPANESE_WORDS if word in body]
    without_tags = re.sub(r"#\S+", "", body)  # hashtags are what a person types
    for word in re.findall(r"[A-Za-z][A-Za-z0-9&/'.-]*", without_tags):
        if word not in LATIN_NAMES and word.rstrip("0123456789") not in LATIN_NAMES:
            found.append(
                f"Latin word {word!r}: write it in Japanese, or add the name to "
                "assess.datafiles.wording.LATIN_NAMES"
            )
    return found


def problems_in_english(text: str) -> list[str]:
    """What a native reader would stumble over in an English text, each with its fix."""
    found = []
    if re.search(r"[「」『』（）。、：！？]", text):
        found.append("Japanese punctuation in English: use ( ) . , : ! ?")
    # A separator (" · ", "; ") is spacing and a mark only; any other text is trimmed.
    if re.search(r"[A-Za-z0-9]", text) and (text != text.strip() or "  " in text):
        found.append("stray space: remove it")
    if _ISO_DATE.search(_PLACEHOLDER.sub("", text)):
        found.append("ISO date in prose: write 26 November 2026")
    return found


def bilingual_texts(document: object, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(entry, Japanese, English) for every ``{ja: ..., en: ...}`` text in a parsed data file;
    an entry of a list is named by its id when it has one, as the structural checks name it."""
    if isinstance(document, dict):
        if isinstance(document.get("ja"), str) and isinstance(document.get("en"), str):
            yield where or "top level", document["ja"], document["en"]
        for key, value in document.items():
            yield from bilingual_texts(value, f"{where}.{key}" if where else str(key))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            named = value.get("id") if isinstance(value, dict) else None
            label = f"[{position}]" + (f" (id {named!r})" if isinstance(named, str) else "")
            yield from bilingual_texts(value, f"{where}{label}")
