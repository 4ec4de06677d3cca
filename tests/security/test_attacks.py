"""One careless or hostile client does not take the hosted quiz from everyone else.

Each test runs one attack from 127.0.0.2 (another client address on the loopback network)
against a real ``assess serve`` on 127.0.0.1 with small limits, and then, in the same test, an
honest visitor from 127.0.0.1 still gets the first page of questions within ``HONEST_WITHIN``
seconds; afterwards no kernel of the attacker is left, the server holds no more descriptors
than before, and the log grew by little and holds nothing the attacker sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import re
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from voila_client import KernelSession, QuizVisit, seconds_to_first_question
from voila_server import ServerStartError, free_port, running
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from assess.hosting.serve import ServeOptions, packaged_root, voila_command, voila_environment

QUIZ_FILES = packaged_root()  # the notebook, voila.json and template the package ships
pytestmark = [pytest.mark.server, pytest.mark.slow]

ATTACKER = "127.0.0.2"
HONEST_WITHIN = 60.0  # seconds from asking for the page to the first question, on a busy machine
MAX_KERNELS = 6
PER_ADDRESS = 2
UNCLAIMED_AFTER = 4.0
PER_ADDRESS_CONNECTIONS = 24
LOG_GROWTH = 20_000  # bytes the log may grow by during one attack
MARKER = "VISITOR-TEXT-c0ffee"  # what the attacker sends; never in the log
TIMEOUT = 60.0


@dataclass
class Server:
    url: str
    log: Path
    pid: int

    def kernels(self) -> list[psutil.Process]:
        """The server's kernel processes still running (not the ones being reaped)."""
        found = []
        for child in psutil.Process(self.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if child.status() != psutil.STATUS_ZOMBIE and any(
                    "ipykernel" in part for part in child.cmdline()
                ):
                    found.append(child)
        return found

    def descriptors(self) -> int:
        return psutil.Process(self.pid).num_fds()

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")


@contextlib.contextmanager
def serving(
    folder: Path,
    *extra: str,
    limit_descriptors: int | None = None,
    options: ServeOptions | None = None,
    **guard: object,
) -> Iterator[Server]:
    """``assess serve`` with limits small enough to reach within a test (`guard`: more
    settings of its AssessGuard section; `extra`: more of Voilà's options;
    `limit_descriptors`: the process's RLIMIT_NOFILE; `options`: assess serve's own, on a free
    port)."""
    if options is None:
        options = ServeOptions(max_kernels=MAX_KERNELS, kernels_per_address=PER_ADDRESS)
    options = dataclasses.replace(options, port=free_port())
    settings: dict[str, object] = {
        "unclaimed_after": UNCLAIMED_AFTER,
        "connections_per_address": PER_ADDRESS_CONNECTIONS,
        # The honest visitor of every test comes from 127.0.0.1: room for a module of them.
        "starts_per_minute": 60,
        **guard,
    }
    overridden = tuple(f"--AssessGuard.{name}=" for name in settings)
    command = [
        *(a for a in voila_command(options, QUIZ_FILES) if not a.startswith(overridden)),
        *(f"--AssessGuard.{name}={value}" for name, value in settings.items()),
        *extra,
    ]
    if limit_descriptors is not None:
        command = ["sh", "-c", f'ulimit -n {limit_descriptors} && exec "$@"', "sh", *command]
    log = folder / "server.log"
    url = f"http://127.0.0.1:{options.port}/"
    try:
        with running(
            command, url, log, env=voila_environment(options, QUIZ_FILES), cwd=QUIZ_FILES
        ) as process:
            yield Server(url, log, process.pid)
    except ServerStartError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("attacks")) as started:
        yield started


@dataclass
class Aftermath:
    honest_seconds: float
    log: str


def _honest_visit(server: Server) -> float:
    """Seconds until an honest visitor sees the first page of questions; they then leave."""
    return seconds_to_first_question(server.url, timeout=HONEST_WITHIN)


def _until(condition: object, timeout: float, what: str) -> None:
    """Poll `condition` (a callable) every 0.2 s for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)  # the interval of a bounded poll of the server's state
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


@contextlib.contextmanager
def attack(server: Server) -> Iterator[list[Aftermath]]:
    """Around an attack: the honest visitor afterwards, then the checks every attack shares."""
    kernels_before = len(server.kernels())
    descriptors_before = server.descriptors()
    offset = server.log_size()
    result: list[Aftermath] = []
    yield result
    seconds = _honest_visit(server)
    assert seconds < HONEST_WITHIN
    _until(
        lambda: len(server.kernels()) <= kernels_before,
        UNCLAIMED_AFTER + 30,
        "the attacker's kernels are gone",
    )
    _until(
        lambda: server.descriptors() <= descriptors_before + 8,
        30,
        "the server's descriptors are back where they were",
    )
    text = server.log_since(offset)
    assert len(text.encode()) < LOG_GROWTH, text[-2000:]
    assert MARKER not in text
    assert "Traceback" not in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
    print(f"honest visitor's first question after {seconds:.1f} s; log +{len(text)} bytes")
    result.append(Aftermath(seconds, text))


def _raw(server: Server, request: bytes, *, source: str = ATTACKER) -> socket.socket:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    client = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    client.sendall(request)
    return client


def _get(path: str = "/", host: str = "127.0.0.1") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


async def _attacker_page(server: Server) -> tuple[str, str]:
    """The attacker's own page from 127.0.0.2: (kernel id, cookie)."""
    response = await AsyncHTTPClient().fetch(
        HTTPRequest(server.url, network_interface=ATTACKER, request_timeout=TIMEOUT),
        raise_error=False,
    )
    body = response.body.decode("utf-8", "replace")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert response.code == 200 and found, response.code
    cookie = "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))
    return found.group(1), cookie


def _channels(server: Server, kernel_id: str) -> str:
    """A websocket URL of its own (a second websocket of one session replaces the first)."""
    return (
        server.url.replace("http", "ws")
        + f"api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    )


# --- 1. the kernel cap cannot be locked -----------------------------------------------------


def test_requests_that_hang_up_start_no_kernel(server: Server) -> None:
    """60 requests for the page, each hung up at once: a request found hung up starts no kernel;
    one that raced into a kernel start holds it only until its page is found abandoned (at once
    when the render ends, or `unclaimed_after`); the same client's real request is then served
    again within seconds, and every kernel started is shut down."""
    offset = server.log_size()
    with attack(server):
        for _ in range(60):
            _raw(server, _get()).close()
        _until(
            lambda: _status_of_page(server, source=ATTACKER) == 200,
            UNCLAIMED_AFTER + 15,
            "the address's share back",
        )

    def every_kernel_ended() -> bool:
        text = server.log_since(offset)
        return text.count("Kernel started") == text.count("Kernel shutdown")

    _until(every_kernel_ended, 30, "every kernel started is shut down")
    text = server.log_since(offset)
    raced = text.count("Kernel started") - 2  # the real request, the honest visitor
    print(f"{raced} of 60 hung-up requests raced into a kernel start; all ended")
    assert raced <= PER_ADDRESS


def test_one_address_holds_no_more_than_its_share(server: Server) -> None:
    """Pages asked for and never connected: the address gets its 2 kernels, then the busy page,
    and the kernels come back within seconds instead of at the ten-minute idle cull."""
    with attack(server):
        clients = [_raw(server, _get()) for _ in range(MAX_KERNELS)]
        statuses = []
        for client in clients:
            client.settimeout(HONEST_WITHIN)
            head = client.recv(64)
            statuses.append(int(head.split()[1]))
        assert statuses.count(200) <= PER_ADDRESS
        assert statuses.count(503) >= MAX_KERNELS - PER_ADDRESS
        _until(lambda: not server.kernels(), UNCLAIMED_AFTER + 10, "unclaimed kernels shut down")
        for client in clients:
            client.close()


# --- 5. a kernel id is not a key ------------------------------------------------------------


def test_a_kernel_answers_only_the_browser_that_asked_for_it(server: Server) -> None:
    """With the id alone (or another visitor's cookie), no websocket, no REST, no shutdown."""

    async def scenario() -> None:
        victim = QuizVisit(server.url, timeout=TIMEOUT)
        await victim.open()
        kernel_id = victim.page.kernel_id if victim.page else ""
        try:
            _, other_cookie = await _attacker_page(server)
            for cookie in ("", other_cookie, f"assess_visitor={MARKER}-{'x' * 30}"):
                with pytest.raises(InvalidStatus) as refused:
                    await KernelSession.open(server.url, kernel_id, cookie=cookie)
                assert refused.value.response.status_code == 404
                for method, path, body in (
                    ("GET", f"api/kernels/{kernel_id}", None),
                    ("DELETE", f"api/kernels/{kernel_id}", None),
                    ("POST", f"voila/api/shutdown/{kernel_id}", "_xsrf="),
                ):
                    response = await AsyncHTTPClient().fetch(
                        HTTPRequest(
                            server.url + path,
                            method=method,
                            body=body,
                            headers={"Cookie": cookie} if cookie else {},
                            network_interface=ATTACKER,
                        ),
                        raise_error=False,
                    )
                    assert response.code == 404, (method, path, response.code)
            # the visitor's own cookie does reach it, and it still answers
            own = await AsyncHTTPClient().fetch(
                HTTPRequest(
                    f"{server.url}api/kernels/{kernel_id}",
                    headers={"Cookie": victim.page.cookie if victim.page else ""},
                ),
                raise_error=False,
            )
            assert own.code == 200
            await victim.start()
        finally:
            await victim.leave()

    with attack(server) as done:
        asyncio.run(scenario())
    assert "Kernel started" in done[0].log  # logged, with a shortened id only


# --- 4. nothing a visitor sends reaches the log ---------------------------------------------


def test_forged_messages_and_routine_requests_leave_a_small_clean_log(server: Server) -> None:
    """Messages without a channel, unknown types with a forged log line, garbage frames, and
    200 GET /logout: the log grows by a few lines and quotes none of it."""

    async def scenario() -> None:
        kernel_id, cookie = await _attacker_page(server)
        forged = f"x\n[Voila] Kernel started: {MARKER}"
        async with connect(
            _channels(server, kernel_id),
            additional_headers={"Cookie": cookie},
            max_size=None,
            local_addr=(ATTACKER, 0),
        ) as ws:
            for index in range(200):
                header = {"msg_id": str(index), "msg_type": forged + "y" * 20_000}
                await ws.send(json.dumps({"header": header, "content": {}, "marker": MARKER}))
                await ws.send(json.dumps({"channel": f"{MARKER}\n", "header": header}))
                await ws.send(f"{MARKER} not json\n\x1b[31m")
                await ws.send(b"\x03\x00" + MARKER.encode())
            # still open and answering: a request a page sends gets its reply
            info = {"msg_id": "info", "msg_type": "kernel_info_request", "session": "s"}
            request = {"header": info, "parent_header": {}, "metadata": {}, "content": {}}
            await ws.send(json.dumps({"channel": "shell", **request}))
            async with asyncio.timeout(TIMEOUT):
                while "kernel_info_reply" not in str(await ws.recv()):
                    pass

    with attack(server) as done:
        asyncio.run(scenario())
        for _ in range(200):
            client = _raw(server, _get(f"/logout?{MARKER}"))
            client.recv(4096)
            client.close()
    assert "Dropped 800 message(s)" in done[0].log


async def _read_until_closed(ws: ClientConnection) -> None:
    async with asyncio.timeout(TIMEOUT):
        while True:
            await ws.recv()


# --- 2. and 3. per connection -----------------------------------------------------------------


def test_a_large_message_closes_its_websocket_and_a_page_gets_few_websockets(
    server: Server,
) -> None:
    """A message over 64 KiB closes that websocket (1009); a fourth websocket to one kernel is
    refused (429); the kernel and the server go on."""

    async def scenario() -> None:
        kernel_id, cookie = await _attacker_page(server)
        headers = {"Cookie": cookie}
        async with connect(
            _channels(server, kernel_id), additional_headers=headers, max_size=None
        ) as ws:
            await ws.send("{" + " " * 70_000 + "}")
            with pytest.raises(ConnectionClosed) as closed:
                await _read_until_closed(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        held = [
            await connect(_channels(server, kernel_id), additional_headers=headers)
            for _ in range(3)
        ]
        with pytest.raises(InvalidStatus) as refused:
            await connect(_channels(server, kernel_id), additional_headers=headers)
        assert refused.value.response.status_code == 429
        for ws in held:
            await ws.close()

    with attack(server):
        asyncio.run(scenario())


def test_connections_beyond_an_addresses_share_get_the_busy_page(server: Server) -> None:
    """200 connections from one address: those beyond its share are answered with a short busy
    page and closed, before the server runs short of descriptors for anyone else."""
    with attack(server):
        clients = [_raw(server, b"") for _ in range(200)]
        refused = 0
        for client in clients:
            client.settimeout(0.5)
            with contextlib.suppress(TimeoutError, OSError):
                if b"503" in client.recv(64):
                    refused += 1
        assert refused >= 200 - PER_ADDRESS_CONNECTIONS
        for client in clients:
            client.close()


# --- 6. requests --------------------------------------------------------------------------


def test_a_page_of_another_host_name_gets_nothing(server: Server) -> None:
    """DNS rebinding: the Host header names another site: 421, no kernel, no websocket."""
    with attack(server):
        for path in ("/", "/voila/static/voila.js", "/api/kernels/x/channels"):
            client = _raw(server, _get(path, host="evil.example"))
            client.settimeout(TIMEOUT)
            assert client.recv(64).split()[1] == b"421"
            client.close()


ODD_PATHS = [
    "/logout",
    "/login",
    "/%ff",
    "/%00",
    "/voila/api/shutdown/",
    "/voila/api/shutdown/%ff",
    "/api/kernels/00000000-0000-0000-0000-000000000000",
    "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
    "/voila/query/00000000-0000-0000-0000-000000000000",
    "/voila/templates/%ff",
    "/voila/static/%ff",
    "/voila/files/%ff",
    "/voila/api/themes/%ff",
    "/voila/labextensions/%ff",
    "/voila/execution/00000000-0000-0000-0000-000000000000",
    f"/{'a' * 4000}",
]


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PUT", "OPTIONS"])
def test_odd_requests_get_no_server_error(server: Server, method: str) -> None:
    """Odd paths and methods: a 4xx answer, never a 500 and never a traceback in the log."""
    with attack(server):
        for path in ODD_PATHS:
            request = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
            client = _raw(server, request.encode())
            client.settimeout(TIMEOUT)
            status = int(client.recv(64).split()[1])
            client.close()
            assert status < 500, (method, path, status)


# --- 3. memory ----------------------------------------------------------------------------

MEMORY_CEILING_MB = 150  # a quiz kernel at its first questions: about 60 MB on this machine


def test_a_kernel_over_its_memory_ceiling_is_ended_and_the_server_goes_on(
    tmp_path: Path,
) -> None:
    """Widgets opened from the page, 60 KB each, until the kernel passes its ceiling: that
    kernel is shut down within seconds (its websocket closes); the server serves on."""
    state = {
        "_model_name": "TextModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "_view_name": "TextView",
        "_view_module": "@jupyter-widgets/controls",
        "_view_module_version": "2.0.0",
        "value": MARKER + "B" * 60_000,
    }

    async def scenario(server: Server) -> int:
        kernel_id, cookie = await _attacker_page(server)
        sent = 0  # widgets sent before the websocket closed
        async with connect(
            _channels(server, kernel_id), additional_headers={"Cookie": cookie}
        ) as ws:
            with contextlib.suppress(ConnectionClosed):
                for count in range(1, 5001):  # about 300 MB if nothing stopped it
                    sent = count
                    content = {
                        "comm_id": uuid.uuid4().hex,
                        "target_name": "jupyter.widget",
                        "data": {"state": state, "buffer_paths": []},
                    }
                    header = {"msg_id": uuid.uuid4().hex, "msg_type": "comm_open"}
                    message = {"header": header, "parent_header": {}, "content": content}
                    metadata = {"version": "2.1.0"}  # ipywidgets' protocol
                    await ws.send(json.dumps({"channel": "shell", "metadata": metadata, **message}))
                # On a busy machine every widget may be sent before the kernel has read enough
                # of them to pass its ceiling: the kernel is ended once it does, whenever.
                await _read_until_closed(ws)
        return sent

    with serving(tmp_path, kernel_memory_mb=MEMORY_CEILING_MB) as server:
        with attack(server) as done:
            sent = asyncio.run(scenario(server))
        assert f"over its {MEMORY_CEILING_MB} MB" in done[0].log
        print(f"kernel ended after {sent} widgets of 60 KB")


# --- 6. the facilitator's login -------------------------------------------------------------


def test_the_token_login_slows_down_after_a_few_failures(tmp_path: Path) -> None:
    """300 wrong tokens as fast as the server answers: after 5 failures each try waits twice
    as long as the last (HTTP 429 meanwhile), so at most a dozen are checked; the right token
    from another address still logs in at once."""
    token = uuid.uuid4().hex

    def login(password: str, source: str) -> int:
        body = f"password={password}".encode()
        request = (
            f"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
        ).encode() + body
        client = _raw(server, request, source=source)
        client.settimeout(TIMEOUT)
        status = int(client.recv(64).split()[1])
        client.close()
        return status

    with serving(tmp_path, f"--Voila.token={token}") as server:
        started = time.monotonic()
        statuses = [login(f"{MARKER}{n}", ATTACKER) for n in range(300)]
        seconds = time.monotonic() - started
        checked = statuses.count(401)
        assert checked <= 12, statuses
        assert statuses.count(429) >= 300 - checked
        assert login(token, "127.0.0.1") in {302, 303}
        assert MARKER not in server.log.read_text(errors="replace")
        print(f"300 wrong tokens in {seconds:.1f} s: {checked} checked, the rest 429")


# --- 2. descriptors -------------------------------------------------------------------------

DESCRIPTOR_LIMIT = 256


def test_running_short_of_descriptors_gives_a_busy_page_not_a_failing_server(
    tmp_path: Path,
) -> None:
    """A server allowed 256 descriptors, and 8 addresses holding 30 connections each: past
    its budget new connections get the short busy page (503), the server never reaches its
    limit nor writes a traceback, a visitor meanwhile gets the quiz or that page, never an
    error; once the connections go, the honest visitor gets the first question."""
    sources = [f"127.0.0.{n}" for n in range(2, 10)]
    with serving(tmp_path, limit_descriptors=DESCRIPTOR_LIMIT) as server:
        offset = server.log_size()
        held: list[socket.socket] = []
        busy = 0
        peak = 0
        for source in sources:
            for _ in range(30):
                client = _raw(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", source=source)
                held.append(client)
            peak = max(peak, server.descriptors())
        for client in held:
            client.settimeout(0.2)
            with contextlib.suppress(TimeoutError, OSError):
                if client.recv(12).startswith(b"HTTP/1.1 503"):
                    busy += 1
        peak = max(peak, server.descriptors())
        during = _status_of_page(server)
        assert during in {200, 503}
        for client in held:
            client.close()
        assert busy > 0
        assert peak < DESCRIPTOR_LIMIT
        with attack(server):
            pass
        text = server.log_since(offset)
        assert "Too many open files" not in text and "Traceback" not in text
        print(f"{busy} of {len(held)} connections got the busy page; peak {peak} descriptors")


def _status_of_page(server: Server, *, source: str = "127.0.0.1") -> int:
    client = _raw(server, _get(), source=source)
    client.settimeout(HONEST_WITHIN)
    try:
        return int(client.recv(64).split()[1])
    finally:
        client.close()
