"""The static host of docs/hosting.md, run: Debian's nginx with that very block on 127.0.0.1,
over a copy of the built site (``make site``) compressed by the documented command.

Every file of the site is answered, to a browser that accepts gzip as to one that does not,
with exactly the bytes of the build; the large files go compressed; the scripts and Python's
WebAssembly have the types a browser needs; a file asked again unchanged costs no body.
"""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WASM = "static/pyodide/pyodide.asm.wasm"


def documented(marker: str, language: str) -> str:
    """The code block of docs/hosting.md between `marker`'s begin and end comments."""
    text = (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- {marker}: begin -->\s*```{language}\n(.*?)```\s*<!-- {marker}: end -->", text, re.S
    )
    assert found, f"docs/hosting.md lost its {marker} markers"
    return found.group(1)


def runnable_config(folder: Path, root: Path, *, listen: int) -> str:
    """The documented block with this test's port and folder, plain HTTP, a log of one run."""
    block = documented("static-config", "nginx")
    block = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{listen};")
    block = block.replace("root /srv/assess-site;", f"root {root};")
    assert f"127.0.0.1:{listen}" in block and str(root) in block
    temp = "\n".join(
        f"    {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"user root;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n"
        f"    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n{temp}\n{block}\n}}\n"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Host:
    url: str
    files: list[str]  # every file of the build, relative to the site

    def get(self, path: str, **headers: str) -> Answer:
        request = urllib.request.Request(
            self.url + path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    if not (SITE / ".built").exists():
        pytest.fail(f"{SITE} is not built: run `make site` (make test does it first)")
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `apt-get install -y nginx` (.ci/run does it)")
    folder = tmp_path_factory.mktemp("static-host")
    root = folder / "assess-site"
    shutil.copytree(SITE, root)
    # Before compression: the build's own files, less the gzip copies it writes beside them
    # (the documented command writes them again; a browser asks for the file, never its copy).
    files = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not (path.suffix == ".gz" and path.with_suffix("").is_file())
    )
    command = documented("static-gzip", "sh").strip().replace("/srv/assess-site", str(root))
    subprocess.run(["sh", "-c", command], check=True, timeout=300)
    listen = free_port()
    config = folder / "nginx.conf"
    config.write_text(runnable_config(folder, root, listen=listen))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr.decode()
    nginx = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert nginx.poll() is None, f"nginx exited with {nginx.returncode}"
            try:
                socket.create_connection(("127.0.0.1", listen), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen within 20 s"
                time.sleep(0.1)  # the interval of a bounded poll for nginx to listen
        yield Host(f"http://127.0.0.1:{listen}/", files)
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)


def test_every_file_of_the_site_is_answered_with_the_bytes_of_the_build(host: Host) -> None:
    """With gzip accepted or not, each file arrives (unpacked) exactly as `make site` made it."""
    wrong = []
    for path in host.files:
        original = (SITE / path).read_bytes()
        plain = host.get(path)
        packed = host.get(path, Accept_Encoding="gzip")
        unpacked = (
            gzip.decompress(packed.body)
            if packed.headers.get("Content-Encoding") == "gzip"
            else packed.body
        )
        if (plain.status, packed.status) != (200, 200):
            wrong.append(f"{path}: answered {plain.status} / {packed.status} with gzip")
        elif plain.body != original:
            wrong.append(f"{path}: not the build's bytes")
        elif unpacked != original:
            wrong.append(f"{path}: not the build's bytes once unpacked")
    assert not wrong, wrong[:10]
    assert len(host.files) > 100


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (WASM, "application/wasm"),
        ("voici/render/quiz.html", "text/html"),
        ("jupyter-lite.json", "application/json"),
        ("service-worker.js", "application/javascript"),
    ],
)
def test_the_large_files_go_compressed_with_the_type_a_browser_needs(
    host: Host, path: str, kind: str
) -> None:
    """Python's WebAssembly, the quiz page, the settings and the service worker: gzip, right type."""
    answer = host.get(path, Accept_Encoding="gzip, deflate, br")
    assert answer.status == 200
    assert answer.headers["Content-Type"].split(";")[0] == kind
    assert answer.headers.get("Content-Encoding") == "gzip"
    assert len(answer.body) < (SITE / path).stat().st_size


def test_a_browser_without_gzip_gets_the_files_as_they_are(host: Host) -> None:
    """No Accept-Encoding, no compression: the file itself."""
    answer = host.get(WASM)
    assert "Content-Encoding" not in answer.headers
    assert len(answer.body) == (SITE / WASM).stat().st_size


def test_a_file_asked_again_unchanged_costs_no_body(host: Host) -> None:
    """Browsers are told to ask again (no-cache); an unchanged file is a 304 without a body."""
    first = host.get(WASM, Accept_Encoding="gzip")
    assert first.headers.get("Cache-Control") == "no-cache"
    again = host.get(WASM, Accept_Encoding="gzip", If_None_Match=first.headers["ETag"])
    assert again.status == 304 and again.body == b""


def test_the_address_of_the_site_opens_its_start_page(host: Host) -> None:
    """`https://quiz.example.org/` is a link that works: the site's index page."""
    answer = host.get("")
    assert answer.status == 200
    assert answer.body == (SITE / "index.html").read_bytes()
