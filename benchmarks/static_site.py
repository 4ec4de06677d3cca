"""The static quiz (``make site``) against its one-button floor and against the Voilà quiz, and
what a visitor costs a static host against what one costs the Voilà server, in one run.  Figures
and how to read them: benchmarks/README.md, "The static site".

Usage (after ``make site``)::

    .venv/bin/python benchmarks/static_site.py [--rounds 3] [--visitors 100] [--load-rounds 2]
        [--voila-visitors 10] [--skip-python-server]

Measured in one run:

- **time to first question**, on the page's own clock (0 = navigation start; the probe of
  ``voila_quiz.py`` clicks Start as soon as it can be clicked and notes the first frame where a
  radio input of the first question page is rendered and enabled; floors: their button is
  rendered), on a first visit (a fresh Chromium profile) and a repeat visit (the same profile,
  its HTTP cache and service worker kept), for four pages, ``--rounds`` times in A B B A order:
  the static quiz (``voici/render/quiz.html``) and the one-button floor built into the same site
  (``voici/render/floor.html``), served by nginx; the Voilà quiz (``notebooks/quiz.ipynb``) and a
  one-button notebook, each on standalone Voilà started as ``voila_quiz.py`` starts it (what
  ``assess serve`` ships: its voila.json and template).  Ratios are to the static floor;
- **bytes** each static visit transferred, counted at the server (nginx's ``$body_bytes_sent``
  for every request, the kernel's Web Worker included), as sent (precompressed where the browser
  accepts gzip) and as the same responses' files would weigh uncompressed;
- **the Voilà server's CPU per visitor**, the baseline of the next point: user + system seconds
  (psutil) of the visitor's kernel when its first question is shown, plus the Voilà server's own
  over the visit, (a) for each browser visit above and (b) for ``--voila-visitors`` protocol-level
  visitors arriving at once (``tests/voila_client.py``, the client of ``load_visitors.py``);
- **a static host's CPU per visitor**: ``--visitors`` simultaneous visitors, one thread each in
  this process, each sending again the requests nginx recorded for the static quiz's first visit
  of round 1 (a 200 as a plain GET; a 304 with the ETag and Last-Modified a browser holding the
  file sends), 64 KB reads, over HTTP on 127.0.0.1, against (1) nginx, visitors that do not
  accept gzip (``sendfile`` of the files themselves), (2) the same, visitors that accept gzip
  (``gzip_static``), (3) the same nginx, the requests of the repeat visit (every file asked
  again, answered 304) — each with a new connection per request (urllib, as the figures before
  nginx was measured) and over one keep-alive connection per visitor (as browsers send them);
  then (2) and (3) over HTTPS (the documented block with a self-signed certificate, keep-alive);
  all ``--load-rounds`` times, A B C C B A; and (4) ``python -m http.server`` (what ``make
  site-serve`` runs), first visits, a connection per request.  Reported: the server's CPU
  (nginx: master and workers; psutil, user + system) per visitor, against the Voilà baseline
  above; the bytes it sent per visitor (nginx's log; http.server: the files' sizes); p50 / p95
  for one visitor's requests; requests that failed.

nginx (Debian's ``/usr/sbin/nginx``, two workers) runs from a temporary prefix (its own
configuration, logs and pid file) on 127.0.0.1, as ``tests/test_proxy.py`` runs it, with the
server block that docs/hosting.md recommends (``sendfile``, ``gzip_static``, ``no-cache``), over
a temporary copy of ``site/`` compressed by the command docs/hosting.md gives (a ``.gz`` beside
every file not compressed already): the figures are those of the documented setup, and the
build itself is not changed.  Every wait is bounded; every process started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from voila_client import QuizVisit  # noqa: E402
from voila_quiz import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PROBE,
    QUIZ,
    WIDGET_FLOOR,
    free_port,
    start_server,
    stop_server,
)
from voila_quiz import Server as Voila  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TIMEOUT_S = 240.0  # any one page's wait for its first question, on a busy machine
SETTLE_MS = 1500  # after a static page is ready: the service worker's own fetches land
READ = 1 << 16
FETCH_TIMEOUT_S = 120  # one file of one visitor (connect, or any one read)
UNVERIFIED = ssl.create_default_context()  # the benchmark's own self-signed certificate
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE
DOCUMENTED_ROOT = "/srv/assess-site"  # the folder docs/hosting.md's block and command name

NGINX_CONF = """\
user root;
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format bench '$status $body_bytes_sent "$request_uri" "$sent_http_content_encoding"';
    access_log {folder}/access.log bench;
{temp}
{block}
}}
"""


def cpu_of(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


@dataclass(frozen=True)
class Answered:
    path: str
    status: int
    sent: int  # bytes of the body as sent (compressed when it was)
    encoding: str  # "gzip" or ""


class Nginx:
    """Debian's nginx on 127.0.0.1 from a temporary prefix (as tests/test_proxy.py runs it),
    serving `root` with docs/hosting.md's server block, over HTTP (`url`) and HTTPS (`tls_url`);
    its access log records each response's status and body bytes."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        self.port = free_port()
        temp = "\n".join(
            f"    {name}_temp_path {folder / name};"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        config = folder / "nginx.conf"
        block = documented("static-config", "nginx")
        block = block.replace(f"root {DOCUMENTED_ROOT};", f"root {root};")
        # The documented block twice: over plain HTTP, and over HTTPS as published (a
        # self-signed ECDSA P-256 certificate for 127.0.0.1, nginx's default TLS settings).
        self.tls_port = free_port()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        plain = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.port};")
        tls = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.tls_port} ssl;").replace(
            "# ssl_certificate ...; ssl_certificate_key ...;",
            f"ssl_certificate {folder / 'cert.pem'}; ssl_certificate_key {folder / 'key.pem'};",
        )
        config.write_text(NGINX_CONF.format(folder=folder, temp=temp, block=plain + tls))
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, timeout=30
        )
        if checked.returncode:
            raise RuntimeError(checked.stderr.decode())
        self.log = folder / "access.log"
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        self.tls_url = f"https://127.0.0.1:{self.tls_port}/"
        wait_until_serving(self.url + "jupyter-lite.json", self.process)

    def processes(self) -> list[psutil.Process]:
        master = psutil.Process(self.process.pid)
        return [master, *master.children()]

    def cpu(self) -> float:
        return cpu_of(self.processes())

    def answered(self) -> list[Answered]:
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            status, sent, path, encoding = line.split(" ", 3)
            found.append(Answered(path.strip('"'), int(status), int(sent), encoding.strip('"-')))
        return found

    def size(self, path: str) -> int:
        """What the file answered for `path` weighs uncompressed."""
        local = urllib.request.url2pathname(path.split("?")[0].lstrip("/"))
        file = self.root / local
        if file.is_dir():
            file = file / "index.html"
        return file.stat().st_size if file.is_file() else 0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class PythonServer:
    """``python -m http.server`` on 127.0.0.1 (what ``make site-serve`` runs)."""

    def __init__(self, site: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
             str(site), str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}/"
        wait_until_serving(self.url + "jupyter-lite.json", self.process)

    def cpu(self) -> float:
        return cpu_of([psutil.Process(self.process.pid)])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server of {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # the interval of a bounded poll for the server to listen


def documented(marker: str, language: str) -> str:
    """The code block of docs/hosting.md between `marker`'s begin and end comments (the ones
    tests/test_static_host.py runs too)."""
    text = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- {marker}: begin -->\s*```{language}\n(.*?)```\s*<!-- {marker}: end -->", text, re.S
    )
    if not found:
        raise RuntimeError(f"docs/hosting.md lost its {marker} markers")
    return found.group(1)


def served_copy(site: Path, into: Path) -> dict[str, int]:
    """A copy of `site` compressed by docs/hosting.md's command (a `.gz` beside each file that is
    not compressed already): what its nginx block's gzip_static sends to a browser that accepts
    gzip.  The build itself is left alone."""
    shutil.copytree(site, into, dirs_exist_ok=True)
    command = documented("static-gzip", "sh").strip().replace(DOCUMENTED_ROOT, str(into))
    subprocess.run(["sh", "-c", command], check=True, timeout=600)
    gained = {"files": 0, "gz files": 0, "bytes": 0, "gz bytes": 0}
    for file in into.rglob("*"):
        if not file.is_file() or file.suffix == ".gz":
            continue
        size = file.stat().st_size
        packed = file.with_name(file.name + ".gz")
        gained["files"] += 1
        gained["bytes"] += size
        gained["gz files"] += packed.is_file()
        gained["gz bytes"] += packed.stat().st_size if packed.is_file() else size
    return gained


# ---------------------------------------------------------------------------------------------
# Browser visits: time to first question, first and repeat, for both engines.


@dataclass
class Target:
    name: str  # "static floor", "static quiz", "voila floor", "voila quiz"
    url: str
    kind: str  # the probe's "quiz" or "widget"
    voila: Voila | None = None


@dataclass
class Visit:
    target: str
    round: int
    which: str  # "first" or "repeat"
    ms: float
    requests: int = 0
    sent: int = 0  # bytes counted at the server as sent
    plain: int = 0  # the same responses' files, uncompressed
    kernel_cpu: float = 0.0  # Voilà: the kernel's CPU seconds at the first question
    server_cpu: float = 0.0  # Voilà: the server's own CPU seconds over the visit


def visit_pair(
    driver: Playwright, target: Target, nginx: Nginx, round_: int
) -> tuple[list[Visit], dict[str, list[Answered]]]:
    """A first and a repeat visit of `target` with one fresh browser profile."""
    visits: list[Visit] = []
    recorded: dict[str, list[Answered]] = {}
    script = PROBE.replace("__KIND__", target.kind).replace(
        "__LIMIT_MS__", str(int(TIMEOUT_S * 1000))
    )
    with tempfile.TemporaryDirectory(prefix="static-bench-profile-") as profile:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.add_init_script(script)
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(TIMEOUT_S * 1000)
            for which in ("first", "repeat"):
                logged = len(nginx.answered())
                server_cpu = (
                    cpu_of([psutil.Process(target.voila.process.pid)]) if target.voila else 0
                )
                page.goto(target.url, wait_until="commit")
                page.wait_for_function(
                    "() => 'ready' in window.__bench.marks || 'gave_up' in window.__bench.marks",
                    polling=100,
                )
                marks = page.evaluate("window.__bench.marks")
                if "ready" not in marks:
                    raise RuntimeError(f"{target.name}: not ready within {TIMEOUT_S} s ({marks})")
                done = Visit(target.name, round_, which, float(marks["ready"]))
                if target.voila is not None:
                    kernel_id = page.evaluate(
                        "JSON.parse(document.getElementById('jupyter-config-data')"
                        ".textContent).kernelId"
                    )
                    kernel = target.voila.kernel(kernel_id)
                    done.kernel_cpu = cpu_of([kernel]) if kernel else float("nan")
                    done.server_cpu = (
                        cpu_of([psutil.Process(target.voila.process.pid)]) - server_cpu
                    )
                    page.goto("about:blank")
                    target.voila.stop_kernel(kernel_id)
                else:
                    page.wait_for_timeout(SETTLE_MS)
                    page.goto("about:blank")
                    answers = nginx.answered()[logged:]
                    done.requests = len(answers)
                    done.sent = sum(a.sent for a in answers)
                    done.plain = sum(nginx.size(a.path) for a in answers if a.status == 200)
                    recorded[which] = answers
                visits.append(done)
        finally:
            context.close()
    return visits, recorded


def browser_rounds(
    targets: list[Target], nginx: Nginx, rounds: int
) -> tuple[list[Visit], dict[str, list[Answered]]]:
    visits: list[Visit] = []
    quiz_requests: dict[str, list[Answered]] = {}
    with sync_playwright() as driver:
        for number in range(1, rounds + 1):
            order = targets if number % 2 else list(reversed(targets))  # A B B A
            for target in order:
                pair, answers = visit_pair(driver, target, nginx, number)
                visits += pair
                if target.name == "static quiz" and not quiz_requests:
                    quiz_requests = answers
                print(
                    f"  round {number} {target.name}: "
                    + ", ".join(f"{v.which} {v.ms / 1000:.1f} s" for v in pair)
                    + (
                        f"; kernel {pair[0].kernel_cpu:.2f} + server {pair[0].server_cpu:.2f}"
                        " CPU-s to the first question"
                        if target.voila
                        else f"; {pair[0].sent / 1e6:.1f} MB sent in {pair[0].requests} requests"
                    ),
                    flush=True,
                )
    return visits, quiz_requests


# ---------------------------------------------------------------------------------------------
# Voilà's CPU per visitor under a small burst of protocol-level visitors.


@dataclass
class Burst:
    visitors: int
    completed: int = 0
    kernel_cpu: list[float] = field(default_factory=list)
    server_cpu: float = 0.0
    errors: list[str] = field(default_factory=list)


def voila_burst(voila: Voila, visitors: int, timeout: float) -> Burst:
    """`visitors` protocol-level visitors at once, each to its first question; then the CPU of
    every visitor's kernel and the server's own since the burst began."""
    burst = Burst(visitors)
    server = psutil.Process(voila.process.pid)
    kernel_ids: list[str] = []

    async def one(visit: QuizVisit) -> None:
        page = await visit.open()
        await visit.start()
        kernel_ids.append(page.kernel_id or "")

    async def everyone() -> None:
        quizzes = [QuizVisit(voila.url, timeout=timeout) for _ in range(visitors)]
        before = cpu_of([server])
        outcomes = await asyncio.gather(
            *(asyncio.wait_for(one(q), timeout) for q in quizzes), return_exceptions=True
        )
        burst.server_cpu = cpu_of([server]) - before
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                burst.errors.append(f"{type(outcome).__name__}: {outcome}"[:200])
        for kernel_id in kernel_ids:
            kernel = voila.kernel(kernel_id)
            if kernel is not None:
                burst.kernel_cpu.append(cpu_of([kernel]))
        for quiz in quizzes:
            with contextlib.suppress(Exception):
                await quiz.close()

    asyncio.run(everyone())
    burst.completed = len(kernel_ids)
    for kernel_id in kernel_ids:
        voila.stop_kernel(kernel_id)
    return burst


# ---------------------------------------------------------------------------------------------
# Many visitors' asset fetches against a static host.


def one_visitor(
    url: str, asks: list[tuple[str, dict[str, str]]], *, keep_alive: bool = False
) -> tuple[float, int]:
    """Seconds for one visitor's requests (each path with its headers), and how many failed (a
    failure is a figure, not a crash: `python -m http.server` listens with a backlog of 5, and
    a connection it dropped from a full queue waits for the timeout).  By default each request
    opens its own connection (urllib); `keep_alive` sends them all over one, as browsers do."""
    started = time.monotonic()
    failed = 0
    if keep_alive:
        address = urllib.parse.urlsplit(url)
        connection = (
            http.client.HTTPSConnection(
                address.hostname or "127.0.0.1",
                address.port,
                timeout=FETCH_TIMEOUT_S,
                context=UNVERIFIED,
            )
            if address.scheme == "https"
            else http.client.HTTPConnection(
                address.hostname or "127.0.0.1", address.port, timeout=FETCH_TIMEOUT_S
            )
        )
        for path, headers in asks:
            try:
                connection.request("GET", "/" + path.lstrip("/"), headers=headers)
                response = connection.getresponse()
                while response.read(READ):
                    pass
                failed += response.status not in (200, 304)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()  # the next request opens a new one
        connection.close()
        return time.monotonic() - started, failed
    for path, headers in asks:
        request = urllib.request.Request(url + path.lstrip("/"), headers=headers)
        try:
            with urllib.request.urlopen(
                request, timeout=FETCH_TIMEOUT_S, context=UNVERIFIED
            ) as response:
                while response.read(READ):
                    pass
        except urllib.error.HTTPError as answer:
            failed += answer.code != 304  # unchanged: what a repeat visitor asks for
        except OSError:
            failed += 1
    return time.monotonic() - started, failed


def replay(
    url: str, recorded: list[Answered], headers: dict[str, str]
) -> list[tuple[str, dict[str, str]]]:
    """A recorded visit's requests as a client sends them again: a 200 as a plain GET, a 304
    with what a browser that has the file sends (its ETag and Last-Modified, read here once)."""
    known: dict[str, dict[str, str]] = {}
    asks = []
    for answer in recorded:
        if answer.status == 200:
            asks.append((answer.path, headers))
        elif answer.status == 304:
            if answer.path not in known:
                request = urllib.request.Request(
                    url + answer.path.lstrip("/"), headers=headers, method="HEAD"
                )
                with urllib.request.urlopen(
                    request, timeout=FETCH_TIMEOUT_S, context=UNVERIFIED
                ) as response:
                    known[answer.path] = {
                        name: response.headers[field]
                        for name, field in (
                            ("If-None-Match", "ETag"),
                            ("If-Modified-Since", "Last-Modified"),
                        )
                        if response.headers[field]
                    }
            asks.append((answer.path, {**headers, **known[answer.path]}))
    return asks


def load(
    name: str,
    url: str,
    cpu: Callable[[], float],
    recorded: list[Answered],
    visitors: int,
    *,
    gzip_ok: bool,
    keep_alive: bool = False,
    nginx: Nginx | None = None,
    plain: int = 0,
) -> dict[str, float | str]:
    """`visitors` threads at once, each sending the `recorded` visit's requests again; the
    server's CPU over all of it (and, for nginx, the bytes its log says it sent; otherwise
    `plain`, the files' sizes)."""
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    asks = replay(url, recorded, headers)
    logged = len(nginx.answered()) if nginx else 0
    cpu_before = cpu()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=visitors) as pool:
        outcomes = list(
            pool.map(lambda _: one_visitor(url, asks, keep_alive=keep_alive), range(visitors))
        )
    durations = sorted(seconds for seconds, _ in outcomes)
    wall = time.monotonic() - started
    spent = cpu() - cpu_before
    sent = sum(a.sent for a in nginx.answered()[logged:]) / visitors if nginx else plain
    return {
        "host": name + (", keep-alive" if keep_alive else ""),
        "visitors": visitors,
        "requests per visitor": len(asks),
        "of them 304": sum("If-None-Match" in h or "If-Modified-Since" in h for _, h in asks),
        "server CPU s": spent,
        "per visitor ms": 1000 * spent / visitors,
        "MB per visitor": sent / 1e6,
        "failed files": sum(failed for _, failed in outcomes),
        "visitors with a failed file": sum(1 for _, failed in outcomes if failed),
        "p50 s": statistics.median(durations),
        "p95 s": durations[max(0, int(0.95 * len(durations)) - 1)],
        "wall s": wall,
    }


# ---------------------------------------------------------------------------------------------


def median_of(visits: list[Visit], target: str, which: str, key: str) -> float:
    values = [getattr(v, key) for v in visits if v.target == target and v.which == which]
    return statistics.median(values) if values else float("nan")


def report_browser(visits: list[Visit], gained: dict[str, int]) -> None:
    names = ["static floor", "static quiz", "voila floor", "voila quiz"]
    floor = {w: median_of(visits, "static floor", w, "ms") for w in ("first", "repeat")}
    print("\nTime to first question, median over rounds, s (ratio to the static floor):")
    print(f"| visit | {' | '.join(names)} |")
    print("|---|" + "---:|" * len(names))
    for which in ("first", "repeat"):
        cells = []
        for name in names:
            ms = median_of(visits, name, which, "ms")
            cells.append(f"{ms / 1000:.1f} ({ms / floor[which]:.2f}×)")
        print(f"| {which} | {' | '.join(cells)} |")
    for name in names:
        runs = [v for v in visits if v.target == name]
        print(f"  {name}: " + ", ".join(f"r{v.round} {v.which} {v.ms / 1000:.1f}" for v in runs))
    print("\nBytes counted at nginx (static, median over rounds):")
    for name in ("static floor", "static quiz"):
        for which in ("first", "repeat"):
            print(
                f"  {name} {which}: {median_of(visits, name, which, 'sent') / 1e6:.2f} MB sent "
                f"(gzip where accepted), {median_of(visits, name, which, 'plain') / 1e6:.2f} MB "
                f"uncompressed, {median_of(visits, name, which, 'requests'):.0f} requests"
            )
    print(
        f"  served copy: {gained['gz files']} of {gained['files']} files precompressed; the site "
        f"{gained['bytes'] / 1e6:.1f} MB, {gained['gz bytes'] / 1e6:.1f} MB as sent with gzip"
    )


def report_voila(visits: list[Visit], burst: Burst) -> float:
    """Voilà's CPU per visitor to the first question; returns the baseline (the smaller of
    the browser visits' median and the protocol burst's)."""
    print("\nVoilà CPU per visitor to the first question (kernel + server), s:")
    for name in ("voila floor", "voila quiz"):
        for which in ("first", "repeat"):
            k = median_of(visits, name, which, "kernel_cpu")
            s = median_of(visits, name, which, "server_cpu")
            print(f"  browser, {name} {which}: {k:.2f} + {s:.2f} = {k + s:.2f}")
    kernel = median_of(visits, "voila quiz", "first", "kernel_cpu")
    server = median_of(visits, "voila quiz", "first", "server_cpu")
    baseline = kernel + server
    if burst.kernel_cpu:
        per_kernel = statistics.median(burst.kernel_cpu)
        per_server = burst.server_cpu / max(1, burst.completed)
        print(
            f"  {burst.visitors} protocol visitors at once: {burst.completed} reached the first "
            f"question; kernel median {per_kernel:.2f} (range {min(burst.kernel_cpu):.2f}–"
            f"{max(burst.kernel_cpu):.2f}) + server {per_server:.2f} = "
            f"{per_kernel + per_server:.2f}"
        )
        baseline = min(baseline, per_kernel + per_server)
    for error in sorted(set(burst.errors))[:5]:
        print(f"  failed: {error}")
    print(f"  baseline (the smaller): {baseline:.2f} CPU-s per Voilà visitor", flush=True)
    return baseline


LOAD_HEADER = (
    "| host | visitors × requests (304) | server CPU s | per visitor ms | / Voilà's "
    "| MB per visitor | p50 s | p95 s | all done s | failed files (visitors) | load avg |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def report_load(row: dict[str, float | str], baseline: float) -> None:
    ratio = float(row["per visitor ms"]) / 1000 / baseline
    print(
        f"| {row['host']} | {row['visitors']} × {row['requests per visitor']} "
        f"({row['of them 304']}) "
        f"| {row['server CPU s']:.2f} | {row['per visitor ms']:.1f} | 1/{1 / ratio:.0f} "
        f"| {row['MB per visitor']:.1f} | {row['p50 s']:.1f} | {row['p95 s']:.1f} "
        f"| {row['wall s']:.1f} | {row['failed files']} "
        f"({row['visitors with a failed file']}) | {os.getloadavg()[0]:.1f} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--rounds", type=int, default=3, help="browser rounds, A B B A (3)")
    parser.add_argument("--visitors", type=int, default=100, help="static asset-fetch visitors")
    parser.add_argument("--load-rounds", type=int, default=2, help="nginx loads, A B C C B A")
    parser.add_argument("--voila-visitors", type=int, default=10, help="protocol-level, at once")
    parser.add_argument(
        "--skip-python-server", action="store_true", help="leave out python -m http.server"
    )
    args = parser.parse_args()
    if not (args.site / ".built").exists():
        sys.exit(f"{args.site} is not built: run `make site`")
    if not Path(NGINX).exists():
        sys.exit("nginx is missing: apt-get install -y nginx")
    loadavg = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="static-bench-") as scratch:
        work = Path(scratch)
        (work / "served").mkdir()
        (work / "nginx").mkdir()
        gained = served_copy(args.site.resolve(), work / "served")
        floor_notebook = work / "one_button.ipynb"
        floor_notebook.write_text(json.dumps(WIDGET_FLOOR))
        stack = contextlib.ExitStack()
        with stack:
            nginx = Nginx(work / "served", work / "nginx")
            stack.callback(nginx.stop)
            voila_quiz = start_server("quiz", "quiz", QUIZ, work, keep_env=False)
            stack.callback(stop_server, voila_quiz)
            voila_floor = start_server("floor", "widget", floor_notebook, work, keep_env=False)
            stack.callback(stop_server, voila_floor)
            targets = [
                Target("static floor", nginx.url + "voici/render/floor.html", "widget"),
                Target("static quiz", nginx.url + "voici/render/quiz.html", "quiz"),
                Target("voila floor", voila_floor.url, "widget", voila_floor),
                Target("voila quiz", voila_quiz.url, "quiz", voila_quiz),
            ]
            print(f"browser visits, {args.rounds} round(s), load average {loadavg[0]:.1f}")
            visits, quiz_requests = browser_rounds(targets, nginx, args.rounds)
            report_browser(visits, gained)
            print(f"\n{args.voila_visitors} protocol-level visitors at once on the Voilà quiz")
            burst = voila_burst(voila_quiz, args.voila_visitors, TIMEOUT_S)
            baseline = report_voila(visits, burst)
            first, repeat = quiz_requests["first"], quiz_requests["repeat"]
            print(f"\nStatic hosts: {args.visitors} visitors at once, each sending the requests")
            print("of the static quiz's first (or repeat) visit in round 1, as recorded by nginx")
            print(LOAD_HEADER, flush=True)
            kinds = [
                (name, nginx.url, recorded, gzip_ok, keep_alive)
                for keep_alive in (False, True)
                for name, recorded, gzip_ok in (
                    ("nginx, first visits, no gzip", first, False),
                    ("nginx, first visits, gzip_static", first, True),
                    ("nginx, repeat visits", repeat, True),
                )
            ]
            kinds += [  # HTTPS as published: what browsers send, over keep-alive connections
                ("nginx, HTTPS, first visits, gzip_static", nginx.tls_url, first, True, True),
                ("nginx, HTTPS, repeat visits", nginx.tls_url, repeat, True, True),
            ]
            for number in range(args.load_rounds):  # A B C C B A: against a drifting load
                for name, url, recorded, gzip_ok, keep_alive in (
                    kinds if number % 2 == 0 else kinds[::-1]
                ):
                    report_load(
                        load(name, url, nginx.cpu, recorded, args.visitors,
                             gzip_ok=gzip_ok, keep_alive=keep_alive, nginx=nginx),
                        baseline,
                    )  # fmt: skip
            if not args.skip_python_server:
                python = PythonServer(args.site)
                stack.callback(python.stop)
                report_load(
                    load("python -m http.server, first visits", python.url, python.cpu, first,
                         args.visitors, gzip_ok=False,
                         plain=sum(nginx.size(a.path) for a in first if a.status == 200)),
                    baseline,
                )  # fmt: skip
    print(
        f"\nload average (1 min) at the start {loadavg[0]:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f}; {psutil.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
