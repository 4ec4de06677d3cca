"""What could not be scored, why, and a way back to just those questions.

Skipping is always allowed; the price is said here, on the results: each facet left unscored,
the scorer's count of its unanswered questions against what its rule tolerates, and a button
that takes the person to the page holding its first unanswered question.  No I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import ipywidgets as widgets

from assess.core.model import Instrument, Result, Status
from assess.ui.components import FULL_WIDTH, Labels, Say, Wording, esc
from assess.ui.results import facet_unscored_reason


class MissingAnswers(widgets.VBox):  # type: ignore[misc]
    """One line and one button per unscored facet; empty (and hidden) when all were scored."""

    def __init__(
        self,
        instrument: Instrument,
        result: Result,
        *,
        on_answer: Callable[[str], None],
        wording: Wording,
        language: str,
    ) -> None:
        self.instrument = instrument
        self.result = result
        self.facet_ids = [
            facet.id
            for facet in instrument.facets
            if result.facet(facet.id).status is Status.UNSCORED
            and result.facet(facet.id).missing_items
        ]
        self.labels = labels = Labels(wording, language)
        self.heading = labels.html(
            lambda say: (
                f"<h2>{esc(say('results.missing_title'))}</h2>"
                f"<p>{esc(say('results.missing_intro'))}</p>"
            )
        )
        self.reasons: dict[str, widgets.HTML] = {}
        self.buttons: dict[str, widgets.Button] = {}
        rows = []
        for facet_id in self.facet_ids:
            self.reasons[facet_id] = labels.html(partial(self._reason, facet_id), layout=FULL_WIDTH)
            answer = labels.button(
                partial(self._answer, facet_id), classes=("assess-answer-missing",)
            )
            # Bound to its facet here: a forged click names a button, never another facet.
            answer.on_click(lambda _b, facet_id=facet_id: on_answer(facet_id))
            self.buttons[facet_id] = answer
            rows.append(widgets.VBox([self.reasons[facet_id], answer], layout=FULL_WIDTH))
        super().__init__(
            [self.heading, *rows] if rows else [],
            layout=FULL_WIDTH,
            _dom_classes=("assess-missing",),
        )

    def relabel(self, language: str) -> None:
        self.labels.relabel(language)

    def _reason(self, facet_id: str, say: Say) -> str:
        """The facet's name and why it could not be scored."""
        name = self.instrument.facet(facet_id).label.in_language(say.language)
        score = self.result.facet(facet_id)
        reason = facet_unscored_reason(self.instrument, score, say.wording.messages, say.language)
        join = say.wording.messages.text("results.unscored_join", say.language)
        return f"<p><b>{esc(name)}</b>{esc(join)}{esc(reason)}</p>"

    def _answer(self, facet_id: str, say: Say) -> str:
        """The label of the button back to the facet's unanswered questions."""
        name = self.instrument.facet(facet_id).label.in_language(say.language)
        count = len(self.result.facet(facet_id).missing_items)
        return say("results.answer_missing", facet=name, count=count)
