"""Wording that is not part of a question bank, by key, in ja and en: the value only;
:mod:`assess.datafiles.messages` reads it from ``data/i18n/``.

>>> from assess.core.model import ENGLISH_LIKE, Languages
>>> only_english = Languages((ENGLISH_LIKE,), default="en")
>>> messages = Messages({"plan.today": Text("今日", "Today")}, languages=only_english)
>>> messages.text("plan.today", "en")
'Today'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.core.model import Languages, Text


@dataclass(frozen=True, slots=True)
class Messages:
    """A catalogue of texts by key, in the languages a build offers."""

    texts: Mapping[str, Text]
    languages: Languages

    def get(self, key: str) -> Text:
        try:
            return self.texts[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in data/i18n/messages.yaml; add it") from None

    def text(self, key: str, language: str, /, **values: object) -> str:
        """The message in `language`, with its placeholders filled."""
        template = self.get(key).in_language(language)
        return template.format(**values) if values else template
