"""What the ``assess`` command reads from people and prints back to them: files read with a size
limit and a clear message for every way they can be wrong (too large, not UTF-8, Shift-JIS, nested
too deeply, a key written twice), and every line printed made terminal-safe and short.

>>> printable("x" * 10_000)[-3:]
'xx…'
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from assess.core.model import Instrument
from assess.core.scoring import AnswerError
from assess.datafiles.checker import decode_utf8, parse_yaml

MAX_ANSWERS_BYTES = 1_000_000
"""An answers file (one person) larger than this is refused unread; a real one is ~2 kB."""
MAX_COHORT_CSV_BYTES = 20_000_000
"""A cohort CSV larger than this is refused unread.  At the limit (~260,000 respondents of the
shipped bank's 34 answers) scoring takes ~30 s and ~700 MB; a larger group is scored in parts."""
MAX_CODES_BYTES = 10_000_000
"""A file of result codes larger than this is refused unread: ~200,000 codes."""
MAX_MESSAGE = 300
"""Characters of one message line; longer ones are cut, so a 50 MB value is never echoed."""
LISTED = 5
"""Problems or warnings listed in full before the rest are counted."""


def printable(text: str, *, limit: int = MAX_MESSAGE) -> str:
    r"""`text` as one terminal-safe line: control characters and terminal escape sequences shown
    as ``\x1b``-style escapes, never acted on, and cut to `limit` characters.

    >>> printable(chr(27) + "[2J" + chr(10) + "ok")
    '\\x1b[2J\\nok'
    >>> len(printable("x" * 10_000))
    300
    """
    out: list[str] = []
    length = 0
    for character in text[: limit * 2]:
        shown = character if character.isprintable() else repr(character)[1:-1]
        if length + len(shown) > limit - 1:
            out.append("…")
            break
        out.append(shown)
        length += len(shown)
    else:
        if len(text) > limit * 2:
            out.append("…")
    return "".join(out)


def read_mapping(path: Path) -> dict[str, object]:
    """One person's answers file, JSON or YAML, as a mapping; every way it can be wrong is a
    ValueError or DataFileError with one line to say so."""
    text = read_text(path, limit=MAX_ANSWERS_BYTES, what="an answers file")
    if path.suffix.lower() in {".yaml", ".yml"}:
        document = parse_yaml(text, source=str(path))
    else:
        try:
            document = json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
        except RecursionError:
            raise ValueError(f"{path}: nests lists or mappings too deeply to read") from None
        except ValueError as error:
            if "digits" not in str(error):  # Python's guard against numbers of 4,300+ digits
                raise
            raise ValueError(f"{path}: holds a number thousands of digits long") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of question ids to answers")
    return document


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object, refusing a key written twice (JSON readers keep the last, silently)."""
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key!r} appears twice in one object; keep one")
        document[key] = value
    return document


def read_text(path: Path, *, limit: int, what: str) -> str:
    """A UTF-8 file (a byte-order mark allowed) of at most `limit` bytes, read in one go.

    Only a regular file: a named pipe with no writer would make the command wait for ever, and a
    device never ends.  It is opened without waiting (``O_NONBLOCK``) and looked at before a byte
    is read, so that what is checked is what is read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise ValueError(f"{path}: is not a regular file (a pipe or a device); give a file")
        data = stream.read(limit + 1)
    return decoded(data, str(path), limit, what)


def shortened(name: str, *, limit: int = 80) -> str:
    """A file name short enough to echo in a one-line message: its start and its end, which
    tell most paths apart, around an ellipsis.

    >>> shortened("/tmp/" + "x" * 4000 + ".csv")[-12:], len(shortened("y" * 4000))
    ('xxxxxxxx.csv', 80)
    """
    if len(name) <= limit:
        return name
    tail = limit * 2 // 3
    return name[: limit - tail - 1] + "…" + name[-tail:]


def one_line_ends(text: str) -> str:
    """A CSV's text with line ends read as a spreadsheet reads them: old Mac files end lines in a
    carriage return alone, which the CSV readers take for one endless line."""
    if "\r" in text and "\n" not in text:
        return text.replace("\r", "\n")
    return text


def decoded(data: bytes, source: str, limit: int, what: str) -> str:
    if len(data) > limit:
        raise ValueError(
            f"{source}: is larger than {limit // 1_000_000} MB, the most {what} may be; "
            "check the file, or split it"
        )
    return decode_utf8(data, source=source)


def check_header(instrument: Instrument, text: str, separator: str, *, source: str) -> None:
    """Refuse unknown columns from the header line alone, before pandas builds a frame of them
    (100,000 made-up columns take pandas a minute; their names are all there is to report)."""
    import csv

    from assess.core.scoring import AnswerProblem, question_label

    first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        header = next(csv.reader([first_line], delimiter=separator), [])
    except csv.Error as error:  # e.g. a header of megabytes, past the csv module's field limit
        raise ValueError(f"{source}: its header row cannot be read as CSV ({error})") from None
    known = {"respondent"} | {i.id for i in instrument.items} | {q.id for q in instrument.profile}
    if {"respondent", "item", "value"} == set(header):
        return
    unknown = [column for column in header if column not in known]
    if len(unknown) > LISTED:
        raise AnswerError(
            [
                *(
                    AnswerProblem(question_label(c), "is not a question of this instrument")
                    for c in unknown[:LISTED]
                ),
                AnswerProblem("…", f"and {len(unknown) - LISTED} more"),
            ]
        )
