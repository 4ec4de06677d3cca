"""One result as the quiz made it (:class:`Outcome`): what the quiz's services
(:mod:`assess.ui.services`) are handed and what the results page (:mod:`assess.ui.results_page`)
shows, so that neither module needs the other for it.  A value; no widgets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.core.model import Answers, Result

if TYPE_CHECKING:
    # Planning and support are imported when a person first reaches the results (the quiz's
    # first page comes sooner without them); here they only name types.
    from assess.core.planning import Plan
    from assess.core.support import Support
    from assess.render.since import Earlier


@dataclass(frozen=True, slots=True)
class Outcome:
    """One result as the quiz made it: the answers checked and scored once, the plan, the date
    and the result code computed once, and whether help is shown first."""

    answers: Answers
    result: Result
    plan: Plan | None
    taken_on: datetime.date
    code: str
    urgent: bool
    support: Support | None = None
    """The graded help these answers call for (None: the quiet list only)."""
    earlier: Earlier | None = None
    """An earlier result set beside this one (since last time), carried into the take-aways."""
