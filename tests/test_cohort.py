"""Scoring cohorts: tidy frames in and out, bad cells named, Cronbach's alpha against a reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest

from assess.core.model import Answers, Instrument
from assess.core.scoring import AnswerError, score
from assess.group.cohort import cronbach_alpha, score_cohort

ROWS = [
    {"a1": 5, "a2": 1, "a3": 5, "u1": 3, "u2": 3, "t1": 1, "t2": 3, "t3": 2},
    {"a1": 1, "a2": 5, "a3": 1, "u1": 1, "u2": 5, "t1": 3, "t2": 3, "t3": 3},
    {"a1": 3, "a2": None, "a3": 2, "u1": None, "u2": None, "t1": 1, "t2": 1, "t3": 1},
]


def test_a_wide_frame_scores_like_each_respondent_alone(small_instrument: Instrument) -> None:
    """One row per respondent in, one row per respondent out, the same numbers as `score`."""
    frame = pd.DataFrame(ROWS, index=pd.Index(["r1", "r2", "r3"], name="respondent"))
    scores = score_cohort(small_instrument, frame)
    assert list(scores.index) == ["r1", "r2", "r3"]
    for respondent, row in zip(scores.index, ROWS, strict=True):
        one = score(small_instrument, Answers({k: v for k, v in row.items() if v is not None}))
        for facet in one.facets:
            expected = facet.percent if facet.percent is not None else np.nan
            assert scores.loc[respondent, f"{facet.facet_id}_percent"] == pytest.approx(
                expected, nan_ok=True
            )
            assert scores.loc[respondent, f"{facet.facet_id}_status"] == facet.status.value


def test_a_long_frame_gives_the_same_scores_as_a_wide_one(small_instrument: Instrument) -> None:
    """Long format (respondent, item, value) is pivoted, not looped over."""
    wide = pd.DataFrame(ROWS).assign(respondent=["r1", "r2", "r3"])
    long = wide.melt(id_vars="respondent", var_name="item", value_name="value").dropna()
    from_wide = score_cohort(small_instrument, wide)
    from_long = score_cohort(small_instrument, long)
    pd.testing.assert_frame_equal(from_wide.sort_index(), from_long.sort_index())


def test_long_output_has_one_row_per_respondent_and_scope(small_instrument: Instrument) -> None:
    """Tidy out: respondents × (facets + indices) rows."""
    frame = pd.DataFrame(ROWS).assign(respondent=["r1", "r2", "r3"])
    tidy = score_cohort(small_instrument, frame, long=True)
    assert len(tidy) == 3 * (3 + 2)
    assert list(tidy.columns) == ["respondent", "kind", "scope", "raw", "percent", "band", "status"]
    unheard_r3 = tidy[(tidy.respondent == "r3") & (tidy.scope == "unheard")].iloc[0]
    assert unheard_r3.status == "unscored"
    assert np.isnan(unheard_r3.percent)


def test_an_off_scale_cell_is_named_by_row_and_item(small_instrument: Instrument) -> None:
    """A 7 typed into a 1–5 column is reported, not scored."""
    frame = pd.DataFrame([ROWS[0], {**ROWS[1], "a2": 7}])
    with pytest.raises(AnswerError, match=r"row 1, a2: 7 is not on scale 'agree5'"):
        score_cohort(small_instrument, frame)


def test_a_half_value_is_not_rounded_into_a_valid_answer(small_instrument: Instrument) -> None:
    """2.5 is not an option on a 1–5 scale."""
    frame = pd.DataFrame([{**ROWS[0], "a1": 2.5}])
    with pytest.raises(AnswerError, match=r"2\.5 is not on scale"):
        score_cohort(small_instrument, frame)


def test_an_unknown_column_is_an_error_not_a_silently_missing_item(
    small_instrument: Instrument,
) -> None:
    """A misspelt item id would otherwise count as unanswered everywhere."""
    frame = pd.DataFrame([{**ROWS[0], "a_1": 3}])
    with pytest.raises(AnswerError, match="a_1: is not a question"):
        score_cohort(small_instrument, frame)


def test_profile_columns_are_accepted_and_not_scored(small_instrument: Instrument) -> None:
    """Profile answers may travel in the same frame."""
    frame = pd.DataFrame([{**ROWS[0], "mode": "online"}])
    assert score_cohort(small_instrument, frame).loc[0, "risk_band"] == "high"


def test_cronbach_alpha_matches_pingouin_on_a_synthetic_cohort(
    small_instrument: Instrument,
) -> None:
    """The reference is pingouin's implementation, given the keyed item scores."""
    rng = np.random.default_rng(7)
    trait = rng.normal(size=300)
    rows = []
    for t in trait:
        noisy = np.clip(np.round(3 + t + rng.normal(scale=0.8, size=3)), 1, 5).astype(int)
        rows.append(
            {
                "a1": noisy[0],
                "a2": 6 - noisy[1],
                "a3": noisy[2],
                "u1": noisy[0],
                "u2": 6 - noisy[2],
                "t1": 1,
                "t2": 3,
                "t3": 2,
            }
        )
    frame = pd.DataFrame(rows)
    alphas = cronbach_alpha(small_instrument, frame).set_index("facet")
    keyed = frame[["a1", "a2", "a3"]].assign(a2=6 - frame["a2"])
    reference, _ = pingouin.cronbach_alpha(data=keyed)
    assert alphas.loc["alone", "alpha"] == pytest.approx(reference, abs=1e-12)
    assert alphas.loc["alone", "respondents"] == 300
    assert np.isnan(alphas.loc["ties", "alpha"])  # constant answers: no variance, no alpha


def test_cronbach_alpha_matches_a_hand_computed_value(small_instrument: Instrument) -> None:
    """Four respondents, two items, worked on paper: alpha = 2·(1 − 4.5833/8.9167) = 0.97196."""
    frame = pd.DataFrame(
        {"u1": [1, 2, 3, 4], "u2": [5, 4, 3, 1]}  # u2 reversed → 1, 2, 3, 5
    )
    alphas = cronbach_alpha(small_instrument, frame).set_index("facet")
    # variances (ddof=1): u1 5/3, u2' 35/12, totals (2, 4, 6, 9) 107/12
    assert alphas.loc["unheard", "alpha"] == pytest.approx(
        2 * (1 - (20 / 12 + 35 / 12) / (107 / 12))
    )
    assert alphas.loc["unheard", "alpha"] == pytest.approx(0.97196, abs=1e-5)
