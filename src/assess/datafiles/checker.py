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

from assess.core.model import Languages, Text
from assess.core.problems import ProblemsError
from assess.datafiles.compiled import read_document

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file: where, and what to do about it."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class DataFileError(ProblemsError[Problem]):
    """A data file is not valid; `problems` lists everything wrong with it."""

    @property
    def heading(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} found"


def read_yaml(path: Path) -> object:
    """Parse a YAML file, turning syntax errors into a :class:`DataFileError` with the line."""
    text = read_text(path)
    # Each visitor's kernel reads the same files: the JSON compiled at build time when it is
    # current, so that no kernel needs a YAML parser.
    return read_document(Path(path), text, partial(parse_yaml, source=str(path)))


# --- reading and parsing, with messages a person editing the file can act on ----------------

MAX_DATA_FILE_BYTES = 10_000_000
"""A data file larger than this is refused before it is read: the shipped bank is ~40 kB."""


def read_text(path: Path, *, limit: int = MAX_DATA_FILE_BYTES) -> str:
    """A text file's content as UTF-8 (a byte-order mark, as Windows Notepad writes, is dropped).

    Every way the file cannot be read becomes a :class:`DataFileError` naming the file: missing,
    a folder, too large, or not UTF-8 (saying where the first bad byte is, and naming Shift-JIS
    when the bytes read as Shift-JIS, as older Japanese Windows software saves them).
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise DataFileError(
            [Problem(str(path), "file", "does not exist; check the path")]
        ) from None
    except IsADirectoryError:
        raise DataFileError(
            [Problem(str(path), "file", "is a folder; give a data file here")]
        ) from None
    except PermissionError:
        raise DataFileError(
            [Problem(str(path), "file", "cannot be read (permission denied); check its rights")]
        ) from None
    if len(data) > limit:
        raise DataFileError(
            [
                Problem(
                    str(path),
                    "file",
                    f"is larger than {limit // 1_000_000} MB; a data file this size is not one "
                    "this program reads, check the path",
                )
            ]
        )
    return decode_utf8(data, source=str(path))


def decode_utf8(data: bytes, *, source: str) -> str:
    """`data` as UTF-8 text, or a :class:`DataFileError` saying where it is not and what to do.

    >>> decode_utf8("\\ufeffa: 1".encode(), source="x.yaml")
    'a: 1'
    >>> try:
    ...     decode_utf8("質問".encode("shift_jis"), source="x.yaml")
    ... except DataFileError as error:
    ...     print(error.problems[0].entry, "|", error.problems[0].message[:46])
    line 1, column 1 | is Shift-JIS text, not UTF-8 (byte 0x8e); save
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        good = data[:start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        try:
            data.decode("shift_jis")
            kind = "is Shift-JIS text, not UTF-8"
        except UnicodeDecodeError:
            kind = "is not UTF-8 text"
        raise DataFileError(
            [
                Problem(
                    source,
                    f"line {line}, column {column}",
                    f"{kind} (byte 0x{data[start]:02x}); save it as UTF-8 "
                    "(in Notepad: Save As, Encoding: UTF-8)",
                )
            ]
        ) from None


def parse_yaml(text: str, *, source: str) -> object:
    """Parse YAML text strictly: a key written twice in one mapping is an error naming both
    lines (YAML parsers silently keep the last), and syntax errors name the line to fix.

    >>> parse_yaml("a: 1\\nb: 2\\na: 3\\n", source="x.yaml")
    Traceback (most recent call last):
    ...
    assess.datafiles.checker.DataFileError: 1 problem found:
      - x.yaml: line 3: repeats key 'a' of line 1; YAML would keep only this one: remove one of them
    """
    # Imported here: only a file edited since it was compiled (or never compiled) needs PyYAML.
    import yaml

    loader = _strict_loader()(text)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        raise DataFileError([_yaml_problem(error, text, source)]) from None
    except RecursionError:
        raise DataFileError(
            [Problem(source, "file", "nests lists or mappings too deeply to read; flatten it")]
        ) from None
    finally:
        loader.dispose()
    if loader.repeated:
        raise DataFileError(
            [
                Problem(
                    source,
                    f"line {again}",
                    f"repeats key {shown(key)} of line {first}; YAML would keep only this one: "
                    "remove one of them",
                )
                for key, first, again in loader.repeated
            ]
        )
    return document


def _yaml_problem(error: Exception, text: str, source: str) -> Problem:
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
    problem = str(getattr(error, "problem", None) or error)
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    indent = line[: len(line) - len(line.lstrip())]
    if "'\\t'" in problem or "\t" in indent:
        return Problem(
            source, where, "is indented with a tab; YAML indents with spaces: replace the tab"
        )
    if "nesting depth" in problem:  # libyaml's own guard against deep nesting
        return Problem(source, where, "nests lists or mappings too deeply to read; flatten it")
    if "constructor for the tag" in problem:
        tag = getattr(error, "problem", "")
        tag_name = tag.split("tag", 1)[-1].strip() if isinstance(tag, str) else ""
        return Problem(
            source,
            where,
            f"uses a YAML tag ({shown(tag_name, limit=60)[1:-1]}) this format does not read; "
            "remove the '!' tag",
        )
    return Problem(
        source,
        where,
        f"is not valid YAML ({shown(problem, limit=120)[1:-1]}); fix the syntax there",
    )


def shown(value: object, *, limit: int = 60) -> str:
    """A value as a message quotes it: repr (control characters escaped), cut to `limit`."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


_LOADERS: dict[str, type] = {}


def _strict_loader() -> type:
    """A safe loader (libyaml's C parser when installed) that notes keys repeated in a mapping."""
    import yaml

    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    if base.__name__ not in _LOADERS:
        _LOADERS[base.__name__] = _make_strict(base)
    return _LOADERS[base.__name__]


def _make_strict(base: type) -> type:
    import yaml

    class StrictLoader(base):  # type: ignore[misc]
        """Notes (key, first line, repeated line) for every key written twice in a mapping."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.repeated: list[tuple[object, int, int]] = []

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[type-arg]
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in seen:
                        self.repeated.append((key, seen[key], line))
                    else:
                        seen[key] = line
                except TypeError:  # an unhashable key: the base class reports it
                    continue
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    return StrictLoader


# --- a small checker that records problems instead of stopping at the first ------------------


@dataclass(frozen=True)
class FileKind:
    """A kind of data file: its ``format:`` value, what messages call it, its top-level keys
    (``format`` is always one)."""

    format: str
    what: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


class Checker:
    """Collects problems for one file while its parts are read."""

    def __init__(self, source: str, *, languages: Languages | None = None) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._languages = languages
        """The languages every text must have; by default the ones the shipped data offers."""

    @property
    def languages(self) -> Languages:
        if self._languages is None:
            from assess.datafiles.languages import default_languages

            self._languages = default_languages()
        return self._languages

    def add(self, entry: str, message: str) -> None:
        self.problems.append(Problem(self.source, entry, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems)

    def top_level(self, document: object, kind: FileKind) -> dict[str, Any]:
        """The top-level mapping of a data file of `kind`, its keys and its ``format:`` checked
        the same way for every kind of file.  A document that is no mapping at all is reported
        at once (nothing more can be read); a missing ``format`` is one problem, not two."""
        required = ("format", *kind.required)
        top = self.mapping(document, "top level", required=required, optional=kind.optional)
        if top is None:
            self.raise_if_any()
            raise AssertionError("unreachable")  # pragma: no cover
        if "format" in top and top["format"] != kind.format:
            self.add(
                "format", f"must be {kind.format!r} for {kind.what}, not {shown(top['format'])}"
            )
        return top

    def mapping(
        self,
        node: object,
        entry: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
        aliases: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Check a mapping's keys: missing required ones and unknown ones are problems.

        `aliases` maps keys people write by habit to the one meant (``jp`` → ``ja``)."""
        if not isinstance(node, Mapping):
            self.add(entry, f"must be a mapping of keys to values, not {describe(node)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in node:
            if key not in allowed:
                hint = (aliases or {}).get(str(key).lower()) or closest(str(key), allowed)
                suggestion = f"did you mean {hint!r}?" if hint else "remove it"
                known = ", ".join(sorted(allowed))
                self.add(entry, f"unknown key {shown(key)}; {suggestion} (known keys: {known})")
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
                + (f" {shown(node)}" if isinstance(node, str) else ""),
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
            self.add(entry, f"must be one of {listed}, not {shown(node)}")
            return None
        assert isinstance(node, str)
        return node

    def text(self, node: object, entry: str) -> Text | None:
        """A text in every language offered; each missing translation names the language to add,
        so that a file missing three texts gets three problems."""
        offered = self.languages.offered
        codes = tuple(language.code for language in offered)
        if isinstance(node, str):
            names = [language.english_name for language in offered]
            listed = " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
            keys = ", ".join(f"{code}: ..." for code in codes)
            self.add(entry, f"must give the text in {listed}, as {{{keys}}}")
            return None
        aliases = {habit: code for habit, code in LANGUAGE_KEYS.items() if code in codes}
        fields = self.mapping(node, entry, required=(), optional=codes, aliases=aliases)
        if fields is None:
            return None
        # A text under `jp:` is reported once, as the key to rename, not again as missing.
        misnamed = {aliases.get(str(key).lower()) for key in fields if key not in codes}
        texts: dict[str, str] = {}
        for language in offered:
            value = fields.get(language.code)
            if value is None and language.code in misnamed:
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add(
                    entry,
                    f"missing translation: add the {language.english_name} text "
                    f"under {language.code!r}",
                )
            elif not isinstance(value, str):
                self.add(f"{entry}.{language.code}", f"must be a text, not {describe(value)}")
            else:
                texts[language.code] = value
        if len(texts) != len(codes):
            return None
        return Text.of(texts)

    def unique_ids(self, entries: Sequence[tuple[str, str]], what: str) -> None:
        """Report ids that appear more than once; `entries` pairs each id with where it stands."""
        counts = Counter(identifier for identifier, _ in entries)
        for identifier, count in counts.items():
            if count > 1:
                places = [where for i, where in entries if i == identifier]
                self.add(
                    places[1],
                    f"duplicate {what} id {shown(identifier)} (also at {places[0]}); "
                    "give each a different id",
                )


LANGUAGE_KEYS = {
    "jp": "ja",
    "jpn": "ja",
    "japanese": "ja",
    "ja-jp": "ja",
    "ja_jp": "ja",
    "日本語": "ja",
    "eng": "en",
    "english": "en",
    "en-us": "en",
    "en_us": "en",
    "en-gb": "en",
    "英語": "en",
}
"""Language keys people write by habit, and the key this format reads for each."""


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
