"""Texts of a result's plan and help lines in one language, shared by every take-away format and
by the app's results page: each step with why it was chosen (quoting the answers given), each
place to turn to, and dates as people write them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.core.messages import Messages
from assess.core.model import Instrument
from assess.core.support import Support, SupportService

if TYPE_CHECKING:  # the help link on every page uses this module; planning waits for results
    from assess.core.planning import PlanStep, Reason


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
    because: str
    """The reason and its drivers as one paragraph, joined as the language joins sentences."""


def help_view(support: Support, language: str, messages: Messages) -> HelpView:
    """The help section in `language`: the prominent lines first when the level calls for them."""

    def say(key: str, /, **values: object) -> str:
        return messages.text(key, language, **values)

    urgent = tuple(
        service_view(s, language, messages, opens=support.closed_until(s), now=support.now)
        for s in support.prominent
    )
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


def service_view(
    service: SupportService,
    language: str,
    messages: Messages,
    *,
    opens: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> ServiceView:
    """A service as texts; its site written without the scheme, so that a printed page can be
    typed in and the standalone page links to nothing.  A line closed at the person's hour
    (`opens`: when it opens, in Japan's time; `now`: the person's clock) says so in its hours."""
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
        hours=hours_text(service, language, messages, opens=opens, now=now),
        offers=service.offers.in_language(language),
        checked=messages.text(
            "help.checked", language, date=format_date(service.checked, language, messages)
        ),
    )


def hours_text(
    service: SupportService,
    language: str,
    messages: Messages,
    *,
    opens: datetime.datetime | None,
    now: datetime.datetime | None,
) -> str:
    """A line's hours; when it is closed at the person's hour (`now`), when it opens (`opens`)."""
    hours = service.hours.in_language(language)
    if opens is None or now is None:
        return hours
    time = messages.text(
        "help.time" if opens.minute == 0 else "help.time_minutes",
        language,
        hour=opens.hour,
        minute=opens.minute,
    )
    days = (opens.date() - now.astimezone(opens.tzinfo).date()).days
    key = {0: "help.closed_opens_today", 1: "help.closed_opens_tomorrow"}.get(
        days, "help.closed_opens_on"
    )
    return messages.text(
        key, language, hours=hours, time=time, date=format_date(opens.date(), language, messages)
    )


def step_view(
    instrument: Instrument, step: PlanStep, language: str, messages: Messages
) -> StepView:
    """One plan step as texts in `language`, ready for any format (also the app's results page)."""
    action = step.action
    summary, drivers = _reason(instrument, step.reason, language, messages)
    return StepView(
        title=action.title.in_language(language),
        meta=step_meta(step, language, messages),
        steps=tuple(text.in_language(language) for text in step.steps),
        why=action.why.in_language(language),
        reason=summary,
        drivers=drivers,
        because=summary
        if drivers is None
        else messages.text("reason.with_drivers", language, reason=summary, drivers=drivers),
    )


def step_meta(step: PlanStep, language: str, messages: Messages) -> str:
    return messages.text(
        "takeaways.step_meta",
        language,
        # A repeated step ("twice this week") says how long each session takes.
        minutes=messages.text(
            "plan.minutes_each" if step.action.sessions > 1 else "plan.minutes",
            language,
            minutes=step.action.minutes,
        ),
        mode=messages.text(f"mode.{step.action.mode}", language),
    )


def _reason(
    instrument: Instrument, reason: Reason, language: str, messages: Messages
) -> tuple[str, str | None]:
    """Why a step was chosen: the facet and how it came out, then the answers that drove it, each
    quoted with the answer given, so that the direction is plain even for a reverse-keyed
    statement ("I have been to a cross-industry meetup": "Not at all true of me")."""
    summary = reason_summary(reason, language, messages)
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
    >>> answered(default_instrument(), "breadth_2", 1, "ja", default_messages())[-15:]
    '』→『まったくあてはまらない』'
    """
    try:
        item = instrument.item(item_id)
        answer = item.scale.option(value).label.in_language(language)
    except KeyError:
        return None
    statement = item.text.in_language(language).strip().rstrip("。.")
    return messages.text("takeaways.answered", language, statement=statement, answer=answer)


def format_date(day: datetime.date, language: str, messages: Messages) -> str:
    """A date as people write it in the language (26 November 2026 in English prose).

    >>> from assess.datafiles.messages import default_messages
    >>> format_date(datetime.date(2026, 12, 4), "ja", default_messages())
    '2026年12月4日'
    """
    month = messages.text(f"takeaways.month.{day.month}", language)
    return messages.text("takeaways.date", language, year=day.year, month=month, day=day.day)


def reason_summary(reason: Reason, language: str, messages: Messages) -> str:
    return messages.text(
        "reason.maintenance" if reason.maintenance else "reason.weak",
        language,
        facet=reason.facet_label.in_language(language),
        band=reason.band.label.in_language(language) if reason.band is not None else "—",
        score="—" if reason.percent is None else round(reason.percent),
    )


__all__ = (
    "HelpView",
    "ServiceView",
    "StepView",
    "answered",
    "format_date",
    "help_view",
    "hours_text",
    "reason_summary",
    "service_view",
    "step_meta",
    "step_view",
)
