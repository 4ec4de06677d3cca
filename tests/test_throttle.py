"""The phone's link used by the first-visit tests shapes what it carries, and carries it intact."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from throttle import SLOW_4G, UNTHROTTLED, LinkProfile, ThrottledLink

PAYLOAD = bytes(range(256)) * 256  # 64 KiB, every byte value, so corruption shows


class _SendPayload(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(16)  # the client's "go"
        self.request.sendall(PAYLOAD)


@contextmanager
def payload_server() -> Iterator[int]:
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SendPayload) as server:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield int(server.server_address[1])
        finally:
            server.shutdown()


def fetch(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"go")
        received = bytearray()
        while chunk := client.recv(65536):
            received += chunk
        return bytes(received)


@pytest.mark.parametrize("profile", [UNTHROTTLED, SLOW_4G])
def test_every_byte_arrives_unchanged_and_is_counted(profile: LinkProfile) -> None:
    """What the server sends reaches the client byte for byte, and the counters say how much."""
    with payload_server() as upstream, ThrottledLink(upstream, profile=profile) as link:
        assert fetch(link.port) == PAYLOAD
        assert link.bytes_down == len(PAYLOAD)
        assert link.bytes_up == 2


def test_a_download_takes_at_least_its_size_over_the_rate() -> None:
    """64 KiB at Slow 4G's 1.6 Mbit/s cannot arrive in under a third of a second."""
    floor = len(PAYLOAD) * 8 / SLOW_4G.down_bps + SLOW_4G.round_trip
    with payload_server() as upstream, ThrottledLink(upstream, profile=SLOW_4G) as link:
        started = time.monotonic()
        fetch(link.port)
        assert time.monotonic() - started >= floor


def test_connections_share_one_link() -> None:
    """Two downloads at once take as long as both one after the other: the phone has one link."""
    floor = 2 * len(PAYLOAD) * 8 / SLOW_4G.down_bps
    with payload_server() as upstream, ThrottledLink(upstream, profile=SLOW_4G) as link:
        started = time.monotonic()
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(fetch, [link.port, link.port]))
        assert time.monotonic() - started >= floor
        assert results == [PAYLOAD, PAYLOAD]
        assert link.connections == 2
