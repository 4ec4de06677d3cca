"""A short, URL-safe code that restores a result later, with nothing stored on any server.

The code holds the questionnaire it was made for (as a fingerprint of its id and of its
*layout*: version, item ids with their option values, profile codes), the answers (responses and
profile, possibly half-finished) and the date taken.  It is checked when read back: a mistyped,
cut-off or changed code, or one made for another questionnaire or an unknown layout of it, is
refused with a message that says which; a wrong result is never returned.

A code of an earlier layout of the same questionnaire is read when that layout is handed in
(:class:`CodeLayout` values, kept by the package as data files): its answers are carried over by
item id, so today's bank scores them; questions it did not have are left unanswered, and answers
to questions since removed, or whose options changed in number, are left out and listed
(:func:`read_result`).

>>> import datetime
>>> from assess import Answers, default_instrument
>>> instrument = default_instrument()
>>> answers = Answers({"spatial_1": 4, "emotional_1": 2}, profile={"mode": "online"})
>>> code = encode_result(instrument, answers, datetime.date(2026, 11, 26))
>>> len(code)
34
>>> decode_result(instrument, code) == (answers, datetime.date(2026, 11, 26))
True

Layout, in bytes (then base64url without padding):

====  ==================================================================================
1     format version (1)
2     fingerprint of the questionnaire id (tells "another questionnaire" apart)
3     fingerprint of the layout: id, version, item ids, scale values and profile codes
      (a layout's :attr:`CodeLayout.id` is these three bytes in base64, four characters)
2     days since 2020-01-01, big-endian
n     the answers as one integer in mixed radix, big-endian, n as small as the instrument
      allows: for each item in instrument order, radix = options + 1, digit 0 = unanswered,
      else the option's position + 1; then each profile question likewise
4     checksum: BLAKE2b of everything before it
====  ==================================================================================

Codes handed out before layouts were kept have exactly this form: a layout file records their
questions, and they read as before.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import math
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from assess.core.model import Answers, Instrument
from assess.core.scoring import check_answers

FORMAT_VERSION = 1
EPOCH = datetime.date(2020, 1, 1)
LAST_DATE = datetime.date(2149, 12, 31)
"""The last date a code can hold; later day counts in a code are refused as impossible."""

_ID_BYTES = 2
_LAYOUT_BYTES = 3
_DATE_BYTES = 2
_CHECK_BYTES = 4
_HEADER_BYTES = 1 + _ID_BYTES + _LAYOUT_BYTES + _DATE_BYTES
_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")

Problem = Literal[
    "empty",
    "characters",
    "length",
    "checksum",
    "format",
    "instrument",
    "version",
    "date",
    "range",
]


class ResultCodeError(ValueError):
    """A result code that cannot be read; `problem` names the kind, for a translated message."""

    def __init__(self, problem: Problem, message: str) -> None:
        self.problem: Problem = problem
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class CodeLayout:
    """The questions a code's answers are packed in, in order: one version of a questionnaire as
    result codes see it.  A layout changes when an item or profile question is added, removed or
    moved, when an option value changes, or with the version text.

    >>> from assess import default_instrument
    >>> layout = CodeLayout.of(default_instrument())
    >>> len(layout.id), layout.items[0][0]
    (4, 'spatial_1')
    """

    instrument_id: str
    version: str
    items: tuple[tuple[str, tuple[int, ...]], ...]
    """Each item's id and its option values, in the order of the questionnaire."""
    profile: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each profile question's id and its option codes, in order."""

    @classmethod
    def of(cls, instrument: Instrument) -> CodeLayout:
        """The layout of a questionnaire as it is today."""
        return cls(
            instrument.id,
            instrument.version,
            tuple((item.id, item.scale.values) for item in instrument.items),
            tuple((question.id, question.codes) for question in instrument.profile),
        )

    @property
    def id(self) -> str:
        """Four characters naming the layout, as its codes carry it."""
        return _b64encode(self._packing().layout_hash)

    def _packing(self) -> _Packing:
        radices = tuple(len(values) + 1 for _, values in self.items) + tuple(
            len(codes) + 1 for _, codes in self.profile
        )
        capacity = math.prod(radices)
        # Exactly the text the first codes were fingerprinted with: they must keep reading.
        fingerprint = "\n".join(
            [
                self.instrument_id,
                self.version,
                *(f"item {item} {list(values)}" for item, values in self.items),
                *(f"profile {question} {list(codes)}" for question, codes in self.profile),
            ]
        )
        return _Packing(
            radices=radices,
            capacity=capacity,
            answer_bytes=((capacity - 1).bit_length() + 7) // 8,
            id_hash=_hash(self.instrument_id, _ID_BYTES, b"assess-id"),
            layout_hash=_hash(fingerprint, _LAYOUT_BYTES, b"assess-layout"),
        )


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What a code holds, read into today's questionnaire."""

    answers: Answers
    taken_on: datetime.date
    layout: CodeLayout
    """The layout the code was made with (today's, or an earlier one)."""
    dropped: tuple[str, ...] = ()
    """Questions the code has answers to that were left out: no longer asked, or their options
    changed in number so that the answer cannot be carried over."""
    unasked: tuple[str, ...] = ()
    """Today's items the code's layout did not have: unanswered, as skipped ones are."""


@dataclass(frozen=True, slots=True)
class _Packing:
    radices: tuple[int, ...]
    capacity: int
    answer_bytes: int
    id_hash: bytes
    layout_hash: bytes

    @property
    def total_bytes(self) -> int:
        return _HEADER_BYTES + self.answer_bytes + _CHECK_BYTES

    @property
    def length(self) -> int:
        """Characters of a code for this instrument (base64 without padding)."""
        return _encoded_length(self.total_bytes)


def code_length(instrument: Instrument) -> int:
    """How many characters every result code for this instrument has.

    >>> from assess import default_instrument
    >>> code_length(default_instrument())
    34
    """
    return _layout(instrument).length


def encode_result(instrument: Instrument, answers: Answers, taken_on: datetime.date) -> str:
    """The result code for these answers, taken on `taken_on`.

    Raises :class:`assess.core.scoring.AnswerError` for answers that do not fit the instrument and
    :class:`ValueError` for a date outside 2020-01-01 … 2149-12-31.
    """
    check_answers(instrument, answers)
    day = taken_on.date() if isinstance(taken_on, datetime.datetime) else taken_on
    if not EPOCH <= day <= LAST_DATE:
        raise ValueError(
            f"a result code can hold dates from {EPOCH} to {LAST_DATE}, not {day.isoformat()}"
        )
    layout = _layout(instrument)
    number = 0
    for radix, digit in zip(layout.radices, _digits(instrument, answers), strict=True):
        number = number * radix + digit
    body = (
        bytes([FORMAT_VERSION])
        + layout.id_hash
        + layout.layout_hash
        + (day - EPOCH).days.to_bytes(_DATE_BYTES, "big")
        + number.to_bytes(layout.answer_bytes, "big")
    )
    return _b64encode(body + _checksum(body))


def decode_result(
    instrument: Instrument, code: str, *, layouts: Iterable[CodeLayout] = ()
) -> tuple[Answers, datetime.date]:
    """The answers and date a code holds; :class:`ResultCodeError` says why a code is refused.

    A code of one of the earlier `layouts` is read into today's questions (see
    :func:`read_result`, which also says what was left out).  Surrounding spaces and trailing
    ``=`` padding are forgiven; nothing else is.
    """
    read = read_result(instrument, code, layouts=layouts)
    return read.answers, read.taken_on


def read_result(
    instrument: Instrument, code: str, *, layouts: Iterable[CodeLayout] = ()
) -> ReadResult:
    """What a code holds, with the layout it was made with and what could not be carried over.

    `layouts` are the questionnaire's earlier layouts (today's is always known); a code of any
    other layout is refused as ``version``, one of another questionnaire as ``instrument``.
    """
    if not isinstance(code, str):
        raise ResultCodeError("characters", f"a result code is text, not {type(code).__name__}")
    text = code.strip().rstrip("=")
    if not text:
        raise ResultCodeError("empty", "the result code is empty: paste the whole code")
    for position, character in enumerate(text, start=1):
        if character not in _ALPHABET:
            raise ResultCodeError(
                "characters",
                f"the result code contains {character!r} at position {position}, a character "
                "that cannot be in a result code (only letters A–Z and a–z, digits, '-' and "
                "'_'); copy the code again",
            )
    today = CodeLayout.of(instrument)
    layout = today._packing()
    known = {layout.layout_hash: (today, layout)}
    for earlier in layouts:
        if earlier.instrument_id == instrument.id:
            packing = earlier._packing()
            known.setdefault(packing.layout_hash, (earlier, packing))
    if len(text) % 4 == 1 or len(text) < _encoded_length(_HEADER_BYTES + _CHECK_BYTES):
        raise _length_error(len(text), layout.length)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):  # pragma: no cover - the checks above rule it out
        raise _length_error(len(text), layout.length) from None
    body, check = raw[:-_CHECK_BYTES], raw[-_CHECK_BYTES:]
    # A last character with stray low bits decodes like another one: refuse it as mistyped.
    if _b64encode(raw) != text or not hmac.compare_digest(_checksum(body), check):
        # A code as long as one of a known layout was mistyped; any other length was cut.
        if len(text) not in {packing.length for _, packing in known.values()}:
            raise _length_error(len(text), layout.length)
        raise ResultCodeError(
            "checksum",
            "the result code does not check out (its checksum does not match): a character was "
            "mistyped or changed; copy the code again",
        )
    title = instrument.title.en
    if body[0] != FORMAT_VERSION:
        raise ResultCodeError(
            "format",
            f"the result code uses format version {body[0]}, and this version of assess reads "
            f"format version {FORMAT_VERSION} only; open it with the release that made it",
        )
    if body[1 : 1 + _ID_BYTES] != layout.id_hash:
        raise ResultCodeError(
            "instrument",
            f"the result code was made for a different questionnaire, not “{title}” "
            f"({instrument.id}); open it with the questionnaire it was made with",
        )
    named = body[1 + _ID_BYTES : _HEADER_BYTES - _DATE_BYTES]
    if named not in known:
        raise ResultCodeError(
            "version",
            f"the result code was made with a different version of the questionnaire “{title}” "
            f"({instrument.id}), one this release does not know (layout {_b64encode(named)}); "
            f"this is version {instrument.version}: open the code with the release that made it",
        )
    made_with, layout = known[named]
    if len(raw) != layout.total_bytes:
        raise _length_error(len(text), layout.length)
    days = int.from_bytes(body[_HEADER_BYTES - _DATE_BYTES : _HEADER_BYTES], "big")
    if days > (LAST_DATE - EPOCH).days:
        raise ResultCodeError(
            "date",
            f"the result code holds an impossible date ({days} days after {EPOCH}, later than "
            f"{LAST_DATE}, the last date a code can hold)",
        )
    number = int.from_bytes(body[_HEADER_BYTES:], "big")
    if number >= layout.capacity:
        raise ResultCodeError(
            "range",
            "the result code holds answers out of range for this questionnaire "
            f"(“{title}”, version {instrument.version})",
        )
    digits: list[int] = []
    for radix in reversed(layout.radices):
        number, digit = divmod(number, radix)
        digits.append(digit)
    digits.reverse()
    taken_on = EPOCH + datetime.timedelta(days=days)
    if made_with is today:
        return ReadResult(_answers(instrument, digits), taken_on, today)
    return _carried_over(instrument, made_with, digits, taken_on)


# --- helpers -------------------------------------------------------------------------------------


def _layout(instrument: Instrument) -> _Packing:
    return CodeLayout.of(instrument)._packing()


def _carried_over(
    instrument: Instrument, layout: CodeLayout, digits: list[int], taken_on: datetime.date
) -> ReadResult:
    """An earlier layout's answers in today's questions, by id.  An item's answer is its
    option's position, so a changed option value scores as today's bank scores that option;
    when the number of options changed, the position no longer names the same option."""
    items = {item.id: item.scale.values for item in instrument.items}
    questions = {question.id: question.codes for question in instrument.profile}
    responses: dict[str, int | None] = {}
    profile: dict[str, str | None] = {}
    dropped: list[str] = []
    for (item_id, values), digit in zip(layout.items, digits[: len(layout.items)], strict=True):
        now = items.get(item_id)
        if not digit:
            continue
        if now is not None and len(now) == len(values):
            responses[item_id] = now[digit - 1]
        else:
            dropped.append(item_id)
    for (question_id, codes), digit in zip(
        layout.profile, digits[len(layout.items) :], strict=True
    ):
        if not digit:
            continue
        if codes[digit - 1] in questions.get(question_id, ()):
            profile[question_id] = codes[digit - 1]
        else:
            dropped.append(question_id)
    had = {item_id for item_id, _ in layout.items}
    unasked = tuple(item.id for item in instrument.items if item.id not in had)
    return ReadResult(Answers(responses, profile), taken_on, layout, tuple(dropped), unasked)


def _digits(instrument: Instrument, answers: Answers) -> list[int]:
    digits = []
    for item in instrument.items:
        value = answers.responses.get(item.id)
        digits.append(0 if value is None else item.scale.values.index(value) + 1)
    for question in instrument.profile:
        code = answers.profile.get(question.id)
        digits.append(0 if code is None else question.codes.index(code) + 1)
    return digits


def _answers(instrument: Instrument, digits: list[int]) -> Answers:
    count = len(instrument.items)
    responses = {
        item.id: item.scale.values[digit - 1]
        for item, digit in zip(instrument.items, digits[:count], strict=True)
        if digit
    }
    profile = {
        question.id: question.codes[digit - 1]
        for question, digit in zip(instrument.profile, digits[count:], strict=True)
        if digit
    }
    return Answers(responses, profile)


def _hash(text: str, size: int, person: bytes) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size, person=person).digest()


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_CHECK_BYTES, person=b"assess-code").digest()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _encoded_length(size: int) -> int:
    return (size * 4 + 2) // 3


def _length_error(length: int, expected: int) -> ResultCodeError:
    if length < expected:
        detail = "part of it is missing (was it cut off when it was copied?)"
    else:
        detail = "it has extra characters (was other text copied with it?)"
    return ResultCodeError(
        "length",
        f"the result code is {length} characters long, but a code for this questionnaire has "
        f"{expected}: {detail}",
    )
