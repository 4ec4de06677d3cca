"""The result charts: plain plotly specs that plotly itself accepts, bounded, one bar per facet,
and built without plotly.py in the visitor's kernel."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from fresh_quiz import take_the_quiz

from assess import default_instrument, score
from assess.core.model import LANGUAGES, Answers
from assess.datafiles.reference import default_reference, stand_in
from assess.ui.charts import (
    ANSWER_COLOUR,
    UNSCORED_COLOUR,
    facet_bars,
    facet_bars_spec,
    figure_bundle,
    survey_bars,
    survey_bars_spec,
)

INSTRUMENT = default_instrument()


def answered(position: int) -> Answers:
    """Every question answered with the option at `position` (0: the first)."""
    return Answers({item.id: item.scale.options[position].value for item in INSTRUMENT.items})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", [index.id for index in INSTRUMENT.indices])
def test_facet_bars_are_a_valid_plotly_spec_with_one_bar_per_facet(
    index: str, language: str
) -> None:
    """go.Figure checks the plain spec against plotly's schema; bars stay within 0–100."""
    result = score(INSTRUMENT, answered(2))
    spec = facet_bars_spec(INSTRUMENT, result, index_id=index, language=language)
    figure = go.Figure(spec)  # raises on any property plotly does not know
    (bar,) = figure.data
    facets = INSTRUMENT.facets_of(index)
    assert list(bar.y) == [facet.label.in_language(language) for facet in facets]
    assert all(0 <= value <= 100 for value in bar.x)
    assert figure.layout.xaxis.range == (0, 100)


def at_zero() -> Answers:
    """Every question answered with the option that scores lowest: every facet at 0."""
    return Answers(
        {
            item.id: min(item.scale.options, key=lambda o: item.keyed_score(o.value)).value
            for item in INSTRUMENT.items
        }
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", [index.id for index in INSTRUMENT.indices])
def test_a_chart_at_all_zero_scores_shows_a_zero_mark_and_score_for_every_facet(
    index: str, language: str
) -> None:
    """plotly writes nothing on a bar of length 0: each facet at 0 gets a visible mark at 0
    with "0" and its band beside it, on the 0–100 axis, not an empty frame."""
    result = score(INSTRUMENT, at_zero())
    facets = INSTRUMENT.facets_of(index)
    assert all(result.facet(facet.id).percent == 0 for facet in facets)
    spec = facet_bars_spec(INSTRUMENT, result, index_id=index, language=language)
    figure = go.Figure(spec)
    bar, mark = figure.data
    assert list(bar.x) == [0.0] * len(facets)
    assert all(text == "" for text in bar.text)  # said once, by the mark
    assert mark.type == "scatter" and mark.mode == "markers+text"
    assert list(mark.y) == [facet.label.in_language(language) for facet in facets]
    assert list(mark.x) == [0.0] * len(facets)
    bands = [result.facet(facet.id).band for facet in facets]
    assert list(mark.text) == [f"0 {band.label.in_language(language)}" for band in bands if band]
    assert mark.textposition == "middle right"
    assert mark.marker.size >= 12 and mark.marker.line.width >= 2
    assert mark.cliponaxis is False  # the mark at 0 is drawn whole, not cut by the axis
    assert figure.layout.xaxis.range == (0, 100)


def test_a_facet_left_unscored_shows_a_dash_not_a_zero() -> None:
    """No answers for a facet: a grey mark at 0 labelled '—', never a score of 0."""
    first = INSTRUMENT.facets[0]
    kept = {i.id: i.scale.options[2].value for i in INSTRUMENT.items if i.facet != first.id}
    result = score(INSTRUMENT, Answers(kept))
    spec = facet_bars_spec(INSTRUMENT, result, index_id=first.index, language="en")
    bar, mark = spec["data"]
    row = bar["y"].index(first.label.en)
    assert bar["x"][row] == 0.0
    assert mark["y"] == [first.label.en]
    assert mark["text"] == ["—"]
    assert mark["marker"]["color"] == [UNSCORED_COLOUR]


def test_scores_above_zero_are_written_on_their_bars_with_no_marks() -> None:
    """Only bars of length 0 need a mark: a chart with every facet above 0 has the bars alone."""
    result = score(INSTRUMENT, answered(2))
    index = INSTRUMENT.indices[0].id
    (bar,) = facet_bars_spec(INSTRUMENT, result, index_id=index, language="ja")["data"]
    assert all(text.split(" ")[0].isdigit() for text in bar["text"])


def test_the_figure_builders_wrap_the_same_specs() -> None:
    """facet_bars and survey_bars (for notebooks) give figures of exactly the specs."""
    result = score(INSTRUMENT, answered(0))
    index = INSTRUMENT.indices[0].id
    spec = facet_bars_spec(INSTRUMENT, result, index_id=index, language="ja")
    assert facet_bars(INSTRUMENT, result, index_id=index, language="ja") == go.Figure(spec)
    reference = default_reference()
    standing = stand_in(reference, value=reference.categories[1])
    survey = survey_bars_spec(
        reference, standing, language="en", category_labels={}, answer_label="Your answer"
    )
    assert survey_bars(
        reference, standing, language="en", category_labels={}, answer_label="Your answer"
    ) == go.Figure(survey)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", default_reference().categories)
def test_the_survey_chart_marks_the_persons_answer_by_words_and_stripes_not_colour_alone(
    value: int, language: str
) -> None:
    """The person's category, at either end or between: its name in bold with "Your answer"
    under it, a striped fill and a dark border; every other bar plain, its share written on it."""
    reference = default_reference()
    labels = {v: f"answer {v}" for v in reference.categories}
    label = {"ja": "あなたの回答", "en": "Your answer"}[language]
    spec = survey_bars_spec(
        reference,
        stand_in(reference, value=value),
        language=language,
        category_labels=labels,
        answer_label=label,
    )
    (bar,) = go.Figure(spec).data  # plotly accepts the stripes and borders
    mine = [v == value for v in reference.categories]
    assert [label in name for name in bar.y] == mine
    assert bar.y[reference.categories.index(value)] == f"<b>answer {value}</b><br>{label}"
    assert [shape == "/" for shape in bar.marker.pattern.shape] == mine
    assert [width > 0 for width in bar.marker.line.width] == mine
    assert [colour == ANSWER_COLOUR for colour in bar.marker.color] == mine
    assert list(bar.text) == [f"{share:.1f}%" for share in reference.latest.shares]


def test_the_bundle_is_what_jupyterlabs_plotly_renderer_reads_without_a_template() -> None:
    """The plotly mime type with data, layout (no 10 KB template) and config."""
    result = score(INSTRUMENT, answered(1))
    index = INSTRUMENT.indices[0].id
    for chart in (
        facet_bars_spec(INSTRUMENT, result, index_id=index, language="en"),
        facet_bars(INSTRUMENT, result, index_id=index, language="en"),
    ):
        bundle = figure_bundle(chart)["application/vnd.plotly.v1+json"]
        assert isinstance(bundle, dict)
        assert set(bundle) == {"data", "layout", "config"}
        assert "template" not in bundle["layout"]


def test_a_visitor_reaches_the_results_without_plotly_in_the_kernel() -> None:
    """The whole quiz, results and charts included, in a fresh interpreter: plotly.py is never
    imported (it cost each visitor's kernel time and memory)."""
    lines = take_the_quiz(
        at_the_results='print(sorted(m for m in sys.modules if m.split(".")[0] == "plotly"))'
    )
    assert lines[-1] == "[]"
