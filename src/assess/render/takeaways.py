"""Take-aways of a result and its plan: Markdown, a standalone HTML page, calendar entries, JSON.

The calendar lives in :mod:`assess.render.calendar` and the texts every format shares in
:mod:`assess.render.views`; Markdown and HTML stay here together (a long module, for that reason)
because they render one page view and must say the same thing.  Each carries the whole result: both
indices and every facet with its score, the plan with why each step was chosen (quoting the answers
given), the places to turn to for help (graded as on the results page: lines to call now first when
the answers call for them), and the result code when one is given.  The title is the app's own, the
same everywhere.

Every function here is pure: data in, text or bytes out; dates come in as parameters.  They work
in any setting (Binder and Voilà included), since nothing is read from or written to a server.

The Markdown and HTML share one view of the page, built in the person's language, so that both
say the same thing; each escapes every text that comes from data or a person on the way out.

>>> import datetime
>>> from assess import Answers, default_instrument, score
>>> from assess.datafiles.messages import default_messages
>>> from assess.core.model import Action, ActionCatalogue, Text
>>> from assess.core.planning import make_plan
>>> instrument = default_instrument()
>>> answers = Answers({item.id: item.scale.values[0] for item in instrument.items})
>>> result = score(instrument, answers)
>>> everywhere = ("urban", "suburban", "rural")
>>> catalogue = ActionCatalogue("demo", "1", tuple(
...     Action(f"{facet.id}_{horizon}", (facet.id,), "either", minutes, horizon, ("any",),
...            everywhere, Text("一歩", "A step"), (Text("やる", "Do it"),),
...            Text("効く", "It helps"))
...     for facet in instrument.facets
...     for horizon, minutes in (("today", 10), ("week", 30), ("month", 60))))
>>> plan = make_plan(instrument, result, answers, catalogue, today=datetime.date(2026, 11, 26))
>>> text = plan_markdown(instrument, result, plan, language="en", messages=default_messages())
>>> text.splitlines()[0]
'# Freelance Connection Self-Check'
>>> b"BEGIN:VCALENDAR" in plan_ics(plan, language="en", messages=default_messages())
True
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from assess.core.messages import Messages
from assess.core.model import Answers, Instrument, Result, Status, Text
from assess.core.planning import Plan, PlanStep, Profile
from assess.core.support import Support, SupportService
from assess.render.calendar import PRODID, plan_ics, schedule
from assess.render.export import json_text, result_document
from assess.render.since import Earlier, SinceView, since_document, since_html, since_view
from assess.render.views import (
    HelpView,
    ServiceView,
    StepView,
    answered,
    format_date,
    help_view,
    service_view,
    step_view,
)

PLAN_FORMAT = "assess-plan/1"

_CODE = re.compile(r"[A-Za-z0-9_-]+")


# --- the view both documents render ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _IndexView:
    label: str
    score: str | None
    explanation: str | None
    reading: str


@dataclass(frozen=True, slots=True)
class _FacetView:
    index: str
    line: str


@dataclass(frozen=True, slots=True)
class _Section:
    heading: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True, slots=True)
class _Page:
    html_lang: str
    title: str
    subtitle: str
    disclaimer: str
    indices_heading: str
    indices: tuple[_IndexView, ...]
    index_unscored: str
    """Said in place of an index's score when it has none."""
    facets_heading: str
    facets: tuple[_FacetView, ...]
    plan_heading: str
    assumption: str | None
    """What the plan assumed for a question skipped (the time a week), said above its steps."""
    sections: tuple[_Section, ...]
    help: HelpView | None
    why_label: str
    reason_label: str
    check_in: str
    code_label: str
    code: str | None
    code_hint: str
    since: SinceView | None = None


class PageOptions(TypedDict, total=False):
    """What the Markdown and the HTML take-away are made from besides the result and its plan:
    the person's `language` and the `messages` to say it in (both needed); the `result_code` to
    print, the `support` directory's help lines, the `answers` (to say what the plan assumed for
    a question they skipped) and an `earlier` result (for the change since), each when given."""

    language: Required[str]
    messages: Required[Messages]
    result_code: str | None
    support: Support | None
    answers: Answers | None
    earlier: Earlier | None


def _page(
    instrument: Instrument,
    result: Result,
    plan: Plan,
    *,
    language: str,
    messages: Messages,
    result_code: str | None = None,
    support: Support | None = None,
    answers: Answers | None = None,
    earlier: Earlier | None = None,
) -> _Page:
    messages.languages.require(language)
    if result_code is not None and not _CODE.fullmatch(result_code):
        raise ValueError("result_code must be a result code (letters, digits, '-' and '_')")

    def say(key: str, /, **values: object) -> str:
        return messages.text(key, language, **values)

    made_on = say("export.generated", date=format_date(plan.made_on, language, messages))
    indices = []
    for scored in result.indices:
        index = instrument.index(scored.index_id)
        reading = say(f"takeaways.higher_is.{index.higher_is}")
        if scored.status is Status.UNSCORED or scored.percent is None or scored.band is None:
            indices.append(_IndexView(index.label.in_language(language), None, None, reading))
            continue
        indices.append(
            _IndexView(
                label=index.label.in_language(language),
                score=say(
                    "takeaways.index_score",
                    band=scored.band.label.in_language(language),
                    score=round(scored.percent),
                ),
                explanation=scored.band.explanation.in_language(language),
                reading=reading,
            )
        )
    facets = []
    for facet in instrument.facets:
        facet_score = result.facet(facet.id)
        label = facet.label.in_language(language)
        if (
            facet_score.status is Status.UNSCORED
            or facet_score.percent is None
            or facet_score.band is None
        ):
            line = say("takeaways.facet_unscored", facet=label)
        else:
            line = say(
                "takeaways.facet_score",
                facet=label,
                band=facet_score.band.label.in_language(language),
                score=round(facet_score.percent),
            )
        facets.append(_FacetView(instrument.index(facet.index).label.in_language(language), line))
    sections = (
        _Section(say("plan.today"), (step_view(instrument, plan.today, language, messages),)),
        _Section(
            say("plan.week"),
            tuple(step_view(instrument, step, language, messages) for step in plan.week),
        ),
        _Section(say("plan.month"), (step_view(instrument, plan.month, language, messages),)),
    )
    return _Page(
        html_lang=messages.languages[language].html_lang,
        title=say("app.title"),
        subtitle=made_on,
        disclaimer=say("disclaimer"),
        indices_heading=say("results.indices"),
        indices=tuple(indices),
        index_unscored=say("takeaways.index_unscored"),
        facets_heading=say("results.facets"),
        facets=tuple(facets),
        plan_heading=say("plan.title"),
        assumption=None
        if answers is None
        else assumed_hours(instrument, answers, language=language, messages=messages),
        sections=sections,
        help=None if support is None else help_view(support, language, messages),
        why_label=say("takeaways.label", label=say("plan.why")),
        reason_label=say("takeaways.label", label=say("plan.chosen_because")),
        check_in=say("plan.check_in", date=format_date(plan.check_in, language, messages)),
        code_label=say("takeaways.label", label=say("takeaways.result_code")),
        code=result_code,
        code_hint=say("takeaways.result_code_hint"),
        since=None
        if earlier is None
        else since_view(instrument, earlier, result, messages, language),
    )


def assumed_hours(
    instrument: Instrument, answers: Answers, *, language: str, messages: Messages
) -> str | None:
    """What a skipped "time a week" question cost, said with the plan: the time the plan assumed
    instead (the planner's own default, named by the profile question's option), or None when
    the person said how much time they have."""
    planned = Profile.from_answers(answers).hours
    if planned == answers.profile.get("hours"):
        return None
    labels = {
        option.code: option.label
        for question in instrument.profile
        if question.id == "hours"
        for option in question.options
    }
    if planned not in labels:  # an instrument without the question: nothing was asked
        return None
    return messages.text(
        "plan.hours_assumed", language, hours=labels[planned].in_language(language)
    )


# --- Markdown -------------------------------------------------------------------------------------

# "#" makes a heading only at the start of a line and followed by a space: elsewhere it stays as
# written, so that a file read as text shows 「#いのちSOS」, not 「\#いのちSOS」.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~!])")
_MD_LINE_START = re.compile(r"^([-+=]|#{1,6}(?=\s|$)|(\d+)([.)]))")


def escape_markdown(text: str) -> str:
    r"""Text that Markdown shows as written: no raw HTML, no emphasis, links, lists or headings.

    >>> escape_markdown("<b>1. *Hi* & [x](y)</b>")
    '&lt;b&gt;1. \\*Hi\\* &amp; \\[x\\](y)&lt;/b&gt;'
    >>> escape_markdown("- not a list")
    '\\- not a list'
    >>> escape_markdown("#いのちSOS"), escape_markdown("# a heading")
    ('#いのちSOS', '\\# a heading')
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)

    def line_start(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return f"{match.group(2)}\\{match.group(3)}"
        return "\\" + match.group(1)

    return _MD_LINE_START.sub(line_start, text, count=1)


def plan_markdown(
    instrument: Instrument, result: Result, plan: Plan, **options: Unpack[PageOptions]
) -> str:
    """The result (indices and facets), the plan and the help lines as Markdown (CommonMark), in
    `language`; given the `answers`, what the plan assumed for a question they skipped; given an
    `earlier` result, the change since then."""
    page = _page(instrument, result, plan, **options)
    md = escape_markdown
    lines = [
        f"# {md(page.title)}",
        "",
        md(page.subtitle),
        "",
        f"> {md(page.disclaimer)}",
        "",
    ]
    if page.help is not None and page.help.urgent_title is not None:
        lines += [f"## {md(page.help.urgent_title)}", "", md(page.help.urgent_text or ""), ""]
        lines += [_service_markdown(s) for s in page.help.urgent] + [""]
    lines += [f"## {md(page.indices_heading)}", ""]
    for index in page.indices:
        lines += [f"### {md(index.label)}", ""]
        if index.score is None:
            lines += [md(page.index_unscored), ""]
        else:
            lines += [f"**{md(index.score)}**", "", md(index.explanation or ""), ""]
        lines += [f"*{md(index.reading)}*", ""]
    lines += [f"## {md(page.facets_heading)}", ""]
    for index_label in dict.fromkeys(f.index for f in page.facets):
        lines += [f"### {md(index_label)}", ""]
        lines += [f"- {md(f.line)}" for f in page.facets if f.index == index_label] + [""]
    if page.since is not None:
        since = page.since
        lines += [f"## {md(since.title)}", "", md(since.intro), ""]
        lines += [f"{'  ' if line.facet else ''}- {md(line.text)}" for line in since.lines]
        lines += [""] + [line for text in since.noise for line in (md(text), "")]
        if since.steps:
            lines += [f"### {md(since.steps_title)}", ""]
            lines += [f"- {md(step)}" for step in since.steps] + [""]
    lines += [f"## {md(page.plan_heading)}", ""]
    if page.assumption is not None:
        lines += [md(page.assumption), ""]
    for section in page.sections:
        lines += [f"### {md(section.heading)}", ""]
        for step in section.steps:
            lines += [f"#### {md(step.title)}", "", md(step.meta), ""]
            lines += [f"{number}. {md(text)}" for number, text in enumerate(step.steps, 1)]
            lines += ["", f"**{md(page.why_label)}** {md(step.why)}", ""]
            lines += [f"**{md(page.reason_label)}** {md(step.reason)}", ""]
            if step.drivers is not None:
                lines += [md(step.drivers), ""]
    lines += [md(page.check_in), ""]
    if page.help is not None:
        lines += [f"## {md(page.help.title)}", "", md(page.help.intro), ""]
        lines += [_service_markdown(s) for s in page.help.services] + [""]
    lines += ["---", ""]
    if page.code is not None:
        lines += [f"**{md(page.code_label)}** `{page.code}`", "", md(page.code_hint), ""]
    return "\n".join(lines)


def _service_markdown(service: ServiceView) -> str:
    md = escape_markdown
    parts = [f"**{md(service.name)}**", md(service.contact), md(service.hours)]
    detail = " · ".join(p for p in parts if p)
    return f"- {detail}  \n  {md(service.offers)} *{md(service.checked)}*"


# --- HTML -----------------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.6; }
body { margin: 0 auto; max-width: 42rem; padding: 1rem 1.25rem 3rem; }
h1 { line-height: 1.25; margin-bottom: 0.25rem; }
.subtitle, .meta, .reading { opacity: 0.75; }
.disclaimer { border-left: 4px solid #c60; padding: 0.5rem 1rem; background: #c601; }
.index, .step { border: 1px solid #8886; border-radius: 0.5rem; padding: 0 1rem; margin: 1rem 0; }
.score { font-weight: bold; font-size: 1.1rem; }
code { font-size: 1.05rem; word-break: break-all; }
.help-urgent { border: 3px solid #a40; border-radius: 0.5rem; padding: 0 1rem; margin: 1rem 0; }
.help li { margin: 0.5rem 0; }
@page { margin: 15mm; }
@media print {
  :root { color-scheme: light; font-size: 11pt; }
  body { max-width: none; padding: 0; }
  .index, .step, .help li { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .help-urgent { border-color: #000; }
}
""".strip()


def plan_html(
    instrument: Instrument, result: Result, plan: Plan, **options: Unpack[PageOptions]
) -> str:
    """A standalone HTML5 page of the result, the plan and the help lines: no scripts, fonts,
    images or links, so that it opens offline and requests nothing from anywhere; it prints
    whole (indices, facets, plan, help lines, result code).  Given the `answers`, it says what
    the plan assumed for a question they skipped; given an `earlier` result, the change since."""
    page = _page(instrument, result, plan, **options)

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    out = [
        "<!doctype html>",
        f'<html lang="{e(page.html_lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(page.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(page.title)}</h1>",
        f'<p class="subtitle">{e(page.subtitle)}</p>',
        f'<p class="disclaimer" role="note">{e(page.disclaimer)}</p>',
        "</header>",
        "<main>",
    ]
    if page.help is not None and page.help.urgent_title is not None:
        out += [
            '<section class="help help-urgent">',
            f"<h2>{e(page.help.urgent_title)}</h2>",
            f"<p>{e(page.help.urgent_text or '')}</p>",
            "<ul>",
            *(_service_html(s) for s in page.help.urgent),
            "</ul>",
            "</section>",
        ]
    out += ["<section>", f"<h2>{e(page.indices_heading)}</h2>"]
    for index in page.indices:
        out += ['<div class="index">', f"<h3>{e(index.label)}</h3>"]
        if index.score is None:
            out.append(f"<p>{e(page.index_unscored)}</p>")
        else:
            out += [
                f'<p class="score">{e(index.score)}</p>',
                f"<p>{e(index.explanation or '')}</p>",
            ]
        out += [f'<p class="reading">{e(index.reading)}</p>', "</div>"]
    out.append("</section>")
    out += ["<section>", f"<h2>{e(page.facets_heading)}</h2>"]
    for index_label in dict.fromkeys(f.index for f in page.facets):
        out += [f"<h3>{e(index_label)}</h3>", '<ul class="facets">']
        out += [f"<li>{e(f.line)}</li>" for f in page.facets if f.index == index_label]
        out.append("</ul>")
    out.append("</section>")
    if page.since is not None:
        out.append(since_html(page.since))
    out.append(f"<h2>{e(page.plan_heading)}</h2>")
    if page.assumption is not None:
        out.append(f'<p class="assumption">{e(page.assumption)}</p>')
    for section in page.sections:
        out += ["<section>", f"<h3>{e(section.heading)}</h3>"]
        for step in section.steps:
            out += [
                '<article class="step">',
                f"<h4>{e(step.title)}</h4>",
                f'<p class="meta">{e(step.meta)}</p>',
                "<ol>",
                *(f"<li>{e(text)}</li>" for text in step.steps),
                "</ol>",
                f"<p><strong>{e(page.why_label)}</strong> {e(step.why)}</p>",
                f"<p><strong>{e(page.reason_label)}</strong> {e(step.reason)}</p>",
            ]
            if step.drivers is not None:
                out.append(f"<p>{e(step.drivers)}</p>")
            out.append("</article>")
        out.append("</section>")
    out.append(f"<p>{e(page.check_in)}</p>")
    if page.help is not None:
        out += [
            '<section class="help">',
            f"<h2>{e(page.help.title)}</h2>",
            f"<p>{e(page.help.intro)}</p>",
            "<ul>",
            *(_service_html(s) for s in page.help.services),
            "</ul>",
            "</section>",
        ]
    out += ["</main>", "<footer>"]
    if page.code is not None:
        out += [
            f"<p><strong>{e(page.code_label)}</strong> <code>{e(page.code)}</code></p>",
            f"<p>{e(page.code_hint)}</p>",
        ]
    out += ["</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _service_html(service: ServiceView) -> str:
    e = html.escape
    contact = f" · {e(service.contact)}" if service.contact else ""
    return (
        f"<li><strong>{e(service.name)}</strong>{contact} · {e(service.hours)}<br>"
        f'{e(service.offers)} <span class="meta">{e(service.checked)}</span></li>'
    )


# --- JSON -----------------------------------------------------------------------------------------


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as a versioned JSON-ready mapping, texts in both languages."""
    return {
        "format": PLAN_FORMAT,
        "made_on": plan.made_on.isoformat(),
        "check_in": plan.check_in.isoformat(),
        "focus": list(plan.focus),
        "steps": [_step_document(step, day) for step, day in schedule(plan)],
    }


def _step_document(step: PlanStep, day: datetime.date) -> dict[str, Any]:
    action = step.action
    reason = step.reason
    return {
        "horizon": step.horizon,
        "date": day.isoformat(),
        "action": action.id,
        "title": _both(action.title),
        "minutes": action.minutes,
        "sessions": action.sessions,
        "mode": action.mode,
        "facets": list(action.facets),
        "steps": [_both(text) for text in step.steps],
        "why": _both(action.why),
        "reason": {
            "facet": reason.facet_id,
            "label": _both(reason.facet_label),
            "band": None
            if reason.band is None
            else {"id": reason.band.id, "label": _both(reason.band.label)},
            "percent": None if reason.percent is None else round(reason.percent, 4),
            "need": round(reason.need, 4),
            "drivers": list(reason.drivers),
            "answers": list(reason.answers),
            "maintenance": reason.maintenance,
        },
    }


def plan_json(
    instrument: Instrument,
    answers: Answers,
    result: Result,
    plan: Plan,
    *,
    taken_on: datetime.date | None = None,
    result_code: str | None = None,
    disclaimer: Text | None = None,
    support: Support | None = None,
    earlier: Earlier | None = None,
) -> str:
    """The result document of :mod:`assess.render.export` with the plan (and the result code,
    the help lines, and the change since an `earlier` result) added, as UTF-8 text: Japanese
    stays readable, never ``\\u`` escapes."""
    document = result_document(
        instrument,
        answers,
        result,
        taken_on=None if taken_on is None else taken_on.isoformat(),
        disclaimer=disclaimer,
    )
    document["plan"] = plan_document(plan)
    if result_code is not None:
        document["code"] = result_code
    if support is not None:
        document["support"] = support_document(support)
    if earlier is not None:
        document["since"] = since_document(instrument, earlier, result)
    return json_text(document)


def support_document(support: Support) -> dict[str, Any]:
    """The help lines shown with this result, in order, texts in both languages."""

    def service(entry: SupportService) -> dict[str, Any]:
        return {
            "id": entry.id,
            "name": _both(entry.name),
            "phone": entry.phone,
            "free": entry.free,
            "url": entry.url,
            "hours": _both(entry.hours),
            "offers": _both(entry.offers),
            "checked": entry.checked.isoformat(),
        }

    return {
        "level": support.level,
        "prominent": [service(s) for s in support.prominent],
        "practical": [service(s) for s in support.practical],
        "quiet": [service(s) for s in support.quiet],
    }


def _both(text: Text) -> dict[str, str]:
    """The text in every language of the build, as the data gave it."""
    return text.by_language


__all__ = (
    "PLAN_FORMAT",
    "PRODID",
    "StepView",
    "answered",
    "assumed_hours",
    "escape_markdown",
    "format_date",
    "help_view",
    "plan_document",
    "plan_html",
    "plan_ics",
    "plan_json",
    "plan_markdown",
    "schedule",
    "service_view",
    "step_view",
    "support_document",
)
