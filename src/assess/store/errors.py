"""What the results store refuses or cannot do, as exceptions for the operator.

Their text names the database (password hidden) and the driver's reason: it is written for the
server's log and the command line.  A visitor never reads it: the pages turn each of these into a
plain message key (:mod:`assess.store.outcomes`) in the page's language.
"""

from __future__ import annotations


class StoreError(Exception):
    """Anything the results store refuses or cannot do."""


class ConsentRequired(StoreError):  # noqa: N818 - read as a sentence: "raise ConsentRequired"
    """A save without the person's explicit consent."""

    def __init__(self) -> None:
        super().__init__("a result is saved only with the person's explicit consent")


class StoreUnavailable(StoreError):  # noqa: N818 - read as a sentence
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


class StoreBusy(StoreUnavailable):
    """SQLite: another process held the database's write lock for longer than the store waits
    (:data:`assess.store.engine.BUSY_TIMEOUT_SECONDS`).  Nothing was changed; try again."""


class DamagedStoreError(StoreError):
    """SQLite: the database file failed its integrity check when opened.  Nothing is written to
    it; what can still be read is read."""

    def __init__(self, url: str, finding: str) -> None:
        self.url = url
        self.finding = finding
        super().__init__(
            f"the results database {url} is damaged ({finding}); nothing is written to it. "
            "Restore it from a backup, or read what is left with `sqlite3 <file> .recover`"
        )


class ReadOnlyStoreError(StoreError):
    """The store was opened read-only (a copy that may not be written, or ``read_only=True``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"the results database {url} is open read-only; nothing was changed")


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of assess."""

    def __init__(self, found: int, known: int, url: str) -> None:
        self.found = found
        super().__init__(
            f"the results database {url} has schema version {found}, but this version of assess "
            f"knows schema versions up to {known}: it was written by a newer assess; "
            "upgrade assess to open it (nothing was changed)"
        )


class UnknownResultError(StoreError, LookupError):
    """No stored result (or no plan step of it) has that id or progress key."""


class ConflictingResultError(StoreError):
    """A result is already stored under that id for a different progress key: it is someone
    else's, and is not replaced."""
