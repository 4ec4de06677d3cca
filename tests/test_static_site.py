"""The static site's parts that need no browser: the quiz's switch for running in the browser,
the GitHub Pages workflow that publishes `make site`, the build's first page, checks and gzip
copies, and `make site-serve` (sitebuild/serve.py), which sends a browser that accepts gzip the
gzip copy, and the file as it is to one that does not, on 127.0.0.1 only."""

from __future__ import annotations

import functools
import gzip
import html
import http.client
import importlib.util
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from assess.app import roots
from assess.datafiles.messages import default_messages
from assess.hosting.page_texts import PAGE_TEXTS_MARKER, assess_page_texts, server_page_texts

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roots.sys, "platform", "emscripten")


def test_in_the_browser_the_quiz_offers_no_server_side_save(in_browser: None) -> None:
    """Under Pyodide there is no server: no save service, no forget service."""
    app = roots.build_quiz(query_string="")
    assert app.services.save is None and app.services.forget is None


def test_in_the_browser_the_welcome_says_nothing_is_kept(in_browser: None) -> None:
    """The welcome's privacy line is the browser's one, in both languages."""
    messages = default_messages()
    for language in ("ja", "en"):
        app = roots.build_quiz(query_string=f"lang={language}")
        welcome = app.welcome.text.value
        assert messages.text("welcome.privacy_in_browser", language) in welcome
        assert messages.text("welcome.privacy", language) not in welcome


def test_on_a_server_the_quiz_keeps_its_save_box() -> None:
    """Under Voilà (any platform but emscripten) saving stays offered."""
    app = roots.build_quiz(query_string="")
    assert app.services.save is not None


def test_the_pages_workflow_builds_the_site_with_make_and_publishes_that_folder() -> None:
    """The workflow runs `make site` and uploads site/ to GitHub Pages, on main and on demand."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make site" for step in build)
    (upload,) = [
        s for s in build if str(s.get("uses", "")).startswith("actions/upload-pages-artifact")
    ]
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nsite: " in makefile and "--output site" in makefile


def _sitebuild(name: str) -> ModuleType:
    """A script of sitebuild/ (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(f"site_{name}", REPO / "sitebuild" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site_build() -> ModuleType:
    return _sitebuild("build")


FIRST_PAGE_MARKER = "<!-- assess:first-page -->"


def _quiz_page(folder: Path, body: str) -> Path:
    page = folder / "voici" / "render" / "quiz.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>")
    return page


def test_the_static_quiz_page_gets_its_first_page_where_the_template_left_room(
    tmp_path: Path,
) -> None:
    """The marker of first_page.html.j2 becomes the first page as the static site says it."""
    build = _site_build()
    page = _quiz_page(tmp_path, FIRST_PAGE_MARKER + '<div id="rendered_cells"></div>')
    build.finish_pages(tmp_path)
    text = page.read_text()
    assert FIRST_PAGE_MARKER not in text
    assert text.index("assess-first-page") < text.index("rendered_cells")
    messages = default_messages()
    assert html.escape(messages.text("welcome.privacy_in_browser", "ja")) in text


def test_the_static_pages_get_the_page_scripts_words_where_the_template_left_room(
    tmp_path: Path,
) -> None:
    """The marker of page_texts.html.j2 becomes the block of the page texts in every language
    (the static site's renderer takes no filters)."""
    build = _site_build()
    page = _quiz_page(tmp_path, FIRST_PAGE_MARKER + PAGE_TEXTS_MARKER)
    build.finish_pages(tmp_path)
    text = page.read_text()
    assert PAGE_TEXTS_MARKER not in text
    assert assess_page_texts() in text


def test_the_site_front_door_is_in_the_default_language(tmp_path: Path) -> None:
    """index.html says the list's default language and names the quiz in every language."""
    _site_build().write_index(tmp_path)
    text = (tmp_path / "index.html").read_text()
    assert '<html lang="ja">' in text
    assert f">{server_page_texts().joined('server.title')}</a>" in text


@pytest.mark.parametrize("body", ["", FIRST_PAGE_MARKER * 2])
def test_a_quiz_page_without_exactly_one_place_for_the_first_page_stops_the_build(
    tmp_path: Path, body: str
) -> None:
    """A template that lost (or doubled) the marker is a build error, not a page without it."""
    _quiz_page(tmp_path, body)
    with pytest.raises(SystemExit, match="no place for the first page"):
        _site_build().finish_pages(tmp_path)


@pytest.mark.parametrize(
    "loads",
    [
        '<link rel="stylesheet" href="https://cdn.example.org/x.css">',
        '<script src="https://cdn.example.org/x.js"></script>',
        '<script>import("https://cdn.example.org/x.mjs")</script>',
        "<style>body { background: url(https://cdn.example.org/x.png) }</style>",
    ],
)
def test_a_page_loading_anything_from_another_host_stops_the_build(
    tmp_path: Path, loads: str
) -> None:
    """Style sheets, scripts, modules and images from elsewhere are refused, by name of page."""
    page = tmp_path / "floor.html"
    page.write_text(f"<html><head>{loads}</head><body></body></html>")
    with pytest.raises(SystemExit, match="another host"):
        _site_build().finish_pages(tmp_path)


def test_a_link_the_person_may_follow_to_another_site_is_not_a_load(tmp_path: Path) -> None:
    """The help lines' official sites are links (<a href>), which load nothing."""
    page = tmp_path / "floor.html"
    page.write_text('<html><body><a href="https://www.example.org/">site</a></body></html>')
    _site_build().finish_pages(tmp_path)


def test_the_kernel_loads_the_packages_the_site_settings_name() -> None:
    """jupyter-lite.json is the one list: the lock's check reads the same packages."""
    build = _site_build()
    settings = json.loads((REPO / "sitebuild" / "jupyter-lite.json").read_text())
    kernel = settings["jupyter-config-data"]["litePluginSettings"][build.KERNEL_SETTINGS]
    assert build.preloaded() == tuple(kernel["loadPyodideOptions"]["packages"])
    assert "assess" in build.preloaded() and kernel["disablePyPIFallback"] is True


def test_every_file_that_compresses_gets_a_gzip_copy_with_the_same_bytes(tmp_path: Path) -> None:
    """Text gets an identical gzip copy (the same for the same file); noise and fonts do not."""
    (tmp_path / "page.html").write_text("<p>つながり</p>\n" * 200)
    (tmp_path / "noise.bin").write_bytes(os.urandom(4096))
    (tmp_path / "font.woff2").write_bytes(b"w" * 4096)
    build = _site_build()
    build.precompress(tmp_path)
    packed = (tmp_path / "page.html.gz").read_bytes()
    assert gzip.decompress(packed) == (tmp_path / "page.html").read_bytes()
    assert not (tmp_path / "noise.bin.gz").exists() and not (tmp_path / "font.woff2.gz").exists()
    (tmp_path / "page.html.gz").unlink()
    build.precompress(tmp_path)
    assert (tmp_path / "page.html.gz").read_bytes() == packed


# The shape of plotly.js's bundle inside jupyterlab-plotly's chunk, as rspack minified it.
PLOTLY_CHUNK = (
    'push([[0],{2(t,r,i){let O=1,F=(t,r)=>()=>r,R=1,j=F((t,r)=>{var i,n;i="u">typeof self?self:t,'
    'n=()=>{var t={bar:1,sankey:1};return window.Plotly=t,t},"object"==typeof r&&r.exports?'
    "r.exports=n():i.moduleName=n()}),N=O(R());tK.Plotly=O(j())}}])"
)


def test_the_plotly_renderer_gets_the_basic_bundle_of_its_own_plotly_js_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunk keeps its renderer and exports the basic bundle through the chunk's `module`;
    the other chunks are left as they are, and a basic bundle of another version stops the
    build."""
    build = _site_build()
    basic = tmp_path / "basic"
    basic.mkdir()
    (basic / "plotly-basic.min.js").write_text("module.exports={bar:1};")
    (basic / "package.json").write_text('{"version": "4.1.1"}')
    monkeypatch.setattr(build, "PLOTLY_BASIC", basic)
    extension = tmp_path / "jupyterlab-plotly"
    (extension / "static").mkdir(parents=True)
    (extension / "package.json").write_text('{"dependencies": {"plotly.js": "4.1.1"}}')
    (extension / "static" / "0.abc.js").write_text(PLOTLY_CHUNK)
    (extension / "static" / "remoteEntry.abc.js").write_text("var _JUPYTERLAB;")
    build.partial_plotly(extension)
    chunk = (extension / "static" / "0.abc.js").read_text()
    assert "sankey" not in chunk
    assert "j=F((t,r)=>{var module=r,exports=t;\nmodule.exports={bar:1};\n})" in chunk
    assert chunk.endswith(",N=O(R());tK.Plotly=O(j())}}])")
    assert (extension / "static" / "remoteEntry.abc.js").read_text() == "var _JUPYTERLAB;"
    (basic / "package.json").write_text('{"version": "4.2.0"}')
    with pytest.raises(SystemExit, match=r"plotly\.js 4\.1\.1"):
        build.partial_plotly(extension)


def test_a_repacked_archive_stores_its_files_with_the_same_contents(tmp_path: Path) -> None:
    """Each file stored, not deflated (the host's gzip compresses the archive whole), the same
    bytes inside; the standard library's code pages left out, but cp437, which zipfile reads
    names with."""
    build = _site_build()
    archive = tmp_path / "python_stdlib.zip"
    names = ("encodings/utf_8.py", "encodings/cp437.py", "encodings/cp1252.py", "json/__init__.py")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as original:
        for name in names:
            original.writestr(name, f"# {name}\n" * 100)
    build.repack_stdlib(archive)
    with zipfile.ZipFile(archive) as repacked:
        assert repacked.namelist() == [n for n in names if n != "encodings/cp1252.py"]
        assert {info.compress_type for info in repacked.infolist()} == {zipfile.ZIP_STORED}
        assert repacked.read("json/__init__.py") == b"# json/__init__.py\n" * 100


# --- make site-serve (sitebuild/serve.py): the gzip copy to a browser that accepts it -------


SERVE = _sitebuild("serve")
PAGE = "<p>つながりセルフチェック</p>\n" * 300


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


def test_the_gzip_copy_is_never_sent_for_a_file_outside_the_site(site: tuple[Path, int]) -> None:
    """A path climbing out of the site is the site's own 404, as Python's server answers it."""
    _, port = site
    status, _, _ = get(port, "/../quiz.html.gz/../../etc/passwd", Accept_Encoding="gzip")
    assert status == 404
