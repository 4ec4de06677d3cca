"""The action catalogue and the support directory: data files read into frozen value objects.

Two kinds of file sit beside the question banks (formats in ``data/README.md``):

- ``assess-actions/1``: the steps a first-step plan is drawn from, each tied to the facets it
  strengthens and fitted to a profile (online or offline, minutes, field of work, area);
- ``assess-support/1``: support services (verified numbers only, each with where and when it was
  checked), the lists of services shown at each level of support, and the rules that decide the
  level from the answers (the graded support of :mod:`assess.core.support`).

The support format is read in :mod:`assess.datafiles.support` and re-exported here, with the
small readers both formats share in :mod:`assess.datafiles.readers`.  As with question banks,
every problem in a file is reported at once, each with the file, the entry and what to fix.
:func:`check_against_instrument` then checks that the facets, bands, items and values a file
names exist in the instrument it is used with.

>>> catalogue = default_actions()
>>> action = catalogue.action("follow_field_hashtags")
>>> action.steps_for("design") != action.steps_for(None)
True
>>> directory = default_support()
>>> directory.service("emergency_ambulance").phone
'119'
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Literal

from assess.core.model import (
    Action,
    ActionCatalogue,
    ActionVariant,
    Condition,
    Instrument,
)
from assess.core.support import Kind, Region, SupportDirectory, SupportRule, SupportService
from assess.datafiles.checker import Checker, FileKind, Problem, each, read_yaml
from assess.datafiles.readers import (
    _check_conditions_against,
    _choice,
    _conditions,
    _identifiers,
    _read,
    _suggest,
    _texts,
    _unique_entries,
    _version,
)
from assess.datafiles.support import (
    SUPPORT_FORMAT,
    _check_rules_against,
    default_support,
    default_support_path,
    load_support,
    parse_support,
)

__all__ = [
    "ACTIONS_FORMAT",
    "ANY_FIELD",
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
ACTIONS = FileKind(ACTIONS_FORMAT, "an action catalogue", required=("id", "version", "actions"))

Mode = Literal["online", "offline", "either"]
Horizon = Literal["today", "week", "month"]
DistressRule = SupportRule
"""The earlier name of a support rule, kept for callers written against it."""

MODES: Mapping[str, Mode] = {"online": "online", "offline": "offline", "either": "either"}
HORIZONS: Mapping[str, Horizon] = {"today": "today", "week": "week", "month": "month"}
ANY_FIELD = "any"
TODAY_MAX_MINUTES = 15
"""A step for today takes at most this long."""


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


def load_actions(path: str | Path) -> ActionCatalogue:
    """Load and check an action catalogue; raise :class:`DataFileError` listing all problems."""
    return parse_actions(read_yaml(Path(path)), source=str(path))


def default_actions() -> ActionCatalogue:
    return load_actions(default_actions_path())


# --- the action format -----------------------------------------------------------------------


def parse_actions(document: object, *, source: str = "<actions>") -> ActionCatalogue:
    """Build an :class:`ActionCatalogue` from a parsed YAML document, checking everything."""
    check = Checker(source)
    top = check.top_level(document, ACTIONS)
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
        optional=(
            "areas",
            "variants",
            "called_for",
            "denied_by",
            "services",
            "sessions",
            "presumes",
        ),
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
    sessions = (
        _read(fields, "sessions", where, lambda n, w: check.integer(n, w, minimum=1))
        if "sessions" in fields
        else 1
    )
    if horizon == "today" and sessions is not None and sessions > 1:
        check.add(
            f"{where}.sessions",
            f"is {sessions} for a 'today' action, but a step for today is done once; "
            "remove 'sessions' or give it horizon 'week'",
        )
        sessions = None
    suited = _read(fields, "fields", where, lambda n, w: _field_codes(check, n, w))
    # Field and area codes are the bank's (its profile questions): any identifier here, and
    # check_against_instrument (run by `assess validate`) says which the bank does not offer.
    areas = (
        _read(fields, "areas", where, lambda n, w: _identifiers(check, n, w, "area"))
        if "areas" in fields
        else ()
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
    presumes = _read(fields, "presumes", where, check.string) if "presumes" in fields else None
    if ("presumes" in fields) != ("denied_by" in fields):
        check.add(
            where,
            "gives 'presumes' without 'denied_by' or the other way round; name the tie the "
            "step presumes in 'presumes' and the answers that deny it in 'denied_by'",
        )
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
        or sessions is None
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
        sessions=sessions,
        presumes=presumes,
    )


def _field_codes(check: Checker, node: object, where: str) -> tuple[str, ...] | None:
    codes = _identifiers(check, node, where, "field")
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
        field = _read(fields, "field", at, check.identifier)
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
        _check_conditions_against(check, action.called_for, f"{where}.called_for", instrument)
        _check_conditions_against(check, action.denied_by, f"{where}.denied_by", instrument)
        if "area" in profile:
            for code in action.areas:
                if code not in profile["area"]:
                    check.add(
                        f"{where}.areas",
                        f"names area {code!r}, which the instrument's profile question 'area' "
                        f"does not offer; " + _suggest(code, profile["area"]),
                    )
