"""A visitor of a Voilà page at the protocol level: the page over HTTP, then the kernel's
websocket with widget messages, as Voilà's front end speaks them, without a browser.

Used by the security tests (to send what a browser never would) and by the load benchmark (to
drive many visitors at once; a browser per visitor would measure the browsers).

The websocket speaks Jupyter's JSON protocol (no sub-protocol: JSON text frames with a
``channel`` field; messages carrying buffers arrive as binary frames).  Widgets are read the way
ipywidgets 8's front end reads them: a comm to ``jupyter.widget.control`` asks for every model's
state at once; later ``comm_open`` and ``comm_msg`` updates keep the local copy current.
Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from websockets.asyncio.client import ClientConnection, connect

AsyncHTTPClient.configure(None, max_clients=200)

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
WIDGET_VIEW = re.compile(r'"model_id":\s*"([0-9a-f]{32})"')
PROTOCOL_VERSION = "5.3"
CONTROL_PROTOCOL = "1.0.0"  # ipywidgets' jupyter.widget.control comm
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"


class ProtocolError(RuntimeError):
    """The server or the kernel did not answer as a Voilà page expects."""


@dataclass(frozen=True)
class Page:
    """A page as a browser would receive it (the HTML only, not its scripts)."""

    url: str
    status: int
    body: str
    seconds: float  # from the request to the last byte
    first_byte: float  # from the request to the first byte of the body
    cookie: str = ""  # the cookies the page set, as a browser sends them back ("a=1; b=2")

    @property
    def kernel_id(self) -> str | None:
        found = KERNEL_ID.search(self.body)
        return found.group(1) if found else None

    @property
    def views(self) -> list[str]:
        """The model ids of the widgets the notebook displayed, in page order."""
        return WIDGET_VIEW.findall(self.body)


async def get_page(url: str, *, timeout: float = 120.0, cookie: str = "") -> Page:
    """GET a page, following no redirect, never raising for an HTTP error status."""
    started = time.monotonic()
    first: list[float] = []
    chunks: list[bytes] = []

    def on_chunk(chunk: bytes) -> None:
        if not first:
            first.append(time.monotonic() - started)
        chunks.append(chunk)

    request = HTTPRequest(
        url,
        request_timeout=timeout,
        connect_timeout=min(timeout, 30.0),
        follow_redirects=False,
        streaming_callback=on_chunk,
        decompress_response=True,
        headers={"Cookie": cookie} if cookie else None,
    )
    set_cookies: list[str] = []
    try:
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        status = response.code
        set_cookies = response.headers.get_list("Set-Cookie")
    except HTTPClientError as error:
        status = error.code
    ended = time.monotonic() - started
    body = b"".join(chunks).decode("utf-8", errors="replace")
    cookies = "; ".join(c.split(";", 1)[0] for c in set_cookies) or cookie
    return Page(url, status, body, ended, first[0] if first else ended, cookies)


def _channels_url(base_url: str, kernel_id: str, session: str) -> str:
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{scheme}://{parts.netloc}{path}api/kernels/{kernel_id}/channels?session_id={session}"


def _decode_binary(frame: bytes) -> dict[str, Any]:
    """Jupyter's legacy binary frame: a count, offsets (big-endian uint32), JSON, buffers."""
    count = int.from_bytes(frame[0:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
    offsets.append(len(frame))
    message: dict[str, Any] = json.loads(frame[offsets[0] : offsets[1]].decode("utf-8"))
    message["buffers"] = [frame[offsets[i] : offsets[i + 1]] for i in range(1, count)]
    return message


def _encode_v1(message: dict[str, Any]) -> bytes:
    """Jupyter's v1 websocket frame: offsets (little-endian uint64), channel, message parts."""
    parts = [
        json.dumps(message[key]).encode("utf-8")
        for key in ("header", "parent_header", "metadata", "content")
    ]
    parts += [bytes(buffer) for buffer in message.get("buffers", [])]
    channel = str(message["channel"]).encode("utf-8")
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + channel + b"".join(parts)


def _decode_v1(frame: bytes) -> dict[str, Any]:
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]  # the last: the end
    header, parent, metadata, content = (json.loads(p.decode("utf-8")) for p in parts[1:5])
    return {
        "channel": parts[0].decode("utf-8"),
        "header": header,
        "parent_header": parent,
        "metadata": metadata,
        "content": content,
        "buffers": parts[5:],
    }


@dataclass
class Model:
    """A widget model as the page knows it."""

    model_id: str
    name: str
    state: dict[str, Any]

    def refs(self, key: str) -> list[str]:
        value = self.state.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [v.removeprefix("IPY_MODEL_") for v in value if isinstance(v, str)]

    @property
    def classes(self) -> list[str]:
        return list(self.state.get("_dom_classes", []))


@dataclass
class KernelSession:
    """One page's websocket to its kernel, and the page's copy of the widget models."""

    socket: ClientConnection
    session: str
    models: dict[str, Model] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)  # everything received
    _replies: dict[str, dict[str, Any]] = field(default_factory=dict)  # by parent id
    _idle: set[str] = field(default_factory=set)  # parent ids the kernel went idle after
    _waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None
    control_comm: str | None = None
    closed_by_server: bool = False
    binary: bool = False  # the v1 protocol was agreed

    @classmethod
    async def open(
        cls,
        base_url: str,
        kernel_id: str,
        *,
        origin: str | None = None,
        timeout: float = 30.0,
        protocol: str = V1_PROTOCOL,
        cookie: str = "",
    ) -> KernelSession:
        """Connect as JupyterLab's front end does: with Jupyter's v1 binary protocol (the
        server relays the kernel's bytes), or the legacy JSON one with ``protocol=""`` (the
        server re-encodes every message)."""
        session = uuid.uuid4().hex
        headers = {"Origin": origin} if origin else {}
        if cookie:  # the page's cookie: a kernel answers only the browser it was started for
            headers["Cookie"] = cookie
        socket = await connect(
            _channels_url(base_url, kernel_id, session),
            additional_headers=headers,
            open_timeout=timeout,
            max_size=None,
            ping_interval=None,
            subprotocols=[protocol] if protocol else None,  # type: ignore[list-item]
        )
        opened = cls(socket, session, binary=socket.subprotocol == V1_PROTOCOL)
        opened._reader = asyncio.create_task(opened._read())
        return opened

    async def close(self) -> None:
        await self.socket.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # --- sending -------------------------------------------------------------------------

    def message(
        self,
        msg_type: str,
        content: dict[str, Any],
        channel: str,
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "visitor",
                "session": self.session,
                "date": "",
                "version": PROTOCOL_VERSION,
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "buffers": [],
            "channel": channel,
        }

    async def send(
        self,
        msg_type: str,
        content: dict[str, Any],
        *,
        channel: str = "shell",
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Send a message; return its id (the parent id of what it causes)."""
        message = self.message(msg_type, content, channel, metadata)
        msg_id: str = message["header"]["msg_id"]
        await self.socket.send(_encode_v1(message) if self.binary else json.dumps(message))
        return msg_id

    async def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait until `condition` holds, checked as each message from the kernel arrives."""
        if condition():
            return
        if self.closed_by_server:
            raise ProtocolError(f"the websocket closed before {what}")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (condition, future)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise ProtocolError(f"no {what} within {timeout:.0f} s") from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    async def request(
        self, msg_type: str, content: dict[str, Any], *, channel: str = "shell", timeout: float
    ) -> dict[str, Any]:
        """Send a request and wait for its reply and for the kernel to be idle after it."""
        msg_id = await self.send(msg_type, content, channel=channel)
        await self.until(lambda: msg_id in self._replies, timeout, f"reply to {msg_type}")
        await self.settled(msg_id, timeout=timeout)
        return self._replies[msg_id]

    async def settled(self, msg_id: str, *, timeout: float) -> None:
        """Wait until the kernel reports idle after handling `msg_id` (all its output is in)."""
        await self.until(lambda: msg_id in self._idle, timeout, "idle status")

    def went_idle(self, msg_id: str) -> bool:
        return msg_id in self._idle

    def reply_to(self, msg_id: str) -> dict[str, Any] | None:
        return self._replies.get(msg_id)

    async def comm_msg(self, comm_id: str, data: dict[str, Any], *, timeout: float) -> str:
        msg_id = await self.send("comm_msg", {"comm_id": comm_id, "data": data})
        await self.settled(msg_id, timeout=timeout)
        return msg_id

    # --- widgets -------------------------------------------------------------------------

    async def load_widgets(self, *, timeout: float) -> None:
        """Fetch every widget's state, as ipywidgets 8's front end does on page load."""
        await self.request("kernel_info_request", {}, timeout=timeout)
        comm_id = uuid.uuid4().hex
        self.control_comm = comm_id
        opened = await self.send(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": CONTROL_PROTOCOL},
        )
        await self.settled(opened, timeout=timeout)
        await self.comm_msg(comm_id, {"method": "request_states"}, timeout=timeout)
        if not self.models:
            reply = await self.request(
                "comm_info_request", {"target_name": "jupyter.widget"}, timeout=timeout
            )
            for model_id in reply["content"].get("comms", {}):
                await self.comm_msg(model_id, {"method": "request_state"}, timeout=timeout)

    async def reload_states(self, *, timeout: float) -> None:
        """Ask for every model's state again: what the kernel holds, not what was echoed."""
        if self.control_comm is None:
            raise ProtocolError("the widgets were never loaded")
        await self.comm_msg(self.control_comm, {"method": "request_states"}, timeout=timeout)

    async def update(self, model_id: str, state: dict[str, Any], *, timeout: float) -> str:
        """What a page sends when a visitor changes a widget (e.g. picks a radio option)."""
        return await self.comm_msg(
            model_id, {"method": "update", "state": state, "buffer_paths": []}, timeout=timeout
        )

    async def click(self, model_id: str, *, timeout: float) -> str:
        """What a page sends when a visitor clicks a button."""
        return await self.comm_msg(
            model_id, {"method": "custom", "content": {"event": "click"}}, timeout=timeout
        )

    def walk(self, root: str) -> Iterator[Model]:
        """The models shown under `root`, depth first (children only, not layouts)."""
        seen: set[str] = set()
        stack = [root]
        while stack:
            model_id = stack.pop()
            model = self.models.get(model_id)
            if model is None or model_id in seen:
                continue
            seen.add(model_id)
            yield model
            stack.extend(reversed(model.refs("children")))

    def find(self, root: str, predicate: Callable[[Model], bool]) -> list[Model]:
        return [model for model in self.walk(root) if predicate(model)]

    def displayed(self, model: Model) -> bool:
        layout = self.models.get(next(iter(model.refs("layout")), ""))
        return layout is None or layout.state.get("display") != "none"

    # --- receiving -----------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for frame in self.socket:
                if isinstance(frame, bytes):
                    message = _decode_v1(frame) if self.binary else _decode_binary(frame)
                else:
                    message = json.loads(frame)
                self._receive(message)
        except Exception:
            pass
        finally:
            self.closed_by_server = True
            for _, future in self._waiters:
                if not future.done():
                    future.set_exception(ProtocolError("the websocket closed"))

    def _receive(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        msg_type = message.get("header", {}).get("msg_type") or message.get("msg_type")
        parent = message.get("parent_header", {}).get("msg_id")
        content = message.get("content", {})
        if msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
            data = content.get("data", {})
            state = dict(data.get("state", {}))
            self.models[content["comm_id"]] = Model(
                content["comm_id"], str(state.get("_model_name", "")), state
            )
        elif msg_type == "comm_msg":
            self._comm_msg(content)
        elif msg_type == "comm_close":
            self.models.pop(content.get("comm_id", ""), None)
        if parent and msg_type and msg_type.endswith("_reply"):
            self._replies[parent] = message
        if parent and msg_type == "status" and content.get("execution_state") == "idle":
            self._idle.add(parent)
        for condition, future in list(self._waiters):
            if not future.done() and condition():
                future.set_result(None)

    def _comm_msg(self, content: dict[str, Any]) -> None:
        data = content.get("data", {})
        method = data.get("method")
        if method == "update_states":  # the control comm's answer: every model at once
            for model_id, entry in data.get("states", {}).items():
                state = dict(entry.get("state", {}))
                self.models[model_id] = Model(model_id, str(entry.get("model_name", "")), state)
        elif method in {"update", "echo_update"}:
            model = self.models.get(content.get("comm_id", ""))
            if model is not None:
                model.state.update(data.get("state", {}))


# --- the quiz ------------------------------------------------------------------------------


@dataclass
class QuizVisit:
    """One visitor taking the quiz over the protocol; the steps a person takes in the page."""

    base_url: str
    language: str = "ja"
    timeout: float = 60.0
    page_url: str | None = None  # default: base_url (standalone Voilà serves the quiz at /)
    page: Page | None = None
    kernel: KernelSession | None = None
    root: str = ""

    def text(self, key: str) -> str:
        from assess.datafiles.messages import default_messages

        return default_messages().text(key, self.language)

    async def open(self, *, query: str | None = None) -> Page:
        """GET the page, connect to its kernel, read the widgets: the page is ready."""
        suffix = query if query is not None else ("?lang=en" if self.language == "en" else "")
        self.page = await get_page((self.page_url or self.base_url) + suffix, timeout=self.timeout)
        if self.page.status != 200 or self.page.kernel_id is None:
            raise ProtocolError(f"the page answered {self.page.status} without a kernel")
        self.kernel = await KernelSession.open(
            self.base_url, self.page.kernel_id, timeout=self.timeout, cookie=self.page.cookie
        )
        await self.kernel.load_widgets(timeout=self.timeout)
        apps = [
            model
            for view in self.page.views
            for model in self.kernel.walk(view)
            if "assess-app" in model.classes
        ]
        if not apps:
            raise ProtocolError("the page shows no quiz (no widget of class assess-app)")
        self.root = apps[0].model_id
        if query is None:
            # A preheated kernel takes the visitor's ?lang= just after the page is handed over:
            # a browser shows the switch as it arrives; so does this visitor.
            await self.session.until(
                lambda: self.language_shown() == self.language,
                self.timeout,
                f"the quiz in {self.language!r}",
            )
        return self.page

    @property
    def session(self) -> KernelSession:
        if self.kernel is None:
            raise ProtocolError("the page is not open")
        return self.kernel

    def shown(self, css_class: str) -> list[Model]:
        """Widgets of a class currently in the quiz (the body shows only the current page)."""
        return self.session.find(
            self.root, lambda m: css_class in m.classes and self.session.displayed(m)
        )

    def button(self, key: str) -> Model:
        label = self.text(key)
        found = [m for m in self.shown("assess-button") if m.state.get("description") == label]
        if not found:
            raise ProtocolError(f"no button {label!r} is shown")
        return found[0]

    def questions(self) -> list[Model]:
        return self.shown("assess-choices")

    def progress(self) -> int:
        """The page number the progress bar shows (0: welcome)."""
        for box in self.session.find(
            self.root, lambda m: 'class="assess-progress-box"' in str(m.state.get("value", ""))
        ):
            found = re.search(r'data-page="(\d+)"', str(box.state["value"]))
            if found:
                return int(found.group(1))
        return -1

    def language_shown(self) -> str | None:
        """The language the switch shows, from its labels and index."""
        from assess.datafiles.languages import default_languages

        names = {language.name: language.code for language in default_languages().offered}
        for switch in self.shown("assess-language"):
            labels = switch.state.get("_options_labels", [])
            index = switch.state.get("index")
            if isinstance(index, int) and 0 <= index < len(labels):
                return names.get(labels[index])
        return None

    def notice(self) -> str:
        return " ".join(str(m.state.get("value", "")) for m in self.shown("assess-notice"))

    def result_code(self) -> str | None:
        codes = self.shown("assess-code")
        return str(codes[0].state.get("value")) if codes else None

    async def click(self, key: str) -> None:
        await self.session.click(self.button(key).model_id, timeout=self.timeout)

    async def answer_page(self, choose: Callable[[int, int], int] | None = None) -> int:
        """Pick an option in every question shown; `choose(position, options)` picks one."""
        questions = self.questions()
        for position, question in enumerate(questions):
            options = len(question.state.get("_options_labels", []))
            index = choose(position, options) if choose else (position * 2 + 1) % options
            await self.session.update(question.model_id, {"index": index}, timeout=self.timeout)
        return len(questions)

    async def start(self) -> None:
        await self.click("welcome.start")
        if not self.questions():
            raise ProtocolError("Start did not lead to a page of questions")

    async def finish(self, *, pause: float = 0.0, max_pages: int = 50) -> str:
        """Answer every page and go on until the results; return the result code shown."""
        for _ in range(max_pages):
            code = self.result_code()
            if code:
                return code
            if not self.questions():
                raise ProtocolError("neither questions nor results are shown")
            await self.answer_page()
            if pause:
                await asyncio.sleep(pause)  # a visitor reading: the think time of the run
            await self.click("nav.next")
        raise ProtocolError(f"no results after {max_pages} pages")

    async def close(self) -> None:
        """Close the websocket only (a tab whose beacon got lost)."""
        if self.kernel is not None:
            await self.kernel.close()

    async def leave(self) -> int:
        """Close the tab: the websocket, then the page's shutdown beacon.  Returns its status."""
        await self.close()
        if self.page is None or self.page.kernel_id is None:
            return 0
        return await shutdown_beacon(self.base_url, self.page.kernel_id, cookie=self.page.cookie)


async def shutdown_beacon(
    base_url: str, kernel_id: str, *, timeout: float = 30.0, cookie: str = ""
) -> int:
    """What Voilà's page sends on `beforeunload`: a form with its (here absent) XSRF cookie,
    and the page's cookies, as a browser sends them."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    request = HTTPRequest(
        f"{base_url}voila/api/shutdown/{kernel_id}",
        method="POST",
        body="_xsrf=",
        headers=headers,
        request_timeout=timeout,
    )
    response = await AsyncHTTPClient().fetch(request, raise_error=False)
    return int(response.code)


def english_welcome(
    url: str, *, page_url: str | None = None, timeout: float = 60.0
) -> tuple[str, str]:
    """The quiz page's HTML and its Start button's label as an English visitor gets them (the
    page and template as served, the welcome as the kernel made it); the visitor then leaves."""

    async def visit() -> tuple[str, str]:
        quiz = QuizVisit(url, language="en", timeout=timeout, page_url=page_url)
        page = await quiz.open()
        start = str(quiz.button("welcome.start").state["description"])
        await quiz.leave()
        return page.body, start

    return asyncio.run(visit())


def seconds_to_first_question(url: str, *, timeout: float) -> float:
    """Seconds until a visitor of `url` sees the first page of questions; they then leave."""

    async def visit() -> float:
        started = time.monotonic()
        quiz = QuizVisit(url, timeout=timeout)
        try:
            await quiz.open()
            await quiz.start()
            return time.monotonic() - started
        finally:
            await quiz.leave()

    return asyncio.run(visit())
