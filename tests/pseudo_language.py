"""A pseudo-language made from English at test time, to show that a language is data only.

``xx`` is English with every letter swapped for an accented one ("Today" → "Ťóďáý"), so that
a string a person sees in plain English (or in Japanese) is one the data did not provide for
``xx``: something code wrote, or a language rule that code decides.  Placeholders, markup,
addresses and link targets are left as they are, as a translator would.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import yaml

PSEUDO = "xx"

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçďéƒğĥíĵķĺɱñóƥʠŕšťúʋŵẋýžÁƁÇĎÉƑĞĤÍĴĶĹḾÑÓƤɊŔŠŤÚƲŴẊÝŽ"
_ACCENT = str.maketrans(_PLAIN, _ACCENTED)

_KEPT = re.compile(
    r"\{[^{}]*\}"  # a placeholder
    r"|<[^>]*>"  # a tag
    r"|&#?\w+;"  # an entity
    r"|https?://[^\s)\"'<>]+"  # an address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # a mail address
    r"|\]\([^)]*\)"  # a Markdown link's target
    r"|(?:[\w-]+\.)+[a-z]{2,}\b(?:/[^\s)]*)?"  # an address without its https:// (a.go.jp)
    r"|[\w-]+\.(?:md|html|ics|json)\b"  # a take-away's file name
)


def pseudo(english: str) -> str:
    """`english` with its letters accented, placeholders and markup kept.

    >>> pseudo("Around {date}, see <a href='https://x.org'>this</a>.")
    "Áŕóúñď {date}, šéé <a href='https://x.org'>ťĥíš</a>."
    """
    kept = [(match.start(), match.end()) for match in _KEPT.finditer(english)]
    parts, at = [], 0
    for start, end in kept:
        parts += [english[at:start].translate(_ACCENT), english[start:end]]
        at = end
    parts.append(english[at:].translate(_ACCENT))
    return "".join(parts)


PSEUDO_LANGUAGE = {
    "code": PSEUDO,
    "name": pseudo("Pseudo"),
    "english_name": "Pseudo",
    "html_lang": "en-x-pseudo",
}
"""The list entry of the pseudo-language; its writing rules are English's (see `with_pseudo`)."""


def with_pseudo(folder: Path, *, texts: bool = True) -> Path:
    """A copy of the shipped data in `folder` that also offers ``xx``: one more entry in
    ``i18n/languages.yaml`` and, when `texts`, an ``xx`` text beside every ``en`` one.  Only
    the data changes: the copy is what a translator adding a language would hand in."""
    shipped = Path(__file__).resolve().parent.parent / "data"
    shutil.copy(shipped / "__init__.py", folder / "__init__.py")
    for source in shipped.rglob("*.yaml"):
        target = folder / source.relative_to(shipped)
        target.parent.mkdir(parents=True, exist_ok=True)
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
        if source.name == "languages.yaml":
            english = next(entry for entry in document["languages"] if entry["code"] == "en")
            document["languages"].append({**english, **PSEUDO_LANGUAGE})
        elif texts:
            for text in text_maps(document):
                text[PSEUDO] = pseudo(text["en"])
        target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return folder


def text_maps(node: object) -> Iterator[dict[str, str]]:
    """Every text in a data document: a mapping that holds a Japanese and an English string."""
    if isinstance(node, dict):
        if isinstance(node.get("ja"), str) and isinstance(node.get("en"), str):
            yield node
            return
        for value in node.values():
            yield from text_maps(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_maps(value)


def using_data(folder: Path) -> str:
    """Python to run before the quiz is imported: the package's data (``assess.data``) is read
    from `folder`, as from an installed package whose data holds one more language."""
    return f"""
import importlib.util, sys
_spec = importlib.util.spec_from_file_location(
    "assess.data", {str(folder / "__init__.py")!r}, submodule_search_locations=[{str(folder)!r}]
)
_data = importlib.util.module_from_spec(_spec)
sys.modules["assess.data"] = _data
_spec.loader.exec_module(_data)
"""


_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+")
_PLAIN_WORD = re.compile(r"[A-Za-z]{2,}")


def leftovers(shown: str) -> list[str]:
    """What in a text a person sees is not in the pseudo-language: Japanese (including its
    punctuation 、「」：) or a plain English word.  Markup, addresses and placeholders' values
    that are not words (numbers, dates in digits) are not text of any language."""
    visible = re.sub(r"<(style|script)\b.*?</\1>", " ", shown, flags=re.S | re.I)
    visible = _KEPT.sub(" ", visible)
    return _JAPANESE.findall(visible) + _PLAIN_WORD.findall(visible)
