"""The rules of the hosted quiz's guards as plain values: how much one address may take, when
a kernel counts as unclaimed, whose cookie owns a kernel, what a log line may hold."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.hosting.guard_state import AssessGuard, Guard
from assess.hosting.log_guard import MAX_LINE, LogGuard, redacted
from assess.hosting.serve import (
    GUARDED_VOILA,
    ServeError,
    ServeOptions,
    packaged_root,
    read_settings,
    voila_command,
    voila_config,
)
from assess.hosting.visitors import Limits, VisitorBook, client_address, owner_digest

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _book(**limits: float) -> tuple[VisitorBook, Clock]:
    clock = Clock()
    return VisitorBook(Limits(**limits), clock=clock), clock  # type: ignore[arg-type]


def test_one_address_holds_its_share_and_no_more() -> None:
    """Two kernels (started or starting) per address; another address is not affected."""
    book, _ = _book(kernels_per_address=2)
    book.starting("a")
    book.start_ended("a")
    book.started("k1", address="a", owner="o")
    book.starting("a")  # under way: counted already
    assert book.refusal("a") == "kernels held by one address"
    assert book.refusal("b") is None
    book.start_ended("a")
    book.ended("k1")
    assert book.refusal("a") is None


def test_starts_per_minute_are_counted_over_a_sliding_minute() -> None:
    book, clock = _book(starts_per_minute=3, kernels_per_address=10)
    for _ in range(3):
        book.starting("a")
        book.start_ended("a")
    assert book.refusal("a") == "kernel starts per minute from one address"
    clock.now = 60.0
    assert book.refusal("a") is None


def test_a_kernel_is_unclaimed_after_its_page_or_its_last_websocket() -> None:
    """Page sent and no websocket: unclaimed after the delay; a websocket claims it; its close
    starts the delay again; a page never finished counts after the render allowance."""
    book, clock = _book(unclaimed_after=10, render_allowance=100)
    book.started("k", address="a", owner="o")
    book.started("slow", address="a", owner="o")
    book.page_done("k")
    clock.now = 9.9
    assert book.unclaimed() == []
    clock.now = 10.0
    assert book.unclaimed() == ["k"]
    book.connected("k")
    clock.now = 50.0
    assert book.unclaimed() == []
    book.disconnected("k")
    clock.now = 60.0
    assert book.unclaimed() == ["k"]
    clock.now = 110.0
    assert set(book.unclaimed()) == {"k", "slow"}


def test_a_page_still_loading_keeps_its_kernel_until_the_loading_allowance() -> None:
    """Its browser still fetching files: the kernel waits; from the allowance on, activity no
    longer counts and the kernel is given back after the usual delay."""
    book, clock = _book(unclaimed_after=10, loading_allowance=100)
    book.started("k", address="a", owner="slow phone")
    book.page_done("k")
    for clock.now in (5.0, 14.0, 23.0, 32.0):
        book.active("slow phone")
        assert book.unclaimed() == []
    clock.now = 150.0
    book.active("slow phone")
    assert book.unclaimed() == ["k"]  # loading since 100 s + 10 s without a claim


@pytest.mark.parametrize("claimed", [False, True])
def test_only_the_owners_loading_keeps_a_kernel_not_yet_claimed(claimed: bool) -> None:
    """Another visitor's requests keep nothing; a kernel whose page connected once and left
    (a closed tab) is not kept by its owner's other tabs."""
    book, clock = _book(unclaimed_after=10)
    book.started("k", address="a", owner="o")
    book.page_done("k")
    if claimed:
        book.connected("k")
        book.disconnected("k")
    clock.now = 9.0
    book.active("someone else")
    if claimed:
        book.active("o")
    clock.now = 10.0
    assert book.unclaimed() == ["k"]


def test_websockets_per_kernel_are_limited() -> None:
    book, _ = _book(websockets_per_kernel=2)
    book.started("k", address="a", owner="o")
    book.connected("k")
    book.connected("k")
    assert not book.may_connect("k")
    assert not book.may_connect("unknown")


def test_a_kernel_belongs_to_the_digest_of_its_cookie() -> None:
    book, _ = _book()
    book.started("k", address="a", owner=owner_digest("cookie"))
    assert book.owner("k") == owner_digest("cookie") != owner_digest("other")
    assert book.owner("nobody's") is None


@given(st.lists(st.from_regex(r"(\d{1,3}\.){3}\d{1,3}", fullmatch=True), max_size=5))
def test_only_a_trusted_proxy_is_believed_about_forwarded_addresses(hops: list[str]) -> None:
    """A client that is not a trusted proxy is counted under its own address, whatever it
    says; behind the proxy, a hop a client added on the left never wins over the proxy's."""
    forwarded = ", ".join([*hops, "203.0.113.5"])
    assert client_address("198.51.100.1", forwarded, ["127.0.0.1"]) == "198.51.100.1"
    assert client_address("127.0.0.1", forwarded, ["127.0.0.1"]) == "203.0.113.5"


@given(st.text(max_size=3000))
def test_a_log_line_is_short_escaped_and_names_no_kernel(text: str) -> None:
    """Whatever a visitor sends: one line, of bounded length, with no kernel id in full."""
    line = redacted(f"Kernel started: {uuid.uuid4()} {text}")
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert len(line) <= MAX_LINE + 60
    assert not UUID.search(line)


def test_a_flood_of_one_kind_of_line_is_counted_not_written() -> None:
    """25 lines of a kind in a minute: 20 written, then a count with the next line."""
    import logging

    clock = Clock()
    guard = LogGuard(clock=clock)
    records = [
        logging.LogRecord("x", logging.WARNING, "f", 1, "Refused %d", (n,), None) for n in range(25)
    ]
    written = [guard.filter(record) for record in records]
    assert written.count(True) == 20
    clock.now = 61.0
    later = logging.LogRecord("x", logging.WARNING, "f", 1, "Refused %d", (99,), None)
    assert guard.filter(later)
    assert "5 log lines were counted, not written, in the last minute: 5 from the server" in (
        later.getMessage()
    )


def test_assess_serve_passes_the_guards_settings_to_voila() -> None:
    """--kernels-per-address, --allowed-host and --trusted-proxy reach the AssessGuard section,
    and the server is the guarded Voilà."""
    options = ServeOptions(
        kernels_per_address=20, allowed_hosts=("quiz.example.org",), trusted_proxies=("10.0.0.1",)
    )
    guard = voila_config(options, read_settings(packaged_root()))["AssessGuard"]
    assert guard["kernels_per_address"] == 20 and guard["starts_per_minute"] >= 40
    assert guard["allowed_hosts"] == "quiz.example.org"
    assert guard["trusted_proxies"] == "10.0.0.1"
    assert voila_command(options, packaged_root())[1:3] == ["-m", GUARDED_VOILA]
    for bad in ({"trusted_proxies": ("proxy.example.org",)}, {"allowed_hosts": ("a b",)}):
        with pytest.raises(ServeError):
            ServeOptions(**bad)  # type: ignore[arg-type]


class _Process:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


class _Kernels:
    """What the tick reads of Jupyter's kernel manager: ids, processes, shutdown."""

    def __init__(self, processes: dict[str, _Process]) -> None:
        self.processes = processes
        self.shut: list[str] = []

    def list_kernel_ids(self) -> list[str]:
        return list(self.processes)

    def get_kernel(self, kernel_id: str) -> object:
        return SimpleNamespace(provisioner=SimpleNamespace(process=self.processes[kernel_id]))

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        self.shut.append(kernel_id)
        del self.processes[kernel_id]


@pytest.mark.parametrize("crash", ["process ended", "restarted blank"])
def test_a_crashed_kernel_is_ended_within_a_tick_and_its_page_told(crash: str) -> None:
    """A kernel whose process ended, or that Jupyter restarted under the same id (another
    process): ended at the next tick, its websocket closed (the page then says so); a healthy
    kernel beside it goes on."""
    kernels = _Kernels({"crashed": _Process(100), "healthy": _Process(200)})
    guard = Guard(AssessGuard(), listen_ip="127.0.0.1", log=logging.getLogger("test"))
    guard.kernel_manager = kernels
    closed: list[int] = []

    class Socket:
        def close(self, code: int, _why: str) -> None:
            closed.append(code)

    guard.sockets["crashed"] = {Socket()}

    async def ticks() -> None:
        guard.tick()
        if crash == "process ended":
            kernels.processes["crashed"].returncode = -9
        else:
            kernels.processes["crashed"] = _Process(101)
        guard.tick()
        await asyncio.sleep(0)  # the shutdown the tick scheduled

    asyncio.run(ticks())
    assert kernels.shut == ["crashed"]
    assert closed == [4001]
    assert list(kernels.processes) == ["healthy"]
