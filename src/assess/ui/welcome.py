"""The welcome page: what the self-check is, Start, and a field to bring back a result code.

Relabelled in place on a language switch (a code being typed stays).  No I/O: what Start and
Show result do is the quiz's.
"""

from __future__ import annotations

import ipywidgets as widgets

from assess.core.messages import Messages
from assess.ui.components import FULL_WIDTH, SharedStyles, button, esc

PARAGRAPHS = ("welcome.what", "welcome.time", "welcome.privacy", "disclaimer")


class WelcomePage(widgets.VBox):  # type: ignore[misc]
    def __init__(self, *, messages: Messages, language: str, styles: SharedStyles) -> None:
        self.messages = messages
        # Made with their text: a change after creation is one more message to the page.
        say = self._texts(language)
        self.text = widgets.HTML(say["text"], layout=FULL_WIDTH, style=styles.html)
        self.start = button(say["start"], primary=True, styles=styles)
        self.restore_label = widgets.HTML(say["label"], layout=styles.layout, style=styles.html)
        self.code_input = widgets.Text(
            placeholder=say["placeholder"],
            layout=widgets.Layout(width="100%", max_width="32em"),
            _dom_classes=("assess-restore",),
        )
        self.restore = button(say["restore"], styles=styles)
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
            return self.messages.text(key, language)

        paragraphs = "".join(f"<p>{esc(say(key))}</p>" for key in PARAGRAPHS)
        return {
            "text": f'<section class="assess-welcome">{paragraphs}</section>',
            "start": say("welcome.start"),
            "restore": say("restore.button"),
            "label": f'<p id="assess-restore-label">{esc(say("restore.label"))}</p>',
            "placeholder": say("restore.placeholder"),
        }
