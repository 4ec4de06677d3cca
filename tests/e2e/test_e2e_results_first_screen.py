"""The results as a person first sees them on a phone, and on paper, on both engines (Voilà's
kernel on a server, the static site's Python in the browser).

- At 375 px the first screen says where the person stands (a line per index) and today's step
  with its minutes and a button for the calendar; pictures go to artifacts/screenshots.
- Printed (print media, Chromium's PDF), the result comes whole and once: more than one sheet,
  each section's heading once, the help list once, no button's label; its pages are turned into
  pictures with poppler's ``pdftoppm`` for a look, and its text read with ``pdftotext``.
- Titles and headings in Japanese never start a line with a small kana, a long-vowel mark or a
  closing bracket or stop (行頭禁則), measured per character in the browser.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from quizdriver import (
    INSTRUMENT,
    KEPT_OFF_LINE_STARTS,
    Quiz,
    line_starts,
    sample_answers,
    sample_code,
    text,
)

from assess.core.planning import make_plan
from assess.core.scoring import score
from assess.core.support import support_for
from assess.datafiles.catalogue import default_actions, default_support

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
"""A small phone's window: what fits in it is the first screen."""


def engine(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["either_quiz"])


def to_the_top(page: Page) -> None:
    """Scroll to the top of the page: of the document, and of Voilà's scrolling cell box."""
    page.evaluate(
        "() => { document.scrollingElement.scrollTo(0, 0);"
        " document.getElementById('rendered_cells')?.scrollTo(0, 0); }"
    )


def bottom_of(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"] + box["height"])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_first_screen_at_phone_width_says_where_one_stands_and_todays_step(
    either_quiz: Quiz,
    request: pytest.FixtureRequest,
    screenshots: Path,
    language: str,
) -> None:
    """On a 375 px phone, before any scrolling: a line per index, today's step with its minutes,
    and the calendar button, all inside the window; the details (index cards) come after."""
    quiz = either_quiz
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language)
    quiz.restore(sample_code())
    to_the_top(quiz.page)
    answers = sample_answers()
    result = score(INSTRUMENT, answers)
    # sample_code dates the answers today.
    plan = make_plan(INSTRUMENT, result, answers, default_actions(), today=datetime.date.today())
    standing = quiz.page.locator(".assess-standing li")
    expect(standing).to_have_count(len(INSTRUMENT.indices))
    today = quiz.page.locator(".assess-today")
    expect(today).to_contain_text(plan.today.action.title.in_language(language))
    expect(today).to_contain_text(text("plan.minutes", language, minutes=plan.today.action.minutes))
    calendar = quiz.page.get_by_role("button", name=text("results.to_calendar", language))
    expect(calendar).to_be_visible()
    window = PHONE["height"]
    for selector in (".assess-standing li:last-child", ".assess-today"):
        assert bottom_of(quiz.page, selector) <= window, f"{selector} is below the first screen"
    calendar_box = calendar.bounding_box()
    assert calendar_box is not None and calendar_box["y"] + calendar_box["height"] <= window
    assert bottom_of(quiz.page, ".assess-today") < bottom_of(quiz.page, ".assess-card")
    name = f"results-{engine(request)}-{language}-phone"
    quiz.page.screenshot(path=str(screenshots / f"{name}-first-screen.png"))
    quiz.screenshot(screenshots, name)
    calendar.click()
    expect(quiz.page.locator(".assess-summary a.assess-download")).to_have_attribute(
        "href", re.compile("^data:text/calendar;base64,")
    )


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler reads it, white space removed (Japanese lines break anywhere)."""
    found = subprocess.run(
        [tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", "", found)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: install Debian's poppler-utils (apt-get install poppler-utils)"
        )
    return path


def squeezed(words: str) -> str:
    return re.sub(r"\s+", "", words)


def test_printing_gives_the_whole_result_once_and_no_controls(
    either_quiz: Quiz, request: pytest.FixtureRequest, screenshots: Path
) -> None:
    """Printed in Japanese: several sheets; each heading of the result once (the summary, the
    indices, the facets with their answers, the plan, the help list, the result code); no
    button's label."""
    quiz = either_quiz
    code = sample_code()
    quiz.open()
    quiz.restore(code)
    quiz.page.emulate_media(media="print")
    pdf = screenshots / f"print-{engine(request)}.pdf"  # kept for a look
    sheets = quiz.page.pdf(format="A4", path=str(pdf))
    pages = sheets.count(b"/Type /Page") - sheets.count(b"/Type /Pages")
    printed = pdf_text(pdf)

    prefix = screenshots / f"print-{engine(request)}"
    for old in screenshots.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run([tool("pdftoppm"), "-png", "-r", "50", str(pdf), str(prefix)], check=True)

    assert pages > 1, f"{pages} sheet(s)"
    answers = sample_answers()
    support = support_for(INSTRUMENT, score(INSTRUMENT, answers), answers, default_support())
    once = [
        text("results.standing_title", "ja"),
        text("results.today_title", "ja"),
        text("results.indices", "ja"),
        text("results.facets", "ja"),
        text("plan.title", "ja"),
        text("help.quiet_link", "ja"),
        text("code.title", "ja"),
        # a facet's detail, folded on screen
        INSTRUMENT.facets[0].description.ja,
    ]
    for words in once:
        times = printed.count(squeezed(words))
        assert times == 1, f"{words!r} printed {times} times"
    # Every help line as often as the result lists it (a line may be practical and quiet too),
    # told by what it offers (a plan step may name a service).
    listed = [*support.prominent, *support.practical, *support.quiet]
    for service in listed:
        times = printed.count(squeezed(service.offers.ja))
        assert times == listed.count(service), f"{service.id} printed {times} times"
    assert code in printed
    buttons = ["results.edit", "results.to_calendar", "code.copy", "save.button"]
    buttons += [f"downloads.{kind}" for kind in ("markdown", "html", "calendar", "json")]
    for key in buttons:
        assert squeezed(text(key, "ja")) not in printed, f"the button {key!r} was printed"


HEADINGS = ".assess-app :is(h1, h2, h3, h4, summary)"


def test_japanese_titles_and_headings_keep_small_kana_and_closing_marks_off_a_line_start(
    either_quiz: Quiz,
) -> None:
    """At 375 px, on the welcome page and the results (every folded section open): no line of a
    title or heading starts with a small kana, a long-vowel mark or closing punctuation."""
    quiz = either_quiz
    quiz.page.set_viewport_size(PHONE)
    quiz.open()
    seen = line_starts(quiz.page, HEADINGS)
    quiz.restore(sample_code())
    quiz.page.evaluate(
        "() => document.querySelectorAll('.assess-app details').forEach(d => d.open = true)"
    )
    seen += line_starts(quiz.page, HEADINGS)
    assert seen, "no heading wrapped: the check measured nothing"
    bad = [(heading, start) for heading, start in seen if start in KEPT_OFF_LINE_STARTS]
    assert not bad, f"lines starting with a character kept off a line start: {bad}"
