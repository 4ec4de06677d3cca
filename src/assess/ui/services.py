"""What the quiz needs from outside, handed in by the composition root
(:func:`assess.app.roots.build_quiz`): the clock, result codes, take-aways, saving, and the data
only the results page reads.  Types only; no I/O.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.core.model import Answers
from assess.ui.outcome import Outcome
from assess.ui.save_box import SaveRequest

if TYPE_CHECKING:
    from assess.core.model import ActionCatalogue
    from assess.core.reference import Reference
    from assess.core.support import SupportDirectory
    from assess.store.outcomes import SaveOutcome
    from assess.ui.results import Download


@dataclass(frozen=True, slots=True)
class QuizServices:
    """What the quiz needs from the world, supplied by the composition root."""

    today: Callable[[], datetime.date]
    download: Callable[[str, Outcome, str], Download]
    """Makes one take-away (``markdown``, ``html``, ``calendar``, ``json``) of a result in a
    language, when the person asks for it."""
    encode: Callable[[Answers, datetime.date], str]
    decode: Callable[[str], tuple[Answers, datetime.date]]
    code_changes: Callable[[str], tuple[int, int]] = lambda _code: (0, 0)
    """For a code `decode` reads: how many of its answers were left out, and how many of
    today's questions it did not have, when it was made with an earlier question bank."""
    save: Callable[[SaveRequest], SaveOutcome] | None = None
    """Stores a result with consent and says how it went; None where saving is not offered."""
    forget: Callable[[str], SaveOutcome] | None = None
    """Deletes a saved result by id (consent taken back) and says how it went."""
    open_saved: Callable[[str], tuple[Answers, datetime.date]] | None = None
    """A saved result's answers and day from its progress key, to compare with (LookupError for
    a key that opens none, StoreProblem for a store that fails); None where nothing is saved."""
    soon: Callable[[Callable[[], None]], None] = lambda work: work()
    """Runs work once the message being handled is answered (the kernel's event loop); by
    default at once."""
    help_now: Callable[[str], str] | None = None
    """The small "help now" link shown on every page, as HTML in a language; None for none."""
    now: Callable[[], datetime.datetime] | None = None
    """The person's clock (timezone-aware): the prominent help box puts the lines open at this
    hour first and says when the others open; None where the hour is not known."""


@dataclass(frozen=True, slots=True)
class ResultsMaterial:
    """The data only the results page reads: the actions a plan is made of, where to get help,
    the national survey to compare with.  Read when a person first reaches the results."""

    catalogue: ActionCatalogue
    support: SupportDirectory
    reference: Reference | None
