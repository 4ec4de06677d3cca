"""Shared fixtures: a small instrument written out here, so that tests of the scoring rules do not
move when the team edits the shipped question bank."""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import settings
from small_bank import SMALL_INSTRUMENT

from assess.core.model import Instrument
from assess.datafiles.instrument import parse_instrument

# Hypothesis profiles, chosen with ASSESS_HYPOTHESIS_PROFILE: `ci` (the default, what `make test`
# and CI run) tries each property's full count; `dev` (what `make check` runs) a tenth, for a quick
# round while editing.  No deadline in either: the machine is shared, and a slow example under load
# is not a failure.  Tests scale the count with hypothesis_examples.examples, never a literal.
settings.register_profile("ci", deadline=None, max_examples=100)
settings.register_profile("dev", deadline=None, max_examples=10)
settings.load_profile(os.environ.get("ASSESS_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def small_instrument_yaml() -> str:
    """The small test instrument as YAML text, for tests that vary it."""
    return SMALL_INSTRUMENT


@pytest.fixture(scope="session")
def small_instrument() -> Instrument:
    """An eight-item instrument with reverse keying, weights, a dichotomised scale, sums and means."""
    return parse_instrument(yaml.safe_load(SMALL_INSTRUMENT), source="small.yaml")
