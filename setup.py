"""The build step pyproject.toml cannot say: the data files compiled to JSON inside the wheel.

Everything else about the package is in pyproject.toml.  Here:

- the packages: every package under src/ (found, so that a new one cannot be left out of the
  wheel) and ``assess.data``, which pyproject maps to the top-level data/ folder;
- ``build_py`` writes ``name.json`` beside each ``name.yaml`` of the built package, so that a
  visitor's kernel (or a browser's Python) reads the data without a YAML parser
  (``assess.datafiles.compiled``, loaded here by its path: the package is not importable while
  it is being built).  A data file that cannot be compiled stops the build, naming the file.

An editable install (``pip install -e``, what ``make`` does) reads data/ itself; ``make`` compiles
it there with ``python src/assess/datafiles/compiled.py data``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

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


setup(
    packages=[*find_packages("src"), "assess.data"],
    cmdclass={"build_py": BuildWithCompiledData},
)
