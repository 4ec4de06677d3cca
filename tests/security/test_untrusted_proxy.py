"""assess serve says when a proxy it does not trust forwards visitors: the room is one address."""

from __future__ import annotations

import pytest
from tornado import httputil

from assess.hosting.guard_state import MAX_UNTRUSTED_WARNINGS, AssessGuard, Guard


class ListLog:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def warning(self, message: str, *args: object) -> None:
        self.lines.append(message % args)


def request(peer: str, forwarded: str | None) -> httputil.HTTPServerRequest:
    headers = httputil.HTTPHeaders({"Host": "127.0.0.1"})
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    start = httputil.RequestStartLine("GET", "/", "HTTP/1.1")
    made = httputil.HTTPServerRequest(start_line=start, headers=headers)
    made.remote_ip = peer
    return made


def guard(**settings: object) -> tuple[Guard, ListLog]:
    log = ListLog()
    return Guard(AssessGuard(**settings), listen_ip="127.0.0.1", log=log), log


def test_a_forwarding_proxy_not_trusted_is_named_once_with_the_option_to_trust_it() -> None:
    """Many requests through an untrusted proxy: one warning, naming --trusted-proxy."""
    checked, log = guard()
    addresses = {checked.address(request("127.0.0.1", "203.0.113.7")) for _ in range(50)}
    assert addresses == {"127.0.0.1"}  # not believed
    assert len(log.lines) == 1
    assert "--trusted-proxy 127.0.0.1" in log.lines[0]


@pytest.mark.parametrize(
    ("settings", "forwarded"),
    [({"trusted_proxies": "127.0.0.1"}, "203.0.113.7"), ({}, None)],
)
def test_a_trusted_proxy_or_a_direct_visitor_causes_no_warning(
    settings: dict[str, object], forwarded: str | None
) -> None:
    """Requests from a trusted proxy, or without the header, are not warned about."""
    checked, log = guard(**settings)
    checked.address(request("127.0.0.1", forwarded))
    assert log.lines == []


def test_clients_sending_the_header_cannot_fill_the_log_with_warnings() -> None:
    """Any client may send X-Forwarded-For: a few addresses are named, then no more."""
    checked, log = guard()
    for n in range(100):
        checked.address(request(f"198.51.100.{n}", "203.0.113.7"))
    assert len(log.lines) == MAX_UNTRUSTED_WARNINGS
