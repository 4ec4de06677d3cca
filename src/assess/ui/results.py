"""HTML fragments of the results page: pure functions from a result (and plan) to markup.

Every text that comes from data or from the person is escaped.  No scripts, no outside URLs but
the support services' official sites (links the person chooses to follow).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from assess.core.messages import Messages
from assess.core.model import (
    Answers,
    FacetScore,
    IndexScore,
    Instrument,
    MissingRule,
    Result,
    Status,
)
from assess.core.planning import Plan, PlanStep
from assess.core.reference import Reference, Standing
from assess.core.support import SupportDirectory, SupportService
from assess.render.takeaways import StepView, format_date, step_view
from assess.ui.components import esc
from assess.ui.wording import colon, quoted_names, score_with_band


@dataclass(frozen=True, slots=True)
class Download:
    """A file the person can save: built in the kernel, handed over as a data: link."""

    label: str
    filename: str
    media_type: str
    content: bytes

    def link(self) -> str:
        payload = base64.b64encode(self.content).decode("ascii")
        return (
            f'<a class="assess-download" download="{esc(self.filename)}" '
            f'href="data:{esc(self.media_type)};base64,{payload}">{esc(self.label)}</a>'
        )


def disclaimer_html(messages: Messages, language: str) -> str:
    return f'<p class="assess-disclaimer">{esc(messages.text("disclaimer", language))}</p>'


def standing_html(instrument: Instrument, result: Result, messages: Messages, language: str) -> str:
    """Where the person stands, one line per index (its band and score, or that it could not be
    scored): the first thing the results say, before the details."""
    lines = []
    for index in instrument.indices:
        score = result.index(index.id)
        label = index.label.in_language(language)
        if score.status is Status.UNSCORED or score.percent is None or score.band is None:
            line = messages.text("takeaways.facet_unscored", language, facet=label)
        else:
            band = score.band.label.in_language(language)
            line = messages.text(
                "takeaways.facet_score",
                language,
                facet=label,
                band=band,
                score=round(score.percent),
            )
        lines.append(f"<li>{esc(line)}</li>")
    heading = esc(messages.text("results.standing_title", language))
    return f'<h2>{heading}</h2><ul class="assess-standing">{"".join(lines)}</ul>'


def today_html(plan: Plan | None, instrument: Instrument, messages: Messages, language: str) -> str:
    """Today's step, said first: its title, minutes and way of doing it (the whole plan, with
    why each step was chosen, follows further down)."""
    heading = f"<h2>{esc(messages.text('results.today_title', language))}</h2>"
    if plan is None:
        return heading + f"<p>{esc(messages.text('plan.none', language))}</p>"
    view = step_view(instrument, plan.today, language, messages)
    return (
        f'{heading}<p class="assess-today"><b>{esc(view.title)}</b><br>'
        f'<span class="assess-muted">{esc(view.meta)}</span></p>'
    )


def indices_html(instrument: Instrument, result: Result, messages: Messages, language: str) -> str:
    """Both indices: score, band and what the band means, or why there is no score."""
    cards = []
    for index in instrument.indices:
        score = result.index(index.id)
        label = esc(index.label.in_language(language))
        if score.status is Status.UNSCORED or score.percent is None or score.band is None:
            reason = index_unscored_reason(instrument, score, messages, language)
            body = f"<p>{esc(reason)}</p>"
            headline = "—"
        else:
            headline = (
                f'<span class="assess-score">{score.percent:.0f}</span>'
                f'<span class="assess-of">/100</span> '
                f'<span class="assess-band assess-band-{esc(score.band.id)}">'
                f"{esc(score.band.label.in_language(language))}</span>"
            )
            body = f"<p>{esc(score.band.explanation.in_language(language))}</p>"
        description = esc(index.description.in_language(language))
        cards.append(
            f'<section class="assess-card" aria-label="{label}"><h3>{label}</h3>'
            f'<p class="assess-headline">{headline}</p><p class="assess-muted">{description}</p>'
            f"{body}</section>"
        )
    heading = esc(messages.text("results.indices", language))
    return f"<h2>{heading}</h2>" + "".join(cards)


def facets_html(
    instrument: Instrument, result: Result, answers: Answers, messages: Messages, language: str
) -> str:
    """For each facet: what it means, how it came out and the answers that drove it."""
    parts = [f"<h2>{esc(messages.text('results.facets', language))}</h2>"]
    writing = messages.languages[language]
    for index in instrument.indices:
        parts.append(f"<h3>{esc(index.label.in_language(language))}</h3>")
        for facet in instrument.facets_of(index.id):
            score = result.facet(facet.id)
            name = esc(facet.label.in_language(language))
            if score.status is Status.UNSCORED or score.percent is None:
                status = esc(facet_unscored_reason(instrument, score, messages, language))
                parts.append(
                    f'<details class="assess-facet"><summary>{name}'
                    f"{esc(messages.text('results.unscored_join', language))}{status}</summary>"
                )
            else:
                band = esc(score.band.label.in_language(language)) if score.band else ""
                shown = score_with_band(f"<b>{score.percent:.0f}</b>", band, language, messages)
                parts.append(
                    f'<details class="assess-facet"><summary>{name}{colon(writing)}{shown}'
                    "</summary>"
                )
            parts.append(f"<p>{esc(facet.description.in_language(language))}</p>")
            drivers = _driver_lines(
                instrument, score.contributions[:3], answers, language, messages
            )
            if drivers:
                title = esc(messages.text("results.drivers", language))
                parts.append(f"<p>{title}</p><ul>{drivers}</ul>")
            parts.append("</details>")
    return "".join(parts)


def facet_unscored_reason(
    instrument: Instrument, score: FacetScore, messages: Messages, language: str
) -> str:
    """Why a facet has no score, in the person's language: the scorer's count of unanswered
    questions against what the facet's missing-answer rule tolerates."""
    rule = instrument.facet(score.facet_id).missing
    return _unscored(messages, "facet", language, len(score.missing_items), score.expected, rule)


def index_unscored_reason(
    instrument: Instrument, score: IndexScore, messages: Messages, language: str
) -> str:
    """Why an index has no score: which of its facets could not be scored, against what it
    tolerates."""
    rule = instrument.index(score.index_id).missing
    if len(score.missing_facets) <= rule.max_missing and rule.max_missing_items is not None:
        # Unscored by its own rule over items, not for want of facets.
        expected = sum(len(instrument.items_of(f.id)) for f in instrument.facets_of(score.index_id))
        return messages.text(
            "results.index_unscored_items",
            language,
            missing=len(score.missing_items),
            expected=expected,
            needed=expected - rule.max_missing_items,
        )
    names = [instrument.facet(f).label.in_language(language) for f in score.missing_facets]
    return _unscored(
        messages,
        "index",
        language,
        len(score.missing_facets),
        score.expected_facets,
        rule,
        facets=quoted_names(names, messages.languages[language]),
    )


def _unscored(
    messages: Messages,
    scope: str,
    language: str,
    missing: int,
    expected: int,
    rule: MissingRule,
    **more: object,
) -> str:
    """The reason line of an unscored facet or index (`scope`): how many were missing, out of
    how many, against how many its missing-answer rule needs."""
    return messages.text(
        f"results.{scope}_unscored",
        language,
        missing=missing,
        expected=expected,
        needed=expected - rule.max_missing,
        **more,
    )


def _driver_lines(
    instrument: Instrument,
    contributions: Sequence[object],
    answers: Answers,
    language: str,
    messages: Messages,
) -> str:
    lines = []
    for contribution in contributions:
        item_id = getattr(contribution, "item_id", "")
        item = instrument.item(item_id)
        value = answers.responses.get(item_id)
        if not isinstance(value, int):
            continue
        chosen = item.scale.option(value).label.in_language(language)
        writing = messages.languages[language]
        answered = messages.text("results.answered", language, answer=chosen)
        lines.append(
            f"<li>{esc(item.text.in_language(language))}{esc(writing.noted(answered))}</li>"
        )
    return "".join(lines)


def plan_section_html(
    instrument: Instrument,
    plan: Plan,
    *,
    messages: Messages,
    language: str,
    assumption: str | None = None,
) -> str:
    """Today, this week, this month: each step with its concrete steps and why it was chosen;
    first what the plan assumed for a question skipped, if any."""
    sections = [f"<h2>{esc(messages.text('plan.title', language))}</h2>"]
    if assumption is not None:
        sections.append(f'<p class="assess-assumed">{esc(assumption)}</p>')
    groups: list[tuple[str, Sequence[PlanStep]]] = [
        ("plan.today", [plan.today]),
        ("plan.week", plan.week),
        ("plan.month", [plan.month]),
    ]
    for key, steps in groups:
        sections.append(f"<h3>{esc(messages.text(key, language))}</h3>")
        for step in steps:
            sections.append(
                _step_html(step_view(instrument, step, language, messages), messages, language)
            )
    when = format_date(plan.check_in, language, messages)
    sections.append(f"<p>{esc(messages.text('plan.check_in', language, date=when))}</p>")
    return "".join(sections)


def _step_html(view: StepView, messages: Messages, language: str) -> str:
    items = "".join(f"<li>{esc(text)}</li>" for text in view.steps)

    def labelled(key: str, text: str) -> str:
        # 「なぜ役立つか：…」, "Why it helps: …": the language's own colon, as the take-aways write.
        label = messages.text(key, language) + messages.languages[language].colon
        return f"<p><b>{esc(label.rstrip())}</b>{label[len(label.rstrip()) :]}{esc(text)}</p>"

    return (
        f'<article class="assess-step"><h4>{esc(view.title)}</h4>'
        f'<p class="assess-muted">{esc(view.meta)}</p><ol>{items}</ol>'
        f"{labelled('plan.why', view.why)}{labelled('plan.chosen_because', view.because)}"
        "</article>"
    )


def survey_html(reference: Reference, standing: Standing, messages: Messages, language: str) -> str:
    """The direct loneliness answer beside the national survey, cited with the page of the round
    whose figures are quoted, with its caveats."""
    values = {
        "year": standing.round.label.in_language(language),
        "share": f"{standing.share:.1f}",
        "same_or_more": f"{standing.same_or_more:.1f}",
        "n": f"{standing.round.respondents:,}",
    }
    # Said as how many answered the same or felt lonely more often, never as how many are less
    # lonely than the person.  At the loneliest answer nobody answered "more often": the share
    # is simply the same answer's, said so.
    loneliest = reference.categories.index(standing.value) == 0
    key = "survey.same_only" if loneliest else "survey.same_or_more"
    text = messages.text(key, language, **values)
    source = (
        f'<a href="{esc(standing.round.source)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(reference.name.in_language(language))}</a>"
    )
    label = messages.text("survey.source", language)
    writing = messages.languages[language]
    return (
        f"<h2>{esc(messages.text('survey.title', language))}</h2><p>{esc(text)}</p>"
        # "出典：…。全国の…" in Japanese, "Source: …. A survey…" in English.
        f'<p class="assess-muted">{esc(messages.text("takeaways.label", language, label=label))}'
        f"{writing.between_sentences}{source}{writing.full_stop}"
        f"{esc(reference.caveats.in_language(language))}</p>"
    )


def survey_skipped_html(
    instrument: Instrument, item_id: str, messages: Messages, language: str
) -> str:
    """In the national comparison's place when its question was skipped: that it is not shown,
    and which question it needs (numbered as the quiz numbers it)."""
    number = next(n for n, item in enumerate(instrument.items, 1) if item.id == item_id)
    question = instrument.item(item_id).text.in_language(language)
    text = messages.text("results.survey_skipped", language, number=number, question=question)
    return (
        f"<h2>{esc(messages.text('survey.title', language))}</h2>"
        f'<p class="assess-survey-skipped">{esc(text)}</p>'
    )


URGENT_KINDS = ("emergency", "crisis", "mental_health")
"""Shown first when answers suggest distress: lines to call now; the rest stay one tap away."""


def support_html(
    directory: SupportDirectory, *, urgent: bool, messages: Messages, language: str
) -> str:
    """Where to get help: prominent when the rules say so, otherwise a quiet list."""
    title = esc(messages.text("help.title", language))
    if not urgent:
        services = "".join(_service_html(s, messages, language) for s in directory.services)
        return (
            f'<details class="assess-help"><summary>{title}</summary>'
            f"<p>{esc(messages.text('help.quiet', language))}</p><ul>{services}</ul></details>"
        )
    first = [s for s in directory.services if s.kind in URGENT_KINDS]
    rest = [s for s in directory.services if s.kind not in URGENT_KINDS]
    more = "".join(_service_html(s, messages, language) for s in rest)
    return (
        f'<section class="assess-help assess-help-urgent" role="alert"><h2>{title}</h2>'
        f"<p>{esc(messages.text('help.urgent', language))}</p>"
        f"<ul>{''.join(_service_html(s, messages, language) for s in first)}</ul>"
        f"<details><summary>{esc(messages.text('help.more', language))}</summary>"
        f"<ul>{more}</ul></details></section>"
    )


def _service_html(service: SupportService, messages: Messages, language: str) -> str:
    contact = []
    if service.phone:
        contact.append(f'<a href="tel:{esc(service.phone)}">{esc(service.phone)}</a>')
    if service.url:
        contact.append(
            f'<a href="{esc(service.url)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(messages.text('help.website', language))}</a>"
        )
    checked = esc(messages.text("help.checked", language, date=service.checked.isoformat()))
    return (
        f"<li><b>{esc(service.name.in_language(language))}</b> — "
        f"{esc(service.offers.in_language(language))} "
        f"({esc(service.hours.in_language(language))}) {' · '.join(contact)} "
        f'<span class="assess-muted">{checked}</span></li>'
    )


def downloads_html(downloads: Sequence[Download], messages: Messages, language: str) -> str:
    links = " ".join(d.link() for d in downloads)
    return f"<h2>{esc(messages.text('downloads.title', language))}</h2><p>{links}</p>"
