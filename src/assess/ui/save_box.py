"""Saving a result, only with the person's consent, and taking that consent back.

One box per result: a different result is a different record, so it gets its own id and its
own tick.  A language switch relabels the box in place: the tick, the workshop code typed and
the last status (kept as message keys, shown with the progress key after a save) stay as they
were.  No I/O: saving and withdrawing are handed in, and answer with a
:class:`~assess.store.outcomes.SaveOutcome` (a message key, never the store's own words).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets

from assess.core.model import Answers
from assess.store.outcomes import SaveOutcome
from assess.ui.components import FULL_WIDTH, Labels, Say, Wording, esc

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
    """What the box last said, as message keys with their values (relabelled on a switch)."""

    lines: tuple[tuple[str, tuple[tuple[str, object], ...]], ...]
    alert: bool


class SaveBox(widgets.VBox):  # type: ignore[misc]
    """Consent box (unticked), optional workshop code, Save and Delete, and what happened."""

    def __init__(
        self,
        *,
        answers: Answers,
        taken_on: datetime.date,
        plan: Plan | None,
        cohort: str | None,
        save: Callable[[SaveRequest], SaveOutcome],
        forget: Callable[[str], SaveOutcome] | None,
        wording: Wording,
        language: str,
    ) -> None:
        self.answers = answers
        self.taken_on = taken_on
        self.plan = plan
        self._save = save
        self._forget = forget
        self.saved_id: str | None = None
        self.progress_key: str | None = None
        """The key that opens the saved result later (shown to the person, kept nowhere else)."""
        self._record_id: str | None = None
        self._said: _Said | None = None
        self.labels = labels = Labels(wording, language)
        self.intro = labels.html(
            lambda say: f"<h2>{esc(say('save.title'))}</h2><p>{esc(say('save.explain'))}</p>"
        )
        self.consent = labels.tick_box("save.consent", classes=("assess-consent",))
        self.cohort_input = labels.made(
            widgets.Text,
            {"description": "save.cohort", "placeholder": "save.cohort_placeholder"},
            value=cohort or "",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="32em"),
        )
        self.save_button = labels.button("save.button")
        self.save_button.on_click(self._on_save)
        self.forget_button = labels.button("save.forget", own_layout=True)
        self.forget_button.layout.display = "none"
        self.forget_button.on_click(self._on_forget)
        # What happened, said again in the new language on a switch (kept as message keys).
        self.status = labels.html(self._status, layout=FULL_WIDTH)
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

    @property
    def language(self) -> str:
        return self.labels.language

    def relabel(self, language: str) -> None:
        """Every label in `language`; the tick, the code typed and the status are kept."""
        self.labels.relabel(language)

    def _on_save(self, _button: object) -> None:
        # Re-checked here: a forged click can arrive with the box unticked.
        if self.consent.value is not True:
            self._say(("save.needs_consent", {}), alert=True)
            return
        import uuid

        self._record_id = self._record_id or str(uuid.uuid4())  # the same id on a retry
        outcome = self._save(
            SaveRequest(
                record_id=self._record_id,
                answers=self.answers,
                taken_on=self.taken_on,
                plan=self.plan,
                cohort=str(self.cohort_input.value or "").strip() or None,
                consent=True,
            )
        )
        if not outcome.done or outcome.record_id is None:
            self._say((outcome.message_key, {}), alert=True)
            return
        self.saved_id = outcome.record_id
        self.progress_key = outcome.progress_key or self.progress_key
        self.forget_button.layout.display = ""
        key_line: list[tuple[str, dict[str, object]]] = (
            [("save.key", {"key": self.progress_key})] if self.progress_key else []
        )
        self._say((outcome.message_key, {}), *key_line)

    def _on_forget(self, _button: object) -> None:
        if self._forget is None or self.saved_id is None:
            return
        outcome = self._forget(self.saved_id)
        if not outcome.done:  # still stored: say so, and keep Delete on offer
            self._say((outcome.message_key, {}), alert=True)
            return
        self.saved_id = None
        self.progress_key = None
        self._record_id = None
        self.consent.value = False
        self.forget_button.layout.display = "none"
        self._say((outcome.message_key, {}))

    def _say(self, *lines: tuple[str, dict[str, object]], alert: bool = False) -> None:
        self._said = _Said(tuple((key, tuple(values.items())) for key, values in lines), alert)
        self.status.value = self.labels.text(self._status)

    def _status(self, say: Say) -> str:
        said = self._said
        if said is None:
            return ""
        role = ' role="alert" class="assess-alert"' if said.alert else ' role="status"'
        text = "".join(f"<p>{esc(say(key, **dict(values)))}</p>" for key, values in said.lines)
        return f"<div{role}>{text}</div>"
