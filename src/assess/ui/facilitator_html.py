"""The facilitator's view as HTML: a group summary and its wording in, escaped markup out.

Pure functions (no widgets, no I/O), so that what the view shows can be read, and tested, apart
from the widgets that hold it.  Every text from data files, the messages or the page (a
workshop code) is escaped.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from assess.core.messages import Messages
from assess.core.model import Text
from assess.group.answers import SYNTHETIC_NOTE
from assess.group.codes import CodeProblem
from assess.group.csv_safe import to_csv
from assess.group.disclosure import Withheld
from assess.group.summary import Breakdown, Cell, CohortSummary, ScopeSummary, SurveyComparison
from assess.group.summary_tables import summary_frames
from assess.render.style import HEADINGS
from assess.render.views import format_date
from assess.ui.components import esc

WEAKEST_SHOWN = 3
PROBLEMS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Wording:
    """The view's messages in one language."""

    messages: Messages
    language: str

    def text(self, key: str, **values: object) -> str:
        return self.messages.text(f"facilitator.{key}", self.language, **values)

    def label(self, text: Text) -> str:
        return text.in_language(self.language)

    def date(self, day: datetime.date) -> str:
        """A date as a reader of the language writes it: 2026年11月26日, 26 November 2026."""
        return format_date(day, self.language, self.messages)

    def withheld(self, withheld: Withheld | None) -> str:
        if withheld is None:
            return ""
        return self.text(f"withheld.{withheld.reason.value}", min_group=withheld.min_group)

    def problem(self, problem: CodeProblem) -> str:
        key = f"code.{problem.problem}"
        return self.text(key if f"facilitator.{key}" in self.messages.texts else "code.other")


def heading_html(w: Wording, *, min_group: int) -> str:
    return (
        f"{HEADINGS}<h1>{esc(w.text('title'))}</h1>"
        f'<p class="assess-muted">{esc(w.text("privacy", min_group=min_group))}</p>'
    )


def failure_html(message: str) -> str:
    return f'<p class="assess-error" role="alert">{esc(message)}</p>'


def problems_html(problems: Sequence[CodeProblem], w: Wording) -> str:
    """The pasted lines that were not counted, by number (never their text)."""
    if not problems:
        return ""
    items = "".join(
        f"<li>{esc(w.text('codes.problem', line=p.line, reason=w.problem(p)))}</li>"
        for p in problems[:PROBLEMS_SHOWN]
    )
    if len(problems) > PROBLEMS_SHOWN:
        items += f"<li>{esc(w.text('codes.more', count=len(problems) - PROBLEMS_SHOWN))}</li>"
    heading = esc(w.text("codes.problems", count=len(problems)))
    return f'<div class="assess-warning"><p>{heading}</p><ul>{items}</ul></div>'


def skipped_html(skipped: int, w: Wording) -> str:
    """How many saved results the store could not read, when any."""
    if not skipped:
        return ""
    return f'<div class="assess-warning"><p>{esc(w.text("store.skipped", count=skipped))}</p></div>'


def overview_html(summary: CohortSummary, w: Wording) -> str:
    """The synthetic banner, the workshop code, the head count and, for a group too small to
    show anything else, why."""
    html = []
    if summary.synthetic:
        html.append(
            f'<p class="assess-synthetic" role="note"><b>{esc(w.label(SYNTHETIC_NOTE))}</b> — '
            f"{esc(w.text('synthetic.banner'))}</p>"
        )
    if summary.cohort:
        html.append(f"<p>{esc(w.text('cohort.shown', cohort=summary.cohort))}</p>")
    html.append(
        f'<p class="assess-participants">'
        f"{esc(w.text('participants', count=summary.participants))}</p>"
    )
    if summary.withheld is not None:
        html.append(
            f'<p class="assess-withheld">'
            f"{esc(w.text('too_small', reason=w.withheld(summary.withheld)))}</p>"
        )
    return "".join(html)


def scopes_intro_html(kind: str, w: Wording, *, min_group: int) -> str:
    k = min_group
    boxes = w.text(
        "boxes.explain", min_group=k, median_from=2 * k, box_from=4 * k, whiskers_from=10 * k
    )
    return f'<h2>{esc(w.text(f"{kind}.title"))}</h2><p class="assess-muted">{esc(boxes)}</p>'


def scopes_tables_html(scopes: Sequence[ScopeSummary], w: Wording) -> str:
    """What is withheld and why, then the band counts of every scope."""
    withheld = [
        w.text("withheld.item", label=w.label(scope.label), reason=w.withheld(scope.withheld))
        for scope in scopes
        if scope.withheld is not None
    ]
    note = (
        f'<p class="assess-withheld">{esc(w.text("withheld.heading"))}</p>'
        f"<ul>{''.join(f'<li>{esc(item)}</li>' for item in withheld)}</ul>"
        if withheld
        else ""
    )
    return note + _bands_html(scopes, w)


def _bands_html(scopes: Sequence[ScopeSummary], w: Wording) -> str:
    if not scopes:
        return ""
    heading = f"<h3>{esc(w.text('bands.title'))}</h3>"
    header_cells = "".join(f"<th>{esc(w.label(cell.label))}</th>" for cell in scopes[0].bands.cells)
    rows = []
    for scope in scopes:
        cells = "".join(_count_cell(scope.bands, cell, w) for cell in scope.bands.cells)
        rows.append(f"<tr><th>{esc(w.label(scope.label))}</th>{cells}</tr>")
    footnote = f'<p class="assess-muted">{esc(w.text("bands.footnote"))}</p>'
    return (
        f'{heading}<table class="assess-table"><thead><tr><th></th>{header_cells}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>{footnote}"
    )


def _count_cell(breakdown: Breakdown, cell: Cell, w: Wording) -> str:
    if cell.count is None:
        reason = esc(w.withheld(cell.withheld))
        return f'<td class="assess-withheld" title="{reason}">—</td>'
    share = breakdown.share(cell)
    return f"<td>{cell.count} ({share:.0f}%)</td>"


def weakest_html(summary: CohortSummary, w: Wording) -> str:
    heading = f"<h2>{esc(w.text('weakest.title'))}</h2>"
    if not summary.weakest:
        return heading + f"<p>{esc(w.text('weakest.none'))}</p>"
    items = []
    for scope in summary.weakest[:WEAKEST_SHOWN]:
        assert scope.distribution is not None
        key = "weakest.risk" if scope.higher_is == "risk" else "weakest.strength"
        items.append(
            f"<li><b>{esc(w.label(scope.label))}</b> — "
            f"{esc(w.text(key, mean=f'{scope.distribution.mean:.0f}'))}</li>"
        )
    explain = f'<p class="assess-muted">{esc(w.text("weakest.explain"))}</p>'
    return f"{heading}{explain}<ol>{''.join(items)}</ol>"


def survey_intro_html(survey: SurveyComparison, w: Wording) -> str:
    year = w.label(survey.round.label)
    explain = w.text("survey.explain", year=year, n=f"{survey.round.respondents:,}")
    return f"<h2>{esc(w.text('survey.title'))}</h2><p>{esc(explain)}</p>"


def survey_table_html(survey: SurveyComparison, w: Wording) -> str:
    """The room's answers beside the national survey's, then the source and its caveats."""
    rows = []
    for cell in survey.room.cells:
        national = survey.national_share(cell.key)
        rows.append(
            f"<tr><th>{esc(w.label(cell.label))}</th>"
            f"{_count_cell(survey.room, cell, w)}"
            f"<td>{'' if national is None else f'{national:.1f}%'}</td></tr>"
        )
    national_name = w.text("survey.national", year=w.label(survey.round.label))
    table = (
        f'<table class="assess-table"><thead><tr><th></th>'
        f"<th>{esc(w.text('survey.room'))}</th><th>{esc(national_name)}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    reference = survey.reference
    # The wording places the source's name; the name becomes the link to the source.
    marker = "\x00name\x00"
    cited = w.text(
        "survey.citation",
        source=w.text("survey.source"),
        name=marker,
        checked=w.text("survey.checked", date=w.date(reference.checked)),
    )
    link = (
        f'<a href="{esc(survey.round.source)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(w.label(reference.name))}</a>"
    )
    citation = (
        f'<p class="assess-source">{esc(cited).replace(marker, link)}</p>'
        f'<p class="assess-muted">{esc(w.label(reference.caveats))} '
        f"{esc(w.text('survey.caveat_room'))}</p>"
    )
    return table + citation


def alphas_html(summary: CohortSummary, w: Wording) -> str:
    heading = f"<h2>{esc(w.text('alphas.title'))}</h2>"
    explain = f'<p class="assess-muted">{esc(w.text("alphas.explain"))}</p>'
    rows = []
    for alpha in summary.alphas:
        value = (
            f"<td>{alpha.alpha:.2f}</td>"
            if alpha.alpha is not None
            else f'<td class="assess-withheld">{esc(w.withheld(alpha.withheld))}</td>'
        )
        rows.append(f"<tr><th>{esc(w.label(alpha.label))}</th><td>{alpha.items}</td>{value}</tr>")
    head = f"<thead><tr><th></th><th>{esc(w.text('alphas.items'))}</th><th>α</th></tr></thead>"
    body = "".join(rows)
    return f'{heading}{explain}<table class="assess-table">{head}<tbody>{body}</tbody></table>'


@dataclass(frozen=True, slots=True)
class CsvFile:
    """One table of the summary as a CSV file to download."""

    table: str
    filename: str
    content: bytes


def csv_files(summary: CohortSummary, language: str) -> list[CsvFile]:
    """Every table of the summary as a CSV file, labels in `language`."""
    label = summary.cohort or "cohort"
    safe_label = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:32]
    return [
        # A byte-order mark, so that spreadsheets read the Japanese labels as UTF-8.
        CsvFile(name, f"assess-{safe_label}-{name}.csv", ("\ufeff" + to_csv(frame)).encode())
        for name, frame in summary_frames(summary, language=language).items()
    ]


def downloads_html(files: Sequence[CsvFile], w: Wording) -> str:
    """The CSV files as data: links (no server file is written), named by their table."""
    links = []
    for file in files:
        payload = base64.b64encode(file.content).decode("ascii")
        links.append(
            f'<a class="assess-download" download="{esc(file.filename)}" '
            f'href="data:text/csv;base64,{payload}">{esc(w.text(f"download.{file.table}"))}</a>'
        )
    heading = f"<h2>{esc(w.text('download.title'))}</h2>"
    explain = f'<p class="assess-muted">{esc(w.text("download.explain"))}</p>'
    return f"{heading}{explain}<p>{' · '.join(links)}</p>"
