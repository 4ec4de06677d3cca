"""The quiz's first page, sent before Python has started: the same words and help lines as the
quiz's own welcome, from the same data, in both languages, on both engines."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core.messages import Messages
from assess.core.model import LANGUAGES, Text
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.messages import default_messages
from assess.datafiles.support import default_support
from assess.hosting.first_page import assess_first_page
from assess.render.first_page import (
    STARTUP_STEPS,
    first_page_block,
    first_page_html,
    for_engine,
)
from assess.render.help import help_now_html
from assess.ui.welcome import WelcomePage

MESSAGES = default_messages()
DIRECTORY = default_support()
EACH_LANGUAGE = pytest.mark.parametrize("language", LANGUAGES)
EACH_ENGINE = pytest.mark.parametrize("engine", ["voila", "static"])


def block(page: str, language: str) -> str:
    """The part of the first page written in `language`."""
    (found,) = re.findall(
        rf'<div class="assess-first" lang="{language}">.*?(?=<div class="assess-first" |</div>$)',
        page,
        flags=re.S,
    )
    return found


def shown_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@EACH_ENGINE
@EACH_LANGUAGE
def test_the_first_page_says_the_welcome_and_the_help_lines_of_the_quiz(
    engine: str, language: str
) -> None:
    """Title, every welcome paragraph, Start and the "help now" lines, in the language's block."""
    page = first_page_html(MESSAGES, DIRECTORY, engine=engine)  # type: ignore[arg-type]
    said = for_engine(MESSAGES, engine)  # type: ignore[arg-type]
    written = block(page, language)
    for key in (
        "app.title", "welcome.what", "welcome.time", "welcome.privacy", "disclaimer",
        "welcome.start", "help.now", "help.quiet",
    ):  # fmt: skip
        assert html.escape(said.text(key, language), quote=True) in written, key
    assert help_now_html(DIRECTORY, MESSAGES, language) in written
    for service in DIRECTORY.listed(DIRECTORY.quiet):
        assert html.escape(service.name.in_language(language)) in written


@EACH_LANGUAGE
def test_the_static_site_promises_what_the_browser_keeps_and_voila_what_the_server_does(
    language: str,
) -> None:
    """The privacy line is the engine's: nothing leaves the browser, or stored only if saved."""
    in_browser = MESSAGES.text("welcome.privacy_in_browser", language)
    on_server = MESSAGES.text("welcome.privacy", language)
    static = shown_text(first_page_html(MESSAGES, DIRECTORY, engine="static"))
    voila = shown_text(first_page_html(MESSAGES, DIRECTORY, engine="voila"))
    assert in_browser in static and on_server not in static
    assert on_server in voila and in_browser not in voila


@EACH_ENGINE
@EACH_LANGUAGE
def test_the_quiz_welcome_widget_says_the_same_paragraphs_as_the_first_page(
    engine: str, language: str
) -> None:
    """One source: the widget's welcome text is the first page's welcome section, to the byte."""
    said = for_engine(MESSAGES, engine)  # type: ignore[arg-type]
    from assess.ui.components import SharedStyles, Wording

    welcome = WelcomePage(wording=Wording(said, SharedStyles()), language=language)
    assert welcome.text.value in first_page_block(said, DIRECTORY, language)


@EACH_LANGUAGE
def test_the_language_switch_links_each_language_and_marks_the_one_shown(language: str) -> None:
    """One link per language, named in that language; the shown one is aria-current."""
    written = block(first_page_html(MESSAGES, DIRECTORY, engine="voila"), language)
    links = re.findall(r'<a href="\?lang=(\w+)" hreflang="\w+" lang="\w+"( aria-current="page")?>'
                       r"([^<]+)</a>", written)  # fmt: skip
    assert [(code, name) for code, _, name in links] == [
        (code, MESSAGES.languages[code].name) for code in MESSAGES.languages.codes
    ]
    assert [code for code, current, _ in links if current] == [language]


@EACH_LANGUAGE
def test_start_carries_each_step_of_the_start_up_in_the_page_language(language: str) -> None:
    """The page script shows data-step-N: "step N of 3: what", from the wording."""
    written = block(first_page_html(MESSAGES, DIRECTORY, engine="static"), language)
    for number, key in enumerate(STARTUP_STEPS, start=1):
        expected = MESSAGES.text(
            "first.step", language, step=number, steps=3, what=MESSAGES.text(key, language)
        )
        assert f'data-step-{number}="{html.escape(expected, quote=True)}"' in written


def test_the_first_page_is_not_taken_for_the_quiz() -> None:
    """No `assess-app` root: what looks for the quiz (page script, tests) never finds it."""
    page = first_page_html(MESSAGES, DIRECTORY, engine="voila")
    assert 'class="assess-app' not in page and "assess-first-page" in page


@given(st.text(min_size=1, max_size=40))
def test_every_text_on_the_first_page_is_escaped(text: str) -> None:
    """A title with markup in it reaches the page as text, never as markup."""
    texts = dict(MESSAGES.texts)
    marked = "<img src=x onerror=alert(1)>" + text
    texts["app.title"] = Text(ja=marked, en=marked)
    page = first_page_html(Messages(texts, languages=MESSAGES.languages), DIRECTORY, engine="voila")
    assert "<img" not in page
    assert page.count(html.escape(marked, quote=True)) == len(LANGUAGES)


@EACH_ENGINE
def test_the_template_filter_gives_the_first_page_from_the_shipped_data(engine: str) -> None:
    """What the page template shows is the render function's page over the shipped data."""
    assert assess_first_page(engine) == first_page_html(
        MESSAGES,
        DIRECTORY,
        engine=engine,  # type: ignore[arg-type]
        instrument=load_instrument(default_instrument_path()),
    )


def test_the_template_filter_refuses_an_unknown_engine() -> None:
    """A template naming another engine fails loudly, naming it."""
    with pytest.raises(ValueError, match="'lab'"):
        assess_first_page("lab")
