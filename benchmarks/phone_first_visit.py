"""A phone's first visit, on both engines, through a link shaped like Slow 4G and Fast 4G: what a
person sees and when, and what it costs in bytes.  Figures and targets: benchmarks/README.md,
"A phone's first visit".

Usage (after ``make site``)::

    .venv/bin/python benchmarks/phone_first_visit.py [--engines static,voila]
        [--profiles slow,fast] [--read 30] [--timeout 300]

For each engine (the static site served by ``sitebuild/serve.py`` as ``make site-serve`` serves
it; the quiz served by ``assess serve``) and each link (``tests/throttle.py``: Slow 4G 1.6 Mbit/s
down, 750 kbit/s up, 150 ms round trip; Fast 4G 9 Mbit/s, 1.5 Mbit/s, 60 ms; one link shared by
every connection of the page, its Web Worker and its service worker), a new Chromium at
375×812 with an empty profile visits the shared link (cold), then visits it again with the
same profile (warm).  On the page's clock from the navigation's start:

- **first text**: the first paint with content (``first-contentful-paint``);
- **welcome readable**: the first page's welcome and its "help now" line shown, and the bytes
  the link had carried down by then;
- **question, Start at once**: Start pressed as soon as it can be (the first page's button,
  before Python is ready), until a radio button of the first question is shown and enabled;
- **quiz ready**: Python has drawn the quiz's widgets (still behind the first page);
- **question after reading** (cold visits, ``--read`` s): a second cold visit in which the person
  reads the welcome for that long before pressing Start; the wait is from the press to the
  question.  Then the person answers every question at a reading pace (``--pace`` s a
  question) and presses Next after each page: **longest page turn** is the longest wait from
  a press of Next to the next page's first question usable (the first page's own pages before
  Python is ready, the quiz's after the hand-over), **results** the wait from the last Next to
  the results, and **same result** whether the result code equals that of the same answers
  given with Python already running (``tests/e2e/quizdriver.py``'s sample answers);
- **bytes**: everything the link carried down in the visit, up to the first question.

Unthrottled, the static site's quiz is compared with the one-button floor built into the same
site (``voici/render/floor.html``, its button shown).  CPU is not slowed down (a phone's is
slower than this machine's: read the Python start-up figures as a lower bound).  One run.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

sys.path[:0] = [str(ROOT / "tests" / "e2e")]
from quizdriver import PROFILE_PAGE, Quiz, sample_code, varied_choice  # noqa: E402
from throttle import FAST_4G, SLOW_4G, UNTHROTTLED, LinkProfile, ThrottledLink  # noqa: E402
from voila_server import free_port  # noqa: E402

PROFILES = {"slow": SLOW_4G, "fast": FAST_4G}
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 812}
QUESTION = ".assess-question input[type=radio]:not([disabled])"
QUIZ_DRAWN = ".assess-app .assess-resume-in input"
WELCOME = '.assess-first[lang="ja"] .assess-welcome'
HELP_NOW = '.assess-first[lang="ja"] .assess-help-now summary'
START = '.assess-first[lang="ja"] .assess-first-start'
SINCE_NAVIGATION = "() => performance.now()"
FIRST_PAINT = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return paint ? paint.startTime : null;
}"""


@dataclass
class Visit:
    engine: str
    link: str
    cache: str
    first_text: float | None = None
    readable: float | None = None
    bytes_readable: int | None = None
    question: float | None = None
    bytes_question: int | None = None
    wait_after_reading: float | None = None
    quiz_ready: float | None = None
    longest_turn: float | None = None
    results: float | None = None
    same_result: bool | None = None
    note: str = ""


@contextlib.contextmanager
def serving(command: list[str], url: str, log: Path) -> Iterator[None]:
    """A server started for the run, stopped after it; waits (bounded) until it answers."""
    with log.open("w") as sink:
        process = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=5):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"the server did not start: see {log}") from None
                    time.sleep(0.2)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def static_server(port: int, log: Path) -> contextlib.AbstractContextManager[None]:
    command = [sys.executable, "sitebuild/serve.py", "--directory", "site", "--port", str(port)]
    return serving(command, f"http://127.0.0.1:{port}/jupyter-lite.json", log)


def voila_server(port: int, log: Path) -> contextlib.AbstractContextManager[None]:
    command = [str(ROOT / ".venv" / "bin" / "assess"), "serve", "--port", str(port)]
    return serving(command, f"http://127.0.0.1:{port}/voila/static/voila.js", log)


def new_phone(playwright: Playwright, profile: Path) -> BrowserContext:
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, viewport=PHONE,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    )  # fmt: skip
    context.set_default_timeout(60_000)
    return context


def seconds(page: Page) -> float:
    return float(page.evaluate(SINCE_NAVIGATION)) / 1000


def visit(
    context: BrowserContext,
    link: ThrottledLink,
    url: str,
    record: Visit,
    *,
    timeout: float,
    read_for: float | None = None,
    pace: float = 6.0,
) -> Visit:
    """One visit: the first page, then Start (at once, or after reading), then the question;
    after reading, every question at `pace` s each, to the results."""
    link.reset_counters()
    time.sleep(0.2)  # the reset runs on the link's loop
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        page.wait_for_selector(WELCOME, state="visible", timeout=timeout * 1000)
        page.wait_for_selector(HELP_NOW, state="visible", timeout=timeout * 1000)
        record.readable, record.bytes_readable = seconds(page), link.bytes_down
        paint = page.evaluate(FIRST_PAINT)
        record.first_text = None if paint is None else paint / 1000
        if read_for:
            page.wait_for_timeout(read_for * 1000)  # the person reads: the point of the figure
        start = page.locator(START)
        pressed = seconds(page)
        if start.count():
            start.click()
        else:  # already handed over to the quiz
            page.get_by_role("button", name="はじめる", exact=True).click()
        page.wait_for_selector(QUESTION, state="visible", timeout=timeout * 1000)
        shown = seconds(page)
        record.bytes_question = link.bytes_down
        if read_for:
            record.wait_after_reading = shown - pressed
            answer_at_pace(page, record, pace=pace, timeout=timeout)
        else:
            record.question = shown
            page.wait_for_selector(QUIZ_DRAWN, state="attached", timeout=timeout * 1000)
            record.quiz_ready = seconds(page)
    except Exception as error:  # a missed target is a figure, not a crash
        record.note = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
        record.bytes_question = link.bytes_down
    finally:
        page.close()
    return record


def visible(page: Page, selector: str) -> str:
    return f"{selector} >> visible=true"


def answer_at_pace(page: Page, record: Visit, *, pace: float, timeout: float) -> None:
    """Every question at `pace` s, Next after each page: the longest wait for a page, the wait
    for the results, and whether they are those of the same answers given to the quiz."""
    turns = []
    for number in range(1, PROFILE_PAGE + 1):
        for question_id in Quiz.ids_on(number):
            page.wait_for_timeout(pace * 1000)  # reading the question: the point of the figure
            question = page.locator(visible(page, f'.assess-question:has([id="q-{question_id}"])'))
            question.locator("input[type=radio]").nth(varied_choice(question_id)).check()
        pressed = seconds(page)
        page.locator(visible(page, ".assess-nav button.mod-primary")).first.click()
        if number == PROFILE_PAGE:
            page.wait_for_selector(".assess-app .assess-card", state="visible",
                                   timeout=timeout * 1000)  # fmt: skip
            record.results = seconds(page) - pressed
            break
        following = Quiz.ids_on(number + 1)[0]
        page.wait_for_selector(
            visible(page, f'.assess-question:has([id="q-{following}"]) '
                          "input[type=radio]:not([disabled])"),
            timeout=timeout * 1000,
        )  # fmt: skip
        turns.append(seconds(page) - pressed)
    record.longest_turn = max(turns)
    code = page.locator(".assess-code input").input_value(timeout=timeout * 1000)
    record.same_result = code == sample_code()


def floor_visit(playwright: Playwright, port: int, timeout: float) -> float | None:
    """The one-button floor of the same site, unthrottled, cold: its button shown."""
    with tempfile.TemporaryDirectory() as profile:
        context = new_phone(playwright, Path(profile))
        try:
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/voici/render/floor.html", wait_until="commit")
            page.wait_for_selector("button.jupyter-button", state="visible", timeout=timeout * 1000)
            return seconds(page)
        finally:
            context.close()


def run_engine(
    playwright: Playwright,
    engine: str,
    port: int,
    profiles: list[LinkProfile],
    *,
    read_for: float,
    pace: float,
    timeout: float,
) -> list[Visit]:
    visits = []
    for profile in profiles:
        with ThrottledLink(port, profile=profile) as link:
            url = f"http://127.0.0.1:{link.port}/"
            with tempfile.TemporaryDirectory() as folder:
                context = new_phone(playwright, Path(folder))
                try:
                    for cache in ("cold", "warm"):
                        record = Visit(engine, profile.name, cache)
                        visits.append(visit(context, link, url, record, timeout=timeout))
                        print(record, flush=True)
                finally:
                    context.close()
            if read_for and profile is not UNTHROTTLED:
                with tempfile.TemporaryDirectory() as folder:
                    context = new_phone(playwright, Path(folder))
                    try:
                        record = Visit(engine, profile.name, f"cold, reads {read_for:.0f} s")
                        visits.append(
                            visit(
                                context,
                                link,
                                url,
                                record,
                                timeout=timeout,
                                read_for=read_for,
                                pace=pace,
                            )
                        )
                        print(record, flush=True)
                    finally:
                        context.close()
    return visits


def show(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "KB":
        return f"{value / 1000:,.0f} KB"
    if unit == "MB":
        return f"{value / 1e6:.2f} MB"
    return f"{value:.1f} s"


def report(visits: list[Visit], floor: float | None) -> None:
    print("\n| engine | link | cache | first text | welcome readable (bytes) | first question "
          "(Start at once) | quiz ready | wait after reading | longest page turn | results | "
          "same result | bytes to the question | note |")  # fmt: skip
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for v in visits:
        same = "—" if v.same_result is None else ("yes" if v.same_result else "NO")
        print(
            f"| {v.engine} | {v.link} | {v.cache} | {show(v.first_text, 's')} | "
            f"{show(v.readable, 's')} ({show(v.bytes_readable, 'KB')}) | {show(v.question, 's')} | "
            f"{show(v.quiz_ready, 's')} | {show(v.wait_after_reading, 's')} | "
            f"{show(v.longest_turn, 's')} | {show(v.results, 's')} | {same} | "
            f"{show(v.bytes_question, 'MB')} | {v.note} |"
        )
    if floor is not None:
        print(f"\nstatic floor (one button, unthrottled, cold): {floor:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="static,voila")
    parser.add_argument("--profiles", default="slow,fast")
    parser.add_argument("--read", type=float, default=30.0, help="s of reading before Start")
    parser.add_argument("--pace", type=float, default=6.0, help="s of reading per question")
    parser.add_argument("--timeout", type=float, default=300.0, help="s per step at most")
    args = parser.parse_args()
    profiles = [PROFILES[name] for name in args.profiles.split(",")]
    logs = ROOT / "artifacts"
    logs.mkdir(exist_ok=True)
    visits: list[Visit] = []
    floor = None
    with sync_playwright() as playwright:
        for engine in args.engines.split(","):
            port = free_port()
            server = static_server if engine == "static" else voila_server
            with server(port, logs / f"phone-first-visit-{engine}.log"):
                visits += run_engine(
                    playwright, engine, port, [*profiles, UNTHROTTLED],
                    read_for=args.read, pace=args.pace, timeout=args.timeout,
                )  # fmt: skip
                if engine == "static":
                    floor = floor_visit(playwright, port, args.timeout)
    report(visits, floor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
