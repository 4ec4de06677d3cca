"""The guard's settings and live state, shared by the server (:mod:`assess.hosting.guard`) and
the handlers' guards (:mod:`assess.hosting.guard_handlers`), which both read it.

- :class:`AssessGuard`: the limits, as configurable traits (``--AssessGuard.<name>=...``);
- :class:`Guard`: the book of visitors, the open websockets per kernel, and the tick that gives
  back unclaimed kernels, ends kernels over their memory ceiling and kernels that crashed.

A crashed kernel (killed by the OOM killer, say) is restarted by Jupyter, blank, under the same
id: the page's widgets then point at nothing, and Next does nothing.  The tick notices within a
second (its process has ended, or the kernel's process is another one) and ends the kernel, which
closes its websockets: the page says the connection was lost and offers to continue
(``kernel_lost.html.j2``), as for a kernel culled when idle.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from collections import Counter
from typing import Any

from tornado import httputil, web
from traitlets import Float, Integer, Unicode
from traitlets.config import Configurable

from assess.hosting.visitors import (
    Limits,
    LoginThrottle,
    VisitorBook,
    client_address,
    owner_digest,
    short_id,
)
from assess.hosting.voila_private import kernel_process

VISITOR_COOKIE = "assess_visitor"
VISITOR_COOKIE_DAYS = 1  # a kernel lives ten idle minutes: a day-old visitor cookie owns nothing
MAX_UNTRUSTED_WARNINGS = 3  # addresses named by the "not a trusted proxy" warning, at most
MAX_COOKIE = 300  # characters of a signed visitor cookie; a longer one is not ours
KERNEL_ENDED = 4001
"""The close code of a kernel's websocket when the guard ended the kernel: the page's script
(``kernel_lost.html.j2``) then says at once that the connection was lost."""


class AssessGuard(Configurable):
    """The limits of a hosted quiz (see :mod:`assess.hosting.guard`; docs/hosting.md explains
    each)."""

    kernels_per_address = Integer(10, config=True, help="Kernels one client address may hold.")
    starts_per_minute = Integer(20, config=True, help="Kernel starts per address per minute.")
    websockets_per_kernel = Integer(3, config=True, help="Websockets one kernel accepts.")
    unclaimed_after = Float(
        15.0, config=True, help="Seconds a kernel may wait for its page's websocket."
    )
    loading_allowance = Float(
        300.0,
        config=True,
        help="Seconds a kernel waits at most for a page whose browser is still loading it.",
    )
    kernel_memory_mb = Integer(400, config=True, help="A kernel above this is shut down.")
    max_message_bytes = Integer(65536, config=True, help="Largest websocket message accepted.")
    connections_per_address = Integer(64, config=True, help="Open connections per address.")
    refusals_every = Float(60.0, config=True, help="Seconds between counts of refused connections.")
    header_timeout = Float(10.0, config=True, help="Seconds for a request's headers, or idle.")
    descriptor_share = Float(
        0.75, config=True, help="Share of the descriptor limit above which connections wait."
    )
    busy_share = Float(0.5, config=True, help="Descriptor share above which busy addresses wait.")
    connections_when_busy = Integer(8, config=True, help="An address's connections when busy.")
    allowed_hosts = Unicode(
        "", config=True, help="Host names the quiz answers to, comma-separated (+ the local ones)."
    )
    trusted_proxies = Unicode(
        "", config=True, help="Proxy addresses whose X-Forwarded-For is believed, comma-separated."
    )
    login_free_tries = Integer(5, config=True, help="Failed logins before each try waits.")


def _split(text: str) -> list[str]:
    return [part.strip().lower() for part in text.split(",") if part.strip()]


def visitor_token(cookie: str | None) -> str | None:
    """The visitor cookie's value if it can be one (a hostile client sends anything).

    >>> visitor_token("x" * 43) == "x" * 43, visitor_token("short"), visitor_token(None)
    (True, None, None)
    """
    return cookie if cookie and 20 <= len(cookie) <= 100 and cookie.isascii() else None


class Guard:
    """The live state of the guards for one server."""

    def __init__(self, config: AssessGuard, *, listen_ip: str, log: Any) -> None:
        self.config = config
        self.log = log
        self.book = VisitorBook(
            Limits(
                kernels_per_address=config.kernels_per_address,
                starts_per_minute=config.starts_per_minute,
                websockets_per_kernel=config.websockets_per_kernel,
                unclaimed_after=config.unclaimed_after,
                loading_allowance=config.loading_allowance,
            )
        )
        self.logins = LoginThrottle(free_tries=config.login_free_tries)
        self.trusted_proxies = _split(config.trusted_proxies)
        local = {"localhost", "127.0.0.1", "::1", "[::1]"}
        if listen_ip not in {"", "0.0.0.0", "::"}:
            local.add(listen_ip.lower())
        self.allowed_hosts = local | set(_split(config.allowed_hosts))
        self.ending: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self.sockets: dict[str, set[Any]] = {}  # open websocket handlers, per kernel
        self.processes: dict[str, int] = {}  # the pid each kernel was first seen with
        self.kernel_manager: Any = None
        self.tracks_visitors = True
        self.descriptor_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        # Voilà's own cookie secret (new at every start unless configured) signs the visitor
        # cookie; GuardedVoila sets it, this one serves a Guard made without a server.
        self.cookie_secret: bytes = os.urandom(32)
        self._untrusted_warned: set[str] = set()
        self.refused: Counter[str] = Counter()  # connections refused, by why, this minute
        self._refusals_since = time.monotonic()

    # --- requests -------------------------------------------------------------------------

    def address(self, request: httputil.HTTPServerRequest) -> str:
        peer, forwarded = str(request.remote_ip), request.headers.get("X-Forwarded-For")
        if forwarded and peer not in self.trusted_proxies and peer not in self._untrusted_warned:
            self.untrusted_proxy(peer)
        return client_address(peer, forwarded, self.trusted_proxies)

    def untrusted_proxy(self, peer: str) -> None:
        """Say once per address that a proxy in front is not trusted: behind it, every visitor
        counts as that one address, and the room shares one address's kernels."""
        if len(self._untrusted_warned) >= MAX_UNTRUSTED_WARNINGS:
            return  # any client can send the header: a few lines, then silence
        self._untrusted_warned.add(peer)
        self.log.warning(
            "Requests from %s carry X-Forwarded-For, but it is not a trusted proxy: every visitor "
            "behind it counts as that one address. If it is your reverse proxy, start assess "
            "serve with --trusted-proxy %s",
            peer,
            peer,
        )

    def host_allowed(self, request: httputil.HTTPServerRequest) -> bool:
        host, _ = httputil.split_host_and_port(request.host.lower())
        return host in self.allowed_hosts

    def visitor_loading(self, request: httputil.HTTPServerRequest) -> None:
        """A request of a visitor's browser arrived, or bytes left for it: its page is still
        loading (see :meth:`assess.hosting.visitors.VisitorBook.active`)."""
        if not self.tracks_visitors:
            return
        morsel = request.cookies.get(VISITOR_COOKIE)
        token = self.visitor_of(morsel.value if morsel is not None else None)
        if token is not None:
            self.book.active(owner_digest(token))

    def signed_visitor(self, token: str) -> str:
        """The visitor cookie's value for `token`: signed, so only this server issues one."""
        signed = web.create_signed_value(self.cookie_secret, VISITOR_COOKIE, token)
        return signed.decode("ascii")

    def visitor_of(self, cookie: str | None) -> str | None:
        """The visitor token a cookie carries, if this server signed it (else None: a value a
        client chose, or one another server signed, counts as no cookie at all)."""
        if not cookie or len(cookie) > MAX_COOKIE or not cookie.isascii():
            return None
        value = web.decode_signed_value(
            self.cookie_secret, VISITOR_COOKIE, cookie, max_age_days=VISITOR_COOKIE_DAYS
        )
        return visitor_token(value.decode("ascii", "replace")) if value else None

    def descriptors_in_use(self) -> int:
        try:
            return len(os.listdir("/proc/self/fd"))
        except OSError:  # not Linux: no budget but the operating system's
            return 0

    def descriptors_short(self, share: float) -> bool:
        return self.descriptors_in_use() >= int(self.descriptor_limit * share)

    def connection_refused(self, why: str) -> None:
        """Count a connection refused or given up (the log says it once a minute)."""
        self.refused[why] += 1

    def report_refusals(self, *, now: float | None = None) -> None:
        """Once a minute (``refusals_every``), one line for the connections refused in it."""
        now = time.monotonic() if now is None else now
        if now - self._refusals_since < self.config.refusals_every:
            return
        if self.refused:
            reasons = "; ".join(f"{count} {why}" for why, count in self.refused.most_common())
            self.log.warning(
                "Refused or closed %d connection(s) in the last %.0f s: %s",
                self.refused.total(),
                now - self._refusals_since,
                reasons,
            )
        self.refused = Counter()
        self._refusals_since = now

    # --- kernels --------------------------------------------------------------------------

    def tick(self) -> None:
        """Give back unclaimed kernels; end crashed kernels and kernels over their memory
        ceiling."""
        self.report_refusals()
        manager = self.kernel_manager
        if manager is None:
            return
        running = list(manager.list_kernel_ids())
        self.book.forget_all_but(running)
        for kernel_id in set(self.sockets) - set(running):  # died without a shutdown
            self.close_sockets(kernel_id)
        for kernel_id in set(self.processes) - set(running):
            del self.processes[kernel_id]
        for kernel_id in self.book.unclaimed():
            self.end(kernel_id, "its page never connected, or its tab has gone")
        ceiling = self.config.kernel_memory_mb * 2**20
        for kernel_id in running:
            if kernel_id in self.ending:
                continue
            process = kernel_process(manager, kernel_id)
            if process is None:
                continue
            first = self.processes.setdefault(kernel_id, process.pid)
            if process.poll() is not None:
                self.end(kernel_id, "its process ended (a crash, or the out-of-memory killer)")
                continue
            if first != process.pid:
                self.end(kernel_id, "it was restarted blank after its process ended")
                continue
            used = _resident_bytes(process.pid)
            if used > ceiling:
                self.end(kernel_id, f"it used {used // 2**20} MB, over its {ceiling // 2**20} MB")

    def shutting_down(self, kernel_id: str) -> None:
        """A shutdown of the kernel began (a beacon, the idle cull, the guard): its process will
        end, which the tick must not take for a crash and end a second time."""
        self.ending.add(kernel_id)

    def shut_down(self, kernel_id: str) -> None:
        """The kernel's shutdown is over: its websockets are closed."""
        self.close_sockets(kernel_id)
        self.ending.discard(kernel_id)

    def close_sockets(self, kernel_id: str) -> None:
        """Jupyter Server leaves a shut-down kernel's websockets open: the page would wait on
        a kernel that is gone.  Closing them lets the page say so at once."""
        for handler in list(self.sockets.pop(kernel_id, ())):
            handler.close(KERNEL_ENDED, "kernel ended")

    def end(self, kernel_id: str, why: str) -> None:
        if kernel_id in self.ending:
            return
        self.ending.add(kernel_id)
        self.book.ended(kernel_id)
        self.log.warning("Shutting kernel %s down: %s", short_id(kernel_id), why)
        self.close_sockets(kernel_id)

        async def shut() -> None:
            try:
                await self.kernel_manager.shutdown_kernel(kernel_id, now=True)
            except Exception as error:  # already gone
                self.log.info(
                    "Kernel %s was already gone (%s)", short_id(kernel_id), type(error).__name__
                )
            finally:
                self.ending.discard(kernel_id)

        task = asyncio.ensure_future(shut())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _resident_bytes(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0
