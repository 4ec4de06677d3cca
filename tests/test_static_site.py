"""The static site's parts that need no browser: the quiz's switch for running in the browser,
and the GitHub Pages workflow that publishes `make site`."""

from __future__ import annotations

import importlib.util
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


def test_the_static_page_gets_the_voila_page_script_and_the_keep_on_device_script() -> None:
    """Two plain scripts, none of the templates' comments (one names a <script> in passing)."""
    scripts = _site_build().quiz_page_script()
    assert scripts.count("<script>") == 2 and scripts.count("</script>") == 2
    assert "{#" not in scripts and "#}" not in scripts
    assert "history.replaceState" in scripts  # the Voilà page's own
    assert 'KEY = "assess-kept"' in scripts and "localStorage" in scripts


def test_a_template_comment_naming_a_script_does_not_reach_the_static_page(
    tmp_path: Path,
) -> None:
    """The comment of a copied template may say "<script>": only the script itself is copied."""
    build = _site_build()
    for name in build.PAGE_SCRIPTS:
        (tmp_path / name).write_text(
            "{#- copies this <script> into its page -#}\n<script>var x = 1;</script>\n"
        )
    build.TEMPLATES = tmp_path
    assert build.quiz_page_script() == "<script>var x = 1;</script>\n" * len(build.PAGE_SCRIPTS)
