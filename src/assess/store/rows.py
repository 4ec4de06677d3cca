"""Stored rows and records: a record as a row, a row read back as a record (or left out).

A row that cannot be read back as a valid record (edited by hand, half damaged) is counted and
left out, and the reason is never kept: it would carry what the row holds.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence

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


def read_records(
    connection: sa.Connection, ids: Sequence[str] | None, *, cohort: str | None = None
) -> tuple[list[ResultRecord], int]:
    """The records with those ids (or of that workshop code, or all), by date taken, and how
    many stored rows were left out because they could not be read."""
    query = sa.select(*RESULT_COLUMNS).order_by(_results.c.taken_on, _results.c.id)
    if ids is not None:
        query = query.where(_results.c.id.in_(ids))
    if cohort is not None:
        query = query.where(_results.c.cohort == cohort)
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
