"""Since last time: the change per index and facet, read in the index's direction, with changes
within the measurement's noise (from the declared reliability) called about the same."""

from __future__ import annotations

import datetime
import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from small_bank import SMALL_INSTRUMENT

from assess import default_instrument
from assess.core.compare import Verdict, compare
from assess.core.model import (
    Answers,
    FacetScore,
    IndexScore,
    Instrument,
    Reliability,
    Result,
    Status,
)
from assess.core.scoring import score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import parse_instrument
from assess.datafiles.messages import default_messages
from assess.render.since import Earlier, since_view

RISK_RELIABILITY = """
    reliability:
      index: 0.8
      facets: 0.7
      spread: 20
      source: assumption
      note: For the tests.
"""
STRENGTH_RELIABILITY = """
    reliability: {index: 0.75, facets: 0.75, spread: 10, source: "A retest study, 2026"}
"""


def with_reliability(small_instrument_yaml: str) -> str:
    text = small_instrument_yaml.replace(
        "higher_is: risk\n", "higher_is: risk\n" + RISK_RELIABILITY.strip("\n") + "\n", 1
    )
    return text.replace(
        "higher_is: strength\n",
        "higher_is: strength\n" + STRENGTH_RELIABILITY.strip("\n") + "\n",
        1,
    )


@pytest.fixture(scope="module")
def rated(small_instrument_yaml: str) -> Instrument:
    """The small instrument with a reliability declared for each index."""
    return parse_instrument(yaml.safe_load(with_reliability(small_instrument_yaml)), source="t")


def result_of(**percents: float | None) -> Result:
    """A result of the small instrument with these 0–100 scores (None: unscored)."""

    def status(value: float | None) -> Status:
        return Status.UNSCORED if value is None else Status.COMPLETE

    facets = tuple(
        FacetScore(name, status(percents.get(name)), None, percents.get(name), None, 0, 0, (), ())
        for name in ("alone", "unheard", "ties")
    )
    indices = tuple(
        IndexScore(name, status(percents.get(name)), None, percents.get(name), None, 0, 0, ())
        for name in ("risk", "strength")
    )
    return Result("small", "1", facets, indices, 0, 0)


BASE = {"risk": 50.0, "alone": 50.0, "unheard": 50.0, "strength": 50.0, "ties": 50.0}


@pytest.mark.parametrize(
    ("reliability", "of_facet", "expected"),
    [
        # 1.96 · 20 · √(2 · 0.2) = 1.96 · 20 · 0.63246 = 24.79
        (Reliability(0.8, 0.7, 20, "assumption"), False, 24.79),
        # 1.96 · 20 · √(2 · 0.3) = 1.96 · 20 · 0.77460 = 30.36
        (Reliability(0.8, 0.7, 20, "assumption"), True, 30.36),
        # 1.96 · 10 · √(2 · 0.25) = 1.96 · 10 · 0.70711 = 13.86
        (Reliability(0.75, 0.75, 10, "a study"), False, 13.86),
    ],
)
def test_noise_is_the_reliable_change_margin(
    reliability: Reliability, of_facet: bool, expected: float
) -> None:
    """Noise is 1.96 · SD · √(2(1 − r)), computed by hand for three cases."""
    assert reliability.noise(of_facet=of_facet) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(
    ("part", "later", "verdict"),
    [
        ("risk", 75.0, Verdict.WORSE),  # +25 > 24.79 (the index's noise)
        ("risk", 74.0, Verdict.SAME),  # +24 ≤ 24.79
        ("risk", 26.0, Verdict.SAME),  # −24
        ("risk", 25.0, Verdict.BETTER),  # −25: a risk that falls beyond the noise
        ("alone", 81.0, Verdict.WORSE),  # +31 > 30.36 (a facet's noise)
        ("alone", 80.0, Verdict.SAME),  # +30 ≤ 30.36
        ("strength", 64.0, Verdict.BETTER),  # +14 > 13.86: a strength that grows
        ("strength", 63.0, Verdict.SAME),  # +13
        ("ties", 36.0, Verdict.WORSE),  # −14
    ],
)
def test_a_change_is_read_in_the_index_direction_beyond_its_noise(
    rated: Instrument, part: str, later: float, verdict: Verdict
) -> None:
    """For a risk lower is better, for a strength higher; within the noise: about the same."""
    comparison = compare(rated, earlier=result_of(**BASE), later=result_of(**{**BASE, part: later}))
    change = next(c for c in (*comparison.indices, *comparison.facets) if c.id == part)
    assert change.verdict is verdict


def test_a_part_unscored_then_or_now_is_not_compared(rated: Instrument) -> None:
    """No score on one side: no change and no verdict, the rest compared as usual."""
    comparison = compare(
        rated, earlier=result_of(**{**BASE, "ties": None}), later=result_of(**BASE)
    )
    assert comparison.facet("ties").change is None
    assert comparison.facet("ties").verdict is None
    assert comparison.index("risk").verdict is Verdict.SAME


def test_without_a_declared_reliability_every_change_counts(small_instrument: Instrument) -> None:
    """No reliability in the data: noise 0, so a one-point fall of a risk is better."""
    comparison = compare(
        small_instrument, earlier=result_of(**BASE), later=result_of(**{**BASE, "risk": 49.0})
    )
    assert comparison.index("risk").noise == 0
    assert comparison.index("risk").verdict is Verdict.BETTER


def test_results_of_another_instrument_are_refused(rated: Instrument) -> None:
    other = result_of(**BASE)
    other = Result("other", "1", other.facets, other.indices, 0, 0)
    with pytest.raises(ValueError, match="other"):
        compare(rated, earlier=other, later=result_of(**BASE))


def answers_of(instrument: Instrument) -> st.SearchStrategy[Answers]:
    """Any answers to the instrument, questions left out included."""
    return st.fixed_dictionaries(
        {
            item.id: st.one_of(st.none(), st.sampled_from(item.scale.values))
            for item in instrument.items
        }
    ).map(Answers)


def _rated_instrument() -> Instrument:
    return parse_instrument(yaml.safe_load(with_reliability(SMALL_INSTRUMENT)), source="t")


RATED = _rated_instrument()


@given(answers=answers_of(RATED))
def test_a_result_compared_with_itself_is_about_the_same_everywhere(answers: Answers) -> None:
    """Whatever the answers, nothing changed: every scored part is about the same."""
    result = score(RATED, answers)
    comparison = compare(RATED, earlier=result, later=result)
    for change in (*comparison.indices, *comparison.facets):
        assert change.verdict in (Verdict.SAME, None)
        assert (change.verdict is None) == (change.later is None)


FLIPPED = {Verdict.BETTER: Verdict.WORSE, Verdict.WORSE: Verdict.BETTER, Verdict.SAME: Verdict.SAME}


@given(earlier=answers_of(RATED), later=answers_of(RATED))
def test_swapping_earlier_and_later_flips_better_and_worse(
    earlier: Answers, later: Answers
) -> None:
    """Read backwards, each better is a worse and each worse a better; the same stays."""
    before, after = score(RATED, earlier), score(RATED, later)
    forwards = compare(RATED, earlier=before, later=after)
    backwards = compare(RATED, earlier=after, later=before)
    for ahead, behind in zip(
        (*forwards.indices, *forwards.facets), (*backwards.indices, *backwards.facets), strict=True
    ):
        assert behind.verdict == (None if ahead.verdict is None else FLIPPED[ahead.verdict])
        if ahead.change is not None:
            assert math.isclose(ahead.change, -(behind.change or 0.0), abs_tol=1e-9)


@pytest.mark.parametrize(
    ("reliability", "message"),
    [
        ("{index: 1, facets: 0.7, spread: 20, source: s}", "index.*up to \\(not\\) 1"),
        ("{index: 0.8, facets: -0.1, spread: 20, source: s}", "facets"),
        ("{index: 0.8, facets: 0.7, spread: 0, source: s}", "spread"),
        ("{index: 0.8, facets: 0.7, spread: 20, source: assumption}", "add a 'note'"),
    ],
)
def test_the_checker_refuses_a_reliability_it_cannot_use(
    small_instrument_yaml: str, reliability: str, message: str
) -> None:
    """A reliability of 1, below 0, no spread, or an assumption without a reason: one message."""
    text = small_instrument_yaml.replace(
        "higher_is: risk\n", f"higher_is: risk\n    reliability: {reliability}\n", 1
    )
    with pytest.raises(DataFileError, match=message):
        parse_instrument(yaml.safe_load(text), source="t")


def test_the_shipped_bank_says_its_reliability_is_an_assumption_and_why() -> None:
    """No published value is dressed up as measured: each index's is marked as assumed."""
    for index in default_instrument().indices:
        assert index.reliability is not None
        assert index.reliability.assumed
        assert "retest" in index.reliability.note


@pytest.mark.parametrize("language", ["ja", "en"])
def test_what_about_the_same_means_is_said_once_when_every_index_shares_its_margins(
    language: str,
) -> None:
    """The shipped bank's indices share their margins: one sentence, 25 and 30 points; indices
    with their own margins get a sentence each, naming the index."""
    messages = default_messages()
    shipped = default_instrument()
    result = score(shipped, Answers({}))
    earlier = Earlier(datetime.date(2026, 11, 1), result, None)
    view = since_view(shipped, earlier, result, messages, language)
    assert view.noise[0] == messages.text("since.noise_all", language, points=25, facet_points=30)
    assert len(view.noise) == 2  # and the note that the margins are assumed
    rated = score(RATED, Answers({}))
    view = since_view(RATED, Earlier(earlier.taken_on, rated, None), rated, messages, language)
    # risk: 24.79 → 25 and 30.36 → 30; strength: 13.86 → 14 for both
    assert view.noise[:2] == tuple(
        messages.text(
            "since.noise",
            language,
            index=RATED.index(index_id).label[language],
            points=points,
            facet_points=facet_points,
        )
        for index_id, points, facet_points in (("risk", 25, 30), ("strength", 14, 14))
    )
