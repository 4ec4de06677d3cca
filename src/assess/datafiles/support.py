"""The support directory (``assess-support/1``): places to get help, with verified numbers only,
the lists of services each level of support shows, and the rules that decide the level from the
answers (the graded support of :mod:`assess.core.support`).  Format and the reasoning behind
the shipped rules: ``data/README.md``.

>>> directory = default_support()
>>> directory.service("emergency_ambulance").phone
'119'
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from assess.core.model import Condition, Instrument
from assess.core.support import (
    LEVELS,
    RULE_LEVELS,
    Kind,
    Level,
    OpenWindow,
    Region,
    SupportDirectory,
    SupportRule,
    SupportService,
)
from assess.datafiles.checker import Checker, FileKind, describe, each, read_yaml
from assess.datafiles.readers import (
    _check_conditions_against,
    _choice,
    _condition,
    _identifiers,
    _read,
    _suggest,
    _unique_entries,
)

SUPPORT_FORMAT = "assess-support/1"
SUPPORT = FileKind(SUPPORT_FORMAT, "a support directory", ("services", "lists"), ("rules",))
REGIONS: Mapping[str, Region] = {"jp": "jp", "global": "global"}
KINDS: Mapping[str, Kind] = {
    "crisis": "crisis",
    "mental_health": "mental_health",
    "general": "general",
    "legal": "legal",
    "portal": "portal",
    "emergency": "emergency",
}
_PHONE = re.compile(r"[0-9]+(?:-[0-9]+)*")


def default_support_path() -> Path:
    """The project's own support directory, shipped with the package."""
    return Path(str(resources.files("assess.data") / "support" / "services.yaml"))


def load_support(path: str | Path) -> SupportDirectory:
    """Load and check a support directory; raise :class:`DataFileError` listing all problems."""
    return parse_support(read_yaml(Path(path)), source=str(path))


def default_support() -> SupportDirectory:
    return load_support(default_support_path())


# --- the support format ----------------------------------------------------------------------


def parse_support(document: object, *, source: str = "<support>") -> SupportDirectory:
    """Build a :class:`SupportDirectory` from a parsed YAML document, checking everything."""
    check = Checker(source)
    top = check.top_level(document, SUPPORT)
    services = each(check, top.get("services"), "services", lambda n, w: _service(check, n, w))
    _unique_entries(check, top.get("services"), "services", "service")
    known = [service.id for service in services]
    lists = _lists(check, top.get("lists"), known) if "lists" in top else {}
    rules: list[SupportRule] = []
    if "rules" in top:
        rules = each(check, top["rules"], "rules", lambda n, w: _rule(check, n, w))
        _unique_entries(check, top["rules"], "rules", "rule")
    for rule in rules:
        if rule.level != "none" and not lists.get(rule.level):
            check.add(
                f"rules (id {rule.id!r}).level",
                f"is {rule.level!r}, but 'lists' has no {rule.level!r} list of services to show; "
                f"add one under 'lists'",
            )
    check.raise_if_any()
    return SupportDirectory(
        services=tuple(services),
        rules=tuple(rules),
        prominent=lists.get("prominent", ()),
        practical=lists.get("practical", ()),
        quiet=lists.get("quiet", ()),
    )


def _lists(check: Checker, node: object, known: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The services each level shows, in order; every id must name a service."""
    fields = check.mapping(node, "lists", required=("quiet",), optional=RULE_LEVELS)
    if fields is None:
        return {}
    lists: dict[str, tuple[str, ...]] = {}
    for name, value in fields.items():
        where = f"lists.{name}"
        ids = _identifiers(check, value, where, "service")
        if ids is None:
            continue
        for position, service_id in enumerate(ids):
            if service_id not in known:
                check.add(
                    f"{where}[{position}]",
                    f"names service {service_id!r}, which 'services' does not hold; "
                    + _suggest(service_id, known),
                )
        lists[name] = ids
    return lists


def _service(check: Checker, node: object, where: str) -> SupportService | None:
    fields = check.mapping(
        node,
        where,
        required=("id", "region", "kind", "name", "offers", "hours", "source", "checked"),
        optional=("phone", "url", "free", "open"),
    )
    if fields is None:
        return None
    identifier = _read(fields, "id", where, check.identifier)
    region: Region | None = _read(
        fields, "region", where, lambda n, w: _choice(check, n, w, REGIONS)
    )
    kind: Kind | None = _read(fields, "kind", where, lambda n, w: _choice(check, n, w, KINDS))
    name = _read(fields, "name", where, check.text)
    offers = _read(fields, "offers", where, check.text)
    hours = _read(fields, "hours", where, check.text)
    phone = _read(fields, "phone", where, lambda n, w: _phone(check, n, w))
    url = _read(fields, "url", where, lambda n, w: _https_url(check, n, w, "the official site"))
    source = _read(
        fields, "source", where, lambda n, w: _https_url(check, n, w, "the page it was read on")
    )
    checked = _read(fields, "checked", where, lambda n, w: _date(check, n, w))
    free = _read(fields, "free", where, check.boolean) if "free" in fields else False
    windows = (
        _read(fields, "open", where, lambda n, w: _open(check, n, w)) if "open" in fields else ()
    )
    if "phone" not in fields and "url" not in fields and region != "global":
        check.add(
            where,
            "has neither 'phone' nor 'url'; give a verified phone number or the https:// address "
            "of the official site, so that a person can reach the service",
        )
        return None
    if (
        identifier is None
        or region is None
        or kind is None
        or name is None
        or offers is None
        or hours is None
        or ("phone" in fields and phone is None)
        or ("url" in fields and url is None)
        or source is None
        or checked is None
        or free is None
        or windows is None
    ):
        return None
    return SupportService(
        id=identifier,
        region=region,
        kind=kind,
        name=name,
        offers=offers,
        phone=phone,
        url=url,
        hours=hours,
        source=source,
        checked=checked,
        free=free,
        open=windows,
    )


def _open(check: Checker, node: object, where: str) -> tuple[OpenWindow, ...] | None:
    """``always``, or a list of windows ``{from: "16:00", to: "21:00"}`` (daily) and
    ``{day: 10, from: "08:00", to: "08:00"}`` (one day a month; a ``to`` at or before ``from``
    runs into the next day)."""
    if node == "always":
        return (OpenWindow.always(),)
    if not isinstance(node, list) or not node:
        check.add(
            where,
            "must be 'always' or a list of opening windows such as "
            '{from: "16:00", to: "21:00"}, not ' + describe(node),
        )
        return None
    windows: list[OpenWindow] = []
    failed = False
    for position, window in enumerate(node):
        at = f"{where}[{position}]"
        fields = check.mapping(window, at, required=("from", "to"), optional=("day",))
        if fields is None:
            failed = True
            continue
        start = _clock(check, fields.get("from"), f"{at}.from") if "from" in fields else None
        end = _clock(check, fields.get("to"), f"{at}.to") if "to" in fields else None
        day = None
        if "day" in fields:
            day = check.integer(fields["day"], f"{at}.day", minimum=1)
            if day is not None and day > 31:
                check.add(f"{at}.day", f"must be a day of the month, 1 to 31, not {day}")
                day = None
            if day is None:
                failed = True
        if start is None or end is None:
            failed = True
            continue
        windows.append(OpenWindow(start, end, day=day))
    return None if failed else tuple(windows)


def _clock(check: Checker, node: object, where: str) -> datetime.time | None:
    if isinstance(node, str) and re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", node):
        hour, minute = (int(part) for part in node.split(":"))
        if hour < 24:
            return datetime.time(hour, minute)
    check.add(where, f'must be a time of day written "HH:MM" in quotes, e.g. "16:00", not {node!r}')
    return None


def _rule(check: Checker, node: object, where: str) -> SupportRule | None:
    fields = check.mapping(node, where, required=("id", "level", "when"))
    if fields is None:
        return None
    identifier = _read(fields, "id", where, check.identifier)
    level = _read(fields, "level", where, lambda n, w: check.choice(n, w, RULE_LEVELS))
    conditions: list[Condition] = []
    failed = False
    for position, condition in enumerate(check.sequence(fields.get("when"), f"{where}.when")):
        parsed = _condition(check, condition, f"{where}.when[{position}]")
        if parsed is None:
            failed = True
        else:
            conditions.append(parsed)
    if identifier is None or level is None or failed or not conditions:
        return None
    assert level in LEVELS
    chosen: Level = "prominent" if level == "prominent" else "practical"
    return SupportRule(id=identifier, level=chosen, conditions=tuple(conditions))


def _phone(check: Checker, node: object, where: str) -> str | None:
    if not isinstance(node, str):
        check.add(
            where,
            f'must be the number as quoted text, e.g. "0570-064-556", not {describe(node)}; '
            "unquoted, YAML reads it as a number and may drop or change leading zeros",
        )
        return None
    if not _PHONE.fullmatch(node):
        check.add(
            where,
            f'must be digits and hyphens only, e.g. "0120-279-338", not {node!r}; '
            "put notes such as hours or extensions in 'hours' or 'offers'",
        )
        return None
    return node


def _https_url(check: Checker, node: object, where: str, what: str) -> str | None:
    if not isinstance(node, str) or not node.strip():
        check.add(where, f"must be the https:// address of {what}, not {describe(node)}")
        return None
    if node.startswith("http://"):
        check.add(
            where,
            f"starts with http://; give the https:// address of {what} so that the link "
            "cannot be tampered with on the way",
        )
        return None
    if (
        not node.startswith("https://")
        or len(node) <= len("https://")
        or any(c.isspace() for c in node)
    ):
        check.add(where, f"must be the https:// address of {what}, without spaces, not {node!r}")
        return None
    return node


def _date(check: Checker, node: object, where: str) -> datetime.date | None:
    if isinstance(node, datetime.date) and not isinstance(node, datetime.datetime):
        return node
    if isinstance(node, str):
        try:
            return datetime.date.fromisoformat(node)
        except ValueError:
            pass
    check.add(where, f"must be a date written as YYYY-MM-DD, e.g. 2026-11-26, not {describe(node)}")
    return None


def _check_rules_against(
    check: Checker, directory: SupportDirectory, instrument: Instrument
) -> None:
    for rule in directory.rules:
        _check_conditions_against(check, rule.conditions, f"rules (id {rule.id!r})", instrument)
