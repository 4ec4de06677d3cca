"""The composition roots: where data files, storage and widgets are wired into the quiz, the
progress view and the facilitator's view, and the command line.

``build_quiz`` and ``build_progress`` are imported on first use, so that the command line (which
needs no widgets) does not load ipywidgets.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_progress", "build_quiz"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from assess.app import roots

        return getattr(roots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
