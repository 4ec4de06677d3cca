"""What a visitor takes away from the results page: four files and a result code."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import BrowserContext, expect
from quizdriver import Quiz, Recorder, sample_code, text

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz(either_quiz: Quiz) -> Quiz:
    """Every test here runs on both engines: Voilà, and the static site."""
    return either_quiz


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_download_saves_a_file_that_its_format_reads(
    quiz: Quiz, tmp_path: Path, language: str
) -> None:
    """Markdown with the plan's title, HTML without scripts, an .ics icalendar reads, JSON of
    format assess-result/1: each made by its button, then saved from its data: link as a
    browser saves it."""
    quiz.open(language if language == "en" else None)
    quiz.restore(sample_code())
    links = quiz.page.locator("a.assess-download")
    expect(links).to_have_count(0)  # made only when asked for
    makers = quiz.page.locator("button.assess-make-download")
    expect(makers).to_have_count(4)
    for position in range(4):
        makers.nth(position).click()
        expect(links).to_have_count(position + 1)

    saved: dict[str, bytes] = {}
    for position in range(4):
        link = links.nth(position)
        assert (link.get_attribute("href") or "").startswith("data:")
        with quiz.page.expect_download() as arrival:
            link.click()
        download = arrival.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        saved[target.suffix] = target.read_bytes()
    assert sorted(saved) == [".html", ".ics", ".json", ".md"]

    plan_title = text("plan.title", language)
    markdown = saved[".md"].decode("utf-8")
    assert markdown.strip() and plan_title in markdown

    page = _Tags()
    page.feed(saved[".html"].decode("utf-8"))
    page.close()
    assert "script" not in page.tags and "html" in page.tags
    assert plan_title in "".join(page.text)

    calendar = icalendar.Calendar.from_ical(saved[".ics"])
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert events and all(str(e.get("SUMMARY", "")).strip() for e in events)

    document = json.loads(saved[".json"])
    assert document["format"] == "assess-result/1"


def test_a_result_code_from_the_results_page_restores_the_same_scores_on_a_new_page(
    quiz: Quiz, context: BrowserContext
) -> None:
    """Complete the quiz, copy the code (field and Copy button agree), paste it on a fresh page's
    welcome: the same index scores appear."""
    origin = "/".join(quiz.base_url.split("/")[:3])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    quiz.open()
    quiz.complete()
    scores = quiz.scores()
    code = quiz.result_code()
    assert code and len(scores) == 2

    quiz.page.locator("button.assess-copy").click()
    expect(quiz.page.locator("button.assess-copy")).to_have_text(text("code.copied", "ja"))
    assert quiz.page.evaluate("() => navigator.clipboard.readText()") == code

    fresh_page = context.new_page()
    fresh = Recorder.attach(fresh_page)
    again = Quiz(fresh_page, quiz.base_url, widgets_timeout=quiz.widgets_timeout).open()
    again.restore(code)
    assert again.scores() == scores
    assert again.result_code() == code
    assert fresh.problems() == []
