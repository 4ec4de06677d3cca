"""The facilitator's view: the anonymous group picture of a workshop, in ipywidgets.

:class:`FacilitatorView` holds state in widgets and traitlets and does no I/O: its data sources
arrive as :class:`FacilitatorServices` (callables), wired by the composition root
:func:`assess.app.facilitator.build_facilitator` (the data files, the result store, the page's
query string).

Widget messages can be forged, so the handlers re-check what they read (the source, the size,
the length of pasted text) and never trust a disabled or hidden control.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from assess.core.messages import Messages
from assess.group.answers import SYNTHETIC_NOTE
from assess.group.codes import CodeProblem
from assess.group.disclosure import DEFAULT_MIN_GROUP, check_min_group
from assess.group.summary import CohortSummary, ScopeSummary
from assess.ui.charts import figure_bundle
from assess.ui.components import FULL_WIDTH, button, esc, full_width
from assess.ui.facilitator_html import (
    Wording,
    alphas_html,
    csv_files,
    downloads_html,
    failure_html,
    heading_html,
    overview_html,
    problems_html,
    scopes_intro_html,
    scopes_tables_html,
    skipped_html,
    survey_intro_html,
    survey_table_html,
    weakest_html,
)

SOURCES: tuple[str, ...] = ("codes", "store", "synthetic")
"""Where the answers come from: pasted result codes, the result store, a synthetic sample."""
MAX_CODES = 5000
"""Most result codes read from one paste (a workshop has tens)."""
MAX_PASTE_CHARACTERS = MAX_CODES * 80
MAX_COHORT_CHARACTERS = 64
SYNTHETIC_SIZES = (1, 1000)
DEFAULT_SYNTHETIC_SIZE = 30


class SourceProblem(Exception):  # noqa: N818 - read as a sentence: raise SourceProblem(...)
    """A source could not give its answers; `key` names the message the view shows (under
    ``facilitator.``).  Details belong in the server's log, never on the page."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class FacilitatorServices:
    """What the view may ask of the outside world.

    `summarise` takes answers and a cohort label; `decode` pasted lines; `synthetic` a size;
    `load` a workshop code (the store; ``None`` when there is none) and gives the answers and
    how many saved results could not be read.  `load` raises :class:`SourceProblem`.
    """

    summarise: Callable[[pd.DataFrame, str | None], CohortSummary]
    decode: Callable[[Sequence[str]], tuple[pd.DataFrame, list[CodeProblem]]]
    synthetic: Callable[[int], pd.DataFrame]
    load: Callable[[str], tuple[pd.DataFrame, int]] | None = None


class FacilitatorView(widgets.VBox):  # type: ignore[misc]
    """Inputs (language, source, workshop code, pasted codes, sample size), then the summary."""

    language = traitlets.Unicode("ja")

    def __init__(
        self,
        *,
        messages: Messages,
        services: FacilitatorServices,
        language: str = "ja",
        source: str = "codes",
        cohort: str = "",
        size: int = DEFAULT_SYNTHETIC_SIZE,
        min_group: int = DEFAULT_MIN_GROUP,
    ) -> None:
        self.messages = messages
        self.services = services
        self.min_group = check_min_group(min_group)
        self.summary: CohortSummary | None = None
        self.problems: list[CodeProblem] = []
        self.skipped = 0
        """Saved results the store could not read (left out of the summary)."""
        self._failure: tuple[str, dict[str, object]] | None = None
        self.figures: dict[str, Any] = {}
        self.downloads: dict[str, bytes] = {}
        self.heading = widgets.HTML(layout=FULL_WIDTH)
        self.language_toggle = widgets.ToggleButtons(
            options=[(offered.name, offered.code) for offered in messages.languages.offered],
            value=messages.languages.chosen(language),
        )
        self.source_toggle = widgets.ToggleButtons(
            options=self._source_options(language),
            value=source if source in SOURCES else "codes",
            # As wide as its words: the fixed default width cut them off at phone width.
            style=widgets.ToggleButtonsStyle(button_width="auto"),
        )
        self.cohort_input = widgets.Text(value=cohort[:MAX_COHORT_CHARACTERS])
        self.codes_input = widgets.Textarea(
            layout=widgets.Layout(width="100%", max_width="44em", height="10em")
        )
        low, high = SYNTHETIC_SIZES
        self.size_input = widgets.BoundedIntText(value=min(max(size, low), high), min=low, max=high)
        self.show_button = button("", primary=True)
        self.show_button.on_click(lambda _b: self.show())
        self.status = widgets.HTML(layout=FULL_WIDTH)
        self.results = widgets.VBox(layout=FULL_WIDTH)
        self.results.add_class("assess-facilitator-results")
        self.cohort_row = widgets.VBox([widgets.HTML(), self.cohort_input])
        # Layouts of their own: `_arrange` hides these rows (FULL_WIDTH is shared and frozen).
        self.codes_row = widgets.VBox([widgets.HTML(), self.codes_input], layout=full_width())
        self.size_row = widgets.VBox([widgets.HTML(), self.size_input], layout=widgets.Layout())
        super().__init__(
            [
                self.language_toggle,
                self.heading,
                self.source_toggle,
                self.cohort_row,
                self.codes_row,
                self.size_row,
                self.show_button,
                self.status,
                self.results,
            ],
            layout=FULL_WIDTH,
        )
        self.add_class("assess-facilitator")
        self.language = self.language_toggle.value
        self.language_toggle.observe(self._on_language_toggle, names="value")
        self.source_toggle.observe(lambda _c: self._arrange(), names="value")
        self._relabel()

    # --- texts -----------------------------------------------------------------------------------

    @property
    def wording(self) -> Wording:
        return Wording(self.messages, self.language)

    def text(self, key: str, **values: object) -> str:
        return self.wording.text(key, **values)

    def _source_options(self, language: str) -> list[tuple[str, str]]:
        return [
            (self.messages.text(f"facilitator.source.{source}", language), source)
            for source in SOURCES
        ]

    def _on_language_toggle(self, change: dict[str, object]) -> None:
        value = change["new"]
        self.language = self.messages.languages.chosen(str(value))

    @traitlets.observe("language")
    def _on_language(self, _change: object) -> None:
        if self.language not in self.messages.languages:
            self.language = self.messages.languages.default
            return
        if self.language_toggle.value != self.language:
            self.language_toggle.value = self.language
        self._relabel()
        self._draw_status()
        if self.summary is not None:
            self._render()

    def _relabel(self) -> None:
        self.heading.value = heading_html(self.wording, min_group=self.min_group)
        kept = self.source_toggle.value
        self.source_toggle.options = self._source_options(self.language)
        self.source_toggle.value = kept
        self.cohort_row.children[0].value = f"<p>{esc(self.text('cohort.label'))}</p>"
        self.cohort_input.placeholder = self.text("cohort.placeholder")
        self.codes_row.children[0].value = f"<p>{esc(self.text('codes.label'))}</p>"
        self.codes_input.placeholder = self.text("codes.placeholder")
        self.size_row.children[0].value = f"<p>{esc(self.text('synthetic.size'))}</p>"
        self.show_button.description = self.text("show")
        self._arrange()

    def _arrange(self) -> None:
        """Show the inputs the chosen source needs (a convenience only: `show` re-checks)."""
        source = self.source_toggle.value
        self.codes_row.layout.display = "" if source == "codes" else "none"
        self.size_row.layout.display = "" if source == "synthetic" else "none"

    # --- loading ---------------------------------------------------------------------------------

    def show(self) -> None:
        """Load the chosen source and show its summary; problems go to the status line."""
        source = self.source_toggle.value
        if source not in SOURCES:  # a forged message
            self._fail("error.source")
            return
        cohort = str(self.cohort_input.value or "").strip()
        if len(cohort) > MAX_COHORT_CHARACTERS or any(not c.isprintable() for c in cohort):
            self._fail("error.cohort", limit=MAX_COHORT_CHARACTERS)
            return
        self.problems = []
        self.skipped = 0
        try:
            if source == "store":
                if self.services.load is None:
                    self._fail("error.no_store")
                    return
                if not cohort:
                    self._fail("error.cohort_missing")
                    return
                frame, self.skipped = self.services.load(cohort)
            elif source == "codes":
                pasted = str(self.codes_input.value or "")
                lines = pasted.splitlines()
                if (
                    len(pasted) > MAX_PASTE_CHARACTERS
                    or sum(1 for line in lines if line.strip()) > MAX_CODES
                ):
                    self._fail("error.too_many_codes", limit=MAX_CODES)
                    return
                frame, self.problems = self.services.decode(lines)
            else:
                size = self.size_input.value
                low, high = SYNTHETIC_SIZES
                if not isinstance(size, int) or not low <= size <= high:
                    self._fail("error.size", low=low, high=high)
                    return
                frame = self.services.synthetic(size)
            summary = self.services.summarise(frame, cohort or None)
        except SourceProblem as problem:
            self._fail(problem.key)
            return
        except Exception as error:  # the edge of the UI: say what went wrong, keep the page
            self._fail("error.load", reason=str(error))
            return
        self.summary = summary
        self._failure = None
        self._draw_status()
        self._render()

    def _fail(self, key: str, **values: object) -> None:
        self._failure = (key, values)
        self._draw_status()

    def _draw_status(self) -> None:
        """The status line in the view's language: the last failure, else the lines of pasted
        codes that were not counted."""
        if self._failure is not None:
            key, values = self._failure
            self.status.value = failure_html(self.text(key, **values))
        else:
            self.status.value = problems_html(self.problems, self.wording) + skipped_html(
                self.skipped, self.wording
            )

    # --- the summary -----------------------------------------------------------------------------

    def _render(self) -> None:
        summary = self.summary
        assert summary is not None
        w = self.wording
        self.figures = {}
        overview = widgets.HTML(overview_html(summary, w), layout=FULL_WIDTH)
        if summary.withheld is not None:
            self.results.children = [overview]
            self.downloads = {}
            return
        files = csv_files(summary, self.language)
        self.downloads = {file.filename: file.content for file in files}
        self.results.children = [
            overview,
            *self._scopes("indices", summary.indices),
            *self._scopes("facets", summary.facets),
            widgets.HTML(weakest_html(summary, w), layout=FULL_WIDTH),
            *self._survey(summary),
            widgets.HTML(alphas_html(summary, w), layout=FULL_WIDTH),
            widgets.HTML(downloads_html(files, w), layout=FULL_WIDTH),
        ]

    def _chart(self, name: str, figure: Any) -> widgets.Widget:
        self.figures[name] = figure
        output = widgets.Output(layout=FULL_WIDTH)
        output.add_class("assess-chart")
        # The chart is set as the Output's outputs, never displayed into it: while Voilà runs
        # the notebook (a store or sample page), nbclient answers each display captured by an
        # Output with a comm message on the kernel's shell channel, and now and then the
        # cell's reply was lost among them under load, so the page never finished loading.
        output.outputs = (
            {"output_type": "display_data", "data": figure_bundle(figure), "metadata": {}},
        )
        return output

    def _synthetic_suffix(self) -> str:
        if self.summary is None or not self.summary.synthetic:
            return ""
        note = SYNTHETIC_NOTE.in_language(self.language)
        return self.messages.languages[self.language].noted(note)

    def _scopes(self, kind: str, scopes: Sequence[ScopeSummary]) -> list[widgets.Widget]:
        from assess.ui.facilitator_charts import distribution_boxes

        w = self.wording
        min_group = self.summary.min_group if self.summary is not None else self.min_group
        parts: list[widgets.Widget] = [
            widgets.HTML(scopes_intro_html(kind, w, min_group=min_group), layout=FULL_WIDTH)
        ]
        if any(scope.distribution is not None for scope in scopes):
            title = self.text(f"{kind}.chart") + self._synthetic_suffix()
            figure = distribution_boxes(scopes, language=self.language, title=title)
            parts.append(self._chart(kind, figure))
        parts.append(widgets.HTML(scopes_tables_html(scopes, w), layout=FULL_WIDTH))
        return parts

    def _survey(self, summary: CohortSummary) -> list[widgets.Widget]:
        survey = summary.survey
        if survey is None:
            return []
        from assess.ui.facilitator_charts import survey_comparison

        w = self.wording
        figure = survey_comparison(
            survey,
            language=self.language,
            room_name=self.text("survey.room") + self._synthetic_suffix(),
            national_name=self.text("survey.national", year=w.label(survey.round.label)),
            withheld_text=self.text("survey.withheld_bar"),
        )
        return [
            widgets.HTML(survey_intro_html(survey, w), layout=FULL_WIDTH),
            self._chart("survey", figure),
            widgets.HTML(survey_table_html(survey, w), layout=FULL_WIDTH),
        ]
