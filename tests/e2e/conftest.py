"""End-to-end fixtures: a real Voilà server with the repository's settings, and Debian's Chromium
driven by Playwright.

The server is started once per session exactly as ``make quiz`` starts it (working directory the
repository root, so that ``voila.json`` there is read; ``JUPYTER_PATH`` pointing at the
repository's ``share/jupyter`` so that the ``assess`` template is found), on a free port of
127.0.0.1.  Each test gets a new Chromium with a new, empty profile.

Nothing here skips: on a machine without Chromium or axe-core the tests fail and say what to
install, because CI must run them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright
from quizdriver import AXE_SCRIPT, STEP_TIMEOUT, Quiz, Recorder

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60.0  # seconds until Voilà answers HTTP at all
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll a static file of Voilà's (a GET of the page itself would start a kernel)."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"Voilà exited with code {server.returncode} before serving; its log:\n"
                + log.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(f"{url}voila/static/voila.js", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # the polling interval of a bounded loop, not a wait for the page
    pytest.fail(
        f"Voilà did not serve {url} within {SERVER_START_TIMEOUT:.0f} s; its log:\n"
        + log.read_text(errors="replace")[-4000:]
    )


def voila_environment() -> dict[str, str]:
    """The environment of ``make quiz``: the repository's templates first on JUPYTER_PATH."""
    env = dict(os.environ)
    shared = str(REPO / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (shared, env.get("JUPYTER_PATH")) if p)
    return env


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Voilà server of the quiz, as ``make quiz`` runs it but on a free port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [
        sys.executable,
        "-m",
        "voila",
        "notebooks/quiz.ipynb",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
    ]
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=REPO, env=voila_environment(), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_serving(url, server, log)
        yield url
    finally:
        server.terminate()  # Voilà shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
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
    profile = tmp_path / "chromium-profile"
    browser_context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    browser_context.set_default_timeout(STEP_TIMEOUT)
    try:
        yield browser_context
    finally:
        browser_context.close()
        shutil.rmtree(profile, ignore_errors=True)


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
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
