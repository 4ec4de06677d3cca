"""Scoring one respondent: hand-computed values, half-finished quizzes, bad answers, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

from assess import default_instrument
from assess.core.model import Answers, Instrument, Status
from assess.core.scoring import AnswerError, score
from assess.group.cohort import score_matrix

FULL = {"a1": 5, "a2": 1, "a3": 5, "u1": 3, "u2": 3, "t1": 1, "t2": 3, "t3": 2}


def test_a_complete_answer_set_gives_the_hand_computed_scores(small_instrument: Instrument) -> None:
    """Weighted mean, reverse keying, prorated-free sums and dichotomised scores, worked by hand."""
    result = score(small_instrument, Answers(FULL))
    alone = result.facet("alone")
    # a1=5, a2=1 reversed → 5, a3=5 (weight 2): mean (5 + 5 + 2·5) / 4 = 5, the top → 100.
    assert (alone.raw, alone.percent, alone.band.id if alone.band else None) == (5.0, 100.0, "high")
    unheard = result.facet("unheard")
    # u1=3, u2=3 reversed → 3: sum 6 on 2..10 → 50 %, which starts the high band.
    assert (unheard.raw, unheard.percent) == (6.0, 50.0)
    ties = result.facet("ties")
    # yes → 1, no → 0, more or less → 1: total 2 of 3.
    assert ties.raw == 2.0
    assert ties.band is not None
    assert ties.band.id == "strong"
    assert result.index("risk").percent == pytest.approx(75.0)
    assert result.index("strength").raw == 2.0
    assert result.completeness == 1.0


def test_each_facet_says_which_answers_pulled_it_strongest_first(
    small_instrument: Instrument,
) -> None:
    """Contributions are ordered by weighted pull, so the UI can explain a score."""
    result = score(small_instrument, Answers(FULL))
    contributions = result.facet("alone").contributions
    assert contributions[0].item_id == "a3"  # weight 2 at the top of the scale
    assert {c.item_id for c in contributions} == {"a1", "a2", "a3"}
    assert all(c.pull == 1.0 for c in contributions)
    middle = result.facet("unheard").contributions
    assert all(c.pull == 0.0 for c in middle)


def test_a_missing_answer_within_the_rule_is_prorated_and_says_so(
    small_instrument: Instrument,
) -> None:
    """One of two 'unheard' items missing: scored over the answered one, marked prorated."""
    answers = dict(FULL)
    del answers["u2"]
    result = score(small_instrument, Answers(answers))
    unheard = result.facet("unheard")
    assert unheard.status is Status.PRORATED
    assert unheard.missing_items == ("u2",)
    assert unheard.percent == 50.0
    assert unheard.raw == 6.0
    assert result.index("risk").status is Status.PRORATED
    assert result.completeness == pytest.approx(7 / 8)


def test_too_many_missing_answers_leave_the_facet_unscored_with_a_reason(
    small_instrument: Instrument,
) -> None:
    """Never a silent zero: no score, no band, and a sentence saying why."""
    answers = {k: v for k, v in FULL.items() if k not in {"u1", "u2"}}
    result = score(small_instrument, Answers(answers))
    unheard = result.facet("unheard")
    assert unheard.status is Status.UNSCORED
    assert (unheard.raw, unheard.percent, unheard.band) == (None, None, None)
    assert unheard.reason == "2 of 2 questions unanswered; this facet tolerates 1"
    # The risk index tolerates one unscored facet, and is scored from 'alone' alone.
    risk = result.index("risk")
    assert risk.status is Status.PRORATED
    assert risk.percent == 100.0
    assert risk.missing_facets == ("unheard",)


def test_an_index_with_too_many_unscored_facets_is_unscored_with_a_reason(
    small_instrument: Instrument,
) -> None:
    """The 'strength' index tolerates no unscored facet."""
    answers = {k: v for k, v in FULL.items() if not k.startswith("t")}
    strength = score(small_instrument, Answers(answers)).index("strength")
    assert strength.status is Status.UNSCORED
    assert strength.reason is not None
    assert "ties" in strength.reason


def test_an_empty_answer_set_scores_nothing_and_explains_everything(
    small_instrument: Instrument,
) -> None:
    """A quiz abandoned on the first page: every scope unscored, each with its reason."""
    result = score(small_instrument, Answers({}))
    assert result.completeness == 0.0
    assert all(f.status is Status.UNSCORED and f.reason for f in result.facets)
    assert all(i.status is Status.UNSCORED and i.reason for i in result.indices)


@pytest.mark.parametrize(
    ("responses", "fragment"),
    [
        ({"zz": 3}, "zz: is not a question of this instrument"),
        ({"a1": 6}, "a1: 6 is not on scale 'agree5'; choose one of [1, 2, 3, 4, 5]"),
        ({"a1": 0}, "a1: 0 is not on scale 'agree5'"),
        ({"a1": "3"}, "a1: must be a whole number, one of [1, 2, 3, 4, 5], not str '3'"),
        ({"a1": 2.5}, "a1: must be a whole number"),
        ({"a1": True}, "a1: must be a whole number"),
        ({"t1": 4}, "t1: 4 is not on scale 'yes_no_dichotomised'; choose one of [1, 2, 3]"),
    ],
)
def test_a_bad_answer_gets_a_clear_error(
    small_instrument: Instrument, responses: dict[str, object], fragment: str
) -> None:
    """Unknown questions, off-scale values and wrong types are named with what to do."""
    with pytest.raises(AnswerError) as caught:
        score(small_instrument, Answers(responses))
    assert fragment in str(caught.value)


def test_every_bad_answer_is_reported_at_once(small_instrument: Instrument) -> None:
    """Three problems, three lines: the person fixes them in one go."""
    with pytest.raises(AnswerError) as caught:
        score(small_instrument, Answers({"a1": 9, "zz": 1, "u1": "x"}, profile={"mode": "bus"}))
    assert len(caught.value.problems) == 4
    assert "'bus' is not an option; choose one of ['online', 'offline']" in str(caught.value)


def test_answers_cannot_change_after_they_are_made() -> None:
    """The caller's dict changing later does not change a frozen Answers."""
    responses = {"a1": 1}
    answers = Answers(responses)
    responses["a1"] = 5
    assert answers.responses["a1"] == 1


# --- invariants --------------------------------------------------------------------------------


def answer_sets(instrument: Instrument, *, allow_missing: bool = True) -> st.SearchStrategy[dict]:
    """Any answer set the instrument accepts, possibly half finished."""
    per_item = {
        item.id: (
            st.one_of(st.none(), st.sampled_from(item.scale.values))
            if allow_missing
            else st.sampled_from(item.scale.values)
        )
        for item in instrument.items
    }
    return st.fixed_dictionaries(per_item)


SHIPPED = default_instrument()


@settings(max_examples=examples(2))
@given(responses=answer_sets(SHIPPED))
def test_scores_stay_within_their_range(responses: dict) -> None:
    """Every 0–100 score lies in 0–100 and every raw score within what the facet can take."""
    result = score(SHIPPED, Answers(responses))
    for scope in (*result.facets, *result.indices):
        if scope.status is not Status.UNSCORED:
            assert scope.percent is not None
            assert 0.0 <= scope.percent <= 100.0
            assert scope.band is not None
        else:
            assert scope.percent is None
            assert scope.band is None
            assert scope.reason


@settings(max_examples=examples(2))
@given(data=st.data())
def test_raising_an_answer_on_a_positively_keyed_item_never_lowers_its_facet(data) -> None:
    """Monotone in the answers: one step up the scale moves the facet up or leaves it."""
    responses = data.draw(answer_sets(SHIPPED, allow_missing=False))
    item = data.draw(st.sampled_from([i for i in SHIPPED.items if not i.reverse]))
    values = sorted(item.scale.values, key=item.scale.score_of)
    position = values.index(responses[item.id])
    if position == len(values) - 1:
        return
    before = score(SHIPPED, Answers(responses)).facet(item.facet).percent
    after = score(SHIPPED, Answers({**responses, item.id: values[position + 1]})).facet(item.facet)
    assert before is not None
    assert after.percent is not None
    assert after.percent >= before


@settings(max_examples=examples(2))
@given(data=st.data())
def test_reverse_keying_mirrors_the_score(data) -> None:
    """Answering a reverse-keyed item v counts like answering it (lowest + highest − v) unreversed."""
    reversed_items = [i for i in SHIPPED.items if i.reverse]
    item = data.draw(st.sampled_from(reversed_items))
    value = data.draw(st.sampled_from(item.scale.values))
    mirrored = item.scale.min_score + item.scale.max_score - item.scale.score_of(value)
    assert item.keyed_score(value) == mirrored
    # And the highest answer on a reverse-keyed item pulls its facet towards the bottom.
    top = max(item.scale.values, key=item.scale.score_of)
    base = data.draw(answer_sets(SHIPPED, allow_missing=False))
    facet = score(SHIPPED, Answers({**base, item.id: top})).facet(item.facet)
    assert next(c for c in facet.contributions if c.item_id == item.id).pull == -1.0


@given(data=st.data())
def test_the_order_of_answers_does_not_matter(data) -> None:
    """The same answers given in any order score the same."""
    responses = data.draw(answer_sets(SHIPPED))
    shuffled = data.draw(st.permutations(list(responses.items())))
    assert score(SHIPPED, Answers(dict(shuffled))) == score(SHIPPED, Answers(responses))


@given(responses=st.lists(answer_sets(SHIPPED), min_size=1, max_size=8))
def test_the_cohort_path_agrees_with_scoring_one_respondent(responses: list[dict]) -> None:
    """The vectorised arithmetic and the one-person arithmetic give the same numbers."""
    item_ids = [item.id for item in SHIPPED.items]
    matrix = np.array(
        [[np.nan if r[i] is None else r[i] for i in item_ids] for r in responses], dtype=float
    )
    table = score_matrix(SHIPPED, matrix)
    for row, answers in enumerate(responses):
        result = score(SHIPPED, Answers(answers))
        for column, scope_id in enumerate(table.scopes):
            one = next(s for s in (*result.facets, *result.indices) if _id(s) == scope_id)
            if one.percent is None:
                assert np.isnan(table.percent[row, column])
                assert table.band[row, column] == -1
            else:
                assert table.percent[row, column] == pytest.approx(one.percent)
                assert table.raw[row, column] == pytest.approx(one.raw)
                assert one.band is not None
                bands = _bands_of(SHIPPED, scope_id)
                assert bands[table.band[row, column]].id == one.band.id


def _id(scope: object) -> str:
    return str(getattr(scope, "facet_id", None) or getattr(scope, "index_id", None))


def _bands_of(instrument: Instrument, scope_id: str) -> tuple:
    for facet in instrument.facets:
        if facet.id == scope_id:
            return facet.bands.bands
    return instrument.index(scope_id).bands.bands
