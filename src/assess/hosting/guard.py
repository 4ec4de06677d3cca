"""Voilà for a hosted quiz that one careless or hostile client cannot take down.

``assess serve`` runs ``python -m assess.hosting.guard`` instead of ``python -m voila``: the same
application and command line, with these guards around Voilà's own handlers (settings in the
``AssessGuard`` section, e.g. ``--AssessGuard.allowed_hosts=quiz.example.org``):

- **The page starts a kernel only for a client that is still there**, and only within the
  limits of its address (:class:`assess.hosting.visitors.VisitorBook`): a client that hangs up
  before its page is rendered starts nothing, and a kernel whose page never connects, or whose
  tab has gone, is given back within ``unclaimed_after`` seconds; a page whose browser is still
  fetching its files (a phone on a slow network) keeps its kernel meanwhile.  A kernel that
  crashed (and that Jupyter restarted blank) is ended, so that its page says so.
- **A kernel answers only the browser that asked for its page**: the page sets a random
  ``assess_visitor`` cookie (HttpOnly, never logged) and the kernel's websocket, its REST
  resource and Voilà's shutdown beacon are refused (404) to anyone without it.
- **Per connection**: websocket messages over ``max_message_bytes`` close that websocket; no
  more than ``websockets_per_kernel``; malformed or unexpected messages are dropped and counted;
  a kernel over ``kernel_memory_mb`` is shut down (the server and the other kernels go on); new
  connections beyond a share of the process's descriptors, or beyond ``connections_per_address``
  from one address, get a short "busy" page instead of a server that fails everyone.
- **Responses** are compressed (gzip) when the browser accepts it: text, scripts, JSON.
- **Requests**: the Host header must be one of ``allowed_hosts`` (421 otherwise: a DNS
  rebinding page gets nothing); a facilitator's token login slows down after repeated
  failures; an unexpected error answers 404/500 without a traceback in the log.
- **The log** (:mod:`assess.hosting.log_guard`): no visitor text, no full kernel id, bounded.

The settings and live state are in :mod:`assess.hosting.guard_state`, the handlers' guards in
:mod:`assess.hosting.guard_handlers`, the websocket messages' check in
:mod:`assess.hosting.guard_connection`, the accounts in :mod:`assess.hosting.visitors`, and every
hook into Voilà's private insides in :mod:`assess.hosting.voila_private`.
"""

from __future__ import annotations

from typing import Any

from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream

from assess.hosting.guard_handlers import RefusedHandler, wrap_handlers
from assess.hosting.guard_state import AssessGuard, Guard
from assess.hosting.log_guard import guard_logging
from assess.hosting.page_texts import busy_page_html, server_page_texts
from assess.hosting.voila_private import start_guarded

BUSY_PAGE = busy_page_html(server_page_texts())
"""The short page a refused connection gets, in every language the build offers."""
TICK_SECONDS = 1.0


# --- the application and its server -------------------------------------------------------


class GuardedApplication(web.Application):
    """Voilà's Tornado application with a Host check in front of every handler."""

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        guard: Guard = self.settings["assess_guard"]
        if not guard.host_allowed(request):
            return self.get_handler_delegate(
                request, RefusedHandler, {"status": 421, "text": "Unknown host name."}
            )
        guard.visitor_loading(request)
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
            # Tornado's one timeout for a request's headers and for an idle kept-alive
            # connection: a client that sends its headers a byte at a time (slowloris) holds a
            # descriptor for this long, and a browser simply opens a new connection.
            idle_connection_timeout=guard.config.header_timeout,
            body_timeout=guard.config.header_timeout,
        )
        server.listen(port, address)
        return server


class GuardedHTTPServer(HTTPServer):
    """Keeps room for new visitors when connections run short, before a request is read.

    A new connection from an address that already holds ``connections_per_address`` gets a
    short "busy" page.  Once the process uses ``busy_share`` of its descriptors (below the
    share at which kernel starts stop, so that a new visitor's kernel can still start), an
    address holding ``connections_when_busy`` or more (a browser needs six and a websocket) gets
    the busy page for a new one, and a newcomer from an address holding fewer is let in, the
    address holding the most giving up its oldest connection if the process is short: a few
    addresses holding hundreds of slow connections cannot keep anyone else out.  What was
    refused or given up is counted and logged once a minute (:meth:`Guard.connection_refused`).
    """

    def initialize(self, *args: Any, guard: Guard, **kwargs: Any) -> None:  # type: ignore[override]
        super().initialize(*args, **kwargs)
        self.guard = guard
        self.open_streams: dict[str, list[IOStream]] = {}

    def handle_stream(self, stream: IOStream, address: Any) -> None:
        peer = str(address[0]) if isinstance(address, tuple) and address else ""
        guard = self.guard
        streams = self._open(peer)
        limited = peer not in guard.trusted_proxies
        if limited and len(streams) >= guard.config.connections_per_address:
            self._refuse(stream, "refused: its address already held its share of connections")
            return
        if guard.descriptors_short(guard.config.busy_share):
            if limited and len(streams) >= guard.config.connections_when_busy:
                self._refuse(
                    stream, "refused: its address held many connections while the server was busy"
                )
                return
            if not self._make_room(for_peer=peer, holding=len(streams)) and (
                guard.descriptors_short(guard.config.descriptor_share)
            ):
                self._refuse(stream, "refused: the server was short of descriptors")
                return
        streams.append(stream)
        self.open_streams[peer] = streams
        super().handle_stream(stream, address)

    def _open(self, peer: str) -> list[IOStream]:
        streams = [s for s in self.open_streams.get(peer, []) if not s.closed()]
        if streams:
            self.open_streams[peer] = streams
        else:
            self.open_streams.pop(peer, None)
        return streams

    def _make_room(self, *, for_peer: str, holding: int) -> bool:
        """Close the oldest connection of the address holding the most, if it holds more than
        the newcomer's address would; whether room was made."""
        # A trusted proxy's connections are many visitors': never the ones to give room.
        counts = {
            peer: len(self._open(peer))
            for peer in list(self.open_streams)
            if peer not in self.guard.trusted_proxies
        }
        if not any(counts.values()):
            return False
        busiest = max(counts, key=lambda peer: counts[peer])
        if busiest == for_peer or counts[busiest] <= holding + 1:
            return False
        oldest = self.open_streams[busiest].pop(0)
        oldest.close()
        self.guard.connection_refused(
            "closed: the busiest address gave its oldest up for a newcomer"
        )
        return True

    def _refuse(self, stream: IOStream, why: str) -> None:
        self.guard.connection_refused(why)
        body = BUSY_PAGE.encode("utf-8")
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Retry-After: 60\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        stream.write(head + body).add_done_callback(lambda _: stream.close())


def _tornado_settings(guard: Guard) -> dict[str, Any]:
    return {
        "assess_guard": guard,
        # Voilà sends ≈ 9.7 MB of scripts, JSON and pages, uncompressed by default: ≈ 50 s on
        # a slow phone network.  Tornado compresses text, scripts and JSON (gzip) for browsers
        # that accept it (all do).
        "compress_response": True,
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
            if settings.get("cookie_secret"):
                self.guard.cookie_secret = settings["cookie_secret"]
            self.guard.kernel_manager = self.kernel_manager
            # Visitors, owners and websockets are counted by assess serve's kernel manager; a
            # Voilà without it (the facilitator's) keeps the other guards.
            self.guard.tracks_visitors = hasattr(self.kernel_manager, "visitors")
            if self.guard.tracks_visitors:
                self.kernel_manager.visitors = self.guard.book
                self.kernel_manager.kernel_ending = self.guard.shutting_down
                self.kernel_manager.kernel_ended = self.guard.shut_down
                self.kernel_manager.descriptors_short = lambda: self.guard.descriptors_short(
                    self.guard.config.descriptor_share * 0.8
                )
            settings.update(_tornado_settings(self.guard))
            # The wording of the server's own pages (page.html, 503.html, error.html).
            settings["voila_jinja2_env"].globals["assess_texts"] = server_page_texts()
            return settings

        def start(self) -> None:
            # Voilà's start, with the guarded application (and its guarded HTTP server).
            def before_listen() -> None:
                guard_logging()
                PeriodicCallback(self.guard.tick, TICK_SECONDS * 1000).start()

            start_guarded(
                self,
                application_class=GuardedApplication,
                guard_settings=lambda: _tornado_settings(self.guard),
                wrap_handlers=wrap_handlers,
                before_listen=before_listen,
            )

    return GuardedVoila


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs the server
    """``python -m assess.hosting.guard notebook.ipynb --Voila.port=...``."""
    app = _make_app()
    app.launch_instance(argv=argv)


if __name__ == "__main__":  # pragma: no cover
    main()
