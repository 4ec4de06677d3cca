"""Moving through the quiz: back and forth, switching language, unanswered questions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from quizdriver import (
    INSTRUMENT,
    PROFILE_PAGE,
    QUESTION_PAGES,
    Quiz,
    question_text,
    text,
    varied_choice,
)

from assess.core.result_code import decode_result

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz(either_quiz: Quiz) -> Quiz:
    """Every test here runs on both engines: Voilà, and the static site."""
    return either_quiz


UNANSWERED = re.compile(r"\bassess-unanswered\b")


def test_going_back_keeps_the_answers_and_a_changed_answer_is_what_counts(quiz: Quiz) -> None:
    """Answers survive Back and Next; an answer changed on the way back reaches the result."""
    first, second = QUESTION_PAGES[0], QUESTION_PAGES[1]
    quiz.open()
    quiz.start()
    quiz.answer_page(1, lambda _: 0)
    quiz.next(1)
    quiz.answer(second[0], 3)
    quiz.back(2)

    for question_id in first:
        expect(quiz.option(question_id, 0)).to_be_checked()
    quiz.answer(first[0], 4)
    expect(quiz.option(first[0], 0)).not_to_be_checked()
    quiz.next(1)
    expect(quiz.option(second[0], 3)).to_be_checked()
    quiz.back(2)
    expect(quiz.option(first[0], 4)).to_be_checked()
    expect(quiz.option(first[0], 0)).not_to_be_checked()

    quiz.next(1)
    quiz.answer_page(2)
    quiz.next(2)
    for number in range(3, PROFILE_PAGE + 1):
        quiz.answer_page(number)
        quiz.next(number)
    answers, _ = decode_result(INSTRUMENT, quiz.result_code())
    item = INSTRUMENT.item(first[0])
    assert answers.responses[first[0]] == item.scale.options[4].value
    assert answers.responses[first[1]] == INSTRUMENT.item(first[1]).scale.options[0].value
    assert (
        answers.responses[second[0]]
        == INSTRUMENT.item(second[0]).scale.options[varied_choice(second[0])].value
    )


def test_switching_language_midway_keeps_the_answers_and_changes_every_label(quiz: Quiz) -> None:
    """日本語 → English on page 2, back to page 1, then back to 日本語: answers stay put."""
    first, second = QUESTION_PAGES[0], QUESTION_PAGES[1]
    quiz.open()
    quiz.start()
    quiz.answer_page(1)
    quiz.next(1)
    quiz.answer(second[0], 1)
    quiz.answer(second[1], 2)

    quiz.switch_language("en")
    quiz.expect_page(2)
    expect(quiz.page.locator("html")).to_have_attribute("lang", "en")
    expect(quiz.page).to_have_title(text("app.title", "en"))
    expect(quiz.question(second[0])).to_contain_text(question_text(second[0], "en"))
    options = INSTRUMENT.item(second[0]).scale.options
    expect(quiz.question(second[0]).locator(".widget-radio-box label").first).to_have_text(
        options[0].label.in_language("en")
    )
    expect(quiz.button("nav.next")).to_be_visible()
    expect(quiz.button("nav.back")).to_be_visible()
    expect(quiz.option(second[0], 1)).to_be_checked()
    expect(quiz.option(second[1], 2)).to_be_checked()
    expect(quiz.question(second[2]).locator("input:checked")).to_have_count(0)

    quiz.back(2)
    expect(quiz.question(first[0])).to_contain_text(question_text(first[0], "en"))
    for question_id in first:
        expect(quiz.option(question_id, varied_choice(question_id))).to_be_checked()

    quiz.switch_language("ja")
    quiz.expect_page(1)
    expect(quiz.page.locator("html")).to_have_attribute("lang", "ja")
    expect(quiz.page).to_have_title(text("app.title", "ja"))
    expect(quiz.question(first[0])).to_contain_text(question_text(first[0], "ja"))
    expect(quiz.button("nav.next")).to_be_visible()
    for question_id in first:
        expect(quiz.option(question_id, varied_choice(question_id))).to_be_checked()


def test_unanswered_questions_are_pointed_out_before_moving_on(quiz: Quiz) -> None:
    """Next with two questions open stays on the page, names them and marks them; answering
    clears the marks and Next then goes on."""
    first = QUESTION_PAGES[0]
    quiz.open()
    quiz.start()
    for question_id in first[:-2]:
        quiz.answer(question_id, 1)
    quiz.button("nav.next").click()

    expect(quiz.notice).to_be_visible()
    expect(quiz.page.locator(".assess-notice [role=alert]")).to_be_visible()
    numbers = f"{len(first) - 1}、{len(first)}"  # Japanese list punctuation
    said = quiz.notice.inner_text()
    # Within what both facets tolerate: no cost to mention.
    assert said == text("quiz.unanswered_skip", "ja", numbers=numbers)
    quiz.expect_page(1)
    for question_id in first[-2:]:
        expect(quiz.question(question_id)).to_have_class(UNANSWERED)
    for question_id in first[:-2]:
        expect(quiz.question(question_id)).not_to_have_class(UNANSWERED)

    quiz.answer(first[-2], 0)
    expect(quiz.question(first[-2])).not_to_have_class(UNANSWERED)
    expect(quiz.question(first[-1])).to_have_class(UNANSWERED)
    quiz.answer(first[-1], 0)
    expect(quiz.question(first[-1])).not_to_have_class(UNANSWERED)
    quiz.next(1)
    expect(quiz.notice).to_have_count(0)
