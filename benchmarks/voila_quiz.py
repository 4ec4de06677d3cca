"""What does the quiz cost a visitor and the server, against a blank notebook served the same way?

    .venv/bin/python benchmarks/voila_quiz.py [--visits 5] [--warmup 1] [--timeout 90]

Starts two standalone Voilà servers on 127.0.0.1 (free ports), with the quiz's settings: run from
the repository root, so that `voila.json` is read, and with `share/jupyter` on JUPYTER_PATH, so
that the `assess` template is found.  One serves `notebooks/quiz.ipynb`, the other
`benchmarks/blank.ipynb` (a Markdown cell and one empty code cell).  Headless Chromium (Debian's
`/usr/bin/chromium`, driven by Playwright) visits them in turn, quiz and blank interleaved so
that a busy neighbour on a shared machine slows both alike; every visit has a fresh browser
context (cold cache, like a workshop participant's first visit) and its kernel is shut down
before the next visit starts.

What is measured, per visit:

- **ready**: on the page's own clock (``performance.now()``, 0 = navigation start).  Quiz: the
  first question is interactive, i.e. a radio input of the first question page is rendered
  and enabled; a script in the page clicks Start on the first animation frame where the
  welcome page and its Start button are rendered and enabled (as fast as a visitor could).
  Blank: the cells are shown (Voilà's spinner gone, the Markdown heading rendered).
- **kernel CPU** (user + system seconds of the `ipykernel_launcher` process that Voilà started
  for the visit, found by the page's kernel id) and **kernel memory** (RSS and USS, psutil):
  sampled when the page is ready, before every Next click (the largest is "before results"),
  and when the results (with the chart) are shown.  The blank is sampled when ready and again
  one second later; its later sample is its whole visit.
- **answer → next page**: each question page (and the profile page) is answered in the page,
  `--think-ms` pass (a visitor reads; the kernel settles the radio updates), then Next is
  clicked and the time to the next page's radio inputs being rendered and enabled is taken on
  the page's clock (to the animation frame).  The last Next leads to the results and is
  reported apart (scoring, the plan and plotly load then).

Ratios are quiz / blank on the medians over visits, checked against the targets of issue 4.
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUIZ = ROOT / "notebooks" / "quiz.ipynb"
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
TARGETS = {"ready": 1.2, "cpu": 1.5, "memory": 1.3, "next_ms": 150.0}
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
    if (bench.kind === "blank") {
      const cells = document.getElementById("rendered_cells");
      if (cells && cells.style.display !== "none" && !document.getElementById("loading")
          && usable(cells.querySelector("h1"))) { mark("cells"); mark("ready"); return; }
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

# Answers every question on the current page, waits `think` ms, clicks Next and resolves when the
# next page's questions (or the results) are rendered and enabled, or after `limit` ms.
ANSWER_AND_NEXT = """
async ({ think, limit }) => {
  const usable = (el) => !!el && !el.disabled && el.getClientRects().length > 0;
  const radios = () => [...document.querySelectorAll(".assess-question input[type=radio]")]
    .filter(usable);
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
  return await new Promise((resolve) => {
    const check = () => {
      const ms = performance.now() - clicked;
      if (usable(document.querySelector(".assess-code input"))) {
        resolve({ outcome: "results", ms });
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

CHART_SHOWN = """
() => [...document.querySelectorAll(".assess-chart .js-plotly-plot .main-svg")]
  .some((el) => el.getClientRects().length > 0)
"""


@dataclass
class Sample:
    cpu: float  # user + system seconds
    rss: int
    uss: int


@dataclass
class Visit:
    kind: str
    marks: dict[str, float]
    ready: Sample
    end: Sample
    peak_before_results: Sample
    next_ms: list[float] = field(default_factory=list)
    results_ms: float | None = None
    chart_ms: float | None = None

    @property
    def ready_ms(self) -> float:
        return self.marks["ready"]


@dataclass
class Server:
    kind: str
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

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Voilà's own shutdown endpoint, with a double-submitted xsrf token."""
        request = urllib.request.Request(
            f"{self.url}voila/api/shutdown/{kernel_id}",
            method="POST",
            headers={"Cookie": "_xsrf=benchmark", "X-XSRFToken": "benchmark"},
        )
        with contextlib.suppress(urllib.error.URLError, TimeoutError):
            urllib.request.urlopen(request, timeout=10).close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(kind: str, notebook: Path, logs: Path, *, keep_env: bool) -> Server:
    port = free_port()
    env = dict(os.environ)
    share = ROOT / "share" / "jupyter"
    if share.is_dir():
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(share), env.get("JUPYTER_PATH", "")) if p
        )
    if not keep_env:
        # A normal install caches compiled modules (__pycache__); some sandboxes turn that off,
        # which makes every kernel recompile the package from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    arguments = [
        sys.executable,
        "-m",
        "voila",
        str(notebook.relative_to(ROOT)),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
    ]
    if not (ROOT / "voila.json").is_file():
        arguments += FALLBACK_SETTINGS
    log = logs / f"voila-{kind}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            arguments, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila ({kind}) exited; see {log}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return Server(kind, process, port, log)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"voila ({kind}) did not listen within 60 s; see {log}")


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
def open_page(browser: Browser, kind: str, timeout_s: float) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(
            PROBE.replace("__KIND__", kind).replace("__LIMIT_MS__", str(int(timeout_s * 1000)))
        )
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        yield page
    finally:
        context.close()


def visit(
    browser: Browser, server: Server, *, timeout_s: float, think_ms: int, max_pages: int
) -> Visit:
    kernel_id = None
    try:
        with open_page(browser, server.kind, timeout_s) as page:
            page.goto(server.url, wait_until="commit")
            page.wait_for_function(
                "() => 'ready' in window.__bench.marks || 'gave_up' in window.__bench.marks",
                polling=50,
            )
            marks: dict[str, float] = page.evaluate("window.__bench.marks")
            if "ready" not in marks:
                raise RuntimeError(f"{server.kind}: not ready within {timeout_s} s ({marks})")
            kernel_id = page.evaluate(
                "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
            )
            process = server.kernel(kernel_id)
            if process is None:
                raise RuntimeError(f"{server.kind}: no kernel process for {kernel_id}")
            ready = sample(process)
            result = Visit(server.kind, marks, ready, ready, ready)
            if server.kind == "blank":
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
                    result.results_ms = step["ms"]
                    break
                else:
                    raise RuntimeError(f"quiz: Next gave {step} after {result.next_ms}")
            else:
                raise RuntimeError(f"quiz: no results after {max_pages} pages")
            clicked = time.perf_counter()
            with contextlib.suppress(Exception):
                page.wait_for_function(CHART_SHOWN, polling="raf", timeout=15_000)
                result.chart_ms = result.results_ms + (time.perf_counter() - clicked) * 1000
            result.end = sample(process)
            return result
    finally:
        if kernel_id:
            stop_kernel(server, kernel_id)


def stop_kernel(server: Server, kernel_id: str) -> None:
    process = server.kernel(kernel_id)
    server.shutdown_kernel(kernel_id)
    if process is not None:
        _, alive = psutil.wait_procs([process], timeout=10)
        for leftover in alive:
            with contextlib.suppress(psutil.Error):
                leftover.terminate()


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def show(value: float | None, fmt: str) -> str:
    return format(value, fmt) if value is not None else "—"


def report(visits: list[Visit]) -> bool:
    quiz = [v for v in visits if v.kind == "quiz"]
    blank = [v for v in visits if v.kind == "blank"]
    print()
    print(
        f"{'visit':<8} {'ready ms':>8} {'welcome':>8} {'kern.ws':>8} {'cpu@rdy':>8} "
        f"{'cpu end':>8} {'RSS@rdy':>8} {'USS@rdy':>8} {'RSS pre':>8} {'USS pre':>8} "
        f"{'RSS end':>8} {'USS end':>8} {'next ms':>8} {'results':>8} {'chart':>8}"
    )
    seen: dict[str, int] = {}
    for v in visits:
        seen[v.kind] = seen.get(v.kind, 0) + 1
        print(
            f"{v.kind + ' ' + str(seen[v.kind]):<8} {v.ready_ms:>8.0f} "
            f"{show(v.marks.get('welcome'), '>8.0f'):>8} "
            f"{show(v.marks.get('kernel_message'), '>8.0f'):>8} "
            f"{v.ready.cpu:>8.2f} {v.end.cpu:>8.2f} {v.ready.rss / MB:>8.1f} {v.ready.uss / MB:>8.1f} "
            f"{v.peak_before_results.rss / MB:>8.1f} {v.peak_before_results.uss / MB:>8.1f} "
            f"{v.end.rss / MB:>8.1f} {v.end.uss / MB:>8.1f} "
            f"{show(median(v.next_ms) if v.next_ms else None, '>8.0f'):>8} "
            f"{show(v.results_ms, '>8.0f'):>8} {show(v.chart_ms, '>8.0f'):>8}"
        )
    print("(times in ms on the page's clock; CPU in kernel seconds; memory in MB; medians below)")

    def med(visits: list[Visit], key: Any) -> float:
        return median([key(v) for v in visits])

    rows = [
        (
            "time to first question (ms)",
            med(quiz, lambda v: v.ready_ms),
            med(blank, lambda v: v.ready_ms),
            TARGETS["ready"],
        ),
        (
            "kernel CPU until first question (s)",
            med(quiz, lambda v: v.ready.cpu),
            med(blank, lambda v: v.end.cpu),
            None,
        ),
        (
            "kernel CPU per visit, through results (s)",
            med(quiz, lambda v: v.end.cpu),
            med(blank, lambda v: v.end.cpu),
            TARGETS["cpu"],
        ),
        (
            "kernel RSS, peak before results (MB)",
            med(quiz, lambda v: v.peak_before_results.rss / MB),
            med(blank, lambda v: v.end.rss / MB),
            TARGETS["memory"],
        ),
        (
            "kernel USS, peak before results (MB)",
            med(quiz, lambda v: v.peak_before_results.uss / MB),
            med(blank, lambda v: v.end.uss / MB),
            TARGETS["memory"],
        ),
        (
            "kernel RSS with results shown (MB)",
            med(quiz, lambda v: v.end.rss / MB),
            med(blank, lambda v: v.end.rss / MB),
            None,
        ),
        (
            "kernel USS with results shown (MB)",
            med(quiz, lambda v: v.end.uss / MB),
            med(blank, lambda v: v.end.uss / MB),
            None,
        ),
    ]
    met = True
    print()
    print(f"{'measure':<44} {'quiz':>9} {'blank':>9} {'ratio':>7} {'target':>8}  ")
    for name, q, b, target in rows:
        ratio = q / b
        verdict = ""
        if target is not None:
            ok = ratio <= target
            met &= ok
            verdict = "met" if ok else "MISSED"
        limit = f"≤{target:.1f}×" if target is not None else ""
        print(f"{name:<44} {q:>9.2f} {b:>9.2f} {ratio:>6.2f}× {limit:>8}  {verdict}")
    pages = [ms for v in quiz for ms in v.next_ms]
    results = [v.results_ms for v in quiz if v.results_ms is not None]
    charts = [v.chart_ms for v in quiz if v.chart_ms is not None]
    next_median = median(pages)
    ok = next_median < TARGETS["next_ms"]
    met &= ok
    print(
        f"answer → next page: median {next_median:.0f} ms, p90 {percentile(pages, 0.9):.0f} ms, "
        f"max {max(pages, default=float('nan')):.0f} ms over {len(pages)} page turns "
        f"(target median < {TARGETS['next_ms']:.0f} ms: {'met' if ok else 'MISSED'})"
    )
    print(
        f"answer → results: median {median(results):.0f} ms; "
        f"with the chart drawn: median {median(charts):.0f} ms"
    )
    return met


def versions(browser_version: str) -> str:
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("voila", "ipykernel", "ipywidgets", "playwright")
    )
    return (
        f"Python {platform.python_version()}, {packages}, Chromium {browser_version}; "
        f"{psutil.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5, help="measured visits of each notebook")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured visits of each first")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds for any one wait")
    parser.add_argument("--think-ms", type=int, default=400, help="pause between answer and Next")
    parser.add_argument("--max-pages", type=int, default=40)
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE if set (by default kernels may cache bytecode)",
    )
    arguments = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")

    print(
        "settings: "
        + (
            f"{ROOT / 'voila.json'}: {json.loads((ROOT / 'voila.json').read_text())}"
            if (ROOT / "voila.json").is_file()
            else f"voila.json missing, using {FALLBACK_SETTINGS}"
        )
    )
    with tempfile.TemporaryDirectory(prefix="voila-bench-") as logs:
        servers = []
        try:
            for kind, notebook in (("quiz", QUIZ), ("blank", BLANK)):
                servers.append(start_server(kind, notebook, Path(logs), keep_env=arguments.keep_env))
            quiz_server, blank_server = servers
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    print(versions(browser.version))
                    visits: list[Visit] = []
                    rounds = arguments.warmup + arguments.visits
                    for round_number in range(rounds):
                        # Alternate who goes first, so neither always follows the other.
                        order = [quiz_server, blank_server]
                        if round_number % 2:
                            order.reverse()
                        for server in order:
                            done = visit(
                                browser,
                                server,
                                timeout_s=arguments.timeout,
                                think_ms=arguments.think_ms,
                                max_pages=arguments.max_pages,
                            )
                            label = "warm-up" if round_number < arguments.warmup else "visit"
                            print(
                                f"  {label} {round_number + 1}/{rounds} {server.kind}: "
                                f"ready {done.ready_ms:.0f} ms, kernel {done.end.cpu:.2f} s CPU",
                                flush=True,
                            )
                            if round_number >= arguments.warmup:
                                visits.append(done)
                finally:
                    browser.close()
            visits.sort(key=lambda v: v.kind != "quiz")
            met = report(visits)
            print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        finally:
            for server in servers:
                stop_server(server)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
