"""End-to-end fixtures: a real Voilà server with the repository's settings, and Debian's Chromium
driven by Playwright.

The server is started once per session as plain Voilà with what ``assess serve`` ships in the
package (its ``voila.json``; ``JUPYTER_PATH`` led by its ``jupyter`` folder so that the ``assess``
template is found), on a free port of 127.0.0.1, by the shared helper ``tests/voila_server.py``.  Each test gets a new Chromium with
a new, empty profile.

Nothing here skips: on a machine without Chromium or axe-core the tests fail and say what to
install, because CI must run them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright
from quizdriver import AXE_SCRIPT, CHROMIUM, Quiz, Recorder, fresh_chromium
from static_site import FIRST_VISIT_TIMEOUT, QUIZ_PAGE, SITE, StaticServer, serving
from voila_server import (
    REPO,
    ServerStartError,
    free_port,
    quiz_command,
    running,
    voila_environment,
)

SCREENSHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    """A Voilà server of the quiz, as ``make quiz`` runs it but on a free port."""
    port = free_port()
    log = REPO / "artifacts" / "voila-e2e.log"  # kept for a look after a failed run
    log.parent.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        with running(quiz_command(port), url, log, env=voila_environment()):
            yield url
    except ServerStartError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, per module: while it runs, its event loop is the thread's running
    loop, so it must be gone before the tests after these call asyncio.run()."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make test` as root (it installs it), or `sudo apt-get install chromium`."
        )
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"{AXE_SCRIPT} is missing: run `make test`, or `npm ci` in tests/e2e "
            "(it installs the pinned axe-core)."
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def context(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A fresh headless Chromium with a new, empty profile (user-data dir) for each test."""
    with fresh_chromium(playwright, tmp_path / "chromium-profile") as browser_context:
        yield browser_context


@pytest.fixture
def phone(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A new phone-sized Chromium (375×812) with an empty profile: a phone's first visit."""
    with fresh_chromium(playwright, tmp_path / "phone-profile", width=375, height=812) as context:
        yield context


@pytest.fixture
def recorder(context: BrowserContext) -> Iterator[Recorder]:
    """The context's page, recording console errors and every request from the first one.  A
    test that met a console error or a request to another host fails at teardown, even if it
    did not look itself."""
    browser_page = context.pages[0] if context.pages else context.new_page()
    watched = Recorder.attach(browser_page)
    yield watched
    problems = watched.problems()
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def page(recorder: Recorder) -> Page:
    return recorder.page


@pytest.fixture
def quiz(page: Page, voila_url: str) -> Quiz:
    """The quiz in this test's browser, not yet opened."""
    return Quiz(page, voila_url)


@pytest.fixture(scope="session")
def site_server() -> Iterator[StaticServer]:
    """The static site (``make site``) on a plain static file server, for the tests that run
    on both engines."""
    with serving(SITE, REPO / "artifacts" / "static-parity-server.log") as server:
        yield server


@pytest.fixture(params=["voila", "static"])
def either_quiz(request: pytest.FixtureRequest, page: Page) -> Quiz:
    """The quiz on either engine, not yet opened: Voilà's kernel on the server, or the static
    site's Python in the browser (one quiz, two engines: the same test must pass on both)."""
    if request.param == "voila":
        return Quiz(page, request.getfixturevalue("voila_url"))
    server: StaticServer = request.getfixturevalue("site_server")
    return Quiz(page, server.url + QUIZ_PAGE, widgets_timeout=FIRST_VISIT_TIMEOUT)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
