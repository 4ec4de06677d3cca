"""Personal progress: results over time from saved results and result codes, steps ticked."""

from __future__ import annotations

import datetime

import pytest

from assess import default_instrument
from assess.app.roots import build_progress
from assess.core.model import Answers
from assess.core.result_code import encode_result
from assess.group.progress import changes, history
from assess.store.results import ResultRecord, ResultStore

INSTRUMENT = default_instrument()
OCTOBER, NOVEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


def answers(level: int) -> Answers:
    """Every item at the same position of its scale (0 = first option)."""
    return Answers(
        {i.id: i.scale.values[min(level, len(i.scale.values) - 1)] for i in INSTRUMENT.items}
    )


def test_history_has_a_row_per_result_and_scope_oldest_first() -> None:
    """Two results, 12 scopes each, in date order."""
    table = history(INSTRUMENT, [(NOVEMBER, answers(1)), (OCTOBER, answers(3))])
    assert len(table) == 2 * (len(INSTRUMENT.facets) + len(INSTRUMENT.indices))
    assert list(table["taken_on"].iloc[[0, -1]]) == [OCTOBER, NOVEMBER]


def test_changes_give_first_latest_and_the_difference() -> None:
    """The change is latest minus first, per scope."""
    table = history(INSTRUMENT, [(OCTOBER, answers(0)), (NOVEMBER, answers(4))])
    summary = changes(table).set_index("scope")
    row = summary.loc["spatial"]
    assert row["change"] == pytest.approx(row["latest"] - row["first"], abs=0.1)


def test_an_unscored_scope_stays_a_gap_not_a_zero() -> None:
    """A half-finished result keeps NaN where nothing could be scored."""
    table = history(INSTRUMENT, [(OCTOBER, Answers({}))])
    assert table["percent"].isna().all()


def test_codes_pasted_in_show_the_changes_and_bad_lines_are_named() -> None:
    """Two good codes and one broken line: charts and a table, and 'line 2' in the alert."""
    view = build_progress(store_url="sqlite://", query_string="lang=en")
    codes = [
        encode_result(INSTRUMENT, answers(1), OCTOBER),
        "garbage",
        encode_result(INSTRUMENT, answers(3), NOVEMBER),
    ]
    view.codes.value = "\n".join(codes)
    view.show_codes.click()
    assert len(view.past) == 2
    assert "2" in view.notice.value
    assert "First and latest" in view.body.children[1].value


def test_saved_results_load_and_ticks_are_saved(tmp_path) -> None:
    """A result saved with consent comes back with its plan steps; ticking one is stored."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    store = ResultStore.open(url)
    record = ResultRecord.create(
        INSTRUMENT.id, INSTRUMENT.version, OCTOBER, answers(2), steps=("follow_field_hashtags",)
    )
    store.save(record, consent=True)
    store.close()
    view = build_progress(store_url=url, query_string="")
    view.load.click()
    assert [p.record_id for p in view.past] == [record.id]
    steps = view.body.children[2]
    box = steps.children[1]
    box.value = True
    store = ResultStore.open(url)
    try:
        assert store.result(record.id).done("follow_field_hashtags")
    finally:
        store.close()
