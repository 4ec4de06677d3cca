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
        self.text = widgets.HTML(layout=FULL_WIDTH, style=styles.html)
        self.start = button("", primary=True, styles=styles)
        self.restore_label = widgets.HTML(layout=styles.layout, style=styles.html)
        self.code_input = widgets.Text(
            layout=widgets.Layout(width="100%", max_width="32em"), _dom_classes=("assess-restore",)
        )
        self.restore = button("", styles=styles)
        super().__init__(
            [
                self.text,
                self.start,
                self.restore_label,
                widgets.HBox([self.code_input, self.restore], layout=FULL_WIDTH),
            ],
            layout=FULL_WIDTH,
        )
        self.relabel(language)

    def relabel(self, language: str) -> None:
        def say(key: str) -> str:
            return self.messages.text(key, language)

        paragraphs = "".join(f"<p>{esc(say(key))}</p>" for key in PARAGRAPHS)
        self.text.value = f'<section class="assess-welcome">{paragraphs}</section>'
        self.start.description = say("welcome.start")
        self.restore.description = say("restore.button")
        self.restore_label.value = f'<p id="assess-restore-label">{esc(say("restore.label"))}</p>'
        self.code_input.placeholder = say("restore.placeholder")
