"""Every kind of data file: dispatch a parsed file to the parser its ``format:`` key names, and
list the files the package ships."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from assess.bank import FORMAT as INSTRUMENT_FORMAT
from assess.bank import DataFileError, Problem, default_instrument_path, parse_instrument


def _parsers() -> dict[str, Callable[..., object]]:
    from assess.catalogue import ACTIONS_FORMAT, SUPPORT_FORMAT, parse_actions, parse_support
    from assess.i18n import FORMAT as MESSAGES_FORMAT
    from assess.i18n import parse_messages
    from assess.reference import FORMAT as REFERENCE_FORMAT
    from assess.reference import parse_reference

    return {
        INSTRUMENT_FORMAT: parse_instrument,
        ACTIONS_FORMAT: parse_actions,
        SUPPORT_FORMAT: parse_support,
        MESSAGES_FORMAT: parse_messages,
        REFERENCE_FORMAT: parse_reference,
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
                    source, "format", f"is {kind!r}; say which kind of file this is: one of {known}"
                )
            ]
        )
    return parser(document, source=source)


def shipped_data_paths() -> list[Path]:
    """Every data file the quiz reads, some only once a person reaches the results (actions,
    support services, survey): `assess serve` checks them all before taking visitors."""
    from assess.catalogue import default_actions_path, default_support_path
    from assess.i18n import default_messages_paths
    from assess.reference import default_reference_path

    return [
        default_instrument_path(),
        *default_messages_paths(),
        default_actions_path(),
        default_support_path(),
        default_reference_path(),
    ]
