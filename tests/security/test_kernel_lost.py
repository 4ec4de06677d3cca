"""A kernel that goes away does not strand its visitor: within seconds the page says so, in
the page's language, and offers to continue; after the reload the answers given so far and the
page the person was on come back, from the code the page kept (in the browser, not the server).

In Debian's Chromium against a real ``assess serve``: the visitor answers the first page, goes
on to the second, and then their kernel is shut down (as the idle cull or the memory ceiling
would), by the page's own request to the server; or its process is killed (as the out-of-memory
killer would), and Jupyter restarts a blank kernel under the same id.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect, sync_playwright
from voila_server import ServerStartError, free_port, served_as_assess_serve

from assess.hosting.serve import ServeOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from quizdriver import WIDGETS_TIMEOUT, Quiz, varied_choice

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = "/usr/bin/chromium"
SAID_WITHIN = 10.0  # seconds from the kernel's end to the message on the page
CRASH_SAID_WITHIN = 2.0  # seconds from a kernel's crash to the message (the guard ticks each 1 s)
MESSAGES = {
    "ja": ("接続が切れました", "続きから再開する"),
    "en": ("The connection was lost", "Continue where I left off"),
}


@pytest.fixture(scope="module")
def quiz_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    options = ServeOptions(port=free_port(), max_kernels=6, kernels_per_address=6)
    log = tmp_path_factory.mktemp("kernel-lost") / "server.log"
    url = f"http://127.0.0.1:{options.port}/"
    try:
        with served_as_assess_serve(options, url, log):
            yield url
    except ServerStartError as error:
        pytest.fail(str(error))


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def _end_own_kernel(page: Page) -> int:
    """What the idle cull does to the page's kernel, asked for by the page itself (its
    cookie is the key to its kernel)."""
    return int(
        page.evaluate(
            """async () => {
              const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
              const response = await fetch(config.baseUrl + "api/kernels/" + config.kernelId,
                                           {method: "DELETE", credentials: "same-origin"});
              return response.status;
            }"""
        )
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_lost_kernel_is_announced_and_the_quiz_continues_where_it_was(
    quiz_url: str, page: Page, language: str
) -> None:
    """Answers on page 1, then page 2; the kernel ends: a message in the page's language
    within seconds; Continue: page 2 again, with page 1's answers."""
    quiz = Quiz(page, quiz_url).open(language if language == "en" else None)
    quiz.start()
    quiz.answer_page(1)
    first_page = [quiz.option(q, 0).is_checked() for q in quiz.ids_on(1)]
    quiz.next(1)
    expect(page.locator(".assess-resume-out [data-code]")).to_have_count(1)

    assert _end_own_kernel(page) == 204
    ended = time.monotonic()
    said, button = MESSAGES[language]
    alert = page.locator(".assess-kernel-lost")
    expect(alert).to_contain_text(said, timeout=SAID_WITHIN * 1000)
    seconds = time.monotonic() - ended
    assert alert.get_attribute("lang") == language
    print(f"the page said its kernel was gone after {seconds:.1f} s")

    page.get_by_role("button", name=button).click()
    expect(page.locator(".assess-app")).to_be_visible(timeout=WIDGETS_TIMEOUT)
    quiz.expect_page(2)
    quiz.back(2)
    assert [quiz.option(q, 0).is_checked() for q in quiz.ids_on(1)] == first_page


def _kernel_id(page: Page) -> str:
    return str(
        page.evaluate(
            'JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId'
        )
    )


def _kill_kernel_process(kernel_id: str) -> None:
    """What the out-of-memory killer does: SIGKILL to the kernel's process (found by the
    connection file named after its id on its command line)."""
    found = [
        process
        for process in psutil.process_iter(["cmdline"])
        if any(kernel_id in part for part in process.info["cmdline"] or [])
    ]
    assert len(found) == 1, f"{len(found)} processes for the kernel"
    found[0].send_signal(signal.SIGKILL)


def test_a_crashed_kernel_is_announced_and_continue_keeps_every_answer(
    quiz_url: str, page: Page
) -> None:
    """Page 1 answered, two answers on page 2; the kernel's process is killed: the message
    within 2 s; Continue: page 2 with its two answers, and page 1's."""
    quiz = Quiz(page, quiz_url).open()
    quiz.start()
    quiz.answer_page(1)
    first_page = [quiz.option(q, varied_choice(q)).is_checked() for q in quiz.ids_on(1)]
    quiz.next(1)
    held = page.locator(".assess-resume-out [data-code]")
    expect(held).to_have_attribute("data-page", "2")
    turned = held.get_attribute("data-code") or ""
    answered = quiz.ids_on(2)[:2]
    for question_id in answered:
        quiz.answer(question_id, varied_choice(question_id))
    expect(held).not_to_have_attribute("data-code", turned)  # the page's answers are kept too

    _kill_kernel_process(_kernel_id(page))
    killed = time.monotonic()
    said, button = MESSAGES["ja"]
    expect(page.locator(".assess-kernel-lost")).to_contain_text(said, timeout=SAID_WITHIN * 1000)
    seconds = time.monotonic() - killed
    print(f"the page said its kernel had crashed after {seconds:.1f} s")
    assert seconds <= CRASH_SAID_WITHIN

    page.get_by_role("button", name=button).click()
    expect(page.locator(".assess-app")).to_be_visible(timeout=WIDGETS_TIMEOUT)
    quiz.expect_page(2)
    for question_id in answered:
        expect(quiz.option(question_id, varied_choice(question_id))).to_be_checked()
    quiz.back(2)
    assert [quiz.option(q, varied_choice(q)).is_checked() for q in quiz.ids_on(1)] == first_page
