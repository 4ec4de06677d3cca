"""Answering before Python is ready, on both engines: Start on the first page opens the
question pages at once, and what a person answers there reaches the quiz and its results whole.

Python's start is held back deterministically instead of hoping it is slow: the test holds the
one request the quiz cannot be drawn without (Pyodide's WebAssembly, which the static site's Web
Worker fetches; Voilà's own script bundle) until it lets it go.  Each test uses a new
phone-sized Chromium with an empty profile.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Playwright, Route, expect
from quizdriver import (
    PROFILE_PAGE,
    Quiz,
    fresh_chromium,
    question_text,
    sample_answers,
    sample_code,
    text,
    varied_choice,
)
from static_site import FIRST_VISIT_TIMEOUT, QUIZ_PAGE, StaticServer

from assess.app.roots import build_quiz

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
HELD = {
    "static": "**/pyodide.asm.wasm*",  # fetched by the kernel's Web Worker
    "voila": "**/voila/static/voila.js*",  # the engine's bundle, which draws the widgets
}
ENGINES = pytest.mark.parametrize("engine", ["static", "voila"])


class HeldStart:
    """Holds the request Python's start waits for until :meth:`release`."""

    def __init__(self, context: BrowserContext, pattern: str) -> None:
        self._held: list[Route] = []
        self._released = False
        context.route(pattern, self._hold)

    def _hold(self, route: Route) -> None:
        if self._released:
            route.continue_()
        else:
            self._held.append(route)

    def release(self) -> None:
        self._released = True
        while self._held:
            self._held.pop().continue_()


@pytest.fixture
def phone(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    with fresh_chromium(playwright, tmp_path / "phone-profile", **PHONE) as context:
        yield context


def quiz_url(engine: str, request: pytest.FixtureRequest) -> str:
    if engine == "static":
        server: StaticServer = request.getfixturevalue("site_server")
        return server.url + QUIZ_PAGE
    return str(request.getfixturevalue("voila_url"))


def early_page(page: Page) -> Locator:
    return page.locator(".assess-early")


def answer_early(page: Page, number: int) -> None:
    """Answer early page `number` as :func:`quizdriver.varied_choice` does."""
    for question_id in Quiz.ids_on(number):
        option = early_page(page).locator(
            f'.assess-question[data-question="{question_id}"] input[type=radio]'
        )
        option.nth(varied_choice(question_id)).check()


def expect_early_page(page: Page, number: int, language: str = "ja") -> None:
    progress = early_page(page).locator(".assess-progress")
    expect(progress).to_have_text(text("quiz.progress", language, page=number, pages=PROFILE_PAGE))
    shown = early_page(page).locator(f'.assess-early-page[data-page="{number}"]')
    expect(shown).to_be_visible()
    expect(early_page(page).locator(".assess-early-page:visible")).to_have_count(1)


def press_early(page: Page, what: str) -> None:
    early_page(page).locator(f".assess-early-{what}").click()


def quiz_drawn(page: Page) -> None:
    """The quiz's widgets are in the page (still behind the first page)."""
    expect(page.locator(".assess-app .assess-resume-in input")).to_be_attached(
        timeout=FIRST_VISIT_TIMEOUT
    )


def notice_of_the_quiz_itself(language: str) -> str:
    """What the quiz in Python says for Next on page 1 with nothing answered."""
    quiz = build_quiz(query_string=f"lang={language}", today=datetime.date.today())
    quiz.start.click()
    quiz.next.click()
    return html.unescape(re.sub(r"<[^>]+>", "", quiz.nav.notice.value))


@ENGINES
def test_answers_given_before_python_is_ready_carry_on_in_the_quiz(
    engine: str, phone: BrowserContext, request: pytest.FixtureRequest, screenshots: Path
) -> None:
    """Start opens page 1 at once; three pages answered early; once the quiz is drawn, the next
    page turn lands in the quiz on page 5 with every answer, and the results are those of the
    same answers given in the quiz."""
    held = HeldStart(phone, HELD[engine])
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(quiz_url(engine, request), wait_until="commit")
    page.locator('.assess-first[lang="ja"] .assess-first-start').click()
    expect_early_page(page, 1)
    page.screenshot(path=screenshots / f"early-{engine}-ja-1-question.png")
    press_early(page, "next")  # nothing answered: the quiz's own notice, word for word
    expect(early_page(page).locator(".assess-notice [role=alert]")).to_have_text(
        notice_of_the_quiz_itself("ja")
    )
    expect(early_page(page).locator(".assess-question.assess-unanswered")).to_have_count(5)
    for number in (1, 2, 3):
        answer_early(page, number)
        press_early(page, "next")
        expect_early_page(page, number + 1)
    expect(page.locator(".assess-app")).to_have_count(0)  # all of it before Python
    held.release()
    quiz_drawn(page)
    answer_early(page, 4)
    press_early(page, "next")
    quiz = Quiz(page, quiz_url(engine, request))
    quiz.expect_page(5)
    expect(page.locator(".assess-first-page")).to_have_count(0)
    expect(quiz.button("nav.next")).to_be_focused()  # the keyboard stays on Next
    quiz.back(5)
    for question_id in Quiz.ids_on(4):
        expect(quiz.option(question_id, varied_choice(question_id))).to_be_checked()
    quiz.next(4)
    for number in range(5, PROFILE_PAGE + 1):
        quiz.answer_page(number)
        quiz.next(number)
    assert quiz.result_code() == sample_code(sample_answers())


def test_a_person_can_answer_everything_and_switch_language_before_python_is_ready(
    phone: BrowserContext, site_server: StaticServer, screenshots: Path
) -> None:
    """Static site: every page answered early, the language switched in place on the way
    (answers kept), results asked for: they come, in English, once Python is ready."""
    held = HeldStart(phone, HELD["static"])
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(site_server.url + QUIZ_PAGE, wait_until="commit")
    page.locator('.assess-first[lang="ja"] .assess-first-start').click()
    for number in (1, 2):
        answer_early(page, number)
        press_early(page, "next")
    answer_early(page, 3)
    page.locator('.assess-first[lang="ja"] .assess-first-language a[hreflang="en"]').click()
    expect_early_page(page, 3, "en")
    assert page.url.endswith("?lang=en")
    first = Quiz.ids_on(3)[0]
    expect(early_page(page).locator(f'[id="q-{first}"]')).to_contain_text(
        question_text(first, "en")
    )
    page.screenshot(path=screenshots / "early-static-en-3-switched.png")
    press_early(page, "back")
    expect_early_page(page, 2, "en")
    for question_id in Quiz.ids_on(2):
        expect(
            early_page(page)
            .locator(f'.assess-question[data-question="{question_id}"] input[type=radio]')
            .nth(varied_choice(question_id))
        ).to_be_checked()
    press_early(page, "next")
    for number in range(3, PROFILE_PAGE + 1):
        answer_early(page, number)
        press_early(page, "next")
    waiting = early_page(page).locator(".assess-notice [role=status]")
    expect(waiting).to_contain_text(text("first.results_wait", "en"))
    page.screenshot(path=screenshots / "early-static-en-4-waiting.png")
    held.release()
    quiz = Quiz(page, site_server.url + QUIZ_PAGE)
    quiz.language = "en"
    expect(page.locator(".assess-card")).to_have_count(2, timeout=FIRST_VISIT_TIMEOUT)
    quiz.expect_results()
    expect(page.locator(".assess-app h1.assess-title")).to_have_text(text("app.title", "en"))
    assert quiz.result_code() == sample_code(sample_answers())


def test_the_question_pages_work_with_the_keyboard_alone(
    phone: BrowserContext, site_server: StaticServer
) -> None:
    """Enter on Start, Tab to a question, arrows to choose, Tab to Next, Enter: page 2."""
    HeldStart(phone, HELD["static"])
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(site_server.url + QUIZ_PAGE, wait_until="commit")
    start = page.locator('.assess-first[lang="ja"] .assess-first-start')
    expect(start).to_be_visible()
    for _ in range(40):
        if start.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect_early_page(page, 1)
    for question_id in Quiz.ids_on(1):
        page.keyboard.press("Tab")  # one stop per question: the group, not each option
        page.keyboard.press("ArrowDown")
        chosen = early_page(page).locator(
            f'.assess-question[data-question="{question_id}"] input:checked'
        )
        expect(chosen).to_be_focused()
    page.keyboard.press("Tab")  # Back
    page.keyboard.press("Tab")  # Next
    page.keyboard.press("Enter")
    expect_early_page(page, 2)
    expect(early_page(page).locator(".assess-notice [role=alert]")).to_have_count(0)


def test_a_reload_before_python_is_ready_keeps_the_page_and_the_answers(
    phone: BrowserContext, site_server: StaticServer
) -> None:
    """Two pages answered, the tab reloaded while Python still starts: page 3 again, the
    answers of pages 1 and 2 still chosen."""
    HeldStart(phone, HELD["static"])
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(site_server.url + QUIZ_PAGE, wait_until="commit")
    page.locator('.assess-first[lang="ja"] .assess-first-start').click()
    for number in (1, 2):
        answer_early(page, number)
        press_early(page, "next")
    expect_early_page(page, 3)
    page.reload(wait_until="commit")
    expect_early_page(page, 3)
    press_early(page, "back")
    expect_early_page(page, 2)
    for question_id in Quiz.ids_on(2):
        expect(
            early_page(page)
            .locator(f'.assess-question[data-question="{question_id}"] input[type=radio]')
            .nth(varied_choice(question_id))
        ).to_be_checked()
