"""The reverse-proxy set-up of docs/hosting.md, run as copied: Debian's nginx with that very
block on 127.0.0.1, in front of ``assess serve`` started with the documented service's own
``ExecStart`` arguments (with this test's port, no preheated kernels and a cap of 12).

A visitor gets the quiz through it; a burst of page requests from one address is answered 429
beyond nginx's allowance and starts no more kernels than that; a large body is refused with 413
before it reaches the quiz; and a forged ``X-Forwarded-For`` does not move a client to another
address.  Each check ends with an honest visitor from another address still served.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from voila_client import seconds_to_first_question
from voila_server import REPO, ServerStartError, free_port, running

pytestmark = [pytest.mark.server, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ATTACKER = "127.0.0.2"
HONEST_WITHIN = 60.0
PAGES_BURST = 4  # the documented `burst` of assess_pages (and 6 a minute)


def documented_config() -> str:
    """The nginx block of docs/hosting.md, between its markers."""
    text = (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- proxy-config: begin -->\s*```nginx\n(.*?)```", text, re.S)
    assert found, "docs/hosting.md lost its proxy-config markers"
    return found.group(1)


def documented_service_arguments() -> list[str]:
    """The arguments of ``assess serve`` in the documented systemd unit's ``ExecStart``."""
    text = (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- service: begin -->.*?^ExecStart=(.*?)$.*?<!-- service: end -->", text, re.S | re.M
    )
    assert found, "docs/hosting.md lost its service markers or its ExecStart line"
    program, command, *arguments = shlex.split(found.group(1))
    assert program.endswith("/assess") and command == "serve", found.group(1)
    return arguments


def runnable_config(folder: Path, *, listen: int, upstream: int) -> str:
    """The documented block with this test's ports, plain HTTP, and the files of one run."""
    block = documented_config()
    block = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{listen};")
    block = block.replace("127.0.0.1:8866", f"127.0.0.1:{upstream}")
    assert f"127.0.0.1:{upstream}" in block and f"127.0.0.1:{listen}" in block
    temp = "\n".join(
        f"    {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"user root;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n{block}\n}}\n"
    )


@dataclass
class Proxied:
    url: str  # the quiz through nginx
    port: int
    server_pid: int
    log: Path  # assess serve's

    def kernels(self) -> int:
        count = 0
        for child in psutil.Process(self.server_pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and any(
                    "ipykernel" in part for part in child.cmdline()
                ):
                    count += 1
            except psutil.Error:
                continue
        return count


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)  # the interval of a bounded poll for nginx to listen
    raise AssertionError(f"nginx did not listen on {port} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `apt-get install -y nginx` (.ci/run does it)")
    folder = tmp_path_factory.mktemp("proxy")
    port = free_port()
    # As documented, then this test's port, no warm kernels (each costs seconds of CPU) and a
    # cap of 12 (so one address may hold a quarter of it: 3); argparse keeps the last value.
    command = [
        sys.executable,
        "-m",
        "assess.app.cli",
        "serve",
        *documented_service_arguments(),
        *("--port", str(port), "--preheat", "0", "--max-kernels", "12"),
    ]
    listen = free_port()
    config = folder / "nginx.conf"
    config.write_text(runnable_config(folder, listen=listen, upstream=port))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr.decode()
    upstream = f"http://127.0.0.1:{port}/quiz/"
    log = folder / "server.log"
    try:
        with running(command, upstream, log, cwd=folder) as server:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait_for_port(listen, nginx)
                yield Proxied(f"http://127.0.0.1:{listen}/quiz/", listen, server.pid, log)
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
    except ServerStartError as error:
        pytest.fail(str(error))
    assert not (folder / "nginx.pid").exists() or not os.path.getsize(folder / "nginx.pid")


def _honest(proxied: Proxied) -> float:
    seconds = seconds_to_first_question(proxied.url, timeout=HONEST_WITHIN)
    assert seconds < HONEST_WITHIN
    return seconds


def _status(proxied: Proxied, request: bytes, *, source: str = ATTACKER) -> int:
    client = socket.create_connection(
        ("127.0.0.1", proxied.port), timeout=HONEST_WITHIN, source_address=(source, 0)
    )
    try:
        client.sendall(request)
        head = client.recv(64)
    finally:
        client.close()
    return int(head.split()[1])


def test_the_documented_config_is_valid_nginx(tmp_path: Path) -> None:
    """`nginx -t` accepts the block of docs/hosting.md (with this test's ports)."""
    config = tmp_path / "nginx.conf"
    config.write_text(runnable_config(tmp_path, listen=free_port(), upstream=free_port()))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr.decode()


def test_a_visitor_takes_the_quiz_through_the_proxy(proxied: Proxied) -> None:
    """Page, websocket and widgets through nginx: the first question within a minute."""
    print(f"first question through nginx after {_honest(proxied):.1f} s")


def test_a_burst_of_page_requests_is_held_back_by_the_proxy(proxied: Proxied) -> None:
    """30 page requests at once from one address: beyond nginx's burst they get 429, and the
    quiz starts no more kernels than the burst allows (and its own per-address cap)."""
    before = proxied.kernels()
    request = b"GET /quiz/ HTTP/1.1\r\nHost: quiz.example.org\r\nConnection: close\r\n\r\n"
    statuses = [_status(proxied, request) for _ in range(30)]
    assert statuses.count(429) >= 30 - PAGES_BURST - 1, statuses
    assert proxied.kernels() - before <= PAGES_BURST + 1
    _honest(proxied)


def test_a_large_body_is_refused_by_the_proxy(proxied: Proxied) -> None:
    """A 1 MB POST: 413 from nginx, never read by the quiz."""
    body = b"x" * 2**20
    request = (
        b"POST /quiz/login HTTP/1.1\r\nHost: quiz.example.org\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    assert _status(proxied, request) == 413
    _honest(proxied)


def test_a_forged_forwarded_address_is_not_believed(proxied: Proxied) -> None:
    """X-Forwarded-For sent by a client is replaced by nginx: six page requests held open at
    once, each claiming another address, are still counted under the client's own one: its
    share of kernels (3), then the busy page (and nginx's 429 past its burst)."""
    clients = []
    for n in range(6):
        request = (
            "GET /quiz/ HTTP/1.1\r\nHost: quiz.example.org\r\nConnection: close\r\n"
            f"X-Forwarded-For: 198.51.100.{n}\r\n\r\n"
        ).encode()
        client = socket.create_connection(
            ("127.0.0.1", proxied.port), timeout=HONEST_WITHIN, source_address=("127.0.0.3", 0)
        )
        client.sendall(request)
        clients.append(client)
    statuses = []
    for client in clients:
        statuses.append(int(client.recv(64).split()[1]))
    for client in clients:
        client.close()
    assert statuses.count(200) <= 3, statuses  # --kernels-per-address 3, whatever it claims
    assert statuses.count(503) >= 1, statuses
    _honest(proxied)


def test_the_documented_service_answers_the_proxys_host_and_trusts_it(proxied: Proxied) -> None:
    """Through the documented nginx block, with the documented ExecStart: the page asked for
    as quiz.example.org is served (not 421), and assess serve does not call its proxy
    untrusted."""
    request = b"GET /quiz/ HTTP/1.1\r\nHost: quiz.example.org\r\nConnection: close\r\n\r\n"
    assert _status(proxied, request, source="127.0.0.1") == 200
    log = proxied.log.read_text(encoding="utf-8", errors="replace")
    assert "not a trusted proxy" not in log
