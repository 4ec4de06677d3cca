"""Since last time, as texts in one language: each index and facet from an earlier result to
today's, what "about the same" means for each index, and the steps chosen then.  Shared by the
results page and every take-away format."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assess.core.compare import Change, compare
from assess.core.messages import Messages
from assess.core.model import Instrument, Result
from assess.render.views import format_date

if TYPE_CHECKING:
    from assess.core.planning import Plan


@dataclass(frozen=True, slots=True)
class Earlier:
    """An earlier result at hand: its day, its scores (with today's bank) and the plan made then."""

    taken_on: datetime.date
    result: Result
    plan: Plan | None


@dataclass(frozen=True, slots=True)
class SinceLine:
    text: str
    verdict: str | None
    """``better``, ``worse``, ``same``, or None when not compared."""
    facet: bool
    """A facet of the index above it (shown indented)."""


@dataclass(frozen=True, slots=True)
class SinceView:
    title: str
    intro: str
    lines: tuple[SinceLine, ...]
    noise: tuple[str, ...]
    """Per index, what "about the same" means there, and whether that rests on an assumption."""
    steps_title: str
    steps: tuple[str, ...]


def since_view(
    instrument: Instrument,
    earlier: Earlier,
    later: Result,
    messages: Messages,
    language: str,
) -> SinceView:
    comparison = compare(instrument, earlier=earlier.result, later=later)
    say = messages.text
    lines: list[SinceLine] = []
    for index in instrument.indices:
        parts = [(comparison.index(index.id), index.label, False)]
        parts += [(comparison.facet(f.id), f.label, True) for f in instrument.facets_of(index.id)]
        lines.extend(
            _line(change, label.in_language(language), messages, language, facet=facet)
            for change, label, facet in parts
        )
    noise = _noise_texts(instrument, messages, language)
    if any(index.reliability and index.reliability.assumed for index in instrument.indices):
        noise.append(say("since.assumed", language))
    when = format_date(earlier.taken_on, language, messages)
    steps = (
        tuple(step.action.title.in_language(language) for step in earlier.plan.steps)
        if earlier.plan is not None
        else ()
    )
    return SinceView(
        title=say("since.title", language),
        intro=say("since.intro", language, date=when),
        lines=tuple(lines),
        noise=tuple(noise),
        steps_title=say("since.steps_then", language, date=when),
        steps=steps,
    )


def _noise_texts(instrument: Instrument, messages: Messages, language: str) -> list[str]:
    """What "about the same" means: once for all indices when their margins are the same, else
    once per index."""
    margins = {
        index.id: (
            round(index.reliability.noise(of_facet=False)),
            round(index.reliability.noise(of_facet=True)),
        )
        for index in instrument.indices
        if index.reliability is not None
    }
    if len(margins) == len(instrument.indices) and len(set(margins.values())) == 1:
        points, facet_points = next(iter(margins.values()))
        return [
            messages.text("since.noise_all", language, points=points, facet_points=facet_points)
        ]
    return [
        messages.text(
            "since.noise",
            language,
            index=instrument.index(index_id).label.in_language(language),
            points=points,
            facet_points=facet_points,
        )
        for index_id, (points, facet_points) in margins.items()
    ]


def _line(
    change: Change, name: str, messages: Messages, language: str, *, facet: bool
) -> SinceLine:
    verdict = change.verdict
    if verdict is None or change.earlier is None or change.later is None:
        return SinceLine(messages.text("since.not_compared", language, name=name), None, facet)
    text = messages.text(
        "since.line",
        language,
        name=name,
        earlier=f"{change.earlier:.0f}",
        later=f"{change.later:.0f}",
        verdict=messages.text(f"since.{verdict.value}", language),
    )
    return SinceLine(text, verdict.value, facet)


def since_html(view: SinceView) -> str:
    """Since last time as an HTML section (results page and HTML take-away): each index with its
    facets indented, the verdict in the words and, repeated, in a class; what "about the same"
    means here; the steps chosen then."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    lines = "".join(
        f'<li class="assess-since-{line.verdict or "none"}'
        f'{" assess-since-facet" if line.facet else ""}">{e(line.text)}</li>'
        for line in view.lines
    )
    noise = "".join(f'<p class="assess-muted">{e(text)}</p>' for text in view.noise)
    steps = (
        f"<h3>{e(view.steps_title)}</h3><ul>"
        + "".join(f"<li>{e(step)}</li>" for step in view.steps)
        + "</ul>"
        if view.steps
        else ""
    )
    return (
        f'<section class="assess-since"><h2>{e(view.title)}</h2><p>{e(view.intro)}</p>'
        f'<ul class="assess-since-lines">{lines}</ul>{noise}{steps}</section>'
    )


def since_document(instrument: Instrument, earlier: Earlier, later: Result) -> dict[str, Any]:
    """The change since `earlier` for the JSON take-away: numbers, noise and verdicts by id."""
    comparison = compare(instrument, earlier=earlier.result, later=later)

    def entry(change: Change) -> dict[str, Any]:
        verdict = change.verdict
        return {
            "id": change.id,
            "earlier": change.earlier,
            "later": change.later,
            "change": change.change,
            "noise": round(change.noise, 2),
            "verdict": None if verdict is None else verdict.value,
        }

    return {
        "earlier_taken_on": earlier.taken_on.isoformat(),
        "indices": [entry(change) for change in comparison.indices],
        "facets": [entry(change) for change in comparison.facets],
        "steps_then": [] if earlier.plan is None else [s.action.id for s in earlier.plan.steps],
    }
