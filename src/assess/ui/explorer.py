"""A widget for question-bank authors: pick answers, watch facet scores and bands move.

It talks only through traitlets and widget values; the caller passes the instrument in.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from assess.core.model import Answers, Instrument, Status
from assess.core.scoring import score


class InstrumentExplorer(widgets.VBox):  # type: ignore[misc]
    """One dropdown per item (grouped by facet) and a live table of scores and bands."""

    def __init__(self, instrument: Instrument, *, language: str = "ja") -> None:
        self.instrument = instrument
        self.language = language
        self.choosers: dict[str, widgets.Dropdown] = {}
        groups = []
        for facet in instrument.facets:
            rows = []
            for item in instrument.items_of(facet.id):
                options: list[tuple[str, Any]] = [("—", None)]
                options += [
                    (f"{o.value}: {o.label.in_language(language)}", o.value)
                    for o in item.scale.options
                ]
                chooser = widgets.Dropdown(
                    options=options,
                    value=None,
                    description=item.id,
                    layout=widgets.Layout(width="420px"),
                )
                chooser.observe(self._redraw, names="value")
                self.choosers[item.id] = chooser
                rows.append(
                    widgets.HBox(
                        [chooser, widgets.HTML(html.escape(item.text.in_language(language)))]
                    )
                )
            title = html.escape(facet.label.in_language(language))
            groups.append(widgets.VBox([widgets.HTML(f"<b>{title}</b>"), *rows]))
        self.table = widgets.HTML()
        super().__init__([widgets.HBox([widgets.VBox(groups), self.table])])
        self._redraw()

    @property
    def answers(self) -> Answers:
        return Answers({k: c.value for k, c in self.choosers.items() if c.value is not None})

    def _redraw(self, _change: object = None) -> None:
        result = score(self.instrument, self.answers)
        lines = ["<table><tr><th>scope</th><th>0–100</th><th>band</th></tr>"]
        scopes = [(i.label, result.index(i.id)) for i in self.instrument.indices] + [
            (f.label, result.facet(f.id)) for f in self.instrument.facets
        ]
        for label, scope in scopes:
            if scope.status is Status.UNSCORED:
                value, band = "—", html.escape(scope.reason or "")
            else:
                value = f"{scope.percent:.0f}"
                band = (
                    html.escape(scope.band.label.in_language(self.language)) if scope.band else ""
                )
            name = html.escape(label.in_language(self.language))
            lines.append(f"<tr><td>{name}</td><td>{value}</td><td>{band}</td></tr>")
        lines.append("</table>")
        self.table.value = "".join(lines)
