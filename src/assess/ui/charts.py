"""Chart builders: data in, plotly figures out.

Each chart is built as a plotly JSON spec of plain data (``*_spec``), which the quiz sends to the
page as it is: plotly.py is never imported into a visitor's kernel (building and validating two
figures cost ≈ 0.1 CPU-s and 4 MB per visitor).  ``facet_bars`` and ``survey_bars`` wrap the same
specs in ``go.Figure`` for notebooks, which also checks every spec against plotly's schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assess.core.compare import scored_percent
from assess.core.model import Instrument, Result, Status
from assess.core.reference import Reference, Standing

if TYPE_CHECKING:
    import plotly.graph_objects as go

Spec = dict[str, Any]

RISK_COLOURS = {"low": "#4c956c", "moderate": "#e9a03b", "high": "#c44536"}
STRENGTH_COLOURS = {"low": "#c44536", "moderate": "#e9a03b", "high": "#4c956c"}
UNSCORED_COLOUR = "#9e9e9e"
EARLIER_COLOUR = "#b8c5d1"
"""Last time's bars: quieter than today's band colours."""


def figure_bundle(chart: Mapping[str, Any] | go.Figure) -> dict[str, object]:
    """A chart as the mime bundle JupyterLab's plotly renderer draws, from a spec (no plotly.py
    needed) or a figure."""
    spec = chart.to_plotly_json() if hasattr(chart, "to_plotly_json") else chart
    # plotly.py's default template is 10 KB per chart of settings for chart types not shown;
    # the layouts here set what they need, and plotly.js's own defaults do the rest.
    layout = {key: value for key, value in spec["layout"].items() if key != "template"}
    return {
        "application/vnd.plotly.v1+json": {
            "data": spec["data"],
            "layout": layout,
            "config": {"displayModeBar": False},
        },
        "text/plain": "<chart>",
    }


def facet_bars(
    instrument: Instrument, result: Result, *, index_id: str, language: str
) -> go.Figure:
    """:func:`facet_bars_spec` as a plotly figure."""
    import plotly.graph_objects as go

    return go.Figure(facet_bars_spec(instrument, result, index_id=index_id, language=language))


def facet_bars_spec(
    instrument: Instrument,
    result: Result,
    *,
    index_id: str,
    language: str,
    earlier: Result | None = None,
    legend: tuple[str, str] = ("", ""),
) -> Spec:
    """The facets of one index at a glance: a horizontal bar (0–100) per facet, coloured by band
    (green is good news for either index), short labels so that it reads at phone width.

    With an `earlier` result, each facet it scored gets a dark mark at its earlier score, and a
    legend names bars and marks (`legend`: e.g. "Now", "Last time")."""
    index = instrument.index(index_id)
    palette = RISK_COLOURS if index.higher_is == "risk" else STRENGTH_COLOURS
    labels, values, colours, texts = [], [], [], []
    for facet in instrument.facets_of(index.id):
        score = result.facet(facet.id)
        labels.append(facet.label.in_language(language))
        if score.status is Status.UNSCORED or score.percent is None:
            values.append(0.0)
            colours.append(UNSCORED_COLOUR)
            texts.append("—")
        else:
            values.append(round(score.percent, 1))
            colours.append(palette.get(score.band.id if score.band else "", UNSCORED_COLOUR))
            band_label = score.band.label.in_language(language) if score.band else ""
            texts.append(f"{score.percent:.0f} {band_label}")
    # plotly draws no text on a bar of length 0, so a facet at 0 (or not scored) showed nothing
    # at all, and a whole index at 0 an empty frame.  Those rows get a mark at 0 in the band's
    # colour with their label beside it; their bars carry no text of their own.
    at_zero = [row for row, value in enumerate(values) if value == 0]
    bar = _bars(
        values, labels, colours, ["" if row in at_zero else t for row, t in enumerate(texts)]
    )
    bar.update(
        # A short bar (a low score) cannot hold its label: plotly then shrank and turned it on
        # its side, unreadable on a phone.  Outside the bar, in the text colour, instead.
        insidetextanchor="start",
        insidetextfont={"color": "white"},
        outsidetextfont={"color": "#1f2933"},
        cliponaxis=False,
    )
    data = [bar]
    if at_zero:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [0.0] * len(at_zero),
                "y": [labels[row] for row in at_zero],
                "text": [texts[row] for row in at_zero],
                "textposition": "middle right",
                "textfont": {"color": "#1f2933"},
                "marker": {
                    "symbol": "line-ns-open",
                    "size": 18,
                    "color": [colours[row] for row in at_zero],
                    "line": {"width": 4, "color": [colours[row] for row in at_zero]},
                },
                "cliponaxis": False,
                "hoverinfo": "skip",
            }
        )
    settings: dict[str, Any] = {}
    if earlier is not None:
        then = [
            (labels[row], scored_percent(earlier, facet.id, facet=True))
            for row, facet in enumerate(instrument.facets_of(index.id))
        ]
        bar["name"], bar["showlegend"] = legend[0], True
        # Last time as a grey bar under each of today's, with its number: a mark across
        # today's bar crossed out the bar's own label at phone width.
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": legend[1],
                "x": [0.0 if value is None else round(value, 1) for _, value in then],
                "y": [label for label, _ in then],
                "marker": {"color": EARLIER_COLOUR},
                "text": ["—" if value is None else f"{value:.0f}" for _, value in then],
                "textposition": "outside",
                "textangle": 0,
                "outsidetextfont": {"color": "#1f2933"},
                "cliponaxis": False,
                "hoverinfo": "skip",
            }
        )
        settings = {
            "barmode": "group",
            "bargap": 0.25,
            "bargroupgap": 0.05,
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        }
    layout = _layout(
        title={"text": index.label.in_language(language), "x": 0, "font": {"size": 15}},
        xaxis={"range": [0, 100], "fixedrange": True, "dtick": 25},
        # The tick labels stand clear of the mark drawn at 0.
        yaxis={
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
            "ticklabelstandoff": 8,
        },
        height=80
        + (56 if earlier is not None else 36) * len(labels)
        + (40 if earlier is not None else 0),
        margin={
            "l": 8,
            "r": 28 if earlier is not None else 16,  # last time's number beside a full bar
            "t": 40,
            "b": 24 + (40 if earlier is not None else 0),
        },  # room for the axis's last label, 100
    )
    layout.update(settings)
    return {"data": data, "layout": layout}


def survey_bars(
    reference: Reference,
    standing: Standing,
    *,
    language: str,
    category_labels: dict[int, str],
    answer_label: str,
) -> go.Figure:
    """:func:`survey_bars_spec` as a plotly figure."""
    import plotly.graph_objects as go

    return go.Figure(
        survey_bars_spec(
            reference,
            standing,
            language=language,
            category_labels=category_labels,
            answer_label=answer_label,
        )
    )


ANSWER_COLOUR = "#2a6f97"
OTHER_COLOUR = "#b8c5d1"


def survey_bars_spec(
    reference: Reference,
    standing: Standing,
    *,
    language: str,
    category_labels: dict[int, str],
    answer_label: str,
) -> Spec:
    """The national survey's answers to the direct question, the person's answer marked three
    ways, so that it is found without telling colours apart: its colour, a striped fill with a
    dark border, and `answer_label` (e.g. "Your answer") under its category's name."""
    mine = [value == standing.value for value in reference.categories]
    plain = [category_labels.get(value, str(value)) for value in reference.categories]
    names = [
        # A second line under the name: the longest bar leaves no room for words beside it.
        f"<b>{name}</b><br>{answer_label}" if is_mine else name
        for name, is_mine in zip(plain, mine, strict=True)
    ]
    shares = list(standing.round.shares)
    bar = _bars(
        shares,
        names,
        [ANSWER_COLOUR if is_mine else OTHER_COLOUR for is_mine in mine],
        [f"{share:.1f}%" for share in shares],
    )
    bar["marker"].update(
        pattern={
            "shape": ["/" if is_mine else "" for is_mine in mine],
            "fillmode": "overlay",  # stripes over the bar's own colour
            "fgcolor": "#ffffff",
            "fgopacity": 0.35,
            "size": 8,
        },
        line={
            "color": ["#1f2933" if is_mine else OTHER_COLOUR for is_mine in mine],
            "width": [2 if is_mine else 0 for is_mine in mine],
        },
    )
    layout = _layout(
        xaxis={"range": [0, max(shares) * 1.15], "fixedrange": True},
        yaxis={"fixedrange": True, "automargin": True},
        height=72 + 34 * len(names),
        margin={"l": 8, "r": 8, "t": 8, "b": 24},
    )
    return {"data": [bar], "layout": layout}


def _bars(values: list[float], labels: list[str], colours: list[str], texts: list[str]) -> Spec:
    """Horizontal bars with their labels, upright, and no hover box (nothing more to show)."""
    return {
        "type": "bar",
        "x": values,
        "y": labels,
        "orientation": "h",
        "marker": {"color": colours},
        "text": texts,
        "textposition": "auto",
        "textangle": 0,
        "hoverinfo": "skip",
    }


def _layout(**settings: Any) -> Spec:
    """What every chart here shares: no legend, a white plot, the page's sans-serif font."""
    return {
        "showlegend": False,
        "plot_bgcolor": "white",
        "font": {"family": "sans-serif", "size": 13},
        **settings,
    }
