"""The quiz: welcome, pages of questions, profile, results.

State lives in traitlets (`language`, `page`).  The parts are widgets of their own:
:class:`~assess.ui.navigation.Navigation` (Back, Next, progress, notices), the question pages,
and, once a result exists, :class:`~assess.ui.results_page.ResultsPage` with its take-aways,
result code and save box.  A language switch relabels each part in place.  Everything the quiz
needs from outside (data, the clock, take-aways, result codes, saving) is handed in by the
composition root, :func:`assess.app.roots.build_quiz`, so this module does no I/O.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from assess.core.early_answers import EarlyAnswers
from assess.core.messages import Messages
from assess.core.model import Answers, Instrument, Language, Result
from assess.core.problems import ProblemsError
from assess.core.scoring import facets_left_unscored
from assess.render.early_pages import question_pages
from assess.render.style import STYLE
from assess.ui.components import (
    FULL_WIDTH,
    ChoiceQuestion,
    QuestionPage,
    SharedStyles,
    Wording,
    esc,
)
from assess.ui.navigation import LazyPages, Navigation
from assess.ui.save_box import SaveRequest
from assess.ui.services import QuizServices, ResultsMaterial
from assess.ui.welcome import WelcomePage

if TYPE_CHECKING:
    # Planning and the results page are imported when a person first reaches the results: a
    # visitor's kernel starts ~30 ms sooner without them (benchmarks/README.md).
    from assess.core.planning import Plan
    from assess.render.since import Earlier
    from assess.ui.outcome import Outcome
    from assess.ui.results_page import ResultsPage

__all__ = ["QuizApp", "QuizServices", "ResultsMaterial", "SaveRequest"]


class QuizApp(widgets.VBox):  # type: ignore[misc]
    """The whole quiz.  `page` 0 is the welcome, then question pages, the profile, the results."""

    language = traitlets.Unicode()
    """One of the languages the wording offers (``messages.languages``)."""
    page = traitlets.Int(0)

    def __init__(
        self,
        *,
        instrument: Instrument,
        messages: Messages,
        results_material: Callable[[], ResultsMaterial],
        services: QuizServices,
        language: str | None = None,
    ) -> None:
        language = messages.languages.chosen(language)
        self.instrument = instrument
        self.messages = messages
        self._read_results_material = results_material
        self._results_material: ResultsMaterial | None = None
        self.services = services
        self.outcome: Outcome | None = None
        self.results_page: ResultsPage | None = None
        self.cohort: str | None = None
        """A workshop code from the link (``?cohort=``), offered when saving."""
        self.earlier: Earlier | None = None
        """An earlier result to compare with (a code restored or pasted to compare)."""
        self._skip_allowed_on: int | None = None
        self._detour: tuple[int, ...] = ()
        """The pages holding questions the person came back from the results to answer; Next
        goes through them, then back to the results."""

        self._styles = SharedStyles()
        self._wording = Wording(messages, self._styles)
        self.title = self._wording.html()
        self.help_now = self._wording.html()
        self.help_now.add_class("assess-help-now-box")
        self.switch = widgets.ToggleButtons(
            options=[(offered.name, offered.code) for offered in messages.languages.offered],
            value=language,
            _dom_classes=("assess-language",),
        )
        self.switch.observe(self._on_switch, names="value")
        self.nav = Navigation(wording=self._wording, language=language)
        self.nav.back.on_click(self._on_back)
        self.nav.next.on_click(self._on_next)

        self.welcome = WelcomePage(wording=self._wording, language=language)
        self.start = self.welcome.start
        self.start.on_click(self._on_next)
        self.code_input = self.welcome.code_input
        self.restore = self.welcome.restore
        self.restore.on_click(self._on_restore)

        # Question pages are built one ahead of the page shown: building all of them up front
        # sent every visitor ~250 widgets before the welcome could appear (benchmarks/README.md).
        self._answers_held = Answers({})
        """Answers for pages not built yet (restored from a code), handed over when built."""
        self.page_items = question_pages(instrument)
        self.question_pages = LazyPages(len(self.page_items), self._build_page)
        self._profile_page: QuestionPage | None = None
        self.profile_intro = self._wording.html()
        self.body = widgets.Box(layout=FULL_WIDTH)
        header = widgets.HBox(
            [self.title, self.switch], layout=FULL_WIDTH, _dom_classes=("assess-header",)
        )
        super().__init__(
            [
                self._wording.html(STYLE),
                header,
                self.help_now,
                self.nav.progress,
                self.body,
                self.nav,
            ],
            layout=FULL_WIDTH,
            _dom_classes=("assess-app",),
        )
        self.language = language
        self._draw()

    # --- derived --------------------------------------------------------------------------

    @property
    def back(self) -> widgets.Button:
        return self.nav.back

    @property
    def next(self) -> widgets.Button:
        return self.nav.next

    @property
    def notice(self) -> widgets.HTML:
        return self.nav.notice

    @property
    def last_question_page(self) -> int:
        return len(self.page_items)

    @property
    def profile_index(self) -> int:
        return self.last_question_page + 1

    @property
    def results_index(self) -> int:
        return self.last_question_page + 2

    @property
    def result(self) -> Result | None:
        return self.outcome.result if self.outcome else None

    @property
    def plan(self) -> Plan | None:
        return self.outcome.plan if self.outcome else None

    @property
    def result_code(self) -> str | None:
        return self.outcome.code if self.outcome else None

    @property
    def taken_on(self) -> datetime.date | None:
        return self.outcome.taken_on if self.outcome else None

    @property
    def results_material(self) -> ResultsMaterial:
        """Read on first use, then kept."""
        if self._results_material is None:
            self._results_material = self._read_results_material()
        return self._results_material

    @property
    def answers(self) -> Answers:
        responses = dict(self._answers_held.responses)
        profile = dict(self._answers_held.profile)
        for page in self.question_pages.built():
            for question_id in page.ids:
                responses.pop(question_id, None)
            responses.update(page.answers)
        if self._profile_page is not None:
            profile = dict(self._profile_page.answers)
        return Answers(responses, profile)

    @property
    def profile_page(self) -> QuestionPage:
        if self._profile_page is None:
            self._profile_page = self._build_profile()
        return self._profile_page

    def _build_profile(self) -> QuestionPage:
        # Numbered on from the last scored question: the welcome counts them all as one quiz.
        first = len(self.instrument.items) + 1
        page = QuestionPage(
            [
                ChoiceQuestion.for_profile(
                    q, number=first + position, language=self.language, styles=self._styles
                )
                for position, q in enumerate(self.instrument.profile)
            ]
        )
        page.fill(self._answers_held.profile)
        return page

    def _build_page(self, index: int) -> QuestionPage:
        first = sum(len(items) for items in self.page_items[:index]) + 1
        page = QuestionPage(
            [
                ChoiceQuestion.for_item(
                    item, number=first + offset, language=self.language, styles=self._styles
                )
                for offset, item in enumerate(self.page_items[index])
            ]
        )
        page.fill(self._answers_held.responses)
        return page

    def text(self, key: str, **values: object) -> str:
        return self.messages.text(key, self.language, **values)

    @property
    def writing(self) -> Language:
        """How the language shown writes lists, names and sentences side by side."""
        return self.messages.languages[self.language]

    # --- events ---------------------------------------------------------------------------

    def _on_switch(self, change: dict[str, Any]) -> None:
        if change["new"] in self.messages.languages:
            self.language = change["new"]

    @traitlets.validate("language")
    def _offered(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in self.messages.languages:
            raise traitlets.TraitError(
                f"language must be one of {self.messages.languages.codes}, "
                f"not {proposal['value']!r}"
            )
        return str(proposal["value"])

    @traitlets.observe("language")
    def _on_language(self, _change: object) -> None:
        if self.switch.value != self.language:
            self.switch.value = self.language
        built = [*self.question_pages.built()]
        if self._profile_page is not None:
            built.append(self._profile_page)
        for page in built:
            page.relabel(self.language)
        self.nav.relabel(self.language)
        self.welcome.relabel(self.language)
        self._draw()

    def _on_back(self, _button: object) -> None:
        if self.page > 0:
            self.nav.clear()
            self.page = self.page - 1 if self.page != self.results_index else self.profile_index

    def _on_next(self, _button: object) -> None:
        # Re-checked here, not trusted from the button's state: messages can be forged.
        if not 0 <= self.page < self.results_index:
            return
        if 1 <= self.page <= self.last_question_page:
            current = self.question_pages[self.page - 1]
            missing = current.unanswered()
            if missing and self._skip_allowed_on != self.page:
                # Any question may be skipped (the welcome promises it): the first Next points
                # the open ones out and says what skipping them costs; the second moves on.
                current.flag_unanswered()
                self._skip_allowed_on = self.page
                self.nav.say(self._skip_notice(current))
                return
        self._skip_allowed_on = None
        self.nav.clear()
        later = [page for page in self._detour if page > self.page]
        if self._detour and 1 <= self.page <= self.last_question_page and not later:
            self._prepare_results()
        elif later:
            self._go_to_question_page(later[0])
            self._say_detour()
        elif self.page == self.profile_index:
            self._prepare_results()
        else:
            self.page += 1

    def answer_missing(self, facet_id: str) -> None:
        """Go to the page holding the first unanswered question of a facet left unscored; Next
        then goes through its other pages and back to the results."""
        if self.outcome is None or facet_id not in {f.id for f in self.instrument.facets}:
            return
        missing = set(self.outcome.result.facet(facet_id).missing_items)
        pages = sorted(
            number
            for number, items in enumerate(self.page_items, start=1)
            if missing & {item.id for item in items}
        )
        if not pages:
            return
        self._detour = tuple(pages)
        self._go_to_question_page(pages[0])
        self._say_detour()

    def _say_detour(self) -> None:
        """On each page of the detour, where Next leads: on to the pages still holding open
        questions, or, from the last of them, back to the results."""
        more = any(page > self.page for page in self._detour)
        self.nav.say_quietly(self.text("quiz.detour_more" if more else "quiz.detour"))

    def _go_to_question_page(self, number: int) -> None:
        self.page = number
        self.question_pages[number - 1].flag_unanswered()

    def _read_code(
        self, typed: object, say: Callable[[str], None]
    ) -> tuple[Answers, datetime.date, int, int] | None:
        """A result code's answers, day, and what an earlier bank lost (dropped, unasked); or
        None, with what went wrong said through `say`."""
        code = str(typed or "").strip()
        if not code or len(code) > 500:
            say(self.text("restore.empty"))
            return None
        try:
            answers, taken_on = self.services.decode(code)
            dropped, unasked = self.services.code_changes(code)
        except ValueError as error:
            # A code of a bank this release never had is not mistyped: copying again won't help.
            unknown = getattr(error, "problem", None) == "version"
            key = "restore.unknown_layout" if unknown else "restore.failed"
            say(self.text(key, reason=str(error)))
            return None
        return answers, taken_on, dropped, unasked

    def _read_saved(
        self, typed: str, say: Callable[[str], None]
    ) -> tuple[Answers, datetime.date] | None:
        """An earlier result from a progress key (where results are saved) or a result code."""
        open_saved = self.services.open_saved
        if open_saved is not None and _reads_as_progress_key(typed):
            from assess.store.outcomes import StoreProblem

            try:
                return open_saved(typed.strip())
            except LookupError:
                say(self.text("since.unknown_key"))
            except StoreProblem as problem:
                say(self.text(problem.message_key))
            return None
        read = self._read_code(typed, say)
        return None if read is None else read[:2]

    def compare_with(self, typed: str) -> None:
        """Set an earlier result code beside the result shown: the change since then."""
        page = self.results_page
        if self.outcome is None or page is None:
            return
        read = self._read_saved(typed, page.compare.say)
        if read is None:
            return
        answers, taken_on = read
        if taken_on >= self.outcome.taken_on:
            page.compare.say(self.text("since.not_earlier"))
            return
        earlier = self._earlier_of(answers, taken_on, page.compare.say)
        if earlier is not None:
            self.earlier = earlier
            page.show_earlier(earlier)
            page.compare.say("")

    def _earlier_of(
        self, answers: Answers, taken_on: datetime.date, say: Callable[[str], None]
    ) -> Earlier | None:
        from assess.core.scoring import AnswerError
        from assess.ui.results_page import make_earlier

        try:
            return make_earlier(self.instrument, answers, self.results_material, taken_on=taken_on)
        except AnswerError as error:  # only forged values can get here
            say(self.text("quiz.invalid", reason=str(error)))
        except (ProblemsError, OSError):
            say(self.text("quiz.results_unavailable"))
        return None

    def hold(self, answers: Answers) -> None:
        """Replace every answer with `answers` (a code restored, a hand-over): the pages built so
        far show them now, the others when they are built."""
        self._answers_held = answers
        for page in self.question_pages.built():
            page.fill(answers.responses)
        if self._profile_page is not None:
            self._profile_page.fill(answers.profile)

    def take_early(self, early: EarlyAnswers) -> None:
        """Carry on from the question pages answered before Python was ready (the first page's,
        :mod:`assess.render.early_pages`): their answers and language, on the page the person
        turned to, or on to the results when they asked for them there."""
        if early.language is not None:
            self.language = early.language
        self.hold(early.answers)
        self._skip_allowed_on = None
        self.nav.clear()
        if early.finish:
            self._prepare_results()
        else:
            self.page = early.page

    def _on_restore(self, _button: object) -> None:
        read = self._read_code(self.code_input.value, self.nav.say)
        if read is None:
            return
        answers, taken_on, dropped, unasked = read
        shown = self.outcome if self.page == self.results_index else None
        if shown is not None and taken_on < shown.taken_on:
            # With a result shown, a code of an earlier day is last time's: compared, not shown.
            self.compare_with(str(self.code_input.value))
            return
        # Kept as last time: changing the answers and finishing today compares with it.
        self.earlier = self._earlier_of(answers, taken_on, self.nav.say) or self.earlier
        self.hold(answers)
        self._prepare_results(taken_on=taken_on)
        if (dropped or unasked) and self.page == self.results_index:
            self.nav.say_quietly(self._earlier_bank_notice(dropped, unasked))

    def _earlier_bank_notice(self, dropped: int, unasked: int) -> str:
        """What a restored code of an earlier question bank lost, and what it never had."""
        parts = [self.text("restore.earlier")]
        if dropped:
            parts.append(self.text("restore.dropped", count=dropped))
        if unasked:
            parts.append(self.text("restore.unasked", count=unasked))
        return self.writing.between_sentences.join(parts)

    @traitlets.observe("page")
    def _on_page(self, change: dict[str, Any]) -> None:
        if not 0 <= change["new"] <= self.results_index:
            self.page = change["old"]
            return
        if change["new"] == self.results_index and self.results_page is None:
            self.page = change["old"]  # nothing to show yet (a forged page number)
            return
        self._draw()

    # --- rules ----------------------------------------------------------------------------

    def _skip_notice(self, page: QuestionPage) -> str:
        """Which questions are open and, when skipping them leaves a facet with too few answers
        to be scored (the scorer's own rule), which facets."""
        open_ids = {q.question_id for q in page.unanswered()}
        numbers = self.writing.listed(q.number for q in page.unanswered())
        asked = {item.id for items in self.page_items[: self.page] for item in items}
        lost = [
            facet.label.in_language(self.language)
            for facet in facets_left_unscored(self.instrument, self.answers, asked=asked)
            if open_ids & {item.id for item in self.instrument.items_of(facet.id)}
        ]
        notice = self.text("quiz.unanswered_skip", numbers=numbers)
        if lost:
            notice += self.writing.between_sentences + self.text(
                "quiz.skip_costs", facets=self.writing.quoted(lost)
            )
        return notice

    # --- results --------------------------------------------------------------------------

    def _prepare_results(self, *, taken_on: datetime.date | None = None) -> None:
        """Say that the results are being prepared, then prepare them: the notice leaves the
        kernel as soon as it is set, while the work goes on (a few seconds when many visitors
        share the server, and a page that does not change reads as a broken button)."""
        self.nav.say_quietly(self.text("quiz.preparing"))
        self._show_results(taken_on=taken_on)

    def _show_results(self, *, taken_on: datetime.date | None = None) -> None:
        """Score, plan and encode the answers once, and build the results page for them."""
        from assess.core.scoring import AnswerError
        from assess.ui.results_page import ResultsPage, make_outcome

        self._detour = ()
        answers = self.answers
        day = taken_on or self.services.today()
        if self.outcome is not None and (self.outcome.answers, self.outcome.taken_on) == (
            answers,
            day,
        ):
            self.nav.clear()
            self.page = self.results_index  # the same result: the same page, as the person left it
            return
        try:
            material = self.results_material
        # A broken deployment (a data file with problems, or none): the answers stay on the page.
        except (ProblemsError, OSError):
            self.nav.say(self.text("quiz.results_unavailable"))
            return
        try:
            self.outcome = make_outcome(
                self.instrument,
                answers,
                material,
                taken_on=day,
                encode=self.services.encode,
                now=self.services.now() if self.services.now is not None else None,
            )
        except AnswerError as error:  # only forged values can get here
            self.nav.say(self.text("quiz.invalid", reason=str(error)))
            return
        self.results_page = ResultsPage(
            self.outcome,
            instrument=self.instrument,
            wording=self._wording,
            material=material,
            download=self.services.download,
            save=self.services.save,
            forget=self.services.forget,
            cohort=self.cohort,
            on_edit=lambda: setattr(self, "page", self.profile_index),
            on_answer_missing=self.answer_missing,
            language=self.language,
            earlier=self.earlier if self.earlier and self.earlier.taken_on < day else None,
            on_compare=self.compare_with,
            compare_keys=self.services.open_saved is not None,
        )
        self.nav.clear()
        if self.page == self.results_index:  # a code restored while the results are shown
            self._draw()
        else:
            self.page = self.results_index  # draws once, through _on_page (not twice)

    # --- drawing --------------------------------------------------------------------------

    def _draw(self) -> None:
        # `lang` tells screen readers (and the page template, which copies it to <html>) how to
        # pronounce the page; it follows the language switch.
        lang = self.writing.html_lang
        self.title.value = (
            f'<h1 class="assess-title" lang="{lang}">{esc(self.text("app.title"))}</h1>'
        )
        # Help is one tap away on every page, questions included.
        if self.services.help_now is not None:
            help_now = self.services.help_now(self.language)
            if self.help_now.value != help_now:
                self.help_now.value = help_now
        self.nav.show(
            self.page,
            pages=self.profile_index,
            buttons=self.page not in (0, self.results_index),
        )
        if self.page == 0:
            self.body.children = [self.welcome]
        elif self.page <= self.last_question_page:
            self.body.children = [self.question_pages[self.page - 1]]
        elif self.page == self.profile_index:
            self.profile_intro.value = f"<h2>{esc(self.text('profile.title'))}</h2>" + (
                f"<p>{esc(self.text('profile.intro'))}</p>"
            )
            self.body.children = [widgets.VBox([self.profile_intro, self.profile_page])]
        elif self.results_page is not None:
            self.results_page.relabel(self.language)
            self.body.children = [self.results_page]
        # After the kernel has answered the click: the person sees this page without waiting
        # for the next one to be built (30 kernels at once on 2 cores made that wait long).
        self.services.soon(self._build_ahead)

    def _build_ahead(self) -> None:
        """Build the page after the one shown, once the shown one has gone out: its widgets
        travel while the person reads, so Next (and Start) only swap what is shown."""
        upcoming = self.page + 1
        if 1 <= upcoming <= self.last_question_page:
            self.question_pages.build(upcoming - 1)
        elif upcoming == self.profile_index and self._profile_page is None:
            self._profile_page = self._build_profile()


def _reads_as_progress_key(typed: str) -> bool:
    # Imported only where results are saved (the store is not part of the browser's build).
    from assess.store.records import is_progress_key

    return len(typed) <= 100 and is_progress_key(typed)
