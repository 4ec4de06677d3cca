"""Moving through the quiz: Back and Next, where the person is, what needs their attention.

The pages themselves are built lazily (:class:`LazyPages`); which page is shown is the quiz's
state, and this widget only shows it.  It does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import overload

import ipywidgets as widgets

from assess.core.messages import Messages
from assess.ui.components import FULL_WIDTH, QuestionPage, Wording, esc


class Navigation(widgets.VBox):  # type: ignore[misc]
    """The notice line and the Back and Next buttons under each page; the progress line above
    it is :attr:`progress`, placed by the quiz.  Relabelled in place on a language switch."""

    def __init__(self, *, wording: Wording, language: str) -> None:
        self.messages = messages = wording.messages
        self.language = language
        self._page = 0
        self._pages = 0
        # Made with their text: a change after creation is one more message to the page.
        self.progress = wording.html(progress_html(0, 0, messages=messages, language=language))
        self.notice = wording.html(layout=FULL_WIDTH, classes=("assess-notice",))
        self.back = wording.button(messages.text("nav.back", language), own_layout=True)
        self.next = wording.button(messages.text("nav.next", language), primary=True)
        # Its own Layout: `show` hides the row, and a shared one would hide every widget using it.
        self.row = widgets.HBox(
            [self.back, self.next],
            layout=widgets.Layout(width="100%"),
            _dom_classes=("assess-nav",),
        )
        super().__init__([self.notice, self.row], layout=FULL_WIDTH)

    def relabel(self, language: str) -> None:
        self.language = language
        self.back.description = self.messages.text("nav.back", language)
        self.next.description = self.messages.text("nav.next", language)
        self.progress.value = progress_html(
            self._page, self._pages, messages=self.messages, language=language
        )

    def show(self, page: int, *, pages: int, buttons: bool) -> None:
        """Page `page` of `pages` question and profile pages (0: the welcome; beyond: results)."""
        self._page, self._pages = page, pages
        self.progress.value = progress_html(
            page, pages, messages=self.messages, language=self.language
        )
        self.row.layout.display = "flex" if buttons else "none"
        self.back.layout.display = "" if page > 0 else "none"

    def say(self, text: str) -> None:
        """An alert under the page (a screen reader reads it out)."""
        self.notice.value = f'<p role="alert" class="assess-alert">{esc(text)}</p>'

    def say_quietly(self, text: str) -> None:
        """A status under the page, read out without interrupting."""
        self.notice.value = f'<p role="status" class="assess-status">{esc(text)}</p>'

    def clear(self) -> None:
        self.notice.value = ""


def progress_html(page: int, pages: int, *, messages: Messages, language: str) -> str:
    """Where the person is: text for everyone, and a native <progress> that screen readers name
    by that text.  `data-page` lets protocol-level clients read the page number."""
    if not 1 <= page <= pages:  # the welcome and the results show no progress
        return f'<div class="assess-progress-box" data-page="{page}"></div>'
    label = esc(messages.text("quiz.progress", language, page=page, pages=pages))
    return (
        f'<div class="assess-progress-box" data-page="{page}">'
        f'<p class="assess-progress" id="assess-progress" aria-live="polite">{label}</p>'
        # Pages already behind the person: page 1 shows an empty bar, the last one 7 of 8.
        f'<progress class="assess-bar" max="{pages}" value="{page - 1}" '
        f'aria-labelledby="assess-progress"></progress></div>'
    )


class LazyPages(Sequence[QuestionPage]):
    """The question pages, each built the first time it is asked for."""

    def __init__(self, count: int, build: Callable[[int], QuestionPage]) -> None:
        self._count = count
        self._build = build
        self._built: dict[int, QuestionPage] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> QuestionPage: ...
    @overload
    def __getitem__(self, index: slice) -> list[QuestionPage]: ...
    def __getitem__(self, index: int | slice) -> QuestionPage | list[QuestionPage]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        return self.build(index)

    def build(self, index: int) -> QuestionPage:
        """Page `index`, built now if it was not yet."""
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index not in self._built:
            self._built[index] = self._build(index)
        return self._built[index]

    def built(self) -> list[QuestionPage]:
        """The pages built so far, in order (the others hold no answers)."""
        return [self._built[i] for i in sorted(self._built)]
