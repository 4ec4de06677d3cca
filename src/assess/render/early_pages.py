"""The quiz's question pages as plain HTML, answerable before Python is ready (both engines).

On a phone on a slow link Python starts a minute or more after the first page is readable
(:mod:`assess.render.first_page`); a person who has read the welcome should not sit waiting for
it.  So the first page carries every question page too, made here from the same question bank
and wording as the quiz's widgets, in the same markup (the quiz's style sheet, a radio group per
question named by its text, Back and Next under the page).  Start, pressed before the quiz is
drawn, opens them; the page's script (``first_page_script.html.j2``) keeps the answers, tells
skipped questions with the quiz's own rule and words, and hands everything over to the quiz the
next time the person turns a page once it is drawn (:mod:`assess.core.early_answers`).

The pages are written once with every language's text side by side, each in an element marked
with its ``lang``; the page's style shows the language of ``<html lang>``, so a switch of
language before Python is ready keeps the answers given.  What the script needs to tell a skip
(the pages' questions, each facet's questions and its missing-answer rule, the words of the
notices) is in a JSON block beside the pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from assess.core.messages import Messages
from assess.core.model import Instrument, Item
from assess.render.help import esc

QUESTIONS_PER_PAGE = 5
"""As many questions on a page as the quiz shows (``assess.ui.quiz``)."""

PAGE_NUMBER, PAGES = "{page}", "{pages}"
"""Left in the progress line's words for the page's script to fill."""


def question_pages(instrument: Instrument) -> list[tuple[Item, ...]]:
    """The scored questions of each page, in the order they are asked: one paging for the
    quiz's widgets and the first page's question pages."""
    items = instrument.items
    return [
        tuple(items[start : start + QUESTIONS_PER_PAGE])
        for start in range(0, len(items), QUESTIONS_PER_PAGE)
    ]


def _said(say: Callable[[str], str], codes: tuple[str, ...]) -> str:
    """A text in every language, each in an element marked with its language."""
    return "".join(f'<span lang="{code}">{esc(say(code))}</span>' for code in codes)


def _question_html(
    question_id: str,
    number: int,
    text: Callable[[str], str],
    options: Sequence[tuple[object, Callable[[str], str]]],
    codes: tuple[str, ...],
) -> str:
    """One question as the quiz's widget draws it, with its radio group named by its text."""
    name = f"q-{esc(question_id)}"
    choices = "".join(
        f'<label><input type="radio" name="{name}" value="{esc(json.dumps(value))}">'
        f"{_said(label, codes)}</label>"
        for value, label in options
    )
    return (
        f'<div class="assess-question" data-question="{esc(question_id)}">'
        f'<p class="assess-q" id="{name}"><b>{number}.</b> {_said(text, codes)}'
        ' <span class="assess-flag" aria-hidden="true" hidden>●</span></p>'
        f'<div class="widget-radio-box" role="radiogroup" aria-labelledby="{name}">'
        f"{choices}</div></div>"
    )


def _page_html(number: int, questions: list[str], intro: str = "") -> str:
    return (
        f'<section class="assess-early-page" data-page="{number}" hidden>'
        f"{intro}{''.join(questions)}</section>"
    )


def _rules(instrument: Instrument, messages: Messages) -> str:
    """What the page's script needs to tell a skip as the quiz does, as JSON."""
    languages = {
        language.code: {
            "listSeparator": language.list_separator,
            "quotes": list(language.quotes),
            "betweenQuoted": language.between_quoted,
            "betweenSentences": language.between_sentences,
            "unanswered": messages.text("quiz.unanswered_skip", language.code, numbers="{numbers}"),
            "skipCosts": messages.text("quiz.skip_costs", language.code, facets="{facets}"),
            "progress": messages.text(
                "quiz.progress", language.code, page=PAGE_NUMBER, pages=PAGES
            ),
            "waiting": messages.text("first.results_wait", language.code),
        }
        for language in messages.languages.offered
    }
    facets = [
        {
            "items": [item.id for item in instrument.items_of(facet.id)],
            "maxMissing": facet.missing.max_missing,
            "label": {code: facet.label.in_language(code) for code in messages.languages.codes},
        }
        for facet in instrument.facets
    ]
    rules = {
        "pages": [
            *([item.id for item in page] for page in question_pages(instrument)),
            [question.id for question in instrument.profile],
        ],
        "facets": facets,
        "languages": languages,
    }
    # Inside <script>: no "</" may close it early.
    return json.dumps(rules, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def early_pages_html(instrument: Instrument, messages: Messages) -> str:
    """Every question page and the profile page, hidden until Start opens them, with the
    progress line, the notice line, Back and Next, and the rules for the page's script."""
    codes = messages.languages.codes

    def say(key: str) -> Callable[[str], str]:
        return lambda code: messages.text(key, code)

    pages = []
    number = 1
    for page_number, items in enumerate(question_pages(instrument), start=1):
        questions = []
        for item in items:
            options = [(option.value, option.label.in_language) for option in item.scale.options]
            questions.append(_question_html(item.id, number, item.text.in_language, options, codes))
            number += 1
        pages.append(_page_html(page_number, questions))
    profile = [
        _question_html(
            question.id,
            number + position,
            question.text.in_language,
            [(option.code, option.label.in_language) for option in question.options],
            codes,
        )
        for position, question in enumerate(instrument.profile)
    ]
    intro = (
        f"<h2>{_said(say('profile.title'), codes)}</h2><p>{_said(say('profile.intro'), codes)}</p>"
    )
    pages.append(_page_html(len(pages) + 1, profile, intro))
    return (
        '<form class="assess-early" hidden>'
        '<div class="assess-progress-box"><p class="assess-progress" id="assess-early-progress"'
        ' aria-live="polite"></p><progress class="assess-bar" aria-labelledby='
        '"assess-early-progress"></progress></div>'
        f"{''.join(pages)}"
        '<div class="assess-notice"></div>'
        '<div class="assess-nav">'
        f'<button type="button" class="assess-button assess-early-back">'
        f"{_said(say('nav.back'), codes)}</button>"
        f'<button type="button" class="assess-button mod-primary assess-early-next">'
        f"{_said(say('nav.next'), codes)}</button></div>"
        f'<script type="application/json" class="assess-early-rules">'
        f"{_rules(instrument, messages)}</script></form>"
    )


__all__ = ("QUESTIONS_PER_PAGE", "early_pages_html", "question_pages")
