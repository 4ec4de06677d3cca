"""Saving a result, only with the person's consent, and taking that consent back.

One box per result: a different result is a different record (the store refuses a second
result under one id), so it gets its own id, and its own tick.  A language switch relabels the
box in place: the tick, the workshop code typed and the last status stay as they were.
No I/O: saving and forgetting are handed in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets

from assess.core.messages import Messages
from assess.core.model import Answers
from assess.ui.components import FULL_WIDTH, SharedStyles, button, esc

if TYPE_CHECKING:
    from assess.core.planning import Plan


@dataclass(frozen=True, slots=True)
class SaveRequest:
    """What the person agreed to save: no name, no contact, a random id kept across retries."""

    record_id: str
    answers: Answers
    taken_on: datetime.date
    plan: Plan | None
    cohort: str | None
    consent: bool


@dataclass(frozen=True, slots=True)
class _Said:
    key: str
    alert: bool
    values: tuple[tuple[str, object], ...]


class SaveBox(widgets.VBox):  # type: ignore[misc]
    """Consent box (unticked), optional workshop code, Save and Delete, and what happened."""

    def __init__(
        self,
        *,
        answers: Answers,
        taken_on: datetime.date,
        plan: Plan | None,
        cohort: str | None,
        save: Callable[[SaveRequest], str],
        forget: Callable[[str], bool] | None,
        messages: Messages,
        language: str,
        styles: SharedStyles,
    ) -> None:
        self.answers = answers
        self.taken_on = taken_on
        self.plan = plan
        self._save = save
        self._forget = forget
        self.messages = messages
        self.language = language
        self.saved_id: str | None = None
        self._record_id: str | None = None
        self._said: _Said | None = None
        self.intro = widgets.HTML(layout=styles.layout, style=styles.html)
        self.consent = widgets.Checkbox(
            value=False, indent=False, layout=FULL_WIDTH, _dom_classes=("assess-consent",)
        )
        self.cohort_input = widgets.Text(
            value=cohort or "",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="32em"),
        )
        self.save_button = button("", styles=styles)
        self.save_button.on_click(self._on_save)
        self.forget_button = button("", styles=styles, own_layout=True)
        self.forget_button.on_click(self._on_forget)
        self.forget_button.layout.display = "none"
        self.status = widgets.HTML(layout=FULL_WIDTH, style=styles.html)
        super().__init__(
            [
                self.intro,
                self.consent,
                self.cohort_input,
                widgets.HBox([self.save_button, self.forget_button]),
                self.status,
            ],
            layout=FULL_WIDTH,
            _dom_classes=("assess-save",),
        )
        self.relabel(language)

    def relabel(self, language: str) -> None:
        """Every label in `language`; the tick, the code typed and the status are kept."""
        self.language = language

        def say(key: str) -> str:
            return self.messages.text(key, language)

        self.intro.value = f"<h2>{esc(say('save.title'))}</h2><p>{esc(say('save.explain'))}</p>"
        self.consent.description = say("save.consent")
        self.cohort_input.description = say("save.cohort")
        self.cohort_input.placeholder = say("save.cohort_placeholder")
        self.save_button.description = say("save.button")
        self.forget_button.description = say("save.forget")
        self._show_status()

    def _on_save(self, _button: object) -> None:
        # Re-checked here: a forged click can arrive with the box unticked.
        if self.consent.value is not True:
            self._say("save.needs_consent", alert=True)
            return
        import uuid

        self._record_id = self._record_id or str(uuid.uuid4())  # the same id on a retry
        request = SaveRequest(
            record_id=self._record_id,
            answers=self.answers,
            taken_on=self.taken_on,
            plan=self.plan,
            cohort=str(self.cohort_input.value or "").strip() or None,
            consent=True,
        )
        try:
            self.saved_id = self._save(request)
        except ValueError as error:  # a workshop code that could identify someone, etc.
            self._say("save.invalid", alert=True, reason=str(error))
            return
        except OSError as error:  # the store is unreachable: nothing the person holds is lost
            self._say("save.failed", alert=True, reason=str(error))
            return
        self.forget_button.layout.display = ""
        self._say("save.done")

    def _on_forget(self, _button: object) -> None:
        if self._forget is None or self.saved_id is None:
            return
        try:
            self._forget(self.saved_id)
        except OSError as error:
            self._say("save.failed", alert=True, reason=str(error))
            return
        self.saved_id = None
        self._record_id = None
        self.consent.value = False
        self.forget_button.layout.display = "none"
        self._say("save.forgotten")

    def _say(self, key: str, *, alert: bool = False, **values: object) -> None:
        self._said = _Said(key, alert, tuple(values.items()))
        self._show_status()

    def _show_status(self) -> None:
        said = self._said
        if said is None:
            self.status.value = ""
            return
        role = ' role="alert" class="assess-alert"' if said.alert else ' role="status"'
        text = self.messages.text(said.key, self.language, **dict(said.values))
        self.status.value = f"<p{role}>{esc(text)}</p>"
