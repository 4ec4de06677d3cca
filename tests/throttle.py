"""A phone's link on loopback: a TCP proxy that shapes every connection through it like one network.

Chromium's network emulation is set on a page and does not shape what the page's Web Worker or
service worker fetch, and the static site's Python arrives through the worker.  A proxy between
the browser and the server shapes everything alike: the browser opens ``127.0.0.1:link.port``
instead of the server's port, and the bytes pass unchanged (the Host header names the proxy's
port, so a server that checks it must allow that).

Like a real link, its capacity is shared: all connections through one :class:`ThrottledLink`
queue for the same downlink and uplink, each chunk waits for the link to be free, takes
``size / rate`` to send and arrives one half round trip later; a new connection waits one round
trip before its first byte (the TCP handshake).  Counters say how many bytes went each way, so a
test or a benchmark counts what the phone really fetched, the worker's requests included.

The proxy runs its own asyncio loop on a thread, so synchronous Playwright tests can use it::

    with ThrottledLink(server_port, profile=SLOW_4G) as link:
        page.goto(f"http://127.0.0.1:{link.port}/")
        link.bytes_down  # what the page has received so far
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from types import TracebackType

CHUNK = 16 * 1024  # bytes read at a time: small enough that connections interleave fairly


@dataclass(frozen=True, slots=True)
class LinkProfile:
    """A network as the browsers' developer tools name them: rates in bit/s, round trip in s."""

    name: str
    down_bps: float
    up_bps: float
    round_trip: float


# Chromium DevTools' presets of the same names.
SLOW_4G = LinkProfile("Slow 4G", down_bps=1.6e6, up_bps=750e3, round_trip=0.150)
FAST_4G = LinkProfile("Fast 4G", down_bps=9e6, up_bps=1.5e6, round_trip=0.060)
UNTHROTTLED = LinkProfile("unthrottled", down_bps=0.0, up_bps=0.0, round_trip=0.0)


class _Direction:
    """One way of the link: when it is next free, and how many bytes it has carried."""

    def __init__(self, bits_per_second: float) -> None:
        self.bytes_per_second = bits_per_second / 8
        self.free_at = 0.0
        self.carried = 0

    def schedule(self, size: int, now: float) -> float:
        """When a chunk of `size` bytes handed over `now` has left the sender."""
        self.carried += size
        if self.bytes_per_second <= 0:
            return now
        start = max(now, self.free_at)
        self.free_at = start + size / self.bytes_per_second
        return self.free_at


class ThrottledLink:
    """A shaped TCP proxy from ``127.0.0.1:port`` to ``127.0.0.1:upstream_port``."""

    def __init__(self, upstream_port: int, *, profile: LinkProfile = SLOW_4G) -> None:
        self.upstream_port = upstream_port
        self.profile = profile
        self.port = 0
        self.connections = 0
        self._down = _Direction(profile.down_bps)
        self._up = _Direction(profile.up_bps)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def bytes_down(self) -> int:
        """Bytes sent from the server towards the browser so far."""
        return self._down.carried

    @property
    def bytes_up(self) -> int:
        """Bytes sent from the browser towards the server so far."""
        return self._up.carried

    def reset_counters(self) -> None:
        """Count from zero again (e.g. between a first and a repeat visit)."""
        self._loop.call_soon_threadsafe(self._reset)

    def _reset(self) -> None:
        self._down.carried = 0
        self._up.carried = 0
        self.connections = 0

    def __enter__(self) -> ThrottledLink:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = started.result(timeout=10)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coroutine: object) -> None:
        task = self._loop.create_task(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        await asyncio.sleep(self.profile.round_trip)  # the handshake's round trip
        self._spawn(self._pump(client_r, server_w, self._up))
        self._spawn(self._pump(server_r, client_w, self._down))

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, direction: _Direction
    ) -> None:
        """Carry one way of one connection, in order, each chunk when the shared link lets it."""
        one_way = self.profile.round_trip / 2
        in_flight: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        self._spawn(self._deliver(in_flight, sink))
        try:
            while chunk := await source.read(CHUNK):
                now = time.monotonic()
                sent = direction.schedule(len(chunk), now)
                await in_flight.put((sent + one_way, chunk))
                # Hold the reader while the link is busy, as a full TCP window would.
                backlog = sent - now
                if backlog > 0.5:
                    await asyncio.sleep(backlog - 0.5)
        except (ConnectionError, OSError):
            pass
        finally:
            await in_flight.put((0.0, b""))

    async def _deliver(
        self, in_flight: asyncio.Queue[tuple[float, bytes]], sink: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                arrives, chunk = await in_flight.get()
                if not chunk:
                    break
                delay = arrives - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                sink.write(chunk)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            sink.close()
