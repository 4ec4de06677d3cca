"""Continuing the quiz after its kernel went away (idle for too long, or the server restarted).

The answers live in the kernel; a kernel that is gone takes them along.  So the page holds
them too: at every page turn and after every answer this widget publishes a *resume code* (the
result code of the answers so far, :mod:`assess.core.result_code`, and the page number) in a
hidden element, which the page's script keeps in the tab's ``sessionStorage``.  A lost kernel
(culled, crashed) thus costs no answer, not even one of the page shown; the price is a code and a
small message per answer (≈ 0.5 ms of CPU each, ≈ 40 per visitor).  When the page finds its
kernel gone, it says so and offers to continue; after the reload, the script hands the code to
the new kernel through a hidden field, and :meth:`Resume.take` restores the answers and opens
the page the person was on.  Nothing of it is sent to the server except to that new kernel, and
it is the same code a person may already copy from the results.

The field is checked like any visitor input (the code's checksum, the page's range); a wrong
one is ignored: the person simply starts again.

*Keeping the answers on this device* is the same code in the browser's ``localStorage``, which
outlives the tab: a reload or a reopened tab continues.  It is the person's choice, off unless
they tick the welcome page's box (:class:`KeepOnDevice`); the published element says whether it
is on (``data-keep``), and the page's script (``keep_on_device.html.j2``) stores the code only
then and removes it as soon as it is off.  A reopened page hands the stored code back prefixed
with :data:`KEPT`, which also ticks the box again; a stored code that is not one (damaged,
edited, of another questionnaire) is dropped without a word and the person starts afresh, the
box still ticked.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from assess.core.early_answers import PREFIX as EARLY
from assess.core.early_answers import read_early_answers
from assess.core.model import Answers
from assess.ui.components import FULL_WIDTH, HIDDEN, Labels, Say, Wording, esc
from assess.ui.past import MAX_KEPT, PastResults

OUT_CLASS = "assess-resume-out"
IN_CLASS = "assess-resume-in"
KEEP_CLASS = "assess-keep"
KEPT = "kept:"
"""Prefix of a code the page kept on this device: taking it ticks the keep box again."""
PAST = "~"
"""After a kept code: the past result codes kept on this device, comma-separated."""
MAX_FIELD = 600  # a code is well under 200 characters; anything longer is not one
MAX_PAST_FIELD = MAX_KEPT * 501
_FIELD = re.compile(r"^([A-Za-z0-9_-]{8,500})\|(\d{1,3})$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{8,500}$")


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
        self.out = widgets.HTML(layout=HIDDEN, _dom_classes=(OUT_CLASS,))
        self.field = widgets.Text(layout=HIDDEN, continuous_update=True, _dom_classes=(IN_CLASS,))
        super().__init__([self.out, self.field], layout=HIDDEN)
        self.app, self._encode, self._decode, self._today = app, encode, decode, today
        self._watched: set[int] = set()
        self._quiet = False
        self.keep = KeepOnDevice(wording=app._wording, language=app.language)
        self.keep.box.observe(self._on_keep, "value")
        self.past = PastResults(
            wording=app._wording,
            language=app.language,
            on_compare=app.compare_with,
            on_change=self.publish,
        )
        app.observe(self._on_language, "language")
        self.field.observe(self._on_field, "value")
        app.observe(self._on_page, "page")
        self._on_page(None)

    def _on_language(self, _change: object) -> None:
        self.keep.relabel(str(self.app.language))
        self.past.relabel(str(self.app.language))

    def _on_keep(self, change: dict[str, Any]) -> None:
        if change["new"] is not True:  # forgetting the answers forgets the kept results too
            self.past.set(())
        self.publish()

    def _on_results(self) -> None:
        """With a result shown: keep it (when keeping is on), list the others under it, and
        compare with the newest one of an earlier day unless an earlier one is already set."""
        app = self.app
        page, outcome = getattr(app, "results_page", None), getattr(app, "outcome", None)
        if page is None or outcome is None or app.page != app.results_index:
            return
        if self.keep.box.value is True:
            self.past.set((*self.past.entries, (outcome.taken_on, outcome.code)))
        self.past.shown_except = outcome.code
        self.past.set(self.past.entries)
        if self.past not in page.children:
            children = list(page.children)
            at = children.index(page.compare) + 1 if page.compare in children else len(children)
            page.children = (*children[:at], self.past, *children[at:])
        if page.outcome.earlier is None:
            before = [entry for entry in self.past.entries if entry[0] < outcome.taken_on]
            if before:
                app.compare_with(max(before)[1])

    def _on_page(self, _change: object) -> None:
        for page in self.app.question_pages.built():
            if id(page) not in self._watched:
                self._watched.add(id(page))
                page.observe(self._on_answer, "answers")
        profile = getattr(self.app, "_profile_page", None)
        if profile is not None and id(profile) not in self._watched:
            self._watched.add(id(profile))
            profile.observe(self._on_answer, "answers")
        self._on_results()
        self.publish()

    def _on_answer(self, _change: object) -> None:
        self.publish()

    def publish(self, _change: object = None) -> None:
        """The code of the answers so far, for the page to keep."""
        if self._quiet:
            return
        answers = self.app.answers
        keep = "1" if self.keep.box.value is True else "0"
        # The codes are letters, digits, '-' and '_' (checked when taken): safe in an attribute.
        past = ",".join(code for _day, code in self.past.entries)
        kept = f'data-keep="{keep}"' + (f' data-past="{html.escape(past)}"' if past else "")
        if not answers.responses and not answers.profile:
            self.out.value = f"<span {kept}></span>"
            return
        code = self._encode(answers, self._today())
        page = int(self.app.page)
        self.out.value = f'<span data-code="{html.escape(code)}" data-page="{page}" {kept}></span>'

    def _take_past(self, listed: str) -> None:
        """The past result codes the page kept: each checked, the broken ones dropped."""
        entries = []
        for code in listed.split(",")[:MAX_KEPT] if len(listed) <= MAX_PAST_FIELD else ():
            if not _CODE.match(code):
                continue
            try:
                _answers, taken_on = self._decode(code)
            except ValueError:
                continue
            entries.append((taken_on, code))
        self.past.set(entries)

    def _on_field(self, change: dict[str, Any]) -> None:
        self.take(str(change["new"] or ""))

    def take(self, text: str) -> bool:
        """Restore the answers and the page of a resume code; False (and no answer changed) for
        anything that is not one.  A code the page kept on this device (:data:`KEPT`) ticks the
        keep box whatever follows, so that a damaged one is overwritten by the next answer.
        The first page's hand-over of answers given before Python was ready (:data:`EARLY`)
        goes to the quiz."""
        if text.startswith(EARLY):
            return self._take_early(text[len(EARLY) :])
        if text.startswith(KEPT):
            text, _, listed = text[len(KEPT) :].partition(PAST)
            self._take_past(listed)
            self._tick_keep()
            self.field.value = ""
            if not text:
                self.publish()
                return False
        found = _FIELD.match(text.strip()) if len(text) <= MAX_FIELD else None
        if found is None:
            self.publish()
            return False
        try:
            answers, _taken_on = self._decode(found.group(1))
        except ValueError:
            self.publish()
            return False
        page = min(int(found.group(2)), int(self.app.last_question_page) + 1)
        self.app.hold(answers)
        if 0 < page <= int(self.app.last_question_page) + 1:
            self.app.page = page
        self.field.value = ""
        self.publish()
        return True

    def _tick_keep(self) -> None:
        """The keep box ticked, as the page asked, without a publish of its own: the caller
        publishes once, with the answers it takes."""
        self._quiet = True
        try:
            self.keep.box.value = True
        finally:
            self._quiet = False

    def _take_early(self, text: str) -> bool:
        app = self.app
        early = read_early_answers(
            text,
            app.instrument,
            pages=int(app.profile_index),
            languages=app.messages.languages.codes,
        )
        self.field.value = ""
        if early is None:
            self.publish()
            return False
        if early.keep:
            self._tick_keep()
        app.take_early(early)
        self.publish()
        return True


class KeepOnDevice(widgets.VBox):  # type: ignore[misc]
    """The welcome page's choice to keep the answers on this device, and the way to forget them.

    Off until the person ticks it.  "Forget" unticks it, which is what makes the page's script
    remove the stored code, and says that it is gone."""

    def __init__(self, *, wording: Wording, language: str) -> None:
        self._forgotten = False
        self.labels = labels = Labels(wording, language)
        self.box = labels.tick_box("keep.label", classes=(KEEP_CLASS,))
        self.note = labels.html(
            lambda say: f'<p class="assess-muted">{esc(say("keep.note"))}</p>', layout=FULL_WIDTH
        )
        self.forget = labels.button("keep.forget", own_layout=True, classes=("assess-keep-forget",))
        self.forget.layout.display = "none"
        self.status = labels.html(self._status, layout=FULL_WIDTH, classes=("assess-keep-status",))
        self.forget.on_click(self._on_forget)
        self.box.observe(self._on_box, "value")
        super().__init__(
            [self.box, self.note, self.forget, self.status],
            layout=FULL_WIDTH,
            _dom_classes=("assess-keep-box",),
        )

    def _on_box(self, change: dict[str, Any]) -> None:
        on = change["new"] is True
        self.forget.layout.display = "" if on else "none"
        if on:
            self._forgotten = False
            self.status.value = ""

    def _on_forget(self, _button: object) -> None:
        # Re-checked here: a forged click with the box unticked forgets nothing new.
        if self.box.value is not True:
            return
        self.box.value = False
        self._forgotten = True
        self.status.value = self.labels.text(self._status)

    def relabel(self, language: str) -> None:
        self.labels.relabel(language)

    def _status(self, say: Say) -> str:
        return f'<p role="status">{esc(say("keep.forgotten"))}</p>' if self._forgotten else ""


def attach_resume(
    app: Any,
    *,
    encode: Callable[[Answers, datetime.date], str],
    decode: Callable[[str], tuple[Answers, datetime.date]],
    today: Callable[[], datetime.date],
) -> Resume:
    """Add the hidden resume widgets at the end of the quiz's children, and the choice to keep
    the answers on this device to its welcome page, before Start."""
    resume = Resume(app, encode=encode, decode=decode, today=today)
    app.children = (*app.children, resume)
    welcome = getattr(app, "welcome", None)
    if welcome is not None:
        children = list(welcome.children)
        at = children.index(app.start) if getattr(app, "start", None) in children else len(children)
        welcome.children = (*children[:at], resume.keep, *children[at:])
    return resume
