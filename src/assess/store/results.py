"""Consented, anonymous storage of results: SQLite by default, PostgreSQL by URL, one code path.

An edge module: the core hands it frozen :class:`ResultRecord` values and gets them back
(:mod:`assess.store.records`); the tables are in :mod:`assess.store.schema`, opening a database
in :mod:`assess.store.engine`, the exceptions in :mod:`assess.store.errors`.

>>> import datetime
>>> from assess.core.model import Answers
>>> store = ResultStore.open("sqlite://")  # in memory; the default is a file in the data folder
>>> record = ResultRecord.create(
...     "freelance-connection", "1", datetime.date(2026, 11, 26),
...     Answers({"spatial_1": 4}, profile={"mode": "online"}), cohort="WS-Tokyo",
...     steps=("follow_field_hashtags",))
>>> key = new_progress_key()
>>> store.save(record, consent=True, key=key) == record.id
True
>>> store.save(record, consent=True, key=key) == record.id  # a retried click stores nothing twice
True
>>> store.result(record.id) == record, store.count("ws-tokyo"), store.opened_with(key) == record
(True, 1, True)
>>> store.save(record, consent=False)
Traceback (most recent call last):
...
assess.store.errors.ConsentRequired: a result is saved only with the person's explicit consent
>>> store.close()

**Saving again updates.**  The page keeps one result id (and one progress key) for the result on
screen.  Saving under that id again with the same content stores nothing new (a retried click);
with different answers, date, workshop code or plan it *replaces* the stored result, keeping the
ticks of the steps that are still in the plan.  A new visit to the quiz is a new page, a new id,
and so a new dated result beside the earlier ones.  Why: a person who corrects an answer or adds
the workshop code right after saving means "this is my result", not "I took it twice", and a
group's statistics must count each person's visit once.

The store's operations stay in this one module (about 500 lines): they share one transaction
discipline (:meth:`ResultStore._guard`, the SQLite write lock taken at BEGIN) that is easier to
check in one place.

Where the database is: :meth:`ResultStore.open` takes a SQLAlchemy URL, else the environment
variable ``ASSESS_DATABASE_URL`` (for hosting: ``postgresql://user:password@host/db``), else a
SQLite file ``assess/results.sqlite3`` in ``$XDG_DATA_HOME`` (default ``~/.local/share``).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, Self, TypeVar

import sqlalchemy as sa

from assess.store import schema
from assess.store.engine import (
    BUSY_TIMEOUT_SECONDS,
    CONNECT_TIMEOUT_SECONDS,
    DATABASE_URL_ENV,
    database_url,
    default_database_path,
    integrity_finding,
    is_busy,
    make_engine,
    may_not_write,
    reason,
    sqlite_file,
)
from assess.store.errors import (
    ConflictingResultError,
    ConsentRequired,
    DamagedStoreError,
    ReadOnlyStoreError,
    SchemaTooNewError,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    UnknownResultError,
)
from assess.store.records import (
    COHORT_MAX_LENGTH,
    ResultRecord,
    StepState,
    is_progress_key,
    new_progress_key,
    normalise_cohort,
    progress_key_digest,
)
from assess.store.rows import answers_json, is_damage, read_records, salvage_records, same_result
from assess.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "COHORT_MAX_LENGTH",
    "CONNECT_TIMEOUT_SECONDS",
    "DATABASE_URL_ENV",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ConflictingResultError",
    "ConsentRequired",
    "DamagedStoreError",
    "ReadOnlyStoreError",
    "ResultRecord",
    "ResultStore",
    "SchemaTooNewError",
    "StepState",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "UnknownResultError",
    "database_url",
    "default_database_path",
    "in_store",
    "is_progress_key",
    "new_progress_key",
    "normalise_cohort",
    "progress_key_digest",
]

_T = TypeVar("_T")
_log = logging.getLogger("assess.store")
_ADVISORY_LOCK = zlib.crc32(b"assess.store.results.migrate")
"""PostgreSQL advisory lock key, so that servers starting at once migrate one after another."""

Backend = Literal["sqlite", "postgresql"]
_results, _steps, _version_table = schema.results, schema.steps, schema.version_table


def in_store(
    work: Callable[[ResultStore], _T], *, url: str | None = None, read_only: bool = False
) -> _T:
    """Open the store, do one piece of `work`, close it.  For the pages: no connection is held
    while people answer questions.  Store failures raise :class:`StoreError`, whose text is for
    the server's log (the pages show a message key of their own instead).

    >>> in_store(lambda store: store.backend, url="sqlite://")
    'sqlite'
    """
    with ResultStore.open(url, read_only=read_only) as store:
        return work(store)


class ResultStore:
    """Results saved with consent.  Open with :meth:`open`; close with :meth:`close` (or use it
    as a context manager).  Safe to use from several processes and machines at once."""

    def __init__(self, engine: sa.Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.backend: Backend = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
        self.url = engine.url.render_as_string(hide_password=True)
        self.read_only = read_only
        self.damage: str | None = None
        """SQLite's finding when the file failed its check at open; nothing is written then."""
        self.skipped = 0
        """How many stored results the last read left out because they could not be read."""
        self.skipped_damaged = 0
        """How many of those sat on damaged pages of a SQLite file (the rest are rows that do
        not read as a result: edited by hand, say)."""
        # SQLite: writes take the write lock when they begin (BEGIN IMMEDIATE), so that two
        # writers queue behind the busy timeout instead of one failing on a lock upgrade.
        self._writer = engine.execution_options(assess_write=True)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        read_only: bool = False,
    ) -> Self:
        """Open (and create or migrate) the store at `url`; see :func:`database_url`.

        SQLite: the file is checked first; a damaged one is opened for reading what is left
        (:attr:`damage` says what is wrong) and every write raises :class:`DamagedStoreError`.  With
        `read_only`, or a file this process may not write, nothing is created, migrated or
        written (writes raise :class:`ReadOnlyStoreError`).

        Raises :class:`StoreUnavailable` when the database cannot be reached or created and
        :class:`SchemaTooNewError` when a newer assess wrote it.
        """
        target = database_url(url, environ)
        shown = target.render_as_string(hide_password=True)
        path = sqlite_file(target)
        read_only = read_only or (path is not None and may_not_write(path))
        if read_only and path is not None and not path.exists():
            raise StoreUnavailable("open", shown, "no such file to read")
        try:
            engine = make_engine(target, read_only=read_only)
        except OSError as error:
            raise StoreUnavailable("open", shown, reason(error)) from error
        except ModuleNotFoundError as error:  # PostgreSQL without its driver
            missing = f"{error.name} is not installed (pip install 'assess[postgres]')"
            raise StoreUnavailable("open", shown, missing) from error
        store = cls(engine, read_only=read_only)
        try:
            if path is not None:
                store._check_integrity()
            if store.read_only or store.damage is not None:
                store._check_version()
            else:
                store._migrate()
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResultStore({self.url!r})"

    # --- schema ----------------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the database (0 for an empty one)."""
        with self._guard("open"), self.engine.connect() as connection:
            return schema.read_version(connection)

    def _check_integrity(self) -> None:
        with self._guard("open"), self.engine.connect() as connection:
            self.damage = integrity_finding(connection)
        if self.damage is not None:
            _log.error("results store %s: %s", self.url, DamagedStoreError(self.url, self.damage))

    def _check_version(self) -> None:
        found = self.schema_version()
        if found > SCHEMA_VERSION:
            raise SchemaTooNewError(found, SCHEMA_VERSION, self.url)

    def _migrate(self) -> None:
        with self._guard("open"):
            with self.engine.connect() as connection:
                found = schema.read_version(connection)
            if found == SCHEMA_VERSION:
                return
            if found > SCHEMA_VERSION:
                raise SchemaTooNewError(found, SCHEMA_VERSION, self.url)
            with self._writer.begin() as connection:
                if self.backend == "postgresql":
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
                    )
                found = schema.read_version(connection)  # again: another process may have migrated
                if found > SCHEMA_VERSION:
                    raise SchemaTooNewError(found, SCHEMA_VERSION, self.url)
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[version](connection)
                if found < SCHEMA_VERSION:
                    connection.execute(sa.delete(_version_table))
                    connection.execute(
                        sa.insert(_version_table).values(id=1, version=SCHEMA_VERSION)
                    )

    # --- writing ---------------------------------------------------------------------------------

    def save(self, record: ResultRecord, *, consent: bool, key: str | None = None) -> str:
        """Save a result and return its id, only if `consent` is ``True`` (checked here, whatever
        the page showed).  `key` is the progress key that will open it again (see
        :meth:`opened_with`); the store keeps only its digest.

        Saving the same record again stores nothing twice and keeps the ticks made since; a
        changed record under the same id (and key) replaces the stored one, keeping the ticks of
        the steps still in its plan.  Raises :class:`ConsentRequired`,
        :class:`StoreUnavailable` (nothing was saved; retry with the same record),
        :class:`ConflictingResultError` (the id is stored under another key: not replaced),
        :class:`DamagedStoreError` or :class:`ReadOnlyStoreError`.
        """
        if consent is not True:
            raise ConsentRequired
        if not isinstance(record, ResultRecord):
            raise TypeError(f"save takes a ResultRecord, not {type(record).__name__}")
        digest = progress_key_digest(key) if key is not None else None
        row = {
            "id": record.id,
            "instrument_id": record.instrument_id,
            "instrument_version": record.instrument_version,
            "taken_on": record.taken_on,
            "cohort": record.cohort,
            "answers": answers_json(record.answers),
        }
        self._may_write()
        with self._guard("save"), self._writer.begin() as connection:
            # RETURNING tells whether this call inserted the row (rowcount is not kept for
            # INSERT by every driver); ON CONFLICT makes a retried or concurrent save a no-op.
            insert = (
                self._insert_new(_results, ["id"])
                .values({**row, "key_digest": digest})
                .returning(_results.c.id)
            )
            if connection.execute(insert).first() is not None:
                self._insert_steps(connection, record.id, record.steps)
                return record.id
            # The id is stored: this is a retry, or the same person saving a changed result.
            # The row is locked (PostgreSQL) so that two saves of one id replace in turn.
            stored_digest = connection.execute(
                sa.select(_results.c.key_digest).where(_results.c.id == record.id).with_for_update()
            ).scalar_one()
            if stored_digest != digest:
                raise ConflictingResultError(
                    f"the result {record.id} is stored under another progress key; not replaced"
                )
            stored = self._read(connection, [record.id])
            if stored and same_result(stored[0], record):
                return record.id
            ticked = {s.action_id: s.done for s in stored[0].steps} if stored else {}
            connection.execute(sa.update(_results).where(_results.c.id == record.id).values(row))
            connection.execute(sa.delete(_steps).where(_steps.c.result_id == record.id))
            kept = tuple(
                StepState(s.action_id, ticked.get(s.action_id, s.done)) for s in record.steps
            )
            self._insert_steps(connection, record.id, kept)
        return record.id

    def set_step_done(self, result_id: str, action_id: str, done: bool) -> None:
        """Tick (or untick) a plan step of a saved result."""
        if not isinstance(done, bool):
            raise TypeError(f"done must be True or False, not {done!r}")
        self._may_write()
        with self._guard("update"), self._writer.begin() as connection:
            changed = connection.execute(
                sa.update(_steps)
                .where(_steps.c.result_id == str(result_id), _steps.c.action_id == action_id)
                .values(done=done)
            )
            if changed.rowcount != 1:
                raise UnknownResultError(
                    f"no saved result {result_id} with a plan step {action_id!r}"
                )

    def tick(self, key: str, action_id: str, done: bool) -> None:
        """Tick (or untick) a plan step of the result that `key` opens, and of no other."""
        self.set_step_done(self._id_of(key), action_id, done)

    def delete(self, result_id: str) -> bool:
        """Delete a result (the person takes back their consent); False if there was none."""
        self._may_write()
        with self._guard("delete"), self._writer.begin() as connection:
            connection.execute(sa.delete(_steps).where(_steps.c.result_id == str(result_id)))
            deleted = connection.execute(sa.delete(_results).where(_results.c.id == str(result_id)))
            return deleted.rowcount == 1

    # --- reading ---------------------------------------------------------------------------------

    def result(self, result_id: str) -> ResultRecord:
        """The saved result with that id; :class:`UnknownResultError` if there is none."""
        with self._guard("read"), self.engine.connect() as connection:
            found = self._read(connection, [str(result_id)])
        if not found:
            raise UnknownResultError(f"no saved result has the id {result_id}")
        return found[0]

    def opened_with(self, key: str) -> ResultRecord:
        """The one saved result that the progress `key` opens; :class:`UnknownResultError` if
        none (a mistyped key, a withdrawn result, or one saved before keys existed)."""
        return self.result(self._id_of(key))

    def _id_of(self, key: str) -> str:
        try:
            digest = progress_key_digest(key)
        except ValueError:
            raise UnknownResultError("no saved result has that progress key") from None
        with self._guard("read"), self.engine.connect() as connection:
            found = connection.execute(
                sa.select(_results.c.id).where(_results.c.key_digest == digest)
            ).scalar()
        if found is None:
            raise UnknownResultError("no saved result has that progress key")
        return str(found)

    def results(self, cohort: str | None = None) -> list[ResultRecord]:
        """Saved results, all or of one workshop code, by date taken.  A stored result that
        cannot be read (damaged, or edited by hand) is left out and counted in :attr:`skipped`."""
        with self._guard("read"), self.engine.connect() as connection:
            return self._read(connection, None, cohort=normalise_cohort(cohort))

    def count(self, cohort: str | None = None) -> int:
        """How many results are saved, all or of one workshop code."""
        query = sa.select(sa.func.count()).select_from(_results)
        code = normalise_cohort(cohort)
        if code is not None:
            query = query.where(_results.c.cohort == code)
        with self._guard("read"), self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    # --- helpers ---------------------------------------------------------------------------------

    def _may_write(self) -> None:
        if self.damage is not None:
            raise DamagedStoreError(self.url, self.damage)
        if self.read_only:
            raise ReadOnlyStoreError(self.url)

    def _insert_new(self, table: sa.Table, keys: Sequence[str]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING, in the backend's dialect."""
        if self.backend == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)

    @staticmethod
    def _insert_steps(
        connection: sa.Connection, result_id: str, steps: Sequence[StepState]
    ) -> None:
        if steps:
            connection.execute(
                sa.insert(_steps),
                [
                    {
                        "result_id": result_id,
                        "action_id": step.action_id,
                        "position": position,
                        "done": step.done,
                    }
                    for position, step in enumerate(steps)
                ],
            )

    def _read(
        self,
        connection: sa.Connection,
        ids: Sequence[str] | None,
        *,
        cohort: str | None = None,
    ) -> list[ResultRecord]:
        self.skipped_damaged = 0
        try:
            records, self.skipped = read_records(connection, ids, cohort=cohort)
        except sa.exc.DatabaseError as error:
            if self.backend != "sqlite" or not is_damage(error):
                raise
            # A damaged page: read row by row what the sound pages hold, count the rest.
            connection.rollback()
            salvaged = salvage_records(connection, ids, cohort=cohort)
            records, self.skipped_damaged = salvaged.records, salvaged.damaged
            self.skipped = salvaged.unreadable + salvaged.damaged
        if self.skipped_damaged:
            _log.warning(
                "results store %s: %d stored result(s) could not be read (damaged database "
                "pages) and were left out; `sqlite3 <file> .recover` may save them",
                self.url,
                self.skipped_damaged,
            )
        if self.skipped > self.skipped_damaged:
            _log.warning(
                "results store %s: %d stored result(s) could not be read and were left out",
                self.url,
                self.skipped - self.skipped_damaged,
            )
        return records

    @contextmanager
    def _guard(self, operation: str) -> Iterator[None]:
        """Database failures as :class:`StoreUnavailable` (:class:`StoreBusy` when a SQLite lock
        was held past the busy timeout); the transaction was rolled back."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError) as error:
            if is_busy(error):
                raise StoreBusy(operation, self.url, reason(error)) from error
            raise StoreUnavailable(operation, self.url, reason(error)) from error
