"""Since last time, as texts in one language: each index and facet from an earlier result to
today's, what "about the same" means for each index, and the steps chosen then.  Shared by the
results page and every take-away format."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    noise: list[str] = []
    for index in instrument.indices:
        lines.append(
            _line(
                comparison.index(index.id),
                index.label.in_language(language),
                messages,
                language,
                facet=False,
            )
        )
        lines.extend(
            _line(
                comparison.facet(facet.id),
                facet.label.in_language(language),
                messages,
                language,
                facet=True,
            )
            for facet in instrument.facets_of(index.id)
        )
        reliability = index.reliability
        if reliability is not None:
            noise.append(
                say(
                    "since.noise",
                    language,
                    index=index.label.in_language(language),
                    points=round(reliability.noise(of_facet=False)),
                    facet_points=round(reliability.noise(of_facet=True)),
                )
            )
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
