"""The notebooks run headless from top to bottom, and are committed without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    path for path in ROOT.glob("*/*.ipynb") if ".ipynb_checkpoints" not in path.parts
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_notebook_is_committed_without_outputs(path: Path) -> None:
    """No outputs or execution counts in the repository (they hold answers and bloat diffs)."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["notebooks/instrument.ipynb", "notebooks/quiz.ipynb"])
def test_the_notebook_runs_headless_without_errors(name: str) -> None:
    """Executed as JupyterLab or Voilà would, every cell runs; errors fail the test."""
    path = ROOT / name
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert outputs, "the notebook showed nothing"
