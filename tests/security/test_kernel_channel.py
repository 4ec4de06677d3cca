"""The kernel's websocket carries widget messages only: code sent to it never runs.

Each test sends what a browser's page never would, over the page's own websocket, and proves
the effect did not happen (the code would have created a file), not only that no reply came.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from hosted import Hosted
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from voila_client import KernelSession, QuizVisit, get_page
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.server

TIMEOUT = 60.0
CHANNELS = ["shell", "control", "stdin", "iopub"]
# Requests a notebook front end may send but a Voilà page has no business with.
OTHER_REQUESTS = {
    "inspect_request": {"code": "open", "cursor_pos": 4, "detail_level": 1},
    "complete_request": {"code": "import o", "cursor_pos": 8},
    "history_request": {"output": True, "raw": True, "hist_access_type": "tail", "n": 10},
    "is_complete_request": {"code": "x = 1"},
    "debug_request": {"command": "initialize", "arguments": {}},
    "interrupt_request": {},
}


def _payload(marker: Path) -> str:
    """Python that leaves a file behind if it ever runs, by three different routes."""
    return (
        f"open({str(marker)!r}, 'w').write('ran')\n"
        f"import os; os.system('touch {marker}.sh')\n"
        f"import subprocess; subprocess.run(['touch', '{marker}.sub'])\n"
    )


def _left_behind(marker: Path) -> list[Path]:
    return [p for p in (marker, Path(f"{marker}.sh"), Path(f"{marker}.sub")) if p.exists()]


async def _open(hosted: Hosted) -> tuple[QuizVisit, KernelSession]:
    visit = QuizVisit(hosted.url, timeout=TIMEOUT)
    await visit.open()
    return visit, visit.session


async def _round_trip(kernel: KernelSession) -> None:
    """A request the kernel must answer; every message sent before it has been handled."""
    reply = await kernel.request("kernel_info_request", {}, timeout=TIMEOUT)
    assert reply["content"]["status"] == "ok"


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_execute_request_on_any_channel_never_runs(
    hosted: Hosted, channel: str, tmp_path: Path
) -> None:
    """execute_request on shell, control, stdin or iopub: no reply, and no file appears."""
    marker = tmp_path / f"executed-{uuid.uuid4().hex}"

    async def scenario() -> None:
        visit, kernel = await _open(hosted)
        try:
            content = {
                "code": _payload(marker),
                "silent": False,
                "store_history": False,
                "user_expressions": {"x": f"open({str(marker)!r}, 'w')"},
                "allow_stdin": False,
                "stop_on_error": True,
            }
            sent = await kernel.send("execute_request", content, channel=channel)
            await _round_trip(kernel)
            await asyncio.sleep(1.0)  # a margin for a subprocess that was never started
            assert kernel.reply_to(sent) is None
            assert not any(
                m.get("header", {}).get("msg_type") in {"execute_input", "execute_result"}
                for m in kernel.messages
            )
        finally:
            await visit.leave()

    asyncio.run(scenario())
    assert _left_behind(marker) == []


def test_execute_requests_in_jupyters_binary_protocol_never_run(
    hosted: Hosted, tmp_path: Path
) -> None:
    """The same through the v1 binary websocket protocol, on every channel."""
    marker = tmp_path / f"executed-{uuid.uuid4().hex}"

    async def scenario() -> None:
        page = await get_page(hosted.url, timeout=TIMEOUT)
        assert page.kernel_id
        url = hosted.url.replace("http://", "ws://") + (
            f"api/kernels/{page.kernel_id}/channels?session_id={uuid.uuid4().hex}"
        )
        async with connect(
            url,
            subprotocols=["v1.kernel.websocket.jupyter.org"],  # type: ignore[list-item]
            open_timeout=TIMEOUT,
            additional_headers={"Cookie": page.cookie},
        ) as socket:
            for channel in CHANNELS:
                header = {
                    "msg_id": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "username": "visitor",
                    "session": uuid.uuid4().hex,
                    "date": "",
                    "version": "5.3",
                }
                content = {"code": _payload(marker), "silent": False}
                parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
                await socket.send(serialize_msg_to_ws_v1(parts, channel))
            info = {**header, "msg_id": uuid.uuid4().hex, "msg_type": "kernel_info_request"}
            parts = [json.dumps(p).encode() for p in (info, {}, {}, {})]
            await socket.send(serialize_msg_to_ws_v1(parts, "shell"))
            # Read until the kernel_info reply: everything sent before it has been handled.
            async with asyncio.timeout(TIMEOUT):
                while True:
                    frame = await socket.recv()
                    if isinstance(frame, bytes) and b"kernel_info_reply" in frame:
                        break
                    assert not (isinstance(frame, bytes) and b"execute_reply" in frame)
        await asyncio.sleep(1.0)

    asyncio.run(scenario())
    assert _left_behind(marker) == []


@pytest.mark.parametrize("msg_type", sorted(OTHER_REQUESTS))
def test_other_notebook_requests_get_no_answer(hosted: Hosted, msg_type: str) -> None:
    """Completion, inspection, history, debugging, interrupts: dropped, not answered."""

    async def scenario() -> None:
        visit, kernel = await _open(hosted)
        try:
            channel = "control" if msg_type in {"debug_request", "interrupt_request"} else "shell"
            sent = await kernel.send(msg_type, OTHER_REQUESTS[msg_type], channel=channel)
            await _round_trip(kernel)
            assert kernel.reply_to(sent) is None
        finally:
            await visit.leave()

    asyncio.run(scenario())


def test_a_websocket_from_another_origin_is_refused(hosted: Hosted) -> None:
    """A page on another site cannot talk to a visitor's kernel, even knowing its id."""

    async def scenario() -> None:
        page = await get_page(hosted.url, timeout=TIMEOUT)
        assert page.kernel_id
        with pytest.raises(InvalidStatus) as refused:
            await KernelSession.open(
                hosted.url, page.kernel_id, origin="https://evil.example", cookie=page.cookie
            )
        assert refused.value.response.status_code in {403, 404}

    asyncio.run(scenario())
