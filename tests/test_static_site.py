"""The static site's parts that need no browser: the quiz's switch for running in the browser,
and the GitHub Pages workflow that publishes `make site`."""

from __future__ import annotations

from pathlib import Path

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
