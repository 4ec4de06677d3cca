"""The composition root: reads the data files, wires core, edges and UI into the pages.

The quiz notebook is two lines::

    from assess.app.roots import build_quiz
    build_quiz()

and :func:`build_progress` does the same for the personal-progress view.  Voilà hands the
page's query string to the kernel as ``QUERY_STRING``; ``?lang=en`` opens the page in English.
A preheated kernel gets it later, from its visitor's request (:mod:`assess.hosting.voila_page`).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import importlib.util
import logging
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from assess.core.model import Answers, Instrument, Languages
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.languages import default_languages
from assess.datafiles.messages import Messages, default_messages
from assess.hosting import voila_page
from assess.render.first_page import for_engine
from assess.ui.quiz import QuizApp, QuizServices, ResultsMaterial, SaveRequest
from assess.ui.resume import attach_resume

_store_log = logging.getLogger("assess.store")

if TYPE_CHECKING:
    from assess.core.result_code import CodeLayout
    from assess.core.support import SupportDirectory
    from assess.store.outcomes import SaveOutcome, StoreProblem
    from assess.store.records import ResultRecord
    from assess.ui.outcome import Outcome
    from assess.ui.progress import ProgressView  # brings pandas and plotly: imported when built
    from assess.ui.results import Download


def language_from_query(query_string: str, *, languages: Languages | None = None) -> str:
    """The language a page asked for with ``?lang=``, any the build offers (by default the
    shipped list, ``data/i18n/languages.yaml``); anything else falls back to its default.

    >>> language_from_query("lang=en&x=1"), language_from_query("lang=fr"), language_from_query("")
    ('en', 'ja', 'ja')
    """
    offered = default_languages() if languages is None else languages
    return offered.chosen(parse_qs(query_string).get("lang", [""])[0])


def _installed(module: str) -> bool:
    """Whether `module` can be imported here (the store's extra), without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # an import hook that refuses it says "not here" this way
        return False


def build_quiz(
    *,
    query_string: str | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuizApp:
    """Build the quiz with the shipped data.  `today` fixes the date and `now` the clock the
    help lines' opening hours are read against (tests); by default, the date and time at the
    moment results are shown."""
    if voila_page.served_by_voila():
        voila_page.keep_errors_off_the_page()
    _no_echo()
    # A preheated kernel (`assess serve --preheat`) builds the quiz before its visitor arrives,
    # then takes the visitor's ?lang= once Voilà hands the kernel over (see the end).
    waiting = query_string is None and voila_page.preheated()
    if query_string is None and not waiting:
        query_string = voila_page.query_string()
    instrument = load_instrument(default_instrument_path())
    messages = default_messages()
    browser = in_the_browser()
    if browser:
        messages = for_engine(messages, "static")
    keeper = ResultKeeper(instrument)
    saving = not browser and _installed("sqlalchemy")
    services = QuizServices(
        today=(lambda: today) if today is not None else datetime.date.today,
        download=partial(_download, instrument, messages),
        # The same few lines on every page: made once per language, not at every page turn.
        help_now=functools.cache(partial(_help_now, messages)),
        encode=partial(_encode, instrument),
        decode=partial(_decode, instrument),
        code_changes=partial(_code_changes, instrument),
        # In the browser no server can keep a result, and without the `store` extra nothing
        # can: the save box is not offered.
        save=keeper.save if saving else None,
        forget=keeper.withdraw if saving else None,
        open_saved=partial(_open_saved, instrument) if saving else None,
        soon=_soon,
        now=(lambda: now) if now is not None else lambda: datetime.datetime.now(datetime.UTC),
    )
    app = QuizApp(
        instrument=instrument,
        messages=messages,
        results_material=_results_material,
        services=services,
        language=language_from_query(query_string or "", languages=messages.languages),
    )
    keeper.language = lambda: app.language
    # The page keeps a resume code of the answers so far, to continue after a lost kernel.
    attach_resume(app, encode=services.encode, decode=services.decode, today=services.today)
    if waiting:
        voila_page.when_visitor_arrives(partial(_welcome_visitor, app))
    else:
        _welcome_visitor(app, query_string or "")
    return app


def _no_echo() -> None:
    """Stop ipywidgets from sending every value the page sets straight back to the page.

    The echo keeps several front ends of one kernel in step.  The quiz's kernel has one page
    (Voilà and the static site start a kernel per visitor), which ignores an echo it did not
    ask for; each answer and click still cost the kernel a message back, ≈ 40 a visit."""
    from ipywidgets.widgets import widget

    widget.JUPYTER_WIDGETS_ECHO = False


def in_the_browser(platform: str | None = None) -> bool:
    """Whether the quiz runs in the visitor's own browser (the static site's Pyodide kernel,
    ``make site``), where nothing is sent to or kept by a server.

    >>> in_the_browser("emscripten"), in_the_browser("linux")
    (True, False)
    """
    return (sys.platform if platform is None else platform) == "emscripten"


def _results_material() -> ResultsMaterial:
    """The shipped actions, support services and survey, read when the results are first shown:
    on the way to the first question they cost each visitor's kernel ~30 ms of CPU."""
    from assess.datafiles.catalogue import default_actions, default_support
    from assess.datafiles.reference import default_reference

    try:
        return ResultsMaterial(
            catalogue=default_actions(), support=default_support(), reference=default_reference()
        )
    except (DataFileError, OSError):
        # The visitor is told, without details; the operator reads which file and entry.
        logging.getLogger("assess").exception(
            "the results' data files could not be read; `assess validate` on them names the "
            "file, the entry and the fix"
        )
        raise


def _welcome_visitor(app: QuizApp, query_string: str) -> None:
    """What the visitor's link asks for: the language, and a workshop code to offer."""
    app.cohort = cohort_from_query(query_string)
    app.language = language_from_query(query_string, languages=app.messages.languages)


def build_progress(
    *, store_url: str | None = None, query_string: str | None = None
) -> ProgressView:
    """The personal-progress view with the shipped data, the results store and result codes.

    The progress notebook is two lines::

        from assess.app.roots import build_progress
        build_progress()

    It lists nobody's results: a person brings their own, as result codes (read here, nothing
    stored) or as the progress key they were given when they saved, which opens that one saved
    result and lets them tick its plan's steps.  Nothing else reaches the store from this page.
    """
    from assess.core.result_code import decode_result
    from assess.datafiles.catalogue import default_actions
    from assess.store.errors import StoreError, UnknownResultError
    from assess.store.outcomes import StoreProblem
    from assess.store.results import in_store
    from assess.ui.progress import PastResult, ProgressView

    instrument = load_instrument(default_instrument_path())
    catalogue = default_actions()
    if query_string is None:
        query_string = voila_page.query_string()

    def read_code(code: str) -> PastResult:
        answers, taken_on = decode_result(instrument, code, layouts=_layouts())
        return PastResult(taken_on, answers)

    def open_key(key: str) -> PastResult:
        record = _opened_with(instrument, key, store_url=store_url)
        steps = tuple((s.action_id, s.done) for s in record.steps)
        return PastResult(record.taken_on, record.answers, key, steps)

    def mark_done(key: str, action_id: str, done: bool) -> None:
        try:
            in_store(lambda store: store.tick(key, action_id, done), url=store_url)
        except UnknownResultError:
            raise LookupError("no such step of that saved result") from None
        except StoreError as error:
            _store_log.warning("progress: ticking a step failed: %s", error)
            raise StoreProblem("progress.tick_failed") from None

    def action_title(action_id: str, language: str) -> str:
        try:
            return catalogue.action(action_id).title.in_language(language)
        except KeyError:
            return action_id

    return ProgressView(
        instrument=instrument,
        messages=default_messages(),
        open_key=open_key,
        read_code=read_code,
        mark_done=mark_done,
        action_title=action_title,
        language=language_from_query(query_string),
    )


def _soon(work: Callable[[], None]) -> None:
    """Run `work` on the kernel's event loop after the message being handled (at once where no
    loop runs, e.g. in a plain script)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        work()
    else:
        loop.call_soon(work)


def cohort_from_query(query_string: str) -> str | None:
    """A workshop code carried in the link (``?cohort=ws-tokyo``), offered when saving.

    >>> cohort_from_query("lang=en&cohort=WS-Tokyo"), cohort_from_query("")
    ('WS-Tokyo', None)
    """
    return parse_qs(query_string).get("cohort", [None])[0]


def _opened_with(instrument: Instrument, key: str, *, store_url: str | None) -> ResultRecord:
    """The saved result a progress key opens.  LookupError for a key that opens none (or one
    of another questionnaire); StoreProblem, in the page's words, for a store that fails."""
    from assess.store.errors import StoreError, UnknownResultError
    from assess.store.outcomes import StoreProblem
    from assess.store.results import in_store

    try:
        record = in_store(lambda store: store.opened_with(key), url=store_url)
    except UnknownResultError:
        raise LookupError("no saved result has that progress key") from None
    except StoreError as error:
        _store_log.warning("progress: opening a saved result failed: %s", error)
        raise StoreProblem("progress.store_unavailable") from None
    if (record.instrument_id, record.instrument_version) != (instrument.id, instrument.version):
        raise LookupError("that result is of another questionnaire")
    return record


def _open_saved(instrument: Instrument, key: str) -> tuple[Answers, datetime.date]:
    """A saved result's answers and day, for the quiz to compare with (since last time)."""
    record = _opened_with(instrument, key, store_url=None)
    return record.answers, record.taken_on


class ResultKeeper:
    """The save box's way to the results store, one per page (one visitor).

    It turns every answer of the store into a :class:`~assess.store.outcomes.SaveOutcome`: a
    message key in the page's words, never the database's details (those go to the server's log,
    without answers).  One page stores one result: the first save picks its id and progress key,
    and every later save from the page (a retry, a changed workshop code, answers edited after
    "Edit answers", which builds a new results page and a new save box) replaces that result
    under the same id and key, so that a workshop's figures count the person once.  Withdrawing
    deletes what this page stored, and nothing else.
    """

    def __init__(self, instrument: Instrument, *, url: str | None = None) -> None:
        self.instrument = instrument
        self.url = url
        self.language: Callable[[], str] = lambda: "ja"
        """The page's language, for the messages of the widget's older save box."""
        self._id: str | None = None
        """The id of this page's result, from its first save that reached the store (a save
        that failed may still have been written), until the result is withdrawn."""
        self._key: str | None = None
        self._saved: ResultRecord | None = None
        """The result as this page last stored it (to tell a changed save from a retry)."""

    def save(self, request: SaveRequest) -> SaveOutcome:
        """Store the result the person chose to save; a later save from the page replaces it."""
        from assess.store.errors import ConsentRequired, StoreBusy, StoreError
        from assess.store.outcomes import SaveOutcome
        from assess.store.records import ResultRecord, new_progress_key
        from assess.store.results import in_store

        if request.consent is not True:
            return SaveOutcome("save.needs_consent", done=False)
        steps = [step.action.id for step in request.plan.steps] if request.plan else []
        before = self._saved
        try:
            record = ResultRecord.of(
                self.instrument,
                request.answers,
                request.taken_on,
                steps=steps,
                cohort=request.cohort,
                # The page's one result: a save box made after "Edit answers" brings a new id.
                id=self._id or request.record_id,
            )
        except ValueError:  # a workshop code that could carry a name or an address
            return SaveOutcome("save.invalid_cohort", done=False)
        self._id = record.id
        key = self._key = self._key or new_progress_key()
        try:
            in_store(lambda store: store.save(record, consent=True, key=key), url=self.url)
        except ConsentRequired:
            return SaveOutcome("save.needs_consent", done=False)
        except StoreBusy as error:
            _store_log.warning("saving a result failed: %s", error)
            return SaveOutcome("save.busy", done=False)
        except StoreError as error:
            _store_log.warning("saving a result failed: %s", error)
            return SaveOutcome("save.unavailable", done=False)
        self._saved = record
        updated = before is not None and before != record
        return SaveOutcome(
            "save.updated" if updated else "save.done",
            done=True,
            record_id=record.id,
            progress_key=key,
        )

    def withdraw(self, record_id: str) -> SaveOutcome:
        """Delete the result this page saved: the person took back their consent.  Only this
        page's result, whatever id the request names; the outcome says how many were deleted."""
        from assess.store.errors import StoreBusy, StoreError
        from assess.store.outcomes import SaveOutcome
        from assess.store.results import in_store

        page_id = self._id
        if page_id is None:  # nothing stored from this page (a forged or repeated click)
            return SaveOutcome("save.forgotten_none", done=True)
        try:
            deleted = in_store(lambda store: store.delete(page_id), url=self.url)
        except StoreBusy as error:
            _store_log.warning("withdrawing a result failed: %s", error)
            return SaveOutcome("save.withdraw_busy", done=False, record_id=page_id)
        except StoreError as error:
            _store_log.warning("withdrawing a result failed: %s", error)
            return SaveOutcome("save.withdraw_failed", done=False, record_id=page_id)
        self._id = self._saved = self._key = None
        # Deleted already (another machine's clean-up, a second tab): say so, not "deleted".
        return SaveOutcome("save.forgotten" if deleted else "save.forgotten_none", done=True)


def _save(keeper: ResultKeeper, messages: Messages, request: SaveRequest) -> str:
    """The save as the quiz's :class:`QuizServices` asks for it: the saved id, ValueError for a
    workshop code refused, or :class:`~assess.store.outcomes.StoreProblem`; their text is the
    outcome's message in the page's language."""
    outcome = keeper.save(request)
    if outcome.done and outcome.record_id is not None:
        return outcome.record_id
    if outcome.message_key == "save.invalid_cohort":  # the person's input, not the store
        raise ValueError(messages.text(outcome.message_key, keeper.language()))
    raise _problem(keeper, messages, outcome.message_key)


def _forget(keeper: ResultKeeper, messages: Messages, record_id: str) -> bool:
    """Withdraw as :class:`QuizServices` asks for it: True, or a
    :class:`~assess.store.outcomes.StoreProblem` saying it could not be withdrawn."""
    outcome = keeper.withdraw(record_id)
    if outcome.done:
        return True
    raise _problem(keeper, messages, outcome.message_key)


def _problem(keeper: ResultKeeper, messages: Messages, key: str) -> StoreProblem:
    from assess.store.outcomes import StoreProblem

    # The text in the page's language, for a widget that shows an error's text.
    return StoreProblem(key, messages.text(key, keeper.language()))


def _encode(instrument: Instrument, answers: Answers, taken_on: datetime.date) -> str:
    from assess.core.result_code import encode_result

    return encode_result(instrument, answers, taken_on)


def _decode(instrument: Instrument, code: str) -> tuple[Answers, datetime.date]:
    from assess.core.result_code import decode_result

    return decode_result(instrument, code, layouts=_layouts())


def _code_changes(instrument: Instrument, code: str) -> tuple[int, int]:
    """How many answers a code of an earlier bank left out, and how many of today's questions
    it did not have (both 0 for a code of today's bank)."""
    from assess.core.result_code import read_result

    read = read_result(instrument, code, layouts=_layouts())
    return len(read.dropped), len(read.unasked)


@functools.cache
def _layouts() -> tuple[CodeLayout, ...]:
    """The layouts the shipped bank's codes were made with, read once per kernel."""
    from assess.datafiles.layouts import default_layouts

    return default_layouts()


def _help_now(messages: Messages, language: str) -> str:
    """The small "help now" link of every page: the quiet list, folded."""
    from assess.render.help import help_now_html

    return help_now_html(_support_directory(), messages, language)


@functools.cache
def _support_directory() -> SupportDirectory:
    """The shipped support directory, read once per kernel (the same file for every page); not
    through the action catalogue, which only the results need."""
    from assess.datafiles.support import default_support

    return default_support()


def _download(
    instrument: Instrument, messages: Messages, kind: str, outcome: Outcome, language: str
) -> Download:
    """One take-away, made in the kernel when the person asks for it and handed to the page as a
    data: link, so that it works under Voilà and Binder where no server file can be read.  The
    same file as ``assess plan`` writes (:func:`assess.render.files.takeaway_file`)."""
    from assess.render.files import takeaway_file
    from assess.ui.results import Download

    plan = outcome.plan
    if plan is None:  # no plan, no take-aways offered
        raise ValueError("there is no plan to take away")
    file = takeaway_file(
        kind,
        instrument=instrument,
        answers=outcome.answers,
        result=outcome.result,
        plan=plan,
        taken_on=outcome.taken_on,
        language=language,
        messages=messages,
        result_code=outcome.code,
        support=outcome.support,  # the help lines, graded once, as on the results page
        earlier=outcome.earlier,
    )
    label = messages.text("downloads.save", language, file=file.filename)
    return Download(label, file.filename, file.media_type, file.data)
