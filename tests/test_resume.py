"""After a lost kernel the quiz continues from the code its page kept: the same answers, the
same page, nothing asked of the server."""

from __future__ import annotations

import datetime
import re

import pytest

from assess.app.roots import build_quiz
from assess.ui.resume import IN_CLASS, OUT_CLASS, Resume

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


@pytest.mark.parametrize(
    "text", ["", "x", "AAAA|1", "A" * 700 + "|1", "not a code at all|2", "\x00|1"]
)
def test_anything_but_a_resume_code_changes_nothing(text: str) -> None:
    """A forged field: the quiz stays on its welcome page with no answers."""
    fresh = build_quiz(query_string="", today=DAY)
    assert _resume(fresh).take(text) is False
    assert fresh.page == 0 and not fresh.answers.responses
