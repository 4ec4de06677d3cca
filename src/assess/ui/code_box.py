"""The result code on the results page: the code, a Copy button, and what the code is for.

The code is computed once per result by the quiz and handed in; a language switch relabels
the box in place.  No I/O.
"""

from __future__ import annotations

import ipywidgets as widgets

from assess.ui.components import FULL_WIDTH, Labels, Say, Wording, esc


class CodeBox(widgets.VBox):  # type: ignore[misc]
    """Shows one result code; `code` never changes for the life of the box."""

    def __init__(self, code: str, *, wording: Wording, language: str) -> None:
        self.code = code
        self.labels = labels = Labels(wording, language)
        self.intro = labels.html(self._intro)
        self.field = widgets.Text(
            value=code,
            layout=widgets.Layout(width="100%", max_width="40em"),
            _dom_classes=("assess-code",),
        )
        self.copy = labels.html(self._copy)
        super().__init__([self.intro, widgets.HBox([self.field, self.copy], layout=FULL_WIDTH)])

    def relabel(self, language: str) -> None:
        self.labels.relabel(language)
        # A visitor may have typed over the field: the code shown is always the result's own.
        if self.field.value != self.code:
            self.field.value = self.code

    def _intro(self, say: Say) -> str:
        # The field does not print (it is a control): on paper the code is plain text, hidden
        # on screen by its own style (the page's print style sheet shows it).
        return (
            f"<h2>{esc(say('code.title'))}</h2><p>{esc(say('code.explain'))}</p>"
            f'<p class="assess-print-only" style="display: none"><code>{esc(self.code)}</code></p>'
        )

    def _copy(self, say: Say) -> str:
        # The code is letters, digits, '-' and '_' (checked by the encoder), safe in a script.
        return (
            f'<button class="assess-copy jupyter-button" type="button" '
            f"onclick=\"navigator.clipboard.writeText('{esc(self.code)}');"
            f"this.textContent='{esc(say('code.copied'))}'\">{esc(say('code.copy'))}</button>"
        )
