"""Since last time in a real browser: an earlier result code pasted beside today's result shows
the change per index and facet, in words and as marks in the chart, in both languages and on
both engines, and it fits a phone's width; a result kept in the browser comes back."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from quizdriver import INSTRUMENT, MESSAGES, Quiz, sample_answers, sample_code, text

from assess.core.result_code import encode_result
from assess.render.views import format_date

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
PAST_KEY = "assess-past"  # keep_on_device.html.j2


def earlier_code(days_ago: int) -> tuple[str, datetime.date]:
    """A code of other answers, taken `days_ago` days before today."""
    day = datetime.date.today() - datetime.timedelta(days=days_ago)
    return encode_result(INSTRUMENT, sample_answers(lambda _id: 0), day), day


def test_an_earlier_code_pasted_beside_todays_result_shows_the_change(
    either_quiz: Quiz, screenshots: Path
) -> None:
    """Paste last month's code under today's result, on either engine: the section names that
    day, each index and facet with a verdict, what noise means here, and the chart marks last
    time."""
    quiz = either_quiz
    engine = "static" if "voici" in quiz.base_url else "voila"
    quiz.page.set_viewport_size(PHONE)
    quiz.open()
    quiz.restore(sample_code())
    code, day = earlier_code(30)
    quiz.page.locator(".assess-compare-code input").fill(code)
    quiz.button("since.compare_button").click()
    since = quiz.page.locator(".assess-since")
    expect(since).to_contain_text(text("since.title", "ja"))
    expect(since).to_contain_text(format_date(day, "ja", MESSAGES))
    lines = since.locator(".assess-since-lines li")
    expect(lines).to_have_count(len(INSTRUMENT.indices) + len(INSTRUMENT.facets))
    expect(since).to_contain_text("点ほどまでの変化")
    legend = quiz.page.locator(".assess-chart .legendtext", has_text=text("since.chart_then", "ja"))
    expect(legend).to_have_count(len(INSTRUMENT.indices))
    assert quiz.sideways_scrolling() == []
    quiz.screenshot(screenshots, f"since-{engine}-ja-375")

    quiz.switch_language("en")
    expect(since).to_contain_text(text("since.title", "en"))
    expect(since).to_contain_text(format_date(day, "en", MESSAGES))
    expect(since).to_contain_text("a little differently")
    assert quiz.sideways_scrolling() == []
    quiz.screenshot(screenshots, f"since-{engine}-en-375")


def test_a_result_kept_on_the_device_is_compared_with_and_can_be_forgotten(
    either_quiz: Quiz, screenshots: Path
) -> None:
    """Last month's code kept in this browser, on either engine: today's result shows the
    change since then at once and keeps itself beside it; "forget all" empties what the browser
    keeps."""
    quiz = either_quiz
    quiz.page.set_viewport_size(PHONE)
    code, day = earlier_code(30)
    quiz.page.add_init_script(f"window.localStorage.setItem('{PAST_KEY}', '{code}')")
    quiz.open()
    quiz.restore(sample_code())
    since = quiz.page.locator(".assess-since")
    expect(since).to_contain_text(format_date(day, "ja", MESSAGES))
    quiz.page.wait_for_function(
        "([key, code]) => (localStorage.getItem(key) || '').split(',').length === 2"
        " && localStorage.getItem(key).endsWith(code)",
        arg=[PAST_KEY, code],
    )
    expect(quiz.page.locator(".assess-kept-row")).to_have_count(1)  # the one kept before
    assert quiz.sideways_scrolling() == []
    quiz.page.locator(".assess-kept").screenshot(path=str(screenshots / "since-kept-ja-375.png"))
    quiz.button("kept.forget_all").click()
    expect(quiz.page.locator(".assess-kept")).to_contain_text(text("kept.forgotten", "ja"))
    quiz.page.wait_for_function("key => localStorage.getItem(key) === null", arg=PAST_KEY)
