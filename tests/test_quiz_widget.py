"""The quiz widget without a browser: set values, click, and check state and emitted answers."""

from __future__ import annotations

import ast
import asyncio
import base64
import dataclasses
import datetime
import html
import re
import threading
from collections.abc import Callable
from pathlib import Path

import comm
import pytest
from fresh_quiz import take_the_quiz

from assess.app import roots as app_module
from assess.app.roots import build_quiz, language_from_query
from assess.core.model import LANGUAGES
from assess.datafiles.checker import DataFileError, Problem
from assess.store.outcomes import SaveOutcome
from assess.ui import quiz as quiz_module
from assess.ui.quiz import QuizApp, SaveRequest
from assess.ui.save_box import SaveBox

DAY = datetime.date(2026, 11, 26)


@pytest.fixture
def quiz() -> QuizApp:
    """A fresh quiz in Japanese, its clock fixed."""
    return build_quiz(query_string="", today=DAY)


def answer_page(quiz: QuizApp, *, choose: int = 0) -> None:
    page = quiz.question_pages[quiz.page - 1]
    for question in page.questions:
        question.choices.value = question.option_values[choose]


def complete(quiz: QuizApp, *, choose: int = 0) -> None:
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        answer_page(quiz, choose=choose)
        quiz.next.click()
    for question in quiz.profile_page.questions:
        question.choices.value = question.option_values[0]
    quiz.next.click()


def html_of(quiz: QuizApp) -> str:
    parts = []

    def walk(widget: object) -> None:
        value = getattr(widget, "value", None)
        if isinstance(value, str):
            parts.append(value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(quiz)
    return "\n".join(parts)


def test_the_quiz_opens_on_the_welcome_page_in_japanese(quiz: QuizApp) -> None:
    """Page 0, Japanese wording, nothing answered."""
    assert quiz.page == 0
    assert quiz.language == "ja"
    assert "セルフチェック" in html_of(quiz)
    assert quiz.answers.responses == {}


@pytest.mark.parametrize(
    ("query", "language"), [("lang=en", "en"), ("lang=ja", "ja"), ("lang=xx", "ja"), ("", "ja")]
)
def test_the_url_picks_the_language(query: str, language: str) -> None:
    """?lang=en opens in English; anything else falls back to Japanese."""
    assert language_from_query(query) == language
    assert build_quiz(query_string=query, today=DAY).language == language


def test_answers_are_emitted_as_the_person_chooses(quiz: QuizApp) -> None:
    """Choosing an option on the first page shows up in `answers` with its value."""
    quiz.start.click()
    first = quiz.question_pages[0].questions[0]
    first.choices.value = first.option_values[2]
    assert quiz.answers.responses == {first.question_id: first.option_values[2]}


def test_unanswered_questions_are_pointed_out_before_moving_on(quiz: QuizApp) -> None:
    """Next with an empty page stays, flags the questions and says which ones."""
    quiz.start.click()
    quiz.next.click()
    assert quiz.page == 1
    page = quiz.question_pages[0]
    assert all(q.flagged for q in page.questions)
    assert 'role="alert"' in quiz.notice.value
    assert "（1、2、3、4、5）" in quiz.notice.value  # Japanese list punctuation


def test_a_page_with_a_question_left_open_moves_on_when_next_is_pressed_again(
    quiz: QuizApp,
) -> None:
    """One question left blank, within the missing-answer rule: a second Next skips it."""
    quiz.start.click()
    answer_page(quiz)
    quiz.question_pages[0].questions[0].choices.value = None
    quiz.question_pages[0].questions[0].value = None
    quiz.next.click()
    assert quiz.page == 1
    quiz.next.click()
    assert quiz.page == 2


def complete_leaving_open(quiz: QuizApp, open_ids: set[str]) -> None:
    """Answer everything but `open_ids`, pressing Next a second time where questions are open."""
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        page = quiz.question_pages[quiz.page - 1]
        for question in page.questions:
            question.value = None if question.question_id in open_ids else question.option_values[0]
        here = quiz.page
        quiz.next.click()
        if quiz.page == here:
            quiz.next.click()
        assert quiz.page == here + 1, "a skip was refused"
    for question in quiz.profile_page.questions:
        question.choices.value = question.option_values[0]
    quiz.next.click()


def items_of(quiz: QuizApp, facet_id: str) -> set[str]:
    return {item.id for item in quiz.instrument.items_of(facet_id)}


def page_of(quiz: QuizApp, item_id: str) -> int:
    return next(n for n, items in enumerate(quiz.page_items, 1) if item_id in {i.id for i in items})


def test_every_question_can_be_skipped_and_the_results_still_come(quiz: QuizApp) -> None:
    """Nothing answered at all, Next twice on each page: no refusal, a results page that says
    what could not be scored."""
    complete_leaving_open(quiz, {item.id for item in quiz.instrument.items})
    assert quiz.page == quiz.results_index and quiz.results_page is not None
    assert set(quiz.results_page.missing.facet_ids) == {f.id for f in quiz.instrument.facets}


def test_the_direct_loneliness_question_can_be_skipped_with_another_feelings_question(
    quiz: QuizApp,
) -> None:
    """Two of the feelings questions open (one more than the facet tolerates), the direct
    loneliness question among them: the skip is allowed and its cost is said."""
    open_ids = {"lonely_direct", "emotional_1"}
    emotional = quiz.instrument.facet("emotional").label.ja
    said: list[str] = []
    quiz.observe(lambda _change: said.append(quiz.notice.value), names="page")
    quiz.nav.notice.observe(lambda change: said.append(change["new"]), names="value")
    complete_leaving_open(quiz, open_ids)
    assert quiz.result is not None
    assert quiz.result.facet("emotional").status.value == "unscored"
    assert any(f"「{emotional}」" in notice for notice in said)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_skip_that_costs_no_score_says_nothing_of_a_cost(language: str) -> None:
    """One question open on a page (within the facet's tolerance): the notice names it and
    mentions no facet."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    quiz.start.click()
    answer_page(quiz)
    quiz.question_pages[0].questions[0].value = None
    quiz.next.click()
    cost = quiz.messages.text("quiz.skip_costs", language, facets="").split("{")[0][:6]
    assert quiz.page == 1 and 'role="alert"' in quiz.notice.value
    assert html.escape(cost) not in quiz.notice.value


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_say_per_index_and_facet_what_could_not_be_scored_and_why(
    language: str,
) -> None:
    """Every feelings and safety-net question skipped: each of those facets is named with its
    count of open questions, in the page's language, and so is the index left unscored."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    complete_leaving_open(quiz, items_of(quiz, "emotional") | items_of(quiz, "safety_net"))
    assert quiz.results_page is not None
    missing = quiz.results_page.missing
    assert missing.facet_ids == ["emotional", "safety_net"]
    for facet_id in missing.facet_ids:
        expected = quiz.messages.text(
            "results.facet_unscored", language, missing=4, expected=4, needed=3
        )
        assert html.escape(expected) in missing.reasons[facet_id].value
    page = html_of(quiz)
    index_reason = (
        quiz.messages.text(
            "results.index_unscored", language, missing=2, expected=4, needed=3, facets=""
        )
        .split("(")[0]
        .split("（")[0]
    )
    assert html.escape(index_reason) in page
    assert quiz.result is not None
    english_reason = quiz.result.facet("emotional").reason
    assert english_reason and english_reason not in page  # never the scorer's English in ja


def test_a_page_with_everything_scored_offers_nothing_to_answer(quiz: QuizApp) -> None:
    """All answered: no section about what could not be scored."""
    complete(quiz)
    assert quiz.results_page is not None
    assert quiz.results_page.missing not in quiz.results_page.children


def test_a_button_per_unscored_facet_leads_to_its_questions_and_back_to_the_results(
    quiz: QuizApp,
) -> None:
    """Answer the safety net's questions from the results: the page of its first open question,
    the open ones marked, then Next returns to the results with the facet scored."""
    open_ids = items_of(quiz, "safety_net") | items_of(quiz, "emotional")
    complete_leaving_open(quiz, open_ids)
    assert quiz.results_page is not None
    quiz.results_page.missing.buttons["safety_net"].click()
    pages = sorted({page_of(quiz, item_id) for item_id in items_of(quiz, "safety_net")})
    assert quiz.page == pages[0]
    for number in pages:
        assert quiz.page == number
        for question in quiz.question_pages[number - 1].questions:
            if question.question_id in items_of(quiz, "safety_net"):
                assert question.flagged
                question.value = question.option_values[1]
        quiz.next.click()
        if quiz.page == number:  # other open questions on the page: skipped again
            quiz.next.click()
    assert quiz.page == quiz.results_index and quiz.result is not None
    assert quiz.result.facet("safety_net").status.value != "unscored"
    assert quiz.result.facet("emotional").status.value == "unscored"


def test_a_forged_facet_name_leads_nowhere(quiz: QuizApp) -> None:
    """answer_missing with a facet that does not exist, or before any result: nothing moves."""
    quiz.answer_missing("emotional")
    assert quiz.page == 0
    complete(quiz)
    quiz.answer_missing("<script>")
    assert quiz.page == quiz.results_index


def test_going_back_keeps_the_answers(quiz: QuizApp) -> None:
    """Back, then forward: the first page's answers are still there."""
    quiz.start.click()
    answer_page(quiz, choose=3)
    quiz.next.click()
    quiz.back.click()
    assert quiz.page == 1
    assert all(q.value == q.option_values[3] for q in quiz.question_pages[0].questions)


def test_switching_language_keeps_answers_and_relabels(quiz: QuizApp) -> None:
    """Mid-way to English: same values, English option labels."""
    quiz.start.click()
    answer_page(quiz, choose=1)
    before = quiz.answers
    quiz.switch.value = "en"
    assert quiz.language == "en"
    assert quiz.answers == before
    question = quiz.question_pages[0].questions[0]
    assert question.choices.options[0][0] == question.option_texts[0].en
    assert question.value == question.option_values[1]


def make_every_download(quiz: QuizApp) -> list[str]:
    """Press each take-away's button; the links offered, in order."""
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    box = quiz.results_page.downloads
    for make in box.buttons.values():
        make.click()
    return [link.value for link in box.links.values()]


def decoded(link: str) -> str:
    """The text a data: link carries."""
    return base64.b64decode(link.split("base64,")[1].split('"')[0]).decode("utf-8")


def test_completing_the_quiz_shows_results_plan_and_a_button_per_download(quiz: QuizApp) -> None:
    """Every page answered: both indices, the plan and four take-aways, each one button."""
    complete(quiz)
    assert quiz.page == quiz.results_index
    assert quiz.result is not None
    assert quiz.plan is not None
    page = html_of(quiz)
    for index in quiz.instrument.indices:
        assert index.label.ja in page
    assert "assess-step" in page
    assert 'class="assess-download"' not in page
    links = make_every_download(quiz)
    assert len(links) == 4 and all('class="assess-download"' in link for link in links)


class Counting:
    """Wraps a service and records its calls."""

    def __init__(self, service: Callable[..., object]) -> None:
        self.service = service
        self.calls: list[tuple[object, ...]] = []

    def __call__(self, *args: object) -> object:
        self.calls.append(args)
        return self.service(*args)


def counting(quiz: QuizApp, name: str) -> Counting:
    counter = Counting(getattr(quiz.services, name))
    quiz.services = dataclasses.replace(quiz.services, **{name: counter})
    return counter


def test_no_take_away_is_made_until_the_person_asks_for_it(quiz: QuizApp) -> None:
    """Reaching the results and switching language make no file; a click makes that one only."""
    made = counting(quiz, "download")
    complete(quiz)
    quiz.switch.value = "en"
    assert made.calls == []
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    quiz.results_page.downloads.buttons["calendar"].click()
    assert [call[0] for call in made.calls] == ["calendar"]


def test_a_file_made_is_made_again_in_the_language_switched_to(quiz: QuizApp) -> None:
    """Markdown made in Japanese, then English: the link offers the English plan; the others
    are still waiting to be asked for."""
    complete(quiz)
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    box = quiz.results_page.downloads
    box.buttons["markdown"].click()
    quiz.switch.value = "en"
    assert "first-step plan" in decoded(box.links["markdown"].value)
    assert box.links["html"].value == ""


def test_the_result_is_encoded_once_whatever_the_language(quiz: QuizApp) -> None:
    """One code for one result: switching back and forth neither re-encodes nor rebuilds."""
    encode = counting(quiz, "encode")
    complete(quiz)
    page = quiz.results_page
    quiz.switch.value = "en"
    quiz.switch.value = "ja"
    assert len(encode.calls) == 1
    assert quiz.results_page is page


def test_the_same_answers_come_back_to_the_same_results_page(quiz: QuizApp) -> None:
    """Review my answers, change nothing, Next: the page as it was left, no new code."""
    encode = counting(quiz, "encode")
    complete(quiz)
    page = quiz.results_page
    assert page is not None
    page.edit.click()
    assert quiz.page == quiz.profile_index
    quiz.next.click()
    assert quiz.page == quiz.results_index
    assert quiz.results_page is page and len(encode.calls) == 1


@pytest.mark.parametrize("kind", ["markdown", "html", "json"])
def test_the_take_aways_carry_the_result_code_as_the_cli_does(quiz: QuizApp, kind: str) -> None:
    """The Markdown, HTML and JSON files hold the code shown on the page."""
    complete(quiz)
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    quiz.results_page.downloads.buttons[kind].click()
    assert quiz.result_code and quiz.result_code in decoded(
        quiz.results_page.downloads.links[kind].value
    )


def test_results_relabel_in_the_other_language(quiz: QuizApp) -> None:
    """Switching on the results page shows everything in English."""
    complete(quiz)
    quiz.switch.value = "en"
    page = html_of(quiz)
    assert "Your first-step plan" in page
    assert quiz.instrument.index("isolation_risk").label.en in page
    assert quiz.instrument.index("isolation_risk").label.ja not in page


@pytest.mark.parametrize("how", ["last Next", "restored code"])
def test_the_results_are_said_to_be_coming_before_the_work_starts(how: str) -> None:
    """The last Next (or Show result) first says the results are being prepared: the notice
    is set (and so sent to the page) before the answers are scored; once shown, it is gone."""
    quiz = build_quiz(query_string="", today=DAY)
    seen_while_working: list[str] = []
    encode = quiz.services.encode

    def watching(answers: object, taken_on: datetime.date) -> str:
        seen_while_working.append(quiz.notice.value)
        return encode(answers, taken_on)  # type: ignore[arg-type]

    if how == "restored code":
        other = build_quiz(query_string="", today=DAY)
        complete(other)
        assert other.result_code is not None
        quiz.services = dataclasses.replace(quiz.services, encode=watching)
        quiz.code_input.value = other.result_code
        quiz.restore.click()
    else:
        quiz.services = dataclasses.replace(quiz.services, encode=watching)
        complete(quiz)
    preparing = html.escape(quiz.messages.text("quiz.preparing", "ja"))
    assert len(seen_while_working) == 1
    assert preparing in seen_while_working[0] and 'role="status"' in seen_while_working[0]
    assert quiz.page == quiz.results_index and quiz.notice.value == ""


def test_the_result_code_restores_the_same_result(quiz: QuizApp) -> None:
    """Code from one quiz, pasted into a new one: the same scores."""
    complete(quiz, choose=2)
    code = quiz.result_code
    assert code is not None
    assert code in html_of(quiz)
    fresh = build_quiz(query_string="", today=DAY)
    fresh.code_input.value = code
    fresh.restore.click()
    assert fresh.page == fresh.results_index
    assert fresh.result == quiz.result
    assert fresh.answers == quiz.answers


def test_an_answer_from_the_page_is_not_sent_back_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One page per kernel: ipywidgets' echo of every value the page sets is turned off, a
    message saved per answer and click."""
    from ipywidgets.widgets import widget as widget_module

    sent: list[str] = []

    def publish(_comm: object, msg_type: str, data: dict | None = None, **_: object) -> None:
        sent.append(str((data or {}).get("method", msg_type)))

    monkeypatch.setattr(widget_module, "JUPYTER_WIDGETS_ECHO", True)
    monkeypatch.setattr(comm.DummyComm, "publish_msg", publish)
    quiz = build_quiz(query_string="", today=DAY)
    quiz.start.click()
    choices = quiz.question_pages[0].questions[0].choices
    sent.clear()
    update = {"method": "update", "state": {"index": 1}, "buffer_paths": []}
    choices._handle_msg({"content": {"data": update}, "buffers": []})
    assert choices.index == 1
    assert "echo_update" not in sent


def widget_count(widget: object) -> int:
    """Widgets reachable from `widget` through `children`: what the page must render."""
    return 1 + sum(widget_count(child) for child in getattr(widget, "children", ()))


def test_question_pages_are_built_one_ahead_of_the_page_shown(quiz: QuizApp) -> None:
    """The welcome holds page 1 only; showing page 1 builds page 2, and so on."""
    assert quiz.question_pages.built() == [quiz.question_pages[0]]
    assert widget_count(quiz) < 40  # page 1 is built but not yet shown
    quiz.start.click()
    assert quiz.question_pages[0] in quiz.body.children
    assert len(quiz.question_pages.built()) == 2


def test_the_next_page_is_built_after_the_click_is_answered() -> None:
    """With a kernel's loop, building ahead waits until the page shown has gone out."""
    queued: list[Callable[[], None]] = []
    quiz = build_quiz(query_string="", today=DAY)
    quiz.services = dataclasses.replace(quiz.services, soon=queued.append)
    quiz.start.click()
    assert quiz.question_pages[0] in quiz.body.children
    assert len(quiz.question_pages.built()) == 1
    for work in queued:
        work()
    assert len(quiz.question_pages.built()) == 2


def test_a_restored_code_reaches_pages_built_later_and_replaces_earlier_answers(
    quiz: QuizApp,
) -> None:
    """Page 1 answered by hand, then a code restored: every page shows the code's answers."""
    other = build_quiz(query_string="", today=DAY)
    complete(other, choose=3)
    assert other.result_code is not None
    quiz.start.click()
    answer_page(quiz, choose=0)
    quiz.back.click()
    quiz.code_input.value = other.result_code
    quiz.restore.click()
    assert quiz.answers == other.answers
    quiz.page = 2  # a page first built after the restore
    assert quiz.question_pages[1].answers == other.question_pages[1].answers
    assert quiz.question_pages[0].answers == other.question_pages[0].answers
    assert quiz.answers == other.answers


def test_the_first_question_is_reached_before_the_results_data_is_read() -> None:
    """In a fresh interpreter: planning, actions, support and the survey are read at the
    results, not on every visitor's way to the first question."""
    results_only = [
        "assess.datafiles.catalogue",
        "assess.core.planning",
        "assess.datafiles.reference",
        "assess.render.takeaways",
        "assess.ui.results",
    ]
    lines = take_the_quiz(
        after_start=f"print(sorted(set({results_only}) & set(sys.modules)))",
        at_the_results=f"print(sorted(set({results_only}) - set(sys.modules)))",
    )
    assert (lines[0], lines[-1]) == ("[]", "[]")


def test_the_take_aways_are_made_without_a_calendar_library_in_the_kernel() -> None:
    """The .ics is written by `assess.render.takeaways` itself: icalendar cost each visitor ~80 ms of
    CPU and ~4 MB at the results (tests read the file back with it)."""
    lines = take_the_quiz(
        at_the_results='print(sorted(m for m in sys.modules if m.split(".")[0] == "icalendar"))'
    )
    assert lines[-1] == "[]"


class UnreadableOnce:
    """The results' data files, unreadable on the first attempt (a deployment being fixed)."""

    def __init__(self, read: Callable[[], object]) -> None:
        self.read = read
        self.attempts = 0

    def __call__(self) -> object:
        self.attempts += 1
        if self.attempts == 1:
            raise DataFileError([Problem("actions.yaml", "actions[3].minutes", "is missing")])
        return self.read()


def test_unreadable_results_data_keeps_the_answers_and_lets_the_person_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The profile page stays with an alert that gives no file details; Next again works."""
    unreadable = UnreadableOnce(app_module._results_material)
    monkeypatch.setattr(app_module, "_results_material", unreadable)
    quiz = build_quiz(query_string="", today=DAY)
    complete(quiz, choose=2)
    assert quiz.page == quiz.profile_index and quiz.result is None
    assert 'role="alert"' in quiz.notice.value and "actions.yaml" not in quiz.notice.value
    answers = quiz.answers
    assert len(answers.responses) == len(quiz.instrument.items)
    quiz.next.click()
    assert quiz.page == quiz.results_index and quiz.plan is not None
    assert quiz.answers == answers and unreadable.attempts == 2


@pytest.mark.parametrize("code", ["", "not-a-code", "A" * 600, "AAAA"])
def test_a_bad_result_code_gets_a_message_and_loses_nothing(quiz: QuizApp, code: str) -> None:
    """The welcome page stays, with an alert; nothing is scored."""
    quiz.code_input.value = code
    quiz.restore.click()
    assert quiz.page == 0
    assert quiz.result is None
    assert 'role="alert"' in quiz.notice.value


def test_a_forged_out_of_range_page_is_ignored(quiz: QuizApp) -> None:
    """A visitor setting `page` beyond the results cannot break the quiz."""
    quiz.page = 999
    assert quiz.page == 0


def test_a_forged_answer_value_is_dropped(quiz: QuizApp) -> None:
    """A value that is not one of the options never reaches the answers."""
    quiz.start.click()
    question = quiz.question_pages[0].questions[0]
    question.value = 42
    assert question.value is None
    assert question.question_id not in quiz.answers.responses


def test_next_on_the_welcome_or_results_page_cannot_skip_ahead(quiz: QuizApp) -> None:
    """Clicking the hidden Next on the results page changes nothing."""
    complete(quiz)
    result = quiz.result
    quiz.next.click()
    assert quiz.page == quiz.results_index
    assert quiz.result == result


def test_distress_answers_show_help_prominently(quiz: QuizApp) -> None:
    """Feeling lonely often or always: the support services come first, as an alert."""
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        page = quiz.question_pages[quiz.page - 1]
        for question in page.questions:
            question.choices.value = question.option_values[-1]
        quiz.next.click()
    quiz.next.click()
    assert quiz.results_page is not None
    assert "assess-help-urgent" in quiz.results_page.children[0].value


QUIZ_MODULES = [
    "ui/quiz.py",
    "ui/navigation.py",
    "ui/welcome.py",
    "ui/results_page.py",
    "ui/results.py",
    "ui/missing.py",
    "ui/downloads.py",
    "ui/code_box.py",
    "ui/save_box.py",
    "app/roots.py",
]


def message_keys_named_in_the_quiz() -> set[str]:
    """Every message key the quiz's modules name: the dotted string literals, the welcome's
    "disclaimer", and the take-aways' labels, which are named by kind."""
    from assess.ui.downloads import KINDS

    source = Path(quiz_module.__file__).parents[1]
    keys = {"disclaimer", *(f"downloads.{kind}" for kind in KINDS)}
    for module in QUIZ_MODULES:
        for node in ast.walk(ast.parse((source / module).read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            named = is_text and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", node.value)
            if named and not node.value.startswith("assess."):  # a logger's name
                keys.add(node.value)
    return keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_key_the_quiz_names_exists_in_both_languages(language: str) -> None:
    """Each key named in the quiz's modules has a text in this language."""
    from assess.datafiles.messages import default_messages

    messages = default_messages()
    keys = message_keys_named_in_the_quiz()
    assert len(keys) > 60  # the scan found the quiz's wording, not nothing
    missing = [key for key in sorted(keys) if key not in messages.texts]
    assert missing == []
    assert [key for key in sorted(keys) if not messages.get(key).in_language(language)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_draws_in_each_language(language: str) -> None:
    """Welcome to results, every take-away made and the save box used: no missing message."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    complete_leaving_open(quiz, items_of(quiz, "safety_net"))
    assert quiz.result is not None and quiz.results_page is not None
    make_every_download(quiz)
    box = quiz.results_page.save_box
    assert box is not None
    box.save_button.click()  # without consent: the needs-consent message
    assert 'role="alert"' in box.status.value


# --- saving with consent ----------------------------------------------------------------------


class FakeStore:
    """Answers like the page's ResultKeeper: keyed by id (a retry stores nothing twice, a
    changed save replaces), a progress key per id, and message keys for what went wrong."""

    def __init__(self, *, fail: str | None = None, fail_withdraw: str | None = None) -> None:
        self.saved: dict[str, SaveRequest] = {}
        self.keys: dict[str, str] = {}
        self.fail = fail
        self.fail_withdraw = fail_withdraw

    def save(self, request: SaveRequest) -> SaveOutcome:
        if self.fail:
            return SaveOutcome(self.fail, done=False)
        if request.consent is not True:
            raise AssertionError("saved without consent")
        before = self.saved.get(request.record_id)
        self.saved[request.record_id] = request
        key = self.keys.setdefault(request.record_id, f"key-{len(self.keys) + 1}")
        updated = before is not None and before != request
        return SaveOutcome(
            "save.updated" if updated else "save.done",
            done=True,
            record_id=request.record_id,
            progress_key=key,
        )

    def forget(self, record_id: str) -> SaveOutcome:
        if self.fail_withdraw:
            return SaveOutcome(self.fail_withdraw, done=False, record_id=record_id)
        self.saved.pop(record_id, None)
        return SaveOutcome("save.forgotten", done=True)


def with_store(quiz: QuizApp, store: FakeStore) -> QuizApp:
    quiz.services = dataclasses.replace(quiz.services, save=store.save, forget=store.forget)
    return quiz


def save_box(quiz: QuizApp) -> SaveBox:
    assert quiz.results_page is not None and quiz.results_page.save_box is not None
    return quiz.results_page.save_box


def test_nothing_is_saved_without_ticking_consent(quiz: QuizApp) -> None:
    """The save box starts unticked; a click (even a forged one) without consent saves nothing."""
    store = FakeStore()
    complete(with_store(quiz, store))
    assert save_box(quiz).consent.value is False
    save_box(quiz).save_button.click()
    assert store.saved == {}
    assert 'role="alert"' in save_box(quiz).status.value


def test_a_retried_save_does_not_duplicate(quiz: QuizApp) -> None:
    """Two clicks with consent: one record, the same id."""
    store = FakeStore()
    complete(with_store(quiz, store))
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    save_box(quiz).save_button.click()
    assert len(store.saved) == 1
    assert save_box(quiz).saved_id in store.saved


def said(quiz: QuizApp, message: str, language: str = "ja", **values: object) -> bool:
    """Whether the save box shows `message` (a key) in `language`."""
    text = html.escape(quiz.messages.text(message, language, **values))
    return text in save_box(quiz).status.value


@pytest.mark.parametrize("failure", ["save.unavailable", "save.busy", "save.invalid_cohort"])
def test_a_failed_save_says_so_and_keeps_the_take_aways(quiz: QuizApp, failure: str) -> None:
    """The store is down or busy, or the code refused: its message as an alert, and the code
    and downloads are still on the page."""
    complete(with_store(quiz, FakeStore(fail=failure)))
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    assert save_box(quiz).saved_id is None
    assert said(quiz, failure) and 'role="alert"' in save_box(quiz).status.value
    assert quiz.result_code is not None
    assert len(make_every_download(quiz)) == 4


def test_a_save_shows_the_progress_key_once_and_in_the_language_switched_to(
    quiz: QuizApp,
) -> None:
    """Saved: "saved" and the person's progress key; in English after a switch, same key."""
    complete(with_store(quiz, FakeStore()))
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    assert said(quiz, "save.done") and said(quiz, "save.key", key="key-1")
    quiz.switch.value = "en"
    assert said(quiz, "save.done", "en") and said(quiz, "save.key", "en", key="key-1")


def test_a_changed_save_says_it_replaced_the_earlier_one(quiz: QuizApp) -> None:
    """Saved, then the workshop code changed and saved again: "updated", the same key."""
    store = FakeStore()
    complete(with_store(quiz, store))
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    save_box(quiz).cohort_input.value = "ws-2"
    save_box(quiz).save_button.click()
    assert len(store.saved) == 1
    assert said(quiz, "save.updated") and said(quiz, "save.key", key="key-1")


@pytest.mark.parametrize("failure", ["save.withdraw_failed", "save.withdraw_busy"])
def test_a_failed_withdrawal_says_the_result_is_still_stored(quiz: QuizApp, failure: str) -> None:
    """Delete that the store could not do: its own message, Delete still offered, box ticked."""
    store = FakeStore(fail_withdraw=failure)
    complete(with_store(quiz, store))
    box = save_box(quiz)
    box.consent.value = True
    box.save_button.click()
    box.forget_button.click()
    assert said(quiz, failure) and 'role="alert"' in box.status.value
    assert box.saved_id in store.saved and box.forget_button.layout.display == ""
    assert box.consent.value is True


def test_consent_can_be_taken_back(quiz: QuizApp) -> None:
    """Delete removes the saved result and unticks the box."""
    store = FakeStore()
    complete(with_store(quiz, store))
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    save_box(quiz).forget_button.click()
    assert store.saved == {}
    assert save_box(quiz).consent.value is False
    assert said(quiz, "save.forgotten") and save_box(quiz).progress_key is None


def test_a_ticked_consent_box_survives_a_language_switch(quiz: QuizApp) -> None:
    """Ticked in Japanese, switched to English: still ticked, labelled in English, and the
    workshop code typed is still there."""
    complete(with_store(quiz, FakeStore()))
    box = save_box(quiz)
    box.consent.value = True
    box.cohort_input.value = "ws-1"
    quiz.switch.value = "en"
    assert save_box(quiz) is box
    assert box.consent.value is True and box.cohort_input.value == "ws-1"
    assert box.consent.description == quiz.messages.text("save.consent", "en")


def test_the_save_status_survives_a_language_switch_in_the_new_language(quiz: QuizApp) -> None:
    """Saved, then switched to English: the box says it was saved, in English, and Delete is
    still offered."""
    store = FakeStore()
    complete(with_store(quiz, store))
    box = save_box(quiz)
    box.consent.value = True
    box.save_button.click()
    quiz.switch.value = "en"
    assert html.escape(quiz.messages.text("save.done", "en")) in box.status.value
    assert box.saved_id in store.saved and box.forget_button.layout.display == ""


def test_every_label_of_the_save_box_follows_a_switch_and_back(quiz: QuizApp) -> None:
    """Switched to English and back: each label the save box shows is in the language shown,
    the markup around a message included."""
    complete(with_store(quiz, FakeStore()))
    box = save_box(quiz)
    for language in ("en", "ja"):
        quiz.switch.value = language

        def say(key: str, language: str = language) -> str:
            return quiz.messages.text(key, language)

        assert [
            box.intro.value,
            box.consent.description,
            box.cohort_input.description,
            box.cohort_input.placeholder,
            box.save_button.description,
            box.forget_button.description,
        ] == [
            f"<h2>{html.escape(say('save.title'))}</h2><p>{html.escape(say('save.explain'))}</p>",
            say("save.consent"),
            say("save.cohort"),
            say("save.cohort_placeholder"),
            say("save.button"),
            say("save.forget"),
        ]


def test_the_workshop_code_from_the_link_is_offered_and_saved(quiz: QuizApp) -> None:
    """?cohort=WS-Tokyo prefills the code; the saved record carries it."""
    quiz = build_quiz(query_string="cohort=WS-Tokyo", today=DAY)
    store = FakeStore()
    complete(with_store(quiz, store))
    assert save_box(quiz).cohort_input.value == "WS-Tokyo"
    save_box(quiz).consent.value = True
    save_box(quiz).save_button.click()
    assert next(iter(store.saved.values())).cohort == "WS-Tokyo"


def test_saving_writes_a_real_sqlite_file(quiz: QuizApp, tmp_path, monkeypatch) -> None:
    """End to end through the composition root: one anonymous row in the database file."""
    from assess.store.results import ResultStore

    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    complete(quiz)
    save_box(quiz).consent.value = True
    save_box(quiz).cohort_input.value = "ws-1"
    save_box(quiz).save_button.click()
    save_box(quiz).save_button.click()
    store = ResultStore.open(url)
    try:
        records = store.results()
        assert [r.id for r in records] == [save_box(quiz).saved_id]
        assert records[0].cohort == "ws-1"
        assert records[0].answers == quiz.answers
    finally:
        store.close()


def test_a_workshop_code_that_looks_like_an_address_is_refused(
    quiz: QuizApp, tmp_path, monkeypatch
) -> None:
    """An e-mail address in the code box is not stored; the person is told why."""
    monkeypatch.setenv("ASSESS_DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    complete(quiz)
    save_box(quiz).consent.value = True
    save_box(quiz).cohort_input.value = "taro@example.com"
    save_box(quiz).save_button.click()
    assert save_box(quiz).saved_id is None
    assert said(quiz, "save.invalid_cohort") and "taro@" not in save_box(quiz).status.value


def test_a_preheated_quiz_is_shown_at_once_and_takes_the_visitors_language_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Built before anyone comes (Japanese), then switched to the visitor's ?lang=en and
    workshop code on the kernel's loop, without the notebook's cell waiting for the visitor."""
    from assess.hosting import voila_page

    visitor_arrived = threading.Event()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(voila_page, "keep_errors_off_the_page", lambda: None)
    monkeypatch.setattr(
        voila_page,
        "_wait_for_visitor",
        lambda: "lang=en&cohort=ws-1" if visitor_arrived.wait(10) else None,
    )

    async def visit() -> tuple[str, str, str | None]:
        quiz = build_quiz(today=DAY)  # returns while the kernel still waits for its visitor
        before = quiz.language
        switched = asyncio.Event()
        quiz.observe(lambda _change: switched.set(), names="language")
        visitor_arrived.set()
        await asyncio.wait_for(switched.wait(), 10)
        return before, quiz.language, quiz.cohort

    assert asyncio.run(visit()) == ("ja", "en", "ws-1")


# --- the first screen of the results, what a skip cost, the detour, numbering (issue 23) -------


def test_profile_questions_continue_the_numbering_the_welcome_counts(quiz: QuizApp) -> None:
    """After the last scored question come the profile's, numbered on up to the count the
    welcome promises (39問), not from 1 again."""
    scored = len(quiz.instrument.items)
    numbers = [question.number for question in quiz.profile_page.questions]
    assert numbers == list(range(scored + 1, scored + len(numbers) + 1))
    assert f"{numbers[-1]}問" in quiz.messages.text("welcome.time", "ja")


def test_a_detour_over_several_pages_says_on_each_where_next_leads(quiz: QuizApp) -> None:
    """Back from the results to a facet's questions on several pages: every page but the last
    says Next goes on to the remaining questions, the last that it returns to the results."""
    facet = next(
        f.id
        for f in quiz.instrument.facets
        if len({page_of(quiz, i) for i in items_of(quiz, f.id)}) > 1
    )
    complete_leaving_open(quiz, items_of(quiz, facet))
    assert quiz.results_page is not None
    quiz.results_page.missing.buttons[facet].click()
    pages = sorted({page_of(quiz, item_id) for item_id in items_of(quiz, facet)})
    for number in pages:
        assert quiz.page == number
        key = "quiz.detour" if number == pages[-1] else "quiz.detour_more"
        assert html.escape(quiz.text(key)) in quiz.notice.value
        for question in quiz.question_pages[number - 1].questions:
            if question.question_id in items_of(quiz, facet):
                question.value = question.option_values[1]
        quiz.next.click()
    assert quiz.page == quiz.results_index


def results_of(quiz: QuizApp) -> str:
    assert quiz.results_page is not None
    return html_of(quiz.results_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_open_with_where_the_person_stands_and_todays_step(language: str) -> None:
    """First on the results: one line per index with its band and score, then today's step
    with its minutes and a button that puts the plan in the calendar; the details follow."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    complete(quiz)
    page, plan, result = quiz.results_page, quiz.plan, quiz.result
    assert page is not None and plan is not None and result is not None
    summary = page.children[0]
    assert "assess-summary" in summary._dom_classes
    first = html_of(summary)
    for index in quiz.instrument.indices:
        scored = result.index(index.id)
        assert scored.band is not None and scored.percent is not None
        line = quiz.messages.text(
            "takeaways.facet_score",
            language,
            facet=index.label.in_language(language),
            band=scored.band.label.in_language(language),
            score=round(scored.percent),
        )
        assert html.escape(line) in first
    minutes = quiz.messages.text("plan.minutes", language, minutes=plan.today.action.minutes)
    assert html.escape(plan.today.action.title.in_language(language)) in first
    assert html.escape(minutes) in first
    assert page.to_calendar is not None
    page.to_calendar.buttons["calendar"].click()
    link = page.to_calendar.links["calendar"].value
    assert "text/calendar" in link and "BEGIN:VCALENDAR" in decoded(link)
    assert page.children.index(summary) < page.children.index(page.indices)


def test_with_help_to_call_now_the_summary_comes_right_after_it(quiz: QuizApp) -> None:
    """Answers that call for help now: the help box stays first, the summary follows it."""
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        for question in quiz.question_pages[quiz.page - 1].questions:
            question.choices.value = question.option_values[-1]
        quiz.next.click()
    quiz.next.click()
    assert quiz.results_page is not None
    first, second = quiz.results_page.children[:2]
    assert "assess-help-urgent" in first.value
    assert "assess-summary" in second._dom_classes


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_skipped_loneliness_question_says_the_comparison_is_not_shown(language: str) -> None:
    """The direct loneliness question skipped: where the national comparison would be, the page
    says it is not shown because that question (by its number) was not answered."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    complete_leaving_open(quiz, {"lonely_direct"})
    number = next(
        n for n, item in enumerate(quiz.instrument.items, 1) if item.id == "lonely_direct"
    )
    question = quiz.instrument.item("lonely_direct").text.in_language(language)
    said = quiz.messages.text("results.survey_skipped", language, number=number, question=question)
    assert html.escape(said) in results_of(quiz)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_skipped_hours_question_says_what_the_plan_assumed(language: str) -> None:
    """The time a week skipped: the plan says it assumed 2–3 hours (the profile question's own
    label); answered, it says nothing of the kind."""
    quiz = build_quiz(query_string=f"lang={language}", today=DAY)
    complete(quiz)
    assumed = quiz.messages.text("plan.hours_assumed", language, hours="").split("「")[0][:8]
    assert html.escape(assumed) not in results_of(quiz)
    quiz.page = quiz.profile_index
    hours = next(q for q in quiz.profile_page.questions if q.question_id == "hours")
    hours.value = None
    quiz.next.click()
    label = next(
        o.label
        for q in quiz.instrument.profile
        if q.id == "hours"
        for o in q.options
        if o.code == "h3"
    )
    said = quiz.messages.text("plan.hours_assumed", language, hours=label.in_language(language))
    assert html.escape(said) in results_of(quiz)
