"""The package as a person installs it: a wheel built from a copy of the checkout, installed
into a new environment far from it (tests/test_serve.py, tests/test_packaging.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from voila_server import REPO

PIP_TIMEOUT = 1200  # seconds: a fresh environment from PyPI (pip's own cache is used)
WHEEL_SOURCES = ["src", "data"]
WHEEL_FILES = ["pyproject.toml", "setup.py", "README.md"]


@dataclass(frozen=True)
class Built:
    wheel: Path
    output: str
    """What pip and the build backend printed (standard output and error)."""


def build_wheel(folder: Path, *, warnings_as_errors: bool = False) -> Built:
    """`pip wheel --no-deps` of a copy of the project (pip builds in the tree it is given); with
    `warnings_as_errors`, every Python warning of pip and of the build backend stops the build."""
    source = folder / "source"
    # As a clone has it: without what git ignores (in data/, the JSON that make compiles: the
    # build compiles its own).
    ignored = ["__pycache__", "*.egg-info", ".ipynb_checkpoints"]
    for name in WHEEL_SOURCES:
        extra = ["*.json"] if name == "data" else []
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns(*ignored, *extra))
    for name in WHEEL_FILES:
        shutil.copy2(REPO / name, source / name)
    dist = folder / "dist"
    env = dict(os.environ, PYTHONWARNINGS="error") if warnings_as_errors else None
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(source)]
    built = subprocess.run(
        command, timeout=PIP_TIMEOUT, capture_output=True, text=True, env=env, check=False
    )
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-3000:]
    (wheel,) = dist.glob("assess-*.whl")
    return Built(wheel, output)


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def new_environment(folder: Path, requirement: str) -> Path:
    """A new virtual environment in `folder` with `requirement` installed; its python."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = subprocess.run(
        [*install, requirement], capture_output=True, text=True, timeout=PIP_TIMEOUT, check=False
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return python


def outside_any_checkout(folder: Path, venv: Path) -> dict[str, str]:
    """The new environment alone on PATH; a temporary HOME and private Jupyter folders."""
    home = folder / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "VIRTUAL_ENV", "PYTHON", "VOILA", "XDG_"))
    }
    env |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "HOME": str(home),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
    }
    return env
