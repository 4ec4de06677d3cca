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


def test_a_facet_left_unscored_shows_a_dash_not_a_zero() -> None:
    """No answers for a facet: a grey empty bar marked '—', never a score of 0."""
    first = INSTRUMENT.facets[0]
    kept = {i.id: i.scale.options[0].value for i in INSTRUMENT.items if i.facet != first.id}
    result = score(INSTRUMENT, Answers(kept))
    spec = facet_bars_spec(INSTRUMENT, result, index_id=first.index, language="en")
    bar = spec["data"][0]
    row = bar["y"].index(first.label.en)
    assert bar["text"][row] == "—"
    assert bar["x"][row] == 0.0


def test_the_figure_builders_wrap_the_same_specs() -> None:
    """facet_bars and survey_bars (for notebooks) give figures of exactly the specs."""
    result = score(INSTRUMENT, answered(0))
    index = INSTRUMENT.indices[0].id
    spec = facet_bars_spec(INSTRUMENT, result, index_id=index, language="ja")
    assert facet_bars(INSTRUMENT, result, index_id=index, language="ja") == go.Figure(spec)
    reference = default_reference()
    standing = stand_in(reference, value=reference.categories[1])
    survey = survey_bars_spec(reference, standing, language="en", category_labels={})
    assert survey_bars(reference, standing, language="en", category_labels={}) == go.Figure(survey)


def test_the_survey_chart_highlights_only_the_persons_answer() -> None:
    """One bar in the highlight colour, at the person's category."""
    reference = default_reference()
    value = reference.categories[2]
    spec = survey_bars_spec(
        reference, stand_in(reference, value=value), language="en", category_labels={}
    )
    colours = spec["data"][0]["marker"]["color"]
    assert [c == "#2a6f97" for c in colours] == [v == value for v in reference.categories]


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
