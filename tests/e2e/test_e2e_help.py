"""Help on the real page, at phone width: the box of lines to call now only for answers that
suggest distress, the free 24-hour line first on the first screen, and "help now" on a question
page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from quizdriver import INSTRUMENT, Quiz, sample_answers, sample_code, text

from assess.core.model import Answers

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def at_the_worst_end() -> Answers:
    """Every question answered at the end that counts most towards isolation."""
    responses = {}
    for item in INSTRUMENT.items:
        risk = INSTRUMENT.index(INSTRUMENT.facet(item.facet).index).higher_is == "risk"
        low, high = item.scale.values[0], item.scale.values[-1]
        wanted = high if risk else low
        responses[item.id] = (low if wanted == high else high) if item.reverse else wanted
    return Answers(responses, sample_answers().profile)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_in_distress_the_free_24_hour_line_is_on_the_first_screen(
    quiz: Quiz, screenshots: Path, language: str
) -> None:
    """At 375 px the box opens the results, よりそいホットライン's number is visible without
    scrolling and comes before 119; police are nowhere."""
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language if language == "en" else None)
    quiz.restore(sample_code(at_the_worst_end()))
    box = quiz.page.locator(".assess-help-urgent")
    expect(box).to_be_visible()
    numbers = box.locator('a[href^="tel:"]')
    expect(numbers.first).to_have_text("0120-279-338")
    # Free lines open at the server's hour may stand between them (tests/test_support.py fixes
    # the clock for that order); the free 24-hour line always comes first, before 119.
    shown = numbers.all_inner_texts()
    assert shown[0] == "0120-279-338" and "119" in shown[1:]
    assert "110" not in numbers.all_inner_texts()
    first = numbers.first.bounding_box()
    assert first is not None
    assert first["y"] + first["height"] <= PHONE["height"], "the line is below the first screen"
    quiz.screenshot(screenshots, f"help-distress-375-{language}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_help_now_is_one_tap_away_on_a_question_page(
    quiz: Quiz, screenshots: Path, language: str
) -> None:
    """A question page carries the folded "help now"; opened, the free 24-hour line."""
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language if language == "en" else None)
    quiz.start()
    help_now = quiz.page.locator(".assess-help-now summary")
    expect(help_now).to_have_text(text("help.now", language))
    help_now.click()
    expect(quiz.page.locator('.assess-help-now a[href="tel:0120-279-338"]')).to_be_visible()
    quiz.screenshot(screenshots, f"help-now-question-375-{language}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_ordinary_answers_get_no_box_but_the_quiet_list(
    quiz: Quiz, screenshots: Path, language: str
) -> None:
    """The varied sample answers: no box; the folded "if things get hard" list below."""
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language if language == "en" else None)
    quiz.restore(sample_code())
    expect(quiz.page.locator(".assess-help-urgent")).to_have_count(0)
    expect(quiz.page.locator(".assess-help-quiet summary")).to_be_visible()
    quiz.screenshot(screenshots, f"help-ordinary-375-{language}")
