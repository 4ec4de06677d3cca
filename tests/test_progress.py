"""Personal progress: results over time from saved results and result codes, steps ticked."""

from __future__ import annotations

import datetime

import pytest

from assess import default_instrument
from assess.app.roots import build_progress
from assess.core.model import Answers
from assess.core.result_code import encode_result
from assess.group.progress import changes, history
from assess.store.results import ResultRecord, ResultStore, new_progress_key

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


def _saved(url: str, level: int, *, on: datetime.date = OCTOBER) -> tuple[ResultRecord, str]:
    """A result saved with consent, and the progress key its person was given."""
    record = ResultRecord.create(
        INSTRUMENT.id,
        INSTRUMENT.version,
        on,
        answers(level),
        steps=("follow_field_hashtags", "go_to_meetup"),
    )
    key = new_progress_key()
    with ResultStore.open(url) as store:
        store.save(record, consent=True, key=key)
    return record, key


def test_a_progress_key_opens_ones_own_saved_result_and_ticks_are_saved(tmp_path) -> None:
    """The key given at saving brings that result back with its plan's steps; ticking one is
    stored for that result only."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    record, key = _saved(url, 2)
    others = [_saved(url, level, on=NOVEMBER)[0] for level in (0, 4)]
    view = build_progress(store_url=url, query_string="lang=en")
    view.codes.value = f"  {key.lower()}  \n{encode_result(INSTRUMENT, answers(1), NOVEMBER)}"
    view.show_codes.click()
    assert view.notice.value == ""
    assert [p.key for p in view.past] == [key.lower(), None]
    steps = view.body.children[2]
    box = steps.children[1]
    box.value = True
    with ResultStore.open(url) as store:
        assert store.result(record.id).done("follow_field_hashtags")
        assert not any(store.result(r.id).done("follow_field_hashtags") for r in others)


def test_the_progress_page_lists_nobodys_results_and_ids_open_nothing(tmp_path) -> None:
    """Other people's saved results are not shown, not even by their ids; an unknown key is
    named by its line, and nothing can be ticked without a key."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    record, _key = _saved(url, 2)
    view = build_progress(store_url=url, query_string="lang=en")
    assert not hasattr(view, "load")
    view.show_codes.click()
    assert view.past == []
    view.codes.value = f"{record.id}\n{new_progress_key()}"
    view.show_codes.click()
    assert view.past == []
    assert "line(s) 1 could not be read" in view.notice.value
    assert "progress key on line(s) 2" in view.notice.value
    assert "Ticking steps" not in view.notice.value


def test_a_tick_that_cannot_be_saved_says_so_without_detail(tmp_path) -> None:
    """The store gone after the result was opened: the tick is refused in the page's words."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    _record, key = _saved(url, 2)
    view = build_progress(store_url=url, query_string="lang=ja")
    view.codes.value = key
    view.show_codes.click()
    (tmp_path / "results.sqlite3").unlink()
    (tmp_path / "results.sqlite3").mkdir()  # a folder where the file was: nothing opens
    view.body.children[2].children[1].value = True
    assert "いま印を保存できませんでした" in view.notice.value
    assert str(tmp_path) not in view.notice.value and "sqlite" not in view.notice.value
