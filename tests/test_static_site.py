"""The static site's parts that need no browser: the quiz's switch for running in the browser,
and the GitHub Pages workflow that publishes `make site`."""

from __future__ import annotations

import gzip
import html
import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from assess.app import roots
from assess.datafiles.messages import default_messages

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


def _site_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_build", REPO / "sitebuild" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
