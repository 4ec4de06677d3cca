"""The visitor cookie that owns a kernel is the server's to issue: a value a client picks owns
nothing, and a client cannot hand its choice to another to share a kernel.

Against a real ``assess serve``: a page asked for with a cookie the client made up gets a new,
signed cookie from the server; another client who sends the made-up value with the kernel's id
reaches neither its websocket nor its REST resource, while the page's own cookie does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from test_attacks import ATTACKER, TIMEOUT, Server, serving
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from voila_client import KernelSession, get_page
from websockets.exceptions import InvalidStatus

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHOSEN = "assess_visitor=" + "chosen-by-the-client-" * 2  # 42 characters, as a real one is long


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("cookie")) as started:
        yield started


async def _status(server: Server, path: str, *, cookie: str, method: str = "GET") -> int:
    response = await AsyncHTTPClient().fetch(
        HTTPRequest(
            server.url + path,
            method=method,
            headers={"Cookie": cookie},
            network_interface=ATTACKER,
            request_timeout=TIMEOUT,
        ),
        raise_error=False,
    )
    return int(response.code)


def test_a_cookie_the_client_chose_is_replaced_and_owns_nothing(server: Server) -> None:
    """A page asked for with a made-up cookie sets the server's own; the made-up one is no key."""

    async def scenario() -> None:
        page = await get_page(server.url, cookie=CHOSEN, timeout=TIMEOUT)
        assert page.status == 200 and page.kernel_id
        issued = page.cookie  # every cookie the page set, as a browser sends them back
        visitor = [c for c in issued.split("; ") if c.startswith("assess_visitor=")]
        assert visitor and visitor != [CHOSEN]
        with pytest.raises(InvalidStatus) as refused:
            await KernelSession.open(server.url, page.kernel_id, cookie=CHOSEN)
        assert refused.value.response.status_code == 404
        assert await _status(server, f"api/kernels/{page.kernel_id}", cookie=CHOSEN) == 404
        assert (
            await _status(server, f"api/kernels/{page.kernel_id}", cookie=CHOSEN, method="DELETE")
            == 404
        )
        assert await _status(server, f"api/kernels/{page.kernel_id}", cookie=issued) == 200
        session = await KernelSession.open(server.url, page.kernel_id, cookie=issued)
        await session.close()

    asyncio.run(scenario())


def test_a_signed_cookie_with_its_value_changed_is_not_believed(server: Server) -> None:
    """Changing one character of the server's cookie makes it nobody's."""

    async def scenario() -> None:
        page = await get_page(server.url, timeout=TIMEOUT)
        assert page.kernel_id
        (visitor,) = [c for c in page.cookie.split("; ") if c.startswith("assess_visitor=")]
        flipped = visitor[:-2] + ("0" if visitor[-2] != "0" else "1") + visitor[-1]
        assert await _status(server, f"api/kernels/{page.kernel_id}", cookie=flipped) == 404
        assert await _status(server, f"api/kernels/{page.kernel_id}", cookie=visitor) == 200

    asyncio.run(scenario())
