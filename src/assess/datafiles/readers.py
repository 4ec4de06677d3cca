"""Small readers shared by the data-file formats of :mod:`assess.datafiles.catalogue` and
:mod:`assess.datafiles.support`: each reports what is wrong with the entry and how to fix it,
and returns None instead of raising, so that every problem in a file is reported at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from assess.core.model import Condition, Instrument, Text
from assess.datafiles.checker import Checker, closest, describe

T = TypeVar("T")


# --- answer conditions (support rules; an action's called_for and denied_by) -----------------


def _condition(check: Checker, node: object, where: str) -> Condition | None:
    fields = check.mapping(
        node,
        where,
        required=(),
        optional=("facet", "bands", "min_percent", "item", "values", "all"),
    )
    if fields is None:
        return None
    if "all" in fields:
        return _all_of(check, fields, where)
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


def _all_of(check: Checker, fields: Mapping[str, Any], where: str) -> Condition | None:
    """Several conditions that must hold together, e.g. no event this year *and* no posting
    online: together they deny having met anyone recently, where one alone does not."""
    if len(fields) > 1:
        check.add(
            where,
            "gives 'all' beside other keys; put every condition inside 'all', one entry each",
        )
        return None
    parsed = _conditions(check, fields, "all", where)
    if parsed is None:
        return None
    if len(parsed) < 2:
        check.add(
            f"{where}.all",
            "holds fewer than two conditions; give the single condition without 'all'",
        )
        return None
    return Condition(all_of=parsed)


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


def _check_conditions_against(
    check: Checker, conditions: Iterable[Condition], where: str, instrument: Instrument
) -> None:
    facet_ids = [facet.id for facet in instrument.facets]
    item_ids = [item.id for item in instrument.items]
    for condition in conditions:
        if condition.all_of:
            _check_conditions_against(check, condition.all_of, f"{where}.all", instrument)
        if condition.facet is not None:
            if not _known(check, where, "facet", condition.facet, facet_ids, instrument):
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
            if not _known(check, where, "item", condition.item, item_ids, instrument):
                continue
            scale_values = instrument.item(condition.item).scale.values
            for value in condition.values:
                if value not in scale_values:
                    check.add(
                        f"{where}.values",
                        f"names value {value}, which item {condition.item!r} cannot be "
                        f"answered with; use one of {list(scale_values)}",
                    )


def _known(
    check: Checker, where: str, kind: str, name: str, known: list[str], instrument: Instrument
) -> bool:
    """Whether the instrument has the facet or item a condition names; if not, say so."""
    if name in known:
        return True
    check.add(
        f"{where}.{kind}",
        f"names {kind} {name!r}, which instrument {instrument.id!r} does not have; "
        + _suggest(name, known),
    )
    return False


# --- small readers ------------------------------------------------------------------------------


def _read(
    fields: Mapping[str, Any], key: str, where: str, read: Callable[[object, str], T | None]
) -> T | None:
    """Read one key; a missing required key was already reported by ``Checker.mapping``."""
    if key not in fields:
        return None
    return read(fields[key], f"{where}.{key}" if where else key)


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
