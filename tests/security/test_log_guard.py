"""One client cannot blank the hosted quiz's log: budgets are per source, operator records stay."""

from __future__ import annotations

import logging

import pytest

from assess.hosting.log_guard import BURST, PER_SOURCE, LogGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def access(source: str, path: str = "/api/kernels/0123abcd…") -> logging.LogRecord:
    """An access-log record as Jupyter Server writes one."""
    return logging.LogRecord(
        "ServerApp", logging.WARNING, "f", 1, "404 GET %s (%s) 1.20ms", (path, source), None
    )


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("ServerApp", logging.INFO, "f", 1, message, args, None)


def written(guard: LogGuard, records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if guard.filter(r)]


def test_a_flood_from_one_address_leaves_other_visitors_lines_in_the_log() -> None:
    """700 requests from 127.0.0.2 in a second: another address's lines are still written."""
    guard = LogGuard(clock=Clock())
    flood = written(guard, [access("127.0.0.2", f"/api/kernels/{n}") for n in range(700)])
    honest = written(guard, [access("127.0.0.1", "/"), access("127.0.0.3", "/voila/static/x")])
    assert len(flood) <= PER_SOURCE
    assert len(honest) == 2


@pytest.mark.parametrize(
    "operator_line",
    [
        "Kernel started: 0123abcd-1111-4222-8333-444455556666",
        "Kernel shutdown: 0123abcd-1111-4222-8333-444455556666",
        "Turned a visitor away: the server is at its 20 kernels",
        "Shutting kernel 0123abcd… down: it used 900 MB, over its 800 MB",
        "Culling kernel 0123abcd… due to 600 seconds of inactivity",
        "Refused or closed 1200 connection(s) in the last 60 s: 1200 refused: the server was short",
    ],
)
def test_the_records_an_operator_needs_are_written_whatever_came_before(
    operator_line: str,
) -> None:
    """Past every budget (per kind, per source and in total), an operator's record is written."""
    guard = LogGuard(clock=Clock(), total_burst=50)
    written(guard, [access(f"127.0.0.{n % 250 + 2}", f"/{n}") for n in range(2000)])
    written(guard, [record("Something routine %d", n) for n in range(100)])
    assert written(guard, [record(operator_line)])


def test_one_kind_of_line_from_the_server_itself_is_still_counted() -> None:
    """The server's own repeated lines keep the per-kind budget: BURST a minute, then counted."""
    guard = LogGuard(clock=Clock())
    lines = written(guard, [record("Refused a frame %d", n) for n in range(BURST + 5)])
    assert len(lines) == BURST


def test_the_minutes_summary_names_the_sources_whose_lines_were_counted() -> None:
    """After the minute, the next line carries how many lines each busiest address cost."""
    clock = Clock()
    guard = LogGuard(clock=clock)
    written(guard, [access("127.0.0.2", f"/{n}") for n in range(BURST + 640)])
    written(guard, [access("127.0.0.9", f"/{n}") for n in range(BURST + 5)])
    clock.now = 61.0
    (line,) = written(guard, [record("Kernel started: 0123abcd…")])
    assert "645 log lines were counted, not written, in the last minute" in line
    assert "640 from 127.0.0.2, 5 from 127.0.0.9" in line


def test_one_address_cannot_fill_its_minute_with_lines_of_many_kinds() -> None:
    """Lines of ever new kinds from one address: PER_SOURCE a minute, the rest counted."""
    guard = LogGuard(clock=Clock())
    kinds = [access("127.0.0.2", f"/{chr(ord('a') + n % 26) * (n // 26 + 1)}") for n in range(500)]
    assert len(written(guard, kinds)) == PER_SOURCE
