"""What the page around the quiz says comes from ``data/i18n`` in every offered language: the
page template's scripts (Voilà's "Loading…", the lost-connection bar) read a JSON block of the
``page.`` texts, and the server's own pages (busy, error) say theirs in each language."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, sync_playwright
from pseudo_language import PSEUDO, PSEUDO_LANGUAGE, leftovers, pseudo

from assess.core.messages import Messages
from assess.core.model import Languages, Text
from assess.datafiles.languages import default_languages
from assess.datafiles.messages import default_messages
from assess.hosting.page_texts import (
    PAGE_TEXTS_ID,
    ServerPageTexts,
    assess_page_texts,
    busy_page_html,
    page_texts,
    page_texts_html,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "src/assess/hosting/jupyter/voila/templates"
PAGE_TEMPLATE = TEMPLATES / "assess"
MESSAGES = default_messages()


def with_pseudo(messages: Messages) -> Messages:
    """`messages` offering ``xx`` too, each text's ``xx`` made from its English."""
    shipped = messages.languages
    english = shipped["en"]
    pseudo_language = dataclasses.replace(english, **PSEUDO_LANGUAGE)
    languages = Languages(offered=(*shipped.offered, pseudo_language), default=shipped.default)
    texts = {
        key: Text.of({**text.by_language, PSEUDO: pseudo(text.in_language("en"))})
        for key, text in messages.texts.items()
    }
    return Messages(texts, languages=languages)


def block_data(block: str) -> dict[str, object]:
    found = re.fullmatch(
        rf'<script type="application/json" id="{PAGE_TEXTS_ID}">(.*)</script>', block, re.S
    )
    assert found, block
    data: dict[str, object] = json.loads(found.group(1))
    return data


def keys_the_templates_ask_for() -> set[str]:
    """Every "page." key named in the page template's files (a script's `text("page.…")`)."""
    named = set()
    for path in PAGE_TEMPLATE.iterdir():
        named |= set(re.findall(r'"(page\.(?!html")[a-z_.]+)"', path.read_text(encoding="utf-8")))
    return named


# --- the scripts' block ---------------------------------------------------------------------------


def test_the_block_holds_every_page_text_in_every_offered_language() -> None:
    """Each offered language by its code, with its <html lang> tag and all the page texts."""
    data = page_texts(MESSAGES)
    page_keys = {key for key in MESSAGES.texts if key.startswith("page.")}
    assert data["default"] == default_languages().default
    assert list(data["languages"]) == list(default_languages().codes)  # type: ignore[call-overload]
    for code, language in data["languages"].items():  # type: ignore[attr-defined]
        assert language["lang"] == default_languages()[code].html_lang
        assert set(language["texts"]) == page_keys
        assert all(language["texts"][key] == MESSAGES.text(key, code) for key in page_keys)


def test_every_text_the_page_scripts_ask_for_is_in_the_data() -> None:
    """The keys the templates name, and each lost-connection text's button, are page texts."""
    asked = keys_the_templates_ask_for()
    lost = {"page.connection_lost", "page.lost_while_loading"}
    assert {"page.loading"} | lost <= asked
    for key in asked | {f"{key}.button" for key in lost}:
        assert key in page_texts(MESSAGES)["languages"]["ja"]["texts"]  # type: ignore[index]


def test_the_page_template_writes_no_words_of_its_own() -> None:
    """No Japanese in the page template's files: every word a visitor reads is data."""
    japanese = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
    assert {
        path.name: japanese.findall(path.read_text(encoding="utf-8"))
        for path in PAGE_TEMPLATE.iterdir()
        if japanese.search(path.read_text(encoding="utf-8"))
    } == {}


def test_the_template_filter_gives_the_block_of_the_shipped_data() -> None:
    """``{{ "page." | assess_page_texts }}`` is the block of the shipped wording's page texts."""
    assert assess_page_texts("page.") == page_texts_html(MESSAGES)
    assert block_data(assess_page_texts("page.")) == page_texts(MESSAGES)


@given(st.text(min_size=1, max_size=40))
def test_no_text_can_end_the_block_early(text: str) -> None:
    """A text holding ``</script>`` or markup stays inside the block and reads back the same."""
    marked = "</script><img src=x onerror=alert(1)>&" + text
    texts = {**MESSAGES.texts, "page.loading": Text(ja=marked, en=marked)}
    block = page_texts_html(Messages(texts, languages=MESSAGES.languages))
    assert block.count("<") == 2  # the block's own two tags
    assert block_data(block)["languages"]["en"]["texts"]["page.loading"] == marked  # type: ignore[index]


def test_a_language_added_as_data_is_in_the_block() -> None:
    """A build offering ``xx`` carries its texts and its tag; the default stays the list's."""
    data = page_texts(with_pseudo(MESSAGES))
    xx = data["languages"][PSEUDO]  # type: ignore[index]
    assert xx["lang"] == "en-x-pseudo"
    assert data["default"] == "ja"
    assert {key: leftovers(text) for key, text in xx["texts"].items() if leftovers(text)} == {}


# --- the server's own pages -----------------------------------------------------------------------


def render(name: str, texts: ServerPageTexts | None, **values: object) -> str:
    """A server page as Voilà renders it (its Jinja environment, autoescaped), given
    `assess_texts` as the guard does, or not at all."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(PAGE_TEMPLATE)]), autoescape=True
    )
    if texts is not None:
        environment.globals["assess_texts"] = texts
    return environment.get_template(name).render(**values)


def by_language(page: str) -> Iterator[tuple[str, str]]:
    """Each element marked with a language: its tag and its text."""
    for lang, text in re.findall(r'<(?:h1|p) lang="([^"]+)">([^<]*)<', page):
        yield lang, html.unescape(text)


@pytest.mark.parametrize(
    ("name", "keys"),
    [("503.html", ("server.busy.title", "server.busy.text")),
     ("error.html", ("server.error.title", "server.error.text"))],
)  # fmt: skip
def test_a_server_page_says_its_text_in_every_language_the_default_first(
    name: str, keys: tuple[str, ...]
) -> None:
    """Heading and paragraph in each offered language, each marked; the page is the default's."""
    page = render(name, ServerPageTexts(MESSAGES), status_code=404)
    expected = [
        (default_languages()[code].html_lang, MESSAGES.text(key, code))
        for code in default_languages().codes
        for key in keys
    ]
    assert list(by_language(page)) == expected
    assert '<html lang="ja">' in page
    assert f"<title>{MESSAGES.text('server.title', 'ja')} / " in page


def test_the_busy_page_offers_to_reload_in_every_language() -> None:
    """The reload link names itself in each language."""
    page = render("503.html", ServerPageTexts(MESSAGES))
    assert ">再読み込み / Reload</a>" in page


def test_a_server_page_says_the_pseudo_language_too() -> None:
    """A language added as data is on the busy and error pages, under its tag."""
    texts = ServerPageTexts(with_pseudo(MESSAGES))
    for name in ("503.html", "error.html"):
        said = dict(by_language(render(name, texts, status_code=404)))
        assert said["en-x-pseudo"] and not leftovers(said["en-x-pseudo"])
    assert 'lang="en-x-pseudo"' in busy_page_html(texts)


def test_a_server_page_without_the_wording_shows_its_status_alone() -> None:
    """A Voilà that does not give the wording (not the quiz's server) still renders the page."""
    page = render("error.html", None, status_code=404)
    assert "<small>404</small>" in page
    assert "<h1" not in page


def test_the_guard_short_busy_page_is_in_every_language() -> None:
    """The page a refused connection gets: one paragraph per language, the default's <html>."""
    page = busy_page_html(ServerPageTexts(MESSAGES))
    assert page.startswith('<!doctype html><html lang="ja">')
    assert list(by_language(page)) == [
        ("ja", MESSAGES.text("server.busy.short", "ja")),
        ("en", MESSAGES.text("server.busy.short", "en")),
    ]


# --- the scripts' reader, in the browser -------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


def page_texts_template(messages: Messages | None) -> str:
    """page_texts.html.j2 as Voilà renders it, with the filter over `messages` (or none)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader([str(PAGE_TEMPLATE)]))
    if messages is not None:
        environment.filters["assess_page_texts"] = lambda prefix: page_texts_html(messages, prefix)
    return environment.get_template("page_texts.html.j2").render(frontend="voila")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


_ASK = """() => {
  const root = document.documentElement, said = {};
  for (const asked of ["ja", "en", "xx", "en-x-pseudo", "fr", null]) {
    root.lang = window.assessPage.language(asked);
    said[String(asked)] = [root.lang, window.assessPage.text("page.loading")];
  }
  return said;
}"""


@pytest.mark.browser
def test_the_scripts_read_the_asked_language_by_code_or_tag_else_the_default(
    browser: Browser,
) -> None:
    """?lang=xx or the quiz title's tag en-x-pseudo give ``xx``'s words; a language the build
    does not offer, or none, gives the default's."""
    messages = with_pseudo(MESSAGES)
    page = browser.new_page()
    page.set_content(f"<html><head>{page_texts_template(messages)}</head></html>")
    loading = {code: messages.text("page.loading", code) for code in ("ja", "en", PSEUDO)}
    assert page.evaluate(_ASK) == {
        "ja": ["ja", loading["ja"]],
        "en": ["en", loading["en"]],
        "xx": ["xx", loading[PSEUDO]],
        "en-x-pseudo": ["xx", loading[PSEUDO]],
        "fr": ["ja", loading["ja"]],
        "null": ["ja", loading["ja"]],
    }


@pytest.mark.browser
def test_a_page_served_without_the_texts_keeps_its_language_and_says_nothing(
    browser: Browser,
) -> None:
    """Without the filter (a plain `voila --template assess`) the scripts get no words, and the
    page keeps the <html lang> its server wrote."""
    page = browser.new_page()
    page.set_content(f'<html lang="de"><head>{page_texts_template(None)}</head></html>')
    said = page.evaluate(_ASK)
    assert set(map(tuple, said.values())) == {("de", "")}
