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
"""

from __future__ import annotations

import asyncio
import inspect
import os
import resource
import secrets
import socket
from typing import Any

from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream
from traitlets import Float, Integer, Unicode
from traitlets.config import Configurable

from assess.hosting.log_guard import guard_logging
from assess.hosting.visitors import (
    CURRENT_VISIT,
    Limits,
    LoginThrottle,
    Visit,
    VisitorBook,
    client_address,
    owner_digest,
    short_id,
)

VISITOR_COOKIE = "assess_visitor"
BUSY_PAGE = (
    "<!doctype html><html lang=ja><meta charset=utf-8><title>混み合っています / Busy</title>"
    "<p>ただいま混み合っています。1分ほど待ってから再読み込みしてください。</p>"
    "<p lang=en>The self-check is busy right now. Please wait a minute, then reload.</p></html>"
)
ALLOWED_MESSAGE_TYPES = frozenset(
    {
        "comm_open",
        "comm_close",
        "comm_msg",
        "comm_info_request",
        "kernel_info_request",
        "shutdown_request",
    }
)
CHANNELS = frozenset({"shell", "control", "stdin", "iopub"})
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


def hung_up(request: httputil.HTTPServerRequest) -> bool:
    """Whether the client has already closed its side (a peek finds the end of the stream)."""
    stream = getattr(request.connection, "stream", None)
    if stream is None or stream.closed():
        return True  # Tornado drops the stream of a connection it saw closed
    sock = getattr(stream, "socket", None)
    if sock is None:
        return True
    try:
        peeked: bytes = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True
    return peeked == b""


def _guard_of(handler: web.RequestHandler) -> Guard:
    guard: Guard = handler.settings["assess_guard"]
    return guard


def _visitor_token(handler: web.RequestHandler) -> str | None:
    token = handler.get_cookie(VISITOR_COOKIE)
    return token if token and 20 <= len(token) <= 100 and token.isascii() else None


def _refuse_unless_owner(handler: web.RequestHandler, kernel_id: str) -> None:
    """404 (not 403: nothing tells a stranger the kernel exists) unless the cookie owns it."""
    guard = _guard_of(handler)
    token = _visitor_token(handler)
    owner = guard.book.owner(kernel_id)
    if owner is None or token is None or not secrets.compare_digest(owner, owner_digest(token)):
        raise web.HTTPError(404)


# --- handler wrappers ----------------------------------------------------------------------


def guarded_page(base: type[Any]) -> type[Any]:
    class GuardedPage(base):  # type: ignore[misc]
        """Voilà's page: starts a kernel only for a client still there, within its limits."""

        _visit: Visit | None = None

        async def get(self, *args: Any, **kwargs: Any) -> None:
            guard = _guard_of(self)
            path = str(args[0] if args else kwargs.get("path") or "")
            if path and not path.isprintable():
                # Voilà redirects other paths to /voila/files/<path>; a control character
                # there is an invalid Location header (a 500 and a traceback).
                raise web.HTTPError(404)
            if hung_up(self.request):
                return  # nobody to render for: no kernel
            token = _visitor_token(self)
            if token is None:
                token = secrets.token_urlsafe(32)
                self.set_cookie(
                    VISITOR_COOKIE,
                    token,
                    path=self.base_url,
                    httponly=True,
                    samesite="Lax",
                    secure=self.request.protocol == "https",
                )
            self._visit = Visit(guard.address(self.request), owner_digest(token))
            reset = CURRENT_VISIT.set(self._visit)
            try:
                await super().get(*args, **kwargs)
            finally:
                CURRENT_VISIT.reset(reset)
                # Still in get: the page's last chunk is not sent yet.  A client gone by now
                # (it hung up while the kernel started) never had its page: end its kernel.
                if hung_up(self.request):
                    self._abandoned()
                self._page_done()

        def on_connection_close(self) -> None:
            self._abandoned()
            super().on_connection_close()

        def _abandoned(self) -> None:
            if self._visit is not None:
                for kernel_id in self._visit.kernels:
                    _guard_of(self).end(kernel_id, "its client hung up before the page was sent")

        def _page_done(self) -> None:
            if self._visit is not None:
                for kernel_id in self._visit.kernels:
                    _guard_of(self).book.page_done(kernel_id)

    return GuardedPage


def guarded_websocket(base: type[Any]) -> type[Any]:
    class GuardedKernelWebsocket(base):  # type: ignore[misc]
        """The kernel's websocket: its owner only, a few at once, small messages."""

        _counted = False

        async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
            _refuse_unless_owner(self, kernel_id)
            guard = _guard_of(self)
            if not guard.book.may_connect(kernel_id):
                raise web.HTTPError(429, reason="Too many connections to this kernel")
            if guard.descriptors_short(guard.config.descriptor_share):
                raise web.HTTPError(503, reason="Busy")
            await super().get(kernel_id, *args, **kwargs)

        async def open(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
            guard = _guard_of(self)
            guard.book.connected(kernel_id)
            guard.sockets.setdefault(kernel_id, set()).add(self)
            self._counted = True
            await super().open(kernel_id, *args, **kwargs)

        def on_close(self) -> None:
            if self._counted:
                self._counted = False
                guard = _guard_of(self)
                guard.book.disconnected(self.kernel_id)
                guard.sockets.get(self.kernel_id, set()).discard(self)
            if getattr(self, "connection", None) is not None:
                super().on_close()

    return GuardedKernelWebsocket


def owner_only(base: type[Any]) -> type[Any]:
    class OwnerOnly(base):  # type: ignore[misc]
        """A kernel's REST resource or shutdown beacon: its owner only."""

        def prepare(self) -> Any:
            # Jupyter's kernel route names its group (kernel_id); Voilà's beacon does not.
            kernel_id = self.path_kwargs.get("kernel_id") or (
                self.path_args[0] if self.path_args else ""
            )
            _refuse_unless_owner(self, str(kernel_id))
            return super().prepare()

    return OwnerOnly


def throttled_login(base: type[Any]) -> type[Any]:
    from jupyter_server.auth.decorator import allow_unauthenticated

    class ThrottledLogin(base):  # type: ignore[misc]
        """The token login: each try after a few failures waits longer (HTTP 429)."""

        @allow_unauthenticated
        async def post(self, *args: Any, **kwargs: Any) -> None:
            guard = _guard_of(self)
            address = guard.address(self.request)
            wait = guard.logins.wait(address)
            if wait > 0:
                self.set_status(429, reason="Too many failed logins")
                self.set_header("Retry-After", str(int(wait) + 1))
                self.finish("Too many failed logins: wait, then try again.")
                return
            result = super().post(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
            if self.get_status() in {401, 403}:
                guard.logins.failed(address)
                guard.log.warning("A failed facilitator login")
            elif self.get_status() in {301, 302, 303}:
                guard.logins.succeeded(address)

    return ThrottledLogin


class RefusedHandler(web.RequestHandler):
    """A short plain answer for requests the guard refuses before any handler runs."""

    def initialize(self, status: int, text: str) -> None:
        self._status, self._text = status, text

    def prepare(self) -> None:
        self.set_status(self._status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self._text)

    def log_exception(self, *args: Any) -> None:
        pass


class QuietErrors:
    """Mixed into every handler: an unexpected exception is answered and logged in one line
    (its type and place), as the log guard writes every traceback; an error page that cannot
    be rendered (Jupyter's templates need what Voilà does not set up) becomes plain text."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        try:
            super().write_error(status_code, **kwargs)  # type: ignore[misc]
        except Exception:
            self.clear()  # type: ignore[attr-defined]
            self.set_status(status_code)  # type: ignore[attr-defined]
            self.set_header("Content-Type", "text/plain; charset=utf-8")  # type: ignore[attr-defined]
            self.finish(f"{status_code} {httputil.responses.get(status_code, 'Error')}\n")  # type: ignore[attr-defined]

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, web.HTTPError):
            return  # an answer such as 404 or 403: the access log has it
        _guard: Guard = self.settings["assess_guard"]  # type: ignore[attr-defined]
        _guard.log.error("Unexpected error answering a request", exc_info=(typ, value, tb))


def _quiet(base: type[Any]) -> type[Any]:
    if issubclass(base, QuietErrors):
        return base
    return type(base.__name__, (QuietErrors, base), {})


def wrap_handlers(handlers: list[Any]) -> list[Any]:
    """Voilà's handler list with each handler in its guard."""
    from jupyter_server.auth.login import LoginFormHandler
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.services.kernels.handlers import KernelHandler
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from voila.handler import VoilaHandler  # type: ignore[import-untyped]
    from voila.shutdown_kernel_handler import (  # type: ignore[import-untyped]
        VoilaShutdownKernelHandler,
    )

    wrapped = []
    for entry in handlers:
        pattern, handler, *rest = entry
        if isinstance(handler, type):
            if issubclass(handler, VoilaHandler):
                handler = guarded_page(handler)
            elif issubclass(handler, KernelWebsocketHandler):
                handler = guarded_websocket(handler)
            elif issubclass(handler, VoilaShutdownKernelHandler | KernelHandler):
                handler = owner_only(handler)
            elif issubclass(handler, LoginFormHandler):
                handler = throttled_login(handler)
            elif issubclass(handler, LogoutHandler):
                # The quiz has no login to leave, and Jupyter's logout page cannot be rendered
                # by Voilà (a traceback per request): a plain 404.
                handler, rest = RefusedHandler, [{"status": 404, "text": "Not found."}]
            handler = _quiet(handler)
        wrapped.append((pattern, handler, *rest))
    return wrapped


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
            if hasattr(self.kernel_manager, "visitors"):
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
