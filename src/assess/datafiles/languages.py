"""The languages a build offers: ``data/i18n/languages.yaml`` (format ``assess-languages/1``).

Every text in every data file is a map over these languages; the checker reports each text
that misses one (:meth:`assess.datafiles.checker.Checker.text`), so adding a language is this
list plus the texts, and no code.

>>> default_languages().codes, default_languages().default
(('ja', 'en'), 'ja')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from assess.core.model import Language, Languages
from assess.datafiles.checker import Checker, FileKind, each, read_yaml

FORMAT = "assess-languages/1"
LANGUAGES_FILE = FileKind(FORMAT, "a languages file", required=("default", "languages"))

_NAMES = ("name", "english_name", "html_lang")
"""Fields that name the language: each a non-empty text."""
_SEPARATORS = ("list_separator", "colon", "between_quoted", "between_sentences", "full_stop")
"""Fields that sit between words: each a text, which may be a space or nothing."""
_PAIRS = ("quotes", "aside")
"""Fields that go around a word: an opening and a closing text."""


def default_languages_path() -> Path:
    return Path(str(resources.files("assess.data") / "i18n" / "languages.yaml"))


@functools.cache
def default_languages() -> Languages:
    """The languages the shipped data offers, read once per process."""
    return load_languages(default_languages_path())


def load_languages(path: str | Path) -> Languages:
    return parse_languages(read_yaml(Path(path)), source=str(path))


def parse_languages(document: object, *, source: str) -> Languages:
    """Check a languages file: each language's names and writing rules, codes given once, and
    a fallback that is one of them."""
    check = Checker(source)
    top = check.top_level(document, LANGUAGES_FILE)
    offered = each(check, top.get("languages"), "languages", lambda n, w: _language(check, n, w))
    codes = [language.code for language in offered]
    check.unique_ids([(code, f"languages (code {code!r})") for code in codes], "language")
    default = top.get("default")
    if "default" in top and default not in codes:
        check.add("default", f"must be the code of a language listed, one of {codes}")
    check.raise_if_any()
    return Languages(offered=tuple(offered), default=str(default))


def _language(check: Checker, node: object, where: str) -> Language | None:
    fields = check.mapping(node, where, required=("code", *_NAMES, *_SEPARATORS, *_PAIRS))
    if fields is None:
        return None
    code = check.identifier(fields.get("code"), f"{where}.code") if "code" in fields else None
    names = {key: check.string(fields[key], f"{where}.{key}") for key in _NAMES if key in fields}
    separators = {
        key: _separator(check, fields[key], f"{where}.{key}")
        for key in _SEPARATORS
        if key in fields
    }
    pairs = {key: _pair(check, fields[key], f"{where}.{key}") for key in _PAIRS if key in fields}
    read: Mapping[str, object] = {**names, **separators, **pairs}
    if code is None or len(read) != len(_NAMES) + len(_SEPARATORS) + len(_PAIRS):
        return None
    if None in read.values():
        return None
    return Language(code=code, **read)  # type: ignore[arg-type]


def _separator(check: Checker, node: object, where: str) -> str | None:
    if not isinstance(node, str):
        check.add(where, f'must be a text (quoted; "" for none), not {type(node).__name__}')
        return None
    return node


def _pair(check: Checker, node: object, where: str) -> tuple[str, str] | None:
    if not (isinstance(node, list) and len(node) == 2 and all(isinstance(t, str) for t in node)):
        check.add(where, 'must be an opening and a closing text, as ["「", "」"] or ["", ""]')
        return None
    return (node[0], node[1])
