"""The personal-progress view: past results over time, and the plan's steps ticked as done.

The widget does no I/O: reading result codes, opening a saved result with its progress key and
saving a tick are functions handed in by :func:`assess.app.roots.build_progress`, the
composition root.  It shows only what the person brings (codes and keys they hold), never a list
of what is stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets
from IPython.display import display

from assess.core.messages import Messages
from assess.core.model import Answers, Instrument
from assess.group.progress import changes, history
from assess.render.style import STYLE
from assess.store.outcomes import StoreProblem
from assess.store.records import is_progress_key
from assess.ui.components import FULL_WIDTH, button, esc


@dataclass(frozen=True, slots=True)
class PastResult:
    """A result the person kept: when, the answers, and (when opened with its progress key) the
    key and its plan's steps.  The key stays in the kernel; it is what a tick is saved with."""

    taken_on: datetime.date
    answers: Answers
    key: str | None = None
    steps: tuple[tuple[str, bool], ...] = ()


def progress_chart(
    frame: pd.DataFrame, instrument: Instrument, *, kind: str, language: str
) -> go.Figure:
    """Lines over time, one per index (or per facet), 0–100."""
    figure = go.Figure()
    for scope, rows in frame[frame["kind"] == kind].groupby("scope", sort=False):
        label = (
            instrument.index(str(scope)).label
            if kind == "index"
            else instrument.facet(str(scope)).label
        ).in_language(language)
        figure.add_trace(
            go.Scatter(
                x=[d.isoformat() for d in rows["taken_on"]],
                y=rows["percent"],
                mode="lines+markers",
                name=label,
                connectgaps=False,
            )
        )
    figure.update_layout(
        yaxis={"range": [0, 100], "fixedrange": True},
        xaxis={"type": "category", "fixedrange": True},
        height=320 if kind == "index" else 420,
        margin={"l": 8, "r": 8, "t": 8, "b": 24},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
    )
    return figure


class ProgressView(widgets.VBox):  # type: ignore[misc]
    """Paste result codes or progress keys; see indices and facets over time; tick done steps
    of a result opened with its key."""

    language = traitlets.Unicode("ja")
    """One of the languages the wording offers (``messages.languages``)."""

    def __init__(
        self,
        *,
        instrument: Instrument,
        messages: Messages,
        open_key: Callable[[str], PastResult] | None,
        read_code: Callable[[str], PastResult],
        mark_done: Callable[[str, str, bool], None] | None,
        action_title: Callable[[str, str], str],
        language: str = "ja",
    ) -> None:
        self.instrument = instrument
        self.messages = messages
        self.open_key = open_key
        self.read_code = read_code
        self.mark_done = mark_done
        self.action_title = action_title
        self.past: list[PastResult] = []
        self.codes = widgets.Textarea(layout=widgets.Layout(width="100%", height="6em"))
        self.show_codes = button("", primary=True)
        self.show_codes.on_click(self._on_codes)
        self.notice = widgets.HTML(layout=FULL_WIDTH)
        self.title = widgets.HTML()
        self.body = widgets.VBox(layout=FULL_WIDTH)
        super().__init__(
            [
                widgets.HTML(STYLE),
                self.title,
                self.codes,
                widgets.HBox([self.show_codes]),
                self.notice,
                self.body,
            ],
            layout=FULL_WIDTH,
        )
        self.add_class("assess-app")
        self.language = language
        self._draw()

    def text(self, key: str, **values: object) -> str:
        return self.messages.text(key, self.language, **values)

    def _alert(self, key: str, **values: object) -> str:
        return f'<p role="alert" class="assess-alert">{esc(self.text(key, **values))}</p>'

    @traitlets.observe("language")
    def _on_language(self, _change: object) -> None:
        self._draw()

    def _on_codes(self, _button: object) -> None:
        lines = [line.strip() for line in str(self.codes.value or "").splitlines()]
        bad: list[str] = []
        unknown: list[str] = []
        problem: str | None = None
        found = []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            text = line[:500]
            try:
                if is_progress_key(text):
                    if self.open_key is None:
                        unknown.append(str(number))
                        continue
                    found.append(self.open_key(text))
                else:
                    found.append(self.read_code(text))
            except StoreProblem as error:
                problem = error.message_key
            except LookupError:
                unknown.append(str(number))
            except ValueError:
                bad.append(str(number))
        self.past = _merge(self.past, found)
        notices = []
        if bad:
            notices.append(self._alert("progress.bad_lines", lines=", ".join(bad)))
        if unknown:
            notices.append(self._alert("progress.unknown_keys", lines=", ".join(unknown)))
        if problem is not None:
            notices.append(self._alert(problem))
        self.notice.value = "".join(notices)
        self._draw()

    def _draw(self) -> None:
        self.title.value = (
            f"<h1 class='assess-title'>{esc(self.text('progress.title'))}</h1>"
            f"<p>{esc(self.text('progress.intro_keys'))}</p>"
        )
        self.show_codes.description = self.text("progress.show")
        if not self.past:
            self.body.children = []
            return
        table = history(self.instrument, [(p.taken_on, p.answers) for p in self.past])
        output = widgets.Output(layout=FULL_WIDTH)
        with output:
            for kind in ("index", "facet"):
                display(progress_chart(table, self.instrument, kind=kind, language=self.language))  # type: ignore[no-untyped-call]
        rows = []
        for row in changes(table).itertuples():
            scope = str(row.scope)
            label = (
                self.instrument.index(scope).label
                if row.kind == "index"
                else self.instrument.facet(scope).label
            ).in_language(self.language)
            rows.append(
                f"<tr><td>{esc(label)}</td><td>{row.first:.0f}</td><td>{row.latest:.0f}</td>"
                f"<td>{row.change:+.0f}</td></tr>"
            )
        header = "".join(
            f"<th>{esc(self.text(k))}</th>"
            for k in ("progress.scope", "progress.first", "progress.latest", "progress.change")
        )
        summary = widgets.HTML(
            f"<h2>{esc(self.text('progress.changes'))}</h2>"
            f"<table><tr>{header}</tr>{''.join(rows)}</table>"
        )
        self.body.children = [output, summary, self._steps()]

    def _steps(self) -> widgets.Widget:
        latest = max((p for p in self.past if p.key), key=lambda p: p.taken_on, default=None)
        if latest is None or self.mark_done is None:
            return widgets.HTML(
                f"<p class='assess-muted'>{esc(self.text('progress.no_steps_key'))}</p>"
            )
        boxes = []
        for action_id, done in latest.steps:
            box = widgets.Checkbox(
                value=done,
                description=self.action_title(action_id, self.language),
                indent=False,
                layout=FULL_WIDTH,
            )
            box.observe(self._tick(latest.key or "", action_id), names="value")
            boxes.append(box)
        heading = widgets.HTML(f"<h2>{esc(self.text('progress.steps'))}</h2>")
        return widgets.VBox([heading, *boxes], layout=FULL_WIDTH)

    def _tick(self, key: str, action_id: str) -> Callable[[dict[str, object]], None]:
        # The key and the step are the kernel's own, bound here: a widget message can only say
        # "ticked" or "not ticked", never which result or step.
        def on_change(change: dict[str, object]) -> None:
            value = change["new"]
            if self.mark_done is None or not isinstance(value, bool):
                return  # a forged value is ignored
            try:
                self.mark_done(key, action_id, value)
            except StoreProblem as error:
                self.notice.value = self._alert(error.message_key)
            except LookupError:
                self.notice.value = self._alert("progress.tick_failed")

        return on_change


def _merge(old: Sequence[PastResult], new: Sequence[PastResult]) -> list[PastResult]:
    """Keep one of each (date, answers); saved results (with steps) win over codes."""
    merged: dict[tuple[datetime.date, tuple[tuple[str, object], ...]], PastResult] = {}
    for past in [*old, *new]:
        key = (past.taken_on, tuple(sorted(past.answers.responses.items())))
        if key not in merged or past.key:
            merged[key] = past
    return sorted(merged.values(), key=lambda p: p.taken_on)
