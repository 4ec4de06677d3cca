"""The results store, against a real SQLite file and a real PostgreSQL server: nothing is saved
without consent, records round-trip, saves are idempotent, workshop codes group results, a person
can delete theirs, the schema is versioned, and a database that fails says so clearly.

PostgreSQL comes from ``$ASSESS_TEST_POSTGRES_URL`` (a role that may create databases), else a
throwaway cluster started here from the Debian package's binaries.  Without either, the PostgreSQL
tests are skipped on a developer's machine and fail in CI (``CI=true``).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import datetime
import functools
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import assess
from assess import default_instrument
from assess.core.model import Answers
from assess.group.answers import workshop_frame
from assess.group.cohort import score_cohort
from assess.store.results import (
    SCHEMA_VERSION,
    ConflictingResultError,
    ConsentRequired,
    DamagedStoreError,
    ReadOnlyStoreError,
    ResultRecord,
    ResultStore,
    SchemaTooNewError,
    StepState,
    StoreUnavailable,
    UnknownResultError,
    database_url,
    new_progress_key,
    normalise_cohort,
)

TAKEN_ON = datetime.date(2026, 11, 26)
SHIPPED = default_instrument()


# --- PostgreSQL for tests ------------------------------------------------------------------------


class PostgresMissingError(RuntimeError):
    """No PostgreSQL server for the tests, and why."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def postgres_or_skip() -> str:
    """The admin URL of a PostgreSQL server; skips without one (fails in CI, or when
    ``$ASSESS_TEST_POSTGRES_URL`` names a server that does not answer)."""
    try:
        return postgres_admin_url()
    except PostgresMissingError as missing:
        if in_ci() or os.environ.get("ASSESS_TEST_POSTGRES_URL"):
            pytest.fail(f"PostgreSQL is needed for these tests: {missing}", pytrace=False)
        pytest.skip(f"no PostgreSQL server: {missing}")


def postgres_admin_url() -> str:
    """``$ASSESS_TEST_POSTGRES_URL``, or a throwaway cluster started once per test process (a
    failure to find one is remembered too, so that it is not tried again for every test)."""
    found = _find_postgres()
    if isinstance(found, PostgresMissingError):
        raise found
    return found


@functools.cache
def _find_postgres() -> str | PostgresMissingError:
    url = os.environ.get("ASSESS_TEST_POSTGRES_URL")
    try:
        if not url:
            url = _start_throwaway_cluster()
    except PostgresMissingError as missing:
        return missing
    target = database_url(url)
    engine = sa.create_engine(target, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        shown = target.render_as_string(hide_password=True)
        return PostgresMissingError(f"cannot connect to {shown}: {error.orig}")
    finally:
        engine.dispose()
    return target.render_as_string(hide_password=False)


def _start_throwaway_cluster() -> str:
    binaries = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    bin_dir = binaries[-1] if binaries else None
    if bin_dir is None and shutil.which("initdb") and shutil.which("pg_ctl"):
        bin_dir = str(Path(shutil.which("initdb") or "").parent)
    if bin_dir is None:
        raise PostgresMissingError(
            "no initdb/pg_ctl (install the Debian package postgresql, or set "
            "ASSESS_TEST_POSTGRES_URL)"
        )
    user: str | None = None
    if os.geteuid() == 0:  # initdb refuses root: the cluster runs as the postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresMissingError("running as root, and there is no postgres user") from None
        user = "postgres"
    base = Path(tempfile.mkdtemp(prefix="assess-test-pg-"))
    if user is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    password = secrets.token_hex(16)
    (base / "pw").write_text(password)
    if user is not None:
        os.chown(base / "pw", owner.pw_uid, owner.pw_gid)
    data = base / "data"
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run(
            command, cwd=base, user=user, check=True, capture_output=True, text=True, timeout=120
        )

    try:
        run(
            f"{bin_dir}/initdb",
            "-D",
            str(data),
            "-U",
            "assess_test",
            "--auth=scram-sha-256",
            f"--pwfile={base / 'pw'}",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        # A test cluster: loopback only, its socket in its own folder, no fsync (the server
        # is never killed in these tests, only its clients).
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=120"
        )
        run(f"{bin_dir}/pg_ctl", "-D", str(data), "-l", str(base / "log"), "-o", options, "-w",
            "-t", "60", "start")  # fmt: skip
    except (subprocess.SubprocessError, OSError) as error:
        log = base / "log"
        detail = getattr(error, "stderr", "") or ""
        if log.exists():
            detail += log.read_text(errors="replace")[-2000:]
        shutil.rmtree(base, ignore_errors=True)
        raise PostgresMissingError(
            f"could not start a throwaway cluster: {error}\n{detail}"
        ) from None

    def stop() -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            run(f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://assess_test:{password}@127.0.0.1:{port}/postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def scratch_postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    name = f"assess_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- fixtures ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Database:
    """An empty database of one backend, and the means to open stores on it."""

    backend: str
    url: str
    admin_url: str | None = None

    def open(self) -> ResultStore:
        return ResultStore.open(self.url)


# A PostgreSQL cluster takes seconds to start: tests on it are marked `database`, which `make
# check` leaves out and `make test` runs.
POSTGRESQL = pytest.param("postgresql", marks=pytest.mark.database)


@pytest.fixture(params=["sqlite", POSTGRESQL])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database: a SQLite file in a temporary folder, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite:///{tmp_path / 'results.sqlite3'}")
        return
    admin_url = postgres_or_skip()
    with scratch_postgres_database(admin_url) as url:
        yield Database("postgresql", url, admin_url)


@pytest.fixture
def postgres_database() -> Iterator[Database]:
    """A new PostgreSQL database, for what only a server can do."""
    admin_url = postgres_or_skip()
    with scratch_postgres_database(admin_url) as url:
        yield Database("postgresql", url, admin_url)


@pytest.fixture
def store(database: Database) -> Iterator[ResultStore]:
    with database.open() as opened:
        yield opened


def a_record(
    cohort: str | None = None,
    *,
    taken_on: datetime.date = TAKEN_ON,
    steps: tuple[str, ...] = ("follow_field_hashtags", "join_tool_community", "go_to_meetup"),
    seed: int = 4,
) -> ResultRecord:
    instrument = SHIPPED
    responses = {
        item.id: item.scale.values[(seed + n) % len(item.scale.values)]
        for n, item in enumerate(instrument.items)
        if (seed + n) % 7  # some left unanswered
    }
    profile = {"mode": "online", "hours": "h1", "field": "design"}
    return ResultRecord.create(
        instrument.id,
        instrument.version,
        taken_on,
        Answers(responses, profile),
        cohort=cohort,
        steps=steps,
    )


# --- consent -------------------------------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, None, "yes", "true", 1, "False"], ids=repr)
def test_nothing_is_saved_without_explicit_consent(store: ResultStore, consent: object) -> None:
    """Only consent=True saves: a forged widget message with a truthy value does not."""
    with pytest.raises(ConsentRequired, match="explicit consent"):
        store.save(a_record(), consent=consent)  # type: ignore[arg-type]
    assert store.count() == 0


# --- round trip ----------------------------------------------------------------------------------


def test_a_saved_result_comes_back_as_it_was(database: Database) -> None:
    """Every field survives saving, closing the store and opening it again."""
    record = a_record("WS-Tokyo")
    with database.open() as store:
        assert store.save(record, consent=True) == record.id
    with database.open() as store:
        again = store.result(record.id)
        assert store.results() == [again]
    assert again == record
    assert again.cohort == "ws-tokyo"
    assert again.taken_on == TAKEN_ON and type(again.taken_on) is datetime.date
    assert [s.action_id for s in again.steps] == [
        "follow_field_hashtags",
        "join_tool_community",
        "go_to_meetup",
    ]
    assert not any(step.done for step in again.steps)


def test_results_come_back_in_date_order(store: ResultStore) -> None:
    """Past results are listed oldest first, for the progress view."""
    dates = [datetime.date(2026, 12, 24), datetime.date(2026, 11, 26), datetime.date(2027, 1, 21)]
    for day in dates:
        store.save(a_record(taken_on=day), consent=True)
    assert [r.taken_on for r in store.results()] == sorted(dates)


def test_a_ticked_plan_step_is_kept(store: ResultStore) -> None:
    """Ticking and unticking a step is saved; an unknown result or step is an error."""
    record = a_record()
    store.save(record, consent=True)
    store.set_step_done(record.id, "join_tool_community", True)
    assert store.result(record.id).done("join_tool_community")
    assert not store.result(record.id).done("go_to_meetup")
    store.set_step_done(record.id, "join_tool_community", False)
    assert not store.result(record.id).done("join_tool_community")
    with pytest.raises(UnknownResultError):
        store.set_step_done(record.id, "not_in_the_plan", True)
    with pytest.raises(UnknownResultError):
        store.set_step_done(str(uuid.uuid4()), "go_to_meetup", True)


def test_an_unknown_id_is_an_error(store: ResultStore) -> None:
    """Asking for a result that is not there raises, it does not return something else."""
    with pytest.raises(UnknownResultError):
        store.result(str(uuid.uuid4()))


# --- idempotence ---------------------------------------------------------------------------------


def test_saving_the_same_result_twice_stores_it_once(store: ResultStore) -> None:
    """A retried click saves nothing twice, and does not undo ticks made since."""
    record = a_record("ws-a")
    assert store.save(record, consent=True) == record.id
    store.set_step_done(record.id, "go_to_meetup", True)
    assert store.save(record, consent=True) == record.id
    assert store.save(record, consent=True) == record.id
    assert store.count() == 1
    assert store.result(record.id).done("go_to_meetup")
    with store.engine.connect() as connection:
        steps = connection.execute(sa.text("SELECT count(*) FROM assess_result_steps")).scalar()
    assert steps == 3


CHANGES = {
    "an answer": lambda r: dataclasses.replace(
        r, answers=Answers({**r.answers.responses, SHIPPED.items[0].id: 1}, r.answers.profile)
    ),
    "the workshop code": lambda r: dataclasses.replace(r, cohort="ws-later"),
    "the date": lambda r: dataclasses.replace(r, taken_on=datetime.date(2027, 1, 1)),
    "the plan": lambda r: dataclasses.replace(
        r, steps=(StepState("go_to_meetup"), StepState("ask_a_peer"))
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_saving_a_changed_result_again_replaces_it(
    store: ResultStore, change: Callable[[ResultRecord], ResultRecord]
) -> None:
    """The same page saving again after a change updates its one result (ticks of steps still
    in the plan kept); retrying that save changes nothing more."""
    key = new_progress_key()
    record = a_record("ws-a")
    store.save(record, consent=True, key=key)
    store.set_step_done(record.id, "go_to_meetup", True)
    changed = change(record)
    for _retry in range(3):
        assert store.save(changed, consent=True, key=key) == record.id
    assert store.count() == 1
    stored = store.result(record.id)
    assert dataclasses.replace(stored, steps=changed.steps) == changed
    assert [s.action_id for s in stored.steps] == [s.action_id for s in changed.steps]
    assert stored.done("go_to_meetup")
    assert store.opened_with(key) == stored
    with store.engine.connect() as connection:
        steps = connection.execute(sa.text("SELECT count(*) FROM assess_result_steps")).scalar()
    assert steps == len(changed.steps)


def test_a_result_stored_under_another_key_is_not_replaced(store: ResultStore) -> None:
    """An id saved with one progress key is not overwritten by a save with another (or none)."""
    record = a_record()
    store.save(record, consent=True, key=new_progress_key())
    other = dataclasses.replace(record, taken_on=datetime.date(2027, 1, 1))
    for key in (new_progress_key(), None):
        with pytest.raises(ConflictingResultError, match="another progress key"):
            store.save(other, consent=True, key=key)
    assert store.result(record.id) == record


# --- progress keys -------------------------------------------------------------------------------


def test_a_progress_key_opens_its_own_result_and_no_other(store: ResultStore) -> None:
    """The key given at saving opens that one result and ticks its steps; another key, a
    mistyped one or a result id open nothing."""
    mine, theirs = a_record("ws-a"), a_record("ws-a", seed=2)
    key, their_key = new_progress_key(), new_progress_key()
    store.save(mine, consent=True, key=key)
    store.save(theirs, consent=True, key=their_key)
    assert store.opened_with(key) == mine
    assert store.opened_with(key.lower().replace("-", " ")) == mine  # copied by hand
    store.tick(key, "join_tool_community", True)
    assert store.result(mine.id).done("join_tool_community")
    assert not store.result(theirs.id).done("join_tool_community")
    for wrong in (new_progress_key(), key[:-1] + ("0" if key[-1] != "0" else "1"), mine.id, ""):
        with pytest.raises(UnknownResultError):
            store.opened_with(wrong)
        with pytest.raises(UnknownResultError):
            store.tick(wrong, "go_to_meetup", True)
    with store.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT key_digest FROM assess_results")).scalars()
        assert key not in list(stored)  # only its digest is kept


def test_a_version_1_database_migrates_and_keeps_its_results(database: Database) -> None:
    """A database written before progress keys gets the new column; its results stay readable
    (and are opened by no key)."""
    from assess.store import schema

    record = a_record("ws-a")
    engine = sa.create_engine(database_url(database.url))
    with engine.begin() as connection:
        schema.migrate_to_1(connection)
        connection.execute(sa.text("INSERT INTO assess_schema_version VALUES (1, 1)"))
        connection.execute(
            sa.text(
                "INSERT INTO assess_results (id, instrument_id, instrument_version, taken_on, "
                "cohort, answers) VALUES (:id, :i, :v, :t, :c, :a)"
            ),
            {
                "id": record.id,
                "i": record.instrument_id,
                "v": record.instrument_version,
                "t": record.taken_on,
                "c": record.cohort,
                "a": '{"profile":{},"responses":{"spatial_1":4}}',
            },
        )
    engine.dispose()
    with database.open() as store:
        assert store.schema_version() == SCHEMA_VERSION == 2
        assert dict(store.result(record.id).answers.responses) == {"spatial_1": 4}
        key = new_progress_key()
        later = a_record("ws-a", seed=3)
        store.save(later, consent=True, key=key)
        assert store.opened_with(key) == later


# --- groups --------------------------------------------------------------------------------------


def test_results_are_grouped_by_workshop_code(store: ResultStore) -> None:
    """A workshop code groups results whatever its case; results without one are in no group."""
    group_a = [a_record(code, seed=n) for n, code in enumerate(["WS-A", "ws-a", " Ws-A "])]
    group_b = [a_record("ws-b", seed=n) for n in range(2)]
    for record in [*group_a, *group_b, a_record(None)]:
        store.save(record, consent=True)
    assert {r.id for r in store.results("ws-a")} == {r.id for r in group_a}
    assert {r.id for r in store.results("WS-B")} == {r.id for r in group_b}
    assert store.count("ws-a") == 3 and store.count("ws-b") == 2 and store.count() == 6
    assert store.results("nobody") == []


def test_the_group_frame_is_wide_and_scores_with_score_cohort(store: ResultStore) -> None:
    """One row per result, item and profile columns and taken_on, ready for score_cohort."""
    group = [a_record("ws-a", seed=n, taken_on=TAKEN_ON + datetime.timedelta(n)) for n in range(4)]
    for record in [*group, a_record("ws-b")]:
        store.save(record, consent=True)
    frame = workshop_frame(SHIPPED, store, "WS-A")
    item_ids = [item.id for item in SHIPPED.items]
    profile_ids = [question.id for question in SHIPPED.profile]
    assert list(frame.columns) == [*item_ids, *profile_ids, "taken_on"]
    assert frame.index.name == "result_id"
    assert set(frame.index) == {r.id for r in group}
    for record in group:
        row = frame.loc[record.id]
        for item_id in item_ids:
            expected = record.answers.responses.get(item_id)
            assert (
                (row[item_id] == expected) if expected is not None else row[item_id] != row[item_id]
            )
        assert row["mode"] == "online"
        assert row["taken_on"] == record.taken_on
    scored = score_cohort(SHIPPED, frame.drop(columns="taken_on"))
    assert list(scored.index) == list(frame.index)
    assert scored["isolation_risk_percent"].notna().all()


def test_the_group_frame_of_an_empty_group_has_its_columns(store: ResultStore) -> None:
    """No results yet: an empty frame with the same columns, not an error."""
    frame = workshop_frame(SHIPPED, store, "ws-empty")
    assert len(frame) == 0
    assert "taken_on" in frame.columns and SHIPPED.items[0].id in frame.columns


# --- delete --------------------------------------------------------------------------------------


def test_a_deleted_result_is_gone_with_its_steps(store: ResultStore) -> None:
    """Taking back consent removes the result and its plan steps, and nothing else."""
    mine, other = a_record("ws-a"), a_record("ws-a")
    store.save(mine, consent=True)
    store.save(other, consent=True)
    assert store.delete(mine.id) is True
    with pytest.raises(UnknownResultError):
        store.result(mine.id)
    assert store.delete(mine.id) is False
    assert [r.id for r in store.results("ws-a")] == [other.id]
    with store.engine.connect() as connection:
        left = connection.execute(
            sa.text("SELECT count(*) FROM assess_result_steps WHERE result_id = :id"),
            {"id": mine.id},
        ).scalar()
    assert left == 0
    assert len(store.result(other.id).steps) == 3


# --- schema --------------------------------------------------------------------------------------


def test_a_new_database_gets_the_current_schema(store: ResultStore) -> None:
    """Opening an empty database creates the tables and records the schema version."""
    assert store.schema_version() == SCHEMA_VERSION
    tables = set(sa.inspect(store.engine).get_table_names())
    assert {"assess_schema_version", "assess_results", "assess_result_steps"} <= tables


def test_a_stored_result_has_no_column_for_personal_data(store: ResultStore) -> None:
    """The tables hold ids, dates, codes, answers and a random key's digest: no name, contact,
    address or time of day."""
    inspector = sa.inspect(store.engine)
    columns = {c["name"] for c in inspector.get_columns("assess_results")}
    assert columns == {
        "id",
        "instrument_id",
        "instrument_version",
        "taken_on",
        "cohort",
        "answers",
        "key_digest",
    }
    steps = {c["name"] for c in inspector.get_columns("assess_result_steps")}
    assert steps == {"result_id", "action_id", "position", "done"}
    taken_on = next(c for c in inspector.get_columns("assess_results") if c["name"] == "taken_on")
    assert isinstance(taken_on["type"], sa.Date) and not isinstance(taken_on["type"], sa.DateTime)


def test_opening_twice_keeps_the_data_and_the_schema(database: Database) -> None:
    """Opening an up-to-date database migrates nothing and loses nothing."""
    record = a_record()
    with database.open() as store:
        store.save(record, consent=True)
    with database.open() as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.results() == [record]


def test_a_database_from_a_newer_assess_is_refused(database: Database) -> None:
    """A schema version newer than this code knows is refused with a clear message."""
    with database.open() as store:
        store.save(a_record(), consent=True)
        with store.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE assess_schema_version SET version = :v"),
                {"v": SCHEMA_VERSION + 1},
            )
    with pytest.raises(SchemaTooNewError) as refused:
        database.open()
    message = str(refused.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert f"up to {SCHEMA_VERSION}" in message and "upgrade assess" in message
    engine = sa.create_engine(database_url(database.url))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM assess_results")).scalar() == 1
    engine.dispose()


# --- failures ------------------------------------------------------------------------------------


def test_an_unreachable_database_gives_store_unavailable(
    database: Database, tmp_path: Path
) -> None:
    """A server that does not answer, or a folder that cannot exist: a clear StoreUnavailable."""
    if database.backend == "sqlite":
        (tmp_path / "a-file").write_text("")
        url = f"sqlite:///{tmp_path / 'a-file' / 'results.sqlite3'}"
    else:
        url = f"postgresql://someone:hunter2-secret@127.0.0.1:{_free_port()}/assess"
    with pytest.raises(StoreUnavailable) as failed:
        ResultStore.open(url)
    message = str(failed.value)
    assert message.startswith("the results database is unavailable (open failed): ")
    assert "hunter2" not in message
    assert failed.value.reason and failed.value.url in message


def _break(database: Database, store: ResultStore) -> Callable[[], None]:
    """Make the database fail under the store; returns how to mend it (if it can be)."""
    if database.backend == "sqlite":
        # The disk fills up: SQLite may not grow the file by one more page.
        store.engine.dispose()

        def full(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            (pages,) = cursor.execute("PRAGMA page_count").fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")
            cursor.close()

        sa.event.listen(store.engine, "connect", full)

        def mend() -> None:
            sa.event.remove(store.engine, "connect", full)
            store.engine.dispose()

        return mend
    # PostgreSQL: the server drops the database and every connection to it.
    assert database.admin_url is not None
    admin = sa.create_engine(database.admin_url, isolation_level="AUTOCOMMIT")
    name = sa.make_url(database.url).database
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    return lambda: None


def test_a_failing_database_loses_nothing_the_person_holds(
    database: Database, tmp_path: Path
) -> None:
    """Disk full (SQLite) or database dropped (PostgreSQL): each save either stores the whole
    result or raises StoreUnavailable; the record in hand is unchanged and saves elsewhere."""
    store = database.open()
    first = a_record("ws-a")
    store.save(first, consent=True)
    mend = _break(database, store)
    saved = [first]
    failed: ResultRecord | None = None
    for n in range(200):  # SQLite fills its last free pages before it fails
        record = a_record("ws-a", seed=n)
        try:
            store.save(record, consent=True)
        except StoreUnavailable as error:
            failed = record
            message = str(error)
            break
        saved.append(record)
    assert failed is not None, "the broken database never failed"
    assert message.startswith("the results database is unavailable (save failed): ")
    assert "nothing was saved" in message and "tried again" in message
    assert failed == dataclasses.replace(failed)  # the record in hand is whole
    with ResultStore.open(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}") as elsewhere:
        elsewhere.save(failed, consent=True)
        assert elsewhere.result(failed.id) == failed
    mend()
    if database.backend == "sqlite":
        assert {r.id for r in store.results()} == {r.id for r in saved}
        assert all(len(r.steps) == 3 for r in store.results())
        store.save(failed, consent=True)  # the same record, retried once there is room
        assert store.result(failed.id) == failed
    store.close()


@pytest.mark.database
def test_a_dropped_connection_is_replaced_before_a_save(postgres_database: Database) -> None:
    """PostgreSQL: a pooled connection the server closed (restart, idle timeout) is not used."""
    database = postgres_database
    assert database.admin_url is not None
    with database.open() as store:
        store.save(a_record(), consent=True)
        admin = sa.create_engine(database.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            dropped = connection.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name"
                ),
                {"name": sa.make_url(database.url).database},
            ).scalar()
        admin.dispose()
        assert dropped and dropped >= 1
        store.save(a_record(), consent=True)
        assert store.count() == 2


# --- where the database is -----------------------------------------------------------------------


def test_the_default_database_is_a_file_in_the_users_data_folder(tmp_path: Path) -> None:
    """No URL: a SQLite file under $XDG_DATA_HOME/assess, its folder created."""
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home")}
    with ResultStore.open(environ=environ) as store:
        store.save(a_record(), consent=True)
        assert store.backend == "sqlite"
    assert (tmp_path / "data" / "assess" / "results.sqlite3").is_file()
    home_only = {"HOME": str(tmp_path / "home")}
    with ResultStore.open(environ=home_only):
        pass
    assert (tmp_path / "home" / ".local" / "share" / "assess" / "results.sqlite3").is_file()


def test_the_database_url_comes_from_the_environment_when_not_given(tmp_path: Path) -> None:
    """ASSESS_DATABASE_URL configures a hosted quiz; an explicit URL wins over it."""
    hosted = tmp_path / "hosted.sqlite3"
    environ = {"ASSESS_DATABASE_URL": f"sqlite:///{hosted}", "HOME": str(tmp_path)}
    with ResultStore.open(environ=environ) as store:
        assert store.url == f"sqlite:///{hosted}"
    explicit = tmp_path / "explicit.sqlite3"
    with ResultStore.open(f"sqlite:///{explicit}", environ=environ) as store:
        assert store.url == f"sqlite:///{explicit}"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    """Concurrent writers wait for each other (a few seconds, not a frozen page's 30)."""
    with (
        ResultStore.open(f"sqlite:///{tmp_path / 'r.sqlite3'}") as store,
        store.engine.connect() as connection,
    ):
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert 1_000 <= connection.exec_driver_sql("PRAGMA busy_timeout").scalar() <= 5_000


@pytest.mark.parametrize(
    "url", ["mysql://u:p@host/db", "not a url", "oracle://x"], ids=["mysql", "garbage", "oracle"]
)
def test_only_sqlite_and_postgresql_urls_are_accepted(url: str) -> None:
    """Another database, or a mistyped URL, is a configuration error that says what is expected."""
    with pytest.raises(ValueError, match=r"SQLite or PostgreSQL|cannot be read"):
        ResultStore.open(url)


# --- what a record may hold ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [("WS-2026", "ws-2026"), ("  tokyo_a ", "tokyo_a"), ("", None), ("   ", None), (None, None)],
)
def test_workshop_codes_are_normalised(code: str | None, expected: str | None) -> None:
    """Case and surrounding spaces do not split a group."""
    assert normalise_cohort(code) == expected


@pytest.mark.parametrize(
    "code", ["taro@example.com", "山田", "ws 2026", "a" * 33, "ws/../x", "1;drop"]
)
def test_a_workshop_code_that_could_carry_anything_else_is_refused(code: str) -> None:
    """Only short codes of letters, digits, '-' and '_': no e-mail, names or free text."""
    with pytest.raises(ValueError, match="workshop code"):
        normalise_cohort(code)


def test_a_record_refuses_free_text_and_ids_that_are_not_random() -> None:
    """Profile answers are option codes, responses option values, ids random UUIDs."""
    fine = a_record()
    with pytest.raises(ValueError, match="option code"):
        dataclasses.replace(fine, answers=Answers({}, {"field": "I am Taro from Osaka"}))
    with pytest.raises(ValueError, match="option value"):
        dataclasses.replace(fine, answers=Answers({"spatial_1": "4 (often)"}))
    with pytest.raises(ValueError, match="option value"):
        dataclasses.replace(fine, answers=Answers({"spatial_1": True}))
    with pytest.raises(ValueError, match="random UUID"):
        dataclasses.replace(fine, id="taro@example.com")
    with pytest.raises(ValueError, match="random UUID"):
        dataclasses.replace(fine, id=str(uuid.uuid1()))
    with pytest.raises(ValueError, match="unique"):
        dataclasses.replace(fine, steps=(StepState("a"), StepState("a")))


def test_a_record_keeps_the_date_only() -> None:
    """A time of day handed in is dropped; unanswered questions are not stored."""
    record = dataclasses.replace(
        a_record(),
        taken_on=datetime.datetime(2026, 11, 26, 21, 43, 5),  # type: ignore[arg-type]
        answers=Answers({"spatial_1": 4, "spatial_2": None}, {"mode": None}),
    )
    assert record.taken_on == TAKEN_ON and type(record.taken_on) is datetime.date
    assert dict(record.answers.responses) == {"spatial_1": 4}
    assert dict(record.answers.profile) == {}


def test_a_record_of_a_plan_lists_its_steps_in_order() -> None:
    """ResultRecord.of takes the instrument's id and version, the plan's step ids and the page's
    result id."""
    from assess.core.planning import make_plan
    from assess.core.scoring import score
    from assess.datafiles.catalogue import default_actions

    answers = Answers(
        {item.id: item.scale.values[0] for item in SHIPPED.items}, {"mode": "online", "hours": "h1"}
    )
    plan = make_plan(SHIPPED, score(SHIPPED, answers), answers, default_actions(), today=TAKEN_ON)
    steps = [step.action.id for step in plan.steps]
    record = ResultRecord.of(SHIPPED, answers, TAKEN_ON, steps=steps, cohort="WS-1")
    assert (record.instrument_id, record.instrument_version) == (SHIPPED.id, SHIPPED.version)
    assert [s.action_id for s in record.steps] == steps
    assert record.cohort == "ws-1" and uuid.UUID(record.id).version == 4
    page_id = str(uuid.uuid4())
    assert ResultRecord.of(SHIPPED, answers, TAKEN_ON, id=page_id).id == page_id


def test_the_store_does_not_import_the_planner() -> None:
    """A record holds step ids; the store names no plan, not even for type checking."""
    import ast

    import assess.store

    for module in Path(assess.store.__file__).parent.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name and "planning" in name], module.name


# --- SQLite files: private, checked, readable read-only ------------------------------------------


def _sqlite_store_with(tmp_path: Path, count: int) -> tuple[str, list[ResultRecord]]:
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    records = [a_record("ws-a", seed=n) for n in range(count)]
    with ResultStore.open(url) as store:
        for record in records:
            store.save(record, consent=True)
    return url, records


def test_a_new_sqlite_file_is_private_to_its_user(tmp_path: Path) -> None:
    """Results are nobody else's business on a shared machine: 0600 files in a 0700 folder."""
    folder = tmp_path / "data" / "assess"
    with ResultStore.open(f"sqlite:///{folder / 'results.sqlite3'}") as store:
        store.save(a_record(), consent=True)
        files = sorted(folder.iterdir())
        assert [f.name for f in files] == [
            "results.sqlite3",
            "results.sqlite3-shm",
            "results.sqlite3-wal",
        ]
        assert {oct(f.stat().st_mode & 0o777) for f in files} == {"0o600"}
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_damaged_sqlite_file_is_refused_for_writing(tmp_path: Path) -> None:
    """A file with a broken page is found out when opened: no save, tick or delete reaches it,
    and the operator is told what is wrong and what to do."""
    url, records = _sqlite_store_with(tmp_path, 300)
    path = tmp_path / "results.sqlite3"
    before = path.stat().st_size
    with path.open("r+b") as file:  # a b-tree page header overwritten, as a bad sector would
        file.seek(4096 * 20)
        file.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff" * 4)
    snapshot = path.read_bytes()
    with ResultStore.open(url) as store:
        assert store.damage is not None and "Page 21" in store.damage
        for write in (
            lambda: store.save(a_record(), consent=True),
            lambda: store.set_step_done(records[0].id, "go_to_meetup", True),
            lambda: store.delete(records[0].id),
        ):
            with pytest.raises(
                DamagedStoreError, match=r"damaged .* nothing is written .*\.recover"
            ):
                write()
    assert path.read_bytes() == snapshot and path.stat().st_size == before


def _damage_a_page(path: Path, of: str) -> int:
    """Garbage over one leaf page of the table or index `of` (found through SQLite's ``dbstat``),
    as a bad sector would leave it; how many entries the page held."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as connection:
        try:
            pages = connection.execute(
                "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                "ORDER BY pageno",
                (of,),
            ).fetchall()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find a page with")
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    assert pages, f"no leaf page of {of}"
    page, cells = pages[len(pages) // 2]
    with path.open("r+b") as file:
        file.seek((page - 1) * page_size)
        file.write(b"\xff" * page_size)
    return int(cells)


@pytest.mark.parametrize(
    ("damaged", "lost"),
    [("assess_results", True), ("ix_assess_results_cohort", False)],
    ids=["a-page-of-results", "a-page-of-the-workshop-index"],
)
def test_a_damaged_page_costs_only_the_results_on_it(
    tmp_path: Path,
    damaged: str,
    lost: bool,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A SQLite file with one page overwritten: every result on sound pages is read, those on
    the damaged page are counted, and the log and `assess cohort --store` say they sat on
    damaged pages."""
    from assess.app.cli import main

    url, records = _sqlite_store_with(tmp_path, 300)
    cells = _damage_a_page(tmp_path / "results.sqlite3", damaged)
    with ResultStore.open(url) as store:
        assert store.damage is not None
        read = store.results("ws-a")
        missing = len(records) - len(read)
        assert {r.id for r in read} <= {r.id for r in records}
        assert (store.skipped, store.skipped_damaged) == (missing, missing)
        assert missing == (cells if lost else 0)
        assert read == sorted(read, key=lambda r: (r.taken_on, r.id))
        assert len(store.results()) == len(read)
        assert len(workshop_frame(SHIPPED, store, "ws-a")) == len(read)
    if lost:
        assert f"{cells} stored result(s) could not be read (damaged database pages)" in (
            caplog.text
        )
    assert main(["cohort", "--store", url, "--cohort", "ws-a", "--format", "json"]) == 0
    said = capsys.readouterr().err
    assert (f"{missing} result(s) could not be read (damaged database pages)" in said) is lost


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("answers", '{"responses":{},"profile":{"field":"I am Taro Yamada from Osaka"}}'),
        ("answers", "{not json: Taro Yamada"),
        ("taken_on", "Taro Yamada"),
        ("cohort", "Taro Yamada"),
    ],
    ids=["free-text-answer", "broken-json", "bad-date", "bad-code"],
)
def test_one_malformed_row_is_left_out_and_counted(
    tmp_path: Path, column: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A row edited by hand or half-damaged: the workshop's other results are read, the bad one
    is counted, and nothing it holds is echoed in an error or the log."""
    url, records = _sqlite_store_with(tmp_path, 6)
    bad = records[2]
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(f"UPDATE assess_results SET {column} = :value WHERE id = :id"),
            {"value": value, "id": bad.id},
        )
    engine.dispose()
    with ResultStore.open(url) as store:
        cohort = "ws-a" if column != "cohort" else None
        read = store.results(cohort)
        assert {r.id for r in read} == {r.id for r in records} - {bad.id}
        assert store.skipped == 1
        frame = workshop_frame(SHIPPED, store, "ws-a")
        assert bad.id not in frame.index and len(frame) == 5
        assert store.skipped == (1 if column != "cohort" else 0)
    assert "Taro" not in caplog.text
    assert "1 stored result(s) could not be read" in caplog.text


def test_a_read_only_copy_is_read_and_never_written(tmp_path: Path) -> None:
    """A copy opened read-only (asked for, or a file this process may not write) gives its
    results; every write is refused and the file is not touched."""
    url, records = _sqlite_store_with(tmp_path, 3)
    path = tmp_path / "results.sqlite3"
    snapshot = path.read_bytes()
    with ResultStore.open(url, read_only=True) as store:
        assert store.read_only
        assert {r.id for r in store.results("ws-a")} == {r.id for r in records}
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            store.save(a_record(), consent=True)
        with pytest.raises(ReadOnlyStoreError):
            store.delete(records[0].id)
    assert path.read_bytes() == snapshot
    with pytest.raises(StoreUnavailable, match="no such file"):
        ResultStore.open(f"sqlite:///{tmp_path / 'missing.sqlite3'}", read_only=True)


def test_a_copy_its_reader_may_not_write_opens_read_only(tmp_path: Path) -> None:
    """A facilitator given a copy they may not write (a file and folder of someone else's) reads
    it without asking for read-only.  File permissions do not bind root, so under root the
    reader runs as another user."""
    _url, records = _sqlite_store_with(tmp_path, 3)
    copy = Path(tempfile.mkdtemp(prefix="assess-ro-"))
    copy.chmod(0o755)
    script = (
        "import sys\n"
        "from assess.store.results import ResultStore\n"
        "with ResultStore.open(sys.argv[1]) as store:\n"
        "    print(store.read_only, sorted(r.id for r in store.results('ws-a')))\n"
    )
    command = [sys.executable, "-c", script, f"sqlite:///{copy / 'results.sqlite3'}"]
    user = "nobody" if os.geteuid() == 0 else None
    try:
        shutil.copy(tmp_path / "results.sqlite3", copy / "results.sqlite3")
        (copy / "results.sqlite3").chmod(0o444)
        copy.chmod(0o555)
        env = {**os.environ, "HOME": str(copy)}
        try:
            ran = subprocess.run(
                command, user=user, capture_output=True, text=True, timeout=60, env=env
            )
        except PermissionError:
            # This Python lives in root's home: the system's own Python of the same version
            # reads the same packages.
            system = Path("/usr/bin/python3")
            if not system.exists():
                pytest.skip("no Python that another user may run")
            # An editable install is found by an import hook, not by a path: name the package's
            # folder too.
            package_root = Path(assess.__file__).resolve().parents[1]
            paths = [str(package_root), *(p for p in sys.path if p and Path(p).is_dir())]
            env["PYTHONPATH"] = os.pathsep.join(paths)
            command[0] = str(system)
            ran = subprocess.run(
                command, user=user, capture_output=True, text=True, timeout=60, env=env
            )
        assert ran.returncode == 0, ran.stderr[-2000:]
        assert ran.stdout.strip() == f"True {sorted(r.id for r in records)}"
        assert sorted(p.name for p in copy.iterdir()) == ["results.sqlite3"]
    finally:
        copy.chmod(0o755)
        shutil.rmtree(copy, ignore_errors=True)


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process's writer holding the SQLite write lock (a stuck kernel, a backup tool)."""
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- what the pages say ---------------------------------------------------------------------------


def _request(record_id: str | None = None, *, cohort: str | None = "ws-a", level: int = 0) -> Any:
    from assess.ui.quiz import SaveRequest

    answers = Answers(
        {item.id: item.scale.values[level % len(item.scale.values)] for item in SHIPPED.items},
        {"mode": "online"},
    )
    return SaveRequest(
        record_id=record_id or str(uuid.uuid4()),
        answers=answers,
        taken_on=TAKEN_ON,
        plan=None,
        cohort=cohort,
        consent=True,
    )


def _keeper(url: str) -> Any:
    from assess.app.roots import ResultKeeper

    return ResultKeeper(SHIPPED, url=url)


def test_the_save_box_saves_updates_and_withdraws_with_one_key(tmp_path: Path) -> None:
    """Save, change an answer and save again (updated, one result, the same key shown), retry
    (nothing new), withdraw (gone)."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    keeper = _keeper(url)
    first = _request()
    saved = keeper.save(first)
    assert (saved.message_key, saved.done, saved.record_id) == ("save.done", True, first.record_id)
    assert saved.progress_key is not None
    changed = dataclasses.replace(_request(first.record_id, level=2), cohort="ws-b")
    updated = keeper.save(changed)
    assert updated.message_key == "save.updated" and updated.progress_key == saved.progress_key
    assert keeper.save(changed).message_key == "save.done"  # a retried click
    with ResultStore.open(url) as store:
        assert store.count() == 1 and store.count("ws-b") == 1
        assert store.opened_with(saved.progress_key).id == first.record_id
    withdrawn = keeper.withdraw(first.record_id)
    assert (withdrawn.message_key, withdrawn.done) == ("save.forgotten", True)
    with ResultStore.open(url) as store:
        assert store.count() == 0


def test_a_page_keeps_one_stored_result_however_often_it_saves(database: Database) -> None:
    """Saved under ws-a, then answers edited (a new results page brings a new id) and saved
    again: one stored result with the new answers, the same key, counted once by the workshop;
    Delete removes it and says one result went, a second Delete says nothing was left."""
    keeper = _keeper(database.url)
    first = keeper.save(_request())
    edited = _request(level=2)
    second = keeper.save(edited)
    assert second.record_id == first.record_id and second.progress_key == first.progress_key
    assert (second.message_key, second.done) == ("save.updated", True)
    assert first.progress_key is not None
    with database.open() as store:
        assert (store.count(), store.count("ws-a")) == (1, 1)
        stored = store.opened_with(first.progress_key)
        assert stored.answers.responses == edited.answers.responses
        assert len(workshop_frame(SHIPPED, store, "ws-a")) == 1
    withdrawn = keeper.withdraw(str(second.record_id))
    assert (withdrawn.message_key, withdrawn.done) == ("save.forgotten", True)
    with database.open() as store:
        assert store.count() == 0
    assert keeper.withdraw(str(second.record_id)).message_key == "save.forgotten_none"


def test_a_page_deletes_only_what_it_stored(tmp_path: Path) -> None:
    """Delete with another page's result id (a forged request) deletes this page's result
    only; a page that stored nothing deletes nothing and says so."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    mine, theirs = _keeper(url), _keeper(url)
    saved = mine.save(_request())
    other = theirs.save(_request(level=1))
    assert _keeper(url).withdraw(str(other.record_id)).message_key == "save.forgotten_none"
    assert mine.withdraw(str(other.record_id)).message_key == "save.forgotten"
    with ResultStore.open(url) as store:
        assert [r.id for r in store.results()] == [other.record_id]
        with pytest.raises(UnknownResultError):
            store.result(str(saved.record_id))


def _to_the_results(quiz: Any, *, profile_choice: int = 0) -> None:
    """Answer every question (the first option) and the profile, and reach the results."""
    quiz.start.click()
    while quiz.page <= quiz.last_question_page:
        for question in quiz.question_pages[quiz.page - 1].questions:
            question.choices.value = question.option_values[0]
        quiz.next.click()
    for question in quiz.profile_page.questions:
        question.choices.value = question.option_values[profile_choice]
    quiz.next.click()


def test_editing_after_saving_replaces_the_saved_result_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quiz as built for a page, on a real SQLite file: Save under ws-a, "Edit answers",
    change one answer, Save in the new box: one result, the new answer, the same key shown;
    Delete says one result was deleted and the workshop holds none."""
    from assess.app.roots import build_quiz

    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    quiz = build_quiz(query_string="lang=en", today=TAKEN_ON)
    _to_the_results(quiz)
    box = quiz.results_page.save_box
    box.consent.value, box.cohort_input.value = True, "ws-a"
    box.save_button.click()
    key = box.progress_key
    quiz.results_page.edit.click()
    mode = quiz.profile_page.questions[0]
    mode.choices.value = mode.option_values[1]
    quiz.next.click()
    again = quiz.results_page.save_box
    assert again is not box
    again.consent.value, again.cohort_input.value = True, "ws-a"
    again.save_button.click()
    assert again.progress_key == key
    assert quiz.messages.text("save.updated", "en") in again.status.value
    with ResultStore.open(url) as store:
        assert store.count("ws-a") == 1
        assert store.opened_with(str(key)).answers == quiz.outcome.answers
    again.forget_button.click()
    assert "1 result deleted" in again.status.value
    again.save_button.click()  # a forged click: the box was unticked by Delete
    again.forget_button.click()  # and Delete is hidden: nothing is stored to delete
    assert quiz.messages.text("save.needs_consent", "en") in again.status.value
    with ResultStore.open(url) as store:
        assert store.count() == 0


def test_a_workshop_code_that_could_name_someone_is_refused_in_words_of_the_page(
    tmp_path: Path,
) -> None:
    """An e-mail address as workshop code: a message key of its own, and the address is not
    repeated back in English."""
    from assess.app.roots import _save
    from assess.datafiles.messages import default_messages

    keeper = _keeper(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    outcome = keeper.save(_request(cohort="taro@example.com"))
    assert (outcome.message_key, outcome.done) == ("save.invalid_cohort", False)
    with pytest.raises(ValueError, match="ワークショップコード") as refused:
        _save(keeper, default_messages(), _request(cohort="taro@example.com"))
    assert "taro" not in str(refused.value)


def _unreachable(backend: str, tmp_path: Path) -> tuple[str, list[str]]:
    """A store URL that fails, and the details of it a visitor must never read."""
    if backend == "sqlite":
        (tmp_path / "a-file").write_text("")
        path = tmp_path / "a-file" / "secret-folder" / "results.sqlite3"
        return f"sqlite:///{path}", [str(tmp_path), "secret-folder", "results.sqlite3", "sqlite"]
    port = _free_port()
    url = f"postgresql://quiz_writer:hunter2-secret@127.0.0.1:{port}/assess_results_db"
    return url, ["quiz_writer", "hunter2", "127.0.0.1", str(port), "assess_results_db", "psycopg"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_store_failure_shows_a_visitor_no_database_detail(
    backend: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Save, withdraw and the progress page with the store down: a bilingual message of the
    page's own in each language; the user, host, port, database, file and driver's words go to
    the server's log only, without the answers."""
    from assess.app.roots import _forget, _save, build_progress
    from assess.datafiles.messages import default_messages
    from assess.store.outcomes import StoreProblem

    url, secrets_ = _unreachable(backend, tmp_path)
    messages = default_messages()
    keeper = _keeper(url)
    request = _request(cohort="ws-secret-answers")
    shown: list[str] = []
    saved = keeper.save(request)
    withdrawn = keeper.withdraw(request.record_id)
    assert (saved.message_key, saved.done) == ("save.unavailable", False)
    assert (withdrawn.message_key, withdrawn.done) == ("save.withdraw_failed", False)
    for language in ("ja", "en"):
        keeper.language = lambda language=language: language
        shown += [messages.text(saved.message_key, language)]
        shown += [messages.text(withdrawn.message_key, language)]
        with pytest.raises(StoreProblem) as save_problem:
            _save(keeper, messages, request)
        with pytest.raises(StoreProblem) as forget_problem:
            _forget(keeper, messages, request.record_id)
        shown += [str(save_problem.value), str(forget_problem.value)]
        view = build_progress(store_url=url, query_string=f"lang={language}")
        view.codes.value = new_progress_key()
        view.show_codes.click()
        shown.append(view.notice.value)
    withdrawals = [messages.text(withdrawn.message_key, lang) for lang in ("ja", "en")]
    assert "削除できませんでした" in withdrawals[0] and "not be deleted" in withdrawals[1]
    assert str(forget_problem.value) == withdrawals[1]
    for text in withdrawals:
        assert "保存できませんでした" not in text and "not be saved" not in text
    for text in shown:
        assert text.strip()
        for secret in secrets_:
            assert secret not in text, (secret, text)
    assert secrets_[-1] in caplog.text or "unavailable" in caplog.text
    assert "ws-secret-answers" not in caplog.text
    for item in SHIPPED.items[:3]:
        assert f"'{item.id}'" not in caplog.text


@pytest.mark.slow  # it waits out the busy timeout twice: about 6 s of nothing else
def test_a_held_sqlite_lock_makes_the_page_say_busy_in_seconds(tmp_path: Path) -> None:
    """Another writer holding the lock: save and withdraw answer within the busy timeout (not
    30 s), saying the store is busy and that nothing changed; once free, the retry saves."""
    from assess.store.engine import BUSY_TIMEOUT_SECONDS

    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    keeper, other_page = _keeper(url), _keeper(url)
    kept = _request()
    assert keeper.save(kept).done
    request = _request()
    with write_lock_held(tmp_path / "results.sqlite3"):
        began = time.monotonic()
        saved = other_page.save(request)
        withdrawn = keeper.withdraw(kept.record_id)
        took = time.monotonic() - began
    assert (saved.message_key, saved.done) == ("save.busy", False)
    assert (withdrawn.message_key, withdrawn.done) == ("save.withdraw_busy", False)
    assert took < 2 * BUSY_TIMEOUT_SECONDS + 2 and BUSY_TIMEOUT_SECONDS <= 5
    assert other_page.save(request).done
    with ResultStore.open(url) as store:
        assert store.count() == 2
