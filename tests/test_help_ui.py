"""Where to get help on the page: the box only when the answers call for it, lines to call now
first, a quiet list for everyone, and a "help now" link for every page."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assess import default_instrument
from assess.core.model import Answers, Text
from assess.core.scoring import score
from assess.core.support import Support, support_for
from assess.datafiles.catalogue import default_support
from assess.datafiles.messages import default_messages
from assess.render.help import help_html, help_now_html, service_html, urgent_help_html

INSTRUMENT = default_instrument()
DIRECTORY = default_support()
MESSAGES = default_messages()
SETTLED = {item.id: 3 for item in INSTRUMENT.items} | {"lonely_direct": 2, "depth_2": 4}
PATTERNS = {
    "settled": SETTLED,
    "worried about cover": SETTLED | {"safety_net_2": 4},
    "in distress": SETTLED
    | {"lonely_direct": 5, "emotional_1": 5, "emotional_2": 1, "emotional_3": 5},
}
LANGUAGES = pytest.mark.parametrize("language", ["ja", "en"])


def support(pattern: str) -> Support:
    answers = Answers(PATTERNS[pattern])
    return support_for(INSTRUMENT, score(INSTRUMENT, answers), answers, DIRECTORY)


def tel_links(html: str) -> list[str]:
    return re.findall(r'href="tel:([0-9-]+)"', html)


@LANGUAGES
def test_the_box_appears_only_for_answers_that_suggest_distress(language: str) -> None:
    """Settled answers and a worry about cover get no box; distress gets it, 24-hour line first."""
    assert urgent_help_html(support("settled"), MESSAGES, language) == ""
    assert urgent_help_html(support("worried about cover"), MESSAGES, language) == ""
    box = urgent_help_html(support("in distress"), MESSAGES, language)
    assert MESSAGES.text("help.urgent_title", language) in box
    assert tel_links(box)[:2] == ["0120-279-338", "119"]
    assert "110" not in tel_links(box)


@LANGUAGES
def test_the_practical_list_is_shown_for_a_practical_need(language: str) -> None:
    """Worried about cover: Freelance Trouble 110's site, and the quiet list folded below."""
    page = help_html(support("worried about cover"), MESSAGES, language)
    assert "freelance110.mhlw.go.jp" in page
    assert MESSAGES.text("help.practical", language) in page
    assert "<details" in page
    assert "freelance110" not in help_html(support("settled"), MESSAGES, language)


@LANGUAGES
def test_everyone_gets_the_quiet_if_things_get_hard_list(language: str) -> None:
    """Folded, with the free 24-hour line in it."""
    page = help_html(support("settled"), MESSAGES, language)
    assert MESSAGES.text("help.quiet_link", language) in page
    assert "0120-279-338" in tel_links(page)


@LANGUAGES
def test_every_page_can_carry_a_small_help_now_link(language: str) -> None:
    """A folded "help now" with the quiet list: one tap from any question."""
    link = help_now_html(DIRECTORY, MESSAGES, language)
    assert f"<summary>{MESSAGES.text('help.now', language)}</summary>" in link
    assert tel_links(link)[0] == "0120-279-338"


def test_a_service_is_escaped_and_its_date_written_as_people_write_it() -> None:
    """Markup in data stays text; the date checked reads 2026年11月29日 in Japanese."""
    service = dataclasses.replace(
        DIRECTORY.service("yorisoi_hotline"), name=Text("<script>x</script>", "<b>y</b>")
    )
    japanese = service_html(service, MESSAGES, "ja")
    assert "<script>" not in japanese and "&lt;script&gt;" in japanese
    assert "2026年11月29日時点で確認" in japanese
    assert "電話（無料）：" in japanese
    assert "<b>y</b>" not in service_html(service, MESSAGES, "en")


def test_every_take_away_the_quiz_hands_out_carries_the_help_lines() -> None:
    """Markdown, HTML and JSON made for the person: the 24-hour line and the result code."""
    import datetime
    import json

    from assess.app.roots import build_quiz

    quiz = build_quiz(query_string="lang=ja", today=datetime.date(2026, 11, 26))
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        for question in quiz.question_pages[quiz.page - 1].questions:
            question.choices.value = question.option_values[-1]  # the worst end everywhere
        quiz.next.click()
    for question in quiz.profile_page.questions:
        question.choices.value = question.option_values[0]
    quiz.next.click()
    outcome = quiz.outcome
    assert outcome is not None and outcome.urgent
    for kind in ("markdown", "html", "json"):
        text = quiz.services.download(kind, outcome, "ja").content.decode("utf-8")
        assert "0120-279-338" in text, kind
        assert outcome.code in text, kind
        assert "\\u" not in text, kind
    document = json.loads(quiz.services.download("json", outcome, "en").content)
    assert document["support"]["level"] == "prominent"


def quiz_answering(choose: int, *, language: str = "ja"):  # type: ignore[no-untyped-def]
    """A quiz built as the server builds it, answered with option `choose` everywhere."""
    import datetime

    from fresh_quiz import answer_everything

    from assess.app.roots import build_quiz

    # 11:00 JST: the free lines open in the evening are closed, whatever time the test runs.
    morning = datetime.datetime(2026, 11, 26, 2, 0, tzinfo=datetime.UTC)
    quiz = build_quiz(
        query_string=f"lang={language}", today=datetime.date(2026, 11, 26), now=morning
    )
    answer_everything(quiz, choose=choose)
    return quiz


def test_help_now_is_on_every_page_and_follows_the_language() -> None:
    """Welcome, questions, profile and results: the folded "help now" with the 24-hour line."""
    import datetime

    from assess.app.roots import build_quiz

    quiz = build_quiz(query_string="lang=ja", today=datetime.date(2026, 11, 26))
    seen = []
    for page in (0, 1, quiz.last_question_page, quiz.profile_index):
        quiz.page = page
        seen.append(quiz.help_now.value)
    assert all("<summary>相談先</summary>" in html and "0120-279-338" in html for html in seen)
    quiz.switch.value = "en"
    assert "<summary>Help now</summary>" in quiz.help_now.value


def test_the_results_page_grades_its_help() -> None:
    """The worst end of every scale: the box first.  The middle of every scale: no box, the
    practical and quiet lists below the results."""
    distress = quiz_answering(-1)
    page = distress.results_page
    assert page is not None
    assert page.children[0] is page.help
    assert "assess-help-urgent" in page.help.value
    assert tel_links(page.help.value)[:2] == ["0120-279-338", "119"]
    assert page.children[-2] is page.help_more

    middle = quiz_answering(2)
    page = middle.results_page
    assert page is not None and middle.outcome is not None
    assert middle.outcome.support is not None
    assert middle.outcome.support.level != "prominent"
    assert page.help not in page.children
    assert "assess-help-urgent" not in page.help_more.value
    assert MESSAGES.text("help.quiet_link", "ja") in page.help_more.value


@LANGUAGES
def test_the_survey_source_reads_as_the_language_writes_it(language: str) -> None:
    """出典：…。 in Japanese (no half-width colon or full stop); Source: …. in English."""
    from assess.datafiles.reference import default_reference, stand_in
    from assess.ui.results import survey_html

    reference = default_reference()
    html = survey_html(reference, stand_in(reference, value=5), MESSAGES, language)
    note = html[html.index('class="assess-muted"') :]
    if language == "ja":
        assert "出典：<a " in note and "</a>。" in note
        assert ": " not in note and "</a>. " not in note
    else:
        assert "Source: <a " in note and "</a>. " in note
