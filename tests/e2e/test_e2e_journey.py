"""A visitor takes the whole quiz in a real browser, in Japanese and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from quizdriver import PROFILE_PAGE, Quiz, Recorder, question_text, text

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_visitor_answers_everything_and_sees_indices_chart_and_plan(
    quiz: Quiz, recorder: Recorder, screenshots: Path, language: str
) -> None:
    """Welcome → every question page → profile → results, with no console error and no request
    leaving 127.0.0.1 on the way; screenshots of each kind of page."""
    quiz.open(language if language == "en" else None)
    expect(quiz.app).to_contain_text(text("welcome.time", language))
    quiz.screenshot(screenshots, f"{language}-desktop-1-welcome")

    quiz.start()
    expect(quiz.question("spatial_1")).to_contain_text(question_text("spatial_1", language))
    quiz.screenshot(screenshots, f"{language}-desktop-2-question")
    quiz.answer_page(1)
    quiz.next(1)
    for number in range(2, PROFILE_PAGE):
        quiz.answer_page(number)
        quiz.next(number)
    expect(quiz.app).to_contain_text(text("profile.title", language))
    quiz.screenshot(screenshots, f"{language}-desktop-3-profile")
    quiz.answer_page(PROFILE_PAGE)
    quiz.next(PROFILE_PAGE)

    scores = quiz.scores()
    assert len(scores) == 2 and all(s.isdigit() and 0 <= int(s) <= 100 for s in scores)
    results = quiz.page.locator(".assess-app")
    expect(results).to_contain_text(text("plan.title", language))
    for key in ("plan.today", "plan.week", "plan.month"):
        expect(results.locator("h3", has_text=text(key, language)).first).to_be_visible()
    expect(results.locator(".assess-step").first).to_be_visible()
    expect(results.locator("button.assess-make-download")).to_have_count(4)
    quiz.screenshot(screenshots, f"{language}-desktop-4-results")

    assert recorder.console_errors == [] and recorder.page_errors == []
    assert recorder.outside_requests() == []
    assert any(u.startswith("ws://127.0.0.1") for u in recorder.requests), "no kernel socket"
