"""Take-aways of a result and its plan: Markdown, a standalone HTML page, calendar entries, JSON.

Each carries the whole result: both indices and every facet with its score, the plan with why
each step was chosen (quoting the answers given), the places to turn to for help (graded as on
the results page: lines to call now first when the answers call for them), and the result code
when one is given.  The title is the app's own, the same everywhere.

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
import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from assess.core.messages import Messages
from assess.core.model import LANGUAGES, Answers, Instrument, Result, Status, Text
from assess.core.planning import Plan, PlanStep, Reason
from assess.core.support import Support, SupportService
from assess.render.export import result_document

PLAN_FORMAT = "assess-plan/1"
UID_DOMAIN = "assess.invalid"
"""Calendar UIDs end in this reserved domain: they name no real host."""
PRODID = "-//assess//first-step plan 1//EN"

WEEK_OFFSETS = (2, 4, 6)
"""Days after the plan is made on which the week's steps go in the calendar (the last repeats)."""
MONTH_OFFSET = 21
"""Days after the plan is made on which the month's goal goes in the calendar."""

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
class ServiceView:
    """One place to turn to, as texts: name, how to reach it, hours, what it offers, checked."""

    name: str
    contact: str
    hours: str
    offers: str
    checked: str


@dataclass(frozen=True, slots=True)
class HelpView:
    """The help section: a box of lines to call now (when the answers call for it), then the
    rest of the places to turn to."""

    urgent_title: str | None
    urgent_text: str | None
    urgent: tuple[ServiceView, ...]
    title: str
    intro: str
    services: tuple[ServiceView, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    title: str
    meta: str
    steps: tuple[str, ...]
    why: str
    reason: str
    drivers: str | None


@dataclass(frozen=True, slots=True)
class _Section:
    heading: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True, slots=True)
class _Page:
    language: str
    title: str
    subtitle: str
    disclaimer: str
    indices_heading: str
    indices: tuple[_IndexView, ...]
    facets_heading: str
    facets: tuple[_FacetView, ...]
    plan_heading: str
    sections: tuple[_Section, ...]
    help: HelpView | None
    why_label: str
    reason_label: str
    check_in: str
    code_label: str
    code: str | None
    code_hint: str


def _page(
    instrument: Instrument,
    result: Result,
    plan: Plan,
    language: str,
    messages: Messages,
    result_code: str | None,
    support: Support | None,
) -> _Page:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
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
        if facet_score.status is Status.UNSCORED or facet_score.percent is None or facet_score.band is None:
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
        language=language,
        title=say("app.title"),
        subtitle=made_on,
        disclaimer=say("disclaimer"),
        indices_heading=say("results.indices"),
        indices=tuple(indices),
        facets_heading=say("results.facets"),
        facets=tuple(facets),
        plan_heading=say("plan.title"),
        sections=sections,
        help=None if support is None else help_view(support, language, messages),
        why_label=say("takeaways.label", label=say("plan.why")),
        reason_label=say("takeaways.label", label=say("plan.chosen_because")),
        check_in=say("plan.check_in", date=format_date(plan.check_in, language, messages)),
        code_label=say("takeaways.label", label=say("takeaways.result_code")),
        code=result_code,
        code_hint=say("takeaways.result_code_hint"),
    )


def help_view(support: Support, language: str, messages: Messages) -> HelpView:
    """The help section in `language`: the prominent lines first when the level calls for them."""

    def say(key: str, /, **values: object) -> str:
        return messages.text(key, language, **values)

    urgent = tuple(service_view(s, language, messages) for s in support.prominent)
    rest = tuple(service_view(s, language, messages) for s in (*support.practical, *support.quiet))
    prominent = support.level == "prominent"
    return HelpView(
        urgent_title=say("help.urgent_title") if prominent else None,
        urgent_text=say("help.urgent") if prominent else None,
        urgent=urgent,
        title=say("help.more") if prominent else say("help.title"),
        intro=say("help.practical") if support.practical else say("help.quiet"),
        services=rest,
    )


def service_view(service: SupportService, language: str, messages: Messages) -> ServiceView:
    """A service as texts; its site written without the scheme, so that a printed page can be
    typed in and the standalone page links to nothing."""
    contact = []
    if service.phone:
        contact.append(
            messages.text(
                "help.phone_free" if service.free else "help.phone", language, phone=service.phone
            )
        )
    if service.url:
        contact.append(service.url.removeprefix("https://").rstrip("/"))
    return ServiceView(
        name=service.name.in_language(language),
        contact=messages.text("takeaways.separator", language).join(contact),
        hours=service.hours.in_language(language),
        offers=service.offers.in_language(language),
        checked=messages.text(
            "help.checked", language, date=format_date(service.checked, language, messages)
        ),
    )


def step_view(
    instrument: Instrument, step: PlanStep, language: str, messages: Messages
) -> StepView:
    """One plan step as texts in `language`, ready for any format (also the app's results page)."""
    action = step.action
    summary, drivers = _reason(instrument, step.reason, language, messages)
    return StepView(
        title=action.title.in_language(language),
        meta=_meta(step, language, messages),
        steps=tuple(text.in_language(language) for text in step.steps),
        why=action.why.in_language(language),
        reason=summary,
        drivers=drivers,
    )


def _meta(step: PlanStep, language: str, messages: Messages) -> str:
    return messages.text(
        "takeaways.step_meta",
        language,
        minutes=messages.text("plan.minutes", language, minutes=step.action.minutes),
        mode=messages.text(f"mode.{step.action.mode}", language),
    )


def _reason(
    instrument: Instrument, reason: Reason, language: str, messages: Messages
) -> tuple[str, str | None]:
    """Why a step was chosen: the facet and how it came out, then the answers that drove it, each
    quoted with the answer given, so that the direction is plain even for a reverse-keyed
    statement ("I have been to a cross-industry meetup": "Not at all true of me")."""
    summary = _reason_summary(reason, language, messages)
    quotes = [
        quote
        for item_id, value in zip(reason.drivers, reason.answers, strict=False)
        if (quote := answered(instrument, item_id, value, language, messages)) is not None
    ]
    if not quotes:
        return summary, None
    items = messages.text("takeaways.separator", language).join(quotes)
    return summary, messages.text("reason.drivers", language, items=items)


def answered(
    instrument: Instrument, item_id: str, value: int, language: str, messages: Messages
) -> str | None:
    """The statement (or question) with the answer chosen, or None when either is unknown.

    >>> from assess import default_instrument
    >>> from assess.datafiles.messages import default_messages
    >>> answered(default_instrument(), "breadth_2", 1, "ja", default_messages())[:12]
    '「この1年の間に、異業種交流'
    """
    try:
        item = instrument.item(item_id)
        answer = item.scale.option(value).label.in_language(language)
    except KeyError:
        return None
    statement = item.text.in_language(language).strip().rstrip("。.")
    return messages.text("takeaways.answered", language, statement=statement, answer=answer)


def format_date(day: datetime.date, language: str, messages: Messages) -> str:
    """A date as people write it in the language (ISO 8601 in English).

    >>> from assess.datafiles.messages import default_messages
    >>> format_date(datetime.date(2026, 12, 4), "ja", default_messages())
    '2026年12月4日'
    """
    return messages.text("takeaways.date", language, year=day.year, month=day.month, day=day.day)


# --- Markdown -------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]|~#!])")
_MD_LINE_START = re.compile(r"^([-+=]|(\d+)([.)]))")


def escape_markdown(text: str) -> str:
    r"""Text that Markdown shows as written: no raw HTML, no emphasis, links, lists or headings.

    >>> escape_markdown("<b>1. *Hi* & [x](y)</b>")
    '&lt;b&gt;1. \\*Hi\\* &amp; \\[x\\](y)&lt;/b&gt;'
    >>> escape_markdown("- not a list")
    '\\- not a list'
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
    instrument: Instrument,
    result: Result,
    plan: Plan,
    *,
    language: str,
    messages: Messages,
    result_code: str | None = None,
    support: Support | None = None,
) -> str:
    """The result (indices and facets), the plan and the help lines as Markdown (CommonMark), in
    `language`."""
    page = _page(instrument, result, plan, language, messages, result_code, support)
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
            lines += [md(messages.text("takeaways.index_unscored", language)), ""]
        else:
            lines += [f"**{md(index.score)}**", "", md(index.explanation or ""), ""]
        lines += [f"*{md(index.reading)}*", ""]
    lines += [f"## {md(page.facets_heading)}", ""]
    for index_label in dict.fromkeys(f.index for f in page.facets):
        lines += [f"### {md(index_label)}", ""]
        lines += [f"- {md(f.line)}" for f in page.facets if f.index == index_label] + [""]
    lines += [f"## {md(page.plan_heading)}", ""]
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
    instrument: Instrument,
    result: Result,
    plan: Plan,
    *,
    language: str,
    messages: Messages,
    result_code: str | None = None,
    support: Support | None = None,
) -> str:
    """A standalone HTML5 page of the result, the plan and the help lines: no scripts, fonts,
    images or links, so that it opens offline and requests nothing from anywhere; it prints
    whole (indices, facets, plan, help lines, result code)."""
    page = _page(instrument, result, plan, language, messages, result_code, support)

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    out = [
        "<!doctype html>",
        f'<html lang="{e(page.language)}">',
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
            out.append(f"<p>{e(messages.text('takeaways.index_unscored', language))}</p>")
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
    out += ["</section>", f"<h2>{e(page.plan_heading)}</h2>"]
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


# --- calendar -------------------------------------------------------------------------------------


def schedule(plan: Plan) -> tuple[tuple[PlanStep, datetime.date], ...]:
    """The day each step goes in the calendar: today's step on the day the plan is made, the
    week's steps two, four and six days later, the month's goal three weeks later."""
    made_on = plan.made_on
    days: list[tuple[PlanStep, datetime.date]] = [(plan.today, made_on)]
    for number, step in enumerate(plan.week):
        offset = WEEK_OFFSETS[min(number, len(WEEK_OFFSETS) - 1)]
        days.append((step, made_on + datetime.timedelta(days=offset)))
    days.append((plan.month, made_on + datetime.timedelta(days=MONTH_OFFSET)))
    return tuple(days)


def plan_ics(plan: Plan, *, language: str, messages: Messages) -> bytes:
    """The plan as an iCalendar file (RFC 5545): one all-day event per step and one to check in.

    The same plan always gives the same bytes: UIDs come from the action and its day, DTSTAMP
    from the day the plan was made, so importing it again updates the events instead of doubling
    them.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")

    def say(key: str, /, **values: object) -> str:
        return messages.text(key, language, **values)

    stamp = datetime.datetime.combine(plan.made_on, datetime.time(0, 0), tzinfo=datetime.UTC)
    why = say("takeaways.label", label=say("plan.why"))
    chosen = say("takeaways.label", label=say("plan.chosen_because"))
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{_ics_text(PRODID)}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(say('takeaways.calendar_name'))}",
    ]
    for step, day in schedule(plan):
        # Without an instrument, the drivers stay as ids; the reason's summary says the facet.
        summary = _reason_summary(step.reason, language, messages)
        description = "\n".join(
            [
                _meta(step, language, messages),
                "",
                *(f"{n}. {text.in_language(language)}" for n, text in enumerate(step.steps, 1)),
                "",
                f"{why} {step.action.why.in_language(language)}",
                "",
                f"{chosen} {summary}",
            ]
        )
        lines += _event(
            _uid(step.action.id, day),
            stamp,
            day,
            step.action.title.in_language(language),
            description,
        )
    lines += _event(
        _uid("check-in", plan.check_in),
        stamp,
        plan.check_in,
        messages.text("takeaways.check_in_summary", language),
        say("plan.check_in", date=format_date(plan.check_in, language, messages)),
    )
    lines.append("END:VCALENDAR")
    return b"".join(_ics_fold(line) for line in lines)


def _reason_summary(reason: Reason, language: str, messages: Messages) -> str:
    return messages.text(
        "reason.maintenance" if reason.maintenance else "reason.weak",
        language,
        facet=reason.facet_label.in_language(language),
        band=reason.band.label.in_language(language) if reason.band is not None else "—",
        score="—" if reason.percent is None else round(reason.percent),
    )


def _event(
    uid: str, stamp: datetime.datetime, day: datetime.date, summary: str, description: str
) -> list[str]:
    """One all-day event: free time (TRANSP), ending the day after it starts (RFC 5545 §3.6.1)."""
    return [
        "BEGIN:VEVENT",
        f"UID:{_ics_text(uid)}",
        f"DTSTAMP:{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(summary)}",
        f"DESCRIPTION:{_ics_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _ics_text(value: str) -> str:
    r"""A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped.

    >>> _ics_text("Call, then write; done\\ok\nnext")
    'Call\\, then write\\; done\\\\ok\\nnext'
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> bytes:
    """A content line as UTF-8, folded before 75 octets with CRLF and a space (§3.1), never
    inside a character: Japanese text takes three octets a character."""
    out = bytearray()
    width = 0
    limit = 75
    for character in line:
        encoded = character.encode("utf-8")
        if width + len(encoded) > limit:
            out += b"\r\n "
            width = 1  # the space that continues the line counts
        out += encoded
        width += len(encoded)
    return bytes(out) + b"\r\n"


def _uid(key: str, day: datetime.date) -> str:
    """A UID that is the same every time for this key and day, e.g. ``call_a_peer-20261128``."""
    safe = key if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", key) else _short_hash(key)
    return f"{safe}-{day:%Y%m%d}@{UID_DOMAIN}"


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


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
) -> str:
    """The result document of :mod:`assess.render.export` with the plan (and the result code,
    and the help lines) added, as UTF-8 text: Japanese stays readable, never ``\\u`` escapes."""
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
    return json.dumps(document, ensure_ascii=False, indent=2)


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
    return {language: text.in_language(language) for language in LANGUAGES}


__all__ = (
    "PLAN_FORMAT",
    "answered",
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
    "support_document",
)
