"""The result code on the results page: the code, a Copy button, and what the code is for.

The code is computed once per result by the quiz and handed in; a language switch relabels
the box in place.  No I/O.
"""

from __future__ import annotations

from collections.abc import Callable

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


class CompareBox(widgets.VBox):  # type: ignore[misc]
    """A field for an earlier result code (or, with `keys`, a saved result's progress key), to
    compare it with the result shown; what it does is the quiz's (`on_compare` gets the text as
    typed), and `say` shows its answer."""

    def __init__(
        self,
        *,
        wording: Wording,
        language: str,
        on_compare: Callable[[str], None] | None,
        keys: bool = False,
    ) -> None:
        self.labels = labels = Labels(wording, language)
        # Where results are saved, a progress key opens one too.
        label = "since.compare_label_key" if keys else "since.compare_label"
        self.intro = labels.html(lambda say: f"<p>{esc(say(label))}</p>")
        self.field = labels.code_field(classes=("assess-compare-code",))
        self.button = labels.button("since.compare_button")
        self.notice = wording.html()
        self.notice.add_class("assess-compare-notice")
        if on_compare is not None:
            self.button.on_click(lambda _b: on_compare(str(self.field.value or "")))
        super().__init__(
            [self.intro, widgets.HBox([self.field, self.button], layout=FULL_WIDTH), self.notice],
            _dom_classes=("assess-compare",),
        )

    def say(self, text: str) -> None:
        self.notice.value = f'<p class="assess-alert" role="status">{esc(text)}</p>' if text else ""

    def relabel(self, language: str) -> None:
        self.labels.relabel(language)
        self.notice.value = ""
