"""The welcome page: what the self-check is, Start, and a field to bring back a result code.

Relabelled in place on a language switch (a code being typed stays).  No I/O: what Start and
Show result do is the quiz's.
"""

from __future__ import annotations

import ipywidgets as widgets

from assess.ui.components import FULL_WIDTH, Wording, esc

PARAGRAPHS = ("welcome.what", "welcome.time", "welcome.privacy", "disclaimer")


class WelcomePage(widgets.VBox):  # type: ignore[misc]
    def __init__(self, *, wording: Wording, language: str) -> None:
        self.wording = wording
        # Made with their text: a change after creation is one more message to the page.
        say = self._texts(language)
        self.text = wording.html(say["text"], layout=FULL_WIDTH)
        self.start = wording.button(say["start"], primary=True)
        self.restore_label = wording.html(say["label"])
        self.code_input = widgets.Text(
            placeholder=say["placeholder"],
            layout=widgets.Layout(width="100%", max_width="32em"),
            _dom_classes=("assess-restore",),
        )
        self.restore = wording.button(say["restore"])
        super().__init__(
            [
                self.text,
                self.start,
                self.restore_label,
                widgets.HBox([self.code_input, self.restore], layout=FULL_WIDTH),
            ],
            layout=FULL_WIDTH,
        )

    def relabel(self, language: str) -> None:
        say = self._texts(language)
        self.text.value = say["text"]
        self.start.description = say["start"]
        self.restore.description = say["restore"]
        self.restore_label.value = say["label"]
        self.code_input.placeholder = say["placeholder"]

    def _texts(self, language: str) -> dict[str, str]:
        def say(key: str) -> str:
            return self.wording.text(key, language)

        paragraphs = "".join(f"<p>{esc(say(key))}</p>" for key in PARAGRAPHS)
        return {
            "text": f'<section class="assess-welcome">{paragraphs}</section>',
            "start": say("welcome.start"),
            "restore": say("restore.button"),
            "label": f'<p id="assess-restore-label">{esc(say("restore.label"))}</p>',
            "placeholder": say("restore.placeholder"),
        }
