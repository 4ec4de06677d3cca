"""Consented, anonymous storage of results: SQLite by default, PostgreSQL by URL, one code path.

An edge module: the core hands it frozen :class:`ResultRecord` values and gets them back.  A
record holds no personal identifiers: a random id, the questionnaire's id and version, the date
taken (no time of day), an optional workshop code, the answers (responses and profile codes) and
the plan's step ids with their done/not-done state.  No names, e-mail, addresses, user agents,
free text or save timestamps.

>>> import datetime
>>> store = ResultStore.open("sqlite://")  # in memory; the default is a file in the data folder
>>> record = ResultRecord.create(
...     "freelance-connection", "1", datetime.date(2026, 11, 26),
...     Answers({"spatial_1": 4}, profile={"mode": "online"}), cohort="WS-Tokyo",
...     steps=("follow_field_hashtags",))
>>> store.save(record, consent=True) == record.id
True
>>> store.save(record, consent=True) == record.id  # a retried click stores nothing twice
True
>>> store.result(record.id) == record, store.count("ws-tokyo")
(True, 1)
>>> store.save(record, consent=False)
Traceback (most recent call last):
...
assess.store.results.ConsentRequired: a result is saved only with the person's explicit consent
>>> store.close()

Where the database is: :meth:`ResultStore.open` takes a SQLAlchemy URL, else the environment
variable ``ASSESS_DATABASE_URL`` (for hosting: ``postgresql://user:password@host/db``), else a
SQLite file ``assess/results.sqlite3`` in ``$XDG_DATA_HOME`` (default ``~/.local/share``).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

import sqlalchemy as sa

from assess.core.model import Answers

if TYPE_CHECKING:
    import pandas as pd

    from assess.core.model import Instrument
    from assess.core.planning import Plan

_T = TypeVar("_T")

SCHEMA_VERSION = 1
"""The schema this version of assess writes; :meth:`ResultStore.open` migrates older ones."""
DATABASE_URL_ENV = "ASSESS_DATABASE_URL"
BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another one to finish before giving up."""
CONNECT_TIMEOUT_SECONDS = 10
"""How long opening a PostgreSQL connection may take before the store counts as unavailable."""
COHORT_MAX_LENGTH = 32

_COHORT = re.compile(r"[a-z0-9_-]+")
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_VALUE_MAX = 2**31 - 1
_ADVISORY_LOCK = zlib.crc32(b"assess.store.results.migrate")
"""PostgreSQL advisory lock key, so that servers starting at once migrate one after another."""

Backend = Literal["sqlite", "postgresql"]


# --- errors --------------------------------------------------------------------------------------


class StoreError(Exception):
    """Anything the results store refuses or cannot do."""


class ConsentRequired(StoreError):  # noqa: N818 - named in the issue, read as a sentence
    """A save without the person's explicit consent."""

    def __init__(self) -> None:
        super().__init__("a result is saved only with the person's explicit consent")


class StoreUnavailable(StoreError):  # noqa: N818 - named in the issue, read as a sentence
    """The database cannot be reached or written (unreachable server, dropped connection, disk
    full, ...).  Nothing was changed; a save can be retried with the same record."""

    def __init__(self, operation: str, url: str, reason: str) -> None:
        self.operation = operation
        self.url = url
        """The database's URL, password hidden."""
        self.reason = reason
        nothing = (
            "nothing was saved; the result is still here to download, and saving can be tried again"
            if operation == "save"
            else "nothing was changed"
        )
        super().__init__(
            f"the results database is unavailable ({operation} failed): {reason} "
            f"[database: {url}]; {nothing}"
        )


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of assess."""

    def __init__(self, found: int, url: str) -> None:
        self.found = found
        super().__init__(
            f"the results database {url} has schema version {found}, but this version of assess "
            f"knows schema versions up to {SCHEMA_VERSION}: it was written by a newer assess; "
            "upgrade assess to open it (nothing was changed)"
        )


class UnknownResultError(StoreError, LookupError):
    """No stored result (or no plan step of it) has that id."""


class ConflictingResultError(StoreError):
    """A different result is already stored under the same id."""


# --- records -------------------------------------------------------------------------------------


def normalise_cohort(code: str | None) -> str | None:
    """A workshop code in its stored form (trimmed, lower case), or ``None`` for no code.

    A workshop code groups results; it is not a name and must not identify anyone, so it is short
    and made of letters, digits, ``-`` and ``_`` only.

    >>> normalise_cohort("  WS-2026_Tokyo "), normalise_cohort(""), normalise_cohort(None)
    ('ws-2026_tokyo', None, None)
    >>> normalise_cohort("taro@example.com")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: a workshop code has only letters A–Z, digits, '-' and '_' ... not 'taro@example.com'
    """
    if code is None:
        return None
    if not isinstance(code, str):
        raise ValueError(f"a workshop code is text, not {type(code).__name__}")
    text = code.strip().lower()
    if not text:
        return None
    if len(text) > COHORT_MAX_LENGTH or not _COHORT.fullmatch(text):
        raise ValueError(
            "a workshop code has only letters A–Z, digits, '-' and '_' "
            f"(up to {COHORT_MAX_LENGTH}), not {code!r}"
        )
    return text


@dataclass(frozen=True, slots=True)
class StepState:
    """One step of the plan (the action's id) and whether the person ticked it as done."""

    action_id: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """One saved result, without anything that identifies the person who took it.

    Checked when made: `id` is a random (version 4) UUID, `taken_on` a date (a time of day is
    dropped), `cohort` a valid workshop code (normalised), answers are option values and profile
    codes (never free text), and step ids are unique.
    """

    id: str
    instrument_id: str
    instrument_version: str
    taken_on: datetime.date
    answers: Answers
    cohort: str | None = None
    steps: tuple[StepState, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _check_uuid(self.id))
        for name in ("instrument_id", "instrument_version"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _ID.fullmatch(value):
                raise ValueError(f"{name} must be a short id ({_ID.pattern}), not {value!r}")
        if isinstance(self.taken_on, datetime.datetime):
            object.__setattr__(self, "taken_on", self.taken_on.date())
        elif not isinstance(self.taken_on, datetime.date):
            raise ValueError(f"taken_on must be a date, not {type(self.taken_on).__name__}")
        object.__setattr__(self, "cohort", normalise_cohort(self.cohort))
        object.__setattr__(self, "answers", _clean_answers(self.answers))
        steps = tuple(self.steps)
        for step in steps:
            if not isinstance(step, StepState) or not _ID.fullmatch(step.action_id):
                raise ValueError(f"a plan step is a StepState with a short action id, not {step!r}")
        ids = [step.action_id for step in steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"plan step ids must be unique, not {ids}")
        object.__setattr__(self, "steps", steps)

    @classmethod
    def create(
        cls,
        instrument_id: str,
        instrument_version: str,
        taken_on: datetime.date,
        answers: Answers,
        *,
        cohort: str | None = None,
        steps: Iterable[str] = (),
    ) -> ResultRecord:
        """A new record under a fresh random id; the plan's steps start as not done."""
        step_ids = list(dict.fromkeys(steps))
        return cls(
            id=str(uuid.uuid4()),
            instrument_id=instrument_id,
            instrument_version=instrument_version,
            taken_on=taken_on,
            answers=answers,
            cohort=cohort,
            steps=tuple(StepState(step_id) for step_id in step_ids),
        )

    @classmethod
    def of(
        cls,
        instrument: Instrument,
        answers: Answers,
        taken_on: datetime.date,
        *,
        plan: Plan | None = None,
        cohort: str | None = None,
    ) -> ResultRecord:
        """A new record of a questionnaire taken, with its plan's steps (today, week, month)."""
        steps = [step.action.id for step in plan.steps] if plan is not None else []
        return cls.create(
            instrument.id, instrument.version, taken_on, answers, cohort=cohort, steps=steps
        )

    def done(self, action_id: str) -> bool:
        """Whether that plan step is ticked as done."""
        for step in self.steps:
            if step.action_id == action_id:
                return step.done
        raise KeyError(action_id)


def _check_uuid(value: object) -> str:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.version != 4 or str(parsed) != str(value).lower():
        raise ValueError(f"a result id is a random UUID (version 4), not {value!r}")
    return str(parsed)


def _clean_answers(answers: Answers) -> Answers:
    """The answers without unanswered questions, refusing anything but ids, whole numbers and
    profile codes: free text has no place in a stored record."""
    if not isinstance(answers, Answers):
        raise ValueError(f"answers must be Answers, not {type(answers).__name__}")
    responses: dict[str, object] = {}
    for key, value in answers.responses.items():
        if value is None:
            continue
        _check_key(key)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _VALUE_MAX:
            raise ValueError(f"the answer to {key!r} must be an option value, not {value!r}")
        responses[key] = value
    profile: dict[str, object] = {}
    for key, value in answers.profile.items():
        if value is None:
            continue
        _check_key(key)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise ValueError(f"the profile answer to {key!r} must be an option code, not {value!r}")
        profile[key] = value
    return Answers(responses, profile)


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not _ID.fullmatch(key):
        raise ValueError(f"a question id is short ({_ID.pattern}), not {key!r}")


# --- schema --------------------------------------------------------------------------------------

_metadata = sa.MetaData()
_version_table = sa.Table(
    "assess_schema_version",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
)
_results = sa.Table(
    "assess_results",
    _metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("instrument_id", sa.String(64), nullable=False),
    sa.Column("instrument_version", sa.String(64), nullable=False),
    sa.Column("taken_on", sa.Date, nullable=False),
    sa.Column("cohort", sa.String(COHORT_MAX_LENGTH), nullable=True, index=True),
    sa.Column("answers", sa.Text, nullable=False),
)
_steps = sa.Table(
    "assess_result_steps",
    _metadata,
    sa.Column(
        "result_id",
        sa.String(36),
        sa.ForeignKey("assess_results.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("action_id", sa.String(64), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("done", sa.Boolean, nullable=False),
)


def _migrate_to_1(connection: sa.Connection) -> None:
    # Each migration creates what its version adds, never "everything in today's metadata".
    for table in (_version_table, _results, _steps):
        table.create(connection, checkfirst=True)


MIGRATIONS: Mapping[int, Callable[[sa.Connection], None]] = {1: _migrate_to_1}
"""Version → the step that brings a database at the version before it to that version."""


# --- the store -----------------------------------------------------------------------------------


def default_database_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where results are kept when no URL is given: the user's data folder.

    >>> default_database_path({"XDG_DATA_HOME": "/data", "HOME": "/home/a"}).as_posix()
    '/data/assess/results.sqlite3'
    >>> default_database_path({"HOME": "/home/a"}).as_posix()
    '/home/a/.local/share/assess/results.sqlite3'
    """
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG spec says to ignore a relative path
        home = env.get("HOME") or str(Path.home())
        base = os.path.join(home, ".local", "share")
    return Path(base) / "assess" / "results.sqlite3"


def database_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> sa.URL:
    """The URL the store opens: `url`, else ``$ASSESS_DATABASE_URL``, else the default file.

    PostgreSQL URLs use the psycopg driver, whichever way they are spelt:

    >>> database_url("postgres://u:secret@db/assess").render_as_string()
    'postgresql+psycopg://u:***@db/assess'
    >>> database_url(None, {"HOME": "/home/a"}).render_as_string()
    'sqlite:////home/a/.local/share/assess/results.sqlite3'
    """
    env = os.environ if environ is None else environ
    text = url if url is not None else env.get(DATABASE_URL_ENV) or None
    if text is None:
        return sa.URL.create("sqlite", database=str(default_database_path(env)))
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://") :]
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise ValueError(
            "the results database URL cannot be read; expected e.g. "
            "sqlite:////path/results.sqlite3 or postgresql://user:password@host/database"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite")
    raise ValueError(f"the results database must be SQLite or PostgreSQL, not {backend!r}")


def in_store(work: Callable[[ResultStore], _T], *, url: str | None = None) -> _T:
    """Open the store, do one piece of `work`, close it.  For the pages: no connection is held
    while people answer questions, and a store that cannot be reached surfaces as OSError, which
    the pages report without losing what the person has on screen.

    >>> in_store(lambda store: store.backend, url="sqlite://")
    'sqlite'
    """
    try:
        with ResultStore.open(url) as store:
            return work(store)
    except StoreError as error:
        raise OSError(str(error)) from error


class ResultStore:
    """Results saved with consent.  Open with :meth:`open`; close with :meth:`close` (or use it
    as a context manager).  Safe to use from several processes and machines at once."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.backend: Backend = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
        self.url = engine.url.render_as_string(hide_password=True)
        # SQLite: writes take the write lock when they begin (BEGIN IMMEDIATE), so that two
        # writers queue behind the busy timeout instead of one failing on a lock upgrade.
        self._writer = engine.execution_options(assess_write=True)

    @classmethod
    def open(cls, url: str | None = None, *, environ: Mapping[str, str] | None = None) -> Self:
        """Open (and create or migrate) the store at `url`; see :func:`database_url`.

        Raises :class:`StoreUnavailable` when the database cannot be reached or created and
        :class:`SchemaTooNewError` when a newer assess wrote it.
        """
        target = database_url(url, environ)
        shown = target.render_as_string(hide_password=True)
        try:
            engine = _make_engine(target)
        except OSError as error:
            raise StoreUnavailable("open", shown, _reason(error)) from error
        store = cls(engine)
        try:
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
            return _read_version(connection)

    def _migrate(self) -> None:
        with self._guard("open"):
            with self.engine.connect() as connection:
                found = _read_version(connection)
            if found == SCHEMA_VERSION:
                return
            if found > SCHEMA_VERSION:
                raise SchemaTooNewError(found, self.url)
            with self._writer.begin() as connection:
                if self.backend == "postgresql":
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
                    )
                found = _read_version(connection)  # again: another process may have migrated
                if found > SCHEMA_VERSION:
                    raise SchemaTooNewError(found, self.url)
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[version](connection)
                if found < SCHEMA_VERSION:
                    connection.execute(sa.delete(_version_table))
                    connection.execute(
                        sa.insert(_version_table).values(id=1, version=SCHEMA_VERSION)
                    )

    # --- writing ---------------------------------------------------------------------------------

    def save(self, record: ResultRecord, *, consent: bool) -> str:
        """Save a result and return its id, only if `consent` is ``True`` (checked here, whatever
        the page showed).  Saving the same record again stores nothing twice and keeps the
        ticks made since.  Raises :class:`ConsentRequired`, :class:`StoreUnavailable` (nothing
        was saved; retry with the same record) or :class:`ConflictingResultError`.
        """
        if consent is not True:
            raise ConsentRequired
        if not isinstance(record, ResultRecord):
            raise TypeError(f"save takes a ResultRecord, not {type(record).__name__}")
        row = {
            "id": record.id,
            "instrument_id": record.instrument_id,
            "instrument_version": record.instrument_version,
            "taken_on": record.taken_on,
            "cohort": record.cohort,
            "answers": _answers_json(record.answers),
        }
        with self._guard("save"), self._writer.begin() as connection:
            # RETURNING tells whether this call inserted the row (rowcount is not kept for
            # INSERT by every driver); ON CONFLICT makes a retried or concurrent save a no-op.
            insert = self._insert_new(_results, ["id"]).values(row).returning(_results.c.id)
            if connection.execute(insert).first() is not None:
                if record.steps:
                    connection.execute(
                        sa.insert(_steps),
                        [
                            {
                                "result_id": record.id,
                                "action_id": step.action_id,
                                "position": position,
                                "done": step.done,
                            }
                            for position, step in enumerate(record.steps)
                        ],
                    )
            else:
                stored = self._read(connection, [record.id])[0]
                if not _same_result(stored, record):
                    raise ConflictingResultError(
                        f"a different result is already stored under the id {record.id}"
                    )
        return record.id

    def set_step_done(self, result_id: str, action_id: str, done: bool) -> None:
        """Tick (or untick) a plan step of a saved result."""
        if not isinstance(done, bool):
            raise TypeError(f"done must be True or False, not {done!r}")
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

    def delete(self, result_id: str) -> bool:
        """Delete a result (the person takes back their consent); False if there was none."""
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

    def results(self, cohort: str | None = None) -> list[ResultRecord]:
        """Saved results, all or of one workshop code, by date taken."""
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

    def cohort_frame(self, cohort: str, *, instrument: Instrument | None = None) -> pd.DataFrame:
        """One row per result of a workshop code (index ``result_id``, in random-id order within
        a date), with a column per item, per profile question and ``taken_on``.

        With an `instrument`, only its results (same id and version), every item and profile
        question as a column in the instrument's order.  Items are floats (NaN: unanswered), so
        ``score_cohort(instrument, frame.drop(columns="taken_on"))`` scores them.
        """
        import pandas as pd

        code = normalise_cohort(cohort)
        if code is None:
            raise ValueError("a workshop code is needed for the group view")
        records = self.results(code)
        if instrument is not None:
            records = [
                r
                for r in records
                if (r.instrument_id, r.instrument_version) == (instrument.id, instrument.version)
            ]
            items = [item.id for item in instrument.items]
            questions = [question.id for question in instrument.profile]
        else:
            items = list(dict.fromkeys(k for r in records for k in r.answers.responses))
            questions = list(dict.fromkeys(k for r in records for k in r.answers.profile))
        index = pd.Index([r.id for r in records], name="result_id", dtype=object)
        columns: dict[str, Any] = {}
        for item_id in items:
            columns[item_id] = pd.array(
                [_as_float(r.answers.responses.get(item_id)) for r in records], dtype="float64"
            )
        for question_id in questions:
            columns[question_id] = pd.array(
                [r.answers.profile.get(question_id) for r in records], dtype=object
            )
        columns["taken_on"] = pd.to_datetime(
            pd.Series([r.taken_on for r in records], dtype=object)
        ).to_numpy()
        return pd.DataFrame(columns, index=index)

    # --- helpers ---------------------------------------------------------------------------------

    def _insert_new(self, table: sa.Table, keys: Sequence[str]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING, in the backend's dialect."""
        if self.backend == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)

    def _read(
        self,
        connection: sa.Connection,
        ids: Sequence[str] | None,
        *,
        cohort: str | None = None,
    ) -> list[ResultRecord]:
        query = sa.select(_results).order_by(_results.c.taken_on, _results.c.id)
        if ids is not None:
            query = query.where(_results.c.id.in_(ids))
        if cohort is not None:
            query = query.where(_results.c.cohort == cohort)
        rows = connection.execute(query).mappings().all()
        steps: dict[str, list[StepState]] = {}
        step_query = sa.select(_steps).order_by(_steps.c.result_id, _steps.c.position)
        if ids is not None:
            step_query = step_query.where(_steps.c.result_id.in_(ids))
        elif cohort is not None:
            step_query = step_query.where(
                _steps.c.result_id.in_(sa.select(_results.c.id).where(_results.c.cohort == cohort))
            )
        for step in connection.execute(step_query).mappings():
            steps.setdefault(step["result_id"], []).append(
                StepState(step["action_id"], bool(step["done"]))
            )
        return [_record(row, steps.get(row["id"], [])) for row in rows]

    @contextmanager
    def _guard(self, operation: str) -> Iterator[None]:
        """Database failures as :class:`StoreUnavailable`; the transaction was rolled back."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError) as error:
            raise StoreUnavailable(operation, self.url, _reason(error)) from error


def _make_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        )
    database = url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in database
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_connect(in_memory))
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(in_memory: bool) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun by _sqlite_begin, not by the sqlite3 module's own guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                _switch_to_wal(cursor)
        finally:
            cursor.close()

    return on_connect


def _switch_to_wal(cursor: Any) -> None:
    """WAL mode, once per database file.  The switch needs the file to itself and SQLite does not
    wait for that (no busy handler), so processes opening a new file together retry briefly."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    delay = 0.005
    while True:
        try:
            (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(delay)  # back off: another process holds the file for a moment
            delay = min(delay * 2, 0.2)


def _sqlite_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get("assess_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _read_version(connection: sa.Connection) -> int:
    if not sa.inspect(connection).has_table(_version_table.name):
        return 0
    version = connection.execute(sa.select(sa.func.max(_version_table.c.version))).scalar()
    return int(version or 0)


def _answers_json(answers: Answers) -> str:
    return json.dumps(
        {"responses": dict(answers.responses), "profile": dict(answers.profile)},
        sort_keys=True,
        separators=(",", ":"),
    )


def _record(row: sa.RowMapping, steps: Sequence[StepState]) -> ResultRecord:
    answers = json.loads(row["answers"])
    return ResultRecord(
        id=row["id"],
        instrument_id=row["instrument_id"],
        instrument_version=row["instrument_version"],
        taken_on=row["taken_on"],
        answers=Answers(answers.get("responses", {}), answers.get("profile", {})),
        cohort=row["cohort"],
        steps=tuple(steps),
    )


def _same_result(stored: ResultRecord, record: ResultRecord) -> bool:
    """Whether two records are the same result, whatever steps were ticked since."""
    return (
        stored.instrument_id == record.instrument_id
        and stored.instrument_version == record.instrument_version
        and stored.taken_on == record.taken_on
        and stored.cohort == record.cohort
        and stored.answers == record.answers
        and [s.action_id for s in stored.steps] == [s.action_id for s in record.steps]
    )


def _as_float(value: object) -> float:
    return float(value) if isinstance(value, int) else float("nan")


def _reason(error: BaseException) -> str:
    cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text if len(text) <= 300 else text[:299] + "…"
