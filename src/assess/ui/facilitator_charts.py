"""Chart builders of the facilitator's view: a group summary in, plotly figures out.

Only aggregates are drawn.  A box is built from the summary's percentiles (whiskers at the 10th
and 90th percentile where shown, else at the box), never from people's scores, so no point on a
chart is one person.  Where a group is too small for quartiles, the mean (◆) and, when shown, the
median (|) are drawn instead.  Withheld figures are left out; the view lists them with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from assess.group.summary import ScopeSummary, SurveyComparison

RISK_COLOUR = "#c44536"
STRENGTH_COLOUR = "#2a6f97"
ROOM_COLOUR = "#2a6f97"
NATIONAL_COLOUR = "#b8c5d1"


def distribution_boxes(
    scopes: Sequence[ScopeSummary], *, language: str, title: str = ""
) -> go.Figure:
    """One row per index or facet on a 0–100 axis, from the group's percentiles and mean.

    Risk scopes are drawn in red, strength scopes in blue; withheld scopes are skipped.
    """
    figure = go.Figure()
    shown = [scope for scope in scopes if scope.distribution is not None]
    for scope in shown:
        d = scope.distribution
        assert d is not None
        name = scope.label.in_language(language)
        colour = RISK_COLOUR if scope.higher_is == "risk" else STRENGTH_COLOUR
        if d.has_box:
            assert d.p25 is not None and d.p75 is not None
            figure.add_trace(
                go.Box(
                    y=[name],
                    q1=[d.p25],
                    median=[d.median],
                    q3=[d.p75],
                    lowerfence=[d.p10 if d.p10 is not None else d.p25],
                    upperfence=[d.p90 if d.p90 is not None else d.p75],
                    name=name,
                    orientation="h",
                    marker_color=colour,
                    boxpoints=False,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        elif d.median is not None:
            figure.add_trace(_mark(d.median, name, symbol="line-ns-open", size=22, colour=colour))
        figure.add_trace(_mark(d.mean, name, symbol="diamond", size=11, colour=colour))
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 14}} if title else None,
        xaxis={"range": [0, 100], "fixedrange": True, "dtick": 25},
        yaxis={
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
            "type": "category",
        },
        height=(90 if title else 60) + 40 * max(len(shown), 1),
        margin={"l": 8, "r": 8, "t": 36 if title else 8, "b": 24},
        plot_bgcolor="white",
        font={"family": "sans-serif", "size": 13},
    )
    return figure


def _mark(value: float, name: str, *, symbol: str, size: int, colour: str) -> go.Scatter:
    """One marker on a scope's row: the median (|) or the mean (◆)."""
    return go.Scatter(
        x=[value],
        y=[name],
        mode="markers",
        marker={"symbol": symbol, "size": size, "color": colour},
        hoverinfo="skip",
        showlegend=False,
    )


def survey_comparison(
    survey: SurveyComparison,
    *,
    language: str,
    room_name: str,
    national_name: str,
    withheld_text: str,
) -> go.Figure:
    """The room's answers to the direct loneliness question beside the national survey's, as
    percent per answer (loneliest first).  A withheld room figure shows `withheld_text`."""
    cells = survey.room.cells
    names = [cell.label.in_language(language) for cell in cells]
    room = [survey.room.share(cell) for cell in cells]
    national = [survey.national_share(cell.key) for cell in cells]
    figure = go.Figure(
        [
            go.Bar(
                x=[share if share is not None else 0.0 for share in room],
                y=names,
                name=room_name,
                orientation="h",
                marker_color=ROOM_COLOUR,
                text=[f"{share:.0f}%" if share is not None else withheld_text for share in room],
                textposition="outside",
                hoverinfo="skip",
            ),
            go.Bar(
                x=national,
                y=names,
                name=national_name,
                orientation="h",
                marker_color=NATIONAL_COLOUR,
                text=[f"{share:.1f}%" if share is not None else "" for share in national],
                textposition="outside",
                hoverinfo="skip",
            ),
        ]
    )
    highest = max([s for s in room + national if s is not None] or [10.0])
    figure.update_layout(
        barmode="group",
        xaxis={"range": [0, highest * 1.35 + 5], "fixedrange": True, "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        height=90 + 52 * len(names),
        margin={"l": 8, "r": 8, "t": 8, "b": 24},
        legend={"orientation": "h", "y": -0.08},
        plot_bgcolor="white",
        font={"family": "sans-serif", "size": 13},
    )
    return figure
