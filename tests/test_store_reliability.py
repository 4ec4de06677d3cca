"""The results store under a workshop's load and under crashes, on a SQLite file and PostgreSQL:
many processes saving at once lose nothing and duplicate nothing (retries included), and a
process killed in the middle of a save leaves a consistent database that opens again.

Writers are separate processes (multiprocessing, spawn), as Voilà's kernels are.
"""

from __future__ import annotations

import datetime
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import random
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import sqlalchemy as sa

from assess.core.model import Answers
from assess.store.engine import BUSY_TIMEOUT_SECONDS
from assess.store.results import SCHEMA_VERSION, ResultRecord, ResultStore, StepState, StoreBusy

WRITERS = 30
SAVES = 100
"""Each writer saves this many results of its own, plus retries of its own and its neighbour's."""
NEIGHBOUR_SAVES = 10
RETRY_EVERY = 10
STEPS = ("follow_field_hashtags", "join_tool_community", "go_to_meetup")
TAKEN_ON = datetime.date(2026, 11, 26)
JOIN_TIMEOUT = 120.0
PRESSES = 20
"""How many times a writer told "busy" presses Save again before the test counts a failure."""
ROUNDS = 2
VICTIMS = 3
"""Rounds of writers killed at random moments, and how many in each."""

pytestmark = pytest.mark.slow


class Report(NamedTuple):
    writer: int
    calls: int
    errors: list[str]
    seconds: float
    busy: int = 0
    """Saves answered "busy, try again" (SQLite's lock held past the busy timeout), retried."""
    slowest_busy: float = 0.0


def record_for(run: str, writer: int, number: int) -> ResultRecord:
    """The same record every time for the same (run, writer, number), so that any process can
    retry any other's save and the test knows what each stored row must hold."""
    digest = hashlib.blake2b(f"{run}/{writer}/{number}".encode(), digest_size=16).digest()
    result_id = str(uuid.UUID(bytes=digest, version=4))
    return ResultRecord(
        id=result_id,
        instrument_id="freelance-connection",
        instrument_version="1",
        taken_on=TAKEN_ON + datetime.timedelta(days=number % 28),
        answers=Answers(
            {f"item_{i}": (writer + number + i) % 5 + 1 for i in range(12)},
            {"mode": ("online", "offline", "either")[number % 3], "hours": "h3"},
        ),
        cohort=f"ws-{writer % 3}",
        steps=tuple(StepState(step, done=(number + i) % 2 == 0) for i, step in enumerate(STEPS)),
    )


# --- workers (run in spawned processes) ----------------------------------------------------------


_START: Barrier | None = None
"""In a pooled writer process: the barrier all writers pass together, to save at once."""


def _set_start(start: Barrier) -> None:
    global _START
    _START = start


def save_as_a_person_would(store: ResultStore, record: ResultRecord) -> tuple[int, float]:
    """Save; told the store is busy, press Save again (nothing was saved, so retrying is safe).
    Returns how many busy answers came and the slowest of them, in seconds."""
    busy, slowest = 0, 0.0
    while True:
        began = time.perf_counter()
        try:
            store.save(record, consent=True)
            return busy, slowest
        except StoreBusy:
            busy += 1
            slowest = max(slowest, time.perf_counter() - began)
            if busy >= PRESSES:
                raise


def concurrent_writer(url: str, run: str, writer: int, neighbour: int) -> Report:
    """Save this writer's results, re-save every tenth one (a retried click) and some of the
    neighbour's (the same result saved from two processes); return what happened."""
    errors: list[str] = []
    calls = busy = 0
    slowest = 0.0
    store = ResultStore.open(url)
    if _START is not None:
        _START.wait(timeout=JOIN_TIMEOUT)
    began = time.perf_counter()
    for number in range(SAVES):
        batch = [record_for(run, writer, number)]
        if number % RETRY_EVERY == RETRY_EVERY - 1:
            batch.append(record_for(run, writer, number - RETRY_EVERY // 2))
        if number < NEIGHBOUR_SAVES:
            batch.append(record_for(run, neighbour, SAVES - 1 - number))
        for record in batch:
            try:
                answered_busy, slowest_busy = save_as_a_person_would(store, record)
                busy += answered_busy
                slowest = max(slowest, slowest_busy)
            except Exception as error:  # reported to the test, which fails on any
                errors.append(f"{type(error).__name__}: {error}")
            calls += 1
    elapsed = time.perf_counter() - began
    store.close()
    return Report(writer, calls, errors, elapsed, busy, slowest)


def first_opener(url: str) -> str:
    """Open a store on a database nobody has opened yet, together with all the others."""
    if _START is not None:
        _START.wait(timeout=JOIN_TIMEOUT)
    try:
        with ResultStore.open(url) as store:
            return f"schema {store.schema_version()}"
    except Exception as error:  # reported to the test, which fails on any
        return f"{type(error).__name__}: {error}"


def reporting_writer(url: str, run: str, writer: int, neighbour: int, report: Any) -> None:
    report.put(concurrent_writer(url, run, writer, neighbour))


def killed_writer(url: str, run: str, writer: int, hang_at: int, inside: Event) -> None:
    """Save `hang_at` results whole, then begin the next and stop right after its result row
    is inserted (steps not yet, no commit) until the test kills this process."""
    store = ResultStore.open(url)
    for number in range(hang_at):
        store.save(record_for(run, writer, number), consent=True)

    def hang(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ASSESS_RESULTS "):
            inside.set()
            time.sleep(JOIN_TIMEOUT)

    sa.event.listen(store.engine, "after_cursor_execute", hang)
    store.save(record_for(run, writer, hang_at), consent=True)
    raise AssertionError("the save went through; it should have been killed in the middle")


def looping_writer(url: str, run: str, writer: int, log: str, started: Event) -> None:
    """Save results one after another until killed, noting each id once its save returned."""
    store = ResultStore.open(url)
    started.set()
    with open(log, "a", encoding="utf-8") as noted:
        for number in range(100_000):
            record = record_for(run, writer, number)
            save_as_a_person_would(store, record)
            noted.write(record.id + "\n")
            noted.flush()


# --- the databases -------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.database)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'results.sqlite3'}"
        return
    from test_store import postgres_or_skip, scratch_postgres_database

    with scratch_postgres_database(postgres_or_skip()) as database:
        yield database


def spawn() -> multiprocessing.context.SpawnContext:
    return multiprocessing.get_context("spawn")


def check_consistent(url: str, expected: dict[str, ResultRecord] | None = None) -> list[str]:
    """Every stored result is whole (all its steps), none twice, none that was not asked for;
    SQLite passes its integrity check.  Returns the stored ids."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    with ResultStore.open(url) as store:
        records = store.results()
        with store.engine.connect() as connection:
            steps = connection.execute(sa.text("SELECT count(*) FROM assess_result_steps")).scalar()
            orphans = connection.execute(
                sa.text(
                    "SELECT count(*) FROM assess_result_steps s LEFT JOIN assess_results r "
                    "ON r.id = s.result_id WHERE r.id IS NULL"
                )
            ).scalar()
    ids = [record.id for record in records]
    assert len(ids) == len(set(ids)), "a result is stored twice"
    assert steps == len(STEPS) * len(records), "a result is stored without all its steps"
    assert orphans == 0
    if expected is not None:
        for record in records:
            assert record == expected[record.id], "a stored result differs from what was saved"
    return ids


# --- many writers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writers() -> Iterator[multiprocessing.pool.Pool]:
    """30 writer processes, started once for both databases (spawning costs more CPU than the
    saves); they save together, behind one barrier."""
    context = spawn()
    with context.Pool(
        WRITERS, initializer=_set_start, initargs=(context.Barrier(WRITERS),)
    ) as pool:
        yield pool


def test_many_concurrent_writers_lose_nothing_and_duplicate_nothing(
    url: str, writers: multiprocessing.pool.Pool
) -> None:
    """30 processes × 100 saves at once, with retried and cross-process duplicate saves: every
    result stored exactly once, whole, as saved; no save fails.  On SQLite a writer that waited
    past the busy timeout is told "busy" promptly and saves on pressing again."""
    run = uuid.uuid4().hex
    ResultStore.open(url).close()  # the schema exists before the rush, as on a served quiz
    began = time.perf_counter()
    tasks = [(url, run, w, (w + 1) % WRITERS) for w in range(WRITERS)]
    # One task per process: each waits at the barrier until all 30 hold one.
    reports = writers.starmap_async(concurrent_writer, tasks, chunksize=1).get(JOIN_TIMEOUT)
    wall = time.perf_counter() - began
    assert sorted(r.writer for r in reports) == list(range(WRITERS))
    errors = [error for report in reports for error in report.errors]
    assert errors == [], errors[:5]
    calls = sum(report.calls for report in reports)
    expected = {
        r.id: r for r in (record_for(run, w, n) for w in range(WRITERS) for n in range(SAVES))
    }
    stored = check_consistent(url, expected)
    assert set(stored) == set(expected)
    busy = sum(report.busy for report in reports)
    slowest = max(report.slowest_busy for report in reports)
    assert slowest < BUSY_TIMEOUT_SECONDS + 5, "a busy answer came late"
    print(
        f"\n{url.split(':')[0]}: {WRITERS} processes, {calls} save calls ({len(expected)} "
        f"results, {calls - len(expected)} retries): {max(r.seconds for r in reports):.1f} s "
        f"of saving, {wall:.1f} s in all; {busy} busy answers (slowest {slowest:.1f} s), "
        "each saved on pressing again"
    )


def test_many_processes_opening_a_new_database_at_once_create_it_once(
    url: str, writers: multiprocessing.pool.Pool
) -> None:
    """A workshop's first 30 visitors arrive together on an empty database: every one opens it,
    the schema is created once (SQLite's write lock, PostgreSQL's advisory lock)."""
    outcomes = writers.map_async(first_opener, [url] * WRITERS, chunksize=1).get(JOIN_TIMEOUT)
    assert outcomes == [f"schema {SCHEMA_VERSION}"] * WRITERS
    with ResultStore.open(url) as store, store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT count(*) FROM assess_schema_version")).scalar()
    assert rows == 1
    check_consistent(url)


# --- crashes -------------------------------------------------------------------------------------


def test_a_process_killed_in_the_middle_of_a_save_leaves_the_database_consistent(
    url: str,
) -> None:
    """SIGKILL after the result row is written and before its steps and the commit: the
    half-saved result is not there, the earlier ones are whole, and the store opens and takes
    the same save again at once."""
    run = uuid.uuid4().hex
    ResultStore.open(url).close()
    context = spawn()
    inside = context.Event()
    worker = context.Process(target=killed_writer, args=(url, run, 0, 5, inside), daemon=True)
    worker.start()
    try:
        assert inside.wait(timeout=JOIN_TIMEOUT), "the writer never reached the middle of a save"
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=JOIN_TIMEOUT)
    finally:
        if worker.is_alive():
            worker.kill()
    assert worker.exitcode == -signal.SIGKILL
    whole = {r.id: r for r in (record_for(run, 0, n) for n in range(5))}
    assert sorted(check_consistent(url, whole)) == sorted(whole)
    half = record_for(run, 0, 5)
    with ResultStore.open(url) as store:
        began = time.perf_counter()
        store.save(half, consent=True)
        assert time.perf_counter() - began < 10, "a dead writer's lock was still held"
        assert store.result(half.id) == half
    check_consistent(url)


def test_writers_killed_at_random_moments_leave_the_database_consistent(
    url: str, tmp_path: Path
) -> None:
    """Rounds of writers killed at random moments while two others keep saving: the others never
    fail, and the database stays whole and holds every save that returned."""
    run = uuid.uuid4().hex
    ResultStore.open(url).close()
    context = spawn()
    rng = random.Random(20261126)
    survivors_report = context.Queue()
    survivors = [
        context.Process(
            target=reporting_writer,
            args=(url, run, 100 + w, 100 + (w + 1) % 2, survivors_report),
            daemon=True,
        )
        for w in range(2)
    ]
    noted: set[str] = set()
    started_processes = list(survivors)
    attempted: dict[str, ResultRecord] = {}
    try:
        for survivor in survivors:
            survivor.start()
        for round_number in range(ROUNDS):
            victims = []
            for v in range(VICTIMS):
                writer = round_number * 10 + v
                started = context.Event()
                log = tmp_path / f"{writer}.log"
                process = context.Process(
                    target=looping_writer, args=(url, run, writer, str(log), started), daemon=True
                )
                process.start()
                started_processes.append(process)
                victims.append((writer, process, started, log))
            for _writer, _process, started, _log in victims:
                assert started.wait(timeout=JOIN_TIMEOUT)
            for _writer, process, _started, _log in victims:
                time.sleep(rng.uniform(0.05, 0.4))
                assert process.pid is not None
                os.kill(process.pid, signal.SIGKILL)
            for writer, process, _started, log in victims:
                process.join(timeout=JOIN_TIMEOUT)
                assert process.exitcode == -signal.SIGKILL
                ids = log.read_text().split() if log.exists() else []
                noted.update(ids)
                for number in range(len(ids) + 1):  # those noted, and the one in flight
                    record = record_for(run, writer, number)
                    attempted[record.id] = record
        reports = [survivors_report.get(timeout=JOIN_TIMEOUT) for _ in survivors]
        for survivor in survivors:
            survivor.join(timeout=JOIN_TIMEOUT)
    finally:
        for process in started_processes:
            if process.is_alive():
                process.kill()
    errors = [error for report in reports for error in report.errors]
    assert errors == [], errors[:5]
    for w in range(2):
        for number in range(SAVES):
            record = record_for(run, 100 + w, number)
            attempted[record.id] = record
    stored = set(check_consistent(url, attempted))
    assert noted <= stored, "a save that returned is missing"
    survivors_ids = {record_for(run, 100 + w, n).id for w in range(2) for n in range(SAVES)}
    assert survivors_ids <= stored
    assert len(noted) > 0
    print(
        f"\n{url.split(':')[0]}: {ROUNDS * VICTIMS} writers killed at random moments after "
        f"{len(noted)} saves in all; 2 others saved {2 * SAVES} results meanwhile"
    )
