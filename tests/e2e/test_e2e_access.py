"""The quiz for everyone: at phone width, with the keyboard alone, and checked by axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from quizdriver import (
    INSTRUMENT,
    PROFILE_PAGE,
    QUESTION_PAGES,
    Quiz,
    question_text,
    sample_code,
    text,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz(either_quiz: Quiz) -> Quiz:
    """Every test here runs on both engines: Voilà, and the static site."""
    return either_quiz


PHONE = {"width": 375, "height": 800}
MAX_TABS = 40


@pytest.mark.parametrize("language", ["ja", "en"])
def test_at_phone_width_no_page_scrolls_sideways(
    quiz: Quiz, screenshots: Path, language: str
) -> None:
    """375 px wide: the welcome, a question page and the results all fit the width."""
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language if language == "en" else None)
    assert quiz.sideways_scrolling() == [], "welcome page"
    quiz.screenshot(screenshots, f"{language}-phone-1-welcome")

    quiz.start()
    quiz.answer(QUESTION_PAGES[0][0], 2)
    assert quiz.sideways_scrolling() == [], "question page"
    quiz.screenshot(screenshots, f"{language}-phone-2-question")

    quiz.back_to_welcome()
    quiz.restore(sample_code())
    assert quiz.sideways_scrolling() == [], "results page"
    quiz.screenshot(screenshots, f"{language}-phone-4-results")


def _has_focus(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def _tab_to(page: Page, target: Locator) -> None:
    """Press Tab (only the keyboard) until `target` has the focus; fail after MAX_TABS."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if _has_focus(target):
            return
    pytest.fail(f"{MAX_TABS} presses of Tab never reached {target}")


def _focus_is_visible(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }"
        )
    )


def test_the_keyboard_alone_starts_the_quiz_and_answers_the_first_page(quiz: Quiz) -> None:
    """Tab to Start, Enter; Tab reaches each question once, on its first option, and the
    arrow key chooses the next option; Tab to Next, Enter: the second page comes; Back the same
    way: the answers are kept."""
    page = quiz.page
    quiz.open()
    start = quiz.button("welcome.start")
    _tab_to(page, start)
    assert _focus_is_visible(page), "the focused Start button shows no outline"
    page.keyboard.press("Enter")
    quiz.expect_page(1)

    _tab_to(page, quiz.option(QUESTION_PAGES[0][0], 0))
    for question_id in QUESTION_PAGES[0]:
        # One Tab stop per question: the group is entered on its first option.
        assert _has_focus(quiz.option(question_id, 0)), f"Tab did not land on {question_id}"
        assert _focus_is_visible(page), f"the focused option of {question_id} shows no outline"
        page.keyboard.press("ArrowDown")
        expect(quiz.option(question_id, 1)).to_be_checked()
        page.keyboard.press("Tab")

    _tab_to(page, quiz.button("nav.next"))
    page.keyboard.press("Enter")
    quiz.expect_page(2)

    _tab_to(page, quiz.button("nav.back"))
    page.keyboard.press("Enter")
    quiz.expect_page(1)
    for question_id in QUESTION_PAGES[0]:
        expect(quiz.option(question_id, 1)).to_be_checked()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_screen_readers_hear_each_question_as_a_named_group(quiz: Quiz, language: str) -> None:
    """Every question's options are a radiogroup named by the question; the progress bar and
    the result-code field are named by their visible text."""
    quiz.open(language if language == "en" else None)
    page = quiz.page
    expect(page.get_by_role("textbox", name=text("restore.label", language))).to_have_count(1)
    quiz.start()
    for question_id in QUESTION_PAGES[0]:
        group = page.get_by_role("radiogroup", name=question_text(question_id, language))
        expect(group).to_have_count(1)
        expect(group.get_by_role("radio")).to_have_count(
            len(INSTRUMENT.item(question_id).scale.options)
        )
    label = text("quiz.progress", language, page=1, pages=PROFILE_PAGE)
    expect(page.get_by_role("progressbar", name=label)).to_have_count(1)


def _serious(violations: list[dict[str, object]]) -> list[dict[str, object]]:
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_axe_finds_nothing_serious_on_welcome_question_and_results(
    quiz: Quiz, language: str
) -> None:
    """axe-core (the pinned npm package, injected into the page) on the three kinds of page,
    which also declare their language for screen readers."""
    quiz.open(language if language == "en" else None)
    expect(quiz.page.locator("html")).to_have_attribute("lang", language)
    found = {"welcome": _serious(quiz.axe_violations())}
    quiz.start()
    found["question"] = _serious(quiz.axe_violations())
    quiz.back_to_welcome()
    quiz.restore(sample_code())
    found["results"] = _serious(quiz.axe_violations())
    assert found == {"welcome": [], "question": [], "results": []}
