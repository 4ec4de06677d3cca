"""Parsed data files kept as JSON, named by the file's content, so kernels skip parsing YAML.

PyYAML builds every document in Python: the shipped instrument alone takes ~20 ms, which each of
a workshop's 30 kernels pays on the way to the first question, while the same document read back
as JSON takes under 1 ms.  An entry is named by the SHA-256 of the text it was parsed from, so an
edited file can never be answered from a stale entry.  Documents JSON cannot hold exactly (dates,
non-string keys) are not kept, and a cache that cannot be read or written only costs the parse.
Only data files pass through here, never anything a person answered.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> parsed("a: 1", lambda text: {"a": 1}, directory=folder)
{'a': 1}
>>> parsed("a: 1", lambda text: 1 / 0, directory=folder)  # not parsed again
{'a': 1}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

CACHE_DIR_VARIABLE = "ASSESS_CACHE_DIR"
"""Where entries go; set to an empty string to parse every time."""


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """``$ASSESS_CACHE_DIR``, else ``$XDG_CACHE_HOME/assess/documents``, else ``~/.cache/…``;
    None when caching is turned off or no home directory is known."""
    environ = os.environ if environ is None else environ
    configured = environ.get(CACHE_DIR_VARIABLE)
    if configured is not None:
        return Path(configured) if configured else None
    base = environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no password entry (some containers)
            return None
    return Path(base) / "assess" / "documents"


def parsed(text: str, parse: Callable[[str], object], *, directory: Path | None) -> object:
    """`parse(text)`, or the document an earlier parse of the same text left in `directory`.

    Errors of `parse` propagate unchanged (nothing is kept for a text that does not parse)."""
    if directory is None:
        return parse(text)
    entry = directory / (hashlib.sha256(text.encode("utf-8")).hexdigest() + ".json")
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not there yet, unreadable or cut short: parse again
        pass
    document = parse(text)
    _keep(entry, document)
    return document


def _keep(entry: Path, document: object) -> None:
    try:
        encoded = json.dumps(document, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date, say: not kept, parsed each time
        return
    if json.loads(encoded) != document:  # integer keys would come back as strings
        return
    temporary = entry.with_name(f"{entry.stem}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(encoded, encoding="utf-8")
        # Whole or not at all: 30 kernels starting at once may write the same entry.
        os.replace(temporary, entry)
    except OSError:  # a read-only home, a full disk: parsing each time still works
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
