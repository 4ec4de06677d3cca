"""Answers of a group for the facilitator's tests: result codes, saved results and a stand-in
for the result store, all made from the synthetic sample so that runs are repeatable."""

from __future__ import annotations

import datetime

import pandas as pd

from assess import Answers, Instrument
from assess.core.result_code import encode_result
from assess.group.synthetic import synthetic_cohort
from assess.store.results import ResultRecord

DAY = datetime.date(2026, 11, 26)


def codes_for(instrument: Instrument, frame: pd.DataFrame) -> list[str]:
    codes = []
    for _, row in frame.iterrows():
        responses = {
            item.id: int(row[item.id]) for item in instrument.items if pd.notna(row[item.id])
        }
        codes.append(encode_result(instrument, Answers(responses), DAY))
    return codes


def saved_results(
    instrument: Instrument, size: int, *, cohort: str | None = "ws-osaka", seed: int = 13
) -> list[ResultRecord]:
    """Results as the quiz saves them (with consent), answered as a synthetic sample."""
    frame = synthetic_cohort(instrument, size, seed=seed)
    return [
        ResultRecord.create(
            instrument.id,
            instrument.version,
            DAY,
            Answers(
                {item.id: int(row[item.id]) for item in instrument.items if pd.notna(row[item.id])},
                {q.id: row[q.id] for q in instrument.profile},
            ),
            cohort=cohort,
        )
        for _, row in frame.iterrows()
    ]


class FakeStore:
    """A stand-in for the result store with the same reading interface: saved results of
    workshop codes, read by code, and a close that is recorded."""

    def __init__(self, records: list[ResultRecord], *, skipped: int = 0) -> None:
        self.records = records
        self.skipped = skipped
        self.asked: list[str | None] = []
        self.closed = False

    def results(self, cohort: str | None = None) -> list[ResultRecord]:
        self.asked.append(cohort)
        code = cohort.strip().lower() if cohort else None
        return [r for r in self.records if code is None or r.cohort == code]

    def close(self) -> None:
        self.closed = True
