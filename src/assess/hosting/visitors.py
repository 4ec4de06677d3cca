"""Who holds which kernel of a hosted quiz, and how much of the server one client may take.

A kernel costs about 100 MB and 4 CPU-seconds, so the server's capacity is counted in kernels
(:mod:`assess.hosting.kernel_cap` caps the total).  This book keeps the rest of the accounts,
as plain values and a clock, so that every rule can be tested without a server:

- **per client address**: at most ``kernels_per_address`` kernels held at once and
  ``starts_per_minute`` kernel starts in any minute, so that one client (one address, or one
  forwarded address behind a trusted proxy) cannot take the cap for everyone;
- **who owns a kernel**: the digest of the visitor's cookie that asked for its page; only that
  browser may open its websocket or shut it down (a kernel id alone is no key);
- **claimed or not**: a kernel whose page never opened a websocket, or whose last websocket
  closed, is given back after ``unclaimed_after`` seconds (a client that asks for the page and
  hangs up, or a closed tab whose shutdown beacon got lost, frees its place within a minute,
  not at the ten-minute idle cull).  A page still loading is not a page that left: while its
  visitor's browser still asks for files or still receives them (:meth:`VisitorBook.active`),
  a kernel its page has not claimed yet waits, up to ``loading_allowance`` seconds (a phone on
  a slow network takes a minute or more for the page's scripts);
- **websockets per kernel**: a page needs one (two while reconnecting); more are refused.

Nothing here is a secret or visitor text: addresses and digests stay in memory, never in a log.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

MINUTE = 60.0


def owner_digest(token: str) -> str:
    """What the book keeps of a visitor's cookie: enough to recognise it, not to forge it.

    >>> owner_digest("abc") == owner_digest("abc") != owner_digest("abd")
    True
    """
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def short_id(kernel_id: str) -> str:
    """A kernel id as the log may show it: enough to follow one kernel, not to reach it.

    >>> short_id("0123abcd-0000-4000-8000-000000000000")
    '0123abcd…'
    """
    return kernel_id[:8] + "…"


def client_address(
    peer: str, forwarded_for: str | None, trusted_proxies: Iterable[str] = ()
) -> str:
    """The address a request is counted under.

    Only a configured proxy is believed about whom it forwards for: then the right-most address
    of ``X-Forwarded-For`` that is not itself a trusted proxy (a client can put anything on the
    left).  Anyone else is counted under the address it connected from.

    >>> client_address("203.0.113.9", "10.0.0.1")
    '203.0.113.9'
    >>> client_address("127.0.0.1", "1.2.3.4, 198.51.100.7", ["127.0.0.1"])
    '198.51.100.7'
    >>> client_address("127.0.0.1", "not an address", ["127.0.0.1"])
    '127.0.0.1'
    """
    trusted = {_normal(a) for a in trusted_proxies}
    if _normal(peer) not in trusted or not forwarded_for:
        return peer
    for hop in reversed(forwarded_for.split(",")[-8:]):
        address = _normal(hop)
        if address is None:
            return peer
        if address not in trusted:
            return address
    return peer


def _normal(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip().strip("[]")))
    except ValueError:
        return None


@dataclass
class Visit:
    """One request for the page: who asks, and the kernels started for it."""

    address: str
    owner: str
    kernels: list[str] = field(default_factory=list)


CURRENT_VISIT: ContextVar[Visit | None] = ContextVar("assess_visit", default=None)
"""Set by the page's handler while it renders, read by the kernel manager when it starts (or
hands out) the page's kernel: the same task, so no request object has to be passed down."""


@dataclass
class _Kernel:
    address: str
    owner: str
    started: float
    sockets: int = 0
    unclaimed_since: float | None = None  # page finished or last websocket closed, none since
    claimed: bool = False  # its page has opened a websocket at least once
    loading_seen: float | None = None  # the owner's browser last fetched a file, before a claim


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of the server one client address may take."""

    kernels_per_address: int = 4
    starts_per_minute: int = 10
    websockets_per_kernel: int = 3
    unclaimed_after: float = 45.0
    render_allowance: float = 120.0
    """Seconds a page may take to be sent before its kernel counts as unclaimed anyway (a client
    that reads the page slower than that holds a kernel for nothing)."""
    loading_allowance: float = 300.0
    """Seconds after its start during which a kernel not claimed yet waits for a page whose
    browser is still fetching its files (after that, activity no longer counts)."""

    def __post_init__(self) -> None:
        for name in ("kernels_per_address", "starts_per_minute", "websockets_per_kernel"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}: at least 1")
        if self.unclaimed_after <= 0:
            raise ValueError("unclaimed_after: seconds, more than 0")


@dataclass
class VisitorBook:
    """The accounts of one server; every method is O(kernels of one address) or better."""

    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic
    _kernels: dict[str, _Kernel] = field(default_factory=dict)
    _starts: dict[str, deque[float]] = field(default_factory=dict)
    _pending: dict[str, int] = field(default_factory=dict)  # starts under way, per address

    # --- kernels --------------------------------------------------------------------------

    def refusal(self, address: str) -> str | None:
        """Why `address` may not start a kernel now (None: it may)."""
        now = self.clock()
        starts = self._starts.get(address)
        if starts is not None:
            while starts and now - starts[0] >= MINUTE:
                starts.popleft()
            if not starts:
                del self._starts[address]
            elif len(starts) >= self.limits.starts_per_minute:
                return "kernel starts per minute from one address"
        held = sum(1 for k in self._kernels.values() if k.address == address)
        held += self._pending.get(address, 0)
        if held >= self.limits.kernels_per_address:
            return "kernels held by one address"
        return None

    def starting(self, address: str) -> None:
        """A kernel start for `address` begins (counted against its rate and share at once:
        starts under way are not kernels yet, and a burst would otherwise pass the check)."""
        self._starts.setdefault(address, deque()).append(self.clock())
        self._pending[address] = self._pending.get(address, 0) + 1

    def start_ended(self, address: str) -> None:
        """The start begun by `starting` succeeded (then `started` follows) or failed."""
        left = self._pending.get(address, 0) - 1
        if left > 0:
            self._pending[address] = left
        else:
            self._pending.pop(address, None)

    def started(self, kernel_id: str, *, address: str, owner: str) -> None:
        self._kernels[kernel_id] = _Kernel(address, owner, self.clock())

    def ended(self, kernel_id: str) -> None:
        self._kernels.pop(kernel_id, None)

    def forget_all_but(self, running: Iterable[str]) -> None:
        """Drop kernels that ended without telling (culled, died)."""
        keep = set(running)
        for kernel_id in [k for k in self._kernels if k not in keep]:
            del self._kernels[kernel_id]

    def owner(self, kernel_id: str) -> str | None:
        kernel = self._kernels.get(kernel_id)
        return kernel.owner if kernel else None

    def held_by(self) -> Mapping[str, int]:
        """Kernels held per address (for tests and the status line)."""
        counts: dict[str, int] = {}
        for kernel in self._kernels.values():
            counts[kernel.address] = counts.get(kernel.address, 0) + 1
        return counts

    # --- pages and websockets -------------------------------------------------------------

    def page_done(self, kernel_id: str) -> None:
        """The page of `kernel_id` was sent (or its client hung up): it has a while to claim it."""
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and kernel.sockets == 0 and kernel.unclaimed_since is None:
            kernel.unclaimed_since = self.clock()

    def may_connect(self, kernel_id: str) -> bool:
        kernel = self._kernels.get(kernel_id)
        return kernel is not None and kernel.sockets < self.limits.websockets_per_kernel

    def connected(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.sockets += 1
            kernel.unclaimed_since = None
            kernel.claimed = True

    def disconnected(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.sockets = max(0, kernel.sockets - 1)
            if kernel.sockets == 0:
                kernel.unclaimed_since = self.clock()

    def active(self, owner: str) -> None:
        """The browser of `owner` is still loading (a request arrived, or bytes left for it):
        its kernels that no page has claimed yet keep waiting."""
        now = self.clock()
        for kernel in self._kernels.values():
            if kernel.owner == owner and not kernel.claimed:
                kernel.loading_seen = now

    def unclaimed(self) -> list[str]:
        """Kernels nobody has had a websocket to for `unclaimed_after` seconds."""
        now = self.clock()
        return [
            kernel_id
            for kernel_id, kernel in self._kernels.items()
            if kernel.sockets == 0 and now - self._since(kernel) >= self.limits.unclaimed_after
        ]

    def _since(self, kernel: _Kernel) -> float:
        since = (
            kernel.unclaimed_since
            if kernel.unclaimed_since is not None
            else kernel.started + self.limits.render_allowance
        )
        if kernel.loading_seen is not None and not kernel.claimed:
            loading_until = kernel.started + self.limits.loading_allowance
            since = max(since, min(kernel.loading_seen, loading_until))
        return since


@dataclass
class LoginThrottle:
    """Failed token logins per address: after `free_tries`, each try waits twice as long as the
    one before (1 s, 2 s, 4 s... up to `longest`), so guessing a token takes forever while a
    facilitator who mistyped it waits seconds.  A success forgets the address.

    >>> now = [0.0]
    >>> throttle = LoginThrottle(free_tries=2, clock=lambda: now[0])
    >>> for _ in range(3):
    ...     throttle.failed("a")
    >>> throttle.wait("a"), throttle.wait("b")
    (1.0, 0.0)
    >>> now[0] = 1.0
    >>> throttle.wait("a")
    0.0
    """

    free_tries: int = 5
    longest: float = 300.0
    forget_after: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait(self, address: str) -> float:
        """Seconds `address` must wait before its next try (0: it may try now)."""
        count, last = self._failures.get(address, (0, 0.0))
        now = self.clock()
        if count and now - last >= self.forget_after:
            del self._failures[address]
            return 0.0
        if count <= self.free_tries:
            return 0.0
        delay = min(self.longest, 2.0 ** (count - self.free_tries - 1))
        return max(0.0, last + delay - now)

    def failed(self, address: str) -> None:
        count, _ = self._failures.get(address, (0, 0.0))
        if len(self._failures) > 10_000 and address not in self._failures:
            self._failures.clear()  # a flood of addresses: start over rather than grow
        self._failures[address] = (count + 1, self.clock())

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
