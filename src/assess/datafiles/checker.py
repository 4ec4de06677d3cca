"""The toolkit every data-file parser shares: a problem, the error that lists them all, reading a
YAML file, and a checker that records problems instead of stopping at the first, so that a person
editing a file fixes it in one round.

>>> check = Checker("demo.yaml")
>>> check.mapping(["not", "a", "mapping"], "top level", required=()) is None
True
>>> str(check.problems[0]).startswith("demo.yaml: top level:")
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from assess.core.model import LANGUAGES, Text
from assess.datafiles.compiled import parse_yaml_text, read_document

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file: where, and what to do about it."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class DataFileError(ValueError):
    """A data file is not valid; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(heading + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


def read_yaml(path: Path) -> object:
    """Parse a YAML file, turning syntax errors into a :class:`DataFileError` with the line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(
            [Problem(str(path), "file", "does not exist; check the path")]
        ) from None
    except UnicodeDecodeError as error:
        raise DataFileError(
            [Problem(str(path), "file", f"is not UTF-8 text ({error.reason}); save it as UTF-8")]
        ) from None
    # Each visitor's kernel reads the same files: the JSON compiled at build time when it is
    # current, so that no kernel needs a YAML parser.
    return read_document(Path(path), text, partial(_parse_yaml, source=str(path)))


def _parse_yaml(text: str, *, source: str) -> object:
    import yaml  # only for a file edited since the package was built, or never compiled

    try:
        return parse_yaml_text(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(error, "problem", None) or str(error)
        raise DataFileError(
            [Problem(source, where, f"is not valid YAML ({problem}); fix the syntax there")]
        ) from None


# --- a small checker that records problems instead of stopping at the first ------------------


class Checker:
    """Collects problems for one file while its parts are read."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, entry: str, message: str) -> None:
        self.problems.append(Problem(self.source, entry, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems)

    def mapping(
        self,
        node: object,
        entry: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """Check a mapping's keys: missing required ones and unknown ones are problems."""
        if not isinstance(node, Mapping):
            self.add(entry, f"must be a mapping of keys to values, not {describe(node)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in node:
            if key not in allowed:
                hint = closest(str(key), allowed)
                suggestion = f"did you mean {hint!r}?" if hint else "remove it"
                known = ", ".join(sorted(allowed))
                self.add(entry, f"unknown key {key!r}; {suggestion} (known keys: {known})")
        for key in required:
            if key not in node:
                self.add(entry, f"missing required key {key!r}; add it")
        return dict(node)

    def sequence(self, node: object, entry: str, *, allow_empty: bool = False) -> list[Any]:
        if not isinstance(node, list):
            self.add(entry, f"must be a list, not {describe(node)}")
            return []
        if not node and not allow_empty:
            self.add(entry, "is empty; add at least one entry")
        return node

    def string(self, node: object, entry: str) -> str | None:
        if not isinstance(node, str) or not node.strip():
            self.add(entry, f"must be a non-empty text, not {describe(node)}")
            return None
        return node

    def identifier(self, node: object, entry: str) -> str | None:
        if not isinstance(node, str) or not node or not all(c.isalnum() or c in "_-" for c in node):
            self.add(
                entry,
                f"must be an id of letters, digits, '_' or '-', not {describe(node)}"
                + (f" {node!r}" if isinstance(node, str) else ""),
            )
            return None
        return node

    def number(self, node: object, entry: str) -> float | None:
        if isinstance(node, bool) or not isinstance(node, int | float) or not math.isfinite(node):
            self.add(entry, f"must be a number, not {describe(node)}")
            return None
        return float(node)

    def integer(self, node: object, entry: str, *, minimum: int | None = None) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int):
            self.add(entry, f"must be a whole number, not {describe(node)}")
            return None
        if minimum is not None and node < minimum:
            self.add(entry, f"must be at least {minimum}, not {node}")
            return None
        return node

    def boolean(self, node: object, entry: str) -> bool | None:
        if not isinstance(node, bool):
            self.add(entry, f"must be true or false, not {describe(node)}")
            return None
        return node

    def choice(self, node: object, entry: str, choices: Sequence[str]) -> str | None:
        if node not in choices:
            listed = ", ".join(repr(c) for c in choices)
            self.add(entry, f"must be one of {listed}, not {node!r}")
            return None
        assert isinstance(node, str)
        return node

    def text(self, node: object, entry: str) -> Text | None:
        """A text in every language; a missing translation names the language to add."""
        if isinstance(node, str):
            self.add(entry, "must give the text in Japanese and English, as {ja: ..., en: ...}")
            return None
        fields = self.mapping(node, entry, required=(), optional=LANGUAGES)
        if fields is None:
            return None
        texts: dict[str, str] = {}
        for language in LANGUAGES:
            value = fields.get(language)
            if value is None or (isinstance(value, str) and not value.strip()):
                name = {"ja": "Japanese", "en": "English"}[language]
                self.add(entry, f"missing translation: add the {name} text under {language!r}")
            elif not isinstance(value, str):
                self.add(f"{entry}.{language}", f"must be a text, not {describe(value)}")
            else:
                texts[language] = value
        if len(texts) != len(LANGUAGES):
            return None
        return Text(**texts)

    def unique_ids(self, entries: Sequence[tuple[str, str]], what: str) -> None:
        """Report ids that appear more than once; `entries` pairs each id with where it stands."""
        counts = Counter(identifier for identifier, _ in entries)
        for identifier, count in counts.items():
            if count > 1:
                places = [where for i, where in entries if i == identifier]
                self.add(
                    places[1],
                    f"duplicate {what} id {identifier!r} (also at {places[0]}); "
                    "give each a different id",
                )


def describe(node: object) -> str:
    """How a value reads in a message: `the text 'x'`, `a list`, `nothing` ..."""
    if node is None:
        return "nothing"
    if isinstance(node, bool):
        return f"true/false ({node})"
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    if isinstance(node, str):
        return f"the text {node!r}" if len(node) < 40 else "a text"
    if isinstance(node, int | float):
        return f"the number {node}"
    return type(node).__name__


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate a misspelt word most likely meant, if any is close."""
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def where_in(section: str, position: int, node: object) -> str:
    identifier = node.get("id") if isinstance(node, Mapping) else None
    return f"{section}[{position}]" + (
        f" (id {identifier!r})" if isinstance(identifier, str) else ""
    )


def each(
    check: Checker, node: object, section: str, read: Callable[[object, str], T | None]
) -> list[T]:
    """Read every entry of a list section, keeping the ones that parsed."""
    parsed: list[T] = []
    for position, entry_node in enumerate(check.sequence(node, section)):
        value = read(entry_node, where_in(section, position, entry_node))
        if value is not None:
            parsed.append(value)
    return parsed
