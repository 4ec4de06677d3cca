"""After a lost kernel the quiz continues from the code its page kept: the same answers, the
same page, nothing asked of the server."""

from __future__ import annotations

import datetime
import re

import pytest

from assess.app.roots import build_quiz
from assess.ui.resume import IN_CLASS, KEEP_CLASS, KEPT, OUT_CLASS, Resume

DAY = datetime.date(2026, 11, 26)


def _resume(app: object) -> Resume:
    found = [child for child in app.children if isinstance(child, Resume)]  # type: ignore[attr-defined]
    assert len(found) == 1
    return found[0]


def _answered_to_page_two() -> tuple[object, str]:
    app = build_quiz(query_string="", today=DAY)
    app.page = 1
    first = app.question_pages[0]
    first.fill(dict.fromkeys(first.ids, 3))
    app.page = 2
    held = re.search(r'data-code="([^"]+)" data-page="(\d+)"', _resume(app).out.value)
    assert held is not None
    return app, f"{held.group(1)}|{held.group(2)}"


def test_the_page_holds_a_code_of_the_answers_so_far() -> None:
    """Answers on the first page and a move to the second: the hidden element carries both."""
    app, code = _answered_to_page_two()
    resume = _resume(app)
    assert code.endswith("|2")
    assert OUT_CLASS in resume.out._dom_classes and IN_CLASS in resume.field._dom_classes


def test_a_new_kernel_continues_where_the_person_was() -> None:
    """The code handed to a new quiz: same answers, same page."""
    app, code = _answered_to_page_two()
    fresh = build_quiz(query_string="", today=DAY)
    _resume(fresh).field.value = code
    assert fresh.page == 2
    assert fresh.answers == app.answers  # type: ignore[attr-defined]


@pytest.mark.parametrize("kept", [False, True])
def test_every_answer_is_published_at_once(kept: bool) -> None:
    """The code follows every answer, kept on the device or not: a kernel lost (culled,
    crashed) costs no answer, not even one of the page shown."""
    app = build_quiz(query_string="", today=DAY)
    resume = _resume(app)
    resume.keep.box.value = kept
    app.page = 1
    first = app.question_pages[0]
    first.fill({first.ids[0]: 3})
    published = _held(app)
    assert published["page"] == "1" and "code" in published
    fresh = build_quiz(query_string="", today=DAY)
    _resume(fresh).field.value = f"{published['code']}|{published['page']}"
    assert fresh.page == 1
    assert fresh.answers == app.answers  # type: ignore[attr-defined]
    app.page = 2
    assert 'data-page="2"' in resume.out.value and "data-code" in resume.out.value


@pytest.mark.parametrize(
    "text", ["", "x", "AAAA|1", "A" * 700 + "|1", "not a code at all|2", "\x00|1"]
)
def test_anything_but_a_resume_code_changes_nothing(text: str) -> None:
    """A forged field: the quiz stays on its welcome page with no answers."""
    fresh = build_quiz(query_string="", today=DAY)
    assert _resume(fresh).take(text) is False
    assert fresh.page == 0 and not fresh.answers.responses


# --- keeping the answers on this device (opt-in) ----------------------------------------------


def _held(app: object) -> dict[str, str]:
    """The attributes of the element the page's script reads."""
    return dict(re.findall(r'data-(\w+)="([^"]*)"', _resume(app).out.value))


def test_keeping_is_off_until_the_person_ticks_the_box() -> None:
    """A new quiz offers the box unticked on its welcome page, and says keeping is off."""
    app = build_quiz(query_string="", today=DAY)
    keep = _resume(app).keep
    assert keep in app.welcome.children  # type: ignore[attr-defined]
    assert keep.box.value is False and KEEP_CLASS in keep.box._dom_classes
    assert _held(app) == {"keep": "0"}


def test_the_box_sits_before_start_on_the_welcome_page() -> None:
    """Chosen before the first answer: the box comes before Start."""
    app = build_quiz(query_string="", today=DAY)
    children = list(app.welcome.children)  # type: ignore[attr-defined]
    assert children.index(_resume(app).keep) < children.index(app.start)  # type: ignore[attr-defined]


def test_with_the_box_ticked_the_code_says_keep_it() -> None:
    """Ticked: the element carries the code and data-keep="1"; unticked again: "0"."""
    app, code = _answered_to_page_two()
    resume = _resume(app)
    resume.keep.box.value = True
    assert _held(app)["keep"] == "1" and f"{_held(app)['code']}|{_held(app)['page']}" == code
    resume.keep.box.value = False
    assert _held(app)["keep"] == "0"


def test_a_kept_code_ticks_the_box_and_restores_the_answers() -> None:
    """The page hands back "kept:" + code: same answers, same page, the box ticked again."""
    app, code = _answered_to_page_two()
    fresh = build_quiz(query_string="", today=DAY)
    _resume(fresh).field.value = KEPT + code
    assert fresh.page == 2 and fresh.answers == app.answers  # type: ignore[attr-defined]
    assert _resume(fresh).keep.box.value is True
    assert _held(fresh)["keep"] == "1" and _held(fresh)["code"] == code.split("|")[0]


@pytest.mark.parametrize(
    "damaged", ["", "garbage", "AAAAAAAAAAAA|2", "A" * 700 + "|1", "kept:kept:x", "\x00|1"]
)
def test_a_damaged_kept_code_starts_afresh_with_the_box_still_ticked(damaged: str) -> None:
    """Nothing restored, nothing said, the welcome page; the element says keep with no code, so
    the page overwrites what it had."""
    fresh = build_quiz(query_string="", today=DAY)
    assert _resume(fresh).take(KEPT + damaged) is False
    assert fresh.page == 0 and not fresh.answers.responses
    assert _resume(fresh).keep.box.value is True
    assert _held(fresh) == {"keep": "1"}
    assert fresh.nav.notice.value == ""  # type: ignore[attr-defined]


def test_forget_unticks_the_box_and_says_the_answers_are_gone() -> None:
    """Forget: keeping is off (the page removes the stored code) and the page says so."""
    app, _code = _answered_to_page_two()
    keep = _resume(app).keep
    keep.box.value = True
    assert keep.forget.layout.display == ""
    keep.forget.click()
    assert keep.box.value is False and _held(app)["keep"] == "0"
    assert "この端末に残していた回答を消しました" in keep.status.value
    assert keep.forget.layout.display == "none"


def test_a_forged_forget_with_the_box_unticked_says_nothing() -> None:
    """Forget is shown only while keeping is on; a click sent anyway changes nothing."""
    app = build_quiz(query_string="", today=DAY)
    keep = _resume(app).keep
    keep.forget.click()
    assert keep.status.value == "" and keep.box.value is False


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_box_speaks_the_page_language_and_follows_the_switch(language: str) -> None:
    """Labelled in the page's language, relabelled in place by the switch (status included)."""
    other = "en" if language == "ja" else "ja"
    app = build_quiz(query_string=f"lang={language}", today=DAY)
    keep = _resume(app).keep
    messages = app.messages  # type: ignore[attr-defined]
    assert keep.box.description == messages.text("keep.label", language)
    keep.box.value = True
    keep.forget.click()
    app.language = other  # type: ignore[attr-defined]
    assert keep.box.description == messages.text("keep.label", other)
    assert keep.forget.description == messages.text("keep.forget", other)
    assert messages.text("keep.forgotten", other) in keep.status.value
    assert messages.text("keep.note", other) in keep.note.value
