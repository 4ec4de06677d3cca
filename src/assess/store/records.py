"""Records of saved results and the keys that open them: plain values, no database.

A record holds no personal identifiers: a random id, the questionnaire's id and version, the date
taken (no time of day), an optional workshop code, the answers (responses and profile codes) and
the plan's step ids with their done/not-done state.  No names, e-mail, addresses, user agents,
free text or save timestamps.

A *progress key* is what opens one saved result again (its progress, its plan's ticks): a random
secret printed to the person when they save, of which the store keeps only a digest.  The
result's id is not such a key: it is a row's name, seen by whoever reads the group's frame.

>>> key = new_progress_key()
>>> is_progress_key(key), is_progress_key(key.lower().replace("-", " ")), is_progress_key("x")
(True, True, False)
>>> progress_key_digest(key) == progress_key_digest(" " + key.lower() + " ")
True
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assess.core.model import Answers

if TYPE_CHECKING:
    from assess.core.model import Instrument

COHORT_MAX_LENGTH = 32

_COHORT = re.compile(r"[a-z0-9_-]+")
ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_ID = ID_PATTERN
_VALUE_MAX = 2**31 - 1

# Crockford's base 32: no I, L, O, U, so that a key copied by hand is read back the same.
_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_KEY_GROUPS, _KEY_GROUP = 4, 5
"""20 symbols of 5 bits: 100 random bits, beyond guessing however many tries a server allows."""
KEY_PREFIX = "PK"
_KEY_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", " ": "", "-": ""})


def new_progress_key() -> str:
    """A fresh progress key, e.g. ``PK-7K3QD-M2X9A-RT0VB-9HJ4N`` (grouped to copy by hand)."""
    symbols = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(_KEY_GROUPS * _KEY_GROUP))
    groups = [symbols[n : n + _KEY_GROUP] for n in range(0, len(symbols), _KEY_GROUP)]
    return "-".join([KEY_PREFIX, *groups])


def _canonical_key(text: str) -> str | None:
    if not isinstance(text, str) or len(text) > 80:
        return None
    canonical = text.strip().upper().translate(_KEY_READ_AS)
    if not canonical.startswith(KEY_PREFIX):
        return None
    symbols = canonical[len(KEY_PREFIX) :]
    if len(symbols) != _KEY_GROUPS * _KEY_GROUP or any(c not in _KEY_ALPHABET for c in symbols):
        return None
    return symbols


def is_progress_key(text: str) -> bool:
    """Whether `text` reads as a progress key (case, spaces and dashes aside)."""
    return _canonical_key(text) is not None


def progress_key_digest(key: str) -> str:
    """What the store keeps of a progress key: its SHA-256, hex.  A key has 100 random bits, so
    the digest needs no salt to be beyond reversing."""
    symbols = _canonical_key(key)
    if symbols is None:
        raise ValueError("not a progress key")  # never echoes what was typed
    return hashlib.sha256(f"assess-progress-key/{symbols}".encode()).hexdigest()


def normalise_cohort(code: str | None) -> str | None:
    """A workshop code in its stored form (trimmed, lower case), or ``None`` for no code.

    A workshop code groups results; it is not a name and must not identify anyone, so it is short
    and made of letters, digits, ``-`` and ``_`` only.

    >>> normalise_cohort("  WS-2026_Tokyo "), normalise_cohort(""), normalise_cohort(None)
    ('ws-2026_tokyo', None, None)
    >>> normalise_cohort("taro@example.com")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: a workshop code has only letters A–Z, digits, '-' and '_' ... not 'taro@example.com'
    """
    if code is None:
        return None
    if not isinstance(code, str):
        raise ValueError(f"a workshop code is text, not {type(code).__name__}")
    text = code.strip().lower()
    if not text:
        return None
    if len(text) > COHORT_MAX_LENGTH or not _COHORT.fullmatch(text):
        raise ValueError(
            "a workshop code has only letters A–Z, digits, '-' and '_' "
            f"(up to {COHORT_MAX_LENGTH}), not {code!r}"
        )
    return text


@dataclass(frozen=True, slots=True)
class StepState:
    """One step of the plan (the action's id) and whether the person ticked it as done."""

    action_id: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """One saved result, without anything that identifies the person who took it.

    Checked when made: `id` is a random (version 4) UUID, `taken_on` a date (a time of day is
    dropped), `cohort` a valid workshop code (normalised), answers are option values and profile
    codes (never free text), and step ids are unique.
    """

    id: str
    instrument_id: str
    instrument_version: str
    taken_on: datetime.date
    answers: Answers
    cohort: str | None = None
    steps: tuple[StepState, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _check_uuid(self.id))
        for name in ("instrument_id", "instrument_version"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _ID.fullmatch(value):
                raise ValueError(f"{name} must be a short id ({_ID.pattern}), not {value!r}")
        if isinstance(self.taken_on, datetime.datetime):
            object.__setattr__(self, "taken_on", self.taken_on.date())
        elif not isinstance(self.taken_on, datetime.date):
            raise ValueError(f"taken_on must be a date, not {type(self.taken_on).__name__}")
        object.__setattr__(self, "cohort", normalise_cohort(self.cohort))
        object.__setattr__(self, "answers", _clean_answers(self.answers))
        steps = tuple(self.steps)
        for step in steps:
            if not isinstance(step, StepState) or not _ID.fullmatch(step.action_id):
                raise ValueError(f"a plan step is a StepState with a short action id, not {step!r}")
        ids = [step.action_id for step in steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"plan step ids must be unique, not {ids}")
        object.__setattr__(self, "steps", steps)

    @classmethod
    def create(
        cls,
        instrument_id: str,
        instrument_version: str,
        taken_on: datetime.date,
        answers: Answers,
        *,
        cohort: str | None = None,
        steps: Iterable[str] = (),
    ) -> ResultRecord:
        """A new record under a fresh random id; the plan's steps start as not done."""
        step_ids = list(dict.fromkeys(steps))
        return cls(
            id=str(uuid.uuid4()),
            instrument_id=instrument_id,
            instrument_version=instrument_version,
            taken_on=taken_on,
            answers=answers,
            cohort=cohort,
            steps=tuple(StepState(step_id) for step_id in step_ids),
        )

    @classmethod
    def of(
        cls,
        instrument: Instrument,
        answers: Answers,
        taken_on: datetime.date,
        *,
        steps: Iterable[str] = (),
        cohort: str | None = None,
        id: str | None = None,
    ) -> ResultRecord:
        """A record of `instrument` taken on `taken_on`, with the ids of its plan's steps in
        order (not done yet), under `id` (the page's, kept across retries) or a fresh one."""
        step_ids = list(dict.fromkeys(steps))
        return cls(
            id=str(uuid.uuid4()) if id is None else id,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            taken_on=taken_on,
            answers=answers,
            cohort=cohort,
            steps=tuple(StepState(step_id) for step_id in step_ids),
        )

    def done(self, action_id: str) -> bool:
        """Whether that plan step is ticked as done."""
        for step in self.steps:
            if step.action_id == action_id:
                return step.done
        raise KeyError(action_id)


def _check_uuid(value: object) -> str:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.version != 4 or str(parsed) != str(value).lower():
        raise ValueError(f"a result id is a random UUID (version 4), not {value!r}")
    return str(parsed)


def _clean_answers(answers: Answers) -> Answers:
    """The answers without unanswered questions, refusing anything but ids, whole numbers and
    profile codes: free text has no place in a stored record."""
    if not isinstance(answers, Answers):
        raise ValueError(f"answers must be Answers, not {type(answers).__name__}")
    responses: dict[str, object] = {}
    for key, value in answers.responses.items():
        if value is None:
            continue
        _check_key(key)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _VALUE_MAX:
            raise ValueError(f"the answer to {key!r} must be an option value, not {value!r}")
        responses[key] = value
    profile: dict[str, object] = {}
    for key, value in answers.profile.items():
        if value is None:
            continue
        _check_key(key)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise ValueError(f"the profile answer to {key!r} must be an option code, not {value!r}")
        profile[key] = value
    return Answers(responses, profile)


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not _ID.fullmatch(key):
        raise ValueError(f"a question id is short ({_ID.pattern}), not {key!r}")
