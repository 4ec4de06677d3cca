"""The tables of the results store, and the migrations that bring an older database up to date.

Version 1: results and their plan steps.  Version 2 adds ``key_digest`` to a result, the digest
of the progress key that opens it (see :mod:`assess.store.records`); results saved before have
none and are opened by no key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlalchemy as sa

from assess.store.records import COHORT_MAX_LENGTH

SCHEMA_VERSION = 2
"""The schema this version of assess writes; :meth:`ResultStore.open` migrates older ones."""

# Version 1's columns, written once: today's tables and the version-1 snapshot that
# `migrate_to_1` creates are both built from them.  A later version adds its columns beside
# them (as version 2 does with ``key_digest``), never here, so that a version-1 database
# migrates the same way whenever it is first opened.


def _version_columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def _result_columns_v1() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("instrument_version", sa.String(64), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("cohort", sa.String(COHORT_MAX_LENGTH), nullable=True, index=True),
        sa.Column("answers", sa.Text, nullable=False),
    )


def _step_columns_v1() -> tuple[sa.Column[object], ...]:
    return (
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


metadata = sa.MetaData()
version_table = sa.Table("assess_schema_version", metadata, *_version_columns())
results = sa.Table(
    "assess_results",
    metadata,
    *_result_columns_v1(),
    sa.Column("key_digest", sa.String(64), nullable=True),  # unique: migrate_to_2
)
steps = sa.Table("assess_result_steps", metadata, *_step_columns_v1())

# The tables as version 1 made them: each migration creates what its version added, never
# "everything in today's metadata".
_v1 = sa.MetaData()
_v1_tables = (
    sa.Table(version_table.name, _v1, *_version_columns()),
    sa.Table(results.name, _v1, *_result_columns_v1()),
    sa.Table(steps.name, _v1, *_step_columns_v1()),
)


def migrate_to_1(connection: sa.Connection) -> None:
    for table in _v1_tables:
        table.create(connection, checkfirst=True)


def migrate_to_2(connection: sa.Connection) -> None:
    columns = {c["name"] for c in sa.inspect(connection).get_columns(results.name)}
    if "key_digest" not in columns:
        connection.execute(sa.text(f"ALTER TABLE {results.name} ADD COLUMN key_digest VARCHAR(64)"))
    connection.execute(
        sa.text(
            f"CREATE UNIQUE INDEX IF NOT EXISTS ix_{results.name}_key_digest "
            f"ON {results.name} (key_digest)"
        )
    )


MIGRATIONS: Mapping[int, Callable[[sa.Connection], None]] = {1: migrate_to_1, 2: migrate_to_2}
"""Version → the step that brings a database at the version before it to that version."""


def read_version(connection: sa.Connection) -> int:
    """The schema version of the database (0 for an empty one)."""
    if not sa.inspect(connection).has_table(version_table.name):
        return 0
    version = connection.execute(sa.select(sa.func.max(version_table.c.version))).scalar()
    return int(version or 0)
