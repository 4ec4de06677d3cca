"""Since last time on the results page: an earlier result code, pasted to compare or restored
before finishing, shows the change per index and facet in words and in the chart."""

from __future__ import annotations

import base64
import datetime
import html
import json
import re
from pathlib import Path

import pytest
from fresh_quiz import answer_everything

from assess import default_instrument
from assess.app.roots import build_quiz
from assess.core.scoring import score
from assess.store.records import ResultRecord, new_progress_key
from assess.store.results import ResultStore
from assess.ui.charts import facet_bars_spec
from assess.ui.quiz import QuizApp
from assess.ui.resume import KEPT, Resume

EARLIER_DAY = datetime.date(2026, 11, 1)
TODAY = datetime.date(2026, 12, 7)


def code_from(day: datetime.date, *, choose: int) -> str:
    """The result code of a quiz taken on `day`, every question answered with option `choose`."""
    earlier = build_quiz(query_string="", today=day)
    answer_everything(earlier, choose=choose)
    assert earlier.result_code is not None
    return earlier.result_code


def since_text(quiz: QuizApp) -> str:
    """The since-last-time section as text ('' when there is none)."""
    assert quiz.results_page is not None
    return html.unescape(quiz.results_page.since.value)


@pytest.fixture
def today_quiz() -> QuizApp:
    quiz = build_quiz(query_string="", today=TODAY)
    answer_everything(quiz, choose=1)
    return quiz


EXPECTED = {
    "ja": ("前回からの変化", "2026年11月1日", "ほぼ同じ", "点ほどまでの変化", "仮に置いた値"),
    "en": ("Since last time", "1 November 2026", "about the same", "up to about", "assumed"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_same_answers_pasted_from_an_earlier_day_are_about_the_same(
    today_quiz: QuizApp, language: str
) -> None:
    """Nothing changed since then: every index and facet reads 'about the same', with what
    noise means here, in either language."""
    today_quiz.results_page.compare.field.value = code_from(EARLIER_DAY, choose=1)  # type: ignore[union-attr]
    today_quiz.results_page.compare.button.click()  # type: ignore[union-attr]
    today_quiz.language = language
    text = since_text(today_quiz)
    for expected in EXPECTED[language]:
        assert expected in text
    instrument = default_instrument()
    same = EXPECTED[language][2]
    assert text.count(same) >= len(instrument.facets) + len(instrument.indices)
    assert ("better" not in text) and ("よい方向" not in text)


def test_different_answers_show_changes_and_the_earlier_marks_in_the_chart(
    today_quiz: QuizApp,
) -> None:
    """Answers far apart: some parts changed beyond the noise, and the chart marks last time."""
    assert today_quiz.results_page is not None
    today_quiz.results_page.compare.field.value = code_from(EARLIER_DAY, choose=4)
    today_quiz.results_page.compare.button.click()
    text = since_text(today_quiz)
    assert "よい方向への変化" in text or "気をつけたい方向への変化" in text
    assert today_quiz.earlier is not None
    spec = facet_bars_spec(
        default_instrument(),
        today_quiz.results_page.outcome.result,
        index_id="isolation_risk",
        language="ja",
        earlier=today_quiz.earlier.result,
        legend=("今回", "前回"),
    )
    marks = [trace for trace in spec["data"] if trace.get("name") == "前回"]
    assert len(marks) == 1
    assert len(marks[0]["x"]) == len(default_instrument().facets_of("isolation_risk"))


@pytest.mark.parametrize("day", [TODAY, TODAY + datetime.timedelta(days=3)])
def test_a_code_of_today_or_later_is_not_compared(today_quiz: QuizApp, day: datetime.date) -> None:
    """Only an earlier day is last time: the box says so, and no comparison appears."""
    page = today_quiz.results_page
    assert page is not None
    page.compare.field.value = code_from(day, choose=1)
    page.compare.button.click()
    assert since_text(today_quiz) == ""
    assert "前の日付" in page.compare.notice.value


def test_a_mistyped_code_says_so_and_keeps_the_result(today_quiz: QuizApp) -> None:
    page = today_quiz.results_page
    assert page is not None
    page.compare.field.value = "not-a-code"
    page.compare.button.click()
    assert "読み取れませんでした" in html.unescape(page.compare.notice.value)
    assert today_quiz.results_page is page and since_text(today_quiz) == ""


def test_an_earlier_code_in_the_restore_box_while_a_result_is_shown_is_compared(
    today_quiz: QuizApp,
) -> None:
    """The restore box with today's result shown: an earlier day's code is last time's."""
    today_quiz.code_input.value = code_from(EARLIER_DAY, choose=1)
    today_quiz.restore.click()
    assert today_quiz.taken_on == TODAY
    assert "2026年11月1日" in since_text(today_quiz)


def test_a_code_restored_then_finished_today_is_compared_with() -> None:
    """Restore last time's code, change an answer, finish: today's result beside last time's."""
    quiz = build_quiz(query_string="", today=TODAY)
    quiz.code_input.value = code_from(EARLIER_DAY, choose=4)
    quiz.restore.click()
    assert quiz.taken_on == EARLIER_DAY and since_text(quiz) == ""
    quiz.results_page.edit.click()  # type: ignore[union-attr]
    quiz.next.click()  # the profile page: finish again, today
    assert quiz.taken_on == TODAY
    assert "2026年11月1日" in since_text(quiz)
    assert quiz.earlier is not None and quiz.earlier.result == score(
        default_instrument(), quiz.answers
    )


def offered(quiz: QuizApp, kind: str) -> str:
    """The text of the `kind` take-away the page offers now (its data: link), '' if none."""
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    link = html.unescape(quiz.results_page.downloads.links[kind].value)
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", link)
    return base64.b64decode(payload.group(1)).decode("utf-8") if payload else ""


def downloaded(quiz: QuizApp, kind: str) -> str:
    """The `kind` take-away, made now in the language shown."""
    assert quiz.results_page is not None and quiz.results_page.downloads is not None
    quiz.results_page.downloads.make(kind)
    return offered(quiz, kind)


def test_the_take_aways_carry_the_change_since_last_time(today_quiz: QuizApp) -> None:
    """Markdown made before the comparison is made again with it; JSON gives numbers by id."""
    assert today_quiz.results_page is not None
    assert "前回からの変化" not in downloaded(today_quiz, "markdown")
    today_quiz.results_page.compare.field.value = code_from(EARLIER_DAY, choose=4)
    today_quiz.results_page.compare.button.click()
    markdown = offered(today_quiz, "markdown")
    assert "## 前回からの変化" in markdown and "2026年11月1日" in markdown
    today_quiz.language = "en"
    assert "<h2>Since last time</h2>" in downloaded(today_quiz, "html")
    since = json.loads(downloaded(today_quiz, "json"))["since"]
    assert since["earlier_taken_on"] == "2026-11-01"
    assert {entry["id"] for entry in since["indices"]} == {"isolation_risk", "network_strength"}
    assert all(entry["verdict"] in ("better", "worse", "same", None) for entry in since["facets"])
    assert since["steps_then"]


def resume_of(quiz: QuizApp) -> Resume:
    return next(child for child in quiz.children if isinstance(child, Resume))


def published(quiz: QuizApp) -> dict[str, str]:
    """What the page's script reads from the hidden element: data-keep, data-past, ..."""
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', resume_of(quiz).out.value))


def test_with_keeping_on_a_finished_result_is_published_for_the_device() -> None:
    """Keeping on: today's result code goes into the list the page keeps; off: nothing."""
    for keep in (True, False):
        quiz = build_quiz(query_string="", today=TODAY)
        resume_of(quiz).keep.box.value = keep
        answer_everything(quiz, choose=1)
        assert (published(quiz).get("past") == quiz.result_code) is keep


def test_a_result_kept_on_the_device_is_compared_with_when_coming_back() -> None:
    """The page hands back last month's code (and a broken one): finishing today shows the
    change since then at once, and the kept result is listed by its date."""
    earlier = code_from(EARLIER_DAY, choose=4)
    quiz = build_quiz(query_string="", today=TODAY)
    resume_of(quiz).take(f"{KEPT}~{earlier},not-a-code!,AAAAAAAAAA")
    assert resume_of(quiz).keep.box.value is True
    answer_everything(quiz, choose=1)
    assert "2026年11月1日" in since_text(quiz)
    buttons = [
        child for row in resume_of(quiz).past.children for child in getattr(row, "children", ())
    ]
    assert [b.description for b in buttons if "assess-kept-compare" in b._dom_classes] == [
        "2026年11月1日の結果と比べる"
    ]
    assert published(quiz)["past"].split(",") == [quiz.result_code, earlier]


def test_a_kept_result_can_be_removed_and_all_forgotten() -> None:
    """Remove drops one code from what the page keeps; forget all empties it and says so."""
    earlier, older = (
        code_from(EARLIER_DAY, choose=4),
        code_from(EARLIER_DAY.replace(day=2), choose=3),
    )
    quiz = build_quiz(query_string="", today=TODAY)
    resume_of(quiz).take(f"{KEPT}~{earlier},{older}")
    answer_everything(quiz, choose=1)
    past = resume_of(quiz).past
    remove = next(
        child
        for row in past.children
        for child in getattr(row, "children", ())
        if "assess-kept-remove" in child._dom_classes and "11月1日" in child.description
    )
    remove.click()
    assert earlier not in published(quiz)["past"] and older in published(quiz)["past"]
    forget = next(
        child
        for child in past.children
        if "assess-kept-forget" in getattr(child, "_dom_classes", ())
    )
    forget.click()
    assert "past" not in published(quiz)
    assert "消しました" in html.unescape(past.children[0].value)
    quiz.language = "en"
    assert "gone" in past.children[0].value


def test_a_saved_result_opened_with_its_progress_key_is_compared_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where results are saved: the progress key given at saving, pasted in the compare box,
    brings that result beside today's; a key that opens none says so."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    earlier = build_quiz(query_string="", today=EARLIER_DAY)
    answer_everything(earlier, choose=4)
    key = new_progress_key()
    record = ResultRecord.create(
        default_instrument().id, default_instrument().version, EARLIER_DAY, earlier.answers
    )
    with ResultStore.open(url) as store:
        store.save(record, consent=True, key=key)
    quiz = build_quiz(query_string="", today=TODAY)
    answer_everything(quiz, choose=1)
    page = quiz.results_page
    assert page is not None
    assert "進捗キー" in page.compare.intro.value
    page.compare.field.value = new_progress_key()
    page.compare.button.click()
    assert "開ける保存結果はありませんでした" in page.compare.notice.value
    page.compare.field.value = f"  {key.lower()} "
    page.compare.button.click()
    assert "2026年11月1日" in since_text(quiz)
