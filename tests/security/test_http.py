"""Over plain HTTP the quiz server gives the quiz page and Voilà's assets, nothing else: no
other notebook, no data, source or settings file, no directory listing, no traceback, and no
page of it names another host."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hosted import Hosted
from voila_server import REPO

pytestmark = pytest.mark.server

SECRET_FILES = [
    "src/assess/hosting/voila.json",
    "pyproject.toml",
    "notebooks/quiz.ipynb",
    "notebooks/instrument.ipynb",
    "src/assess/app/roots.py",
    "src/assess/hosting/serve.py",
    "src/assess/hosting/jupyter/voila/templates/assess/index.html.j2",
]
TRAVERSALS = ["../", "..%2f", "%2e%2e/", "%2e%2e%2f", "..%2F", "%252e%252e/", "....//", "..\\"]
PREFIXES = [
    "",
    "voila/files/",
    "voila/static/",
    "voila/templates/assess/static/",
    "voila/templates/lab/static/",
    "voila/labextensions/",
    "voila/api/themes/",
]
PLAIN_PATHS = [
    "quiz.ipynb",
    "instrument.ipynb",
    "notebooks/quiz.ipynb",
    "notebooks/instrument.ipynb",
    "voila/render/instrument.ipynb",
    "voila/render/notebooks/instrument.ipynb",
    "voila/files/quiz.ipynb",
    # Beside the served notebook in the package (src/assess/hosting): settings, code, template.
    "voila/files/voila.json",
    "voila/files/serve.py",
    "voila/files/jupyter/voila/templates/assess/index.html.j2",
    "voila/files/instrument.ipynb",
    "voila/files/",
    "voila/tree",
    "voila/tree/notebooks",
    "voila/api/contents",
    "voila/api/contents/notebooks/quiz.ipynb",
    "api/contents",
    "api/contents/notebooks/quiz.ipynb",
    "api/kernels",
    "api/sessions",
    "api/kernelspecs",
    "tree",
    "lab",
    "files/voila.json",
    "voila.json",
    "pyproject.toml",
    "src/assess/app/roots.py",
    "data/instruments/",
    "voila/templates/assess/index.html.j2",
    "voila/templates/assess/conf.json",
    "voila/static/%2Fetc%2Fpasswd",
    "voila/files/%2Fetc%2Fpasswd",
    "voila/static//etc/passwd",
    "voila/labextensions//etc/passwd",
    "voila/api/themes//etc/passwd",
]
MAX_BODY = 2_000_000


def _candidate_paths() -> list[str]:
    paths = list(PLAIN_PATHS)
    for prefix in PREFIXES:
        for up in TRAVERSALS:
            for depth in (1, 3, 8):
                for secret in (
                    "voila.json",
                    "src/assess/app/roots.py",
                    "notebooks/instrument.ipynb",
                ):
                    paths.append(prefix + up * depth + secret)
    return paths


def _fetch(url: str) -> tuple[int, str]:
    """GET, following redirects as a browser would; (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(MAX_BODY).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(MAX_BODY).decode("utf-8", "replace")


def _fingerprints() -> dict[str, str]:
    """A line of each secret file that nothing else would contain."""
    prints = {}
    data_files = sorted(str(p.relative_to(REPO)) for p in (REPO / "data").rglob("*.yaml"))
    for name in [*SECRET_FILES, *data_files[:3]]:
        lines = [
            line.strip()
            for line in (REPO / name).read_text(encoding="utf-8").splitlines()
            if len(line.strip()) > 24
        ]
        prints[name] = lines[len(lines) // 2] if lines else (REPO / name).read_text()[:40]
    return prints


def test_no_notebook_source_data_or_settings_file_can_be_fetched(hosted: Hosted) -> None:
    """Hundreds of paths (plain, ../, encoded traversal, every static route): none gives a file,
    and none makes the server fail (500)."""
    fingerprints = _fingerprints()
    served = []
    for path in _candidate_paths():
        # Sent as written: urllib does not normalise `..` away, and the server sees the raw path.
        status, body = _fetch(hosted.url + path)
        leaked = [name for name, line in fingerprints.items() if line in body]
        if status == 200 or status >= 500 or leaked:  # a 500 is a traceback in the log
            served.append(f"{path} -> {status} {leaked}")
    assert served == []


def test_error_pages_show_no_traceback(hosted: Hosted) -> None:
    """A path that makes a handler raise (Voilà's template route) still shows no traceback."""
    for path in [
        "voila/templates/assess/index.html.j2",
        "voila/templates/x",
        "voila/api/shutdown/not-a-kernel",
        "voila/static/../../x",
        "nothing/here",
    ]:
        status, body = _fetch(hosted.url + path)
        assert status >= 400
        assert "Traceback" not in body and 'File "' not in body, path
        assert str(REPO) not in body, path


def _outside_urls(html: str, base: str) -> list[str]:
    """Every URL the HTML would load (or post to) that leaves the server's host.  A link a person
    may choose to follow (``<a href>``: a help line's official site) loads nothing by itself."""
    host = urlsplit(base).netloc
    without_links = re.sub(r"<a\s[^>]*>", "<a>", html, flags=re.IGNORECASE)
    found = re.findall(r"""(?:src|href|action)\s*=\s*["']([^"']+)["']""", without_links)
    found += re.findall(r"""url\(\s*["']?([^"')]+)""", html)
    found += re.findall(r"""@import\s+["']([^"']+)""", html)
    outside = []
    for url in found:
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        if parts.scheme in {"data", "blob", "about", "javascript", "mailto", "tel"}:
            continue
        if parts.netloc and parts.netloc != host:
            outside.append(url)
    return outside


def test_the_quiz_and_its_error_pages_name_no_other_host(hosted: Hosted) -> None:
    """The page, the 404/403 pages and the busy page load nothing from elsewhere.

    What the browser then requests (scripts, fonts, the websocket) is watched by the browser
    tests: every test of tests/e2e fails on a request leaving 127.0.0.1 (its ``recorder``
    fixture); this checks the HTML that those tests never open, too."""
    pages = {
        "quiz": hosted.url,
        "not found": hosted.url + "voila/static/no-such-file.js",
        "forbidden": hosted.url + "no-such-notebook.ipynb",
        "template error": hosted.url + "voila/templates/x",
    }
    for name, url in pages.items():
        _, body = _fetch(url)
        assert _outside_urls(body, url) == [], name
        assert "cdn.jsdelivr.net" not in body and "cdnjs" not in body, name


def test_the_busy_page_names_no_other_host() -> None:
    """The 503 page of the kernel cap (rendered in test_serve against a capped server) is
    plain: checked here on the template itself."""
    template = Path(REPO / "src/assess/hosting/jupyter/voila/templates/assess/503.html").read_text()
    frame = Path(REPO / "src/assess/hosting/jupyter/voila/templates/assess/page.html").read_text()
    assert _outside_urls(template + frame, "http://127.0.0.1/") == []


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("voila/static/voila.js", "javascript"),
        ("voila/templates/assess/static/voila-style.js", "javascript"),
        ("?lang=en", "text/html"),
    ],
)
def test_text_and_scripts_are_sent_compressed(hosted: Hosted, path: str, kind: str) -> None:
    """A browser that accepts gzip gets the page and Voilà's scripts compressed (a phone's
    first visit: ≈ 2.9 MB instead of ≈ 9.7 MB); one that does not gets them as they are."""
    import gzip

    url = hosted.url + path
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert kind in response.headers["Content-Type"]
        assert response.headers["Content-Encoding"] == "gzip"
        packed = response.read()
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.headers.get("Content-Encoding") is None
        plain = response.read()
    if kind == "javascript":  # the page differs per visit (its kernel id)
        assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 2
