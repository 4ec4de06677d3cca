"""The static site (``make site``): the same quiz, Python running in the visitor's browser, served
by a plain static file server on 127.0.0.1 that this module starts.

Every request is counted twice: at the server (its access log sees the kernel's Web Worker too,
which the page's own request events do not) and by a route on the browser context that refuses,
and records, anything bound for another host.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Route, expect
from quizdriver import INSTRUMENT, PROFILE_PAGE, Quiz, Recorder, text, varied_choice
from static_site import (
    FIRST_VISIT_TIMEOUT,
    QUIZ_PAGE,
    SITE,
    StaticServer,
    serving,
)
from voila_server import REPO

from assess.core.result_code import decode_result

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def static_server() -> Iterator[StaticServer]:
    with serving(SITE, REPO / "artifacts" / "static-server.log") as server:
        yield server


@pytest.fixture
def elsewhere(context: BrowserContext, static_server: StaticServer) -> list[str]:
    """Every request of the browser context bound for another origin, refused and recorded
    (the route sees the kernel's Web Worker too)."""
    refused: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(static_server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused


@pytest.fixture
def static_quiz(recorder: Recorder, static_server: StaticServer, elsewhere: list[str]) -> Quiz:
    return Quiz(recorder.page, static_server.url + QUIZ_PAGE, widgets_timeout=FIRST_VISIT_TIMEOUT)


def test_a_visitor_takes_the_whole_quiz_in_the_browser_and_nothing_leaves_the_origin(
    static_quiz: Quiz,
    recorder: Recorder,
    static_server: StaticServer,
    elsewhere: list[str],
    screenshots: Path,
) -> None:
    """Welcome (saying nothing is kept, no save box) → every page → results with both charts
    drawn and the plan; every request, the Web Worker's included, went to the static server."""
    quiz = static_quiz.open()
    expect(quiz.app).to_contain_text(text("welcome.privacy_in_browser", "ja"))
    quiz.screenshot(screenshots, "static-ja-1-welcome")
    quiz.start()
    for number in range(1, PROFILE_PAGE + 1):
        quiz.answer_page(number)
        quiz.next(number)
    quiz.expect_results()
    assert len(quiz.scores()) == 2
    expect(quiz.page.locator("button.assess-make-download")).to_have_count(4)
    expect(quiz.app).not_to_contain_text(text("save.button", "ja"))
    quiz.screenshot(screenshots, "static-ja-2-results")

    assert elsewhere == []
    assert recorder.outside_requests() == []
    served = static_server.requests()
    paths = {path.split("?")[0] for _, path, _ in served}
    # The worker's own fetches reached the server: Pyodide's core, the lock and the wheels.
    for worker_file in ("pyodide.asm.wasm", "pyodide-lock.json", "python_stdlib.zip"):
        assert f"/static/pyodide/{worker_file}" in paths
    assert any(re.fullmatch(r"/static/pyodide/assess-[^/]+\.whl", p) for p in paths)
    failed = [(path, status) for _, path, status in served if status >= 400]
    assert failed == []


def test_a_link_with_lang_en_opens_the_static_quiz_in_english(
    static_quiz: Quiz, elsewhere: list[str]
) -> None:
    """?lang=en reaches the browser's kernel as the page's query string, as under Voilà."""
    quiz = static_quiz.open("en")
    expect(quiz.app).to_contain_text(text("welcome.time", "en"))
    expect(quiz.app).to_contain_text(text("welcome.privacy_in_browser", "en"))
    # The Voilà page's script runs on the static page too (sitebuild/build.py).
    expect(quiz.page.locator("html")).to_have_attribute("lang", "en")
    assert elsewhere == []


def test_after_one_visit_the_quiz_opens_and_runs_with_the_server_gone(
    context: BrowserContext,
) -> None:
    """JupyterLite's service worker keeps the first visit; with the server stopped, a reload
    still shows the quiz and its Python still answers (the first page's Next works).  Console
    errors are expected here (the contents index cannot be fetched), so no Recorder."""
    page = context.pages[0] if context.pages else context.new_page()
    with serving(SITE, REPO / "artifacts" / "static-offline-server.log") as server:
        quiz = Quiz(page, server.url + QUIZ_PAGE, widgets_timeout=FIRST_VISIT_TIMEOUT)
        quiz.open()
        # The page itself is kept once the worker controls it (sitebuild/build.py).
        page.wait_for_function(
            """async () => !!(await (await caches.open("precache")).match(location.href))"""
        )
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(server.url + "jupyter-lite.json", timeout=2)
    quiz.page.reload()
    expect(quiz.app).to_be_visible(timeout=FIRST_VISIT_TIMEOUT)
    quiz.start()
    quiz.answer_page(1)
    quiz.next(1)


# --- keeping the answers on this device (opt-in; src/assess/ui/resume.py) -----------------------

KEPT_KEY = "assess-kept"  # keep_on_device.html.j2


def local_storage(quiz: Quiz) -> dict[str, str]:
    return dict(quiz.page.evaluate("() => Object.fromEntries(Object.entries(localStorage))"))


def keep_box(quiz: Quiz) -> Locator:
    return quiz.page.get_by_role("checkbox", name=text("keep.label", quiz.language), exact=True)


def reopen(quiz: Quiz) -> None:
    """Reload the page and wait for the quiz's widgets (Python starts again in the page)."""
    quiz.page.reload()
    expect(quiz.app).to_be_visible(timeout=FIRST_VISIT_TIMEOUT)
    expect(quiz.page.locator(".assess-resume-out [data-keep]")).to_be_attached(
        timeout=FIRST_VISIT_TIMEOUT
    )


def answer_first_page_and_go_on(quiz: Quiz) -> dict[str, int]:
    """Start, answer the first page, Next: the quiz then publishes the code for page 2."""
    quiz.start()
    quiz.answer_page(1)
    quiz.next(1)
    expect(quiz.page.locator('.assess-resume-out [data-code][data-page="2"]')).to_be_attached()
    return {question_id: varied_choice(question_id) for question_id in quiz.ids_on(1)}


def test_with_keeping_on_a_reload_continues_and_forget_removes_the_answers(
    static_quiz: Quiz, screenshots: Path
) -> None:
    """Box ticked: the code of the answers is in localStorage; a reload opens page 2 with page
    1's answers; Forget on the welcome page removes it, and the next reload starts afresh."""
    quiz = static_quiz.open()
    box = keep_box(quiz)
    expect(box).not_to_be_checked()
    expect(quiz.button("keep.forget")).to_be_hidden()
    box.check()
    expect(quiz.button("keep.forget")).to_be_visible()
    quiz.screenshot(screenshots, "static-ja-keep-welcome")
    chosen = answer_first_page_and_go_on(quiz)
    quiz.page.wait_for_function(
        "key => (localStorage.getItem(key) || '').endsWith('|2')", arg=KEPT_KEY
    )
    code, _page = local_storage(quiz)[KEPT_KEY].split("|")
    answers, _taken_on = decode_result(INSTRUMENT, code)
    positions = {q: [o.value for o in INSTRUMENT.item(q).scale.options] for q in chosen}
    assert answers.responses == {q: positions[q][i] for q, i in chosen.items()}

    reopen(quiz)
    quiz.expect_page(2)
    quiz.back(2)
    for question_id, position in chosen.items():
        expect(quiz.option(question_id, position)).to_be_checked()
    quiz.back_to_welcome()
    expect(box).to_be_checked()

    quiz.button("keep.forget").click()
    expect(quiz.page.locator(".assess-keep-status")).to_have_text(text("keep.forgotten", "ja"))
    expect(box).not_to_be_checked()
    quiz.page.wait_for_function("key => localStorage.getItem(key) === null", arg=KEPT_KEY)
    reopen(quiz)
    expect(quiz.button("welcome.start")).to_be_visible()
    expect(keep_box(quiz)).not_to_be_checked()
    expect(quiz.page.locator(".assess-question")).to_have_count(0)
    assert KEPT_KEY not in local_storage(quiz)


def test_with_keeping_off_nothing_is_stored_and_a_reload_starts_afresh(static_quiz: Quiz) -> None:
    """Box left unticked: after a page of answers localStorage holds neither the key nor the
    code; a reload shows the welcome page with no answer."""
    quiz = static_quiz.open()
    answer_first_page_and_go_on(quiz)
    code = quiz.page.locator(".assess-resume-out [data-code]").get_attribute("data-code")
    assert code
    stored = local_storage(quiz)
    assert KEPT_KEY not in stored
    assert not [key for key, value in stored.items() if code in value]

    reopen(quiz)
    expect(quiz.page.locator('.assess-resume-out [data-keep="0"]')).to_be_attached()
    expect(quiz.button("welcome.start")).to_be_visible()
    expect(keep_box(quiz)).not_to_be_checked()
    quiz.start()
    for question_id in quiz.ids_on(1):
        expect(quiz.option(question_id, varied_choice(question_id))).not_to_be_checked()
    assert KEPT_KEY not in local_storage(quiz)


def test_a_damaged_kept_code_is_dropped_quietly_and_the_quiz_starts_afresh(
    static_quiz: Quiz,
) -> None:
    """A stored code that is not one (in English here): the welcome page, the box still ticked,
    no alert, and the damaged code replaced."""
    quiz = static_quiz.open("en")
    quiz.page.evaluate("key => localStorage.setItem(key, 'not-a-code|3')", KEPT_KEY)
    reopen(quiz)
    expect(keep_box(quiz)).to_be_checked()
    expect(quiz.button("welcome.start")).to_be_visible()
    expect(quiz.page.locator(".assess-question")).to_have_count(0)
    expect(quiz.notice).to_have_count(0)
    quiz.page.wait_for_function("key => localStorage.getItem(key) === ''", arg=KEPT_KEY)
