"""The results page of one result: indices, chart, facets, the national survey, the plan, the
take-aways, the result code, saving, and where to get help.

Built once per result (:class:`Outcome`: scored, planned and encoded once by the quiz); a
language switch relabels every part in place, so what the person did on the page (a ticked
consent box, a save, files made) stays.  No I/O: data and services are handed in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets

from assess.core.messages import Messages
from assess.core.model import Answers, Instrument, Result
from assess.core.planning import Plan
from assess.datafiles.reference import stand_in
from assess.ui.charts import facet_bars_spec, figure_bundle, survey_bars_spec
from assess.ui.code_box import CodeBox
from assess.ui.components import FULL_WIDTH, SharedStyles, button, esc
from assess.ui.downloads import DownloadsBox
from assess.ui.missing import MissingAnswers
from assess.ui.results import (
    Download,
    disclaimer_html,
    facets_html,
    indices_html,
    plan_html,
    support_html,
    survey_html,
)
from assess.ui.save_box import SaveBox, SaveRequest

if TYPE_CHECKING:
    from assess.ui.quiz import ResultsMaterial


@dataclass(frozen=True, slots=True)
class Outcome:
    """One result as the quiz made it: the answers checked and scored once, the plan, the date
    and the result code computed once, and whether help is shown first."""

    answers: Answers
    result: Result
    plan: Plan | None
    taken_on: datetime.date
    code: str
    urgent: bool


class ResultsPage(widgets.VBox):  # type: ignore[misc]
    """Every part of the results for one :class:`Outcome`, relabelled in place."""

    def __init__(
        self,
        outcome: Outcome,
        *,
        instrument: Instrument,
        messages: Messages,
        material: ResultsMaterial,
        download: Callable[[str, Outcome, str], Download],
        save: Callable[[SaveRequest], str] | None,
        forget: Callable[[str], bool] | None,
        cohort: str | None,
        on_edit: Callable[[], None],
        on_answer_missing: Callable[[str], None],
        language: str,
        styles: SharedStyles,
    ) -> None:
        self.outcome = outcome
        self.instrument = instrument
        self.messages = messages
        self.material = material
        self.language = language

        def html() -> widgets.HTML:
            return widgets.HTML(layout=FULL_WIDTH, style=styles.html)

        self.help = html()
        self.disclaimer = html()
        self.indices = html()
        self.missing = MissingAnswers(
            instrument,
            outcome.result,
            on_answer=on_answer_missing,
            messages=messages,
            language=language,
            styles=styles,
        )
        self.chart_heading = html()
        self.chart = widgets.Output(layout=FULL_WIDTH, _dom_classes=("assess-chart",))
        self.facets = html()
        self.survey = html()
        self.survey_chart = widgets.Output(layout=FULL_WIDTH)
        self.plan = html()
        self.downloads = (
            DownloadsBox(
                lambda kind, lang: download(kind, outcome, lang),
                messages=messages,
                language=language,
                styles=styles,
            )
            if outcome.plan is not None
            else None
        )
        self.code_box = CodeBox(outcome.code, messages=messages, language=language, styles=styles)
        self.save_box = (
            SaveBox(
                answers=outcome.answers,
                taken_on=outcome.taken_on,
                plan=outcome.plan,
                cohort=cohort,
                save=save,
                forget=forget,
                messages=messages,
                language=language,
                styles=styles,
            )
            if save is not None
            else None
        )
        self.edit = button("", styles=styles)
        self.edit.on_click(lambda _b: on_edit())
        parts: list[widgets.Widget] = [
            self.help if outcome.urgent else None,
            self.disclaimer,
            self.indices,
            self.missing if self.missing.facet_ids else None,
            widgets.VBox([self.chart_heading, self.chart], layout=FULL_WIDTH),
            self.facets,
            *([self.survey, self.survey_chart] if self._survey_answer() is not None else []),
            self.plan,
            self.downloads,
            self.code_box,
            self.save_box,
            None if outcome.urgent else self.help,
            self.edit,
        ]
        super().__init__(
            [part for part in parts if part is not None],
            layout=FULL_WIDTH,
            _dom_classes=("assess-results",),
        )
        self.relabel(language, force=True)

    def _survey_answer(self) -> int | None:
        """The answer to compare with the national survey, when there is a survey and an answer."""
        reference = self.material.reference
        if reference is None:
            return None
        value = self.outcome.answers.responses.get(reference.item)
        return value if isinstance(value, int) and value in reference.categories else None

    def relabel(self, language: str, *, force: bool = False) -> None:
        """Show every part in `language`, keeping what the person did on the page."""
        if language == self.language and not force:
            return
        self.language = language
        outcome, instrument, messages = self.outcome, self.instrument, self.messages
        self.help.value = support_html(
            self.material.support, urgent=outcome.urgent, messages=messages, language=language
        )
        self.disclaimer.value = disclaimer_html(messages, language)
        self.indices.value = indices_html(instrument, outcome.result, messages, language)
        self.chart_heading.value = f"<h2>{esc(messages.text('results.chart', language))}</h2>"
        # The raw plotly bundle: the same chart, without plotly's renderer machinery
        # (nbformat, jsonschema), which cost each visitor ~1.6 s of kernel CPU.
        self.chart.outputs = tuple(
            _displayed(
                figure_bundle(
                    facet_bars_spec(
                        instrument, outcome.result, index_id=index.id, language=language
                    )
                )
            )
            for index in instrument.indices
        )
        self.facets.value = facets_html(
            instrument, outcome.result, outcome.answers, messages, language
        )
        self._relabel_survey(language)
        self.plan.value = (
            plan_html(outcome.plan, instrument, messages, language)
            if outcome.plan is not None
            else f"<p>{esc(messages.text('plan.none', language))}</p>"
        )
        for part in (self.missing, self.downloads, self.code_box, self.save_box):
            if part is not None:
                part.relabel(language)
        self.edit.description = messages.text("results.edit", language)

    def _relabel_survey(self, language: str) -> None:
        reference, value = self.material.reference, self._survey_answer()
        if reference is None or value is None:
            return
        standing = stand_in(reference, value=value)
        item = self.instrument.item(reference.item)
        labels = {o.value: o.label.in_language(language) for o in item.scale.options}
        self.survey.value = survey_html(reference, standing, self.messages, language)
        self.survey_chart.outputs = (
            _displayed(
                figure_bundle(
                    survey_bars_spec(reference, standing, language=language, category_labels=labels)
                )
            ),
        )


def _displayed(bundle: Mapping[str, object]) -> dict[str, object]:
    """A display output for an Output widget, set as its `outputs` rather than captured from
    `display()`: capturing needs the message being handled, and the results are drawn after
    it (the page first says they are coming), when the page no longer listens for it."""
    return {"output_type": "display_data", "data": dict(bundle), "metadata": {}}
