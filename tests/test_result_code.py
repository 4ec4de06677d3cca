"""Result codes: every answer set and date round-trips, codes stay short, and bad codes are refused
with a message that says what is wrong, never read as a wrong result."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import string
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

from assess import default_instrument
from assess.core.model import Answers, Instrument
from assess.core.result_code import (
    EPOCH,
    LAST_DATE,
    ResultCodeError,
    _checksum,
    code_length,
    decode_result,
    encode_result,
)
from assess.core.scoring import AnswerError

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
