"""The quiz as one widget: welcome, pages of questions, profile, results.

State lives in traitlets (`language`, `page`); pages are plain components.  Everything the
quiz needs from outside (data, the clock, exports, result codes) is handed in by the
composition root, :func:`assess.app.roots.build_quiz`, so this module does no I/O.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import ipywidgets as widgets
import traitlets

from assess.core.model import LANGUAGES, Answers, Instrument, Item, Result
from assess.datafiles.checker import DataFileError
from assess.datafiles.messages import Messages
from assess.ui.components import (
    FULL_WIDTH,
    ChoiceQuestion,
    QuestionPage,
    SharedStyles,
    button,
    esc,
)
from assess.ui.style import STYLE

if TYPE_CHECKING:
    # Scoring, planning and the results page are imported when a person first reaches the
    # results: a visitor's kernel starts ~30 ms sooner without them (benchmarks/README.md).
    from assess.core.planning import Plan
    from assess.datafiles.catalogue import ActionCatalogue, SupportDirectory
    from assess.datafiles.reference import Reference
    from assess.ui.results import Download

QUESTIONS_PER_PAGE = 5
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


@dataclass(frozen=True, slots=True)
class QuizServices:
    """What the quiz needs from the world, supplied by the composition root."""

    today: Callable[[], datetime.date]
    downloads: Callable[[Answers, Result, Plan, str, datetime.date], Sequence[Download]]
    encode: Callable[[Answers, datetime.date], str]
    decode: Callable[[str], tuple[Answers, datetime.date]]
    save: Callable[[SaveRequest], str] | None = None
    """Stores a result with consent and returns its id; None where saving is not offered."""
    forget: Callable[[str], bool] | None = None
    """Deletes a saved result by id (consent taken back)."""
    soon: Callable[[Callable[[], None]], None] = lambda work: work()
    """Runs work once the message being handled is answered (the kernel's event loop); by
    default at once."""


@dataclass(frozen=True, slots=True)
class ResultsMaterial:
    """The data only the results page reads: the actions a plan is made of, where to get help,
    the national survey to compare with.  Read when a person first reaches the results."""

    catalogue: ActionCatalogue
    support: SupportDirectory
    reference: Reference | None


@dataclass(frozen=True, slots=True)
class SaveRequest:
    """What the person agreed to save: no name, no contact, a random id kept across retries."""

    record_id: str
    answers: Answers
    taken_on: datetime.date
    plan: Plan | None
    cohort: str | None
    consent: bool


class QuizApp(widgets.VBox):  # type: ignore[misc]
    """The whole quiz.  `page` 0 is the welcome, then question pages, the profile, the results."""

    language = traitlets.Enum(LANGUAGES, default_value="ja")
    page = traitlets.Int(0)

    def __init__(
        self,
        *,
        instrument: Instrument,
        messages: Messages,
        results_material: Callable[[], ResultsMaterial],
        services: QuizServices,
        language: str = "ja",
    ) -> None:
        self.instrument = instrument
        self.messages = messages
        self._read_results_material = results_material
        self._results_material: ResultsMaterial | None = None
        self.services = services
        self.taken_on: datetime.date | None = None
        self.result: Result | None = None
        self.plan: Plan | None = None
        self.result_code: str | None = None
        self.cohort: str | None = None
        """A workshop code from the link (``?cohort=``), offered when saving."""
        self.saved_id: str | None = None
        self._record_id: str | None = None
        self._skip_allowed_on: int | None = None

        self._styles = SharedStyles()
        self.title = self._html()
        self.switch = widgets.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
            value=language,
            _dom_classes=("assess-language",),
        )
        self.switch.observe(self._on_switch, names="value")
        self.progress_text = self._html()
        self.notice = self._html(layout=FULL_WIDTH, _dom_classes=("assess-notice",))
        self.back = self._button("", own_layout=True)
        self.next = self._button("", primary=True)
        self.back.on_click(self._on_back)
        self.next.on_click(self._on_next)

        self.welcome_text = self._html(layout=FULL_WIDTH)
        self.start = self._button("", primary=True)
        self.start.on_click(self._on_next)
        self.code_input = widgets.Text(
            layout=widgets.Layout(width="100%", max_width="32em"), _dom_classes=("assess-restore",)
        )
        self.restore = self._button("")
        self.restore.on_click(self._on_restore)
        self.restore_label = self._html()
        self.welcome = widgets.VBox(
            [
                self.welcome_text,
                self.start,
                self.restore_label,
                widgets.HBox([self.code_input, self.restore], layout=FULL_WIDTH),
            ],
            layout=FULL_WIDTH,
        )

        # Question pages are built one ahead of the page shown: building all of them up front
        # sent every visitor ~250 widgets before the welcome could appear (benchmarks/README.md).
        self._answers_held = Answers({})
        """Answers for pages not built yet (restored from a code), handed over when built."""
        self.page_items = _paginate(instrument.items, size=QUESTIONS_PER_PAGE)
        self.question_pages = LazyPages(len(self.page_items), self._build_page)
        self._profile_page: QuestionPage | None = None
        self.profile_intro = self._html()
        self.results = widgets.VBox(layout=FULL_WIDTH)
        self.body = widgets.Box(layout=FULL_WIDTH)
        # Its own Layout: `_draw` hides the nav, and FULL_WIDTH is shared by the whole app.
        self.nav = widgets.HBox(
            [self.back, self.next],
            layout=widgets.Layout(width="100%"),
            _dom_classes=("assess-nav",),
        )
        header = widgets.HBox(
            [self.title, self.switch], layout=FULL_WIDTH, _dom_classes=("assess-header",)
        )
        super().__init__(
            [
                self._html(STYLE),
                header,
                self.progress_text,
                self.body,
                self.notice,
                self.nav,
            ],
            layout=FULL_WIDTH,
            _dom_classes=("assess-app",),
        )
        self.language = language
        self._draw()

    def _html(self, value: str = "", **options: Any) -> widgets.HTML:
        """An HTML widget sharing the quiz's one style model (one message fewer each)."""
        options.setdefault("layout", self._styles.layout)
        return widgets.HTML(value, style=self._styles.html, **options)

    def _button(
        self, description: str, *, primary: bool = False, own_layout: bool = False
    ) -> widgets.Button:
        return button(description, primary=primary, styles=self._styles, own_layout=own_layout)

    # --- derived --------------------------------------------------------------------------

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
    def results_material(self) -> ResultsMaterial:
        """Read on first use, then kept (the results page is drawn again on a language switch)."""
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
        page = QuestionPage(
            [
                ChoiceQuestion.for_profile(
                    q, number=position + 1, language=self.language, styles=self._styles
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

    # --- events ---------------------------------------------------------------------------

    def _on_switch(self, change: dict[str, Any]) -> None:
        if change["new"] in LANGUAGES:
            self.language = change["new"]

    @traitlets.observe("language")
    def _on_language(self, _change: object) -> None:
        if self.switch.value != self.language:
            self.switch.value = self.language
        built = [*self.question_pages.built()]
        if self._profile_page is not None:
            built.append(self._profile_page)
        for page in built:
            page.relabel(self.language)
        self._draw()

    def _on_back(self, _button: object) -> None:
        if self.page > 0:
            self.notice.value = ""
            self.page = self.page - 1 if self.page != self.results_index else self.profile_index

    def _on_next(self, _button: object) -> None:
        # Re-checked here, not trusted from the button's state: messages can be forged.
        if not 0 <= self.page < self.results_index:
            return
        if 1 <= self.page <= self.last_question_page:
            current = self.question_pages[self.page - 1]
            missing = current.unanswered()
            if missing and self._skip_allowed_on != self.page:
                current.flag_unanswered()
                numbers = ", ".join(str(q.number) for q in missing)
                if self._skippable(current):
                    self._skip_allowed_on = self.page
                    self._notify(self.text("quiz.unanswered_skip", numbers=numbers))
                else:
                    self._notify(self.text("quiz.unanswered_required", numbers=numbers))
                return
        self._skip_allowed_on = None
        self.notice.value = ""
        if self.page == self.profile_index:
            self._show_results()
        else:
            self.page += 1

    def _on_restore(self, _button: object) -> None:
        code = str(self.code_input.value or "").strip()
        if not code or len(code) > 500:
            self._notify(self.text("restore.empty"))
            return
        try:
            answers, taken_on = self.services.decode(code)
        except ValueError as error:
            self._notify(self.text("restore.failed", reason=str(error)))
            return
        self._answers_held = answers
        for page in self.question_pages.built():
            page.fill(answers.responses)
        if self._profile_page is not None:
            self._profile_page.fill(answers.profile)
        self.taken_on = taken_on
        self._show_results(taken_on=taken_on)

    @traitlets.observe("page")
    def _on_page(self, change: dict[str, Any]) -> None:
        if not 0 <= change["new"] <= self.results_index:
            self.page = change["old"]
            return
        self._draw()

    # --- rules ----------------------------------------------------------------------------

    def _skippable(self, page: QuestionPage) -> bool:
        """Skipping is allowed while every facet stays within its missing-answer rule,
        counting what is unanswered on this page and the pages before it."""
        seen = {item.id for items in self.page_items[: self.page] for item in items}
        answered = self.answers.responses
        for facet in self.instrument.facets:
            unanswered = [
                i
                for i in self.instrument.items_of(facet.id)
                if i.id in seen and i.id not in answered
            ]
            if len(unanswered) > facet.missing.max_missing:
                return False
        return True

    def _notify(self, text: str) -> None:
        self.notice.value = f'<p role="alert" class="assess-alert">{esc(text)}</p>'

    # --- drawing --------------------------------------------------------------------------

    def _show_results(self, *, taken_on: datetime.date | None = None) -> None:
        from assess.core.planning import PlanError, make_plan
        from assess.core.scoring import AnswerError, score

        answers = self.answers
        try:
            result = score(self.instrument, answers)
        except AnswerError as error:  # only forged values can get here
            self._notify(self.text("quiz.invalid", reason=str(error)))
            return
        try:
            catalogue = self.results_material.catalogue
        except (DataFileError, OSError):  # a broken deployment: the answers stay on the page
            self._notify(self.text("quiz.results_unavailable"))
            return
        self.taken_on = taken_on or self.services.today()
        self.result = result
        try:
            self.plan = make_plan(self.instrument, result, answers, catalogue, today=self.taken_on)
        except PlanError:
            self.plan = None
        if self.page == self.results_index:  # a code restored while the results are shown
            self._draw()
        else:
            self.page = self.results_index  # draws once, through _on_page (not twice)

    def _draw(self) -> None:
        # `lang` tells screen readers (and the page template, which copies it to <html>) how to
        # pronounce the page; it follows the language switch.
        self.title.value = (
            f'<h1 class="assess-title" lang="{self.language}">{esc(self.text("app.title"))}</h1>'
        )
        self.back.description = self.text("nav.back")
        self.next.description = self.text("nav.next")
        self.start.description = self.text("welcome.start")
        self.restore.description = self.text("restore.button")
        self.restore_label.value = (
            f'<p id="assess-restore-label">{esc(self.text("restore.label"))}</p>'
        )
        self.code_input.placeholder = self.text("restore.placeholder")
        self.code_input.description_allow_html = False
        self.profile_intro.value = f"<h2>{esc(self.text('profile.title'))}</h2>" + (
            f"<p>{esc(self.text('profile.intro'))}</p>"
        )
        self.progress_text.value = self._progress(self.page)
        self.nav.layout.display = "none" if self.page in (0, self.results_index) else "flex"
        self.back.layout.display = "none" if self.page == 0 else ""
        if self.page == 0:
            self.welcome_text.value = self._welcome_html()
            self.body.children = [self.welcome]
        elif self.page <= self.last_question_page:
            self.body.children = [self.question_pages[self.page - 1]]
        elif self.page == self.profile_index:
            self.body.children = [widgets.VBox([self.profile_intro, self.profile_page])]
        else:
            self._draw_results()
            self.body.children = [self.results]
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

    def _progress(self, page: int) -> str:
        """Where the person is: text for everyone, and a native <progress> that screen readers
        name by that text.  `data-page` lets protocol-level clients read the page number."""
        pages = self.profile_index
        if not 1 <= page <= pages:  # the welcome and the results show no progress
            return f'<div class="assess-progress-box" data-page="{page}"></div>'
        label = esc(self.text("quiz.progress", page=page, pages=pages))
        return (
            f'<div class="assess-progress-box" data-page="{page}">'
            f'<p class="assess-progress" id="assess-progress" aria-live="polite">{label}</p>'
            # Pages already behind the person: page 1 shows an empty bar, the last one 7 of 8.
            f'<progress class="assess-bar" max="{pages}" value="{page - 1}" '
            f'aria-labelledby="assess-progress"></progress></div>'
        )

    def _welcome_html(self) -> str:
        paragraphs = "".join(
            f"<p>{esc(self.text(key))}</p>"
            for key in ("welcome.what", "welcome.time", "welcome.privacy", "disclaimer")
        )
        return f'<section class="assess-welcome">{paragraphs}</section>'

    def _draw_results(self) -> None:
        from assess.ui.results import (
            disclaimer_html,
            downloads_html,
            facets_html,
            indices_html,
            plan_html,
            support_html,
        )

        if self.result is None or self.taken_on is None:
            return
        support = self.results_material.support
        language = self.language
        answers = self.answers
        result, plan = self.result, self.plan
        parts: list[widgets.Widget] = []
        from assess.core.support import support_for

        urgent = support_for(self.instrument, result, answers, support).level == "prominent"
        help_html = support_html(support, urgent=urgent, messages=self.messages, language=language)
        if urgent:
            parts.append(self._html(help_html, layout=FULL_WIDTH))
        parts.append(self._html(disclaimer_html(self.messages, language), layout=FULL_WIDTH))
        parts.append(
            self._html(
                indices_html(self.instrument, result, self.messages, language), layout=FULL_WIDTH
            )
        )
        parts.append(self._chart(result, language))
        parts.append(
            self._html(
                facets_html(self.instrument, result, answers, self.messages, language),
                layout=FULL_WIDTH,
            )
        )
        parts.extend(self._survey(answers, language))
        if plan is not None:
            parts.append(
                self._html(
                    plan_html(plan, self.instrument, self.messages, language), layout=FULL_WIDTH
                )
            )
            downloads = self.services.downloads(answers, result, plan, language, self.taken_on)
            parts.append(
                self._html(downloads_html(downloads, self.messages, language), layout=FULL_WIDTH)
            )
        else:
            parts.append(self._html(f"<p>{esc(self.text('plan.none'))}</p>"))
        parts.append(self._code_box(answers))
        if self.services.save is not None:
            parts.append(self._save_box())
        if not urgent:
            parts.append(self._html(help_html, layout=FULL_WIDTH))
        again = self._button(self.text("results.edit"))
        again.on_click(lambda _b: setattr(self, "page", self.profile_index))
        parts.append(again)
        self.results.children = parts

    def _chart(self, result: Result, language: str) -> widgets.Widget:
        from IPython.display import display

        from assess.ui.charts import facet_bars_spec, figure_bundle

        output = widgets.Output(layout=FULL_WIDTH)
        output.add_class("assess-chart")
        with output:
            for index in self.instrument.indices:
                figure = facet_bars_spec(
                    self.instrument, result, index_id=index.id, language=language
                )
                # The raw plotly bundle: the same chart, without plotly's renderer machinery
                # (nbformat, jsonschema), which cost each visitor ~1.6 s of kernel CPU.
                display(figure_bundle(figure), raw=True)  # type: ignore[no-untyped-call]
        heading = self._html(f"<h2>{esc(self.text('results.chart'))}</h2>")
        return widgets.VBox([heading, output], layout=FULL_WIDTH)

    def _survey(self, answers: Answers, language: str) -> list[widgets.Widget]:
        reference = self.results_material.reference
        if reference is None:
            return []
        value = answers.responses.get(reference.item)
        if not isinstance(value, int) or value not in reference.categories:
            return []
        from IPython.display import display

        from assess.datafiles.reference import stand_in
        from assess.ui.charts import figure_bundle, survey_bars_spec
        from assess.ui.results import survey_html

        standing = stand_in(reference, value=value)
        item = self.instrument.item(reference.item)
        labels = {o.value: o.label.in_language(language) for o in item.scale.options}
        output = widgets.Output(layout=FULL_WIDTH)
        with output:
            display(  # type: ignore[no-untyped-call]
                figure_bundle(
                    survey_bars_spec(reference, standing, language=language, category_labels=labels)
                ),
                raw=True,
            )
        return [
            self._html(
                survey_html(reference, standing, self.messages, language), layout=FULL_WIDTH
            ),
            output,
        ]

    def _save_box(self) -> widgets.Widget:
        """Saving is the person's explicit choice: unticked by default, re-checked on click."""
        self.consent = widgets.Checkbox(
            value=False, description=self.text("save.consent"), indent=False, layout=FULL_WIDTH
        )
        self.consent.add_class("assess-consent")
        self.cohort_input = widgets.Text(
            value=self.cohort or "",
            placeholder=self.text("save.cohort_placeholder"),
            description=self.text("save.cohort"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="32em"),
        )
        self.save_button = self._button(self.text("save.button"))
        self.save_button.on_click(self._on_save)
        self.forget_button = self._button(self.text("save.forget"), own_layout=True)
        self.forget_button.on_click(self._on_forget)
        self.forget_button.layout.display = "" if self.saved_id else "none"
        self.save_status = self._html(layout=FULL_WIDTH)
        intro = self._html(
            f"<h2>{esc(self.text('save.title'))}</h2><p>{esc(self.text('save.explain'))}</p>"
        )
        return widgets.VBox(
            [
                intro,
                self.consent,
                self.cohort_input,
                widgets.HBox([self.save_button, self.forget_button]),
                self.save_status,
            ],
            layout=FULL_WIDTH,
        )

    def _on_save(self, _button: object) -> None:
        save = self.services.save
        # Re-checked here: a forged click can arrive with the box unticked.
        if save is None or self.result is None or self.taken_on is None:
            return
        if self.consent.value is not True:
            self._say_saved("save.needs_consent", alert=True)
            return
        import uuid

        self._record_id = self._record_id or str(uuid.uuid4())  # the same id on a retry
        request = SaveRequest(
            record_id=self._record_id,
            answers=self.answers,
            taken_on=self.taken_on,
            plan=self.plan,
            cohort=str(self.cohort_input.value or "").strip() or None,
            consent=True,
        )
        try:
            self.saved_id = save(request)
        except ValueError as error:  # a workshop code that could identify someone, etc.
            self._say_saved("save.invalid", alert=True, reason=str(error))
            return
        except OSError as error:  # the store is unreachable: nothing the person holds is lost
            self._say_saved("save.failed", alert=True, reason=str(error))
            return
        self.forget_button.layout.display = ""
        self._say_saved("save.done")

    def _on_forget(self, _button: object) -> None:
        forget = self.services.forget
        if forget is None or self.saved_id is None:
            return
        try:
            forget(self.saved_id)
        except OSError as error:
            self._say_saved("save.failed", alert=True, reason=str(error))
            return
        self.saved_id = None
        self._record_id = None
        self.consent.value = False
        self.forget_button.layout.display = "none"
        self._say_saved("save.forgotten")

    def _say_saved(self, key: str, *, alert: bool = False, **values: object) -> None:
        role = ' role="alert" class="assess-alert"' if alert else ' role="status"'
        self.save_status.value = f"<p{role}>{esc(self.text(key, **values))}</p>"

    def _code_box(self, answers: Answers) -> widgets.Widget:
        assert self.taken_on is not None
        code = self.services.encode(answers, self.taken_on)
        self.result_code = code
        field = widgets.Text(value=code, layout=widgets.Layout(width="100%", max_width="40em"))
        field.add_class("assess-code")
        copy = self._html(
            f'<button class="assess-copy jupyter-button" type="button" '
            f"onclick=\"navigator.clipboard.writeText('{esc(code)}');"
            f"this.textContent='{esc(self.text('code.copied'))}'\">"
            f"{esc(self.text('code.copy'))}</button>"
        )
        intro = self._html(
            f"<h2>{esc(self.text('code.title'))}</h2><p>{esc(self.text('code.explain'))}</p>"
        )
        return widgets.VBox([intro, widgets.HBox([field, copy], layout=FULL_WIDTH)])


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


def _paginate(items: Sequence[Item], *, size: int) -> list[tuple[Item, ...]]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]
