"""The facilitator's view: the anonymous group picture of a workshop, in ipywidgets.

:class:`FacilitatorView` holds state in widgets and traitlets and does no I/O: its data sources
arrive as :class:`FacilitatorServices` (callables).  :func:`build_facilitator` is this view's
composition root: it reads the shipped data and wires the sources (the result store, pasted
result codes, a synthetic sample).  The notebook ``facilitator/cohort.ipynb`` is::

    from assess.ui.facilitator import build_facilitator
    build_facilitator()

It is served by its own Voilà with a token (``make facilitator``), never by the quiz's server.
Voilà hands the page's query string to the kernel as ``QUERY_STRING``: ``?lang=en``,
``?source=synthetic&size=30`` or ``?source=store&cohort=ws-tokyo`` open the view on that source.

Widget messages can be forged, so the handlers re-check what they read (the source, the size,
the length of pasted text) and never trust a disabled or hidden control.
"""

from __future__ import annotations

import base64
import inspect
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol
from urllib.parse import parse_qs

import ipywidgets as widgets
import pandas as pd
import traitlets

from assess.core.model import LANGUAGES, Instrument
from assess.datafiles.messages import Messages
from assess.group.facilitator import (
    DEFAULT_MIN_GROUP,
    SYNTHETIC_NOTE,
    Breakdown,
    CodeProblem,
    CohortSummary,
    ScopeSummary,
    Withheld,
    check_min_group,
    summary_frames,
    to_csv,
)
from assess.ui.components import FULL_WIDTH, button, esc

SOURCES: tuple[str, ...] = ("codes", "store", "synthetic")
"""Where the answers come from: pasted result codes, the result store, a synthetic sample."""
MAX_CODES = 5000
"""Most result codes read from one paste (a workshop has tens)."""
MAX_PASTE_CHARACTERS = MAX_CODES * 80
MAX_COHORT_CHARACTERS = 64
SYNTHETIC_SIZES = (1, 1000)
DEFAULT_SYNTHETIC_SIZE = 30
SYNTHETIC_SEED = 2026
WEAKEST_SHOWN = 3


@dataclass(frozen=True, slots=True)
class FacilitatorServices:
    """What the view may ask of the outside world.

    `summarise` takes answers and a cohort label; `decode` pasted lines; `synthetic` a size;
    `load` a workshop code (the store; ``None`` when there is none).
    """

    summarise: Callable[[pd.DataFrame, str | None], CohortSummary]
    decode: Callable[[Sequence[str]], tuple[pd.DataFrame, list[CodeProblem]]]
    synthetic: Callable[[int], pd.DataFrame]
    load: Callable[[str], pd.DataFrame] | None = None


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
        self.figures: dict[str, Any] = {}
        self.downloads: dict[str, bytes] = {}
        self.heading = widgets.HTML(layout=FULL_WIDTH)
        self.language_toggle = widgets.ToggleButtons(
            options=[("日本語", "ja"), ("English", "en")],
            value=language if language in LANGUAGES else "ja",
        )
        self.source_toggle = widgets.ToggleButtons(
            options=self._source_options(language),
            value=source if source in SOURCES else "codes",
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
        self.codes_row = widgets.VBox([widgets.HTML(), self.codes_input], layout=FULL_WIDTH)
        self.size_row = widgets.VBox([widgets.HTML(), self.size_input])
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

    def text(self, key: str, **values: object) -> str:
        return self.messages.text(f"facilitator.{key}", self.language, **values)

    def _source_options(self, language: str) -> list[tuple[str, str]]:
        return [
            (self.messages.text(f"facilitator.source.{source}", language), source)
            for source in SOURCES
        ]

    def _on_language_toggle(self, change: dict[str, object]) -> None:
        value = change["new"]
        self.language = value if value in LANGUAGES else "ja"

    @traitlets.observe("language")
    def _on_language(self, _change: object) -> None:
        if self.language not in LANGUAGES:
            self.language = "ja"
            return
        if self.language_toggle.value != self.language:
            self.language_toggle.value = self.language
        self._relabel()
        if self.summary is not None:
            self._render()

    def _relabel(self) -> None:
        self.heading.value = (
            f"<h1>{esc(self.text('title'))}</h1>"
            f'<p class="assess-muted">{esc(self.text("privacy", min_group=self.min_group))}</p>'
        )
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
            self._fail(self.text("error.source"))
            return
        cohort = str(self.cohort_input.value or "").strip()
        if len(cohort) > MAX_COHORT_CHARACTERS or any(not c.isprintable() for c in cohort):
            self._fail(self.text("error.cohort", limit=MAX_COHORT_CHARACTERS))
            return
        self.problems = []
        try:
            if source == "store":
                if self.services.load is None:
                    self._fail(self.text("error.no_store"))
                    return
                if not cohort:
                    self._fail(self.text("error.cohort_missing"))
                    return
                frame = self.services.load(cohort)
            elif source == "codes":
                pasted = str(self.codes_input.value or "")
                lines = pasted.splitlines()
                if (
                    len(pasted) > MAX_PASTE_CHARACTERS
                    or sum(1 for line in lines if line.strip()) > MAX_CODES
                ):
                    self._fail(self.text("error.too_many_codes", limit=MAX_CODES))
                    return
                frame, self.problems = self.services.decode(lines)
            else:
                size = self.size_input.value
                low, high = SYNTHETIC_SIZES
                if not isinstance(size, int) or not low <= size <= high:
                    self._fail(self.text("error.size", low=low, high=high))
                    return
                frame = self.services.synthetic(size)
            summary = self.services.summarise(frame, cohort or None)
        except Exception as error:  # the edge of the UI: say what went wrong, keep the page
            self._fail(self.text("error.load", reason=str(error)))
            return
        self.summary = summary
        self.status.value = self._problems_html()
        self._render()

    def _fail(self, message: str) -> None:
        self.status.value = f'<p class="assess-error" role="alert">{esc(message)}</p>'

    def _problems_html(self) -> str:
        if not self.problems:
            return ""
        items = "".join(
            f"<li>{esc(self.text('codes.problem', line=p.line, reason=self._problem_text(p)))}</li>"
            for p in self.problems[:50]
        )
        more = (
            f"<li>{esc(self.text('codes.more', count=len(self.problems) - 50))}</li>"
            if len(self.problems) > 50
            else ""
        )
        heading = esc(self.text("codes.problems", count=len(self.problems)))
        return f'<div class="assess-warning"><p>{heading}</p><ul>{items}{more}</ul></div>'

    def _problem_text(self, problem: CodeProblem) -> str:
        key = f"facilitator.code.{problem.problem}"
        if key in self.messages.texts:
            return self.messages.text(key, self.language)
        return self.messages.text("facilitator.code.other", self.language)

    # --- the summary -----------------------------------------------------------------------------

    def withheld_text(self, withheld: Withheld | None) -> str:
        if withheld is None:
            return ""
        return self.text(f"withheld.{withheld.reason.value}", min_group=withheld.min_group)

    def _render(self) -> None:
        summary = self.summary
        assert summary is not None
        self.figures = {}
        parts: list[widgets.Widget] = []
        html = []
        if summary.synthetic:
            html.append(
                f'<p class="assess-synthetic" role="note"><b>'
                f"{esc(SYNTHETIC_NOTE.in_language(self.language))}</b> — "
                f"{esc(self.text('synthetic.banner'))}</p>"
            )
        if summary.cohort:
            html.append(f"<p>{esc(self.text('cohort.shown', cohort=summary.cohort))}</p>")
        html.append(
            f'<p class="assess-participants">'
            f"{esc(self.text('participants', count=summary.participants))}</p>"
        )
        if summary.withheld is not None:
            html.append(
                f'<p class="assess-withheld">'
                f"{esc(self.text('too_small', reason=self.withheld_text(summary.withheld)))}</p>"
            )
            self.results.children = [widgets.HTML("".join(html), layout=FULL_WIDTH)]
            self.downloads = {}
            return
        parts.append(widgets.HTML("".join(html), layout=FULL_WIDTH))
        parts.extend(self._scopes("indices", summary.indices))
        parts.extend(self._scopes("facets", summary.facets))
        parts.append(widgets.HTML(self._weakest_html(summary), layout=FULL_WIDTH))
        parts.extend(self._survey(summary))
        parts.append(widgets.HTML(self._alphas_html(summary), layout=FULL_WIDTH))
        parts.append(widgets.HTML(self._downloads_html(summary), layout=FULL_WIDTH))
        self.results.children = parts

    def _chart(self, name: str, figure: Any) -> widgets.Widget:
        from IPython.display import display

        self.figures[name] = figure
        output = widgets.Output(layout=FULL_WIDTH)
        output.add_class("assess-chart")
        with output:
            display(figure)  # type: ignore[no-untyped-call]
        return output

    def _scopes(self, kind: str, scopes: Sequence[ScopeSummary]) -> list[widgets.Widget]:
        from assess.ui.facilitator_charts import distribution_boxes

        heading = f"<h2>{esc(self.text(f'{kind}.title'))}</h2>"
        k = self.summary.min_group if self.summary is not None else self.min_group
        boxes = self.text(
            "boxes.explain",
            min_group=k,
            median_from=2 * k,
            box_from=4 * k,
            whiskers_from=10 * k,
        )
        explain = f'<p class="assess-muted">{esc(boxes)}</p>'
        parts: list[widgets.Widget] = [widgets.HTML(heading + explain, layout=FULL_WIDTH)]
        if any(scope.distribution is not None for scope in scopes):
            title = self.text(f"{kind}.chart")
            if self.summary is not None and self.summary.synthetic:
                title += f" ({SYNTHETIC_NOTE.in_language(self.language)})"
            parts.append(
                self._chart(kind, distribution_boxes(scopes, language=self.language, title=title))
            )
        withheld = [
            f"<li>{esc(scope.label.in_language(self.language))}: "
            f"{esc(self.withheld_text(scope.withheld))}</li>"
            for scope in scopes
            if scope.withheld is not None
        ]
        tables = self._bands_html(scopes)
        note = (
            f'<p class="assess-withheld">{esc(self.text("withheld.heading"))}</p>'
            f"<ul>{''.join(withheld)}</ul>"
            if withheld
            else ""
        )
        parts.append(widgets.HTML(note + tables, layout=FULL_WIDTH))
        return parts

    def _bands_html(self, scopes: Sequence[ScopeSummary]) -> str:
        if not scopes:
            return ""
        heading = f"<h3>{esc(self.text('bands.title'))}</h3>"
        header_cells = "".join(
            f"<th>{esc(cell.label.in_language(self.language))}</th>"
            for cell in scopes[0].bands.cells
        )
        rows = []
        for scope in scopes:
            cells = "".join(self._count_cell(scope.bands, cell) for cell in scope.bands.cells)
            rows.append(f"<tr><th>{esc(scope.label.in_language(self.language))}</th>{cells}</tr>")
        footnote = f'<p class="assess-muted">{esc(self.text("bands.footnote"))}</p>'
        return (
            f'{heading}<table class="assess-table"><thead><tr><th></th>{header_cells}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>{footnote}"
        )

    def _count_cell(self, breakdown: Breakdown, cell: Any) -> str:
        if cell.count is None:
            reason = esc(self.withheld_text(cell.withheld))
            return f'<td class="assess-withheld" title="{reason}">—</td>'
        share = breakdown.share(cell)
        return f"<td>{cell.count} ({share:.0f}%)</td>"

    def _weakest_html(self, summary: CohortSummary) -> str:
        heading = f"<h2>{esc(self.text('weakest.title'))}</h2>"
        if not summary.weakest:
            return heading + f"<p>{esc(self.text('weakest.none'))}</p>"
        items = []
        for scope in summary.weakest[:WEAKEST_SHOWN]:
            assert scope.distribution is not None and scope.need is not None
            key = "weakest.risk" if scope.higher_is == "risk" else "weakest.strength"
            items.append(
                f"<li><b>{esc(scope.label.in_language(self.language))}</b> — "
                f"{esc(self.text(key, mean=f'{scope.distribution.mean:.0f}'))}</li>"
            )
        explain = f'<p class="assess-muted">{esc(self.text("weakest.explain"))}</p>'
        return f"{heading}{explain}<ol>{''.join(items)}</ol>"

    def _survey(self, summary: CohortSummary) -> list[widgets.Widget]:
        survey = summary.survey
        if survey is None:
            return []
        from assess.ui.facilitator_charts import survey_comparison

        round_ = survey.round
        heading = f"<h2>{esc(self.text('survey.title'))}</h2>"
        explain = esc(
            self.text(
                "survey.explain",
                year=round_.label.in_language(self.language),
                n=f"{round_.respondents:,}",
            )
        )
        room_name = self.text("survey.room")
        if summary.synthetic:
            room_name += f" ({SYNTHETIC_NOTE.in_language(self.language)})"
        figure = survey_comparison(
            survey,
            language=self.language,
            room_name=room_name,
            national_name=self.text(
                "survey.national", year=round_.label.in_language(self.language)
            ),
            withheld_text=self.text("survey.withheld_bar"),
        )
        rows = []
        for cell in survey.room.cells:
            national = survey.national_share(cell.key)
            rows.append(
                f"<tr><th>{esc(cell.label.in_language(self.language))}</th>"
                f"{self._count_cell(survey.room, cell)}"
                f"<td>{'' if national is None else f'{national:.1f}%'}</td></tr>"
            )
        table = (
            f'<table class="assess-table"><thead><tr><th></th>'
            f"<th>{esc(self.text('survey.room'))}</th>"
            f"<th>{esc(self.text('survey.national', year=round_.label.in_language(self.language)))}"
            f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        reference = survey.reference
        citation = (
            f'<p class="assess-source">{esc(self.text("survey.source"))}: '
            f'<a href="{esc(reference.source)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(reference.name.in_language(self.language))}</a> "
            f"({esc(self.text('survey.checked', date=reference.checked.isoformat()))})</p>"
            f'<p class="assess-muted">{esc(reference.caveats.in_language(self.language))} '
            f"{esc(self.text('survey.caveat_room'))}</p>"
        )
        return [
            widgets.HTML(f"{heading}<p>{explain}</p>", layout=FULL_WIDTH),
            self._chart("survey", figure),
            widgets.HTML(table + citation, layout=FULL_WIDTH),
        ]

    def _alphas_html(self, summary: CohortSummary) -> str:
        heading = f"<h2>{esc(self.text('alphas.title'))}</h2>"
        explain = f'<p class="assess-muted">{esc(self.text("alphas.explain"))}</p>'
        rows = []
        for alpha in summary.alphas:
            value = (
                f"<td>{alpha.alpha:.2f}</td>"
                if alpha.alpha is not None
                else f'<td class="assess-withheld">{esc(self.withheld_text(alpha.withheld))}</td>'
            )
            rows.append(
                f"<tr><th>{esc(alpha.label.in_language(self.language))}</th>"
                f"<td>{alpha.items}</td>{value}</tr>"
            )
        head = (
            f"<thead><tr><th></th><th>{esc(self.text('alphas.items'))}</th><th>α</th></tr></thead>"
        )
        body = "".join(rows)
        return f'{heading}{explain}<table class="assess-table">{head}<tbody>{body}</tbody></table>'

    def _downloads_html(self, summary: CohortSummary) -> str:
        """Every table as a CSV download (a data: link: no server file is written)."""
        frames = summary_frames(summary, language=self.language)
        self.downloads = {}
        links = []
        label = summary.cohort or "cohort"
        safe_label = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:32]
        for name, frame in frames.items():
            # A byte-order mark, so that spreadsheets read the Japanese labels as UTF-8.
            content = ("\ufeff" + to_csv(frame)).encode("utf-8")
            filename = f"assess-{safe_label}-{name}.csv"
            self.downloads[filename] = content
            payload = base64.b64encode(content).decode("ascii")
            links.append(
                f'<a class="assess-download" download="{esc(filename)}" '
                f'href="data:text/csv;base64,{payload}">'
                f"{esc(self.text(f'download.{name}'))}</a>"
            )
        heading = f"<h2>{esc(self.text('download.title'))}</h2>"
        explain = f'<p class="assess-muted">{esc(self.text("download.explain"))}</p>'
        return f"{heading}{explain}<p>{' · '.join(links)}</p>"


# --- composition ---------------------------------------------------------------------------------


class CohortSource(Protocol):
    """What the view needs of a result store (see :class:`assess.store.results.ResultStore`)."""

    def cohort_frame(self, cohort: str) -> pd.DataFrame: ...


def load_from_store(
    instrument: Instrument,
    store_url: str | None,
    cohort: str,
    *,
    open_store: Callable[[str | None], Any] | None = None,
) -> pd.DataFrame:
    """The answers saved under a workshop code: the store is opened, read and closed.

    `open_store` (default :meth:`assess.store.results.ResultStore.open`) takes the URL and
    returns an object with ``cohort_frame(cohort)``; when that also takes ``instrument=``, only
    results of this questionnaire and version are read.
    """
    if open_store is None:
        from assess.store.results import ResultStore

        open_store = ResultStore.open
    store = open_store(store_url)
    try:
        read = store.cohort_frame
        if "instrument" in inspect.signature(read).parameters:
            frame: pd.DataFrame = read(cohort, instrument=instrument)
        else:
            frame = read(cohort)
        return frame
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def query_options(query_string: str) -> dict[str, str]:
    """The view's options from a page's query string; unknown values are dropped.

    >>> query_options("lang=en&source=synthetic&size=12&min_group=1")
    {'language': 'en', 'source': 'synthetic', 'size': '12'}
    """
    query = parse_qs(query_string)
    options: dict[str, str] = {}
    language = query.get("lang", [""])[0]
    if language in LANGUAGES:
        options["language"] = language
    source = query.get("source", [""])[0]
    if source in SOURCES:
        options["source"] = source
    cohort = query.get("cohort", [""])[0].strip()
    if cohort and len(cohort) <= MAX_COHORT_CHARACTERS and cohort.isprintable():
        options["cohort"] = cohort
    size = query.get("size", [""])[0]
    if size.isdigit() and SYNTHETIC_SIZES[0] <= int(size) <= SYNTHETIC_SIZES[1]:
        options["size"] = size
    return options


def build_facilitator(
    *,
    store_url: str | None = None,
    min_group: int = DEFAULT_MIN_GROUP,
    query_string: str | None = None,
    open_store: Callable[[str | None], Any] | None = None,
) -> FacilitatorView:
    """Build the facilitator's view with the shipped data.

    `store_url` is the result store's URL (default: the store's own default, see
    :mod:`assess.store.results`); `min_group` the smallest group a figure is shown for (never
    below 3;
    not settable from the page).  When the query string names a source that needs nothing
    typed (``source=synthetic``, or ``source=store`` with a ``cohort``), the summary is shown
    at once.
    """
    from assess.datafiles.instrument import default_instrument_path, load_instrument
    from assess.datafiles.messages import default_messages
    from assess.datafiles.reference import default_reference
    from assess.group.facilitator import frame_from_codes, summarise

    min_group = check_min_group(min_group)
    if query_string is None:
        query_string = os.environ.get("QUERY_STRING", "")
    options = query_options(query_string)
    instrument = load_instrument(default_instrument_path())
    reference = default_reference()

    def _summarise(frame: pd.DataFrame, cohort: str | None) -> CohortSummary:
        return summarise(instrument, frame, min_group=min_group, reference=reference, cohort=cohort)

    services = FacilitatorServices(
        summarise=_summarise,
        decode=partial(frame_from_codes, instrument),
        synthetic=partial(_synthetic, instrument),
        load=partial(load_from_store, instrument, store_url, open_store=open_store),
    )
    view = FacilitatorView(
        messages=default_messages(),
        services=services,
        language=options.get("language", "ja"),
        source=options.get("source", "codes"),
        cohort=options.get("cohort", ""),
        size=int(options.get("size", DEFAULT_SYNTHETIC_SIZE)),
        min_group=min_group,
    )
    source = options.get("source")
    if source == "synthetic" or (source == "store" and "cohort" in options):
        view.show()
    return view


def _synthetic(instrument: Instrument, size: int) -> pd.DataFrame:
    from assess.group.synthetic import synthetic_cohort

    return synthetic_cohort(instrument, size, seed=SYNTHETIC_SEED)
