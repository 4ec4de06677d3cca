"""Wording that is not part of a question bank: headings, buttons, explanations, in ja and en.

Messages live in ``data/i18n/messages.yaml`` (format ``assess-messages/1``); a message may hold
``{placeholders}``, which must be the same in both languages (checked on load).

>>> messages = default_messages()
>>> messages.text("plan.today", "en")
'Today'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from assess.core.messages import Messages
from assess.core.model import LANGUAGES, Text
from assess.datafiles.checker import Checker, DataFileError, FileKind, Problem, read_yaml

FORMAT = "assess-messages/1"
MESSAGES = FileKind(FORMAT, "a messages file", required=("messages",))

__all__ = [
    "FORMAT",
    "Messages",
    "default_messages",
    "default_messages_paths",
    "load_messages",
    "parse_messages",
]


def default_messages_paths() -> list[Path]:
    """Every messages file shipped: ``data/i18n/*.yaml`` (take-aways, the app, ...)."""
    folder = Path(str(resources.files("assess.data") / "i18n"))
    return sorted(folder.glob("*.yaml"))


def load_messages(*paths: str | Path) -> Messages:
    """Load and merge messages files; a key defined in two files is an error."""
    merged: dict[str, Text] = {}
    origin: dict[str, str] = {}
    problems = []
    for path in paths:
        for key, text in parse_messages(read_yaml(Path(path)), source=str(path)).texts.items():
            if key in merged:
                problems.append(
                    Problem(
                        str(path), f"messages.{key}", f"is also defined in {origin[key]}; keep one"
                    )
                )
            merged[key] = text
            origin[key] = str(path)
    if problems:
        raise DataFileError(problems)
    return Messages(merged)


def default_messages() -> Messages:
    return load_messages(*default_messages_paths())


def parse_messages(document: object, *, source: str) -> Messages:
    """Check a messages file: known keys only, both languages, the same placeholders in each."""
    check = Checker(source)
    top = check.top_level(document, MESSAGES)
    texts: dict[str, Text] = {}
    entries = top.get("messages")
    if not isinstance(entries, Mapping):
        check.add("messages", "must map message keys to {ja: ..., en: ...}")
    else:
        for key, node in entries.items():
            text = check.text(node, f"messages.{key}")
            if text is None:
                continue
            fields = {language: _placeholders(text.in_language(language)) for language in LANGUAGES}
            if fields["ja"] != fields["en"]:
                check.add(
                    f"messages.{key}",
                    f"placeholders differ between languages (ja {sorted(fields['ja'])}, "
                    f"en {sorted(fields['en'])}); use the same names in both",
                )
            texts[str(key)] = text
    check.raise_if_any()
    return Messages(texts)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
