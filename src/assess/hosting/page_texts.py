"""What the page around the quiz says, in every language the build offers, from ``data/i18n``.

Two places speak without the quiz's Python:

- **The page template's own scripts** (``page_script.html.j2``, ``kernel_lost.html.j2``): Voilà's
  "Loading…", the bar that says the connection was lost.  The page carries every ``page.`` text
  of the wording in every offered language as one JSON block (``page_texts.html.j2`` reads it),
  because the same bytes serve every visitor: a preheated kernel's page, or the static site's one
  file, is written before anyone asks for a language.  Registered as the Jinja filter
  ``assess_page_texts`` of the page's exporter (``voila.json``, ``binder/``, ``make facilitator``);
  the static build, whose renderer takes no filters, puts the same block where the template
  leaves :data:`PAGE_TEXTS_MARKER` (``sitebuild/build.py``).
- **The server's own pages** (``page.html``, ``503.html``, ``error.html``, the guard's short busy
  page): each says its text in every language, the default first.  The guard gives the error
  pages' templates :class:`ServerPageTexts` as the Jinja global ``assess_texts``.

Read once per process: the data files do not change while a server runs.
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass

from assess.core.messages import Messages
from assess.datafiles.messages import default_messages

PAGE_TEXT_PREFIX = "page."
"""The wording's keys that the page's scripts read in the browser."""

PAGE_TEXTS_ID = "assess-page-texts"
"""The id of the page's JSON block of texts (``page_texts.html.j2`` reads it)."""

PAGE_TEXTS_MARKER = "<!-- assess:page-texts -->"
"""Where the page template leaves the block for the static build to fill."""


def page_texts(messages: Messages, prefix: str = PAGE_TEXT_PREFIX) -> dict[str, object]:
    """The texts whose keys start with `prefix`, by language: each offered language by its code,
    with its ``<html lang>`` tag, and which one to fall back to."""
    keys = sorted(key for key in messages.texts if key.startswith(prefix))
    languages = messages.languages
    return {
        "default": languages.default,
        "languages": {
            code: {
                "lang": languages[code].html_lang,
                "texts": {key: messages.text(key, code) for key in keys},
            }
            for code in languages.codes
        },
    }


def page_texts_html(messages: Messages, prefix: str = PAGE_TEXT_PREFIX) -> str:
    """The JSON block of :func:`page_texts`, safe inside ``<script>`` (no ``<`` in it: a text
    holding ``</script>`` cannot end the block)."""
    data = json.dumps(
        page_texts(messages, prefix), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{PAGE_TEXTS_ID}">{data}</script>'


@functools.cache
def assess_page_texts(prefix: str = PAGE_TEXT_PREFIX) -> str:
    """The Jinja filter: ``{{ "page." | assess_page_texts }}`` is the block of the shipped
    wording's texts whose keys start with ``page.``."""
    return page_texts_html(default_messages(), prefix)


@dataclass(frozen=True)
class ServerPageTexts:
    """The server's own pages' wording, every text in every offered language (the default
    first), for a page whose visitor's language the server does not know."""

    messages: Messages

    @property
    def lang(self) -> str:
        """The ``<html lang>`` of such a page: the default language's."""
        languages = self.messages.languages
        return languages[languages.default].html_lang

    def _codes(self) -> list[str]:
        default = self.messages.languages.default
        return [default, *(code for code in self.messages.languages.codes if code != default)]

    def each(self, *keys: str) -> list[tuple[str, ...]]:
        """For each language: its ``<html lang>`` tag, then the texts of `keys` in it."""
        languages = self.messages.languages
        return [
            (languages[code].html_lang, *(self.messages.text(key, code) for key in keys))
            for code in self._codes()
        ]

    def joined(self, key: str, between: str = " / ") -> str:
        """The text of `key` in every language on one line (a title, a button)."""
        return between.join(self.messages.text(key, code) for code in self._codes())


@functools.cache
def server_page_texts() -> ServerPageTexts:
    """The shipped wording for the server's own pages."""
    return ServerPageTexts(default_messages())


def busy_page_html(texts: ServerPageTexts) -> str:
    """The guard's short busy page, sent before a request is read (no template: the connection
    is refused as cheaply as possible)."""
    paragraphs = "".join(
        f'<p lang="{html.escape(lang)}">{html.escape(text)}</p>'
        for lang, text in texts.each("server.busy.short")
    )
    return (
        f'<!doctype html><html lang="{html.escape(texts.lang)}"><meta charset=utf-8>'
        f"<title>{html.escape(texts.joined('server.busy.title'))}</title>{paragraphs}</html>"
    )


__all__ = (
    "PAGE_TEXTS_ID",
    "PAGE_TEXTS_MARKER",
    "PAGE_TEXT_PREFIX",
    "ServerPageTexts",
    "assess_page_texts",
    "busy_page_html",
    "page_texts",
    "page_texts_html",
    "server_page_texts",
)
