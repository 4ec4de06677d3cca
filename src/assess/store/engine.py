"""Where the results database is and how it is opened: URLs, SQLite's settings, its checks.

SQLite files are made for one user (created ``0600``, in a ``0700`` folder), run in WAL mode
with a short busy timeout (a page waits seconds at most, then says the store is busy), are
checked for damage when opened, and can be opened read-only (a copy on read-only media, or a
file the server may not write).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

DATABASE_URL_ENV = "ASSESS_DATABASE_URL"
BUSY_TIMEOUT_SECONDS = 3.0
"""How long a SQLite writer waits for another one to finish before the store says it is busy:
a save takes milliseconds, so a lock held longer is a stuck process, and the person's page
must not freeze waiting for it."""
CONNECT_TIMEOUT_SECONDS = 10
"""How long opening a PostgreSQL connection may take before the store counts as unavailable."""


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


def sqlite_file(url: sa.URL) -> Path | None:
    """The file of a SQLite URL; None in memory (or for a ``file:`` URI, left to SQLite)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or "mode=memory" in database or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def may_not_write(path: Path) -> bool:
    """Whether this process may not write the SQLite file at `path` (nor its folder, where the
    WAL and shared-memory files go)."""
    if not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK))


def make_engine(url: sa.URL, *, read_only: bool = False) -> sa.Engine:
    """An engine for `url`.  A new SQLite file is created here, private to its user (``0600``):
    results are nobody else's business on a shared machine."""
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        )
    path = sqlite_file(url)
    in_memory = path is None and "file:" not in (url.database or "")
    if path is not None and read_only:
        engine = sa.create_engine(url, creator=_read_only_connection(path))
    else:
        if path is not None:
            _create_private(path)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_connect(wal=not in_memory and not read_only))
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _create_private(path: Path) -> None:
    if path.exists():
        return
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # An empty file is an empty SQLite database; SQLite gives its WAL and shared-memory files
    # the same permissions as the database file.  Another process may have made it first.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _read_only_connection(path: Path) -> Callable[[], sqlite3.Connection]:
    location = quote(str(path.resolve()))

    def connect() -> sqlite3.Connection:
        # mode=ro reads a file others may still write; a WAL file in a folder nobody may write
        # (a copy on read-only media) opens only as immutable, which is what such a copy is.
        try:
            connection = sqlite3.connect(
                f"file:{location}?mode=ro", uri=True, check_same_thread=False
            )
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except sqlite3.OperationalError:
            return sqlite3.connect(
                f"file:{location}?immutable=1", uri=True, check_same_thread=False
            )

    return connect


def _sqlite_connect(*, wal: bool) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun by _sqlite_begin, not by the sqlite3 module's own guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                _switch_to_wal(cursor)
        finally:
            cursor.close()

    return on_connect


def _switch_to_wal(cursor: Any) -> None:
    """WAL mode, once per database file.  The switch needs the file to itself and SQLite does not
    wait for that (no busy handler), so processes opening a new file together retry briefly."""
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


def integrity_finding(connection: sa.Connection) -> str | None:
    """SQLite's quick check of the whole file: None when sound, else its first finding (page
    and cell numbers, never stored values)."""
    try:
        rows = connection.exec_driver_sql("PRAGMA quick_check(1)").fetchall()
    except sa.exc.DatabaseError as error:
        return _first_words(error.orig if error.orig is not None else error)
    if rows == [("ok",)]:
        return None
    return _first_words(rows[0][0] if rows else "no answer")


def is_busy(error: BaseException) -> bool:
    """Whether a driver error is SQLite's "database is locked" (the busy timeout ran out)."""
    cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    if not isinstance(cause, sqlite3.OperationalError):
        return False
    code = getattr(cause, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(cause)


def reason(error: BaseException) -> str:
    """The driver's one-line reason, for the server's log."""
    cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    return _first_words(cause)


def _first_words(cause: object) -> str:
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text if len(text) <= 300 else text[:299] + "…"
