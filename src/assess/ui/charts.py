"""Chart builders: data in, plotly figures out.  Imported only when results are shown, so that
plotly does not weigh on every visitor's kernel start-up."""

from __future__ import annotations

import plotly.graph_objects as go

from assess.model import Instrument, Result, Status
from assess.reference import Reference, Standing

RISK_COLOURS = {"low": "#4c956c", "moderate": "#e9a03b", "high": "#c44536"}
STRENGTH_COLOURS = {"low": "#c44536", "moderate": "#e9a03b", "high": "#4c956c"}
UNSCORED_COLOUR = "#9e9e9e"


def figure_bundle(figure: go.Figure) -> dict[str, object]:
    """A figure as the mime bundle JupyterLab's plotly renderer draws (no validation pass)."""
    spec = figure.to_plotly_json()
    # plotly.py's default template is 10 KB per chart of settings for chart types not shown;
    # the layouts here set what they need, and plotly.js's own defaults do the rest.
    layout = {key: value for key, value in spec["layout"].items() if key != "template"}
    return {
        "application/vnd.plotly.v1+json": {
            "data": spec["data"],
            "layout": layout,
            "config": {"displayModeBar": False, "responsive": True},
        },
        "text/plain": "<chart>",
    }


def facet_bars(
    instrument: Instrument, result: Result, *, index_id: str, language: str
) -> go.Figure:
    """The facets of one index at a glance: a horizontal bar (0–100) per facet, coloured by band
    (green is good news for either index), short labels so that it reads at phone width."""
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
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=colours,
            text=texts,
            # A short bar (a low score) cannot hold its label: plotly then shrank and turned it
            # on its side, unreadable on a phone.  Outside the bar, in the text colour, instead.
            textposition="auto",
            textangle=0,
            insidetextanchor="start",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": "#1f2933"},
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        title={"text": index.label.in_language(language), "x": 0, "font": {"size": 15}},
        xaxis={"range": [0, 100], "fixedrange": True, "dtick": 25},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        height=80 + 36 * len(labels),
        margin={"l": 8, "r": 16, "t": 40, "b": 24},  # room for the axis's last label, 100
        showlegend=False,
        plot_bgcolor="white",
        font={"family": "sans-serif", "size": 13},
    )
    return figure


def survey_bars(
    reference: Reference, standing: Standing, *, language: str, category_labels: dict[int, str]
) -> go.Figure:
    """The national survey's answers to the direct question, the person's answer highlighted."""
    names = [category_labels.get(value, str(value)) for value in reference.categories]
    colours = [
        "#2a6f97" if value == standing.value else "#b8c5d1" for value in reference.categories
    ]
    figure = go.Figure(
        go.Bar(
            x=list(standing.round.shares),
            y=names,
            orientation="h",
            marker_color=colours,
            text=[f"{share:.1f}%" for share in standing.round.shares],
            textposition="auto",
            textangle=0,
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        xaxis={"range": [0, max(standing.round.shares) * 1.15], "fixedrange": True},
        yaxis={"fixedrange": True, "automargin": True},
        height=60 + 32 * len(names),
        margin={"l": 8, "r": 8, "t": 8, "b": 24},
        showlegend=False,
        plot_bgcolor="white",
        font={"family": "sans-serif", "size": 13},
    )
    return figure
