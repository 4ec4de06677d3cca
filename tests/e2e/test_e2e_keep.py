"""Keeping the answers on this device, under Voilà: the same opt-in as on the static site
(test_e2e_static.py), from the same page script (keep_on_device.html.j2), with the kernel on
the server.  A reload starts a new kernel, which takes the kept code from the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from quizdriver import WIDGETS_TIMEOUT, Quiz, Recorder, text, varied_choice

pytestmark = pytest.mark.browser

KEPT_KEY = "assess-kept"


def test_under_voila_a_reload_with_keeping_on_continues_and_forget_removes_the_answers(
    quiz: Quiz, recorder: Recorder
) -> None:
    """Ticked, one page answered: a reload (a new kernel) opens page 2 with page 1's answers;
    Forget removes the stored code."""
    quiz.open("en")
    box = quiz.page.get_by_role("checkbox", name=text("keep.label", "en"), exact=True)
    box.check()
    quiz.start()
    quiz.answer_page(1)
    quiz.next(1)
    quiz.page.wait_for_function(
        "key => (localStorage.getItem(key) || '').endsWith('|2')", arg=KEPT_KEY
    )
    quiz.page.reload()
    expect(quiz.app).to_be_visible(timeout=WIDGETS_TIMEOUT)
    # Leaving the page, Voilà's front end asks the server to shut the old kernel down, and the
    # server refuses it (403): the old kernel is culled when idle.  Not this test's subject.
    recorder.console_errors[:] = [
        error for error in recorder.console_errors if "/voila/api/shutdown/" not in error
    ]
    quiz.expect_page(2)
    quiz.back(2)
    for question_id in quiz.ids_on(1):
        expect(quiz.option(question_id, varied_choice(question_id))).to_be_checked()
    quiz.back_to_welcome()
    expect(box).to_be_checked()
    quiz.button("keep.forget").click()
    expect(quiz.page.locator(".assess-keep-status")).to_have_text(text("keep.forgotten", "en"))
    quiz.page.wait_for_function("key => localStorage.getItem(key) === null", arg=KEPT_KEY)
