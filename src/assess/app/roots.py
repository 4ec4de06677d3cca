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
import logging
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from assess.core.model import LANGUAGES, Answers, Instrument
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.messages import Messages, default_messages
from assess.hosting import voila_page
from assess.ui.quiz import QuizApp, QuizServices, ResultsMaterial, SaveRequest

if TYPE_CHECKING:
    from assess.ui.progress import ProgressView  # brings pandas and plotly: imported when built
    from assess.ui.results import Download
    from assess.ui.results_page import Outcome


def language_from_query(query_string: str, *, default: str = "ja") -> str:
    """The language a page asked for with ``?lang=``; anything unknown falls back to Japanese.

    >>> language_from_query("lang=en&x=1"), language_from_query("lang=fr"), language_from_query("")
    ('en', 'ja', 'ja')
    """
    requested = parse_qs(query_string).get("lang", [default])[0]
    return requested if requested in LANGUAGES else default


def build_quiz(
    *,
    query_string: str | None = None,
    today: datetime.date | None = None,
) -> QuizApp:
    """Build the quiz with the shipped data.  `today` fixes the date (tests); by default, the
    date at the moment results are shown."""
    if voila_page.served_by_voila():
        voila_page.keep_errors_off_the_page()
    # A preheated kernel (`assess serve --preheat`) builds the quiz before its visitor arrives,
    # then takes the visitor's ?lang= once Voilà hands the kernel over (see the end).
    waiting = query_string is None and voila_page.preheated()
    if query_string is None and not waiting:
        query_string = voila_page.query_string()
    instrument = load_instrument(default_instrument_path())
    messages = default_messages()
    browser = in_the_browser()
    if browser:
        messages = Messages(
            {**messages.texts, "welcome.privacy": messages.get("welcome.privacy_in_browser")}
        )
    services = QuizServices(
        today=(lambda: today) if today is not None else datetime.date.today,
        download=partial(_download, instrument, messages),
        encode=partial(_encode, instrument),
        decode=partial(_decode, instrument),
        # In the browser no server can keep a result: the save box is not offered.
        save=None if browser else partial(_save, instrument),
        forget=None if browser else _forget,
        soon=_soon,
    )
    app = QuizApp(
        instrument=instrument,
        messages=messages,
        results_material=_results_material,
        services=services,
        language=language_from_query(query_string or ""),
    )
    if waiting:
        voila_page.when_visitor_arrives(partial(_welcome_visitor, app))
    else:
        _welcome_visitor(app, query_string or "")
    return app


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
    app.language = language_from_query(query_string)


def build_progress(
    *, store_url: str | None = None, query_string: str | None = None
) -> ProgressView:
    """The personal-progress view with the shipped data, the results store and result codes.

    The progress notebook is two lines::

        from assess.app.roots import build_progress
        build_progress()
    """
    from assess.core.result_code import decode_result
    from assess.datafiles.catalogue import default_actions
    from assess.store.results import ResultStore, in_store
    from assess.ui.progress import PastResult, ProgressView

    instrument = load_instrument(default_instrument_path())
    catalogue = default_actions()
    if query_string is None:
        query_string = voila_page.query_string()

    def read_code(code: str) -> PastResult:
        answers, taken_on = decode_result(instrument, code)
        return PastResult(taken_on, answers)

    def saved(store: ResultStore) -> list[PastResult]:
        return [
            PastResult(r.taken_on, r.answers, r.id, tuple((s.action_id, s.done) for s in r.steps))
            for r in store.results()
            if r.instrument_id == instrument.id and r.instrument_version == instrument.version
        ]

    def mark_done(record_id: str, action_id: str, done: bool) -> None:
        in_store(lambda store: store.set_step_done(record_id, action_id, done), url=store_url)

    def action_title(action_id: str, language: str) -> str:
        try:
            return catalogue.action(action_id).title.in_language(language)
        except KeyError:
            return action_id

    return ProgressView(
        instrument=instrument,
        messages=default_messages(),
        load_saved=lambda: in_store(saved, url=store_url),
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


def _save(instrument: Instrument, request: SaveRequest) -> str:
    """Store a result the person chose to save; an unreachable store raises OSError."""
    from assess.store.results import ResultRecord, StepState, in_store

    steps = [step.action.id for step in request.plan.steps] if request.plan else []
    record = ResultRecord(
        id=request.record_id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        taken_on=request.taken_on,
        answers=request.answers,
        cohort=request.cohort,
        steps=tuple(StepState(step) for step in dict.fromkeys(steps)),
    )
    return in_store(lambda store: store.save(record, consent=request.consent))


def _forget(record_id: str) -> bool:
    """Delete a saved result: the person took back their consent."""
    from assess.store.results import in_store

    return in_store(lambda store: store.delete(record_id))


def _encode(instrument: Instrument, answers: Answers, taken_on: datetime.date) -> str:
    from assess.core.result_code import encode_result

    return encode_result(instrument, answers, taken_on)


def _decode(instrument: Instrument, code: str) -> tuple[Answers, datetime.date]:
    from assess.core.result_code import decode_result

    return decode_result(instrument, code)


def _download(
    instrument: Instrument, messages: Messages, kind: str, outcome: Outcome, language: str
) -> Download:
    """One take-away, made in the kernel when the person asks for it and handed to the page as a
    data: link, so that it works under Voilà and Binder where no server file can be read.  The
    same renderers as ``assess plan``, with the same result code."""
    from assess.render.takeaways import plan_html, plan_ics, plan_json, plan_markdown
    from assess.ui.results import Download

    plan = outcome.plan
    if plan is None:  # no plan, no take-aways offered
        raise ValueError("there is no plan to take away")
    stamp = outcome.taken_on.isoformat()
    content: str | bytes
    if kind == "markdown":
        filename, media_type = f"assess-plan-{stamp}.md", "text/markdown"
        content = plan_markdown(
            instrument,
            outcome.result,
            plan,
            language=language,
            messages=messages,
            result_code=outcome.code,
        )
    elif kind == "html":
        filename, media_type = f"assess-plan-{stamp}.html", "text/html"
        content = plan_html(
            instrument,
            outcome.result,
            plan,
            language=language,
            messages=messages,
            result_code=outcome.code,
        )
    elif kind == "calendar":
        filename, media_type = f"assess-plan-{stamp}.ics", "text/calendar"
        content = plan_ics(plan, language=language, messages=messages)
    elif kind == "json":
        filename, media_type = f"assess-result-{stamp}.json", "application/json"
        content = plan_json(
            instrument,
            outcome.answers,
            outcome.result,
            plan,
            taken_on=outcome.taken_on,
            result_code=outcome.code,
            disclaimer=messages.get("disclaimer"),
        )
    else:
        raise ValueError(f"no take-away of kind {kind!r}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    label = messages.text("downloads.save", language, file=filename)
    return Download(label, filename, media_type, data)
