"""The plan as calendar entries (iCalendar, RFC 5545): one all-day event per step and one to
check in, the same bytes for the same plan."""

from __future__ import annotations

import datetime
import hashlib
import re

from assess.core.messages import Messages
from assess.core.planning import Plan, PlanStep
from assess.render.views import format_date, reason_summary, step_meta

UID_DOMAIN = "assess.invalid"
"""Calendar UIDs end in this reserved domain: they name no real host."""
PRODID = "-//assess//first-step plan 1//EN"

WEEK_OFFSETS = (2, 4, 6)
"""Days after the plan is made on which the week's steps go in the calendar (the last repeats)."""
MONTH_OFFSET = 21
"""Days after the plan is made on which the month's goal goes in the calendar."""


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
    messages.languages.require(language)

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
        summary = reason_summary(step.reason, language, messages)
        description = "\n".join(
            [
                step_meta(step, language, messages),
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


__all__ = ("MONTH_OFFSET", "PRODID", "UID_DOMAIN", "WEEK_OFFSETS", "plan_ics", "schedule")
