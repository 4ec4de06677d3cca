"""The package as built and installed: a wheel that builds without a warning and carries every
file the quiz reads, and extras per layer, each installable without the others.

The core needs PyYAML alone; `app` is the quiz, `group` a group's scores, `store` saving,
`postgres` its driver.  What is checked in a new environment (slow: each installs from PyPI's
cache) is that each layer runs with only its extra, and that a command reaching a layer whose
extra is missing says which to install, on one line.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from voila_server import REPO
from wheels import Built, build_wheel, new_environment, outside_any_checkout, wheel_files

from assess.app.cli import main
from assess.app.extras import EXTRA_OF_MODULE

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LAYERS = ("app", "group", "store", "postgres")
"""The extras of the package's layers (besides `test`, the tools)."""
COHORT_CSV = REPO / "tests" / "data" / "hostile" / "cohort_long.csv"


def _requirements(extra: str) -> set[str]:
    """The distributions an extra names, without the package's own other extras."""
    names = {
        canonicalize_name(Requirement(line).name)
        for line in PROJECT["optional-dependencies"][extra]
    }
    return names - {"assess"}


# --- which extra installs what -------------------------------------------------------------------


def test_the_core_needs_nothing_but_pyyaml() -> None:
    """`pip install assess` brings no pandas, no database, no widgets."""
    assert [Requirement(line).name for line in PROJECT["dependencies"]] == ["pyyaml"]


@pytest.mark.parametrize("extra", LAYERS)
def test_every_module_of_an_extra_is_named_for_the_message_and_nothing_else(extra: str) -> None:
    """assess.app.extras names exactly the distributions of each extra, so that the message for a
    missing module names the extra that installs it."""
    named = {canonicalize_name(m) for m, e in EXTRA_OF_MODULE.items() if e == extra}
    assert named == _requirements(extra)


def test_the_test_tools_bring_every_layer() -> None:
    """`make test` installs `.[test]` and tests every layer."""
    (own,) = [
        Requirement(r) for r in PROJECT["optional-dependencies"]["test"] if r.startswith("assess")
    ]
    assert own.extras == set(LAYERS)


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["score", str(COHORT_CSV)], "group"),
        (["cohort", "--synthetic", "20"], "group"),
    ],
    ids=["score a cohort CSV", "a synthetic group"],
)
def test_a_command_whose_extra_is_missing_says_which_to_install(
    argv: list[str], extra: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without pandas, `assess score cohort.csv` ends in one line naming the extra, not a
    traceback."""
    for module in ("pandas", "numpy"):
        monkeypatch.setitem(sys.modules, module, None)  # `import pandas` now fails, as uninstalled
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(argv) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"error: this needs pandas, from the extra '{extra}': pip install 'assess[{extra}]'"
    ]


# --- the wheel -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_wheel(tmp_path_factory.mktemp("wheel"), warnings_as_errors=True)


@pytest.mark.slow
def test_the_wheel_builds_without_a_warning(built: Built) -> None:
    """`pip wheel .` with every Python warning an error (pip's and the build backend's), and no
    warning in what it prints: a deprecated setting of ours fails here, not in a newcomer's
    first `make quiz`."""
    assert [line for line in built.output.splitlines() if "Warning" in line] == []


@pytest.mark.slow
def test_the_wheel_carries_every_file_the_quiz_reads(built: Built) -> None:
    """Each data file with its compiled JSON, the notebook, Voilà's settings, every template
    file, and the marker that the package is typed."""
    data = REPO / "data"
    templates = REPO / "src" / "assess" / "hosting" / "jupyter" / "voila" / "templates" / "assess"
    expected = {"assess/py.typed", "assess/data/README.md"}
    expected |= {"assess/hosting/quiz.ipynb", "assess/hosting/voila.json"}
    for path in data.rglob("*.yaml"):
        shipped = f"assess/data/{path.relative_to(data).as_posix()}"
        expected |= {shipped, shipped.removesuffix(".yaml") + ".json"}
    for path in templates.iterdir():
        expected.add(f"assess/{path.relative_to(REPO / 'src' / 'assess').as_posix()}")
    assert sorted(expected - set(wheel_files(built.wheel))) == []


# --- each layer in an environment of its own -----------------------------------------------------

ABSENT = """
import importlib.util, sys
missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None]
assert not missing, f"installed although its extra was not asked for: {missing}"
"""

CORE = """
import assess.core.scoring, assess.datafiles.instrument
from assess import default_instrument
print(len(default_instrument().items), "questions")
"""

APP = """
import sys
import assess.hosting.guard, assess.hosting.serve, assess.ui.results_page
from assess.app.roots import build_quiz
app = build_quiz(query_string="lang=en")
assert app.services.save is None, "a save box without the store"
print(sorted(m for m in ("pandas", "numpy", "sqlalchemy") if m in sys.modules))
"""

STORE = """
import sys
from assess.store.results import ResultStore
with ResultStore.open(sys.argv[1]) as store:
    print(store.count(), "saved")
"""


@dataclass(frozen=True)
class Installed:
    """A new environment with the wheel and one extra, used from a folder far from the checkout."""

    python: Path
    env: dict[str, str]
    folder: Path

    def run(self, command: str, *args: str) -> subprocess.CompletedProcess[str]:
        """`python` or `assess` of the environment, with `args`."""
        program = self.python if command == "python" else self.python.parent / command
        return subprocess.run(
            [str(program), *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env=self.env,
            timeout=300,
            check=False,
        )

    def lacks(self, *modules: str) -> None:
        checked = self.run("python", "-c", ABSENT, *modules)
        assert checked.returncode == 0, checked.stderr[-2000:]


def _installed(built: Built, tmp_path: Path, extra: str) -> Installed:
    venv = tmp_path / "venv"
    python = new_environment(venv, f"{built.wheel}[{extra}]" if extra else str(built.wheel))
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return Installed(python, outside_any_checkout(tmp_path, venv), folder)


@pytest.mark.slow
def test_the_core_alone_scores_and_validates_and_names_the_extra_it_lacks(
    built: Built, tmp_path: Path
) -> None:
    """PyYAML and nothing else: the core and the data files load, `assess validate` checks the
    data, and `assess score` of a cohort CSV says to install `group`."""
    core = _installed(built, tmp_path, "")
    core.lacks("pandas", "numpy", "sqlalchemy", "ipywidgets", "voila", "psycopg")
    loaded = core.run("python", "-c", CORE)
    assert loaded.returncode == 0 and "questions" in loaded.stdout, loaded.stderr[-2000:]
    validated = core.run("assess", "validate", str(REPO / "data"))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    scored = core.run("assess", "score", str(COHORT_CSV))
    assert scored.returncode == 1
    assert scored.stderr.splitlines() == [
        "error: this needs pandas, from the extra 'group': pip install 'assess[group]'"
    ]


@pytest.mark.slow
def test_the_quiz_runs_with_app_alone_and_offers_no_save_box(built: Built, tmp_path: Path) -> None:
    """`assess[app]` builds the quiz without pandas, numpy or SQLAlchemy in the environment."""
    app = _installed(built, tmp_path, "app")
    app.lacks("pandas", "numpy", "sqlalchemy", "psycopg")
    quiz = app.run("python", "-c", APP)
    assert quiz.returncode == 0, quiz.stderr[-2000:]
    assert quiz.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_group_scores_with_group_alone(built: Built, tmp_path: Path) -> None:
    """`assess[group]` scores a cohort CSV, without widgets or a database."""
    group = _installed(built, tmp_path, "group")
    group.lacks("sqlalchemy", "ipywidgets", "voila")
    scored = group.run("assess", "score", str(COHORT_CSV))
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.startswith("respondent,")


@pytest.mark.slow
def test_results_are_stored_with_store_alone(built: Built, tmp_path: Path) -> None:
    """`assess[store]` opens a SQLite store, without pandas or widgets."""
    store = _installed(built, tmp_path, "store")
    store.lacks("pandas", "numpy", "ipywidgets", "psycopg")
    opened = store.run("python", "-c", STORE, f"sqlite:///{tmp_path / 'results.sqlite3'}")
    assert opened.returncode == 0, opened.stderr[-2000:]
    assert opened.stdout.strip() == "0 saved"
