"""The results page in a real browser: folding for print and back, and the browser's Back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from quizdriver import PROFILE_PAGE, Quiz, sample_code, text

pytestmark = pytest.mark.browser

ALL_OPEN = "() => [...document.querySelectorAll('.assess-app details')].every(d => d.open)"
NONE_OPEN = "() => [...document.querySelectorAll('.assess-app details')].every(d => !d.open)"


def test_printing_the_results_opens_the_folded_sections_and_the_screen_folds_them_again(
    quiz: Quiz,
) -> None:
    """In print: every folded section open, the help lines and the code as text, not one button
    or field; back on screen, folded again, the print-only copies hidden.  (What the sheets say,
    on both engines: test_e2e_results_first_screen.py.)"""
    code = sample_code()
    quiz.open()
    quiz.restore(code)
    page = quiz.page
    page.wait_for_function(NONE_OPEN)

    page.emulate_media(media="print")
    page.wait_for_function(ALL_OPEN)
    for section in (".assess-card", ".assess-facet p", ".assess-step", ".assess-print-only li"):
        expect(page.locator(section).first).to_be_visible()
    expect(page.locator("p.assess-print-only")).to_have_text(code)
    expect(page.locator("section.assess-print-only.assess-help")).to_be_visible()
    expect(page.locator(".assess-app button:visible")).to_have_count(0)
    expect(page.locator(".assess-app input:visible")).to_have_count(0)

    page.emulate_media(media="screen")
    page.wait_for_function(NONE_OPEN)
    for printed in page.locator(".assess-print-only").all():
        expect(printed).to_be_hidden()


def test_the_browsers_back_button_on_the_results_goes_back_a_page(quiz: Quiz) -> None:
    """Back from the results shows the profile, Back again the last question page: the
    visitor stays in the quiz with their answers."""
    quiz.open()
    quiz.complete()
    url = quiz.page.url
    quiz.page.go_back()
    quiz.expect_page(PROFILE_PAGE)
    quiz.page.go_back()
    quiz.expect_page(PROFILE_PAGE - 1)
    assert quiz.page.url == url
    for question_id in quiz.ids_on(PROFILE_PAGE - 1):
        expect(quiz.question(question_id).locator("input:checked")).to_have_count(1)


WATCH_NOTICE = """() => {
    window.assessNotices = [];
    new MutationObserver(() => {
        const notice = document.querySelector('.assess-notice');
        const cards = document.querySelectorAll('.assess-card').length;
        if (notice && notice.innerText.trim()) window.assessNotices.push([notice.innerText, cards]);
    }).observe(document.querySelector('.assess-app'), {subtree: true, childList: true});
}"""


def test_the_last_next_says_the_results_are_coming_before_they_are_shown(quiz: Quiz) -> None:
    """Between the last Next and the results, the page says they are being prepared."""
    quiz.open()
    quiz.start()
    for number in range(1, PROFILE_PAGE):
        quiz.answer_page(number)
        quiz.next(number)
    quiz.answer_page(PROFILE_PAGE)
    quiz.page.evaluate(WATCH_NOTICE)
    quiz.next(PROFILE_PAGE)
    seen = quiz.page.evaluate("window.assessNotices")
    assert [text("quiz.preparing", "ja"), 0] in [[said.strip(), cards] for said, cards in seen]
