"""What the quiz's kernel needs to know about being served as a Voilà page.

Voilà starts the kernel with variables that say so (``VOILA_KERNEL_ID``, ``VOILA_BASE_URL``,
``VOILA_PREHEAT``...), standalone or as Jupyter Server's extension (Binder):

- :func:`query_string`: the page's query string (``lang=en``).  A kernel started for a visit
  has it in ``QUERY_STRING``.  A *preheated* kernel (``assess serve --preheat N``) was started,
  and has run the notebook, before anyone asked for the page: it waits here until Voilà hands it
  to a visitor and sends that visitor's request (what ``voila.utils.get_query_string`` does,
  without importing Voilà).
- :func:`when_visitor_arrives`: the same for a preheated kernel without holding up the notebook:
  the quiz is shown at once (so Voilà can hand the finished page to the visitor as it does a
  blank notebook's) and takes the visitor's ``?lang=`` a moment later, on the kernel's loop.
- :func:`keep_errors_off_the_page`: an exception in a widget handler (a forged message, say)
  reaches the page twice: ipywidgets publishes its traceback as an ``error`` message, and
  ipykernel's comm manager logs it through Python's "last resort" handler to the kernel's
  ``sys.stderr``, which is an output stream to the page.  Served by Voilà, the quiz sends both
  to the server's log instead, reduced to the logger, the message and the exception's type (no
  traceback, no values: nothing a visitor typed reaches the log either).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TextIO

PREHEAT_VARIABLE = "VOILA_PREHEAT"
SERVED_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_PREHEAT")
HANDLER_NAME = "assess-voila-page"


def served_by_voila(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel belongs to a Voilà page (standalone or server extension).

    >>> served_by_voila({"VOILA_BASE_URL": "/"}), served_by_voila({})
    (True, False)
    """
    environ = os.environ if environ is None else environ
    return any(name in environ for name in SERVED_VARIABLES)


def preheated(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel was started ahead of its visitor, for Voilà's preheat pool.

    >>> preheated({"VOILA_PREHEAT": "True"}), preheated({"VOILA_PREHEAT": "False"})
    (True, False)
    """
    environ = os.environ if environ is None else environ
    return environ.get(PREHEAT_VARIABLE) == "True"


def query_string(
    environ: Mapping[str, str] | None = None,
    wait_for_visitor: Callable[[], str | None] | None = None,
) -> str:
    """The page's query string; in a preheated kernel, once a visitor has asked for the page.

    >>> query_string({"QUERY_STRING": "lang=en"})
    'lang=en'
    >>> query_string({"VOILA_PREHEAT": "True"}, wait_for_visitor=lambda: "lang=en")
    'lang=en'
    """
    environ = os.environ if environ is None else environ
    if preheated(environ):
        return (wait_for_visitor or _wait_for_visitor)() or ""
    return environ.get("QUERY_STRING", "")


def when_visitor_arrives(
    apply: Callable[[str], None],
    *,
    wait_for_visitor: Callable[[], str | None] | None = None,
    schedule: Callable[[Callable[[], None]], object] | None = None,
) -> threading.Thread:
    """Call ``apply(query_string)`` once Voilà hands this preheated kernel to a visitor.

    Waiting in the notebook's cell (as :func:`query_string` does) kept the cell, and so the
    visitor's page, unfinished until the visitor came: Voilà then had to finish running it for
    every visitor of a burst (0.4 s of 1.7 s at p95 for 30 at once).  Here a thread waits and
    `apply` runs on the kernel's event loop (`schedule`, by default the loop running this call),
    between two messages from the page, as a widget's handler would.

    >>> import asyncio
    >>> async def visit():
    ...     seen = asyncio.Event()
    ...     when_visitor_arrives(lambda query: seen.set(), wait_for_visitor=lambda: "lang=en")
    ...     await asyncio.wait_for(seen.wait(), 5)
    >>> asyncio.run(visit())
    """
    # Found here, in the kernel's thread: the waiting thread has no loop of its own.
    run = schedule or asyncio.get_running_loop().call_soon_threadsafe
    wait = wait_for_visitor or _wait_for_visitor

    def waiting() -> None:
        query = wait() or ""
        run(lambda: apply(query))

    thread = threading.Thread(target=waiting, name="assess-wait-for-visitor", daemon=True)
    thread.start()
    return thread


def _wait_for_visitor() -> str | None:
    """Voilà's ``voila.utils.get_query_string``, without importing Voilà into the kernel (its
    imports, Jupyter Server and nbconvert, cost 2.5 CPU-seconds, more than the quiz itself).

    Voilà hands a preheated kernel to a visitor and sends the visitor's request (query string,
    server name...) to whoever listens on ``voila/query/<kernel id>``: this blocks until then,
    puts the request into ``os.environ`` as Voilà does, and returns its query string (None if
    the server cannot be reached)."""
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"
    )
    try:
        with connect(url, open_timeout=5, max_size=2**20) as socket:
            message = socket.recv()
    except (OSError, TimeoutError, WebSocketException):
        return None
    request = json.loads(message)
    if not isinstance(request, dict):
        return None
    env.update({str(key): str(value) for key, value in request.items()})
    return env.get("QUERY_STRING")


class _WithoutDetails(logging.Formatter):
    """A log line with the exception's type only: its message and traceback can hold values."""

    def format(self, record: logging.LogRecord) -> str:
        from assess.hosting.log_guard import redacted

        # Libraries quote what they were sent (an unknown comm's id, say): cut and escaped.
        line = f"[assess kernel] {record.levelname} {record.name}: {redacted(record.getMessage())}"
        if record.exc_info and record.exc_info[0] is not None:
            line += f" ({record.exc_info[0].__name__}; details withheld)"
        return line

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's name
        return ""


class _KernelLogBudget(logging.Filter):
    """The log guard's budget (lines of a kind per minute), leaving the record's text to the
    formatter above."""

    def __init__(self, guard: logging.Filter) -> None:
        super().__init__()
        self.guard = guard

    def filter(self, record: logging.LogRecord) -> bool:
        copy = logging.makeLogRecord(record.__dict__)
        return bool(self.guard.filter(copy))


def keep_errors_off_the_page(stream: TextIO | None = None) -> logging.Handler:
    """Send warnings and errors of this kernel's Python logging to the server's log, without
    details, instead of the page.  Idempotent; returns the handler."""
    root = logging.getLogger()
    for handler in root.handlers:
        if handler.get_name() == HANDLER_NAME:
            return handler
    handler = logging.StreamHandler(stream or _server_log())
    handler.set_name(HANDLER_NAME)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_WithoutDetails())
    # A page that sends a thousand bad messages a second gets a count, not a thousand lines.
    from assess.hosting.log_guard import LogGuard

    handler.addFilter(_KernelLogBudget(LogGuard()))
    root.addHandler(handler)
    logging.captureWarnings(True)  # warnings too: they would print to the page
    # ipykernel's comm logger and the comm package's log the whole message at DEBUG.
    for name in ("ipykernel.comm", "Comm", "comm"):
        logging.getLogger(name).setLevel(logging.WARNING)
    _withhold_tracebacks()
    return handler


def _server_log() -> TextIO:
    """The kernel process's own stderr, which Voilà's log collects.  In a kernel,
    ``sys.stderr`` and even file descriptor 2 lead to the page; ipykernel's stream gives the
    original descriptor as its ``fileno()``."""
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8")
    except (OSError, ValueError, AttributeError):
        return sys.__stderr__ or sys.stderr


def _withhold_tracebacks() -> None:
    """ipywidgets shows an exception in a widget's message handler with IPython's
    ``showtraceback``, which publishes the whole traceback (values, paths) to the page as an
    ``error`` message.  Here the shell logs the exception's type instead."""
    from IPython import get_ipython

    from assess.hosting.voila_private import withhold_tracebacks

    shell = get_ipython()
    if shell is None:
        return
    log = logging.getLogger("assess.kernel")

    def withheld(etype: type[BaseException], _evalue: object, _stb: object) -> None:
        log.error("%s in a message from the page (refused; details withheld)", etype.__name__)

    withhold_tracebacks(shell, withheld)
