"""Dispatch a parsed data file to the parser of its kind, named by its ``format:`` key."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assess.bank import FORMAT as INSTRUMENT_FORMAT
from assess.bank import DataFileError, Problem, parse_instrument


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
