"""Which extra of the package installs a module, for a one-line message when it is missing.

The core (`assess validate`, scoring one person's answers) needs PyYAML alone; each layer above
it comes with an extra of pyproject.toml.  A command that reaches a layer whose extra is not
installed says which to add, instead of a traceback:

>>> missing_extra(ModuleNotFoundError(name="pandas"))
"this needs pandas, from the extra 'group': pip install 'assess[group]'"
>>> missing_extra(ModuleNotFoundError(name="assess.nothing")) is None
True
"""

from __future__ import annotations

EXTRA_OF_MODULE = {
    "ipywidgets": "app",
    "plotly": "app",
    "voila": "app",
    "ipykernel": "app",
    "IPython": "app",
    "traitlets": "app",
    "tornado": "app",
    "jupyter_server": "app",
    "jupyter_client": "app",
    "websockets": "app",
    "numpy": "group",
    "pandas": "group",
    "sqlalchemy": "store",
    "psycopg": "postgres",
}
"""Top-level module → the extra that installs it (tests/test_extras.py holds it to pyproject)."""


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The line to show for a module an extra would have installed; None for any other."""
    module = (error.name or "").partition(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    if extra is None:
        return None
    return f"this needs {module}, from the extra {extra!r}: pip install 'assess[{extra}]'"
