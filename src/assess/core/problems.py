"""The error that lists every problem found, not only the first, so that whoever fixes them (a
person editing a data file, a program handing in answers) does it in one round.

>>> class Unfit(ProblemsError[str]):
...     heading = "2 things to fix"
>>> error = Unfit(["q1: not an option", "q2: not an option"])
>>> print(error)
2 things to fix:
  - q1: not an option
  - q2: not an option
>>> error.problems
('q1: not an option', 'q2: not an option')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

P = TypeVar("P")


class ProblemsError(ValueError, Generic[P]):
    """Its :attr:`heading`, then each of `problems` on a line of its own; `problems` keeps them
    all, for a program to show or count."""

    @property
    def heading(self) -> str:
        """The line above the list: what the problems are about (a subclass says)."""
        return "problems found"

    def __init__(self, problems: Sequence[P]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.heading + ":\n" + "\n".join(f"  - {p}" for p in self.problems))
