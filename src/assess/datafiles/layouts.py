"""The layouts a questionnaire's result codes were made with, kept as data files so that a code
handed out before a question was added still reads (:mod:`assess.core.result_code`).

A bank ``<folder>/instruments/<name>.yaml`` keeps its layouts in ``<folder>/layouts/<name>.yaml``,
written by this module's command, never by hand, whenever the bank's questions change::

    python -m assess.datafiles.layouts --update            # the shipped bank
    python -m assess.datafiles.layouts --update BANK.yaml  # another one

It adds today's layout to the file and keeps every earlier one; ``--check`` (the default) only
says whether today's layout is there.

>>> from assess import default_instrument
>>> from assess.core.result_code import CodeLayout
>>> CodeLayout.of(default_instrument()) in default_layouts()
True
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from assess.core.model import Instrument
from assess.core.result_code import CodeLayout
from assess.datafiles.checker import Checker, FileKind, each, read_yaml, shown
from assess.datafiles.instrument import default_instrument_path, load_instrument

FORMAT = "assess-layouts/1"
LAYOUTS = FileKind(FORMAT, "a layouts file", required=("instrument", "layouts"))
COMMAND = "python -m assess.datafiles.layouts --update"

T = TypeVar("T")


def layouts_path(instrument_path: str | Path) -> Path:
    """Where the layouts of the bank at `instrument_path` are kept."""
    path = Path(instrument_path)
    return path.parent.parent / "layouts" / path.name


def default_layouts() -> tuple[CodeLayout, ...]:
    """Every layout the shipped questionnaire's codes were made with."""
    return load_layouts(layouts_path(default_instrument_path()))


def load_layouts(path: str | Path) -> tuple[CodeLayout, ...]:
    """The layouts in a layouts file; none when the bank has none yet (only today's codes read).

    Raises :class:`assess.datafiles.checker.DataFileError` for a file that is not valid."""
    path = Path(path)
    if not path.is_file():
        return ()
    return parse_layouts(read_yaml(path), source=str(path))


def parse_layouts(document: object, *, source: str = "<layouts>") -> tuple[CodeLayout, ...]:
    """The layouts of a parsed layouts file, each checked against the id it was written with."""
    check = Checker(source)
    top = check.top_level(document, LAYOUTS)
    instrument = check.identifier(top.get("instrument"), "instrument") or ""
    layouts = each(
        check, top.get("layouts"), "layouts", lambda n, w: _layout(check, n, w, instrument)
    )
    check.raise_if_any()
    return tuple(layouts)


def _layout(check: Checker, node: object, where: str, instrument: str) -> CodeLayout | None:
    fields = check.mapping(node, where, required=("id", "version", "items"), optional=("profile",))
    if fields is None:
        return None
    version = fields.get("version")
    if not isinstance(version, str):
        check.add(f"{where}.version", f"must be a version text, not {shown(version)}")
        return None
    items = _questions(check, fields.get("items"), f"{where}.items", "values", int)
    profile = _questions(check, fields.get("profile", []), f"{where}.profile", "codes", str)
    if items is None or profile is None:
        return None
    layout = CodeLayout(instrument, version, items, profile)
    if fields.get("id") != layout.id:
        check.add(
            f"{where}.id",
            f"is {shown(fields.get('id'))}, but its questions make layout {layout.id!r}: the "
            f"file was changed by hand; restore it from version control and run `{COMMAND}`",
        )
        return None
    return layout


def _questions(
    check: Checker, node: object, where: str, key: str, kind: type[T]
) -> tuple[tuple[str, tuple[T, ...]], ...] | None:
    """Each question's id and its option values (or codes), in order."""
    found = []
    for position, entry in enumerate(check.sequence(node, where, allow_empty=key == "codes")):
        here = f"{where}[{position}]"
        fields = check.mapping(entry, here, required=("id", key))
        if fields is None:
            return None
        identifier = check.identifier(fields.get("id"), f"{here}.id")
        options = fields.get(key)
        if (
            not isinstance(options, list)
            or not options
            or not all(isinstance(o, kind) and not isinstance(o, bool) for o in options)
        ):
            check.add(f"{here}.{key}", f"must be a list of {kind.__name__}, not {shown(options)}")
            return None
        if identifier is None:
            return None
        found.append((identifier, tuple(o for o in options if isinstance(o, kind))))
    return tuple(found)


def layouts_text(instrument: Instrument, layouts: Iterable[CodeLayout]) -> str:
    """A layouts file holding `layouts`, oldest first, then today's layout if it is new."""
    today = CodeLayout.of(instrument)
    kept = [layout for layout in layouts if layout != today] + [today]
    lines = [
        f"# Result code layouts of questionnaire {instrument.id!r}: the questions and option",
        "# values its result codes were made with, oldest first, so that older codes still read.",
        f"# Written by `{COMMAND}`",
        "# whenever the questions change; never edit it by hand.",
        f"format: {FORMAT}",
        f"instrument: {_quoted(instrument.id)}",
        "layouts:",
    ]
    for layout in kept:
        lines += [f"  - id: {_quoted(layout.id)}", f"    version: {_quoted(layout.version)}"]
        lines.append("    items:")
        lines += [
            f"      - {{id: {_quoted(i)}, values: {list(values)}}}" for i, values in layout.items
        ]
        if layout.profile:
            lines.append("    profile:")
            lines += [
                f"      - {{id: {_quoted(q)}, codes: [{', '.join(map(_quoted, codes))}]}}"
                for q, codes in layout.profile
            ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A text as a YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def main(arguments: Sequence[str] | None = None) -> int:
    """Check, or with ``--update`` write, the layouts file of each bank given (default: ours)."""
    parser = argparse.ArgumentParser(
        prog="python -m assess.datafiles.layouts",
        description="Keep the layouts a bank's result codes were made with.",
    )
    parser.add_argument("instruments", nargs="*", type=Path, help="instrument files")
    parser.add_argument("--update", action="store_true", help="add today's layout to the file")
    options = parser.parse_args(arguments)
    status = 0
    for path in options.instruments or [default_instrument_path()]:
        instrument = load_instrument(path)
        target = layouts_path(path)
        kept = load_layouts(target)
        if any(layout.instrument_id != instrument.id for layout in kept):
            print(f"{target}: holds layouts of another questionnaire, not {instrument.id!r}")
            return 1
        if CodeLayout.of(instrument) in kept:
            print(f"{target}: today's layout {CodeLayout.of(instrument).id} is kept")
        elif options.update:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(layouts_text(instrument, kept), encoding="utf-8")
            print(f"{target}: added today's layout {CodeLayout.of(instrument).id}")
        else:
            command = f"{COMMAND} {path}" if options.instruments else COMMAND
            print(f"{target}: today's layout is missing; run `{command}`", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
