"""Result codes: every answer set and date round-trips, codes stay short, and bad codes are refused
with a message that says what is wrong, never read as a wrong result."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import html
import json
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

from assess import default_instrument
from assess.app import roots
from assess.app.cli import main as cli_main
from assess.core.model import Answers, Instrument, Item, Option, ProfileOption, Scale, Status, Text
from assess.core.result_code import (
    EPOCH,
    LAST_DATE,
    CodeLayout,
    ResultCodeError,
    _checksum,
    code_length,
    decode_result,
    encode_result,
    read_result,
)
from assess.core.scoring import AnswerError, score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import load_instrument
from assess.datafiles.layouts import COMMAND as LAYOUTS_COMMAND
from assess.datafiles.layouts import default_layouts, layouts_path, load_layouts
from assess.datafiles.layouts import main as layouts_main
from assess.datafiles.shipped import validate_files
from assess.group.codes import frame_from_codes

SHIPPED = default_instrument()
TAKEN_ON = datetime.date(2026, 11, 26)
ALPHABET = string.ascii_letters + string.digits + "-_"


def answer_sets(instrument: Instrument) -> st.SearchStrategy[Answers]:
    """Any answer set, from empty to complete: each question left out, or one of its options."""
    responses = st.fixed_dictionaries(
        {},
        optional={item.id: st.sampled_from(item.scale.values) for item in instrument.items},
    )
    profile = st.fixed_dictionaries(
        {},
        optional={q.id: st.sampled_from(q.codes) for q in instrument.profile},
    )
    return st.builds(Answers, responses, profile)


dates = st.dates(min_value=EPOCH, max_value=LAST_DATE)


def _full_answers(instrument: Instrument) -> Answers:
    return Answers(
        {item.id: item.scale.values[-1] for item in instrument.items},
        {question.id: question.codes[0] for question in instrument.profile},
    )


@settings(max_examples=examples(3))
@given(answers=answer_sets(SHIPPED), taken_on=dates)
def test_any_answer_set_and_date_round_trip_for_the_shipped_instrument(
    answers: Answers, taken_on: datetime.date
) -> None:
    """Half-finished or complete, the shipped questionnaire's answers come back exactly."""
    code = encode_result(SHIPPED, answers, taken_on)
    assert decode_result(SHIPPED, code) == (answers, taken_on)


@settings(max_examples=examples(2))
@given(data=st.data(), taken_on=dates)
def test_any_answer_set_and_date_round_trip_for_a_small_instrument(
    small_instrument: Instrument, data: st.DataObject, taken_on: datetime.date
) -> None:
    """A small instrument, with a three-option scale and one profile question, round-trips too."""
    answers = data.draw(answer_sets(small_instrument))
    code = encode_result(small_instrument, answers, taken_on)
    assert decode_result(small_instrument, code) == (answers, taken_on)


def test_answers_given_as_none_come_back_as_unanswered() -> None:
    """An explicit None is an unanswered question, and comes back as one left out."""
    code = encode_result(SHIPPED, Answers({"spatial_1": None, "spatial_2": 3}), TAKEN_ON)
    assert decode_result(SHIPPED, code) == (Answers({"spatial_2": 3}), TAKEN_ON)


@settings(max_examples=examples(2))
@given(answers=answer_sets(SHIPPED), taken_on=dates)
def test_every_code_for_the_shipped_instrument_is_short_and_url_safe(
    answers: Answers, taken_on: datetime.date
) -> None:
    """34 characters for 34 items and 5 profile questions, whatever was answered."""
    code = encode_result(SHIPPED, answers, taken_on)
    assert len(code) == code_length(SHIPPED) <= 40
    assert set(code) <= set(ALPHABET)


def test_the_code_forgives_surrounding_spaces_and_base64_padding() -> None:
    """What a copy and paste adds around a code does not stop it from being read."""
    answers = _full_answers(SHIPPED)
    code = encode_result(SHIPPED, answers, TAKEN_ON)
    assert decode_result(SHIPPED, f"  {code}==\n") == (answers, TAKEN_ON)


def test_every_single_character_change_is_refused_never_misread() -> None:
    """Each position changed to each other character: always refused, never a wrong result."""
    code = encode_result(SHIPPED, _full_answers(SHIPPED), TAKEN_ON)
    for position, original in enumerate(code):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(ResultCodeError):
                decode_result(SHIPPED, changed)


def test_encoding_refuses_answers_that_do_not_fit_the_instrument() -> None:
    """An off-scale value or unknown profile code cannot be packed, and says which."""
    with pytest.raises(AnswerError, match="spatial_1"):
        encode_result(SHIPPED, Answers({"spatial_1": 9}), TAKEN_ON)
    with pytest.raises(AnswerError, match="mode"):
        encode_result(SHIPPED, Answers({}, {"mode": "telepathy"}), TAKEN_ON)


@pytest.mark.parametrize("day", [datetime.date(2019, 12, 31), datetime.date(2150, 1, 1)])
def test_encoding_refuses_a_date_a_code_cannot_hold(day: datetime.date) -> None:
    """Dates outside 2020-01-01 … 2149-12-31 are refused rather than wrapped around."""
    with pytest.raises(ValueError, match="dates from 2020-01-01 to 2149-12-31"):
        encode_result(SHIPPED, Answers({}), day)


# --- bad codes ----------------------------------------------------------------------------------


def _valid() -> str:
    return encode_result(SHIPPED, _full_answers(SHIPPED), TAKEN_ON)


def _raw(code: str) -> bytes:
    return base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))


def _resealed(change: Callable[[bytearray], None]) -> str:
    """The valid code with its bytes changed and a correct checksum, as a forger would make it."""
    body = bytearray(_raw(_valid())[:-4])
    change(body)
    raw = bytes(body) + _checksum(bytes(body))
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _changed_in_the_middle() -> str:
    code = _valid()
    middle = len(code) // 2
    return code[:middle] + ("B" if code[middle] != "B" else "C") + code[middle + 1 :]


def _swapped() -> str:
    code = _valid()
    position = next(i for i in range(10, len(code) - 1) if code[i] != code[i + 1])
    return code[:position] + code[position + 1] + code[position] + code[position + 2 :]


def _last_character_bumped() -> str:
    code = _valid()
    return code[:-1] + ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]


def _set(offset: int, values: bytes) -> Callable[[bytearray], None]:
    def change(body: bytearray) -> None:
        body[offset : offset + len(values)] = values

    return change


def _answers_out_of_range(body: bytearray) -> None:
    body[8:] = b"\xff" * (len(body) - 8)


def _other_instrument(small: Instrument) -> str:
    return encode_result(small, _full_answers(small), TAKEN_ON)


def _other_version(_: Instrument) -> str:
    newer = dataclasses.replace(SHIPPED, version="9.9")
    return encode_result(newer, _full_answers(newer), TAKEN_ON)


def _same_version_other_questions(_: Instrument) -> str:
    edited = dataclasses.replace(SHIPPED, items=SHIPPED.items[:-1])
    answers = Answers({item.id: item.scale.values[0] for item in edited.items})
    return encode_result(edited, answers, TAKEN_ON)


BAD_CODES: list[tuple[str, Callable[[Instrument], str], str]] = [
    ("empty", lambda _: "", "empty"),
    ("only spaces", lambda _: "  \n ", "empty"),
    ("a punctuation mark", lambda _: _valid()[:10] + "!" + _valid()[11:], "'!' at position 11"),
    ("standard base64", lambda _: _valid()[:5] + "+/" + _valid()[7:], "'+' at position 6"),
    ("full-width letters", lambda _: "ＡＢＣ" + _valid()[3:], "cannot be in a result code"),
    ("inner space", lambda _: _valid()[:8] + " " + _valid()[8:], "cannot be in a result code"),
    ("truncated by one", lambda _: _valid()[:-1], "part of it is missing"),
    ("truncated by two", lambda _: _valid()[:-2], "part of it is missing"),
    ("truncated by half", lambda _: _valid()[: len(_valid()) // 2], "part of it is missing"),
    ("a few characters", lambda _: "AUQ", "part of it is missing"),
    ("appended junk", lambda _: _valid() + "junk", "extra characters"),
    ("one appended character", lambda _: _valid() + "x", "extra characters"),
    ("one changed in the middle", lambda _: _changed_in_the_middle(), "checksum does not match"),
    ("two swapped", lambda _: _swapped(), "checksum does not match"),
    ("last character bumped", lambda _: _last_character_bumped(), "checksum does not match"),
    ("garbage of the right length", lambda _: "A" * len(_valid()), "checksum does not match"),
    ("another format version", lambda _: _resealed(_set(0, b"\x02")), "format version 2"),
    ("format version zero", lambda _: _resealed(_set(0, b"\x00")), "format version 0"),
    ("another instrument", _other_instrument, "different questionnaire, not"),
    ("another version", _other_version, "different version of the questionnaire"),
    (
        "same version, other questions",
        _same_version_other_questions,
        "different version of the questionnaire",
    ),
    ("an impossible date", lambda _: _resealed(_set(6, b"\xff\xff")), "impossible date"),
    ("answers out of range", lambda _: _resealed(_answers_out_of_range), "out of range"),
]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [pytest.param(make, fragment, id=name) for name, make, fragment in BAD_CODES],
)
def test_a_bad_code_is_refused_with_a_message_that_says_what_is_wrong(
    small_instrument: Instrument, make: Callable[[Instrument], str], fragment: str
) -> None:
    """Each kind of damage gets its own message, as a ValueError the app and CLI can show."""
    code = make(small_instrument)
    with pytest.raises(ResultCodeError, match="result code") as caught:
        decode_result(SHIPPED, code)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_refused_code_names_its_problem_for_a_translated_message() -> None:
    """The `problem` attribute lets the app show the message in the person's language."""
    with pytest.raises(ResultCodeError) as caught:
        decode_result(SHIPPED, _valid()[:-3])
    assert caught.value.problem == "length"
    with pytest.raises(ResultCodeError) as caught:
        decode_result(SHIPPED, _other_version(SHIPPED))
    assert caught.value.problem == "version"


def test_a_code_from_another_version_names_the_version_read_with() -> None:
    """The message says which version of which questionnaire it was read with."""
    with pytest.raises(ResultCodeError) as caught:
        decode_result(SHIPPED, _other_version(SHIPPED))
    assert f"this is version {SHIPPED.version}" in str(caught.value)
    assert SHIPPED.title.en in str(caught.value)


# --- codes of earlier layouts -------------------------------------------------------------------

BEFORE_LAYOUTS = Path(__file__).parent / "data" / "result_code_before_layouts.json"


def test_a_code_handed_out_before_layouts_were_kept_still_reads() -> None:
    """A code made by the release before this change gives back its answers and date."""
    kept = json.loads(BEFORE_LAYOUTS.read_text(encoding="utf-8"))
    expected = Answers(kept["responses"], kept["profile"])
    taken_on = datetime.date.fromisoformat(kept["taken_on"])
    assert decode_result(SHIPPED, kept["code"]) == (expected, taken_on)
    assert decode_result(SHIPPED, kept["code"], layouts=default_layouts()) == (expected, taken_on)


def test_the_shipped_layouts_hold_the_banks_layout_of_today() -> None:
    """A bank changed without its layouts file would make today's codes unreadable tomorrow."""
    today = CodeLayout.of(SHIPPED)
    assert today in default_layouts(), (
        f"the questions of {SHIPPED.id} changed (layout {today.id}) but data/layouts/ does not "
        f"keep the new layout: run `{LAYOUTS_COMMAND}` and commit data/layouts/"
    )


def test_todays_layout_id_is_four_characters_of_the_code_itself() -> None:
    """The layout a code names is in the code already, so it is no longer than before."""
    code = encode_result(SHIPPED, Answers({}), TAKEN_ON)
    assert code[4:8] == CodeLayout.of(SHIPPED).id
    assert len(code) == 34


def _option(value: int) -> Option:
    return Option(value, float(value), Text(str(value), str(value)))


def _with_items(instrument: Instrument, items: tuple[Item, ...]) -> Instrument:
    return dataclasses.replace(instrument, items=items)


def _rescaled(item: Item, values: tuple[int, ...]) -> Item:
    """The item on a scale whose options have these values (scores alike)."""
    scale = Scale(f"{item.scale.id}_earlier", tuple(_option(v) for v in values))
    return dataclasses.replace(item, scale=scale)


def _earlier_without_u2(today: Instrument) -> Instrument:
    """Before question u2 was added."""
    return _with_items(today, tuple(i for i in today.items if i.id != "u2"))


def _earlier_with_x1(today: Instrument) -> Instrument:
    """Before question x1 was removed (it stood second)."""
    extra = dataclasses.replace(today.items[0], id="x1")
    return _with_items(today, (today.items[0], extra, *today.items[1:]))


def _earlier_with_other_values(today: Instrument) -> Instrument:
    """Before a1's options were renumbered 0–4 → 1–5, and t1's scale had two options, not three;
    and before the profile's mode lost its option 'hybrid'."""
    items = tuple(
        _rescaled(i, (0, 1, 2, 3, 4))
        if i.id == "a1"
        else _rescaled(i, (1, 2))
        if i.id == "t1"
        else i
        for i in today.items
    )
    mode = today.profile[0]
    hybrid = ProfileOption("hybrid", Text("両方", "Both"))
    profile = (dataclasses.replace(mode, options=(*mode.options, hybrid)),)
    return dataclasses.replace(_with_items(today, items), profile=profile)


EARLIER: list[tuple[str, Callable[[Instrument], Instrument]]] = [
    ("an item added since", _earlier_without_u2),
    ("an item removed since", _earlier_with_x1),
    ("option values changed since", _earlier_with_other_values),
    ("only the version changed", lambda today: dataclasses.replace(today, version="0.9")),
]


def test_an_item_added_since_is_unanswered_and_the_missing_rule_decides(
    small_instrument: Instrument,
) -> None:
    """A code from before u2 existed reads, u2 is unanswered, and its facet is prorated."""
    earlier = _earlier_without_u2(small_instrument)
    answers = Answers({"a1": 2, "u1": 4, "t1": 1}, {"mode": "offline"})
    code = encode_result(earlier, answers, TAKEN_ON)
    read = read_result(small_instrument, code, layouts=[CodeLayout.of(earlier)])
    assert (read.answers, read.taken_on) == (answers, TAKEN_ON)
    assert (read.dropped, read.unasked) == ((), ("u2",))
    assert read.layout == CodeLayout.of(earlier)
    unheard = score(small_instrument, read.answers).facet("unheard")
    assert unheard.status is Status.PRORATED
    assert unheard.missing_items == ("u2",)


def test_an_item_removed_since_is_dropped_and_named(small_instrument: Instrument) -> None:
    """The answer to x1 is left out and listed; every other answer is kept by item id."""
    earlier = _earlier_with_x1(small_instrument)
    code = encode_result(earlier, Answers({"a1": 5, "x1": 3, "t3": 2}), TAKEN_ON)
    read = read_result(small_instrument, code, layouts=[CodeLayout.of(earlier)])
    assert read.answers == Answers({"a1": 5, "t3": 2})
    assert (read.dropped, read.unasked) == (("x1",), ())


def test_a_changed_option_value_scores_as_todays_bank_scores_that_option(
    small_instrument: Instrument,
) -> None:
    """a1's second option was 1 and is 2 today; t1 had two options, so its answer is dropped,
    as is a profile code no longer offered."""
    earlier = _earlier_with_other_values(small_instrument)
    answers = Answers({"a1": 1, "a2": 4, "t1": 2}, {"mode": "hybrid"})
    code = encode_result(earlier, answers, TAKEN_ON)
    read = read_result(small_instrument, code, layouts=[CodeLayout.of(earlier)])
    assert read.answers == Answers({"a1": 2, "a2": 4})
    assert read.dropped == ("t1", "mode")
    kept = encode_result(earlier, Answers({"a1": 0}, {"mode": "online"}), TAKEN_ON)
    assert decode_result(small_instrument, kept, layouts=[CodeLayout.of(earlier)]) == (
        Answers({"a1": 1}, {"mode": "online"}),
        TAKEN_ON,
    )


@pytest.mark.parametrize("make_earlier", [pytest.param(make, id=name) for name, make in EARLIER])
def test_a_code_of_a_layout_not_handed_in_is_refused_naming_the_layout(
    small_instrument: Instrument, make_earlier: Callable[[Instrument], Instrument]
) -> None:
    """Without the earlier layout the code is refused in one line that names its layout."""
    earlier = make_earlier(small_instrument)
    code = encode_result(earlier, Answers({}), TAKEN_ON)
    with pytest.raises(ResultCodeError) as caught:
        decode_result(small_instrument, code, layouts=[CodeLayout.of(SHIPPED)])
    assert caught.value.problem == "version"
    assert f"layout {CodeLayout.of(earlier).id}" in str(caught.value)
    assert "\n" not in str(caught.value)


@given(data=st.data(), taken_on=dates)
@pytest.mark.parametrize("make_earlier", [pytest.param(make, id=name) for name, make in EARLIER])
def test_any_answers_of_an_earlier_layout_read_by_item_id_and_score(
    small_instrument: Instrument,
    make_earlier: Callable[[Instrument], Instrument],
    data: st.DataObject,
    taken_on: datetime.date,
) -> None:
    """Every answer carried over is the same option today; every answer left out is listed."""
    earlier = make_earlier(small_instrument)
    answers = data.draw(answer_sets(earlier))
    code = encode_result(earlier, answers, taken_on)
    read = read_result(small_instrument, code, layouts=[CodeLayout.of(earlier)])
    assert read.taken_on == taken_on
    now = {item.id: item.scale.values for item in small_instrument.items}
    then = {item.id: item.scale.values for item in earlier.items}
    for item_id, value in answers.responses.items():
        if item_id in read.answers.responses:
            position = then[item_id].index(value)  # type: ignore[arg-type]
            assert read.answers.responses[item_id] == now[item_id][position]
        else:
            assert item_id in read.dropped
    assert set(read.answers.responses) | set(read.dropped) >= set(answers.responses)
    score(small_instrument, read.answers)  # scorable by today's bank


def test_every_single_character_change_of_an_earlier_code_is_refused(
    small_instrument: Instrument,
) -> None:
    """Reading earlier layouts does not let a damaged code through as some other layout's."""
    layouts = [CodeLayout.of(make(small_instrument)) for _, make in EARLIER]
    earlier = _earlier_with_x1(small_instrument)
    code = encode_result(earlier, _full_answers(earlier), TAKEN_ON)
    for position, original in enumerate(code):
        for replacement in ALPHABET:
            if replacement != original:
                changed = code[:position] + replacement + code[position + 1 :]
                with pytest.raises(ResultCodeError):
                    decode_result(small_instrument, changed, layouts=layouts)


def test_a_layout_of_another_questionnaire_is_not_used(small_instrument: Instrument) -> None:
    """A code of another questionnaire stays refused as such, whatever layouts are handed in."""
    code = encode_result(small_instrument, Answers({}), TAKEN_ON)
    with pytest.raises(ResultCodeError) as caught:
        decode_result(SHIPPED, code, layouts=[CodeLayout.of(small_instrument)])
    assert caught.value.problem == "instrument"


# --- the layouts files --------------------------------------------------------------------------


@pytest.fixture
def bank(tmp_path: Path, small_instrument_yaml: str) -> Path:
    """A bank laid out as data/ is: instruments/small.yaml, its layouts in layouts/."""
    path = tmp_path / "instruments" / "small.yaml"
    path.parent.mkdir()
    path.write_text(small_instrument_yaml, encoding="utf-8")
    return path


def test_the_command_says_when_a_bank_lacks_its_layout_and_keeps_every_earlier_one(
    bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Check, update, change the questions, update: both layouts kept, the old codes read."""
    assert layouts_main([str(bank)]) == 1
    assert f"run `{LAYOUTS_COMMAND} {bank}`" in capsys.readouterr().err
    assert layouts_main(["--update", str(bank)]) == 0
    first = load_instrument(bank)
    old_code = encode_result(first, _full_answers(first), TAKEN_ON)
    bank.write_text(
        bank.read_text(encoding="utf-8").replace(
            "  - {id: a3,",
            "  - {id: a4, facet: alone, scale: agree5, text: {ja: 質問a4, en: Question a4}}\n"
            "  - {id: a3,",
        ),
        encoding="utf-8",
    )
    assert layouts_main([str(bank)]) == 1
    assert layouts_main(["--update", str(bank)]) == 0
    assert layouts_main([str(bank)]) == 0
    second = load_instrument(bank)
    kept = load_layouts(layouts_path(bank))
    assert kept == (CodeLayout.of(first), CodeLayout.of(second))
    read = read_result(second, old_code, layouts=kept)
    assert read.unasked == ("a4",)
    assert validate_files([layouts_path(bank)]) == []


def test_a_layouts_file_changed_by_hand_is_refused_naming_the_entry_and_the_command(
    bank: Path,
) -> None:
    """A changed option value no longer matches the layout's id: the file says it was edited."""
    layouts_main(["--update", str(bank)])
    target = layouts_path(bank)
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "values: [1, 2, 3, 4, 5]", "values: [0, 1, 2, 3, 4]", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_layouts(target)
    (problem,) = caught.value.problems
    written = CodeLayout.of(load_instrument(bank)).id
    assert (problem.file, problem.entry) == (str(target), f"layouts[0] (id {written!r}).id")
    assert LAYOUTS_COMMAND in problem.message


# --- the restore box -----------------------------------------------------------------------------


def _extra_item(instrument: Instrument) -> Instrument:
    """The shipped bank with one more item than today (removed since)."""
    extra = dataclasses.replace(instrument.items[0], id="removed_since")
    return _with_items(instrument, (*instrument.items, extra))


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    ("make_earlier", "dropped", "unasked"),
    [
        (lambda shipped: _with_items(shipped, shipped.items[1:]), 0, 1),
        (_extra_item, 1, 0),
    ],
    ids=["an item added since", "an item removed since"],
)
def test_the_restore_box_shows_an_earlier_code_and_says_what_changed(
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    make_earlier: Callable[[Instrument], Instrument],
    dropped: int,
    unasked: int,
) -> None:
    """The result is shown, with a quiet line saying how many answers were left out or added."""
    earlier = make_earlier(SHIPPED)
    monkeypatch.setattr(roots, "_layouts", lambda: (CodeLayout.of(earlier),))
    quiz = roots.build_quiz(query_string=f"lang={language}", today=TAKEN_ON)
    quiz.code_input.value = encode_result(earlier, _full_answers(earlier), TAKEN_ON)
    quiz.restore.click()
    assert quiz.page == quiz.results_index
    notice = html.unescape(quiz.notice.value)
    assert quiz.messages.text("restore.earlier", language) in notice
    for key, count in (("restore.dropped", dropped), ("restore.unasked", unasked)):
        said = quiz.messages.text(key, language, count=count)
        assert (said in notice) == bool(count)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_restore_box_says_in_one_line_that_a_codes_bank_is_unknown(
    monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """A code of a layout never kept is not called mistyped: the message says what it is."""
    monkeypatch.setattr(roots, "_layouts", lambda: ())
    quiz = roots.build_quiz(query_string=f"lang={language}", today=TAKEN_ON)
    earlier = _extra_item(SHIPPED)
    quiz.code_input.value = encode_result(earlier, _full_answers(earlier), TAKEN_ON)
    quiz.restore.click()
    assert quiz.page != quiz.results_index
    said = quiz.messages.text("restore.unknown_layout", language)
    assert html.unescape(quiz.notice.value).count(said) == 1
    assert "\n" not in said


def test_the_command_line_reads_an_earlier_code_with_the_banks_own_layouts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`assess plan --code` and `assess cohort --codes` read a code made before a question was
    added, from the layouts kept beside the bank given with --instrument."""
    bank = tmp_path / "instruments" / "freelance_connection.yaml"
    bank.parent.mkdir()
    shipped_bank = Path(__file__).parents[1] / "data" / "instruments" / bank.name
    added = (
        "  - id: spatial_5\n    facet: spatial\n    scale: agree5\n"
        "    text: {ja: 追加した質問, en: A question added later}\n"
        "\n  # --- emotional"
    )
    bank.write_text(
        shipped_bank.read_text(encoding="utf-8").replace("\n  # --- emotional", added, 1),
        encoding="utf-8",
    )
    layouts_path(bank).parent.mkdir()
    layouts_path(bank).write_text(
        layouts_path(shipped_bank).read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert layouts_main(["--update", str(bank)]) == 0
    code = encode_result(SHIPPED, _full_answers(SHIPPED), TAKEN_ON)
    codes = tmp_path / "codes.txt"
    codes.write_text(code + "\n", encoding="utf-8")
    capsys.readouterr()
    assert cli_main(["plan", "--instrument", str(bank), "--code", code, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert "spatial_5" not in document["answers"]["responses"]
    assert cli_main(["cohort", "--instrument", str(bank), "--codes", str(codes)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_facilitator_counts_pasted_codes_of_an_earlier_layout(
    small_instrument: Instrument,
) -> None:
    """Codes from before a question was added count in the group picture, not as bad lines."""
    earlier = _earlier_without_u2(small_instrument)
    codes = [encode_result(earlier, Answers({"a1": 4, "u1": 2}), TAKEN_ON)]
    frame, problems = frame_from_codes(small_instrument, codes, layouts=[CodeLayout.of(earlier)])
    assert (len(frame), problems) == (1, [])
    assert frame_from_codes(small_instrument, codes)[1][0].problem == "version"
