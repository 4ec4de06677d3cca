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
from assess.core.model import Languages, Text
from assess.datafiles.checker import Checker, DataFileError, FileKind, Problem, read_yaml
from assess.datafiles.languages import default_languages, default_languages_path

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
    return sorted(path for path in folder.glob("*.yaml") if path != default_languages_path())


def load_messages(*paths: str | Path, languages: Languages | None = None) -> Messages:
    """Load and merge messages files; a key defined in two files is an error.  Each text has
    every language of `languages` (by default the shipped list)."""
    languages = default_languages() if languages is None else languages
    merged: dict[str, Text] = {}
    origin: dict[str, str] = {}
    problems = []
    for path in paths:
        parsed = parse_messages(read_yaml(Path(path)), source=str(path), languages=languages)
        for key, text in parsed.texts.items():
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
    return Messages(merged, languages=languages)


def default_messages() -> Messages:
    return load_messages(*default_messages_paths())


def parse_messages(
    document: object, *, source: str, languages: Languages | None = None
) -> Messages:
    """Check a messages file: known keys only, every language, the same placeholders in each."""
    check = Checker(source, languages=languages)
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
            fields = {code: _placeholders(template) for code, template in text.by_language.items()}
            if len({frozenset(names) for names in fields.values()}) > 1:
                each_language = ", ".join(
                    f"{code} {sorted(names)}" for code, names in fields.items()
                )
                check.add(
                    f"messages.{key}",
                    f"placeholders differ between languages ({each_language}); "
                    "use the same names in all",
                )
            texts[str(key)] = text
    check.raise_if_any()
    return Messages(texts, languages=check.languages)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
