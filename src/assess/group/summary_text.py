"""A group summary as plain text for a terminal (``assess cohort``), in Japanese or English."""

from __future__ import annotations

from collections.abc import Callable

from assess.core.messages import Messages
from assess.group.answers import SYNTHETIC_NOTE
from assess.group.disclosure import Withheld
from assess.group.summary import Breakdown, CohortSummary, Distribution


def summary_text(summary: CohortSummary, *, language: str, messages: Messages) -> str:
    """The summary as plain text for a terminal, in `language`."""

    def say(key: str, **values: object) -> str:
        return messages.text(f"facilitator.{key}", language, **values)

    def withheld(reason: Withheld | None) -> str:
        if reason is None:
            return ""
        return say(f"withheld.{reason.reason.value}", min_group=reason.min_group)

    def counts(breakdown: Breakdown) -> str:
        shown = []
        for cell in breakdown.cells:
            share = breakdown.share(cell)
            value = "—" if cell.count is None else f"{cell.count} ({share:.0f}%)"
            shown.append(f"{cell.label.in_language(language)} {value}")
        return " · ".join(shown)

    lines = [say("title")]
    if summary.synthetic:
        lines.append(f"*** {SYNTHETIC_NOTE.ja} / {SYNTHETIC_NOTE.en} ***")
    if summary.cohort:
        lines.append(say("cohort.shown", cohort=summary.cohort))
    lines.append(say("participants", count=summary.participants))
    lines.append(say("privacy", min_group=summary.min_group))
    if summary.withheld is not None:
        lines.append(say("too_small", reason=withheld(summary.withheld)))
        return "\n".join(lines) + "\n"
    for kind, scopes in (("indices", summary.indices), ("facets", summary.facets)):
        lines += ["", f"== {say(f'{kind}.title')} =="]
        for scope in scopes:
            figures = (
                withheld(scope.withheld)
                if scope.distribution is None
                else _stats_text(scope.distribution, say)
            )
            if scope.distribution is not None and scope.withheld is not None:
                figures += f" ({withheld(scope.withheld)})"
            lines.append(f"{scope.label.in_language(language)}: {figures}")
            lines.append(f"  {say('text.bands')}: {counts(scope.bands)}")
    lines += ["", say("bands.footnote"), "", f"== {say('weakest.title')} =="]
    for rank, scope in enumerate(summary.weakest, start=1):
        assert scope.distribution is not None
        key = "weakest.risk" if scope.higher_is == "risk" else "weakest.strength"
        mean = f"{scope.distribution.mean:.0f}"
        lines.append(f"{rank}. {scope.label.in_language(language)} — {say(key, mean=mean)}")
    if summary.survey is not None:
        survey = summary.survey
        year = survey.round.label.in_language(language)
        lines += ["", f"== {say('survey.title')} =="]
        lines.append(say("survey.explain", year=year, n=f"{survey.round.respondents:,}"))
        for cell in survey.room.cells:
            share = survey.room.share(cell)
            national = survey.national_share(cell.key)
            room = "—" if share is None else f"{share:.0f}%"
            lines.append(
                f"  {cell.label.in_language(language)}: "
                + say("text.room_national", room=room, national=f"{national:.1f}%")
            )
        reference = survey.reference
        lines.append(
            f"{say('survey.source')}: {reference.name.in_language(language)} "
            f"({say('survey.checked', date=reference.checked.isoformat())}) {survey.round.source}"
        )
        lines.append(reference.caveats.in_language(language))
        lines.append(say("survey.caveat_room"))
    lines += ["", f"== {say('alphas.title')} =="]
    for alpha in summary.alphas:
        value = f"{alpha.alpha:.2f}" if alpha.alpha is not None else withheld(alpha.withheld)
        lines.append(f"{alpha.label.in_language(language)} ({alpha.items}): {value}")
    return "\n".join(lines) + "\n"


def _stats_text(d: Distribution, say: Callable[..., str]) -> str:
    parts = [say("text.mean", value=f"{d.mean:.0f}")]
    if d.median is not None:
        parts.append(say("text.median", value=f"{d.median:.0f}"))
    if d.p25 is not None and d.p75 is not None:
        parts.append(say("text.middle", low=f"{d.p25:.0f}", high=f"{d.p75:.0f}"))
    if d.p10 is not None and d.p90 is not None:
        parts.append(say("text.tails", low=f"{d.p10:.0f}", high=f"{d.p90:.0f}"))
    return say("text.separator").join(parts)
