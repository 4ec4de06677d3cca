"""The static quiz (``make site``) against its one-button floor, and what a visitor costs the
static server.  Figures and how to read them: benchmarks/README.md, "The static site".

Usage (after ``make site``)::

    .venv/bin/python benchmarks/static_site.py [--visitors 100] [--site site]

Measured in one run:

- time to first question on a first visit (a fresh Chromium profile) and a repeat visit (the same
  profile), for the quiz (``voici/render/quiz.html``: Start pressed, the first question shown)
  and for the floor built into the same site (``voici/render/floor.html``: one ipywidgets button,
  no app code), as ratios quiz / floor;
- bytes each visit transferred, counted at the server (the sizes of the files it answered 200
  for, the kernel's Web Worker included: the server's own access log);
- ``--visitors`` simultaneous visitors' worth of asset fetches against ``python -m http.server``
  (every file a first visit loads, over HTTP on 127.0.0.1): the server's CPU per visitor (psutil)
  and the p95 time for one visitor's files.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ACCESS_LINE = re.compile(r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')
TIMEOUT = 180_000  # ms


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``python -m http.server`` on 127.0.0.1 (what ``make site-serve`` runs), with its log."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(suffix=".log")[1])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
             str(site), str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.url + "jupyter-lite.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def answered(self) -> list[tuple[str, int]]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [(m["path"], int(m["status"])) for line in lines if (m := ACCESS_LINE.search(line))]

    def bytes_of(self, answered: list[tuple[str, int]]) -> int:
        total = 0
        for path, status in answered:
            if status == 200:
                file = self.site / urllib.request.url2pathname(path.split("?")[0].lstrip("/"))
                total += file.stat().st_size if file.is_file() else 0
        return total

    def cpu(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def time_to_first(page: Page, url: str, *, quiz: bool) -> float:
    """Seconds from navigation to the first question (quiz) or the button (floor)."""
    started = time.monotonic()
    page.goto(url)
    if quiz:
        start = page.locator(".assess-welcome ~ * button, .assess-app button").filter(
            has_text=re.compile("はじめる|Start")
        )
        start.first.wait_for(timeout=TIMEOUT)
        start.first.click()
        page.locator(".assess-question").first.wait_for(timeout=TIMEOUT)
    else:
        page.locator(".widget-button").first.wait_for(timeout=TIMEOUT)
    return time.monotonic() - started


def browser_visits(server: Server) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    with sync_playwright() as driver:
        for name, path, quiz in (
            ("floor", "voici/render/floor.html", False),
            ("quiz", "voici/render/quiz.html", True),
        ):
            with tempfile.TemporaryDirectory() as profile:
                context = driver.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                page = context.pages[0]
                for visit in ("first", "repeat"):
                    before = len(server.answered())
                    seconds = time_to_first(page, server.url + path, quiz=quiz)
                    page.wait_for_timeout(1500)  # let the service worker's refetches land
                    answered = server.answered()[before:]
                    figures.setdefault(name, {})[f"{visit} s"] = seconds
                    figures[name][f"{visit} MB"] = server.bytes_of(answered) / 1e6
                    figures[name][f"{visit} requests"] = len(answered)
                    if visit == "first" and quiz:
                        figures["_paths"] = {p: 0 for p, s in answered if s == 200}
                    page.goto("about:blank")
                context.close()
    return figures


def one_visitor(url: str, paths: list[str]) -> float:
    started = time.monotonic()
    for path in paths:
        with urllib.request.urlopen(url + path.lstrip("/"), timeout=120) as response:
            while response.read(1 << 16):
                pass
    return time.monotonic() - started


def load(server: Server, paths: list[str], visitors: int) -> dict[str, float]:
    cpu_before = server.cpu()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=visitors) as pool:
        durations = list(pool.map(lambda _: one_visitor(server.url, paths), range(visitors)))
    wall = time.monotonic() - started
    cpu = server.cpu() - cpu_before
    durations.sort()
    return {
        "visitors": visitors,
        "files per visitor": len(paths),
        "server CPU s": cpu,
        "server CPU per visitor ms": 1000 * cpu / visitors,
        "p50 s": statistics.median(durations),
        "p95 s": durations[max(0, int(0.95 * len(durations)) - 1)],
        "wall s": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--visitors", type=int, default=100)
    args = parser.parse_args()
    if not (args.site / ".built").exists():
        sys.exit(f"{args.site} is not built: run `make site`")
    server = Server(args.site)
    try:
        figures = browser_visits(server)
        paths = list(figures.pop("_paths"))
        for visit in ("first", "repeat"):
            quiz, floor = figures["quiz"][f"{visit} s"], figures["floor"][f"{visit} s"]
            print(
                f"{visit} visit: quiz {quiz:.1f} s, floor {floor:.1f} s "
                f"({quiz / floor:.2f}×); bytes quiz {figures['quiz'][f'{visit} MB']:.1f} MB "
                f"in {figures['quiz'][f'{visit} requests']:.0f} requests, floor "
                f"{figures['floor'][f'{visit} MB']:.1f} MB"
            )
        result = load(server, paths, args.visitors)
        print(
            f"{result['visitors']} visitors x {result['files per visitor']} files: server CPU "
            f"{result['server CPU s']:.1f} s ({result['server CPU per visitor ms']:.0f} ms per "
            f"visitor), p50 {result['p50 s']:.1f} s, p95 {result['p95 s']:.1f} s, all done in "
            f"{result['wall s']:.1f} s; load average {psutil.getloadavg()[0]:.1f}"
        )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
