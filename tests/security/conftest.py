"""A hosted quiz for the security tests: ``assess serve`` on a free port of 127.0.0.1, as an
organisation would run it (standalone Voilà, the quiz notebook only, the repository's settings),
once for the module.  Its log is kept for the tests that read it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hosted import Hosted
from voila_server import ServerStartError, free_port, running, serve_command


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    """The quiz served by ``assess serve`` (room for every visit of a module's tests)."""
    port = free_port()
    log = tmp_path_factory.mktemp("hosted") / "server.log"
    url = f"http://127.0.0.1:{port}/"
    command = serve_command(port, "--max-kernels=40", "--kernels-per-address=40", "--cull-idle=600")
    try:
        with running(command, url, log):
            yield Hosted(url, log)
    except ServerStartError as error:
        pytest.fail(str(error))
