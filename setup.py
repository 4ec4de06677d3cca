"""The build step pyproject.toml cannot say: the data files compiled to JSON inside the wheel.

Everything else about the package is in pyproject.toml.  Here:

- the packages: every folder under src/ and under data/ (which pyproject maps to ``assess.data``),
  found, so that a new one cannot be left out of the wheel; a folder of data files or templates is
  a package too (a namespace package: setuptools ships no folder that is not a package);
- ``build_py`` writes ``name.json`` beside each ``name.yaml`` of the built package, so that a
  visitor's kernel (or a browser's Python) reads the data without a YAML parser
  (``assess.datafiles.compiled``, loaded here by its path: the package is not importable while
  it is being built).  A data file that cannot be compiled stops the build, naming the file.

An editable install (``pip install -e``, what ``make`` does) reads data/ itself; ``make`` compiles
it there with ``python src/assess/datafiles/compiled.py data``.  Because data/ sits outside src/,
setuptools installs an editable copy through an import finder and says so on every install (an
"information only" warning about folders named like the package beside it: there are none, the
package is in src/); that one note is not shown, every other warning of the build is.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from types import ModuleType

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py
from setuptools.warnings import InformationOnly

HERE = Path(__file__).resolve().parent


def _compiler() -> ModuleType:
    path = HERE / "src" / "assess" / "datafiles" / "compiled.py"
    spec = importlib.util.spec_from_file_location("_assess_compiled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCompiledData(build_py):
    """``build_py`` that also writes each shipped YAML file's compiled JSON beside it."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the package reads data/ in place; make compiles it there
        compiled = _compiler()
        for source in self._built_yaml():
            if not compiled.compile_file(source):
                raise SystemExit(
                    f"{source.name}: cannot be compiled to JSON (not valid YAML, or JSON cannot "
                    "hold it exactly); `assess validate` on the file in data/ names the problem"
                )

    def _built_yaml(self) -> list[Path]:
        found = []
        for _package, _source_dir, build_dir, filenames in self.data_files:
            found += [Path(build_dir) / name for name in filenames if name.endswith(".yaml")]
        return found

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(source.with_suffix(".json")) for source in self._built_yaml()]


def _packages() -> list[str]:
    """Every folder of the package, in src/ and, as ``assess.data``, in data/."""
    skipped = ["*__pycache__*"]
    data = [f"assess.data.{name}" for name in find_namespace_packages("data", exclude=skipped)]
    return [*find_namespace_packages("src", exclude=skipped), "assess.data", *data]


warnings.filterwarnings("ignore", "Editable installation", InformationOnly)
setup(
    packages=_packages(),
    cmdclass={"build_py": BuildWithCompiledData},
)
