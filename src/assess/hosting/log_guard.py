"""The server's log of a hosted quiz holds no visitor text, no full kernel id, and stays small.

Jupyter Server and Tornado log some of what a client sends: a websocket message without a
channel in full, an unknown message type as sent, a request's query string in the access log,
and a whole traceback for an unexpected request.  A visitor could fill the disk, forge log lines
with a newline, or read another visitor's kernel id (a key to their kernel) from the log.  The
filter here, put on every handler of the server's log, rewrites each record before it is written:

- messages known to carry what a client sent are replaced by what kind of thing it was and
  how long (*count, don't copy*);
- every kernel id (a UUID) is cut to its first 8 characters, query strings are dropped, control
  characters are escaped (no forged lines) and a line is cut at ``MAX_LINE`` characters;
- a traceback becomes one line: the exception's type and where it was raised;
- what one source makes the server log is bounded: a kind of line repeated more than ``BURST``
  times a minute by one client address, or more than ``PER_SOURCE`` lines a minute from one
  address, is counted instead, and the counts, by address, written once the minute is over; so
  one client's flood of requests never hides what other visitors and the server do;
- the records an operator needs (a kernel started or ended, a visitor turned away, a kernel over
  its memory ceiling, the minute's count of refused connections) are always written: there are
  few of them by construction, each bounded by the kernel cap or written once a minute, and one
  client cannot make them many.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_LINE = 300
BURST = 20
PER_SOURCE = 60
TOTAL_BURST = 600
SUMMARY_SOURCES = 3  # the busiest addresses a minute's summary names
SERVER = "the server"  # the source of a line that names no client address
WINDOW = 60.0
FILTER_NAME = "assess-log-guard"

_UUID = re.compile(
    r"\b([0-9a-fA-F]{8})-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b"
)
_HEX32 = re.compile(r"\b([0-9a-fA-F]{8})[0-9a-fA-F]{24}\b")
_SESSION = re.compile(r"…:[^\s.,;)]+")  # kernel id:session id (the session id is the page's)
_QUERY = re.compile(r"\?[^\s)\"']*")
_DIGITS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The access log's form, in Tornado and Jupyter Server: "200 GET /path (127.0.0.1) 3.20ms"; the
# address is the client's, or the one the trusted proxy forwarded.
_ACCESS_SOURCE = re.compile(r"\(([0-9A-Fa-f.:]{2,45})\) [\d.]+ ?ms\b")
# What the operator reads the log for (Jupyter Server's kernel records and the guard's own).
_OPERATOR = re.compile(
    r"^(?:Kernel started|Kernel shutdown|Kernel restarted|Culling kernel|Shutting kernel"
    r"|Turned a visitor away|Refused or closed \d+ connection\(s\) in the last \d+ s:)"
)
# Jupyter Server's and ipykernel's messages that quote a client's message or part of it.
_VISITOR_TEXT = [
    (re.compile(pattern, re.S), kind)
    for pattern, kind in (
        (r"^No channel specified, assuming shell: (.*)$", "a message without a channel"),
        (r"^No such channel: (.*)$", "a message on an unknown channel"),
        (
            r'^Received message of type "(.*)", which is not allowed',
            "a message of a type not allowed",
        ),
        (r"^Received message on closed websocket (.*)$", "a message on a closed websocket"),
        (r"^No such comm(?: target)?: (.*)$", "a message to an unknown comm"),
        (r"^Unknown message type: (.*)$", "a message of an unknown type"),
        (r"^Bad message signature|^Invalid Message", "a malformed message"),
    )
]


def redacted(text: str, *, limit: int = MAX_LINE) -> str:
    """One log line that quotes nothing a visitor sent beyond what it must.

    >>> redacted('No such channel: "x\\n[Voila] Kernel started: forged"')
    'Refused a message on an unknown channel (34 characters, not logged)'
    >>> redacted("Kernel started: 0123abcd-1111-4222-8333-444455556666")
    'Kernel started: 0123abcd…'
    >>> redacted("Starting buffering for 0123abcd-1111-4222-8333-444455556666:from-a-page")
    'Starting buffering for 0123abcd…:…'
    >>> redacted("200 GET /?lang=en&secret=1 (127.0.0.1) 3.2ms")
    '200 GET /?… (127.0.0.1) 3.2ms'
    >>> redacted("a\\nb\\x1b[31m")
    'a\\\\nb\\\\x1b[31m'
    >>> len(redacted("x" * 5000)) < 360
    True
    """
    for pattern, kind in _VISITOR_TEXT:
        found = pattern.search(text)
        if found:
            quoted = len(found.group(1)) if found.groups() else len(text)
            return f"Refused {kind} ({quoted} characters, not logged)"
    text = _UUID.sub(lambda m: m.group(1) + "…", text)
    text = _HEX32.sub(lambda m: m.group(1) + "…", text)
    text = _SESSION.sub("…:…", text)
    text = _QUERY.sub("?…", text)
    text = _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters not logged)"
    return text


def exception_line(exc_info: tuple[type[BaseException], BaseException, object] | None) -> str:
    """An exception as the log keeps it: its type and the place it was raised, no values."""
    if not exc_info or exc_info[0] is None:
        return ""
    kind = exc_info[0].__name__
    frames = traceback.extract_tb(exc_info[2]) if exc_info[2] is not None else []  # type: ignore[arg-type]
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f" ({kind}{where}; traceback withheld)"


def source_of(line: str) -> str:
    """The client address a log line is about, or :data:`SERVER` when it names none.

    >>> source_of("404 GET /api/kernels/0123abcd… (127.0.0.2) 1.20ms")
    '127.0.0.2'
    >>> source_of("Kernel started: 0123abcd…")
    'the server'
    """
    found = _ACCESS_SOURCE.search(line)
    return found.group(1) if found else SERVER


def is_operator_record(line: str) -> bool:
    """Whether a (redacted) line is one the operator needs and is never dropped.

    >>> is_operator_record("Turned a visitor away: the server is at its 20 kernels")
    True
    >>> is_operator_record("404 GET /api/kernels/0123abcd… (127.0.0.2) 1.20ms")
    False
    """
    return _OPERATOR.match(line) is not None


@dataclass
class LogGuard(logging.Filter):
    """The filter; one instance for every handler, so that the counts are the server's."""

    clock: Callable[[], float] = time.monotonic
    burst: int = BURST
    per_source: int = PER_SOURCE
    total_burst: int = TOTAL_BURST
    window: float = WINDOW
    _counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    _by_source: Counter[str] = field(default_factory=Counter)
    _dropped: Counter[str] = field(default_factory=Counter)
    _total: int = 0
    _window_start: float | None = None

    def __post_init__(self) -> None:
        logging.Filter.__init__(self, FILTER_NAME)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_assess_guarded", False):
            return True  # already rewritten by another handler's copy of this filter
        try:
            message = record.getMessage()
        except Exception:  # a bad format string from a library: say so, not what it held
            message = f"(a log message of {record.name} that could not be formatted)"
        line = redacted(message) + exception_line(record.exc_info)  # type: ignore[arg-type]
        summary = self._roll_window()
        if not is_operator_record(line) and not self._within_budget(record, line):
            return False
        if summary:
            line = f"{summary} | {line}"
        record.msg, record.args = line, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._assess_guarded = True
        return True

    def _within_budget(self, record: logging.LogRecord, line: str) -> bool:
        """Count a line against its source's budgets; False when it is to be counted only."""
        source = source_of(line)
        # Lines of one kind: the same logger, level and words, whatever numbers they carry.
        kind = (
            f"{record.name}:{record.levelno}:{_DIGITS.sub('#', _ACCESS_SOURCE.sub('', line)[:60])}"
        )
        self._counts[source, kind] += 1
        self._by_source[source] += 1
        if (
            self._counts[source, kind] > self.burst
            or (source != SERVER and self._by_source[source] > self.per_source)
            or self._total >= self.total_burst
        ):
            self._dropped[source] += 1
            return False
        self._total += 1  # lines written: what is only counted takes no room from others
        return True

    def _roll_window(self) -> str:
        now = self.clock()
        if self._window_start is None:
            self._window_start = now
        if now - self._window_start < self.window:
            return ""
        dropped = self._dropped
        self._window_start, self._total = now, 0
        self._counts, self._by_source, self._dropped = Counter(), Counter(), Counter()
        if not dropped:
            return ""
        busiest = ", ".join(
            f"{count} from {source}" for source, count in dropped.most_common(SUMMARY_SOURCES)
        )
        others = len(dropped) - SUMMARY_SOURCES
        more = f" and {others} other source(s)" if others > 0 else ""
        return (
            f"({sum(dropped.values())} log lines were counted, not written, in the last minute: "
            f"{busiest}{more})"
        )


def guard_logging(guard: LogGuard | None = None) -> LogGuard:
    """Put `guard` on every handler of every logger that exists now (idempotent)."""
    guard = guard or LogGuard()
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    handlers = [handler for logger in loggers for handler in logger.handlers]
    # Python's handler of last resort writes records that no handler took (Tornado's own
    # loggers, when nothing configured them), tracebacks included.
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if not any(getattr(f, "name", None) == FILTER_NAME for f in handler.filters):
            handler.addFilter(guard)
    return guard
