"""A real Voilà server of the quiz for tests and benchmarks, on a free port of 127.0.0.1.

Started with what ``assess serve`` ships in the package (``src/assess/hosting``): its
``voila.json`` (``--Voila.config_file_paths``) and ``JUPYTER_PATH`` led by its ``jupyter`` data
folder (so that the ``assess`` template is found).  :func:`running` starts any such command, waits until it serves
and stops it (Voilà shuts its kernels down on SIGTERM).  Used by tests/e2e (browser tests),
tests/security and tests/test_serve.py (protocol level) and benchmarks/load_visitors.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assess.hosting.serve import ServeOptions

REPO = Path(__file__).resolve().parents[1]
QUIZ_FILES = REPO / "src" / "assess" / "hosting"  # quiz.ipynb, voila.json, jupyter/ (template)
SERVER_START_TIMEOUT = 60.0  # seconds until Voilà answers HTTP at all
STOP_TIMEOUT = 30.0  # seconds Voilà gets to shut its kernels down


class ServerStartError(RuntimeError):
    """The server exited, or did not answer, before serving; the message ends with its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def voila_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of ``assess serve``: the package's templates first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    shared = str(QUIZ_FILES / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (shared, env.get("JUPYTER_PATH")) if p)
    return env


def quiz_command(port: int, notebook: str = "notebooks/quiz.ipynb") -> list[str]:
    """Plain ``voila`` on a notebook, with the settings of the package's voila.json."""
    return [
        sys.executable,
        "-m",
        "voila",
        notebook,
        f"--Voila.config_file_paths={QUIZ_FILES}",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
    ]


def serve_command(port: int, *options: str) -> list[str]:
    """``assess serve`` on a port, with more of its options."""
    return [sys.executable, "-m", "assess.app.cli", "serve", f"--port={port}", *options]


def wait_until_serving(
    url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = SERVER_START_TIMEOUT
) -> None:
    """Poll a static file of Voilà's (a GET of the page itself would start a kernel)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerStartError(
                f"Voilà exited with code {server.returncode} before serving; its log:\n"
                + log.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(f"{url}voila/static/voila.js", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # the polling interval of a bounded loop, not a wait for the page
    raise ServerStartError(
        f"Voilà did not serve {url} within {timeout:.0f} s; its log:\n"
        + log.read_text(errors="replace")[-4000:]
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()  # Voilà shuts its kernels down on SIGTERM
    try:
        server.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@contextmanager
def running(
    command: Sequence[str],
    url: str,
    log: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `command` in `cwd` with its output in `log`, wait until `url` serves, yield the
    process, stop it."""
    with log.open("wb") as out:
        server = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else voila_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(url, server, log)
        yield server
    finally:
        stop(server)


@contextmanager
def served_as_assess_serve(
    options: ServeOptions, url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Voilà started exactly as ``assess serve`` starts it with `options`: its command line, its
    environment and the files the package ships, in that folder; stopped at the end."""
    from assess.hosting.serve import packaged_root, voila_command
    from assess.hosting.serve import voila_environment as served_environment

    files = packaged_root()
    with running(
        voila_command(options, files),
        url,
        log,
        env=served_environment(options, files),
        cwd=files,
    ) as server:
        yield server
