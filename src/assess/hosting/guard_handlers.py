"""The handlers of Voilà, each in its guard (:mod:`assess.hosting.guard` puts them in place).

- the page (:func:`guarded_page`): no kernel for a client that hung up; a visitor cookie; the
  kernels started for the request known to the book of visitors, and ended at once if the
  client leaves before its page is sent;
- the kernel's websocket (:func:`guarded_websocket`), REST resource and shutdown beacon
  (:func:`owner_only`): the owner's cookie only, and a few websockets per kernel;
- the token login (:func:`throttled_login`): slower after repeated failures;
- every handler (:class:`QuietErrors`): an error page that cannot be rendered becomes plain
  text, and an unexpected error one log line.
"""

from __future__ import annotations

import inspect
import secrets
import socket
from typing import Any

from tornado import httputil, web

from assess.hosting.guard_state import VISITOR_COOKIE, Guard
from assess.hosting.visitors import CURRENT_VISIT, Visit, owner_digest
from assess.hosting.voila_private import check_handler_table, handler_kinds


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
    return _guard_of(handler).visitor_of(handler.get_cookie(VISITOR_COOKIE))


def _refuse_unless_owner(handler: web.RequestHandler, kernel_id: str) -> None:
    """404 (not 403: nothing tells a stranger the kernel exists) unless the cookie owns it."""
    guard = _guard_of(handler)
    if not guard.tracks_visitors:
        return  # a Voilà behind its own token (the facilitator's): that token is the key
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
                # Issued here, signed with the server's secret: a value the client chose (or
                # copied from another client) is not the server's and is replaced.
                token = secrets.token_urlsafe(32)
                self.set_cookie(
                    VISITOR_COOKIE,
                    guard.signed_visitor(token),
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
            if guard.tracks_visitors and not guard.book.may_connect(kernel_id):
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
        guard: Guard = self.settings["assess_guard"]  # type: ignore[attr-defined]
        guard.log.error("Unexpected error answering a request", exc_info=(typ, value, tb))


def _quiet(base: type[Any]) -> type[Any]:
    if issubclass(base, QuietErrors):
        return base
    return type(base.__name__, (QuietErrors, base), {})


def strict_static(base: type[Any]) -> type[Any]:
    class StrictStatic(base):  # type: ignore[misc]
        """Voilà's template files: a path it cannot take apart (``x/../y``, no ``static``
        part) is a 404, not an assertion that fails into a 500 and a traceback.  Each part of
        a file that leaves for a visitor's browser says its page is still loading."""

        def flush(self, *args: Any, **kwargs: Any) -> Any:
            _guard_of(self).visitor_loading(self.request)
            return super().flush(*args, **kwargs)

        async def get(self, path: str, *args: Any, **kwargs: Any) -> None:
            try:
                await super().get(path, *args, **kwargs)
            except (ValueError, AssertionError, UnboundLocalError):
                raise web.HTTPError(404) from None

    return StrictStatic


def wrap_handlers(handlers: list[Any]) -> list[Any]:
    """Voilà's handler list with each handler in its guard; refused (an exception, no server)
    when a handler the guard must wrap is not in it (:mod:`assess.hosting.voila_private`)."""
    kinds = handler_kinds()
    guards: dict[str, Any] = {
        "page": guarded_page,
        "websocket": guarded_websocket,
        "beacon": owner_only,
        "kernel": owner_only,
        "static": strict_static,
        "login": throttled_login,
    }
    found: set[str] = set()
    wrapped = []
    for entry in handlers:
        pattern, handler, *rest = entry
        if isinstance(handler, type):
            kind = next((k for k, cls in kinds.items() if issubclass(handler, cls)), None)
            if kind is not None:
                found.add(kind)
            if kind == "logout":
                # The quiz has no login to leave, and Jupyter's logout page cannot be rendered
                # by Voilà (a traceback per request): a plain 404.
                handler, rest = RefusedHandler, [{"status": 404, "text": "Not found."}]
            elif kind is not None:
                handler = guards[kind](handler)
            handler = _quiet(handler)
        wrapped.append((pattern, handler, *rest))
    check_handler_table(found)
    return wrapped
