"""What does the quiz cost a visitor and the server, against a blank notebook served the same way?

    .venv/bin/python benchmarks/voila_quiz.py [--visits 5] [--warmup 1] [--widget-floor]
        [--variant NAME=NOTEBOOK ...] [--timeout 90] [--think-ms 400] [--keep-env]

Starts standalone Voilà on 127.0.0.1 (free ports) with what `assess serve` ships in
src/assess/hosting: its `voila.json`, and its `jupyter` folder on JUPYTER_PATH, so that the
`assess` template is found; one server per notebook, since standalone Voilà serving one notebook
is how the quiz is served.  The notebooks: `notebooks/quiz.ipynb`; `benchmarks/blank.ipynb` (a
Markdown cell and one empty code cell), the baseline; optionally a one-button ipywidgets
notebook (`--widget-floor`: what any widget page costs) and quiz variants (`--variant`: a
notebook trying a change, driven like the quiz).  Headless Chromium (Debian's
`/usr/bin/chromium`, driven by Playwright) visits them in turn, interleaved and in rotating
order so that a busy neighbour on a shared machine slows all of them alike.  Every visit has a
fresh browser context (cold cache, as a workshop participant's first visit) and its kernel is
shut down through Voilà before the next visit starts; the servers stop at the end.

What is measured, per visit:

- **ready**, on the page's own clock (``performance.now()``, 0 = navigation start).  Quiz: the
  first question is interactive, i.e. a radio input of the first question page is rendered
  and enabled; a script in the page clicks Start on the first animation frame where the
  welcome text and its Start button are rendered and enabled (as fast as a visitor could).
  Blank: the cells are shown (Voilà's spinner gone, the Markdown heading rendered).  Widget
  floor: the button is rendered.
- **kernel CPU** (user + system seconds of the `ipykernel_launcher` process that Voilà started
  for the visit, found by the page's kernel id) and **kernel memory** (RSS and USS, psutil):
  sampled when the page is ready, before every Next click (the largest is "before results"),
  and once the results and their chart are shown.  A baseline is sampled when ready and again
  one second later; that later sample is its whole visit.
- **answer → next page**: each question page (and the profile page) is answered in the page,
  `--think-ms` pass (a visitor reads; the kernel settles the radio updates), then Next is
  clicked and the time until the next page's radio inputs are rendered and enabled is taken on
  the page's clock (to the animation frame).  The last Next leads to the results and is
  reported apart (scoring, the plan and the charts happen then).

Medians over visits, with their ratio to the blank's, are checked against the project's targets
(time to first question ≤ 1.2×, kernel CPU per visit ≤ 1.5×, kernel memory until the results
≤ 1.3×, answer → next page median < 150 ms).  The exit status does not depend on them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUIZ = ROOT / "notebooks" / "quiz.ipynb"
QUIZ_FILES = ROOT / "src" / "assess" / "hosting"  # what `assess serve` ships: voila.json, jupyter/
BLANK = ROOT / "benchmarks" / "blank.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Used only when voila.json is missing: the settings the quiz is meant to be served with.
FALLBACK_SETTINGS = [
    "--strip_sources=True",
    "--show_tracebacks=False",
    "--VoilaExecutor.iopub_timeout=60",
]
NEXT_PAGE_TARGET_MS = 150.0  # the ratio targets sit with their measures in report()
MB = 1024 * 1024

# Runs in the page before its own scripts: timestamps milestones on the page's clock, clicks
# Start as soon as it can be clicked, and notes when the kernel's websocket first answers.
PROBE = """
(() => {
  if (window.top !== window) return;
  const bench = (window.__bench = { kind: "__KIND__", marks: {} });
  const mark = (name) => { if (!(name in bench.marks)) bench.marks[name] = performance.now(); };
  const NativeWebSocket = window.WebSocket;
  const Probed = function (...args) {
    const socket = new NativeWebSocket(...args);
    socket.addEventListener("message", () => mark("kernel_message"), { once: true });
    return socket;
  };
  Probed.prototype = NativeWebSocket.prototype;
  for (const key of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Probed[key] = NativeWebSocket[key];
  window.WebSocket = Probed;
  const usable = (el) => !!el && !el.disabled && el.getClientRects().length > 0;
  const started = performance.now();
  const step = () => {
    if (performance.now() - started > __LIMIT_MS__) { mark("gave_up"); return; }
    const cells = document.getElementById("rendered_cells");
    if (cells && cells.style.display !== "none" && !document.getElementById("loading")) {
      mark("cells");
    }
    if (bench.kind === "blank") {
      if ("cells" in bench.marks && usable(cells.querySelector("h1"))) { mark("ready"); return; }
    } else if (bench.kind === "widget") {
      if (usable(document.querySelector("button.widget-button"))) { mark("ready"); return; }
    } else if (!("start_clicked" in bench.marks)) {
      const start = [...document.querySelectorAll(".assess-app button.assess-button.mod-primary")]
        .find(usable);
      if (usable(document.querySelector(".assess-welcome")) && start) {
        mark("welcome"); start.click(); mark("start_clicked");
      }
    } else if ([...document.querySelectorAll(".assess-question input[type=radio]")].some(usable)) {
      mark("ready"); return;
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})();
"""

# A floor for any widget page (--widget-floor): one button, nothing imported but ipywidgets.
WIDGET_FLOOR = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "f1",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets\n", "\n", "ipywidgets.Button(description='Start')"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

# Answers every question on the current page, waits `think` ms, clicks Next and resolves when the
# next page's questions (or the results, then their chart) are rendered, or after `limit` ms.
ANSWER_AND_NEXT = """
async ({ think, limit }) => {
  const usable = (el) => !!el && !el.disabled && el.getClientRects().length > 0;
  const radios = () => [...document.querySelectorAll(".assess-question input[type=radio]")]
    .filter(usable);
  const chart = () => [...document.querySelectorAll(".assess-chart .js-plotly-plot .main-svg")]
    .some(usable);
  const before = new Set(radios());
  for (const question of document.querySelectorAll(".assess-question")) {
    const options = [...question.querySelectorAll("input[type=radio]")].filter(usable);
    if (options.length && !options.some((o) => o.checked)) {
      options[Math.min(2, options.length - 1)].click();
    }
  }
  await new Promise((resolve) => setTimeout(resolve, think));
  const next = [...document.querySelectorAll(".assess-nav button.mod-primary")].find(usable);
  if (!next) return { outcome: "no-next", ms: null };
  const clicked = performance.now();
  next.click();
  let results = null;
  return await new Promise((resolve) => {
    const check = () => {
      const ms = performance.now() - clicked;
      if (results === null && usable(document.querySelector(".assess-code input"))) results = ms;
      if (results !== null) {
        if (chart()) resolve({ outcome: "results", ms: results, chart: ms });
        else if (ms > limit) resolve({ outcome: "results", ms: results, chart: null });
        else requestAnimationFrame(check);
      } else if (document.querySelector(".assess-alert")) {
        resolve({ outcome: "refused", ms });
      } else {
        const now = radios();
        if (now.length && now.every((r) => !before.has(r))) resolve({ outcome: "page", ms });
        else if (ms > limit) resolve({ outcome: "timeout", ms });
        else requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
}
"""


@dataclass
class Sample:
    cpu: float  # user + system seconds
    rss: int
    uss: int


@dataclass
class Visit:
    label: str  # "quiz", a variant's name, "blank" or "widget"
    marks: dict[str, float]
    ready: Sample
    end: Sample
    peak_before_results: Sample
    next_ms: list[float] = field(default_factory=list)
    results_ms: float | None = None
    chart_ms: float | None = None
    kernel_forced: bool = False  # Voilà's shutdown did not end the kernel within 10 s

    @property
    def ready_ms(self) -> float:
        return self.marks["ready"]


@dataclass
class Server:
    label: str
    role: str  # how the page is driven: "quiz", "blank" or "widget"
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def kernel(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process Voilà started for `kernel_id` (its connection file names it)."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                command = " ".join(child.cmdline())
                if "ipykernel_launcher" in command and f"kernel-{kernel_id}.json" in command:
                    return child
        return None

    def stop_kernel(self, kernel_id: str) -> bool:
        """Shut the kernel down through Voilà's own endpoint (the page's beacon lacks the xsrf
        token, so a double-submitted one is sent); True if it had to be terminated instead."""
        process = self.kernel(kernel_id)
        request = urllib.request.Request(
            f"{self.url}voila/api/shutdown/{kernel_id}",
            method="POST",
            headers={"Cookie": "_xsrf=benchmark", "X-XSRFToken": "benchmark"},
        )
        with contextlib.suppress(urllib.error.URLError, TimeoutError):
            urllib.request.urlopen(request, timeout=10).close()
        if process is None:
            return False
        _, alive = psutil.wait_procs([process], timeout=10)
        for leftover in alive:
            with contextlib.suppress(psutil.Error):
                leftover.terminate()
        psutil.wait_procs(alive, timeout=10)
        return bool(alive)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(label: str, role: str, notebook: Path, logs: Path, *, keep_env: bool) -> Server:
    """Voilà with what `assess serve` ships (src/assess/hosting: its voila.json, and its jupyter/
    folder on JUPYTER_PATH, for the template), on a free port."""
    port = free_port()
    env = dict(os.environ)
    share = QUIZ_FILES / "jupyter"
    if share.is_dir():
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(share), env.get("JUPYTER_PATH", "")) if p
        )
    if not keep_env:
        # A normal install caches compiled modules (__pycache__); some sandboxes turn that off,
        # which makes every kernel compile the package from source again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    arguments = [sys.executable, "-m", "voila", str(notebook), f"--port={port}"]
    arguments += ["--Voila.ip=127.0.0.1", "--no-browser"]
    if (QUIZ_FILES / "voila.json").is_file():
        arguments += [f"--Voila.config_file_paths={QUIZ_FILES}"]
    else:
        arguments += FALLBACK_SETTINGS
    log = logs / f"voila-{label}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            arguments, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila ({label}) exited:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return Server(label, role, process, port, log)
        time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    raise RuntimeError(f"voila ({label}) did not listen within 60 s:\n{log.read_text()[-2000:]}")


def stop_server(server: Server) -> None:
    kernels = []
    with contextlib.suppress(psutil.Error):
        kernels = psutil.Process(server.process.pid).children(recursive=True)
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)
    for kernel in kernels:  # only processes this server started
        with contextlib.suppress(psutil.Error):
            kernel.terminate()
    psutil.wait_procs(kernels, timeout=10)


def sample(process: psutil.Process) -> Sample:
    times = process.cpu_times()
    memory = process.memory_full_info()
    return Sample(times.user + times.system, memory.rss, memory.uss)


def larger(a: Sample, b: Sample) -> Sample:
    return Sample(max(a.cpu, b.cpu), max(a.rss, b.rss), max(a.uss, b.uss))


@contextlib.contextmanager
def open_page(browser: Browser, role: str, timeout_s: float) -> Iterator[Page]:
    """A page in a fresh browser context (cold cache, no cookies), closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(
            PROBE.replace("__KIND__", role).replace("__LIMIT_MS__", str(int(timeout_s * 1000)))
        )
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        yield page
    finally:
        context.close()


def visit(
    browser: Browser, server: Server, *, timeout_s: float, think_ms: int, max_pages: int
) -> Visit:
    """One visitor: open the page, reach the first question (or the blank's cells), then, for
    the quiz, answer every page and reach the results; the kernel is stopped at the end."""
    kernel_id = None
    result = None
    try:
        with open_page(browser, server.role, timeout_s) as page:
            page.goto(server.url, wait_until="commit")
            page.wait_for_function(
                "() => 'ready' in window.__bench.marks || 'gave_up' in window.__bench.marks",
                polling=50,
            )
            marks: dict[str, float] = page.evaluate("window.__bench.marks")
            if "ready" not in marks:
                raise RuntimeError(f"{server.label}: not ready within {timeout_s} s ({marks})")
            kernel_id = page.evaluate(
                "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
            )
            process = server.kernel(kernel_id)
            if process is None:
                raise RuntimeError(f"{server.label}: no kernel process for {kernel_id}")
            ready = sample(process)
            result = Visit(server.label, marks, ready, ready, ready)
            if server.role != "quiz":
                time.sleep(1.0)
                result.end = result.peak_before_results = sample(process)
                return result
            for _ in range(max_pages):
                result.peak_before_results = larger(result.peak_before_results, sample(process))
                step = page.evaluate(
                    ANSWER_AND_NEXT, {"think": think_ms, "limit": timeout_s * 1000}
                )
                if step["outcome"] == "page":
                    result.next_ms.append(step["ms"])
                elif step["outcome"] == "results":
                    result.results_ms, result.chart_ms = step["ms"], step["chart"]
                    break
                else:
                    raise RuntimeError(f"{server.label}: Next gave {step} after {result.next_ms}")
            else:
                raise RuntimeError(f"{server.label}: no results after {max_pages} pages")
            result.end = sample(process)
            return result
    finally:
        if kernel_id:
            forced = server.stop_kernel(kernel_id)
            if result is not None:
                result.kernel_forced = forced


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def show(value: float | None, width: int = 8, digits: int = 0) -> str:
    return f"{value:>{width}.{digits}f}" if value is not None else f"{'—':>{width}}"


def print_visits(visits: list[Visit]) -> None:
    columns = ["ready", "welcome", "cells", "kern.ws", "CPU rdy", "CPU pre", "CPU end", "RSS rdy"]
    columns += ["USS rdy", "RSS pre", "USS pre", "RSS end", "USS end", "next", "results", "chart"]
    width = max(len(v.label) for v in visits) + 4
    print(f"{'visit':<{width}}" + " ".join(f"{name:>8}" for name in columns))
    seen: dict[str, int] = {}
    for v in visits:
        seen[v.label] = seen.get(v.label, 0) + 1
        before = v.peak_before_results
        cells = [
            show(v.ready_ms),
            show(v.marks.get("welcome")),
            show(v.marks.get("cells")),
            show(v.marks.get("kernel_message")),
            show(v.ready.cpu, digits=2),
            show(before.cpu, digits=2),
            show(v.end.cpu, digits=2),
            *(show(n / MB, digits=1) for n in (v.ready.rss, v.ready.uss, before.rss, before.uss)),
            *(show(n / MB, digits=1) for n in (v.end.rss, v.end.uss)),
            show(median(v.next_ms) if v.next_ms else None),
            show(v.results_ms),
            show(v.chart_ms),
        ]
        print(f"{v.label + ' ' + str(seen[v.label]):<{width}}" + " ".join(cells))
    print(
        "ms on the page's clock from navigation start; welcome = Start clickable; cells = Voilà "
        "shows the cells; kern.ws = first kernel websocket message; CPU in kernel seconds; "
        "memory in MB; pre = largest before results; end = results shown (blank: 1 s after "
        "ready); next = median answer → next page; results/chart = answer → results, → chart"
    )
    forced = [v.label for v in visits if v.kernel_forced]
    if forced:
        print(f"warning: Voilà did not stop the kernel of {len(forced)} visit(s): {forced}")


# (measure, figure of a quiz visit, figure of a baseline visit, target ratio to the blank)
MEASURES: list[tuple[str, Callable[[Visit], float], Callable[[Visit], float], float | None]] = [
    ("time to first question, ms", lambda v: v.ready_ms, lambda v: v.ready_ms, 1.2),
    ("kernel CPU until first question, s", lambda v: v.ready.cpu, lambda v: v.end.cpu, None),
    ("kernel CPU per visit (to results), s", lambda v: v.end.cpu, lambda v: v.end.cpu, 1.5),
    (
        "kernel RSS before results (peak), MB",
        lambda v: v.peak_before_results.rss / MB,
        lambda v: v.end.rss / MB,
        1.3,
    ),
    (
        "kernel USS before results (peak), MB",
        lambda v: v.peak_before_results.uss / MB,
        lambda v: v.end.uss / MB,
        1.3,
    ),
    ("kernel RSS with results, MB", lambda v: v.end.rss / MB, lambda v: v.end.rss / MB, None),
    ("kernel USS with results, MB", lambda v: v.end.uss / MB, lambda v: v.end.uss / MB, None),
]


def report(visits: list[Visit], quizzes: list[str]) -> None:
    """The visits, then medians with their ratio to the blank and the verdict on each target."""
    print()
    print_visits(visits)
    by_label: dict[str, list[Visit]] = {}
    for v in visits:
        by_label.setdefault(v.label, []).append(v)
    blank = by_label["blank"]
    floor = by_label.get("widget", [])
    print()
    header = f"{'median over visits':<38}{'blank':>9}"
    header += f"{'1 widget':>16}" if floor else ""
    header += "".join(f"{label:>19}" for label in quizzes)
    print(header)
    for name, quiz_key, base_key, target in MEASURES:
        base = median([base_key(v) for v in blank])
        line = f"{name:<38}{base:>9.2f}"
        if floor:
            widget = median([base_key(v) for v in floor])
            line += f"{widget:>9.2f} {widget / base:>5.2f}×"
        for label in quizzes:
            figure = median([quiz_key(v) for v in by_label[label]])
            ratio = figure / base
            verdict = "" if target is None else ("  ok" if ratio <= target else "  NO")
            line += f"{figure:>9.2f} {ratio:>5.2f}×{verdict:<4}"
        print(line + (f"  target ≤{target:.1f}×" if target else ""))
    for label in quizzes:
        done = by_label[label]
        pages = [ms for v in done for ms in v.next_ms]
        turn = median(pages)
        print(
            f"{label}: answer → next page median {turn:.0f} ms, p90 {percentile(pages, 0.9):.0f} "
            f"ms, max {max(pages, default=float('nan')):.0f} ms over {len(pages)} page turns "
            f"(target median < {NEXT_PAGE_TARGET_MS:.0f} ms: "
            f"{'ok' if turn < NEXT_PAGE_TARGET_MS else 'NO'}); answer → results median "
            f"{median([v.results_ms for v in done if v.results_ms is not None]):.0f} ms, "
            f"→ chart drawn {median([v.chart_ms for v in done if v.chart_ms is not None]):.0f} ms"
        )


def versions(browser_version: str) -> str:
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("voila", "ipykernel", "ipywidgets", "playwright")
    )
    return (
        f"Python {platform.python_version()}, {packages}, Chromium {browser_version}; "
        f"{psutil.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )


def variant(text: str) -> tuple[str, Path]:
    name, _, path = text.partition("=")
    if not name or not path or name in ("quiz", "blank", "widget"):
        raise argparse.ArgumentTypeError("expected NAME=NOTEBOOK, NAME not quiz/blank/widget")
    return name, Path(path).resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5, help="measured visits of each notebook")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured visits of each first")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds for any one wait")
    parser.add_argument("--think-ms", type=int, default=400, help="pause between answer and Next")
    parser.add_argument("--max-pages", type=int, default=40)
    parser.add_argument(
        "--widget-floor",
        action="store_true",
        help="also measure a notebook showing one ipywidgets button (the floor of any widget page)",
    )
    parser.add_argument(
        "--variant",
        type=variant,
        action="append",
        default=[],
        metavar="NAME=NOTEBOOK",
        help="also measure another quiz notebook (e.g. one trying a change), driven like the quiz",
    )
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE if set (by default kernels may cache bytecode)",
    )
    arguments = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")

    voila_json = QUIZ_FILES / "voila.json"
    print(
        f"settings: {voila_json}: {json.loads(voila_json.read_text())}"
        if voila_json.is_file()
        else f"settings: voila.json missing, using {FALLBACK_SETTINGS}"
    )
    with tempfile.TemporaryDirectory(prefix="voila-bench-") as scratch:
        targets = [("quiz", "quiz", QUIZ)]
        targets += [(name, "quiz", path) for name, path in arguments.variant]
        targets.append(("blank", "blank", BLANK))
        if arguments.widget_floor:
            floor = Path(scratch) / "widget_floor.ipynb"
            floor.write_text(json.dumps(WIDGET_FLOOR))
            targets.append(("widget", "widget", floor))
        servers: list[Server] = []
        visits: list[Visit] = []
        try:
            for label, role, notebook in targets:
                servers.append(
                    start_server(label, role, notebook, Path(scratch), keep_env=arguments.keep_env)
                )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    print(versions(browser.version))
                    rounds = arguments.warmup + arguments.visits
                    for number in range(rounds):
                        # Rotate who goes first, so that no notebook always follows another.
                        shift = number % len(servers)
                        for server in servers[shift:] + servers[:shift]:
                            done = visit(
                                browser,
                                server,
                                timeout_s=arguments.timeout,
                                think_ms=arguments.think_ms,
                                max_pages=arguments.max_pages,
                            )
                            kind = "warm-up" if number < arguments.warmup else "visit"
                            print(
                                f"  {kind} {number + 1}/{rounds} {server.label}: ready "
                                f"{done.ready_ms:.0f} ms, kernel {done.end.cpu:.2f} s CPU",
                                flush=True,
                            )
                            if number >= arguments.warmup:
                                visits.append(done)
                finally:
                    browser.close()
        finally:
            for server in servers:
                stop_server(server)
    order = [label for label, _, _ in targets]
    visits.sort(key=lambda v: order.index(v.label))
    report(visits, [label for label, role, _ in targets if role == "quiz"])
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
