"""Scoring cohorts: tidy frames in and out, bad cells named, Cronbach's alpha against a reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

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
    assert list(tidy.columns) == [
        "respondent",
        "kind",
        "scope",
        "raw",
        "percent",
        "band",
        "status",
        "reason",
    ]
    unheard_r3 = tidy[(tidy.respondent == "r3") & (tidy.scope == "unheard")].iloc[0]
    assert unheard_r3.status == "unscored"
    assert np.isnan(unheard_r3.percent)
    assert unheard_r3.reason == "2 of 2 questions unanswered; this facet tolerates 1"


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
    import pingouin  # here, not at the top: it takes seconds to import, for this test alone

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


# --- one answer rule for both paths ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("2", "str '2'"), (True, "bool True"), ("two", "str 'two'")],
    ids=["digit text", "true", "word"],
)
def test_text_and_booleans_are_refused_as_one_person_refuses_them(
    small_instrument: Instrument, cell: object, shown: str
) -> None:
    """'2' is not read as 2, True not as 1: the message is the single path's, with the row."""
    frame = pd.DataFrame([ROWS[0], {**ROWS[1], "a1": cell}])
    with pytest.raises(AnswerError) as caught:
        score_cohort(small_instrument, frame)
    with pytest.raises(AnswerError) as alone:
        score(small_instrument, Answers({**ROWS[1], "a1": cell, "a2": 5, "u1": 1, "u2": 5}))
    assert [str(p) for p in caught.value.problems] == [
        f"row 1, a1: must be a whole number, one of [1, 2, 3, 4, 5], not {shown}"
    ]
    assert [p.message for p in alone.value.problems] == [p.message for p in caught.value.problems]


def test_a_column_of_booleans_is_refused(small_instrument: Instrument) -> None:
    """A whole true/false column (what a spreadsheet's TRUE reads as) is not scored as 1 and 0."""
    frame = pd.DataFrame([ROWS[0], ROWS[1]]).assign(t1=[True, False])
    with pytest.raises(AnswerError, match=r"row 0, t1: must be a whole number.*not bool True"):
        score_cohort(small_instrument, frame)


def test_a_whole_float_is_an_answer_on_both_paths(small_instrument: Instrument) -> None:
    """2.0 (how JSON or a column with empty cells may hold 2) scores as 2 for one person too."""
    with_float = score(small_instrument, Answers({**ROWS[0], "a1": 5.0}))
    with_int = score(small_instrument, Answers(ROWS[0]))
    assert with_float.facets == with_int.facets


def test_unscored_scopes_say_why_in_the_single_paths_words(small_instrument: Instrument) -> None:
    """An unscored facet or index has its reason in `<id>_reason`; scored ones have none."""
    rows = [ROWS[0], {**ROWS[0], "a1": None, "a2": None, "u1": None, "u2": None}]
    scores = score_cohort(small_instrument, pd.DataFrame(rows))
    one = score(small_instrument, Answers({k: v for k, v in rows[1].items() if v is not None}))
    for facet in one.facets:
        expected = facet.reason if facet.reason else np.nan
        assert scores.loc[1, f"{facet.facet_id}_reason"] == expected or (
            facet.reason is None and pd.isna(scores.loc[1, f"{facet.facet_id}_reason"])
        )
    risk = one.index("risk")
    assert risk.reason and scores.loc[1, "risk_reason"] == risk.reason
    assert "alone, unheard" in risk.reason
    assert pd.isna(scores.loc[0, "risk_reason"])


def test_memory_follows_the_number_of_options_not_their_spread(small_instrument_yaml: str) -> None:
    """Values 0 / 500,000 / 1,000,000 make a three-column table, not a million-column one."""
    import yaml

    from assess.datafiles.instrument import parse_instrument
    from assess.group.cohort import _plan

    sparse = (
        small_instrument_yaml.replace("{value: 1, score: 1,", "{value: 0, score: 1,")
        .replace("{value: 2, score: 1,", "{value: 500000, score: 1,")
        .replace("{value: 3, score: 0,", "{value: 1000000, score: 0,")
    )
    instrument = parse_instrument(yaml.safe_load(sparse), source="sparse.yaml")
    plan = _plan(instrument)
    assert plan.keyed.shape == (8, 8)  # values 0, 1–5, 500000, 1000000
    frame = pd.DataFrame([{**ROWS[0], "t1": 0, "t2": 500000, "t3": 1000000}])
    scores = score_cohort(instrument, frame)
    alone = score(instrument, Answers(frame.iloc[0].to_dict()))
    assert scores.loc[0, "ties_percent"] == pytest.approx(alone.facet("ties").percent)


CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-1, max_value=6),
    st.sampled_from([1.0, 3.0, 5.0, 2.5, float("nan"), float("inf")]),
    st.sampled_from(["2", "x", "", True, False]),
)
ITEMS = ("a1", "a2", "a3", "u1", "u2", "t1", "t2", "t3")


def _one_person(row: dict[str, object]) -> Answers:
    """A frame row as one person's answers: an empty cell (None, NaN) is unanswered on both."""
    return Answers(
        {
            k: v
            for k, v in row.items()
            if v is not None and not (isinstance(v, float) and np.isnan(v))
        }
    )


@settings(max_examples=examples(1.5), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(dict.fromkeys(ITEMS, CELLS)), min_size=1, max_size=4))
def test_what_one_path_refuses_the_other_refuses_and_what_both_accept_scores_alike(
    small_instrument: Instrument, rows: list[dict[str, object]]
) -> None:
    """Over random frames of numbers, fractions, text, booleans and blanks, both paths agree."""
    refused_alone = []
    results = []
    for row in rows:
        try:
            results.append(score(small_instrument, _one_person(row)))
        except AnswerError:
            refused_alone.append(row)
    try:
        scores = score_cohort(small_instrument, pd.DataFrame(rows))
    except AnswerError:
        assert refused_alone, "the cohort path refused a frame every row of which scores alone"
        return
    assert not refused_alone, (
        f"the cohort path accepted rows one person cannot give: {refused_alone}"
    )
    for position, result in enumerate(results):
        for scope in [*result.facets, *result.indices]:
            name = getattr(scope, "facet_id", None) or scope.index_id
            expected = np.nan if scope.percent is None else scope.percent
            assert scores.loc[position, f"{name}_percent"] == pytest.approx(expected, nan_ok=True)
            assert scores.loc[position, f"{name}_status"] == scope.status.value
            reason = scores.loc[position, f"{name}_reason"]
            assert (scope.reason or None) == (None if pd.isna(reason) else reason)
