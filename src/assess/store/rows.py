"""Stored rows and records: a record as a row, a row read back as a record (or left out).

A row that cannot be read back as a valid record (edited by hand, half damaged) is counted and
left out, and the reason is never kept: it would carry what the row holds.  In a SQLite file with
a damaged page (a bad sector, a torn copy), :func:`salvage_records` reads row by row what the
sound pages still hold and counts the results that sat on damaged ones.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from assess.core.model import Answers
from assess.store import schema
from assess.store.records import ResultRecord, StepState

_results, _steps = schema.results, schema.steps
RESULT_COLUMNS = (
    _results.c.id,
    _results.c.instrument_id,
    _results.c.instrument_version,
    # Read as stored, not through SQLAlchemy's date parsing: one damaged date must not make every
    # result unreadable (see record_from_row).
    sa.type_coerce(_results.c.taken_on, sa.String).label("taken_on"),
    _results.c.cohort,
    _results.c.answers,
)


def _chosen(query: sa.Select[Any], ids: Sequence[str] | None, cohort: str | None) -> Any:
    if ids is not None:
        query = query.where(_results.c.id.in_(ids))
    if cohort is not None:
        query = query.where(_results.c.cohort == cohort)
    return query


def read_records(
    connection: sa.Connection, ids: Sequence[str] | None, *, cohort: str | None = None
) -> tuple[list[ResultRecord], int]:
    """The records with those ids (or of that workshop code, or all), by date taken, and how
    many stored rows were left out because they could not be read."""
    query = _chosen(
        sa.select(*RESULT_COLUMNS).order_by(_results.c.taken_on, _results.c.id), ids, cohort
    )
    rows = connection.execute(query).mappings().all()
    steps: dict[str, list[tuple[object, object]]] = {}
    step_query = sa.select(
        _steps.c.result_id, _steps.c.action_id, sa.type_coerce(_steps.c.done, sa.Integer)
    ).order_by(_steps.c.result_id, _steps.c.position)
    if ids is not None:
        step_query = step_query.where(_steps.c.result_id.in_(ids))
    elif cohort is not None:
        step_query = step_query.where(
            _steps.c.result_id.in_(sa.select(_results.c.id).where(_results.c.cohort == cohort))
        )
    for result_id, action_id, done in connection.execute(step_query):
        steps.setdefault(str(result_id), []).append((action_id, done))
    records = []
    skipped = 0
    for row in rows:
        try:
            records.append(record_from_row(row, steps.get(str(row["id"]), [])))
        except (ValueError, TypeError, KeyError, AttributeError):
            # Never the error's text: it would carry what the row holds.
            skipped += 1
    return records, skipped


def answers_json(answers: Answers) -> str:
    return json.dumps(
        {"responses": dict(answers.responses), "profile": dict(answers.profile)},
        sort_keys=True,
        separators=(",", ":"),
    )


def record_from_row(row: sa.RowMapping, steps: Sequence[tuple[object, object]]) -> ResultRecord:
    """A record from a stored row, checked as any record is; anything else raises ValueError."""
    answers = json.loads(row["answers"])
    if not isinstance(answers, dict):
        raise ValueError("answers are not an object")
    taken_on = row["taken_on"]
    if isinstance(taken_on, str):
        taken_on = datetime.date.fromisoformat(taken_on)
    kept = []
    for action_id, done in steps:
        if done not in (0, 1, True, False):
            raise ValueError("a step is neither done nor not done")
        kept.append(StepState(str(action_id), bool(done)))
    return ResultRecord(
        id=row["id"],
        instrument_id=row["instrument_id"],
        instrument_version=row["instrument_version"],
        taken_on=taken_on,
        answers=Answers(answers.get("responses", {}), answers.get("profile", {})),
        cohort=row["cohort"],
        steps=tuple(kept),
    )


def same_result(stored: ResultRecord, record: ResultRecord) -> bool:
    """Whether two records are the same result, whatever steps were ticked since."""
    return (
        stored.instrument_id == record.instrument_id
        and stored.instrument_version == record.instrument_version
        and stored.taken_on == record.taken_on
        and stored.cohort == record.cohort
        and stored.answers == record.answers
        and [s.action_id for s in stored.steps] == [s.action_id for s in record.steps]
    )


def is_damage(error: BaseException) -> bool:
    """Whether a driver error is SQLite's "database disk image is malformed" (a damaged page)."""
    cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    return (
        isinstance(cause, sqlite3.DatabaseError)
        and getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_CORRUPT
    )


@dataclass(frozen=True, slots=True)
class Salvaged:
    """What :func:`salvage_records` read from a damaged SQLite file."""

    records: list[ResultRecord]
    unreadable: int
    """Stored rows read but not valid records (as :func:`read_records` counts them)."""
    damaged: int
    """Results known to be stored (by an index) that sat on damaged pages."""


def salvage_records(
    connection: sa.Connection, ids: Sequence[str] | None, *, cohort: str | None = None
) -> Salvaged:
    """SQLite, after a read met a damaged page: the same records as :func:`read_records`, read
    one by one, so that a damaged page costs the results on it and not every other one.

    Which results there are comes from an index when it can (a damaged table page leaves the
    indexes whole: that is how ``count()`` still answers), else from the table itself (a damaged
    index page); a result whose row or plan steps cannot be read is counted in `damaged`.
    """
    rowids = _rowids(connection, ids, cohort)
    records: list[ResultRecord] = []
    unreadable = damaged = 0
    for rowid in rowids:
        try:
            row = (
                connection.execute(
                    sa.select(*RESULT_COLUMNS).where(sa.text("rowid = :r")), {"r": rowid}
                )
                .mappings()
                .first()
            )
            if row is None:  # the index names a row the table no longer holds
                damaged += 1
                continue
            steps = connection.execute(
                sa.select(_steps.c.action_id, sa.type_coerce(_steps.c.done, sa.Integer))
                .where(_steps.c.result_id == str(row["id"]))
                .order_by(_steps.c.position)
            ).all()
        except sa.exc.DatabaseError as error:
            if not is_damage(error):
                raise
            damaged += 1
            continue
        try:
            records.append(record_from_row(row, [(a, d) for a, d in steps]))
        except (ValueError, TypeError, KeyError, AttributeError):
            unreadable += 1  # never the error's text: it would carry what the row holds
    records.sort(key=lambda r: (r.taken_on, r.id))
    return Salvaged(records, unreadable, damaged)


def _rowids(connection: sa.Connection, ids: Sequence[str] | None, cohort: str | None) -> list[int]:
    """The rowids of the chosen results, from the first source that reads whole: the planner's
    choice, each index of the table, the table itself; a file damaged in all of them raises."""
    table = _results.name
    where: list[str] = []
    binds: list[sa.BindParameter[Any]] = []
    if ids is not None:
        where.append("id IN :ids")
        binds.append(sa.bindparam("ids", list(ids), expanding=True))
    if cohort is not None:
        where.append("cohort = :cohort")
        binds.append(sa.bindparam("cohort", cohort))
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    indexes = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
    ).scalars()
    sources = ["", *(f'INDEXED BY "{name}"' for name in indexes)]

    def read(source: str) -> list[int]:
        query = sa.text(f"SELECT rowid FROM {table} {source}{condition}").bindparams(*binds)
        return [int(r) for r in connection.execute(query).scalars()]

    for source in sources:
        try:
            return read(source)
        except sa.exc.DatabaseError as error:
            if not is_damage(error) and "no query solution" not in str(error):
                raise
    return read("NOT INDEXED")  # the table itself; raises when it is damaged too
