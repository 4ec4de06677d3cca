"""Every kind of data file: dispatch a parsed file to the parser its ``format:`` key names, and
list the files the package ships."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from assess.datafiles.checker import DataFileError, Problem, parse_yaml, read_yaml, shown
from assess.datafiles.instrument import FORMAT as INSTRUMENT_FORMAT
from assess.datafiles.instrument import default_instrument_path, parse_instrument


def _parsers() -> dict[str, Callable[..., object]]:
    from assess.datafiles.catalogue import (
        ACTIONS_FORMAT,
        SUPPORT_FORMAT,
        parse_actions,
        parse_support,
    )
    from assess.datafiles.languages import FORMAT as LANGUAGES_FORMAT
    from assess.datafiles.languages import parse_languages
    from assess.datafiles.layouts import FORMAT as LAYOUTS_FORMAT
    from assess.datafiles.layouts import parse_layouts
    from assess.datafiles.messages import FORMAT as MESSAGES_FORMAT
    from assess.datafiles.messages import parse_messages
    from assess.datafiles.reference import FORMAT as REFERENCE_FORMAT
    from assess.datafiles.reference import parse_reference

    return {
        INSTRUMENT_FORMAT: parse_instrument,
        ACTIONS_FORMAT: parse_actions,
        SUPPORT_FORMAT: parse_support,
        MESSAGES_FORMAT: parse_messages,
        REFERENCE_FORMAT: parse_reference,
        LAYOUTS_FORMAT: parse_layouts,
        LANGUAGES_FORMAT: parse_languages,
    }


def parse_data_file(document: object, *, source: str) -> object:
    """Parse any known kind of data file; raise :class:`DataFileError` listing every problem."""
    parsers = _parsers()
    kind = document.get("format") if isinstance(document, Mapping) else None
    parser = parsers.get(kind) if isinstance(kind, str) else None
    if parser is None:
        known = ", ".join(repr(k) for k in sorted(parsers))
        raise DataFileError(
            [
                Problem(
                    source,
                    "format",
                    f"is {shown(kind)}; say which kind of file this is: one of {known}",
                )
            ]
        )
    return parser(document, source=source)


def shipped_data_paths() -> list[Path]:
    """Every data file the quiz reads, some only once a person reaches the results (actions,
    support services, survey) or restores a code (layouts): `assess serve` checks them all
    before taking visitors."""
    from assess.datafiles.catalogue import default_actions_path, default_support_path
    from assess.datafiles.languages import default_languages_path
    from assess.datafiles.layouts import layouts_path
    from assess.datafiles.messages import default_messages_paths
    from assess.datafiles.reference import default_reference_path

    return [
        default_languages_path(),
        default_instrument_path(),
        *default_messages_paths(),
        default_actions_path(),
        default_support_path(),
        default_reference_path(),
        layouts_path(default_instrument_path()),
    ]


DATA_FILE_SUFFIXES = (".yaml", ".yml")


def data_files_in(paths: Iterable[str | Path]) -> list[Path]:
    """The files `paths` name, a folder standing for every data file (``*.yaml``) under it."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in DATA_FILE_SUFFIXES and p.is_file())
            )
        else:
            found.append(path)
    return found


def validate_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate several data files of any known kind; return every problem found (empty if none).

    A folder stands for every data file in it; a folder with none is a problem, not a pass.
    Action catalogues and support directories are also checked against the question bank (the
    one source of facets, items and profile codes): against the banks given with them, else the
    shipped one."""
    from assess.core.model import ActionCatalogue, Instrument
    from assess.core.support import SupportDirectory
    from assess.datafiles.catalogue import check_against_instrument

    problems: list[Problem] = []
    banks: list[Instrument] = []
    users: list[tuple[str, ActionCatalogue | SupportDirectory]] = []
    for given in map(Path, paths):
        files = data_files_in([given])
        if given.is_dir() and not files:
            problems.append(
                Problem(str(given), "folder", "holds no data files (*.yaml); check the path")
            )
        for path in files:
            try:
                parsed = parse_data_file(read_yaml(path), source=str(path))
            except DataFileError as error:
                problems.extend(error.problems)
                continue
            if isinstance(parsed, Instrument):
                banks.append(parsed)
            elif isinstance(parsed, ActionCatalogue | SupportDirectory):
                users.append((str(path), parsed))
    if users and not banks:
        try:
            banks.append(parse_instrument(read_yaml(default_instrument_path()), source="shipped"))
        except DataFileError as error:
            problems.extend(error.problems)
    for source, data in users:
        for bank in banks:
            problems.extend(check_against_instrument(data, bank, source=source))
    return problems


def problems_in_text(text: str, *, source: str = "<text>") -> list[Problem]:
    """Every problem in a data file given as YAML text (empty when it is valid).

    >>> problems_in_text("format: assess-instrument/1\\nid: x", source="draft.yaml")[0].entry
    'top level'
    """
    try:
        parse_data_file(parse_yaml(text, source=source), source=source)
    except DataFileError as error:
        return list(error.problems)
    return []
