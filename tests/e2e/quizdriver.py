"""The quiz page as a person uses it: open, answer, go on, switch language, read the results.

Every step waits for what it expects to see (Playwright's auto-waiting `expect`), never for a
fixed time.  What to expect is computed from the shipped question bank and wording, so that the
tests follow the data when the team edits it.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    expect,
)

from assess.core.model import Answers
from assess.core.result_code import encode_result
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.languages import default_languages
from assess.datafiles.messages import default_messages
from assess.render.early_pages import question_pages

AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
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
WIDGETS_TIMEOUT = 60_000  # ms: the first page waits for a kernel to start and run the notebook
STEP_TIMEOUT = 20_000  # ms: one round trip to the kernel on a busy 2-core machine, with margin

INSTRUMENT = load_instrument(default_instrument_path())
MESSAGES = default_messages()
_ITEMS = [item.id for item in INSTRUMENT.items]
QUESTION_PAGES: list[list[str]] = [
    [item.id for item in page] for page in question_pages(INSTRUMENT)
]
PROFILE = [question.id for question in INSTRUMENT.profile]
PROFILE_PAGE = len(QUESTION_PAGES) + 1
"""The number of the profile page, which is also the `pages` that the progress text counts."""
_OPTION_COUNTS = {
    **{item.id: len(item.scale.options) for item in INSTRUMENT.items},
    **{question.id: len(question.options) for question in INSTRUMENT.profile},
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

expect.set_options(timeout=STEP_TIMEOUT)


def text(key: str, language: str, **values: object) -> str:
    """A sentence of the UI, as the app words it."""
    return MESSAGES.text(key, language, **values)


def varied_choice(question_id: str) -> int:
    """A spread of answers (not all the same option), fixed so that runs are comparable."""
    position = (_ITEMS + PROFILE).index(question_id)
    return (position * 2 + 1) % _OPTION_COUNTS[question_id]


def question_text(question_id: str, language: str) -> str:
    if question_id in PROFILE:
        return next(q.text for q in INSTRUMENT.profile if q.id == question_id).in_language(language)
    return INSTRUMENT.item(question_id).text.in_language(language)


def sample_answers(choose: Callable[[str], int] = varied_choice) -> Answers:
    """Answers to every question and the profile, as `choose` picks the options."""
    responses = {item.id: item.scale.options[choose(item.id)].value for item in INSTRUMENT.items}
    profile = {q.id: q.options[choose(q.id)].code for q in INSTRUMENT.profile}
    return Answers(responses, profile)


def sample_code(answers: Answers | None = None) -> str:
    """A result code made the way the app makes one, for reaching the results page quickly."""
    return encode_result(INSTRUMENT, answers or sample_answers(), datetime.date.today())


KEPT_OFF_LINE_STARTS = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿーゝゞヽヾ々、。，．・：；？！）」』】〕〉》"
"""Characters Japanese typesetting keeps off the start of a line (JIS X 4051's 行頭禁則)."""

_LINE_STARTS = """(selector) => {
    const starts = [];
    for (const element of document.querySelectorAll(selector)) {
        if (!element.getClientRects().length) continue;
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let lineTop = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect || rect.width === 0) continue;
                if (lineTop !== null && rect.top > lineTop + rect.height / 2) {
                    starts.push([element.textContent.trim(), node.data[i]]);
                }
                if (lineTop === null || rect.top > lineTop + rect.height / 2) lineTop = rect.top;
            }
        }
    }
    return starts;
}"""


def line_starts(page: Page, selector: str) -> list[tuple[str, str]]:
    """(text of the element, first character) of every line but the first of each shown element
    matching `selector`, measured per character (a new line: a character box lower than the
    line's)."""
    found: list[list[str]] = page.evaluate(_LINE_STARTS, selector)
    return [(element, start) for element, start in found]


def is_local(url: str) -> bool:
    """A request that stays on this machine: loopback over HTTP(S)/WS(S), or inline data."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class Recorder:
    """Everything a page said on its console and every request (and WebSocket) it opened."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page: Page) -> Recorder:
        recorder = cls(page)
        page.on("console", recorder._on_console)
        page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))
        page.on("request", recorder._on_request)
        # WebSockets are not requests to Playwright: record them too (the kernel's channel).
        page.on("websocket", lambda socket: recorder.requests.append(socket.url))
        return recorder

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} (at {message.location})")

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def problems(self) -> list[str]:
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"uncaught page error: {e}" for e in self.page_errors]
        found += [f"request leaving 127.0.0.1: {u[:200]}" for u in self.outside_requests()]
        return found


class Quiz:
    """One visitor's page of the quiz."""

    def __init__(
        self, page: Page, base_url: str, *, widgets_timeout: int = WIDGETS_TIMEOUT
    ) -> None:
        self.page = page
        self.base_url = base_url
        self.language = "ja"
        # The static site starts Python in the browser itself: a longer first wait.
        self.widgets_timeout = widgets_timeout

    # --- getting there ------------------------------------------------------------------------

    def open(self, language: str | None = None) -> Quiz:
        """Open the welcome page (``?lang=en`` for English) and wait for its widgets."""
        self.language = language or "ja"
        # Voilà sends the page once the notebook has run: its load waits for the kernel too.
        query = "?lang=en" if language == "en" else ""
        self.page.goto(self.base_url + query, timeout=self.widgets_timeout)
        app = self.page.locator(".assess-app")
        expect(app).to_be_visible(timeout=self.widgets_timeout)
        expect(self.button("welcome.start")).to_be_visible(timeout=self.widgets_timeout)
        return self

    def start(self) -> None:
        self.button("welcome.start").click()
        self.expect_page(1)

    # --- what is on the page ------------------------------------------------------------------

    def button(self, key: str) -> Locator:
        return self.page.get_by_role("button", name=text(key, self.language), exact=True)

    @property
    def app(self) -> Locator:
        return self.page.locator(".assess-app")

    @property
    def progress(self) -> Locator:
        return self.page.locator(".assess-progress")

    @property
    def notice(self) -> Locator:
        return self.page.locator(".assess-notice .assess-alert")

    def question(self, question_id: str) -> Locator:
        return self.page.locator(".assess-question").filter(
            has=self.page.locator(f'[id="q-{question_id}"]')
        )

    def option(self, question_id: str, position: int) -> Locator:
        return self.question(question_id).locator("input[type=radio]").nth(position)

    @staticmethod
    def ids_on(number: int) -> list[str]:
        return PROFILE if number == PROFILE_PAGE else QUESTION_PAGES[number - 1]

    def expect_page(self, number: int) -> None:
        """Wait until question page `number` (the profile for the last) is the one shown."""
        expected = text("quiz.progress", self.language, page=number, pages=PROFILE_PAGE)
        expect(self.progress).to_have_text(expected)
        ids = self.ids_on(number)
        expect(self.page.locator(".assess-question")).to_have_count(len(ids))
        for question_id in (ids[0], ids[-1]):
            expect(self.question(question_id)).to_be_visible()

    # --- doing things -------------------------------------------------------------------------

    def answer(self, question_id: str, position: int) -> None:
        option = self.option(question_id, position)
        option.check()
        expect(option).to_be_checked()

    def answer_page(self, number: int, choose: Callable[[str], int] = varied_choice) -> None:
        for question_id in self.ids_on(number):
            self.answer(question_id, choose(question_id))

    def next(self, number: int) -> None:
        """Press Next on page `number` and wait for the page after it."""
        self.button("nav.next").click()
        if number == PROFILE_PAGE:
            self.expect_results()
        else:
            self.expect_page(number + 1)

    def back(self, number: int) -> None:
        """Press Back on page `number` (> 1) and wait for the page before it."""
        self.button("nav.back").click()
        self.expect_page(number - 1)

    def switch_language(self, language: str) -> None:
        """Press the language switch and wait until the page speaks `language`."""
        self.page.locator(
            ".assess-language button", has_text=default_languages()[language].name
        ).click()
        self.language = language
        expect(self.page.locator("h1.assess-title")).to_have_text(text("app.title", language))

    def complete(self, choose: Callable[[str], int] = varied_choice) -> None:
        """From the welcome page: start, answer every question and the profile, see results."""
        self.start()
        for number in range(1, PROFILE_PAGE + 1):
            self.answer_page(number, choose)
            self.next(number)

    def back_to_welcome(self) -> None:
        """Press Back on the first question page and wait for the welcome page."""
        self.button("nav.back").click()
        expect(self.button("welcome.start")).to_be_visible()
        expect(self.page.locator(".assess-question")).to_have_count(0)

    def restore(self, code: str) -> None:
        """On the welcome page: paste a result code, press the button, wait for the results."""
        field = self.page.locator(".assess-restore input")
        field.fill(code)
        self.button("restore.button").click()
        self.expect_results()

    # --- the results --------------------------------------------------------------------------

    def expect_results(self) -> None:
        """Wait until the results are drawn: both index cards, the chart and the plan."""
        expect(self.page.locator(".assess-card")).to_have_count(len(INSTRUMENT.indices))
        chart = self.page.locator(".assess-chart .js-plotly-plot, .assess-chart svg.main-svg")
        expect(chart.first).to_be_visible()
        expect(self.page.locator(".assess-code input")).not_to_have_value("")
        # Plotly draws a chart at its default 700 px first and then fits it to its box: the page
        # is finished when every chart output holds a chart that fits.
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.assess-app .widget-output')].every(out => {
                const svg = out.querySelector('.js-plotly-plot svg.main-svg');
                return svg !== null
                    && svg.getBoundingClientRect().width <= out.getBoundingClientRect().width + 1;
            })"""
        )

    def scores(self) -> list[str]:
        return self.page.locator(".assess-card .assess-score").all_inner_texts()

    def result_code(self) -> str:
        return self.page.locator(".assess-code input").input_value()

    # --- checks -------------------------------------------------------------------------------

    def sideways_scrolling(self) -> list[str]:
        """What a person could scroll sideways: the document (its scrollWidth beyond the window)
        and, because Voilà's lab template scrolls inside ``#rendered_cells`` rather than the
        document, any element that scrolls horizontally itself.  Empty when nothing does."""
        found: list[str] = self.page.evaluate(
            """() => {
                const found = [];
                const doc = document.scrollingElement;
                if (doc.scrollWidth > window.innerWidth + 1) {
                    found.push(`document: scrollWidth ${doc.scrollWidth} > ${window.innerWidth}`);
                }
                for (const el of document.querySelectorAll('*')) {
                    const overflowX = getComputedStyle(el).overflowX;
                    if (/(auto|scroll)/.test(overflowX) && el.scrollWidth > el.clientWidth + 1
                            && el.getClientRects().length > 0) {
                        const name = el.id ? `#${el.id}` : `.${[...el.classList].join('.')}`;
                        found.push(`${name}: scrollWidth ${el.scrollWidth} > ${el.clientWidth}`);
                    }
                }
                return found;
            }"""
        )
        return found

    def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core's violations on the whole document, as {id, impact, help, targets}."""
        self.page.add_script_tag(path=str(AXE_SCRIPT))
        violations: list[dict[str, Any]] = self.page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ['violations']});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                }));
            }"""
        )
        return violations

    def screenshot(self, folder: Path, name: str) -> Path:
        """The whole page as a PNG.  The lab template scrolls inside ``#rendered_cells``, so a
        "full page" screenshot would stop at the window: the window is made as tall as the
        content for the picture, then put back."""
        path = folder / f"{name}.png"
        viewport = self.page.viewport_size
        assert viewport is not None
        height = self.page.evaluate(
            "() => Math.max(document.scrollingElement.scrollHeight,"
            " document.getElementById('rendered_cells')?.scrollHeight ?? 0)"
        )
        self.page.set_viewport_size({"width": viewport["width"], "height": int(height)})
        try:
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(viewport)
        return path


@contextlib.contextmanager
def fresh_chromium(
    playwright: Playwright, profile: Path, *, width: int = 1280, height: int = 900
) -> Iterator[BrowserContext]:
    """A headless Chromium with a new, empty profile (user-data dir) at `profile`, removed after."""
    browser_context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": width, "height": height},
        accept_downloads=True,
    )
    browser_context.set_default_timeout(STEP_TIMEOUT)
    try:
        yield browser_context
    finally:
        browser_context.close()
        shutil.rmtree(profile, ignore_errors=True)
