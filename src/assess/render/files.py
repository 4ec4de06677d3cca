"""The take-away files, named and typed: one place that turns a kind of take-away into the file a
person keeps, so that the quiz's download buttons and ``assess plan`` give the same files."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assess.core.messages import Messages
from assess.core.model import Answers, Instrument, Result
from assess.core.planning import Plan
from assess.core.support import Support
from assess.render.since import Earlier
from assess.render.takeaways import plan_html, plan_ics, plan_json, plan_markdown


@dataclass(frozen=True)
class TakeawayFile:
    """A take-away as the person keeps it: its file name, media type and bytes."""

    filename: str
    media_type: str
    data: bytes


def takeaway_file(
    kind: str,
    *,
    instrument: Instrument,
    answers: Answers,
    result: Result,
    plan: Plan,
    taken_on: datetime.date,
    language: str,
    messages: Messages,
    result_code: str | None,
    support: Support | None,
    earlier: Earlier | None = None,
) -> TakeawayFile:
    """The take-away of `kind` ("markdown", "html", "calendar" or "json"), named after the day
    the answers were given; every kind but the calendar carries the result code and help lines,
    and the change since an `earlier` result when there is one."""
    stamp = taken_on.isoformat()
    if kind in ("markdown", "html"):
        render = plan_markdown if kind == "markdown" else plan_html
        text = render(
            instrument,
            result,
            plan,
            language=language,
            messages=messages,
            result_code=result_code,
            support=support,
            answers=answers,
            earlier=earlier,
        )
        suffix, media_type = (
            ("md", "text/markdown") if kind == "markdown" else ("html", "text/html")
        )
        return TakeawayFile(f"assess-plan-{stamp}.{suffix}", media_type, text.encode("utf-8"))
    if kind == "calendar":
        data = plan_ics(plan, language=language, messages=messages)
        return TakeawayFile(f"assess-plan-{stamp}.ics", "text/calendar", data)
    if kind == "json":
        document = plan_json(
            instrument,
            answers,
            result,
            plan,
            taken_on=taken_on,
            result_code=result_code,
            disclaimer=messages.get("disclaimer"),
            support=support,
            earlier=earlier,
        )
        # Ends with a newline like any text file, so that it prints whole in a terminal too.
        data = (document + "\n").encode("utf-8")
        return TakeawayFile(f"assess-result-{stamp}.json", "application/json", data)
    raise ValueError(f"no take-away of kind {kind!r}")
