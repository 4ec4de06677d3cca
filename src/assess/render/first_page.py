"""The quiz's first page as plain HTML, sent before Python has started (both engines).

A phone on a slow network waited a minute or more for the welcome, with nothing but a spinner
and no help line, because the welcome was drawn by the quiz's widgets, which need Python.  This
page says the same things from the same data (the wording in ``data/i18n``, the help lines in
``data/support``): the title, the welcome with its privacy line, the language switch, the
"help now" lines and a Start button that says what it is waiting for.  The page template puts it
at the top of ``<body>`` (``first_page.html.j2``); the shared page script
(``page_script.html.j2``) tells the steps of Python's start-up on the button, keeps a press of
Start, and hands over to the quiz once its widgets are drawn, pressing the quiz's own Start when
the person already had.

Both languages are written, each in an element marked with its ``lang``; a line of script in
the page shows the one the link asked for (``?lang=en``, else Japanese) before anything is
drawn, so the same bytes serve every visitor (the static site is one file; a preheated Voilà
kernel's page is rendered before its visitor is known).

Pure functions of the wording and the support directory; every text is escaped.
"""

from __future__ import annotations

import json
from typing import Literal

from assess.core.messages import Messages
from assess.core.model import Instrument, Languages
from assess.core.support import SupportDirectory
from assess.render.early_pages import early_pages_html
from assess.render.help import esc, help_now_html
from assess.render.style import STYLE

Engine = Literal["voila", "static"]
"""Where Python runs: on the quiz's server (Voilà) or in the visitor's browser (the static
site), which changes what the privacy line promises."""

WELCOME_PARAGRAPHS = ("welcome.what", "welcome.time", "welcome.privacy", "disclaimer")
"""The welcome's paragraphs, in order (the quiz's welcome widget shows the same ones)."""

STARTUP_STEPS = ("first.step.page", "first.step.python", "first.step.quiz")
"""What Start waits for, in order: the page's scripts, Python starting (the kernel's Web Worker
or its websocket), the quiz's widgets being drawn (page_script.html.j2 watches for each)."""

# Only the asked language's block is shown, from the first byte of it on: the line of script runs
# before the blocks are parsed, and the style hides them all once the quiz has taken over.
_FRAME_STYLE = (
    ".assess-first{display:none}"
    # The engine's spinner and its page shell (drawn over the whole window once its scripts run,
    # empty until the quiz is drawn) would cover the first page: the status line under Start
    # tells the progress, and the shell is drawn, unseen, until the hand-over.
    "html:not(.assess-first-done) #loading{display:none!important}"
    "html:not(.assess-first-done) #main{visibility:hidden}"
    # What the quiz's widgets look like where the quiz's style sheet leaves it to them.
    ".assess-first .assess-header{display:flex}"
    ".assess-first .assess-first-language a{display:inline-block;min-width:5.5rem;"
    "padding:.3rem .6rem;text-align:center;border:1px solid #9fb3c8;color:#1f2933;"
    "text-decoration:none}"
    '.assess-first .assess-first-language a[aria-current="page"]{background:#d9e2ec;'
    "font-weight:600}"
    ".assess-first-start{background:#1976d2;color:#fff;border:0;border-radius:2px;"
    "margin:1rem 0 .25rem}"
    ".assess-first-page{padding:.5rem .75rem 0}.assess-first-status{min-height:1.7em}"
    # The keep box as the quiz's tick box looks.
    ".assess-first-keep{display:flex;gap:.5rem;align-items:flex-start;margin-top:.75rem}"
    ".assess-first-keep input{transform:scale(1.2);margin-top:.35rem}"
    # The question pages answered before Python is ready (early_pages.py): what the widgets'
    # own style sheet, not loaded yet, gives the quiz's buttons and radio groups.
    "html.assess-early-on .assess-first .assess-welcome,html.assess-early-on .assess-first-start,"
    "html.assess-early-on .assess-first-status,html.assess-early-on .assess-first-keep,"
    "html.assess-early-on .assess-first-keep-note{display:none}"
    ".assess-early .widget-radio-box{display:flex;flex-direction:column}"
    ".assess-early .widget-radio-box label{display:flex;align-items:center}"
    ".assess-early .assess-nav{display:flex}"
    ".assess-early .assess-button{border:0;border-radius:2px;background:#eee;"
    "color:rgba(0,0,0,.8);cursor:pointer}"
    ".assess-early .assess-button.mod-primary{background:#1976d2;color:#fff}"
    ".assess-early .assess-bar{width:100%}"
)


def _frame(languages: Languages) -> str:
    """The style that shows the asked language's block, and the line of script that asks: the
    link's ``?lang=`` when the build offers it, else the default language."""
    shown = ",".join(
        f'html[lang="{code}"]:not(.assess-first-done) .assess-first[lang="{code}"]'
        for code in languages.codes
    )
    # The question pages hold every language side by side: the page's own is shown.
    said = ",".join(
        f'html[lang="{code}"] .assess-early [lang="{code}"]' for code in languages.codes
    )
    offered = json.dumps(list(languages.codes))
    return (
        f"<style>{_FRAME_STYLE}{shown}{{display:block}}.assess-early [lang]{{display:none}}"
        f"{said}{{display:inline}}</style>"
        '<script>(function(){var asked = new URLSearchParams(location.search).get("lang");'
        f"document.documentElement.lang = {offered}.indexOf(asked) >= 0 ? asked : "
        f'"{languages.default}";}})();</script>'
    )


FIRST_PAGE_STYLE = STYLE.replace(".assess-app", ":is(.assess-first,.assess-early)")
"""The quiz's style sheet for the first page.  Its root is not ``.assess-app``, the quiz's, so
that nothing looking for the quiz finds it (the question pages, ``.assess-early``, are styled
alike); the page script removes it once the quiz is drawn."""


def for_engine(messages: Messages, engine: Engine) -> Messages:
    """The wording as `engine` says it: in the browser nothing is sent or kept by a server, and
    the welcome's privacy line says so."""
    if engine == "voila":
        return messages
    return Messages(
        {**messages.texts, "welcome.privacy": messages.get("welcome.privacy_in_browser")},
        languages=messages.languages,
    )


def welcome_html(messages: Messages, language: str) -> str:
    """The welcome's paragraphs: what the self-check is, how long, what is kept, the disclaimer
    (the quiz's welcome widget shows the same)."""
    paragraphs = "".join(
        f"<p>{esc(messages.text(key, language))}</p>" for key in WELCOME_PARAGRAPHS
    )
    return f'<section class="assess-welcome">{paragraphs}</section>'


def language_switch_html(messages: Messages, language: str) -> str:
    """Links to the page in each language (the page script keeps the link's other parameters)."""
    links = "".join(
        f'<a href="?lang={code}" hreflang="{code}" lang="{code}"'
        + (' aria-current="page"' if code == language else "")
        + f">{esc(messages.languages[code].name)}</a> "
        for code in messages.languages.codes
    )
    label = esc(messages.text("first.language", language))
    return f'<nav class="assess-first-language" aria-label="{label}">{links.strip()}</nav>'


def _start_html(messages: Messages, language: str) -> str:
    def step(number: int, key: str) -> str:
        what = messages.text(key, language)
        told = messages.text(
            "first.step", language, step=number, steps=len(STARTUP_STEPS), what=what
        )
        return f' data-step-{number}="{esc(told)}"'

    steps = "".join(step(number, key) for number, key in enumerate(STARTUP_STEPS, start=1))
    pressed = esc(messages.text("first.pressed", language))
    # The welcome's choice to keep the answers on this device (the quiz's KeepOnDevice).
    keep = (
        f'<label class="assess-first-keep"><input type="checkbox" class="assess-first-keep-box">'
        f"<span>{esc(messages.text('keep.label', language))}</span></label>"
        '<p class="assess-muted assess-first-keep-note">'
        f"{esc(messages.text('keep.note', language))}</p>"
    )
    return (
        f'{keep}<button type="button" class="assess-button assess-first-start"{steps}'
        f' data-pressed="{pressed}">{esc(messages.text("welcome.start", language))}</button>'
        '<p class="assess-first-status assess-muted" role="status">'
        f"{esc(messages.text('first.preparing', language))}</p>"
    )


def first_page_block(messages: Messages, directory: SupportDirectory, language: str) -> str:
    """The first page in one language, as the quiz's welcome looks (`messages` as
    :func:`for_engine` gives them)."""
    title = esc(messages.text("app.title", language))
    return (
        f'<div class="assess-first" lang="{language}"><div class="assess-header">'
        f'<h1 class="assess-title">{title}</h1>'
        f"{language_switch_html(messages, language)}</div>"
        f"{help_now_html(directory, messages, language)}"
        f"{welcome_html(messages, language)}"
        f"{_start_html(messages, language)}</div>"
    )


def first_page_html(
    messages: Messages,
    directory: SupportDirectory,
    *,
    engine: Engine,
    instrument: Instrument | None = None,
) -> str:
    """The first page in every language, the asked one shown, with the quiz's style sheet;
    with `instrument`, its question pages too, for answering before Python is ready."""
    said = for_engine(messages, engine)
    codes = messages.languages.codes
    blocks = "".join(first_page_block(said, directory, language) for language in codes)
    early = early_pages_html(instrument, messages) if instrument is not None else ""
    frame = _frame(messages.languages)
    return f'{frame}{FIRST_PAGE_STYLE}<div class="assess-first-page">{blocks}{early}</div>'


__all__ = (
    "STARTUP_STEPS",
    "WELCOME_PARAGRAPHS",
    "Engine",
    "first_page_block",
    "first_page_html",
    "for_engine",
    "language_switch_html",
    "welcome_html",
)
