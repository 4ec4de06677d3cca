"""Loading and validating question banks (YAML) into :class:`assess.core.model.Instrument`.

Every problem in a file is collected and reported at once, each naming the file, the entry and
what to fix, so that a person editing a bank fixes it in one round.  The format is described in
``data/README.md``.

Kept in one module, though long: one format, read in one pass whose sections check one another.

>>> from assess.datafiles.instrument import load_instrument, default_instrument_path
>>> load_instrument(default_instrument_path()).id
'freelance-connection'
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from assess.core.model import (
    Aggregation,
    Band,
    BandBasis,
    Bands,
    Facet,
    Index,
    Instrument,
    Item,
    MissingRule,
    Option,
    ProfileOption,
    ProfileQuestion,
    Reliability,
    Scale,
    Text,
)
from assess.datafiles.checker import (
    Checker,
    FileKind,
    closest,
    describe,
    each,
    read_yaml,
    shown,
    where_in,
)

FORMAT = "assess-instrument/1"
INSTRUMENT = FileKind(
    FORMAT,
    "an instrument",
    required=("id", "version", "title", "scales", "items", "facets", "indices"),
    optional=("description", "profile", "source"),
)

# Limits that keep every bank that validates scorable, identically, one person at a time and as a
# cohort: sums of weighted scores stay far inside float precision, never overflow to inf or NaN.
MAX_OPTION_VALUE = 1_000_000
"""An option's `value` and `score` lie within ±this."""
MIN_WEIGHT = 0.001
MAX_WEIGHT = 1000.0
"""An item's `weight` lies within these."""
MAX_BANDS = 100
"""Bands of one facet or index (the cohort scorer numbers them in one byte)."""

T = TypeVar("T")
N = TypeVar("N", int, float)


def default_instrument_path() -> Path:
    """The project's own instrument, shipped with the package."""
    return Path(str(resources.files("assess.data") / "instruments" / "freelance_connection.yaml"))


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate one instrument file; raise :class:`DataFileError` listing all problems."""
    path = Path(path)
    return parse_instrument(read_yaml(path), source=str(path))


# --- the instrument format --------------------------------------------------------------------


def parse_instrument(document: object, *, source: str = "<instrument>") -> Instrument:
    """Build an :class:`Instrument` from a parsed YAML document, checking everything."""
    check = Checker(source)
    top = check.top_level(document, INSTRUMENT)
    identifier = check.identifier(top.get("id"), "id")
    version = top.get("version")
    if "version" in top and (
        not isinstance(version, str | int | float) or isinstance(version, bool)
    ):
        check.add("version", f"must be a version text such as '1.0', not {describe(version)}")
    title = check.text(top.get("title"), "title")
    description = (
        check.text(top["description"], "description") if "description" in top else None
    ) or Text("", "")
    source_note = top.get("source", "")
    if not isinstance(source_note, str):
        check.add("source", f"must be a text, not {describe(source_note)}")
        source_note = ""

    scales = each(check, top.get("scales"), "scales", lambda n, w: _scale(check, n, w))
    check.unique_ids(_positions(top.get("scales"), "scales"), "scale")
    scales_by_id = {scale.id: scale for scale in scales}

    indices = each(check, top.get("indices"), "indices", lambda n, w: _index(check, n, w))
    check.unique_ids(_positions(top.get("indices"), "indices"), "index")
    facet_band_defaults = {index.id: default for index, default in indices}

    facets = each(
        check,
        top.get("facets"),
        "facets",
        lambda n, w: _facet(check, n, w, facet_band_defaults),
    )
    check.unique_ids(_positions(top.get("facets"), "facets"), "facet")

    items = each(
        check,
        top.get("items"),
        "items",
        lambda n, w: _item(
            check, n, w, scales_by_id, _declared(top.get("scales")), _declared(top.get("facets"))
        ),
    )
    profile = (
        each(check, top["profile"], "profile", lambda n, w: _profile_question(check, n, w))
        if "profile" in top
        else []
    )
    check.unique_ids(
        _positions(top.get("items"), "items") + _positions(top.get("profile"), "profile"),
        "question",
    )

    # Cross-references use what each entry declares, so that one broken entry does not make
    # every reference to it an error as well.
    used_facets = _declared(top.get("items"), key="facet")
    items_per_facet = _declared_count(top.get("items"), key="facet")
    facets_per_index = _declared_count(top.get("facets"), key="index")
    for facet in facets:
        if facet.id not in used_facets:
            check.add(
                f"facets (id {facet.id!r})",
                "has no items; give at least one item this facet, or remove the facet",
            )
        if facet.missing.max_missing >= items_per_facet[facet.id] > 0:
            check.add(
                f"facets (id {facet.id!r}).max_missing",
                f"allows all of its items to be missing ({facet.missing.max_missing}); "
                "lower it below the number of items",
            )
    for index, _ in indices:
        if index.id not in _declared(top.get("facets"), key="index"):
            check.add(
                f"indices (id {index.id!r})",
                "has no facets; name this index in at least one facet, or remove it",
            )
        elif index.missing.max_missing >= facets_per_index[index.id]:
            check.add(
                f"indices (id {index.id!r}).max_missing",
                f"allows all of its facets to be missing ({index.missing.max_missing}); "
                "lower it below the number of facets",
            )
        items_of_index = sum(items_per_facet[f.id] for f in facets if f.index == index.id)
        tolerated = index.missing.max_missing_items
        if tolerated is not None and tolerated >= items_of_index > 0:
            check.add(
                f"indices (id {index.id!r}).max_missing_items",
                f"allows all {items_of_index} items of its facets to be missing ({tolerated}); "
                "lower it below the number of items, or remove it",
            )
    index_ids = _declared(top.get("indices"))
    for facet in facets:
        if facet.index not in index_ids and indices:
            check.add(
                f"facets (id {facet.id!r}).index",
                f"names unknown index {shown(facet.index)}; use one of {sorted(index_ids)}",
            )

    # Bands are checked against the range of every facet (and index) whose parts all parsed,
    # together with the other problems, so that one round of edits fixes the whole file.
    whole_facets = [
        facet
        for facet in facets
        if 0 < items_per_facet[facet.id] == sum(1 for item in items if item.facet == facet.id)
    ]
    whole_indices = [
        index
        for index, _ in indices
        if 0
        < facets_per_index[index.id]
        == sum(1 for facet in whole_facets if facet.index == index.id)
    ]
    whole_ids = {facet.id for facet in whole_facets}
    instrument = Instrument(
        id=identifier or "",
        version=str(version),
        title=title or Text("", ""),
        description=description,
        scales=tuple(scales),
        items=tuple(item for item in items if item.facet in whole_ids),
        facets=tuple(whole_facets),
        indices=tuple(whole_indices),
        profile=tuple(profile),
        source=source_note,
    )
    _check_band_coverage(check, instrument)
    check.raise_if_any()
    return instrument


def _scale(check: Checker, node: object, where: str) -> Scale | None:
    fields = check.mapping(node, where, required=("id", "options"))
    if fields is None:
        return None
    identifier = check.identifier(fields.get("id"), f"{where}.id")
    options: list[Option] = []
    for position, option_node in enumerate(
        check.sequence(fields.get("options"), f"{where}.options")
    ):
        at = f"{where}.options[{position}]"
        option_fields = check.mapping(
            option_node, at, required=("value", "label"), optional=("score",)
        )
        if option_fields is None:
            continue
        value = _bounded(
            check,
            check.integer(option_fields.get("value"), f"{at}.value"),
            f"{at}.value",
            MAX_OPTION_VALUE,
        )
        score = (
            _bounded(
                check,
                check.number(option_fields["score"], f"{at}.score"),
                f"{at}.score",
                MAX_OPTION_VALUE,
            )
            if "score" in option_fields
            else (float(value) if value is not None else None)
        )
        label = check.text(option_fields.get("label"), f"{at}.label")
        if value is not None and score is not None and label is not None:
            options.append(Option(value=value, score=score, label=label))
    duplicates = [v for v, n in Counter(o.value for o in options).items() if n > 1]
    for value in duplicates:
        check.add(
            f"{where}.options", f"value {value} appears twice; give each option its own value"
        )
    if len(options) == 1:
        check.add(f"{where}.options", "has one option; a scale needs at least two")
    elif options and len({o.score for o in options}) == 1:
        check.add(
            f"{where}.options", "gives every option the same score; nothing could be measured"
        )
    if identifier is None or not options:
        return None
    return Scale(id=identifier, options=tuple(options))


def _bounded(check: Checker, number: N | None, entry: str, limit: float) -> N | None:
    """`number` when it lies within ±`limit`; a problem saying so otherwise."""
    if number is not None and abs(number) > limit:
        check.add(entry, f"must lie between {-limit:,} and {limit:,}, not {number:g}")
        return None
    return number


def _bands(check: Checker, node: object, where: str) -> Bands | None:
    fields = check.mapping(node, where, required=("basis", "ranges"))
    if fields is None:
        return None
    basis = check.choice(fields.get("basis"), f"{where}.basis", [b.value for b in BandBasis])
    bands: list[Band] = []
    placed: list[tuple[str, str]] = []  # each band id with where it stands, for duplicates
    for position, band_node in enumerate(check.sequence(fields.get("ranges"), f"{where}.ranges")):
        at = where_in(f"{where}.ranges", position, band_node)
        if isinstance(band_node, Mapping) and isinstance(band_node.get("id"), str):
            placed.append((band_node["id"], at))
        band_fields = check.mapping(
            band_node, at, required=("id", "from", "to", "label", "explanation")
        )
        if band_fields is None:
            continue
        identifier = check.identifier(band_fields.get("id"), f"{at}.id")
        lower = check.number(band_fields.get("from"), f"{at}.from")
        upper = check.number(band_fields.get("to"), f"{at}.to")
        label = check.text(band_fields.get("label"), f"{at}.label")
        explanation = check.text(band_fields.get("explanation"), f"{at}.explanation")
        if lower is not None and upper is not None and lower >= upper:
            check.add(at, f"'from' ({lower:g}) must be below 'to' ({upper:g})")
            continue
        if None not in (identifier, lower, upper, label, explanation):
            assert identifier and label and explanation and lower is not None and upper is not None
            bands.append(Band(identifier, lower, upper, label, explanation))
    check.unique_ids(placed, "band")
    ordered = sorted(bands, key=lambda band: band.lower)
    for before, after in itertools.pairwise(ordered):
        if after.lower < before.upper:
            check.add(
                f"{where}.ranges (id {after.id!r})",
                f"overlaps band {before.id!r}: it starts at {after.lower:g} but {before.id!r} "
                f"runs to {before.upper:g}; make 'from' equal the previous 'to'",
            )
        elif after.lower > before.upper:
            check.add(
                f"{where}.ranges (id {after.id!r})",
                f"leaves a gap after band {before.id!r}: scores from {before.upper:g} to "
                f"{after.lower:g} fall in no band; make 'from' equal the previous 'to' "
                "(bands run from 'from' up to but not including 'to')",
            )
    if len(bands) > MAX_BANDS:
        check.add(f"{where}.ranges", f"has {len(bands)} bands; give at most {MAX_BANDS}")
        return None
    if basis is None or not bands:
        return None
    return Bands(BandBasis(basis), tuple(ordered))


def _missing(check: Checker, fields: Mapping[str, Any], where: str) -> MissingRule:
    count = (
        check.integer(fields["max_missing"], f"{where}.max_missing", minimum=0)
        if "max_missing" in fields
        else 0
    )
    # Only an index may declare it (a facet's `max_missing` already counts items).
    items = (
        check.integer(fields["max_missing_items"], f"{where}.max_missing_items", minimum=0)
        if "max_missing_items" in fields
        else None
    )
    return MissingRule(max_missing=count or 0, max_missing_items=items)


class _Common(TypedDict):
    """What an index and a facet both declare, ready to build either."""

    id: str
    label: Text
    description: Text
    aggregation: Aggregation
    missing: MissingRule


def _common(check: Checker, fields: Mapping[str, object], where: str) -> _Common | None:
    """What an index and a facet both declare: id, label, description, aggregation and the
    missing-answer rule; None when any of them is wrong (each problem noted)."""
    identifier = check.identifier(fields.get("id"), f"{where}.id")
    label = check.text(fields.get("label"), f"{where}.label")
    description = check.text(fields.get("description"), f"{where}.description")
    aggregation = check.choice(
        fields.get("aggregation"), f"{where}.aggregation", [a.value for a in Aggregation]
    )
    missing = _missing(check, fields, where)
    if identifier is None or label is None or description is None or aggregation is None:
        return None
    return _Common(
        id=identifier,
        label=label,
        description=description,
        aggregation=Aggregation(aggregation),
        missing=missing,
    )


def _index(check: Checker, node: object, where: str) -> tuple[Index, Bands | None] | None:
    fields = check.mapping(
        node,
        where,
        required=("id", "label", "description", "aggregation", "higher_is", "bands"),
        optional=("max_missing", "max_missing_items", "facet_bands", "reliability"),
    )
    if fields is None:
        return None
    common = _common(check, fields, where)
    higher_is = check.choice(fields.get("higher_is"), f"{where}.higher_is", ["risk", "strength"])
    bands = _bands(check, fields.get("bands"), f"{where}.bands")
    facet_bands = (
        _bands(check, fields["facet_bands"], f"{where}.facet_bands")
        if "facet_bands" in fields
        else None
    )
    reliability = (
        _reliability(check, fields["reliability"], f"{where}.reliability")
        if "reliability" in fields
        else None
    )
    if common is None or higher_is is None or bands is None:
        return None
    index = Index(
        **common,
        bands=bands,
        higher_is="risk" if higher_is == "risk" else "strength",
        reliability=reliability,
    )
    return index, facet_bands


def _reliability(check: Checker, node: object, where: str) -> Reliability | None:
    """Test–retest reliabilities (between 0 and 1, below 1: a perfectly steady score would call
    every change real) and the spread of 0–100 scores; an assumption must say why."""
    fields = check.mapping(
        node, where, required=("index", "facets", "spread", "source"), optional=("note",)
    )
    if fields is None:
        return None
    retests = {}
    for name in ("index", "facets"):
        value = check.number(fields.get(name), f"{where}.{name}")
        if value is not None and not 0 <= value < 1:
            check.add(f"{where}.{name}", f"must be a reliability from 0 up to (not) 1, not {value}")
            value = None
        retests[name] = value
    spread = check.number(fields.get("spread"), f"{where}.spread")
    if spread is not None and not 0 < spread <= 50:
        check.add(
            f"{where}.spread",
            f"must be a spread of 0–100 scores, above 0 and at most 50, not {spread}",
        )
        spread = None
    source = check.string(fields.get("source"), f"{where}.source")
    note = check.string(fields["note"], f"{where}.note") if "note" in fields else ""
    if source == "assumption" and "note" not in fields:
        check.add(where, "is an assumption: add a 'note' saying why these values were chosen")
    index, facets = retests["index"], retests["facets"]
    if index is None or facets is None or spread is None or source is None or note is None:
        return None
    return Reliability(index=index, facets=facets, spread=spread, source=source, note=note)


def _facet(
    check: Checker, node: object, where: str, facet_band_defaults: Mapping[str, Bands | None]
) -> Facet | None:
    fields = check.mapping(
        node,
        where,
        required=("id", "index", "label", "description", "aggregation"),
        optional=("max_missing", "bands"),
    )
    if fields is None:
        return None
    common = _common(check, fields, where)
    index = check.identifier(fields.get("index"), f"{where}.index")
    if "bands" in fields:
        bands = _bands(check, fields["bands"], f"{where}.bands")
    else:
        bands = facet_band_defaults.get(index or "")
        if bands is None and index in facet_band_defaults:
            check.add(
                where,
                f"has no bands; add 'bands' here or 'facet_bands' to index {index!r}",
            )
    if common is None or index is None or bands is None:
        return None
    return Facet(**common, index=index, bands=bands)


def _positions(node: object, section: str) -> list[tuple[str, str]]:
    """Each declared id with where it stands, e.g. ``("q1", "items[3]")``."""
    if not isinstance(node, list):
        return []
    return [
        (entry["id"], f"{section}[{position}]")
        for position, entry in enumerate(node)
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
    ]


def _declared(node: object, *, key: str = "id") -> set[str]:
    """The `key` values that the entries of a list section declare, valid or not."""
    if not isinstance(node, list):
        return set()
    return {e[key] for e in node if isinstance(e, Mapping) and isinstance(e.get(key), str)}


def _declared_count(node: object, *, key: str) -> Counter[str]:
    """How many entries of a list section declare each `key` value, valid or not."""
    if not isinstance(node, list):
        return Counter()
    return Counter(e[key] for e in node if isinstance(e, Mapping) and isinstance(e.get(key), str))


def _item(
    check: Checker,
    node: object,
    where: str,
    scales: Mapping[str, Scale],
    scale_ids: set[str],
    facet_ids: set[str],
) -> Item | None:
    fields = check.mapping(
        node, where, required=("id", "facet", "scale", "text"), optional=("reverse", "weight")
    )
    if fields is None:
        return None
    identifier = check.identifier(fields.get("id"), f"{where}.id")
    facet = fields.get("facet")
    if facet is None or facet == "":
        check.add(where, "has no facet; name the facet this item belongs to")
        facet = None
    elif not isinstance(facet, str) or facet not in facet_ids:
        facet = check.identifier(facet, f"{where}.facet")
        if facet is not None:
            hint = closest(facet, facet_ids)
            check.add(
                f"{where}.facet",
                f"names unknown facet {shown(facet)}"
                + (f"; did you mean {hint!r}?" if hint else f"; use one of {sorted(facet_ids)}"),
            )
            facet = None
    scale_id = fields.get("scale")
    scale = scales.get(scale_id) if isinstance(scale_id, str) else None
    if (
        scale is None
        and "scale" in fields
        and (not isinstance(scale_id, str) or scale_id not in scale_ids)
    ):
        hint = closest(str(scale_id), scales)
        check.add(
            f"{where}.scale",
            f"names unknown scale {shown(scale_id)}"
            + (f"; did you mean {hint!r}?" if hint else f"; use one of {sorted(scales)}"),
        )
    text = check.text(fields.get("text"), f"{where}.text")
    reverse = check.boolean(fields.get("reverse", False), f"{where}.reverse")
    weight = check.number(fields.get("weight", 1.0), f"{where}.weight")
    if weight is not None and weight <= 0:
        check.add(f"{where}.weight", f"must be above 0, not {weight:g}")
        weight = None
    elif weight is not None and not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        check.add(
            f"{where}.weight",
            f"must be from {MIN_WEIGHT:g} to {MAX_WEIGHT:,g}, not {weight:g}; "
            "weights compare items with one another, so keep them near 1",
        )
        weight = None
    if None in (identifier, facet, scale, text, reverse, weight):
        return None
    assert identifier and isinstance(facet, str) and scale and text
    assert reverse is not None and weight is not None
    return Item(identifier, facet, scale, text, reverse=reverse, weight=weight)


def _profile_question(check: Checker, node: object, where: str) -> ProfileQuestion | None:
    fields = check.mapping(node, where, required=("id", "text", "options"))
    if fields is None:
        return None
    identifier = check.identifier(fields.get("id"), f"{where}.id")
    text = check.text(fields.get("text"), f"{where}.text")
    options: list[ProfileOption] = []
    for position, option_node in enumerate(
        check.sequence(fields.get("options"), f"{where}.options")
    ):
        at = f"{where}.options[{position}]"
        option_fields = check.mapping(option_node, at, required=("code", "label"))
        if option_fields is None:
            continue
        code = check.identifier(option_fields.get("code"), f"{at}.code")
        label = check.text(option_fields.get("label"), f"{at}.label")
        if code and label:
            options.append(ProfileOption(code, label))
    check.unique_ids([(o.code, f"{where}.options (code {o.code!r})") for o in options], "option")
    if identifier is None or text is None or not options:
        return None
    return ProfileQuestion(identifier, text, tuple(options))


def _check_band_coverage(check: Checker, instrument: Instrument) -> None:
    """Bands must cover every score a facet or index can take, from its lowest to its highest."""
    from assess.core.scoring import facet_range, index_range

    for facet in instrument.facets:
        low, high = facet_range(instrument, facet)
        _check_covers(check, f"facets (id {facet.id!r}).bands", facet.bands, low, high)
    for index in instrument.indices:
        low, high = index_range(instrument, index)
        _check_covers(check, f"indices (id {index.id!r}).bands", index.bands, low, high)


def _check_covers(check: Checker, where: str, bands: Bands, low: float, high: float) -> None:
    if bands.basis is BandBasis.PERCENT:
        low, high = 0.0, 100.0
    first, last = bands.bands[0], bands.bands[-1]
    if not (math.isclose(first.lower, low) and math.isclose(last.upper, high)):
        check.add(
            where,
            f"cover {first.lower:g}–{last.upper:g}, but {bands.basis.value} scores here run "
            f"{low:g}–{high:g}; make the first band start at {low:g} and the last end at {high:g}",
        )
