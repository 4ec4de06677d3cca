"""What could not be scored, why, and a way back to just those questions.

Skipping is always allowed; the price is said here, on the results: each facet left unscored,
the scorer's count of its unanswered questions against what its rule tolerates, and a button
that takes the person to the page holding its first unanswered question.  No I/O.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from assess.core.model import Instrument, Result, Status
from assess.ui.components import FULL_WIDTH, Wording, esc
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
        self.wording = wording
        self.facet_ids = [
            facet.id
            for facet in instrument.facets
            if result.facet(facet.id).status is Status.UNSCORED
            and result.facet(facet.id).missing_items
        ]
        # Made with their text: a change after creation is one more message to the page.
        heading, lines = self._texts(language)
        self.heading = wording.html(heading)
        self.reasons: dict[str, widgets.HTML] = {}
        self.buttons: dict[str, widgets.Button] = {}
        rows = []
        for facet_id in self.facet_ids:
            reason, label = lines[facet_id]
            self.reasons[facet_id] = wording.html(reason, layout=FULL_WIDTH)
            answer = wording.button(label, classes=("assess-answer-missing",))
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
        self.heading.value, lines = self._texts(language)
        for facet_id, (reason, label) in lines.items():
            self.reasons[facet_id].value = reason
            self.buttons[facet_id].description = label

    def _texts(self, language: str) -> tuple[str, dict[str, tuple[str, str]]]:
        """The heading, and for each facet its reason line and its button's label."""

        def say(key: str, **values: object) -> str:
            return self.wording.text(key, language, **values)

        heading = (
            f"<h2>{esc(say('results.missing_title'))}</h2>"
            f"<p>{esc(say('results.missing_intro'))}</p>"
        )
        colon = "：" if language == "ja" else ": "
        lines = {}
        for facet_id in self.facet_ids:
            score = self.result.facet(facet_id)
            name = self.instrument.facet(facet_id).label.in_language(language)
            reason = facet_unscored_reason(self.instrument, score, self.wording.messages, language)
            lines[facet_id] = (
                f"<p><b>{esc(name)}</b>{colon}{esc(reason)}</p>",
                say("results.answer_missing", facet=name, count=len(score.missing_items)),
            )
        return heading, lines
