"""Data files compiled to JSON once, when the package is built, so that a visitor's kernel reads
them without a YAML parser.

PyYAML builds every document in Python (the shipped instrument alone takes ~20 ms, paid by each
of a workshop's kernels on the way to the first question) and is a compiled package that a
browser's Python may not have.  So each shipped ``name.yaml`` gets a ``name.json`` beside it:
built into the wheel by ``setup.py`` (``build_py``) and, for a checkout, by ``make`` (which runs
``python src/assess/datafiles/compiled.py data``; the files are ignored by git).  The JSON records
the SHA-256 of the YAML text it was compiled from, and :func:`read_document` uses it only while
that still matches: a YAML file edited after the build is parsed afresh, never answered from a
stale compile.  Reading never writes anything, anywhere.

JSON holds YAML's dates as ``{"$date": "YYYY-MM-DD"}``; a document JSON cannot give back exactly
(integer keys, a mapping that looks like a tagged date) is not compiled and stays YAML-only.

This module needs nothing but the standard library (PyYAML only to compile): ``setup.py`` loads
it by its file path while the package is being built.

>>> text = "checked: 2026-11-26\\nname: 窓口\\n"
>>> compiled = compile_text(text)
>>> document_if_current(compiled, text)
{'checked': datetime.date(2026, 11, 26), 'name': '窓口'}
>>> document_if_current(compiled, text + "# edited\\n") is None
True
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

FORMAT = "assess-compiled/1"
SUFFIX = ".json"
_DATE = "$date"
_DATETIME = "$datetime"


class CannotCompileError(ValueError):
    """A document JSON cannot give back exactly; it stays YAML-only."""


def fingerprint(text: str) -> str:
    """SHA-256 of a data file's text (as read, newlines normalised)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compiled_path(source: Path) -> Path:
    """Where the compiled form of `source` lives: beside it, ``.json`` for ``.yaml``."""
    return source.with_suffix(SUFFIX)


def parse_yaml_text(text: str) -> object:
    """YAML's safe parse, with libyaml's C parser when installed (10× PyYAML's own).

    A mapping with a key written twice is refused here (YAML would silently keep the last), so
    such a file is never compiled: it stays YAML, and the strict loader of
    :mod:`assess.datafiles.checker` names both lines to whoever reads it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _refuse_repeated_keys(yaml.compose(text, Loader=loader))
    return yaml.load(text, Loader=loader)


def _refuse_repeated_keys(root: object) -> None:
    import yaml

    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                raise ValueError("a key is written twice in one mapping")
            pending.extend(value for pair in node.value for value in pair)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)


def compile_text(text: str, parse: Callable[[str], object] = parse_yaml_text) -> str:
    """The compiled form of a data file's text: JSON carrying its fingerprint and document.

    Raises :class:`CannotCompileError` for a document JSON cannot give back exactly, and whatever
    `parse` raises for text that does not parse."""
    document = parse(text)
    try:
        encoded = json.dumps(
            {"format": FORMAT, "sha256": fingerprint(text), "document": document},
            ensure_ascii=False,
            allow_nan=False,
            default=_tag,
            separators=(",", ":"),
        )
    except (TypeError, ValueError) as error:
        raise CannotCompileError(str(error)) from None
    if _decode(encoded)["document"] != document:
        raise CannotCompileError("integer keys, or a mapping that reads as a tagged date")
    return encoded


def document_if_current(compiled: str, text: str) -> object | None:
    """The document `compiled` holds when it was compiled from exactly `text`, else None."""
    try:
        envelope = _decode(compiled)
    except ValueError:  # cut short or not ours: the YAML is the truth
        return None
    if (
        not isinstance(envelope, dict)
        or envelope.get("format") != FORMAT
        or envelope.get("sha256") != fingerprint(text)
        or "document" not in envelope
    ):
        return None
    return envelope["document"]


def read_document(source: Path, text: str, parse: Callable[[str], object]) -> object:
    """The document of the data file `source`, whose text is `text`: from its compiled JSON when
    that is current, else `parse(text)`.  Nothing is written."""
    try:
        compiled = compiled_path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return parse(text)
    document = document_if_current(compiled, text)
    return parse(text) if document is None else document


def compile_file(source: Path, target: Path | None = None) -> bool:
    """Write the compiled form of `source` (to `target`, default beside it) unless it is already
    there; False when it cannot be compiled (JSON cannot hold it, or it is not valid YAML while
    being edited), and then no stale JSON is left beside it either."""
    target = compiled_path(source) if target is None else target
    text = source.read_text(encoding="utf-8")
    try:
        compiled = compile_text(text)
    except Exception:  # JSON cannot hold it, or not valid YAML: the loader names the line
        target.unlink(missing_ok=True)
        return False
    try:
        if target.read_text(encoding="utf-8") == compiled:
            return True
    except OSError:
        pass
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(compiled, encoding="utf-8")
    os.replace(temporary, target)  # whole or not at all
    return True


def compile_folder(folder: Path) -> list[Path]:
    """Compile every ``*.yaml`` under `folder`; the files that stay YAML-only."""
    return [source for source in sorted(folder.rglob("*.yaml")) if not compile_file(source)]


def _tag(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not plain data")


def _untag(mapping: dict[str, object]) -> object:
    if len(mapping) == 1:
        ((key, value),) = mapping.items()
        if key == _DATE and isinstance(value, str):
            return datetime.date.fromisoformat(value)
        if key == _DATETIME and isinstance(value, str):
            return datetime.datetime.fromisoformat(value)
    return mapping


def _decode(encoded: str) -> dict[str, object]:
    decoded = json.loads(encoded, object_hook=_untag)
    if not isinstance(decoded, dict):
        raise ValueError("not a compiled data file")
    return decoded


def main(arguments: Iterable[str] | None = None) -> int:
    """``python src/assess/datafiles/compiled.py PATH...``: compile data files, or every data file
    under a folder, of a checkout (``make`` does this after installing)."""
    paths = [Path(p) for p in (sys.argv[1:] if arguments is None else arguments)]
    if not paths:
        print("usage: python src/assess/datafiles/compiled.py FILE-OR-FOLDER...", file=sys.stderr)
        return 2
    for path in paths:
        left = compile_folder(path) if path.is_dir() else [] if compile_file(path) else [path]
        for source in left:
            print(
                f"{source}: not compiled (not valid YAML, or JSON cannot hold it exactly); "
                "read as YAML, `assess validate` names any problem",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
