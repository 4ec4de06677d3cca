"""binder/ builds what pyproject.toml describes, and the quiz runs from it as on Binder.

With a binder/ folder Binder (repo2docker) ignores pyproject.toml: it installs
binder/requirements.txt, runs binder/postBuild (which installs this package with --no-deps),
and starts Jupyter through binder/start.  The quiz then runs through Voilà's *server extension*
(``/voila/render/notebooks/quiz.ipynb``), which takes its settings from Jupyter Server's
configuration (binder/jupyter/), not from the package's voila.json (src/assess/hosting).

The fast tests keep these files in agreement; the slow ones build a fresh virtual environment
as Binder would and run the notebooks and the server extension in it, and ask repo2docker
itself (``--no-build``: no Docker needed) how it reads the folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from voila_client import QuizVisit, english_welcome
from voila_server import ServerStartError, free_port, running

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
PIP_TIMEOUT = 1200  # seconds: a fresh environment from PyPI (pip's cache is kept)
RUN_TIMEOUT = 600
# The parts of the repository Binder's postBuild and the notebooks need (a copy: pip builds in
# the source tree, and the test must not leave build files in the checkout).
REPOSITORY_PARTS = ["src", "data", "notebooks", "binder"]
REPOSITORY_FILES = ["pyproject.toml", "setup.py", "README.md"]
VOILA_JSON = ROOT / "src" / "assess" / "hosting" / "voila.json"  # shipped for `assess serve`


# The quiz, and what the notebooks of notebooks/ (JupyterLab on Binder) use: a group's scores and
# a local store.  Not `postgres`: a Binder container has no server to reach.
BINDER_EXTRAS = ("app", "group", "store")


def _runtime_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    lines = [*project["dependencies"], *(line for name in BINDER_EXTRAS for line in extras[name])]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def _binder_requirements() -> dict[str, Requirement]:
    found = {}
    for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = requirement
    return found


def _pinned(requirement: Requirement) -> Version:
    pins = [s for s in requirement.specifier if s.operator == "=="]
    assert len(pins) == 1 and len(requirement.specifier) == 1, f"{requirement}: pin with =="
    return Version(pins[0].version)


# --- the files agree ------------------------------------------------------------------------


def test_every_runtime_dependency_is_pinned_for_binder_within_pyprojects_range() -> None:
    """Each dependency of pyproject (and its extras for Binder) is in binder/requirements.txt, pinned
    with ==, with the same extras, at a version pyproject's specifier allows."""
    runtime, binder = _runtime_requirements(), _binder_requirements()
    assert sorted(set(runtime) - set(binder)) == [], "missing from binder/requirements.txt"
    for name, wanted in runtime.items():
        pinned = binder[name]
        assert pinned.extras == wanted.extras, name
        assert wanted.specifier.contains(_pinned(pinned), prereleases=True), (
            f"{pinned} is outside pyproject's {wanted}"
        )


def test_binder_installs_nothing_pyproject_does_not_ask_for() -> None:
    """Binder's own Jupyter stays as its base image has it: no stray pins here."""
    assert sorted(set(_binder_requirements()) - set(_runtime_requirements())) == []


def test_voila_is_at_least_the_version_the_quiz_was_measured_with() -> None:
    assert _pinned(_binder_requirements()["voila"]) >= Version("0.5.11")


def test_binder_uses_a_python_that_pyproject_allows() -> None:
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert SpecifierSet(project["requires-python"]).contains(runtime.removeprefix("python-"))
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"


def test_post_build_installs_the_package_without_its_dependencies() -> None:
    script = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"pip install\b.*--no-deps .*\.$", script, re.MULTILINE)
    for name in ("postBuild", "start"):
        assert os.access(BINDER / name, os.X_OK), f"binder/{name} must be executable"
        assert (BINDER / name).read_text(encoding="utf-8").startswith("#!/bin/bash")


def test_the_server_extension_gets_voila_json_settings_for_the_page() -> None:
    """The package's voila.json page settings (template, sources, tracebacks, executor,
    exporter) are also in binder/jupyter/jupyter_server_config.json, which binder/start puts on
    the config path: Voilà's server extension reads those from Jupyter Server's configuration."""
    voila = json.loads(VOILA_JSON.read_text(encoding="utf-8"))
    server = json.loads((BINDER / "jupyter" / "jupyter_server_config.json").read_text())
    for section in ("VoilaConfiguration", "VoilaExecutor", "VoilaExporter"):
        for name, value in voila.get(section, {}).items():
            assert server.get(section, {}).get(name) == value, f"{section}.{name}"
    start = (BINDER / "start").read_text(encoding="utf-8")
    assert "JUPYTER_PATH=" in start and "/src/assess/hosting/jupyter" in start
    assert "JUPYTER_CONFIG_PATH=" in start and "/binder/jupyter" in start
    assert start.rstrip().endswith('exec "$@"')


def test_the_readme_badges_open_the_quiz_in_voila_and_the_notebooks_in_jupyterlab() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]*\)", readme)
    assert any("urlpath=voila/render/notebooks/quiz.ipynb" in b for b in badges)
    assert any("urlpath=lab/tree/notebooks" in b for b in badges)


# --- as Binder builds and runs it -----------------------------------------------------------

EXECUTE_NOTEBOOKS = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import assess, nbformat
    from nbclient import NotebookClient

    report = {"assess": assess.__file__, "notebooks": {}}
    for name in ("notebooks/quiz.ipynb", "notebooks/instrument.ipynb"):
        path = Path(name)
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=300, kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
        report["notebooks"][name] = {
            "outputs": len(outputs),
            "errors": [o.get("ename") for o in outputs if o.get("output_type") == "error"],
        }
    print(json.dumps(report))
    """
)


def _copy_repository(target: Path) -> Path:
    import shutil

    # As a clone has it: without what git ignores (in data/, the JSON that make compiles).
    ignored = ["__pycache__", "*.egg-info", ".ipynb_checkpoints"]
    target.mkdir()
    for name in REPOSITORY_PARTS:
        shutil.copytree(
            ROOT / name,
            target / name,
            symlinks=True,  # notebooks/quiz.ipynb links to the packaged notebook, as in git
            ignore=shutil.ignore_patterns(*ignored, *(["*.json"] if name == "data" else [])),
        )
    for name in REPOSITORY_FILES:
        shutil.copy2(ROOT / name, target / name)
    return target


def _isolated_environment(venv: Path, home: Path) -> dict[str, str]:
    """Only the new environment on PATH; Jupyter's user directories empty and private."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "VIRTUAL_ENV", "PYTHON", "VOILA"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["JUPYTER_DATA_DIR"] = str(home / "data")
    env["JUPYTER_CONFIG_DIR"] = str(home / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    env["IPYTHONDIR"] = str(home / "ipython")
    return env


def _run(
    command: list[str], *, cwd: Path, env: dict[str, str], timeout: float, stderr: bool = False
) -> str:
    """Run to completion; its standard output (and error, with `stderr`)."""
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + (done.stderr if stderr else "")


@pytest.mark.slow
@pytest.mark.server
def test_a_fresh_binder_environment_runs_the_notebooks_and_serves_the_quiz(
    tmp_path: Path,
) -> None:
    """requirements.txt into a new venv, postBuild from the repository's root, then, through
    binder/start: both notebooks run headless without errors, and Jupyter Server's Voilà
    extension serves the quiz with the assess template and the Binder settings, in the
    language of ?lang=."""
    repo = _copy_repository(tmp_path / "repo")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = _isolated_environment(venv, tmp_path / "home")
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "-r", "binder/requirements.txt"], cwd=repo, env=env, timeout=PIP_TIMEOUT)
    _run(["bash", "binder/postBuild"], cwd=repo, env=env, timeout=PIP_TIMEOUT)
    start = [str(repo / "binder" / "start")]

    report = json.loads(
        _run([*start, python, "-c", EXECUTE_NOTEBOOKS], cwd=repo, env=env, timeout=RUN_TIMEOUT)
    )
    assert report["assess"].startswith(str(venv)), "the installed package, not the source tree"
    for name, outcome in report["notebooks"].items():
        assert outcome == {"outputs": outcome["outputs"], "errors": []}, name
        assert outcome["outputs"] > 0, f"{name} showed nothing"

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = [
        *start,
        str(venv / "bin" / "jupyter"),
        "server",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--IdentityProvider.token=",
    ]
    try:
        with running(server, url, tmp_path / "server.log", env=env, cwd=repo):
            page_url = f"{url}voila/render/notebooks/quiz.ipynb"
            body, start_label = english_welcome(url, page_url=page_url)
    except ServerStartError as error:
        pytest.fail(str(error))
    assert start_label == QuizVisit(url, language="en").text("welcome.start")
    assert "cdn.jsdelivr.net" not in body and "font-awesome" not in body  # the assess template
    assert '<html lang="ja">' in body  # VoilaExporter.language_code from binder/jupyter/
    assert 'id="assess-page-texts"' in body  # the page scripts' words: its filters


def _repo2docker(tmp_path: Path) -> Path:
    venv = tmp_path / "r2d"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "jupyter-repo2docker"],
        cwd=tmp_path,
        env=dict(os.environ),
        timeout=PIP_TIMEOUT,
    )
    return venv


def _lock_versions(venv: Path, python: str) -> dict[str, Version]:
    """Package versions of repo2docker's base environment for this Python (its conda lock)."""
    locks = list(
        venv.glob(
            f"lib/python*/site-packages/repo2docker/buildpacks/conda/"
            f"environment.py-{python}-linux-64.lock"
        )
    )
    assert locks, f"repo2docker has no base environment for Python {python}"
    versions = {}
    for match in re.finditer(
        r"/([A-Za-z0-9_.-]+?)-(\d[^-/]*)-[^-/]+\.(?:conda|tar\.bz2)", locks[0].read_text()
    ):
        versions[canonicalize_name(match.group(1))] = Version(match.group(2))
    return versions


@pytest.mark.slow
def test_repo2docker_reads_the_binder_folder_as_intended(tmp_path: Path) -> None:
    """repo2docker --no-build (no Docker needed) writes the Dockerfile it would build: Python
    3.11, binder/requirements.txt, postBuild, binder/start as the entry point, and nothing
    from pyproject.toml; and Binder's base Jupyter satisfies what the pinned Voilà needs."""
    venv = _repo2docker(tmp_path)
    repo = _copy_repository(tmp_path / "repo")
    dockerfile = _run(
        [str(venv / "bin" / "repo2docker"), "--no-build", "--no-run", "--debug", str(repo)],
        cwd=tmp_path,
        env=dict(os.environ),
        timeout=RUN_TIMEOUT,
        stderr=True,
    )
    python = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"Building conda environment for python={python}" in dockerfile
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', dockerfile)
    assert "RUN ./binder/postBuild" in dockerfile
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile
    assert "pip install -e" not in dockerfile and "setup.py" not in dockerfile
    assert "pyproject" not in dockerfile

    base = _lock_versions(venv, python)
    assert "jupyter-server" in base and "jupyterlab" in base
    voila = _pinned(_binder_requirements()["voila"])
    installed = Version(metadata.version("voila"))
    assert installed == voila, "compare with the Voilà binder/ pins (reinstall .venv)"
    for line in metadata.requires("voila") or []:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if requirement.marker is None and name in base:
            assert requirement.specifier.contains(base[name], prereleases=True), (
                f"Binder's {name} {base[name]} does not meet voila {voila}'s {requirement}"
            )
