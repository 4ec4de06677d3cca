"""The results page of one result: indices, chart, facets, the national survey, the plan, the
take-aways, the result code, saving, and where to get help.

Built once per result (:class:`Outcome`: scored, planned and encoded once by the quiz); a
language switch relabels every part in place, so what the person did on the page (a ticked
consent box, a save, files made) stays.  No I/O: data and services are handed in.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import display

from assess.core.model import Answers, Instrument
from assess.core.planning import Plan, PlanError, make_plan
from assess.core.reference import stand_in
from assess.core.scoring import score
from assess.core.support import support_for
from assess.render.help import help_html, urgent_help_html
from assess.render.since import Earlier, since_html, since_view
from assess.render.takeaways import assumed_hours
from assess.store.outcomes import SaveOutcome
from assess.ui.charts import facet_bars_spec, figure_bundle, survey_bars_spec
from assess.ui.code_box import CodeBox, CompareBox
from assess.ui.components import FULL_WIDTH, Wording, esc
from assess.ui.downloads import DownloadsBox
from assess.ui.missing import MissingAnswers
from assess.ui.outcome import Outcome
from assess.ui.results import (
    Download,
    disclaimer_html,
    facets_html,
    indices_html,
    plan_section_html,
    standing_html,
    support_html,
    survey_html,
    survey_skipped_html,
    today_html,
)
from assess.ui.save_box import SaveBox, SaveRequest
from assess.ui.services import ResultsMaterial


def make_outcome(
    instrument: Instrument,
    answers: Answers,
    material: ResultsMaterial,
    *,
    taken_on: datetime.date,
    encode: Callable[[Answers, datetime.date], str],
    now: datetime.datetime | None = None,
) -> Outcome:
    """Score, plan and encode the answers, once per result (`now`: the person's clock, which
    puts the help lines open at this hour first).  Raises
    :class:`~assess.core.scoring.AnswerError` for answers that do not fit the instrument."""
    result = score(instrument, answers)
    try:
        plan: Plan | None = make_plan(
            instrument, result, answers, material.catalogue, today=taken_on
        )
    except PlanError:  # too few answers for a plan: the results say so
        plan = None
    support = support_for(instrument, result, answers, material.support, now=now)
    return Outcome(
        answers=answers,
        result=result,
        plan=plan,
        taken_on=taken_on,
        code=encode(answers, taken_on),
        # Only answers that suggest acute distress put lines to call now first.
        urgent=support.level == "prominent",
        support=support,
    )


def make_earlier(
    instrument: Instrument, answers: Answers, material: ResultsMaterial, *, taken_on: datetime.date
) -> Earlier:
    """An earlier result to compare with: its answers scored with today's bank, and the plan
    they made on their day (the steps chosen then).  Raises
    :class:`~assess.core.scoring.AnswerError` for answers that do not fit the instrument."""
    result = score(instrument, answers)
    try:
        plan: Plan | None = make_plan(
            instrument, result, answers, material.catalogue, today=taken_on
        )
    except PlanError:
        plan = None
    return Earlier(taken_on=taken_on, result=result, plan=plan)


class ResultsPage(widgets.VBox):  # type: ignore[misc]
    """Every part of the results for one :class:`Outcome`, relabelled in place."""

    def __init__(
        self,
        outcome: Outcome,
        *,
        instrument: Instrument,
        wording: Wording,
        material: ResultsMaterial,
        download: Callable[[str, Outcome, str], Download],
        save: Callable[[SaveRequest], SaveOutcome] | None,
        forget: Callable[[str], SaveOutcome] | None,
        cohort: str | None,
        on_edit: Callable[[], None],
        on_answer_missing: Callable[[str], None],
        language: str,
        earlier: Earlier | None = None,
        on_compare: Callable[[str], None] | None = None,
        compare_keys: bool = False,
    ) -> None:
        if earlier is not None:
            outcome = dataclasses.replace(outcome, earlier=earlier)
        self.outcome = outcome
        self.instrument = instrument
        self.messages = wording.messages
        self.material = material
        self.language = language

        # Every part is made with its text: a change after creation is one more message.
        texts = self._texts(language)

        def html(name: str) -> widgets.HTML:
            return wording.html(texts.get(name, ""), layout=FULL_WIDTH)

        self.help = html("help")
        self.help_more = html("help_more")
        self.standing = html("standing")
        self.today = html("today")
        self.disclaimer = html("disclaimer")
        self.indices = html("indices")
        self.since = html("since")
        self.missing = MissingAnswers(
            instrument,
            outcome.result,
            on_answer=on_answer_missing,
            wording=wording,
            language=language,
        )
        self.chart_heading = html("chart_heading")
        self.chart = widgets.Output(layout=FULL_WIDTH, _dom_classes=("assess-chart",))
        self.facets = html("facets")
        self.survey = html("survey")
        self.survey_chart = widgets.Output(layout=FULL_WIDTH)
        self._draw_charts(language)
        self.plan = html("plan")
        self.downloads = (
            DownloadsBox(
                lambda kind, lang: download(kind, self.outcome, lang),
                wording=wording,
                language=language,
            )
            if outcome.plan is not None
            else None
        )
        # Today's step goes into the calendar from where it is first said.
        self.to_calendar = (
            DownloadsBox(
                lambda kind, lang: download(kind, self.outcome, lang),
                wording=wording,
                language=language,
                kinds={"calendar": "results.to_calendar"},
                title=None,
                marked="assess-to-calendar",
            )
            if outcome.plan is not None
            else None
        )
        self.code_box = CodeBox(outcome.code, wording=wording, language=language)
        self.compare = CompareBox(
            wording=wording, language=language, on_compare=on_compare, keys=compare_keys
        )
        self.save_box = (
            SaveBox(
                answers=outcome.answers,
                taken_on=outcome.taken_on,
                plan=outcome.plan,
                cohort=cohort,
                save=save,
                forget=forget,
                wording=wording,
                language=language,
            )
            if save is not None
            else None
        )
        self.edit = wording.button(texts["edit"])
        self.edit.on_click(lambda _b: on_edit())
        # The first screen says where the person stands and what to do today (the article's
        # one small step); the details follow for whoever wants them.  Help to call now, when
        # the answers call for it, comes before everything.
        summary = widgets.VBox(
            [part for part in (self.standing, self.today, self.to_calendar) if part is not None],
            layout=FULL_WIDTH,
            _dom_classes=("assess-summary",),
        )
        parts: list[widgets.Widget] = [
            self.help if outcome.urgent else None,
            summary,
            self.disclaimer,
            self.indices,
            self.since,
            self.missing if self.missing.facet_ids else None,
            widgets.VBox([self.chart_heading, self.chart], layout=FULL_WIDTH),
            self.facets,
            (
                widgets.VBox([self.survey, self.survey_chart], layout=FULL_WIDTH)
                if self._survey_answer() is not None
                else self.survey
                if texts.get("survey")
                else None
            ),
            self.plan,
            self.downloads,
            self.code_box,
            self.compare if on_compare is not None else None,
            self.save_box,
            self.help_more,
            self.edit,
        ]
        super().__init__(
            [part for part in parts if part is not None],
            layout=FULL_WIDTH,
            _dom_classes=("assess-results",),
        )

    def _survey_answer(self) -> int | None:
        """The answer to compare with the national survey, when there is a survey and an answer."""
        reference = self.material.reference
        if reference is None:
            return None
        value = self.outcome.answers.responses.get(reference.item)
        return value if isinstance(value, int) and value in reference.categories else None

    def relabel(self, language: str) -> None:
        """Show every part in `language`, keeping what the person did on the page."""
        if language == self.language:
            return
        self.language = language
        texts = self._texts(language)
        self._retext(texts)
        self.edit.description = texts["edit"]
        self.survey_chart.clear_output()
        self._draw_charts(language)
        parts = (
            self.missing,
            self.to_calendar,
            self.downloads,
            self.code_box,
            self.compare,
            self.save_box,
        )
        for part in parts:
            if part is not None:
                part.relabel(language)

    def show_earlier(self, earlier: Earlier) -> None:
        """Compare with `earlier` from now on, in place (what the person did on the page stays)."""
        self.outcome = dataclasses.replace(self.outcome, earlier=earlier)
        self._retext(self._texts(self.language))
        if self.downloads is not None:  # files already made, made again with the comparison
            for kind in self.downloads.made:
                self.downloads.make(kind)
        self.survey_chart.clear_output()
        self._draw_charts(self.language)

    def _retext(self, texts: dict[str, str]) -> None:
        names = ("help", "help_more", "standing", "today", "disclaimer", "indices", "since")
        for name in (*names, "chart_heading", "facets", "survey", "plan"):
            getattr(self, name).value = texts.get(name, "")

    def _texts(self, language: str) -> dict[str, str]:
        outcome, instrument, messages = self.outcome, self.instrument, self.messages
        texts = {
            **self._help_texts(language),
            "standing": standing_html(instrument, outcome.result, messages, language),
            "today": today_html(outcome.plan, instrument, messages, language),
            "disclaimer": disclaimer_html(messages, language),
            "indices": indices_html(instrument, outcome.result, messages, language),
            "chart_heading": f"<h2>{esc(messages.text('results.chart', language))}</h2>",
            "facets": facets_html(instrument, outcome.result, outcome.answers, messages, language),
            "plan": (
                plan_section_html(
                    instrument,
                    outcome.plan,
                    messages=messages,
                    language=language,
                    assumption=assumed_hours(
                        instrument, outcome.answers, language=language, messages=messages
                    ),
                )
                if outcome.plan is not None
                else f"<p>{esc(messages.text('plan.none', language))}</p>"
            ),
            "edit": messages.text("results.edit", language),
        }
        if self.outcome.earlier is not None:
            view = since_view(instrument, self.outcome.earlier, outcome.result, messages, language)
            texts["since"] = since_html(view)
        reference, value = self.material.reference, self._survey_answer()
        if reference is not None and value is not None:
            standing = stand_in(reference, value=value)
            texts["survey"] = survey_html(reference, standing, messages, language)
        elif reference is not None and reference.item in {i.id for i in instrument.items}:
            texts["survey"] = survey_skipped_html(instrument, reference.item, messages, language)
        return texts

    def _help_texts(self, language: str) -> dict[str, str]:
        """The box of lines to call now (first, only when the answers call for it), and below the
        results the practical services and the quiet "if things get hard" list."""
        outcome, messages = self.outcome, self.messages
        if outcome.support is None:
            legacy = support_html(
                self.material.support, urgent=outcome.urgent, messages=messages, language=language
            )
            return {"help": legacy, "help_more": ""} if outcome.urgent else {"help_more": legacy}
        return {
            "help": urgent_help_html(outcome.support, messages, language),
            "help_more": help_html(outcome.support, messages, language),
        }

    def _draw_charts(self, language: str) -> None:
        """The charts, displayed into their Output widgets while the person's click is being
        answered (the page routes what is displayed then to the widgets)."""
        self.chart.clear_output()
        legend = (
            self.messages.text("since.chart_now", language),
            self.messages.text("since.chart_then", language),
        )
        with self.chart:
            for index in self.instrument.indices:
                figure = facet_bars_spec(
                    self.instrument,
                    self.outcome.result,
                    index_id=index.id,
                    language=language,
                    earlier=self.outcome.earlier.result
                    if self.outcome.earlier is not None
                    else None,
                    legend=legend,
                )
                # The raw plotly bundle: the same chart, without plotly's renderer machinery
                # (nbformat, jsonschema), which cost each visitor ~1.6 s of kernel CPU.
                display(figure_bundle(figure), raw=True)  # type: ignore[no-untyped-call]
        reference, value = self.material.reference, self._survey_answer()
        if reference is None or value is None:
            return
        standing = stand_in(reference, value=value)
        item = self.instrument.item(reference.item)
        labels = {o.value: o.label.in_language(language) for o in item.scale.options}
        with self.survey_chart:
            spec = survey_bars_spec(
                reference,
                standing,
                language=language,
                category_labels=labels,
                answer_label=self.messages.text("survey.your_answer", language),
            )
            display(figure_bundle(spec), raw=True)  # type: ignore[no-untyped-call]
