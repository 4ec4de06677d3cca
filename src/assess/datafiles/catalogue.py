"""The action catalogue and the support directory: data files read into frozen value objects.

Two kinds of file sit beside the question banks (formats in ``data/README.md``):

- ``assess-actions/1``: the steps a first-step plan is drawn from, each tied to the facets it
  strengthens and fitted to a profile (online or offline, minutes, field of work, area);
- ``assess-support/1``: support services (verified numbers only, each with where and when it was
  checked), the lists of services shown at each level of support, and the rules that decide the
  level from the answers (the graded support of :mod:`assess.core.support`).

As with question banks, every problem in a file is reported at once, each with the file, the entry
and what to fix.  :func:`check_against_instrument` then checks that the facets, bands, items and
values a file names exist in the instrument it is used with.

>>> catalogue = default_actions()
>>> action = catalogue.action("follow_field_hashtags")
>>> action.steps_for("design") != action.steps_for(None)
True
>>> directory = default_support()
>>> directory.service("emergency_ambulance").phone
'119'
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from assess.core.model import (
    Action,
    ActionCatalogue,
    ActionVariant,
    Instrument,
    Text,
)
from assess.core.support import (
    LEVELS,
    RULE_LEVELS,
    Condition,
    Kind,
    Level,
    OpenWindow,
    Region,
    SupportDirectory,
    SupportRule,
    SupportService,
)
from assess.datafiles.checker import Checker, Problem, closest, describe, each, read_yaml

__all__ = [
    "ACTIONS_FORMAT",
    "ANY_FIELD",
    "AREA_CODES",
    "FIELD_CODES",
    "SUPPORT_FORMAT",
    "TODAY_MAX_MINUTES",
    "Action",
    "ActionCatalogue",
    "ActionVariant",
    "Condition",
    "DistressRule",
    "Horizon",
    "Kind",
    "Mode",
    "Region",
    "SupportDirectory",
    "SupportRule",
    "SupportService",
    "actions_for_facet",
    "check_against_instrument",
    "default_actions",
    "default_actions_path",
    "default_support",
    "default_support_path",
    "load_actions",
    "load_support",
    "parse_actions",
    "parse_support",
]

ACTIONS_FORMAT = "assess-actions/1"
SUPPORT_FORMAT = "assess-support/1"

Mode = Literal["online", "offline", "either"]
Horizon = Literal["today", "week", "month"]
DistressRule = SupportRule
"""The earlier name of a support rule, kept for callers written against it."""

MODES: Mapping[str, Mode] = {"online": "online", "offline": "offline", "either": "either"}
HORIZONS: Mapping[str, Horizon] = {"today": "today", "week": "week", "month": "month"}
REGIONS: Mapping[str, Region] = {"jp": "jp", "global": "global"}
KINDS: Mapping[str, Kind] = {
    "crisis": "crisis",
    "mental_health": "mental_health",
    "general": "general",
    "legal": "legal",
    "portal": "portal",
    "emergency": "emergency",
}

FIELD_CODES: tuple[str, ...] = (
    "design",
    "engineering",
    "writing",
    "marketing",
    "consulting",
    "translation",
    "media",
    "other",
)
"""The profile `field` codes of data/README.md."""
ANY_FIELD = "any"
AREA_CODES: tuple[str, ...] = ("urban", "suburban", "rural")
"""The profile `area` codes of data/README.md; an action without `areas` suits all of them."""
TODAY_MAX_MINUTES = 15
"""A step for today takes at most this long."""

_PHONE = re.compile(r"[0-9]+(?:-[0-9]+)*")
T = TypeVar("T")


# --- value objects ---------------------------------------------------------------------------
# Action, ActionVariant and ActionCatalogue live in the core (assess.core.model), beside the
# plan that uses them; this module builds them from files and re-exports them.


def actions_for_facet(catalogue: ActionCatalogue, facet_id: str) -> tuple[Action, ...]:
    """The actions that strengthen a facet, in catalogue order.

    >>> [a.id for a in actions_for_facet(default_actions(), "solitude")][:2]
    ['block_deep_work_time', 'name_your_alone_time']
    """
    return tuple(action for action in catalogue.actions if facet_id in action.facets)


# --- loading -----------------------------------------------------------------------------------


def default_actions_path() -> Path:
    """The project's own action catalogue, shipped with the package."""
    return Path(str(resources.files("assess.data") / "actions" / "freelance_actions.yaml"))


def default_support_path() -> Path:
    """The project's own support directory, shipped with the package."""
    return Path(str(resources.files("assess.data") / "support" / "services.yaml"))


def load_actions(path: str | Path) -> ActionCatalogue:
    """Load and check an action catalogue; raise :class:`DataFileError` listing all problems."""
    return parse_actions(read_yaml(Path(path)), source=str(path))


def load_support(path: str | Path) -> SupportDirectory:
    """Load and check a support directory; raise :class:`DataFileError` listing all problems."""
    return parse_support(read_yaml(Path(path)), source=str(path))


def default_actions() -> ActionCatalogue:
    return load_actions(default_actions_path())


def default_support() -> SupportDirectory:
    return load_support(default_support_path())


# --- the action format -----------------------------------------------------------------------


def parse_actions(document: object, *, source: str = "<actions>") -> ActionCatalogue:
    """Build an :class:`ActionCatalogue` from a parsed YAML document, checking everything."""
    check = Checker(source)
    top = check.mapping(document, "top level", required=("format", "id", "version", "actions"))
    if top is None:
        check.raise_if_any()
        raise AssertionError("unreachable")  # pragma: no cover
    _check_format(check, top, ACTIONS_FORMAT, "an action catalogue")
    identifier = _read(top, "id", "", check.identifier)
    version = _read(top, "version", "", lambda node, where: _version(check, node, where))
    actions = each(check, top.get("actions"), "actions", lambda n, w: _action(check, n, w))
    _unique_entries(check, top.get("actions"), "actions", "action")
    check.raise_if_any()
    assert identifier is not None and version is not None
    return ActionCatalogue(id=identifier, version=version, actions=tuple(actions))


def _action(check: Checker, node: object, where: str) -> Action | None:
    fields = check.mapping(
        node,
        where,
        required=("id", "facets", "mode", "minutes", "horizon", "fields", "title", "steps", "why"),
        optional=("areas", "variants", "called_for", "denied_by", "services"),
    )
    if fields is None:
        return None
    identifier = _read(fields, "id", where, check.identifier)
    facets = _read(fields, "facets", where, lambda n, w: _identifiers(check, n, w, "facet"))
    mode: Mode | None = _read(fields, "mode", where, lambda n, w: _choice(check, n, w, MODES))
    minutes = _read(fields, "minutes", where, lambda n, w: check.integer(n, w, minimum=1))
    horizon: Horizon | None = _read(
        fields, "horizon", where, lambda n, w: _choice(check, n, w, HORIZONS)
    )
    if horizon == "today" and minutes is not None and minutes > TODAY_MAX_MINUTES:
        check.add(
            f"{where}.minutes",
            f"is {minutes} for a 'today' action, but a step for today takes at most "
            f"{TODAY_MAX_MINUTES} minutes; make it shorter or give it horizon 'week'",
        )
        minutes = None
    suited = _read(fields, "fields", where, lambda n, w: _field_codes(check, n, w))
    areas = (
        _read(fields, "areas", where, lambda n, w: _codes(check, n, w, AREA_CODES, "area"))
        if "areas" in fields
        else AREA_CODES
    )
    title = _read(fields, "title", where, check.text)
    steps = _read(fields, "steps", where, lambda n, w: _texts(check, n, w))
    why = _read(fields, "why", where, check.text)
    variants = (
        _variants(check, fields["variants"], f"{where}.variants", suited)
        if "variants" in fields
        else ()
    )
    called_for = _conditions(check, fields, "called_for", where)
    denied_by = _conditions(check, fields, "denied_by", where)
    services = (
        _read(fields, "services", where, lambda n, w: _identifiers(check, n, w, "service"))
        if "services" in fields
        else ()
    )
    if (
        identifier is None
        or facets is None
        or mode is None
        or minutes is None
        or horizon is None
        or suited is None
        or areas is None
        or title is None
        or steps is None
        or why is None
        or variants is None
        or called_for is None
        or denied_by is None
        or services is None
    ):
        return None
    return Action(
        id=identifier,
        facets=facets,
        mode=mode,
        minutes=minutes,
        horizon=horizon,
        fields=suited,
        areas=areas,
        title=title,
        steps=steps,
        why=why,
        variants=variants,
        called_for=called_for,
        denied_by=denied_by,
        services=services,
    )


def _conditions(
    check: Checker, fields: Mapping[str, Any], key: str, where: str
) -> tuple[Condition, ...] | None:
    """An optional list of answer conditions (any one of them counts)."""
    if key not in fields:
        return ()
    parsed = [
        _condition(check, node, f"{where}.{key}[{position}]")
        for position, node in enumerate(check.sequence(fields[key], f"{where}.{key}"))
    ]
    if not parsed or None in parsed:
        return None
    return tuple(c for c in parsed if c is not None)


def _field_codes(check: Checker, node: object, where: str) -> tuple[str, ...] | None:
    codes = _codes(check, node, where, (ANY_FIELD, *FIELD_CODES), "field")
    if codes is not None and ANY_FIELD in codes and len(codes) > 1:
        check.add(
            where,
            "lists 'any' with other fields; 'any' already covers every field: give [any] alone "
            "or list only the fields the action suits",
        )
        return None
    return codes


def _variants(
    check: Checker, node: object, where: str, suited: tuple[str, ...] | None
) -> tuple[ActionVariant, ...] | None:
    variants: list[ActionVariant] = []
    problems_before = len(check.problems)
    for position, variant_node in enumerate(check.sequence(node, where)):
        at = f"{where}[{position}]"
        fields = check.mapping(variant_node, at, required=("field", "steps"))
        if fields is None:
            continue
        field = _read(fields, "field", at, lambda n, w: _code(check, n, w, FIELD_CODES, "field"))
        if field is not None and suited is not None and not _suits(suited, field):
            check.add(
                f"{at}.field",
                f"is {field!r}, but the action only suits {list(suited)}: this variant would "
                "never be shown; add the field to 'fields' or remove the variant",
            )
        steps = _read(fields, "steps", at, lambda n, w: _texts(check, n, w))
        if field is not None and steps is not None:
            variants.append(ActionVariant(field=field, steps=steps))
    seen: set[str] = set()
    for variant in variants:
        if variant.field in seen:
            check.add(
                where,
                f"has two variants for field {variant.field!r}; merge them into one",
            )
        seen.add(variant.field)
    if len(check.problems) > problems_before:
        return None
    return tuple(variants)


def _suits(suited: tuple[str, ...], field: str) -> bool:
    return ANY_FIELD in suited or field in suited


# --- the support format ----------------------------------------------------------------------


def parse_support(document: object, *, source: str = "<support>") -> SupportDirectory:
    """Build a :class:`SupportDirectory` from a parsed YAML document, checking everything."""
    check = Checker(source)
    top = check.mapping(
        document, "top level", required=("format", "services", "lists"), optional=("rules",)
    )
    if top is None:
        check.raise_if_any()
        raise AssertionError("unreachable")  # pragma: no cover
    _check_format(check, top, SUPPORT_FORMAT, "a support directory")
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


def _condition(check: Checker, node: object, where: str) -> Condition | None:
    fields = check.mapping(
        node, where, required=(), optional=("facet", "bands", "min_percent", "item", "values")
    )
    if fields is None:
        return None
    by_facet = "facet" in fields or "bands" in fields or "min_percent" in fields
    by_item = "item" in fields or "values" in fields
    if by_facet and by_item:
        check.add(
            where,
            "mixes a facet condition ('facet' with 'bands' or 'min_percent') with an item "
            "condition ('item', 'values'); give each as its own entry under 'when'",
        )
        return None
    if not by_facet and not by_item:
        check.add(
            where,
            "has no condition; give 'facet' with 'bands' or 'min_percent', or 'item' and 'values'",
        )
        return None
    if by_item:
        for key in ("item", "values"):
            if key not in fields:
                check.add(where, f"has 'item' or 'values' but not both; add {key!r}")
        item = _read(fields, "item", where, check.identifier)
        values = _read(fields, "values", where, lambda n, w: _integers(check, n, w))
        if item is None or values is None:
            return None
        return Condition(item=item, values=values)
    if "facet" not in fields:
        check.add(where, "has 'bands' or 'min_percent' but no 'facet'; add 'facet'")
    if ("bands" in fields) == ("min_percent" in fields):
        check.add(where, "needs exactly one of 'bands' and 'min_percent' beside 'facet'")
        return None
    facet = _read(fields, "facet", where, check.identifier)
    if "bands" in fields:
        bands = _read(fields, "bands", where, lambda n, w: _identifiers(check, n, w, "band"))
        if facet is None or bands is None:
            return None
        return Condition(facet=facet, bands=bands)
    minimum = _read(fields, "min_percent", where, check.number)
    if minimum is not None and not 0 <= minimum <= 100:
        check.add(f"{where}.min_percent", f"must lie between 0 and 100, not {minimum:g}")
        return None
    if facet is None or minimum is None:
        return None
    return Condition(facet=facet, min_percent=minimum)


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


# --- checks against an instrument ------------------------------------------------------------


def check_against_instrument(
    data: ActionCatalogue | SupportDirectory,
    instrument: Instrument,
    *,
    source: str | None = None,
) -> list[Problem]:
    """Every problem in using `data` with `instrument` (empty when they fit together).

    An action must name facets the instrument has, and use field and area codes its profile
    offers (when it asks for them); a distress rule must name a facet and its bands, or an item
    and values its scale has.  Raise ``DataFileError(problems)`` to stop on them.
    """
    if isinstance(data, ActionCatalogue):
        check = Checker(source or f"action catalogue {data.id!r}")
        _check_actions_against(check, data, instrument)
    else:
        check = Checker(source or "support directory")
        _check_rules_against(check, data, instrument)
    return check.problems


def _check_actions_against(
    check: Checker, catalogue: ActionCatalogue, instrument: Instrument
) -> None:
    facet_ids = [facet.id for facet in instrument.facets]
    profile = {question.id: question.codes for question in instrument.profile}
    for action in catalogue.actions:
        where = f"actions (id {action.id!r})"
        for facet in action.facets:
            if facet not in facet_ids:
                check.add(
                    f"{where}.facets",
                    f"names facet {facet!r}, which instrument {instrument.id!r} does not have; "
                    + _suggest(facet, facet_ids),
                )
        if "field" in profile:
            codes = [c for c in action.fields if c != ANY_FIELD]
            codes += [variant.field for variant in action.variants]
            for code in dict.fromkeys(codes):
                if code not in profile["field"]:
                    check.add(
                        f"{where}.fields",
                        f"names field {code!r}, which the instrument's profile question 'field' "
                        f"does not offer; " + _suggest(code, profile["field"]),
                    )
        _check_conditions_against(check, (*action.called_for, *action.denied_by), where, instrument)
        if "area" in profile:
            for code in action.areas:
                if code not in profile["area"]:
                    check.add(
                        f"{where}.areas",
                        f"names area {code!r}, which the instrument's profile question 'area' "
                        f"does not offer; " + _suggest(code, profile["area"]),
                    )


def _check_rules_against(
    check: Checker, directory: SupportDirectory, instrument: Instrument
) -> None:
    for rule in directory.rules:
        _check_conditions_against(check, rule.conditions, f"rules (id {rule.id!r})", instrument)


def _check_conditions_against(
    check: Checker, conditions: Iterable[Condition], where: str, instrument: Instrument
) -> None:
    facet_ids = [facet.id for facet in instrument.facets]
    item_ids = [item.id for item in instrument.items]
    for condition in conditions:
        if condition.facet is not None:
            if condition.facet not in facet_ids:
                check.add(
                    f"{where}.facet",
                    f"names facet {condition.facet!r}, which instrument {instrument.id!r} "
                    "does not have; " + _suggest(condition.facet, facet_ids),
                )
                continue
            band_ids = [band.id for band in instrument.facet(condition.facet).bands.bands]
            for band in condition.bands:
                if band not in band_ids:
                    check.add(
                        f"{where}.bands",
                        f"names band {band!r}, which facet {condition.facet!r} does not "
                        "have; " + _suggest(band, band_ids),
                    )
        if condition.item is not None:
            if condition.item not in item_ids:
                check.add(
                    f"{where}.item",
                    f"names item {condition.item!r}, which instrument {instrument.id!r} "
                    "does not have; " + _suggest(condition.item, item_ids),
                )
                continue
            scale_values = instrument.item(condition.item).scale.values
            for value in condition.values:
                if value not in scale_values:
                    check.add(
                        f"{where}.values",
                        f"names value {value}, which item {condition.item!r} cannot be "
                        f"answered with; use one of {list(scale_values)}",
                    )


# --- small readers shared by both formats ------------------------------------------------------


def _read(
    fields: Mapping[str, Any], key: str, where: str, read: Callable[[object, str], T | None]
) -> T | None:
    """Read one key; a missing required key was already reported by ``Checker.mapping``."""
    if key not in fields:
        return None
    return read(fields[key], f"{where}.{key}" if where else key)


def _check_format(check: Checker, top: Mapping[str, Any], expected: str, what: str) -> None:
    if "format" in top and top["format"] != expected:
        check.add("format", f"must be {expected!r} for {what}, not {top['format']!r}")


def _version(check: Checker, node: object, where: str) -> str | None:
    if isinstance(node, bool) or not isinstance(node, str | int | float) or node == "":
        check.add(where, f"must be a version text such as '1.0', not {describe(node)}")
        return None
    return str(node)


def _choice(check: Checker, node: object, where: str, choices: Mapping[str, T]) -> T | None:
    value = check.choice(node, where, list(choices))
    return None if value is None else choices[value]


def _texts(check: Checker, node: object, where: str) -> tuple[Text, ...] | None:
    texts: list[Text] = []
    items = check.sequence(node, where)
    failed = not items
    for position, text_node in enumerate(items):
        text = check.text(text_node, f"{where}[{position}]")
        if text is None:
            failed = True
        else:
            texts.append(text)
    return None if failed else tuple(texts)


def _identifiers(check: Checker, node: object, where: str, what: str) -> tuple[str, ...] | None:
    items = check.sequence(node, where)
    identifiers = [check.identifier(item, f"{where}[{i}]") for i, item in enumerate(items)]
    if not items or None in identifiers:
        return None
    return _no_repeats(check, [i for i in identifiers if i is not None], where, what)


def _integers(check: Checker, node: object, where: str) -> tuple[int, ...] | None:
    items = check.sequence(node, where)
    values = [check.integer(item, f"{where}[{i}]") for i, item in enumerate(items)]
    if not items or None in values:
        return None
    unique = tuple(dict.fromkeys(v for v in values if v is not None))
    if len(unique) != len(values):
        check.add(where, "lists a value twice; give each once")
        return None
    return unique


def _code(check: Checker, node: object, where: str, known: Sequence[str], what: str) -> str | None:
    if isinstance(node, str) and node in known:
        return node
    hint = closest(str(node), known) if isinstance(node, str) else None
    check.add(
        where,
        f"is an unknown {what} code {node!r}"
        + (f"; did you mean {hint!r}?" if hint else "")
        + f" (known codes: {', '.join(known)})",
    )
    return None


def _codes(
    check: Checker, node: object, where: str, known: Sequence[str], what: str
) -> tuple[str, ...] | None:
    items = check.sequence(node, where)
    codes = [_code(check, item, f"{where}[{i}]", known, what) for i, item in enumerate(items)]
    if not items or None in codes:
        return None
    return _no_repeats(check, [c for c in codes if c is not None], where, what)


def _no_repeats(check: Checker, values: list[str], where: str, what: str) -> tuple[str, ...] | None:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        check.add(where, f"lists {what} {', '.join(map(repr, repeated))} twice; give each once")
        return None
    return tuple(values)


def _unique_entries(check: Checker, node: object, section: str, what: str) -> None:
    """Report ids given to more than one entry of a list section, valid entries or not."""
    if not isinstance(node, list):
        return
    entries = [
        (entry["id"], f"{section}[{position}] (id {entry['id']!r})")
        for position, entry in enumerate(node)
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
    ]
    check.unique_ids(entries, what)


def _suggest(word: str, known: Iterable[str]) -> str:
    known = list(known)
    hint = closest(word, known)
    return f"did you mean {hint!r}?" if hint else f"use one of {known}"
