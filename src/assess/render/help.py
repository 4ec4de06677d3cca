"""Where to get help, as HTML fragments: graded as :mod:`assess.core.support` decides.

- a box of lines to call now, first on the results page, only at the prominent level;
- freelancer and work-trouble services, when the answers show a practical need;
- a quiet "if things get hard" list for everyone, and a small "help now" link on every page
  (question pages included), so that help is never more than one tap away.

Pure functions; every text is escaped.  The only links are ``tel:`` numbers and the services'
official sites, which the person chooses to follow.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from assess.core.messages import Messages
from assess.core.support import Support, SupportDirectory, SupportService
from assess.render.views import format_date, hours_text


def urgent_help_html(support: Support, messages: Messages, language: str) -> str:
    """The box of lines to call now, or "" below the prominent level.

    A region with a heading rather than an alert: it is the first thing on the page, and a
    screen reader should read it as such, not interrupt with it.
    """
    if support.level != "prominent" or not support.prominent:
        return ""
    say = _say(messages, language)
    return (
        '<section class="assess-help assess-help-urgent" aria-labelledby="assess-help-urgent">'
        f'<h2 id="assess-help-urgent">{esc(say("help.urgent_title"))}</h2>'
        f"<p>{esc(say('help.urgent'))}</p>"
        f"{_services_html(support.prominent, messages, language, support)}</section>"
    )


def help_html(support: Support, messages: Messages, language: str) -> str:
    """Below the results: the practical services (when called for), then the quiet list."""
    say = _say(messages, language)
    parts = []
    if support.practical:
        parts.append(
            '<section class="assess-help assess-help-practical">'
            f"<h2>{esc(say('help.title'))}</h2><p>{esc(say('help.practical'))}</p>"
            f"{_services_html(support.practical, messages, language)}</section>"
        )
    if support.quiet:
        summary = say("help.more") if support.level == "prominent" else say("help.quiet_link")
        listed = _services_html(support.quiet, messages, language)
        parts.append(
            f'<details class="assess-help assess-help-quiet"><summary>{esc(summary)}</summary>'
            f"<p>{esc(say('help.quiet'))}</p>{listed}</details>"
            # A folded list prints folded: the printed result carries it open.
            f'<section class="assess-help assess-print-only" style="display: none">'
            f"<h2>{esc(summary)}</h2>{listed}</section>"
        )
    return "".join(parts)


def help_now_html(directory: SupportDirectory, messages: Messages, language: str) -> str:
    """The small "help now" link of every page: folded, the quiet list when opened."""
    say = _say(messages, language)
    services = directory.listed(directory.quiet)
    if not services:
        return ""
    return (
        f'<details class="assess-help assess-help-now"><summary>{esc(say("help.now"))}</summary>'
        f"<p>{esc(say('help.quiet'))}</p>{_services_html(services, messages, language)}</details>"
    )


def _services_html(
    services: Sequence[SupportService],
    messages: Messages,
    language: str,
    support: Support | None = None,
) -> str:
    return (
        "<ul>" + "".join(service_html(s, messages, language, support) for s in services) + "</ul>"
    )


def service_html(
    service: SupportService, messages: Messages, language: str, support: Support | None = None
) -> str:
    """One service: its name, a number to tap (marked free when it is), its site, hours, what it
    offers and when it was checked."""
    say = _say(messages, language)
    contact = []
    if service.phone:
        key = "help.phone_free" if service.free else "help.phone"
        number = f'<a href="tel:{esc(service.phone)}">{esc(service.phone)}</a>'
        label = esc(say(key, phone="\x00")).replace("\x00", number)
        contact.append(label)
    if service.url:
        contact.append(
            f'<a href="{esc(service.url)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(say('help.website'))}</a>"
        )
    checked = say("help.checked", date=format_date(service.checked, language, messages))
    # In the prominent box, a line closed at the person's hour says when it opens.
    opens, now = (None, None) if support is None else (support.closed_until(service), support.now)
    hours = hours_text(service, language, messages, opens=opens, now=now)
    return (
        f"<li><b>{esc(service.name.in_language(language))}</b><br>{' · '.join(contact)}"
        f'<br><span class="assess-muted">{esc(hours)}</span>'
        f"<br>{esc(service.offers.in_language(language))} "
        f'<span class="assess-muted">{esc(checked)}</span></li>'
    )


def _say(messages: Messages, language: str) -> Callable[..., str]:
    def say(key: str, /, **values: object) -> str:
        return messages.text(key, language, **values)

    return say


def esc(text: str) -> str:
    return html.escape(text, quote=True)


__all__ = ("help_html", "help_now_html", "service_html", "urgent_help_html")
