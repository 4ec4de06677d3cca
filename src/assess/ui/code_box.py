"""The result code on the results page: the code, a Copy button, and what the code is for.

The code is computed once per result by the quiz and handed in; a language switch relabels
the box in place.  No I/O.
"""

from __future__ import annotations

import ipywidgets as widgets

from assess.ui.components import FULL_WIDTH, Wording, esc


class CodeBox(widgets.VBox):  # type: ignore[misc]
    """Shows one result code; `code` never changes for the life of the box."""

    def __init__(self, code: str, *, wording: Wording, language: str) -> None:
        self.code = code
        self.wording = wording
        # Made with their text: a change after creation is one more message to the page.
        intro, copy = self._texts(language)
        self.intro = wording.html(intro)
        self.field = widgets.Text(
            value=code,
            layout=widgets.Layout(width="100%", max_width="40em"),
            _dom_classes=("assess-code",),
        )
        self.copy = wording.html(copy)
        super().__init__([self.intro, widgets.HBox([self.field, self.copy], layout=FULL_WIDTH)])

    def relabel(self, language: str) -> None:
        self.intro.value, self.copy.value = self._texts(language)
        # A visitor may have typed over the field: the code shown is always the result's own.
        if self.field.value != self.code:
            self.field.value = self.code

    def _texts(self, language: str) -> tuple[str, str]:
        def say(key: str) -> str:
            return esc(self.wording.text(key, language))

        # The field does not print (it is a control): on paper the code is plain text, hidden
        # on screen by its own style (the page's print style sheet shows it).
        intro = (
            f"<h2>{say('code.title')}</h2><p>{say('code.explain')}</p>"
            f'<p class="assess-print-only" style="display: none"><code>{esc(self.code)}</code></p>'
        )
        # The code is letters, digits, '-' and '_' (checked by the encoder), safe in a script.
        copy = (
            f'<button class="assess-copy jupyter-button" type="button" '
            f"onclick=\"navigator.clipboard.writeText('{esc(self.code)}');"
            f"this.textContent='{say('code.copied')}'\">{say('code.copy')}</button>"
        )
        return intro, copy
