"""A flood of requests from one address does not hide the operator's records or other visitors.

Against a real ``assess serve``: 700 requests for made-up kernels from 127.0.0.2 in a couple of
seconds (each answered 404 and each an access-log line), while an honest visitor on 127.0.0.1
then takes the quiz to its first question within the same minute; the log still holds the
honest visit's kernel start, and only the first few of the attacker's lines.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from test_attacks import ATTACKER, HONEST_WITHIN, Server, serving
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from voila_client import seconds_to_first_question

pytestmark = [pytest.mark.server, pytest.mark.slow]

FLOOD = 700
AT_ONCE = 10


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("log-flood")) as started:
        yield started


async def _flood(server: Server) -> int:
    """FLOOD requests for kernels that do not exist, AT_ONCE at a time; how many were answered."""
    client = AsyncHTTPClient(max_clients=AT_ONCE)
    requests = [
        HTTPRequest(
            f"{server.url}api/kernels/{uuid.uuid4()}",
            network_interface=ATTACKER,
            request_timeout=30,
        )
        for _ in range(FLOOD)
    ]
    responses = await asyncio.gather(*(client.fetch(r, raise_error=False) for r in requests))
    return sum(response.code == 404 for response in responses)


def test_a_flood_of_requests_leaves_the_operators_records_in_the_log(server: Server) -> None:
    """After one address floods the server, the honest visitor's kernel start is still logged."""
    offset = server.log_size()
    assert asyncio.run(_flood(server)) == FLOOD
    seconds = seconds_to_first_question(server.url, timeout=HONEST_WITHIN)
    assert seconds < HONEST_WITHIN
    log = server.log_since(offset)
    flood_lines = log.count(f"({ATTACKER})")
    assert 0 < flood_lines < 100, f"{flood_lines} of the flood's lines were written"
    assert "Kernel started" in log.split(f"({ATTACKER})")[-1]  # after the flood's last line
