"""How many examples a Hypothesis test tries, relative to the profile chosen in conftest.py.

Most properties take the profile's count as it is (``ci``: Hypothesis's 100; ``dev``: a tenth).
One that guards more ground (every answer set of the shipped bank) asks for a multiple, one whose
example is costly (a whole plan per draw) for a fraction, so that the development profile turns
every test down in proportion and CI keeps its full counts.
"""

from __future__ import annotations

from hypothesis import settings


def examples(times: float) -> int:
    """``times`` the current profile's ``max_examples``, and at least one."""
    return max(1, round(settings().max_examples * times))
