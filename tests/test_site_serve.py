"""`make site-serve` (sitebuild/serve.py): the built site as a compressing host sends it, the gzip
copy to a browser that accepts it, the file itself to one that does not, on 127.0.0.1 only."""

from __future__ import annotations

import functools
import gzip
import http.client
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGE = "<p>つながりセルフチェック</p>\n" * 300


def _serve_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_serve", REPO / "sitebuild" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SERVE = _serve_module()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A site of two files, one with the build's gzip copy, served on a free port."""
    (tmp_path / "quiz.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "quiz.html.gz").write_bytes(gzip.compress(PAGE.encode(), mtime=0))
    (tmp_path / "plain.txt").write_text("no copy\n")
    handler = functools.partial(SERVE.SiteHandler, directory=str(tmp_path))
    server = SERVE.http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, dict(answer.getheaders()), body


def test_a_browser_that_accepts_gzip_gets_the_gzip_copy(site: tuple[Path, int]) -> None:
    """Content-Encoding gzip, the page's own type, Vary, and the page once unpacked."""
    _, port = site
    status, headers, body = get(port, "/quiz.html", Accept_Encoding="gzip, deflate, br")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/html") and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body).decode() == PAGE and len(body) < len(PAGE.encode()) / 5


@pytest.mark.parametrize("accepts", ["", "br", "identity", "gzip;q=0", "deflate, gzip; q=0.0"])
def test_a_browser_that_refuses_gzip_gets_the_file_as_it_is(
    site: tuple[Path, int], accepts: str
) -> None:
    """No gzip in Accept-Encoding, or gzip with q=0: the plain bytes."""
    _, port = site
    status, headers, body = get(port, "/quiz.html", Accept_Encoding=accepts)
    assert status == 200 and "Content-Encoding" not in headers and body.decode() == PAGE


def test_a_file_without_a_gzip_copy_goes_as_it_is(site: tuple[Path, int]) -> None:
    """Only what the build compressed goes compressed."""
    _, port = site
    status, headers, body = get(port, "/plain.txt", Accept_Encoding="gzip")
    assert status == 200 and "Content-Encoding" not in headers and body == b"no copy\n"


def test_a_file_asked_again_unchanged_costs_no_body(site: tuple[Path, int]) -> None:
    """A revalidation of an unchanged file is a 304, compressed or not."""
    _, port = site
    _, first, _ = get(port, "/quiz.html", Accept_Encoding="gzip")
    status, _, body = get(
        port, "/quiz.html", Accept_Encoding="gzip", If_Modified_Since=first["Last-Modified"]
    )
    assert status == 304 and body == b""
    assert first["Cache-Control"] == "no-cache"


def test_the_gzip_copy_is_never_sent_for_a_file_outside_the_site(site: tuple[Path, int]) -> None:
    """A path climbing out of the site is the site's own 404, as Python's server answers it."""
    _, port = site
    status, _, _ = get(port, "/../quiz.html.gz/../../etc/passwd", Accept_Encoding="gzip")
    assert status == 404
