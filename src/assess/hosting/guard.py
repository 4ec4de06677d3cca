"""Voilà for a hosted quiz that one careless or hostile client cannot take down.

``assess serve`` runs ``python -m assess.hosting.guard`` instead of ``python -m voila``: the same
application and command line, with these guards around Voilà's own handlers (settings in the
``AssessGuard`` section, e.g. ``--AssessGuard.allowed_hosts=quiz.example.org``):

- **The page starts a kernel only for a client that is still there**, and only within the
  limits of its address (:class:`assess.hosting.visitors.VisitorBook`): a client that hangs up
  before its page is rendered starts nothing, and a kernel whose page never connects, or whose
  tab has gone, is given back within ``unclaimed_after`` seconds.
- **A kernel answers only the browser that asked for its page**: the page sets a random
  ``assess_visitor`` cookie (HttpOnly, never logged) and the kernel's websocket, its REST
  resource and Voilà's shutdown beacon are refused (404) to anyone without it.
- **Per connection**: websocket messages over ``max_message_bytes`` close that websocket; no
  more than ``websockets_per_kernel``; malformed or unexpected messages are dropped and counted;
  a kernel over ``kernel_memory_mb`` is shut down (the server and the other kernels go on); new
  connections beyond a share of the process's descriptors, or beyond ``connections_per_address``
  from one address, get a short "busy" page instead of a server that fails everyone.
- **Requests**: the Host header must be one of ``allowed_hosts`` (421 otherwise: a DNS
  rebinding page gets nothing); a facilitator's token login slows down after repeated
  failures; an unexpected error answers 404/500 without a traceback in the log.
- **The log** (:mod:`assess.hosting.log_guard`): no visitor text, no full kernel id, bounded.

The handlers' guards are in :mod:`assess.hosting.guard_handlers`, the websocket messages' check
in :mod:`assess.hosting.guard_connection`, the accounts in :mod:`assess.hosting.visitors`.
"""

from __future__ import annotations

import asyncio
import os
import resource
from typing import Any

from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream
from traitlets import Float, Integer, Unicode
from traitlets.config import Configurable

from assess.hosting.guard_handlers import RefusedHandler, wrap_handlers
from assess.hosting.log_guard import guard_logging
from assess.hosting.visitors import (
    Limits,
    LoginThrottle,
    VisitorBook,
    client_address,
    short_id,
)

BUSY_PAGE = (
    "<!doctype html><html lang=ja><meta charset=utf-8><title>混み合っています / Busy</title>"
    "<p>ただいま混み合っています。1分ほど待ってから再読み込みしてください。</p>"
    "<p lang=en>The self-check is busy right now. Please wait a minute, then reload.</p></html>"
)
TICK_SECONDS = 1.0


class AssessGuard(Configurable):
    """The limits of a hosted quiz (see the module's text; docs/hosting.md explains each)."""

    kernels_per_address = Integer(10, config=True, help="Kernels one client address may hold.")
    starts_per_minute = Integer(20, config=True, help="Kernel starts per address per minute.")
    websockets_per_kernel = Integer(3, config=True, help="Websockets one kernel accepts.")
    unclaimed_after = Float(
        45.0, config=True, help="Seconds a kernel may wait for its page's websocket."
    )
    kernel_memory_mb = Integer(400, config=True, help="A kernel above this is shut down.")
    max_message_bytes = Integer(65536, config=True, help="Largest websocket message accepted.")
    connections_per_address = Integer(64, config=True, help="Open connections per address.")
    descriptor_share = Float(
        0.75, config=True, help="Share of the descriptor limit above which connections wait."
    )
    allowed_hosts = Unicode(
        "", config=True, help="Host names the quiz answers to, comma-separated (+ the local ones)."
    )
    trusted_proxies = Unicode(
        "", config=True, help="Proxy addresses whose X-Forwarded-For is believed, comma-separated."
    )
    login_free_tries = Integer(5, config=True, help="Failed logins before each try waits.")


def _split(text: str) -> list[str]:
    return [part.strip().lower() for part in text.split(",") if part.strip()]


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
        self.kernel_manager: Any = None
        self.tracks_visitors = True
        self.descriptor_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]

    # --- requests -------------------------------------------------------------------------

    def address(self, request: httputil.HTTPServerRequest) -> str:
        return client_address(
            str(request.remote_ip), request.headers.get("X-Forwarded-For"), self.trusted_proxies
        )

    def host_allowed(self, request: httputil.HTTPServerRequest) -> bool:
        host, _ = httputil.split_host_and_port(request.host.lower())
        return host in self.allowed_hosts

    def descriptors_in_use(self) -> int:
        try:
            return len(os.listdir("/proc/self/fd"))
        except OSError:  # not Linux: no budget but the operating system's
            return 0

    def descriptors_short(self, share: float) -> bool:
        return self.descriptors_in_use() >= int(self.descriptor_limit * share)

    # --- kernels --------------------------------------------------------------------------

    def tick(self) -> None:
        """Give back unclaimed kernels and end kernels over their memory ceiling."""
        manager = self.kernel_manager
        if manager is None:
            return
        running = list(manager.list_kernel_ids())
        self.book.forget_all_but(running)
        for kernel_id in set(self.sockets) - set(running):  # died without a shutdown
            self.close_sockets(kernel_id)
        for kernel_id in self.book.unclaimed():
            self.end(kernel_id, "its page never connected, or its tab has gone")
        ceiling = self.config.kernel_memory_mb * 2**20
        for kernel_id in running:
            used = _resident_bytes(_pid(manager, kernel_id))
            if used > ceiling:
                self.end(kernel_id, f"it used {used // 2**20} MB, over its {ceiling // 2**20} MB")

    def close_sockets(self, kernel_id: str) -> None:
        """Jupyter Server leaves a shut-down kernel's websockets open: the page would wait on
        a kernel that is gone.  Closing them lets the page say so at once."""
        for handler in list(self.sockets.pop(kernel_id, ())):
            handler.close(4001, "kernel ended")

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


def _pid(manager: Any, kernel_id: str) -> int | None:
    try:
        kernel = manager.get_kernel(kernel_id)
    except KeyError:
        return None
    process = getattr(getattr(kernel, "provisioner", None), "process", None)
    pid = getattr(process, "pid", None)
    return pid if isinstance(pid, int) else None


def _resident_bytes(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


# --- the application and its server -------------------------------------------------------


class GuardedApplication(web.Application):
    """Voilà's Tornado application with a Host check in front of every handler."""

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        guard: Guard = self.settings["assess_guard"]
        if not guard.host_allowed(request):
            return self.get_handler_delegate(
                request, RefusedHandler, {"status": 421, "text": "Unknown host name."}
            )
        return super().find_handler(request, **kwargs)

    def log_request(self, handler: web.RequestHandler) -> None:
        # Tornado logs a 500 with the whole request; the log guard redacts the line anyway.
        super().log_request(handler)

    def listen(self, port: int, address: str = "", **kwargs: Any) -> HTTPServer:  # type: ignore[override]
        guard: Guard = self.settings["assess_guard"]
        server = GuardedHTTPServer(
            self,
            guard=guard,
            max_body_size=2**20,  # the quiz posts small forms only (login, shutdown beacon)
            max_header_size=16 * 2**10,
            idle_connection_timeout=120,
            body_timeout=30,
        )
        server.listen(port, address)
        return server


class GuardedHTTPServer(HTTPServer):
    """Refuses a new connection with a short page, before it is read, when the process is
    short of descriptors or its address already holds too many connections."""

    def initialize(self, *args: Any, guard: Guard, **kwargs: Any) -> None:  # type: ignore[override]
        super().initialize(*args, **kwargs)
        self.guard = guard
        self.open_streams: dict[str, list[IOStream]] = {}

    def handle_stream(self, stream: IOStream, address: Any) -> None:
        peer = str(address[0]) if isinstance(address, tuple) and address else ""
        streams = [s for s in self.open_streams.get(peer, []) if not s.closed()]
        guard = self.guard
        limited = peer not in guard.trusted_proxies
        if (limited and len(streams) >= guard.config.connections_per_address) or (
            guard.descriptors_short(guard.config.descriptor_share)
        ):
            body = BUSY_PAGE.encode("utf-8")
            head = (
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Retry-After: 60\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode("ascii")
            stream.write(head + body).add_done_callback(lambda _: stream.close())
            return
        streams.append(stream)
        self.open_streams[peer] = streams
        super().handle_stream(stream, address)


def _tornado_settings(guard: Guard) -> dict[str, Any]:
    return {
        "assess_guard": guard,
        "websocket_max_message_size": guard.config.max_message_bytes,
        "websocket_ping_interval": 30,
        "websocket_ping_timeout": 30,
        "serve_traceback": False,
    }


def _make_app() -> Any:
    """The Voilà application class with the guards (imported late: Voilà is an extra)."""
    from voila.app import Voila  # type: ignore[import-untyped]

    from assess.hosting.guard_connection import GuardedConnection

    class GuardedVoila(Voila):  # type: ignore[misc]
        name = "voila"
        classes = [*Voila.classes, AssessGuard]  # noqa: RUF012

        def init_settings(self) -> dict[str, Any]:
            self.kernel_websocket_connection_class = GuardedConnection
            settings: dict[str, Any] = super().init_settings()
            self.guard = Guard(AssessGuard(parent=self), listen_ip=self.ip, log=self.log)
            self.guard.kernel_manager = self.kernel_manager
            # Visitors, owners and websockets are counted by assess serve's kernel manager; a
            # Voilà without it (the facilitator's) keeps the other guards.
            self.guard.tracks_visitors = hasattr(self.kernel_manager, "visitors")
            if self.guard.tracks_visitors:
                self.kernel_manager.visitors = self.guard.book
                self.kernel_manager.kernel_ended = self.guard.close_sockets
                self.kernel_manager.descriptors_short = lambda: self.guard.descriptors_short(
                    self.guard.config.descriptor_share * 0.8
                )
            settings.update(_tornado_settings(self.guard))
            return settings

        def init_handlers(self) -> list[Any]:
            return wrap_handlers(super().init_handlers())

        def start(self) -> None:
            import tempfile

            # Voilà's start, with the guarded application (and its guarded HTTP server).
            self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
            settings = self.init_settings()
            self.app = GuardedApplication(**settings)
            self.app.settings.update(self.tornado_settings)
            self.app.settings.update(_tornado_settings(self.guard))
            self.app.add_handlers(".*$", self.init_handlers())
            guard_logging()
            PeriodicCallback(self.guard.tick, TICK_SECONDS * 1000).start()
            self.listen()

    return GuardedVoila


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs the server
    """``python -m assess.hosting.guard notebook.ipynb --Voila.port=...``."""
    app = _make_app()
    app.launch_instance(argv=argv)


if __name__ == "__main__":  # pragma: no cover
    main()
