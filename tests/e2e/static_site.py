"""The static site (``make site``) served for the browser tests as ``make site-serve`` serves it
(``sitebuild/serve.py``: Python's static file server sending the build's gzip copies), on
127.0.0.1, and what its access log says (it sees the kernel's Web Worker too, which the page's own
request events do not)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from voila_server import REPO, free_port

SITE = REPO / "site"
QUIZ_PAGE = "voici/render/quiz.html"
FIRST_VISIT_TIMEOUT = 150_000  # ms: Python starts in WebAssembly on a busy 2-core machine
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')


@dataclass
class StaticServer:
    """`sitebuild/serve.py` on 127.0.0.1, and what its access log says."""

    url: str
    log: Path

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request the server answered so far."""
        found = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = ACCESS_LINE.search(line)
            if match:
                found.append((match["method"], match["path"], int(match["status"])))
        return found


@contextlib.contextmanager
def serving(site: Path, log: Path) -> Iterator[StaticServer]:
    """`sitebuild/serve.py` on a free port of 127.0.0.1, as `make site-serve` runs it."""
    if not (site / ".built").exists():
        pytest.fail(f"{site} is not built: run `make site` (make test does it first)")
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        server = subprocess.Popen(
            [sys.executable, str(REPO / "sitebuild" / "serve.py"), "--directory", str(site),
             "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(url + "jupyter-lite.json", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"the static server did not start; see {log}")
                    time.sleep(0.1)
            yield StaticServer(url, log)
        finally:
            server.terminate()
            server.wait(timeout=10)
