"""A workshop's burst: 30 visitors arrive at once and take the whole quiz, against one server.

    .venv/bin/python benchmarks/load_visitors.py [--visitors 30] [--think 1.0] [--cull-idle 30]
        [--pool N] [--modes cold preheated] [--rounds 2] [--timeout 300] [--json results.json]

Each scenario starts one server exactly as ``assess serve`` would (the same command line, from
:func:`assess.hosting.serve.voila_command`: voila.json's settings, the ``assess`` template, the
kernel cap,
culling after ``--cull-idle`` seconds), on a free port of 127.0.0.1, and lets ``--visitors``
protocol-level visitors loose on it at the same instant.  A visitor does what a browser's page
does, without the browser (which would measure the browsers): GET the page, open the kernel's
websocket, fetch the widgets' state; then, for the quiz, click Start, answer every page (the
answers a person would pick), pausing ``--think`` seconds per page, until the results and their
result code are shown.  Then it closes the websocket without the shutdown beacon (the worst case:
a tab whose beacon got lost), so that only culling frees its kernel.

The same run serves the blank notebook (``benchmarks/blank.ipynb``: a Markdown cell and an empty
code cell) with the same command line to the same number of simultaneous visitors, whose page is
ready once the widgets' state (none) has been fetched; both with kernels started per visit
("cold") and with ``--pool`` kernels preheated before the burst ("preheated", ``--preheat``).
Each mode runs ``--rounds`` pairs in A B B A order (blank, quiz, quiz, blank, ...), and the
verdict compares the medians of the rounds' p95: on a shared machine the CPU's speed drifts by a
third between one scenario and the next, and a single pair measures the drift as much as the
quiz.  The package's bytecode is written first, as ``assess serve`` does.

Reported per scenario: visits completed; time to first question (quiz: from the GET to the first
page of questions being shown; blank: to its page being ready) p50/p95/max; the CPU spent until
then by the visitor's kernel and, up to the p95 visitor, by the server; kernel CPU seconds
(user + system, from the kernel's start to the end of the visit) and memory (RSS, USS) per
visitor; the server's own memory at peak and the peak of all its kernels together; and the
kernels left once visitors have gone, after waiting for culling.  Every wait is bounded; only
127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from voila_client import KernelSession, QuizVisit, get_page  # noqa: E402
from voila_server import ServerStartError, free_port, running  # noqa: E402

from assess.hosting.serve import (  # noqa: E402
    ServeOptions,
    compile_bytecode,
    packaged_root,
    voila_command,
    voila_environment,
)

QUIZ_FILES = packaged_root()  # the quiz's voila.json and template, as `assess serve` ships them

NOTEBOOKS = {"quiz": "notebooks/quiz.ipynb", "blank": "benchmarks/blank.ipynb"}
TARGET_RATIO = 1.3
MB = 1024 * 1024
SAMPLE_INTERVAL = 0.25  # seconds between memory samples of the server and its kernels


@dataclass
class Visit:
    ok: bool = False
    error: str = ""
    page_s: float = 0.0  # GET to the last byte of the page
    ready_s: float = 0.0  # GET to the widgets' state fetched over the websocket
    first_s: float = 0.0  # GET to the first question (quiz) or a ready page (blank)
    total_s: float = 0.0  # GET to the results (quiz) or a ready page (blank)
    kernel_id: str = ""
    cpu_first_s: float = 0.0  # the kernel's CPU seconds when the first question is shown
    server_cpu_first_s: float = 0.0  # the server's CPU seconds since the burst, at that moment
    cpu_s: float = 0.0
    rss_mb: float = 0.0
    uss_mb: float = 0.0


@dataclass
class Scenario:
    notebook: str
    mode: str
    visitors: int
    round: int = 1
    visits: list[Visit] = field(default_factory=list)
    server_peak_mb: float = 0.0
    kernels_peak_mb: float = 0.0
    kernels_peak: int = 0
    server_cpu_at_burst: float = 0.0
    pool_ready_s: float = 0.0
    kernels_after_visits: int = 0
    visitor_kernels_left: int = 0
    culled_within_s: float | None = None
    wall_s: float = 0.0

    @property
    def completed(self) -> int:
        return sum(visit.ok for visit in self.visits)

    def first(self) -> list[float]:
        return sorted(visit.first_s for visit in self.visits if visit.ok)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN when there are no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _kernels(server: psutil.Process) -> dict[str, psutil.Process]:
    """The server's kernel processes by kernel id (from their connection file's name)."""
    found = {}
    for child in server.children(recursive=True):
        try:
            for part in child.cmdline():
                name = Path(part).name
                if name.startswith("kernel-") and name.endswith(".json"):
                    found[name.removeprefix("kernel-").removesuffix(".json")] = child
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _cpu_seconds(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0
    return times.user + times.system


def _at_first_question(server: psutil.Process, scenario: Scenario, visit: Visit) -> None:
    """Where the CPU went until this visitor saw a question: its kernel, and the server."""
    kernel = _kernels(server).get(visit.kernel_id)
    visit.cpu_first_s = _cpu_seconds(kernel) if kernel else 0.0
    visit.server_cpu_first_s = _cpu_seconds(server) - scenario.server_cpu_at_burst


def _measure_kernel(server: psutil.Process, kernel_id: str, visit: Visit) -> None:
    process = _kernels(server).get(kernel_id)
    if process is None:
        return
    try:
        with process.oneshot():
            times = process.cpu_times()
            visit.cpu_s = times.user + times.system
            memory = process.memory_full_info()
            visit.rss_mb = memory.rss / MB
            visit.uss_mb = memory.uss / MB
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass


async def _sample(server: psutil.Process, scenario: Scenario, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            scenario.server_peak_mb = max(scenario.server_peak_mb, server.memory_info().rss / MB)
            kernels = _kernels(server)
            total = 0.0
            for process in kernels.values():
                try:
                    total += process.memory_info().rss / MB
                except psutil.NoSuchProcess:
                    continue
            scenario.kernels_peak_mb = max(scenario.kernels_peak_mb, total)
            scenario.kernels_peak = max(scenario.kernels_peak, len(kernels))
        except psutil.NoSuchProcess:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_INTERVAL)


async def _visit_quiz(
    url: str,
    server: psutil.Process,
    scenario: Scenario,
    think: float,
    timeout: float,
    visit: Visit,
) -> None:
    started = time.monotonic()
    quiz = QuizVisit(url, timeout=timeout)
    try:
        page = await quiz.open()
        visit.ready_s = time.monotonic() - started
        visit.page_s = page.seconds
        visit.kernel_id = page.kernel_id or ""
        await quiz.start()
        visit.first_s = time.monotonic() - started
        _at_first_question(server, scenario, visit)
        code = await quiz.finish(pause=think)
        visit.total_s = time.monotonic() - started
        visit.ok = bool(code)
        _measure_kernel(server, visit.kernel_id, visit)
    finally:
        await quiz.close()  # no beacon: culling has to free the kernel


async def _visit_blank(
    url: str,
    server: psutil.Process,
    scenario: Scenario,
    think: float,
    timeout: float,
    visit: Visit,
) -> None:
    started = time.monotonic()
    page = await get_page(url, timeout=timeout)
    visit.page_s = page.seconds
    if page.status != 200 or not page.kernel_id:
        raise RuntimeError(f"the page answered {page.status}")
    visit.kernel_id = page.kernel_id
    kernel = await KernelSession.open(url, page.kernel_id, timeout=timeout, cookie=page.cookie)
    try:
        await kernel.load_widgets(timeout=timeout)
        visit.first_s = visit.total_s = visit.ready_s = time.monotonic() - started
        _at_first_question(server, scenario, visit)
        visit.ok = True
        await asyncio.sleep(think)
        _measure_kernel(server, visit.kernel_id, visit)
    finally:
        await kernel.close()


async def _burst(
    url: str,
    notebook: str,
    server: psutil.Process,
    scenario: Scenario,
    *,
    think: float,
    timeout: float,
) -> None:
    visits = [Visit() for _ in range(scenario.visitors)]
    scenario.visits = visits
    gate = asyncio.Event()
    run = _visit_quiz if notebook == "quiz" else _visit_blank

    async def one(visit: Visit) -> None:
        await gate.wait()
        try:
            await asyncio.wait_for(run(url, server, scenario, think, timeout, visit), timeout)
        except Exception as error:  # a failed visit is a figure, not a crash
            visit.ok = False
            visit.error = f"{type(error).__name__}: {error}"[:200]

    tasks = [asyncio.create_task(one(visit)) for visit in visits]
    await asyncio.sleep(0)
    scenario.server_cpu_at_burst = _cpu_seconds(server)
    gate.set()  # everyone at once
    await asyncio.gather(*tasks)


def _wait_for_pool(server: psutil.Process, log: Path, pool: int, timeout: float) -> float:
    """Until Voilà says the pool is full and its kernels have settled (CPU quiet)."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if "is filled with" in log.read_text(errors="replace") and len(_kernels(server)) >= pool:
            break
        time.sleep(0.5)
    else:
        raise RuntimeError(f"the pool of {pool} kernels was not ready within {timeout:.0f} s")
    while time.monotonic() < deadline:  # until the warm kernels are idle (waiting for visitors)
        busy = psutil.cpu_percent(interval=1.0)
        if busy < 25:
            break
    return time.monotonic() - started


def _wait_for_culling(server: psutil.Process, scenario: Scenario, pool: int, limit: float) -> None:
    visitors = {visit.kernel_id for visit in scenario.visits if visit.kernel_id}
    started = time.monotonic()
    scenario.kernels_after_visits = len(_kernels(server))
    while time.monotonic() - started < limit:
        left = visitors & set(_kernels(server))
        if not left:
            scenario.culled_within_s = time.monotonic() - started
            break
        time.sleep(0.5)
    scenario.visitor_kernels_left = len(visitors & set(_kernels(server)))


def run_scenario(
    notebook: str, mode: str, args: argparse.Namespace, workdir: Path, *, round_: int = 1
) -> Scenario:
    pool = args.pool if mode == "preheated" else 0
    refill = {} if args.refill_after is None else {"refill_after": args.refill_after}
    options = ServeOptions(
        port=free_port(),
        preheat=pool,
        cull_idle=args.cull_idle,
        max_kernels=max(args.visitors * 2, 60),
        kernels_per_address=max(args.visitors * 2, 60),  # every simulated visitor is 127.0.0.1
        **refill,
    )
    command = voila_command(options, QUIZ_FILES)
    command[3] = NOTEBOOKS[notebook]
    url = f"http://127.0.0.1:{options.port}/"
    log = workdir / f"{notebook}-{mode}-{round_}.log"
    scenario = Scenario(notebook, mode, args.visitors, round_)
    with running(command, url, log, env=voila_environment(options, QUIZ_FILES)) as process:
        server = psutil.Process(process.pid)
        if pool:
            scenario.pool_ready_s = _wait_for_pool(server, log, pool, args.timeout)

        async def measured() -> None:
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample(server, scenario, stop))
            try:
                await _burst(
                    url, notebook, server, scenario, think=args.think, timeout=args.timeout
                )
            finally:
                stop.set()
                await sampler

        started = time.monotonic()
        with _visitors_first():
            asyncio.run(measured())
        scenario.wall_s = time.monotonic() - started
        _wait_for_culling(server, scenario, pool, limit=max(30.0, args.cull_idle * 4 + 10))
    return scenario


@contextlib.contextmanager
def _visitors_first() -> Iterator[None]:
    """Visitors' browsers run on their own devices, not on the server's cores: during the burst
    this process (all the visitors) runs before the server and its kernels, when allowed (root).
    Only this process: the server, started before, and its kernels keep the default priority."""
    try:
        os.nice(-10)
    except OSError:
        print("(not root: the visitors share the CPU with the server)", file=sys.stderr)
        yield
        return
    try:
        yield
    finally:
        os.nice(10)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(scenarios: list[Scenario], args: argparse.Namespace) -> str:
    lines = [
        f"{args.visitors} simultaneous visitors, think {args.think:.1f} s per page, "
        f"cull after {args.cull_idle} s idle; {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB, Python {platform.python_version()}",
        "",
        "| notebook | mode | round | completed | first p50 s | first p95 s | first max s "
        "| page p95 s | widgets p95 s "
        "| visit p50 s | kernel CPU to first s | server CPU to p95 first s "
        "| kernel CPU s | kernel RSS MB | kernel USS MB | server peak MB "
        "| kernels peak MB (n) | visitor kernels left | culled in s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scenarios:
        ok = [v for v in s.visits if v.ok]
        first = s.first()
        lines.append(
            f"| {s.notebook} | {s.mode} | {s.round} | {s.completed}/{s.visitors} "
            f"| {_median(first):.1f} | {percentile(first, 95):.1f} | {max(first or [0]):.1f} "
            f"| {percentile([v.page_s for v in ok], 95):.1f} "
            f"| {percentile([v.ready_s for v in ok], 95):.1f} "
            f"| {_median([v.total_s for v in ok]):.1f} "
            f"| {_median([v.cpu_first_s for v in ok if v.cpu_first_s]):.2f} "
            f"| {percentile([v.server_cpu_first_s for v in ok], 95):.1f} "
            f"| {_median([v.cpu_s for v in ok if v.cpu_s]):.2f} "
            f"| {_median([v.rss_mb for v in ok if v.rss_mb]):.0f} "
            f"| {_median([v.uss_mb for v in ok if v.uss_mb]):.0f} "
            f"| {s.server_peak_mb:.0f} | {s.kernels_peak_mb:.0f} ({s.kernels_peak}) "
            f"| {s.visitor_kernels_left} "
            f"| {'-' if s.culled_within_s is None else f'{s.culled_within_s:.0f}'} |"
        )
    lines.append("")
    for mode in args.modes:
        lines += _ratios([s for s in scenarios if s.mode == mode], mode)
        pools = [s.pool_ready_s for s in scenarios if s.mode == mode and s.notebook == "quiz"]
        if any(pools):
            lines.append(
                f"{mode}: the pool of {args.pool} quiz kernels was warm after "
                + " / ".join(f"{seconds:.0f}" for seconds in pools)
                + " s"
            )
    failures = [f"{s.notebook}/{s.mode}: {v.error}" for s in scenarios for v in s.visits if v.error]
    if failures:
        lines += ["", "Failed visits:", *sorted(set(failures))[:20]]
    return "\n".join(lines)


def _ratios(scenarios: list[Scenario], mode: str) -> list[str]:
    """Quiz p95 over blank p95: per round, and of the medians over rounds (the verdict)."""
    p95 = {(s.notebook, s.round): percentile(s.first(), 95) for s in scenarios if s.first()}
    rounds = sorted({r for _, r in p95})
    per_round = [
        p95[("quiz", r)] / p95[("blank", r)]
        for r in rounds
        if ("quiz", r) in p95 and ("blank", r) in p95
    ]
    quiz = [p95[key] for key in p95 if key[0] == "quiz"]
    blank = [p95[key] for key in p95 if key[0] == "blank"]
    if not quiz or not blank:
        return []
    ratio = statistics.median(quiz) / statistics.median(blank)
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    completed = [f"{s.completed}/{s.visitors}" for s in scenarios if s.notebook == "quiz"]
    return [
        f"{mode}: quiz p95 / blank p95 time to first question = {ratio:.2f} over "
        f"{len(rounds)} round(s) ({verdict} the {TARGET_RATIO}x target); per round "
        + ", ".join(f"{r:.2f}" for r in per_round)
        + f"; quiz completions {', '.join(completed)} (target all)"
    ]


def run_order(
    notebooks: Sequence[str], modes: Sequence[str], rounds: int
) -> list[tuple[str, str, int]]:
    """Each mode's scenarios as A B B A A B ...: a neighbour's load that grows or fades during
    the run weighs on the blank and the quiz alike.

    >>> run_order(["blank", "quiz"], ["cold"], 2)
    [('blank', 'cold', 1), ('quiz', 'cold', 1), ('quiz', 'cold', 2), ('blank', 'cold', 2)]
    """
    order = []
    for mode in modes:
        for round_ in range(1, rounds + 1):
            pair = list(notebooks) if round_ % 2 else list(reversed(notebooks))
            order += [(notebook, mode, round_) for notebook in pair]
    return order


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--think", type=float, default=1.0, help="seconds per page (1.0)")
    parser.add_argument(
        "--cull-idle", type=int, default=30, help="seconds idle before culling (30, for the run)"
    )
    parser.add_argument(
        "--refill-after", type=int, default=None, help="assess serve's --refill-after (its default)"
    )
    parser.add_argument("--pool", type=int, default=None, help="preheated kernels (visitors)")
    parser.add_argument(
        "--modes", nargs="+", default=["cold", "preheated"], choices=["cold", "preheated"]
    )
    parser.add_argument(
        "--notebooks", nargs="+", default=["blank", "quiz"], choices=sorted(NOTEBOOKS)
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="blank and quiz scenarios per mode, in A B B A order (2); the verdict takes medians",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="per visit, seconds")
    parser.add_argument("--json", type=Path, default=None, help="write every visit here")
    parser.add_argument(
        "--logs",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")),
        help="where the servers' logs go",
    )
    args = parser.parse_args(argv)
    args.pool = args.pool or args.visitors
    workdir = args.logs / f"load-visitors-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    compile_bytecode()  # as `assess serve` does before starting Voilà
    scenarios = []
    for notebook, mode, round_ in run_order(args.notebooks, args.modes, args.rounds):
        print(f"… {notebook}, {mode}, round {round_}", file=sys.stderr, flush=True)
        try:
            scenarios.append(run_scenario(notebook, mode, args, workdir, round_=round_))
        except (ServerStartError, RuntimeError) as error:
            print(f"{notebook}/{mode}: {error}", file=sys.stderr)
            return 1
    print(report(scenarios, args))
    print(f"\nServer logs: {workdir}", file=sys.stderr)
    if args.json:
        args.json.write_text(
            json.dumps([{**asdict(s), "completed": s.completed} for s in scenarios], indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
