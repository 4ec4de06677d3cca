"""The result charts and the national comparison on the real page, at phone width: scores of 0
drawn as marks with their "0", the person's survey answer marked in words, and the survey cited
with the report of the round it quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from quizdriver import INSTRUMENT, Quiz, sample_answers, sample_code, text

from assess.core.model import Answers
from assess.datafiles.reference import default_reference

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def at_zero() -> Answers:
    """Every question answered with the option that scores lowest: every facet at 0."""
    return Answers(
        {
            item.id: min(item.scale.options, key=lambda o: item.keyed_score(o.value)).value
            for item in INSTRUMENT.items
        },
        sample_answers().profile,
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_zero_scores_and_the_survey_answer_read_on_a_phone(
    quiz: Quiz, screenshots: Path, language: str
) -> None:
    """Every facet at 0 shows "0" and its band beside a mark; the survey chart says which bar is
    the person's answer; the source link is the quoted round's own report."""
    quiz.page.set_viewport_size(PHONE)
    quiz.open(language if language == "en" else None)
    quiz.restore(sample_code(at_zero()))
    marks = quiz.page.locator(".js-plotly-plot g.textpoint text")
    expect(marks).to_have_count(len(INSTRUMENT.facets))
    assert all(said.startswith("0 ") for said in marks.all_text_contents())
    yours = quiz.page.locator(".js-plotly-plot text", has_text=text("survey.your_answer", language))
    expect(yours).to_be_visible()
    survey = default_reference()
    link = quiz.page.locator(f'a[href="{survey.latest.source}"]')
    expect(link).to_have_text(survey.name.in_language(language))
    assert quiz.sideways_scrolling() == []
    quiz.screenshot(screenshots, f"results-charts-375-{language}")
