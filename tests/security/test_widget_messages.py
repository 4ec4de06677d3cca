"""Widget messages are the visitor's to forge.  Whatever a crafted message carries (a value out
of range, a type the widget does not hold, a click on a button that is hidden, garbage), the
quiz refuses it, keeps its own state, shows no traceback, and still works to the end: the
visitor who then answers normally gets the same result code as one who never forged anything.

The checks read what the kernel says back (the page number of the progress bar, the notice, the
wording of buttons), not the forged widget's own state: ipywidgets echoes a message's values
before it validates them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hosted import Hosted
from voila_client import Model, QuizVisit

pytestmark = pytest.mark.server

TIMEOUT = 60.0
TRACEBACK_SIGNS = ("Traceback", 'File "/', "TraitError", "Error:")


def _run(hosted: Hosted, forge: Callable[[QuizVisit], Awaitable[None]]) -> QuizVisit:
    """Open the quiz, forge, then take the quiz to its result; return the visit."""

    async def scenario() -> QuizVisit:
        visit = QuizVisit(hosted.url, timeout=TIMEOUT)
        await visit.open()
        try:
            await forge(visit)
            if visit.progress() == 0:
                await visit.start()
            await visit.finish()
            await visit.session.request("kernel_info_request", {}, timeout=TIMEOUT)
        finally:
            await visit.leave()
        return visit

    return asyncio.run(scenario())


def _no_traceback_reached_the_page(visit: QuizVisit) -> None:
    for message in visit.session.messages:
        msg_type = message.get("header", {}).get("msg_type")
        assert msg_type != "error"
        if msg_type == "stream":
            text = str(message.get("content", {}).get("text", ""))
            assert not any(sign in text for sign in TRACEBACK_SIGNS), text[:500]


@pytest.fixture(scope="module")
def clean_code(hosted: Hosted) -> str:
    """The result code of a visitor who forges nothing (same answers, same day)."""

    async def nothing(_visit: QuizVisit) -> None:
        return None

    code = _run(hosted, nothing).result_code()
    assert code
    return code


async def _update(visit: QuizVisit, model: Model, state: dict[str, Any]) -> None:
    await visit.session.update(model.model_id, state, timeout=TIMEOUT)


async def _raw(visit: QuizVisit, comm_id: str, data: Any) -> None:
    await visit.session.comm_msg(comm_id, data, timeout=TIMEOUT)


def test_radio_answers_out_of_range_are_refused(hosted: Hosted, clean_code: str) -> None:
    """Index 99, -1, "2", 1.5, [1], and a longer list of labels: no answer is recorded."""
    seen: dict[str, Any] = {}

    async def forge(visit: QuizVisit) -> None:
        await visit.start()
        question = visit.questions()[0]
        labels = list(question.state["_options_labels"])
        for state in (
            {"index": 99},
            {"index": -1},
            {"index": "2"},
            {"index": 1.5},
            {"index": [1]},
            {"index": {"a": 1}},
            {"_options_labels": [*labels, "injected"], "index": len(labels)},
        ):
            await _update(visit, question, state)
        # Had any of them counted, this question would be answered; Next must say it is not.
        for other in visit.questions()[1:]:
            await _update(visit, other, {"index": 0})
        await visit.click("nav.next")
        seen["page"] = visit.progress()
        seen["notice"] = visit.notice()
        await visit.answer_page()

    visit = _run(hosted, forge)
    assert seen["page"] == 1
    assert seen["notice"]  # "question 1 is unanswered"
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_the_language_switch_takes_only_its_two_languages(hosted: Hosted, clean_code: str) -> None:
    """Index 5, value "fr", an added "Français" label: the quiz stays in Japanese."""
    seen: dict[str, Any] = {}

    async def forge(visit: QuizVisit) -> None:
        switch = visit.shown("assess-language")[0]
        labels = list(switch.state["_options_labels"])
        for state in (
            {"index": 5},
            {"index": -1},
            {"value": "fr"},
            {"label": "Français"},
            {"_options_labels": [*labels, "Français"], "index": len(labels)},
            {"index": "en"},
        ):
            await _update(visit, switch, state)
        seen["start"] = visit.button("welcome.start").state["description"]

    visit = _run(hosted, forge)
    assert seen["start"] == visit.text("welcome.start")  # still the Japanese wording
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_the_apps_page_and_children_cannot_be_set_from_the_page(
    hosted: Hosted, clean_code: str
) -> None:
    """`page` is not synced (ignored); malformed `children` are refused."""
    seen: dict[str, Any] = {}

    async def forge(visit: QuizVisit) -> None:
        app = visit.session.models[visit.root]
        for state in (
            {"page": 99},
            {"page": 8},
            {"page": -1},
            {"children": ["IPY_MODEL_0000000000000000000000000000dead"]},
            {"children": "not a list"},
            {"layout": "IPY_MODEL_nope"},
        ):
            await _update(visit, app, state)
        await visit.session.reload_states(timeout=TIMEOUT)  # the echo showed the forged values
        seen["page"] = visit.progress()
        seen["start"] = bool(visit.button("welcome.start"))

    visit = _run(hosted, forge)
    assert seen == {"page": 0, "start": True}
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_clicks_on_hidden_buttons_change_nothing(hosted: Hosted, clean_code: str) -> None:
    """Back on the welcome page, Next on the results: both hidden, both re-checked."""
    seen: dict[str, Any] = {}

    async def forge(visit: QuizVisit) -> None:
        back = visit.session.find(
            visit.root, lambda m: m.state.get("description") == visit.text("nav.back")
        )[0]
        assert not visit.session.displayed(back) or visit.progress() == 0
        for _ in range(3):
            await visit.session.click(back.model_id, timeout=TIMEOUT)
        seen["after back"] = visit.progress()
        await visit.start()
        await visit.finish()
        code = visit.result_code()
        next_button = visit.session.find(
            visit.root, lambda m: m.state.get("description") == visit.text("nav.next")
        )[0]
        for _ in range(3):
            await visit.session.click(next_button.model_id, timeout=TIMEOUT)
        seen["code stays"] = visit.result_code() == code

    visit = _run(hosted, forge)
    assert seen == {"after back": 0, "code stays": True}
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_a_forged_result_code_field_is_checked(hosted: Hosted, clean_code: str) -> None:
    """60 000 characters (just under the websocket's message limit; more closes the websocket,
    see test_attacks.py), a forged code and control characters in the restore field: a notice
    each."""
    notices: list[str] = []

    async def forge(visit: QuizVisit) -> None:
        field = visit.shown("assess-restore")[0]
        for value in ("A" * 60_000, "AUQRtu8mCdkEtV6somI3IAxY5nRYyvxLMX", "\x00<script>"):
            await _update(visit, field, {"value": value})
            await visit.click("restore.button")
            notices.append(visit.notice())
            assert visit.progress() == 0
        await _update(visit, field, {"value": ""})

    visit = _run(hosted, forge)
    assert all(notices) and "<script>" not in "".join(notices)
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_malformed_messages_are_dropped_and_the_session_goes_on(
    hosted: Hosted, clean_code: str
) -> None:
    """Unknown methods, missing or wrong-typed state, unknown comms, other events, a widget
    opened from the page: none of them breaks the quiz or shows a traceback."""

    async def forge(visit: QuizVisit) -> None:
        start = visit.button("welcome.start")
        for data in (
            {"method": "nonsense"},
            {"method": "update"},
            {"method": "update", "state": "x"},
            {"method": "update", "state": {"description": 12}, "buffer_paths": "x"},
            {"method": "custom", "content": {"event": "focus"}},
            {"method": "custom", "content": "click"},
            {"method": "request_state"},
            "not an object",
            None,
        ):
            await _raw(visit, start.model_id, data)
        await _raw(visit, "0" * 32, {"method": "custom", "content": {"event": "click"}})
        opened = await visit.session.send(
            "comm_open",
            {
                "comm_id": "f" * 32,
                "target_name": "jupyter.widget",
                "data": {"state": {"_model_name": "NoSuchModel"}, "buffer_paths": []},
            },
            metadata={"version": "2.1.0"},
        )
        await visit.session.settled(opened, timeout=TIMEOUT)
        unknown = await visit.session.send(
            "comm_open", {"comm_id": "e" * 32, "target_name": "no.such.target", "data": {}}
        )
        await visit.session.settled(unknown, timeout=TIMEOUT)

    visit = _run(hosted, forge)
    assert visit.result_code() == clean_code
    _no_traceback_reached_the_page(visit)


def test_forged_values_do_not_reach_the_server_log(hosted: Hosted) -> None:
    """The kernel logs a refused message's exception type, never the value that caused it."""
    marker = "forged-value-7f3a9c"

    async def forge(visit: QuizVisit) -> None:
        await visit.start()
        question = visit.questions()[0]
        await _update(visit, question, {"index": marker})
        switch = visit.shown("assess-language")[0]
        await _update(visit, switch, {"index": marker})

    _run(hosted, forge)
    log = hosted.log_text()
    assert marker not in log
    assert "TraitError in a message from the page (refused; details withheld)" in log
