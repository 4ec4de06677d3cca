"""The welcome page: what the self-check is, Start, and a field to bring back a result code.

Relabelled in place on a language switch (a code being typed stays).  No I/O: what Start and
Show result do is the quiz's.
"""

from __future__ import annotations

import ipywidgets as widgets

from assess.render.first_page import welcome_html
from assess.ui.components import FULL_WIDTH, Labels, Say, Wording, esc


def _text(say: Say) -> str:
    # The same paragraphs as the page's first page, sent before Python started.
    return welcome_html(say.wording.messages, say.language)


class WelcomePage(widgets.VBox):  # type: ignore[misc]
    def __init__(self, *, wording: Wording, language: str) -> None:
        self.labels = labels = Labels(wording, language)
        self.text = labels.html(_text, layout=FULL_WIDTH)
        self.start = labels.button("welcome.start", primary=True, classes=("assess-start",))
        self.restore_label = labels.html(
            lambda say: f'<p id="assess-restore-label">{esc(say("restore.label"))}</p>'
        )
        self.code_input = labels.code_field(classes=("assess-restore",))
        self.restore = labels.button("restore.button")
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
        self.labels.relabel(language)
