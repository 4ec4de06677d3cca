"""Results kept on this device: a short list of past result codes with their dates, each one
to compare with or remove, and "forget all".

Only when the person chose to keep their answers on this device (:mod:`assess.ui.resume`): the
page's script keeps the list in ``localStorage`` and hands it to the kernel when the page opens;
the kernel checks every code and publishes the list back after each change.  No I/O here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import ipywidgets as widgets

from assess.render.views import format_date
from assess.ui.components import FULL_WIDTH, Say, Wording, esc

MAX_KEPT = 10
"""Results kept at most: the newest ones (a person comes back every few weeks)."""


def newest(entries: Iterable[tuple[datetime.date, str]]) -> tuple[tuple[datetime.date, str], ...]:
    """One entry per code, newest first, at most :data:`MAX_KEPT`.

    >>> d = datetime.date
    >>> newest([(d(2026, 11, 1), "a"), (d(2026, 12, 1), "b"), (d(2026, 11, 1), "a")])
    ((datetime.date(2026, 12, 1), 'b'), (datetime.date(2026, 11, 1), 'a'))
    """
    unique = {code: day for day, code in entries}
    ordered = sorted(((day, code) for code, day in unique.items()), reverse=True)
    return tuple(ordered[:MAX_KEPT])


class PastResults(widgets.VBox):  # type: ignore[misc]
    """The list; `on_compare` gets a code, `on_change` is called after a removal."""

    def __init__(
        self,
        *,
        wording: Wording,
        language: str,
        on_compare: Callable[[str], None],
        on_change: Callable[[], None],
    ) -> None:
        self.entries: tuple[tuple[datetime.date, str], ...] = ()
        self.shown_except: str | None = None
        """The code of the result shown, which is not listed as its own past."""
        self._wording = wording
        self._on_compare, self._on_change = on_compare, on_change
        self._forgotten = False
        self.language = language
        super().__init__(layout=FULL_WIDTH, _dom_classes=("assess-kept",))
        self._draw()

    def set(self, entries: Iterable[tuple[datetime.date, str]]) -> None:
        self.entries = newest(entries)
        self._draw()

    def remove(self, code: str) -> None:
        self.entries = tuple(entry for entry in self.entries if entry[1] != code)
        self._draw()
        self._on_change()

    def forget_all(self) -> None:
        self.entries = ()
        self._forgotten = True
        self._draw()
        self._on_change()

    def relabel(self, language: str) -> None:
        self.language = language
        self._draw()

    def _draw(self) -> None:
        say = Say(self._wording, self.language)
        listed = [entry for entry in self.entries if entry[1] != self.shown_except]
        if not listed:
            status = f'<p role="status">{esc(say("kept.forgotten"))}</p>' if self._forgotten else ""
            self.children = [self._wording.html(status)] if status else []
            return
        rows: list[widgets.Widget] = [self._wording.html(f"<h3>{esc(say('kept.title'))}</h3>")]
        for day, code in listed:
            when = format_date(day, self.language, self._wording.messages)
            compare = self._wording.button(
                say("kept.compare", date=when), own_layout=True, classes=("assess-kept-compare",)
            )
            compare.on_click(lambda _b, code=code: self._on_compare(code))
            remove = self._wording.button(
                say("kept.remove", date=when), own_layout=True, classes=("assess-kept-remove",)
            )
            remove.on_click(lambda _b, code=code: self.remove(code))
            # Side by side where they fit, one under the other on a phone.
            rows.append(
                widgets.HBox(
                    [compare, remove],
                    layout=widgets.Layout(flex_flow="row wrap", width="100%"),
                    _dom_classes=("assess-kept-row",),
                )
            )
        forget = self._wording.button(
            say("kept.forget_all"), own_layout=True, classes=("assess-kept-forget",)
        )
        forget.on_click(lambda _b: self.forget_all())
        self.children = [*rows, forget]
