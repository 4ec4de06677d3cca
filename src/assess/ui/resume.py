"""Continuing the quiz after its kernel went away (idle for too long, or the server restarted).

The answers live in the kernel; a kernel that is gone takes them along.  So the page holds
them too: after every answer and every page this widget publishes a *resume code* (the result
code of the answers so far, :mod:`assess.core.result_code`, and the page number) in a hidden
element, which the page's script keeps in the tab's ``sessionStorage``.  When the page finds its
kernel gone, it says so and offers to continue; after the reload, the script hands the code to
the new kernel through a hidden field, and :meth:`Resume.take` restores the answers and opens
the page the person was on.  Nothing of it is sent to the server except to that new kernel, and
it is the same code a person may already copy from the results.

The field is checked like any visitor input (the code's checksum, the page's range); a wrong
one is ignored: the person simply starts again.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from assess.core.model import Answers

OUT_CLASS = "assess-resume-out"
IN_CLASS = "assess-resume-in"
MAX_FIELD = 600  # a code is well under 200 characters; anything longer is not one
_FIELD = re.compile(r"^([A-Za-z0-9_-]{8,500})\|(\d{1,3})$")


class Resume(widgets.VBox):  # type: ignore[misc]
    """The hidden pair of widgets, attached to a QuizApp (see :func:`attach_resume`)."""

    def __init__(
        self,
        app: Any,
        *,
        encode: Callable[[Answers, datetime.date], str],
        decode: Callable[[str], tuple[Answers, datetime.date]],
        today: Callable[[], datetime.date],
    ) -> None:
        hidden = widgets.Layout(display="none")
        self.out = widgets.HTML(layout=hidden, _dom_classes=(OUT_CLASS,))
        self.field = widgets.Text(layout=hidden, continuous_update=True, _dom_classes=(IN_CLASS,))
        super().__init__([self.out, self.field], layout=widgets.Layout(display="none"))
        self.app, self._encode, self._decode, self._today = app, encode, decode, today
        self._watched: set[int] = set()
        self.field.observe(self._on_field, "value")
        app.observe(self._on_page, "page")
        self._on_page(None)

    def _on_page(self, _change: object) -> None:
        for page in self.app.question_pages.built():
            if id(page) not in self._watched:
                self._watched.add(id(page))
                page.observe(self.publish, "answers")
        profile = getattr(self.app, "_profile_page", None)
        if profile is not None and id(profile) not in self._watched:
            self._watched.add(id(profile))
            profile.observe(self.publish, "answers")
        self.publish()

    def publish(self, _change: object = None) -> None:
        """The code of the answers so far, for the page to keep."""
        answers = self.app.answers
        if not answers.responses and not answers.profile:
            self.out.value = ""
            return
        code = self._encode(answers, self._today())
        page = int(self.app.page)
        self.out.value = f'<span data-code="{html.escape(code)}" data-page="{page}"></span>'

    def _on_field(self, change: dict[str, Any]) -> None:
        self.take(str(change["new"] or ""))

    def take(self, text: str) -> bool:
        """Restore the answers and the page of a resume code; False (and nothing changed) for
        anything that is not one."""
        found = _FIELD.match(text.strip()) if len(text) <= MAX_FIELD else None
        if found is None:
            return False
        try:
            answers, _taken_on = self._decode(found.group(1))
        except ValueError:
            return False
        page = min(int(found.group(2)), int(self.app.last_question_page) + 1)
        # The quiz keeps restored answers for pages it has not built yet (its restore field
        # does the same); the built ones are filled now.
        self.app._answers_held = answers
        for built in self.app.question_pages.built():
            built.fill(answers.responses)
        profile = getattr(self.app, "_profile_page", None)
        if profile is not None:
            profile.fill(answers.profile)
        if 0 < page <= int(self.app.last_question_page) + 1:
            self.app.page = page
        self.field.value = ""
        self.publish()
        return True


def attach_resume(
    app: Any,
    *,
    encode: Callable[[Answers, datetime.date], str],
    decode: Callable[[str], tuple[Answers, datetime.date]],
    today: Callable[[], datetime.date],
) -> Resume:
    """Add the hidden resume widgets at the end of the quiz's children."""
    resume = Resume(app, encode=encode, decode=decode, today=today)
    app.children = (*app.children, resume)
    return resume
