"""Take-aways: the plan as Markdown, a standalone HTML page, calendar entries and JSON, each parsed
back by a real parser; texts from data never pass through as markup."""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import string
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples
from icalendar import Calendar
from markdown_it import MarkdownIt
from markdown_it.token import Token

from assess import default_instrument, score
from assess.app.cli import main
from assess.core.model import Action, ActionCatalogue, Answers, Instrument, Result, Text
from assess.core.planning import Plan, make_plan
from assess.core.result_code import encode_result
from assess.core.support import Support
from assess.datafiles.messages import Messages, default_messages
from assess.render.calendar import PRODID, _event, _ics_fold
from assess.render.takeaways import (
    PLAN_FORMAT,
    escape_markdown,
    format_date,
    plan_document,
    plan_html,
    plan_ics,
    plan_json,
    plan_markdown,
)

MADE_ON = datetime.date(2026, 11, 26)
INJECTED = "<script>alert('x')</script>"
AREAS = ("urban", "suburban", "rural")
LANGUAGES = pytest.mark.parametrize("language", ["ja", "en"])


def catalogue_for(facets: Sequence[str], marker: str = "") -> ActionCatalogue:
    """A today step, a week step and a month goal for every facet, written by hand."""
    actions = []
    for facet in facets:
        for horizon, minutes in (("today", 10), ("week", 25), ("month", 60)):
            actions.append(
                Action(
                    id=f"{facet}_{horizon}",
                    facets=(facet,),
                    mode="either",
                    minutes=minutes,
                    horizon=horizon,  # type: ignore[arg-type]
                    fields=("any",),
                    areas=AREAS,
                    title=Text(f"{facet}の一歩 {marker}", f"A {facet} step {marker}"),
                    steps=(
                        Text(f"手順1 {marker}", f"First do this {marker}"),
                        Text(
                            "1. 次に *これ* と _これ_",
                            "1. Then this, with *stars* and _underscores_",
                        ),
                    ),
                    why=Text(f"理由 {marker}", f"Because it helps {marker}"),
                )
            )
    return ActionCatalogue("hand-built", "1", tuple(actions))


def injected(instrument: Instrument) -> Instrument:
    """The instrument with markup in every question text and facet label."""
    items = tuple(
        dataclasses.replace(
            item,
            text=Text(f"{INJECTED} {item.text.ja} & <b>", f"{INJECTED} {item.text.en} & <b>"),
        )
        for item in instrument.items
    )
    facets = tuple(
        dataclasses.replace(facet, label=Text(f"{facet.label.ja} <i>", f"# {facet.label.en} <i>"))
        for facet in instrument.facets
    )
    return dataclasses.replace(instrument, items=items, facets=facets)


@dataclasses.dataclass(frozen=True)
class Case:
    instrument: Instrument
    answers: Answers
    result: Result
    plan: Plan


@pytest.fixture(scope="module")
def case(small_instrument: Instrument) -> Case:
    """The small instrument, injected with markup, answered so that every facet needs attention."""
    instrument = injected(small_instrument)
    answers = Answers(
        {"a1": 5, "a2": 1, "a3": 5, "u1": 5, "u2": 1, "t1": 3, "t2": 3, "t3": 2},
        {"mode": "online"},
    )
    result = score(instrument, answers)
    catalogue = catalogue_for([f.id for f in instrument.facets], marker=INJECTED)
    plan = make_plan(instrument, result, answers, catalogue, today=MADE_ON)
    return Case(instrument, answers, result, plan)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return default_messages()


def shipped_catalogue_stand_in() -> ActionCatalogue:
    return catalogue_for([facet.id for facet in default_instrument().facets])


# --- Markdown -------------------------------------------------------------------------------------


def _plain(token: Token) -> str:
    """What a reader sees of an inline token: its text, escapes and entities resolved."""
    return "".join(
        " " if child.type == "softbreak" else child.content for child in token.children or []
    )


@LANGUAGES
def test_the_markdown_has_a_heading_for_the_plan_the_indices_and_each_horizon(
    case: Case, messages: Messages, language: str
) -> None:
    """A real CommonMark parser finds the app's title, the sections and one heading per step."""
    text = plan_markdown(
        case.instrument, case.result, case.plan, language=language, messages=messages
    )
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [
        (token.tag, _plain(tokens[number + 1]))
        for number, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    say = lambda key: messages.text(key, language)  # noqa: E731
    assert headings[0] == ("h1", say("app.title"))
    h2 = [content for tag, content in headings if tag == "h2"]
    assert h2 == [say("results.indices"), say("results.facets"), say("plan.title")]
    h3 = [content for tag, content in headings if tag == "h3"]
    index_labels = [
        case.instrument.index(s.index_id).label.in_language(language) for s in case.result.indices
    ]
    horizons = [say("plan.today"), say("plan.week"), say("plan.month")]
    assert h3 == index_labels + index_labels + horizons
    h4 = [content for tag, content in headings if tag == "h4"]
    assert h4 == [step.action.title.in_language(language) for step in case.plan.steps]


@LANGUAGES
def test_the_markdown_lets_no_raw_html_from_question_or_action_texts_through(
    case: Case, messages: Messages, language: str
) -> None:
    """Markup in an item or action text is shown as text: no HTML token, no <script> rendered."""
    text = plan_markdown(
        case.instrument, case.result, case.plan, language=language, messages=messages
    )
    parser = MarkdownIt("commonmark")  # raw HTML enabled, so any that slipped through would show
    tokens = parser.parse(text)
    kinds = {token.type for token in tokens} | {
        child.type for token in tokens for child in token.children or []
    }
    assert "html_block" not in kinds
    assert "html_inline" not in kinds
    rendered = parser.render(text)
    assert "<script" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "<b>" not in rendered
    assert "<i>" not in rendered


@LANGUAGES
def test_the_markdown_gives_disclaimer_steps_reasons_and_check_in(
    case: Case, messages: Messages, language: str
) -> None:
    """Each step's minutes, numbered steps and reason with its driving questions, and the date."""
    text = plan_markdown(
        case.instrument, case.result, case.plan, language=language, messages=messages
    )
    tokens = MarkdownIt("commonmark").parse(text)
    inline = " ".join(_plain(token) for token in tokens if token.type == "inline")
    assert messages.text("disclaimer", language) in inline
    assert any(token.type == "blockquote_open" for token in tokens)
    ordered = [token for token in tokens if token.type == "ordered_list_open"]
    assert len(ordered) == len(case.plan.steps)
    for step in case.plan.steps:
        assert messages.text("plan.minutes", language, minutes=step.action.minutes) in inline
        for driver in step.reason.drivers:
            assert case.instrument.item(driver).text.in_language(language) in inline
        assert f"{round(step.reason.percent or 0)}/100" in inline.replace("（", "(").replace(
            "）", ")"
        )
        # Step texts, even one that starts like a list item, stay text in their own list item.
        for step_text in step.steps:
            assert step_text.in_language(language) in inline
    check_in = format_date(case.plan.check_in, language, messages)
    assert messages.text("plan.check_in", language, date=check_in) in inline


def test_the_markdown_and_html_show_the_result_code_when_given(
    case: Case, messages: Messages
) -> None:
    """The code is there to copy; something that is not a code is refused."""
    code = encode_result(case.instrument, case.answers, MADE_ON)
    inputs = (case.instrument, case.result, case.plan)
    markdown = plan_markdown(*inputs, language="en", messages=messages, result_code=code)
    assert f"`{code}`" in markdown
    page = plan_html(*inputs, language="en", messages=messages, result_code=code)
    assert f"<code>{code}</code>" in page
    with pytest.raises(ValueError, match="result code"):
        plan_markdown(*inputs, language="en", messages=messages, result_code="`<x>`")


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "3) nor this",
        "- nor this",
        "+ nor this",
        "=== nor this",
        "> not a quote",
        "    not code",
        "<b>bold?</b> & <!-- comment -->",
        "*not* _emphasis_ **at all**",
        "[not](a link) ![nor](an image)",
        "`not code` | not a table | ~~nor struck~~",
        "back\\slash\\",
        "&amp; stays &amp;",
        "line\nbreaks\r\nbecome spaces",
    ],
)
def test_escaped_text_renders_as_exactly_that_text(text: str) -> None:
    """Markdown control characters at a line start or inside a line lose their meaning."""
    tokens = MarkdownIt("commonmark").parse(escape_markdown(text))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert {child.type for child in children} == {"text"}
    expected = " ".join(part.strip() for part in text.replace("\r", "").split("\n")).strip()
    assert "".join(child.content for child in children) == expected


PRINTABLE = st.sampled_from(
    list(string.ascii_letters + string.digits + string.punctuation + " ") + list("あ漢「」・、。　")
)


@given(st.text(PRINTABLE, min_size=1, max_size=40).filter(lambda t: t == t.strip()))
def test_any_one_line_text_renders_back_unchanged_after_escaping(text: str) -> None:
    """Whatever punctuation a data text holds, a CommonMark parser shows it as plain text."""
    tokens = MarkdownIt("commonmark").parse(escape_markdown(text))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert {child.type for child in children} <= {"text"}
    assert "".join(child.content for child in children) == text


# --- HTML -----------------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


@LANGUAGES
def test_the_html_page_is_standalone_html5_in_the_right_language(
    case: Case, messages: Messages, language: str
) -> None:
    """Doctype, lang, charset and viewport; no script, image, font or link to anywhere."""
    page = plan_html(case.instrument, case.result, case.plan, language=language, messages=messages)
    parsed = _parsed(page)
    assert page.startswith("<!doctype html>\n")
    assert parsed.doctype is not None and parsed.doctype.lower() == "doctype html"
    tags = [tag for tag, _ in parsed.tags]
    assert tags[0] == "html"
    assert parsed.tags[0][1]["lang"] == language
    metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert any(m.get("name") == "viewport" for m in metas)
    for forbidden in ("script", "img", "link", "iframe", "object", "embed", "base", "form"):
        assert forbidden not in tags
    for _, attrs in parsed.tags:
        assert not {"src", "href", "srcset", "action"} & set(attrs)
        assert not any(name.startswith("on") for name in attrs)
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "url(" not in lowered and "@import" not in lowered


@LANGUAGES
def test_the_html_page_shows_injected_markup_as_text(
    case: Case, messages: Messages, language: str
) -> None:
    """Question and action texts with <script> appear as text, escaped, never as elements."""
    page = plan_html(case.instrument, case.result, case.plan, language=language, messages=messages)
    parsed = _parsed(page)
    text = "".join(parsed.text)
    assert INJECTED in text
    assert "&lt;script&gt;" in page
    assert "<b>" not in page and "<i>" not in page
    assert messages.text("disclaimer", language) in text
    for step in case.plan.steps:
        assert step.action.title.in_language(language) in text
        for driver in step.reason.drivers:
            assert case.instrument.item(driver).text.in_language(language) in text
    assert [tag for tag, _ in parsed.tags].count("article") == len(case.plan.steps)
    facets = len(case.instrument.facets)
    lines = sum(len(s.steps) for s in case.plan.steps)
    assert [tag for tag, _ in parsed.tags].count("li") == lines + facets


# --- calendar -------------------------------------------------------------------------------------


@LANGUAGES
def test_the_calendar_has_one_all_day_event_per_step_and_one_to_check_in(
    case: Case, messages: Messages, language: str
) -> None:
    """RFC 5545 read back: VERSION, PRODID, the days the steps fall on, unique stable UIDs."""
    data = plan_ics(case.plan, language=language, messages=messages)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//assess//")
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(case.plan.steps) + 1
    days = [event.decoded("DTSTART") for event in events]
    week_offsets = [2, 4, 6][: len(case.plan.week)]
    assert days == [
        MADE_ON,
        *(MADE_ON + datetime.timedelta(days=d) for d in week_offsets),
        MADE_ON + datetime.timedelta(days=21),
        case.plan.check_in,
    ]
    assert all(
        isinstance(day, datetime.date) and not isinstance(day, datetime.datetime) for day in days
    )
    assert all(
        event.decoded("DTEND") == event.decoded("DTSTART") + datetime.timedelta(days=1)
        for event in events
    )
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@assess.invalid") for uid in uids)
    stamp = datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC)
    assert all(event.decoded("DTSTAMP") == stamp for event in events)
    for event, step in zip(events, case.plan.steps, strict=False):
        assert str(event["SUMMARY"]) == step.action.title.in_language(language)
        description = str(event["DESCRIPTION"])
        assert f"1. {step.steps[0].in_language(language)}" in description
        assert step.action.why.in_language(language) in description
    assert str(events[-1]["SUMMARY"]) == messages.text("takeaways.check_in_summary", language)


def test_the_calendar_is_the_same_bytes_every_time(case: Case, messages: Messages) -> None:
    """No clock or random UID: the same plan gives the same file, so re-importing updates it."""
    first = plan_ics(case.plan, language="ja", messages=messages)
    assert first == plan_ics(case.plan, language="ja", messages=messages)
    assert first.startswith(b"BEGIN:VCALENDAR\r\n")
    assert first.endswith(b"END:VCALENDAR\r\n")


ICS_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(',;:\\\n"é一🙂'),
    max_size=300,
)


@settings(max_examples=examples(0.8))
@given(summary=ICS_TEXT, description=ICS_TEXT)
def test_any_text_survives_the_calendar_and_no_line_passes_75_octets(
    summary: str, description: str
) -> None:
    """Commas, semicolons, backslashes, line breaks, Japanese and emoji: icalendar, an
    independent RFC 5545 parser, reads back what was written; folding never splits a character."""
    day = datetime.date(2026, 11, 26)
    stamp = datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
    lines += [*_event("a-20261126@assess.invalid", stamp, day, summary, description)]
    data = b"".join(_ics_fold(line) for line in [*lines, "END:VCALENDAR"])
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    data.decode("utf-8")  # whole characters on every line
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description


# --- JSON -----------------------------------------------------------------------------------------


def test_the_json_is_the_versioned_result_document_with_the_plan_added(case: Case) -> None:
    """Round-trips through json.loads; both the result and the plan carry a format version."""
    code = encode_result(case.instrument, case.answers, MADE_ON)
    text = plan_json(
        case.instrument, case.answers, case.result, case.plan, taken_on=MADE_ON, result_code=code
    )
    document = json.loads(text)
    assert document["format"] == "assess-result/1"
    assert document["taken_on"] == "2026-11-26"
    assert document["code"] == code
    plan = document["plan"]
    assert plan["format"] == PLAN_FORMAT == "assess-plan/1"
    assert plan == json.loads(json.dumps(plan_document(case.plan)))
    assert [step["action"] for step in plan["steps"]] == [s.action.id for s in case.plan.steps]
    assert plan["steps"][0]["title"]["en"] == case.plan.today.action.title.en
    assert plan["check_in"] == case.plan.check_in.isoformat()
    assert plan["steps"][0]["reason"]["drivers"] == list(case.plan.today.reason.drivers)


# --- the shipped instrument and the command line --------------------------------------------------


@LANGUAGES
def test_the_shipped_instrument_gives_every_take_away(messages: Messages, language: str) -> None:
    """Japanese and English texts of the real question bank go through every format."""
    instrument = default_instrument()
    answers = Answers({item.id: item.scale.values[-1] for item in instrument.items})
    result = score(instrument, answers)
    plan = make_plan(instrument, result, answers, shipped_catalogue_stand_in(), today=MADE_ON)
    markdown = plan_markdown(instrument, result, plan, language=language, messages=messages)
    page = plan_html(instrument, result, plan, language=language, messages=messages)
    calendar = Calendar.from_ical(plan_ics(plan, language=language, messages=messages))
    assert instrument.title.in_language(language) in markdown
    assert f'<html lang="{language}">' in page
    assert len(list(calendar.walk("VEVENT"))) == len(plan.steps) + 1


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    instrument = default_instrument()
    path = tmp_path / "answers.json"
    responses = {
        item.id: item.scale.values[number % 5] for number, item in enumerate(instrument.items)
    }
    path.write_text(json.dumps({"responses": responses, "profile": {"mode": "online"}}))
    return path


@pytest.fixture
def stand_in_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads the shipped catalogue; these tests use the hand-built one."""
    import assess.datafiles.catalogue

    monkeypatch.setattr(assess.datafiles.catalogue, "default_actions", shipped_catalogue_stand_in)


@pytest.mark.usefixtures("stand_in_catalogue")
@pytest.mark.parametrize("output", ["markdown", "html", "ics", "json"])
def test_the_plan_command_writes_each_format_to_standard_output(
    answers_file: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    """`assess plan FILE --format F` writes a document its parser reads."""
    status = main(
        ["plan", str(answers_file), "--format", output, "--lang", "en", "--date", "2026-11-26"]
    )
    written = capsys.readouterr().out
    assert status == 0
    if output == "markdown":
        assert written.startswith("# Freelance Connection Self-Check")
    elif output == "html":
        assert written.startswith("<!doctype html>")
    elif output == "ics":
        assert str(Calendar.from_ical(written)["VERSION"]) == "2.0"
    else:
        document = json.loads(written)
        assert document["plan"]["made_on"] == "2026-11-26"
        assert len(document["code"]) == 34


@pytest.mark.usefixtures("stand_in_catalogue")
def test_the_plan_command_gives_the_same_plan_from_a_result_code(
    answers_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A code restores the answers and the date taken, so the plan is the same."""
    assert main(["plan", str(answers_file), "--format", "json", "--date", "2026-11-26"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    arguments = ["plan", "--code", from_file["code"], "--format", "json", "--date", "2026-11-26"]
    assert main(arguments) == 0
    from_code = json.loads(capsys.readouterr().out)
    assert from_code == from_file


@pytest.mark.usefixtures("stand_in_catalogue")
def test_the_plan_command_explains_a_bad_code_and_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A mistyped code is an error on standard error and exit status 1, not a traceback."""
    assert main(["plan", "--code", "AUQRtu8m!"]) == 1
    assert "cannot be in a result code" in capsys.readouterr().err


# --- the whole result, the help lines and one title -----------------------------------------------


def shipped(responses: dict[str, int], **profile: str) -> tuple[Instrument, Answers, Result, Plan]:
    from assess.datafiles.catalogue import default_actions

    instrument = default_instrument()
    answers = Answers(responses, profile)
    result = score(instrument, answers)
    plan = make_plan(instrument, result, answers, default_actions(), today=MADE_ON)
    return instrument, answers, result, plan


def support_of(instrument: Instrument, answers: Answers, result: Result) -> Support:
    from assess.core.support import support_for
    from assess.datafiles.catalogue import default_support

    return support_for(instrument, result, answers, default_support())


SETTLED = {item.id: 3 for item in default_instrument().items} | {"lonely_direct": 2, "depth_2": 4}
DISTRESS = SETTLED | {"lonely_direct": 5, "emotional_1": 5, "emotional_2": 1, "emotional_3": 5}


@LANGUAGES
def test_markdown_and_html_give_every_facet_score_the_code_and_the_help_lines(
    messages: Messages, language: str
) -> None:
    """Each facet with its band and score, the result code, and the quiet help lines."""
    instrument, answers, result, plan = shipped(SETTLED)
    support = support_of(instrument, answers, result)
    code = encode_result(instrument, answers, MADE_ON)
    for render in (plan_markdown, plan_html):
        text = render(
            instrument,
            result,
            plan,
            language=language,
            messages=messages,
            result_code=code,
            support=support,
        )
        for facet in instrument.facets:
            assert facet.label.in_language(language) in text
        percent = result.facet("emotional").percent or 0
        assert f"{round(percent)}/100" in text
        assert code in text
        assert "0120-279-338" in text
        assert messages.text("help.title", language) in text
        assert messages.text("help.urgent_title", language) not in text


@LANGUAGES
def test_in_distress_the_lines_to_call_now_come_before_the_result(
    messages: Messages, language: str
) -> None:
    """The box opens the page: the free 24-hour line first, then 119; police nowhere."""
    instrument, answers, result, plan = shipped(DISTRESS)
    support = support_of(instrument, answers, result)
    assert support.level == "prominent"
    for render in (plan_markdown, plan_html):
        text = render(
            instrument, result, plan, language=language, messages=messages, support=support
        )
        box = text.index(messages.text("help.urgent_title", language))
        assert box < text.index(messages.text("results.indices", language))
        first, ambulance = (s.name.in_language(language) for s in support.prominent[:2])
        assert ambulance == support.prominent[1].name.in_language(language)
        assert support.prominent[1].phone == "119"
        assert (
            text.index(first)
            < text.index(ambulance)
            < text.index(messages.text("plan.title", language))
        )
        assert "110）" not in text and "(110)" not in text
        assert "感じました" not in text


def test_the_json_is_utf8_text_with_the_help_lines_and_the_code() -> None:
    """Japanese stays as written (no \\u escapes); the support level and lines travel with it."""
    instrument, answers, result, plan = shipped(DISTRESS)
    support = support_of(instrument, answers, result)
    code = encode_result(instrument, answers, MADE_ON)
    text = plan_json(instrument, answers, result, plan, result_code=code, support=support)
    assert "\\u" not in text
    assert "よりそいホットライン" in text
    document = json.loads(text)
    assert document["support"]["level"] == "prominent"
    assert document["support"]["prominent"][0]["phone"] == "0120-279-338"
    assert document["code"] == code
    assert {f["id"] for f in document["facets"]} == {f.id for f in instrument.facets}


@LANGUAGES
def test_one_title_everywhere(messages: Messages, language: str) -> None:
    """The app's title heads the Markdown, the HTML page and its <title>, and is the bank's."""
    instrument, _answers, result, plan = shipped(SETTLED)
    title = messages.text("app.title", language)
    assert title == instrument.title.in_language(language)
    markdown = plan_markdown(instrument, result, plan, language=language, messages=messages)
    page = plan_html(instrument, result, plan, language=language, messages=messages)
    assert markdown.startswith(f"# {escape_markdown(title)}\n")
    assert f"<title>{title}</title>" in page
    assert f"<h1>{title}</h1>" in page


def test_the_html_prints_whole() -> None:
    """A print layout: no step or help line split across pages, full width."""
    instrument, _answers, result, plan = shipped(SETTLED)
    page = plan_html(instrument, result, plan, language="ja", messages=default_messages())
    assert "@media print" in page
    assert "break-inside: avoid" in page


def test_why_this_step_quotes_the_statement_with_the_answer_given() -> None:
    """A writer who never went to a cross-industry meetup reads her statement and her answer."""
    responses = SETTLED | {"breadth_1": 1, "breadth_2": 1, "breadth_3": 5}
    instrument, _answers, result, plan = shipped(responses, field="writing", mode="offline")
    texts = plan_markdown(instrument, result, plan, language="ja", messages=default_messages())
    english = plan_markdown(instrument, result, plan, language="en", messages=default_messages())
    assert (
        "『この1年の間に、異業種交流会など、さまざまな分野の人が集まる場に参加した』→『まったくあてはまらない』"
        in texts.replace("\\", "")
    )
    assert (
        "you answered “Not at all true of me” to “In the past year, I have been to a cross-industry meetup"
        in english.replace("\\", "")
    )
    assert "何人いますか。」" not in texts


def test_a_reverse_keyed_statement_reads_the_way_it_was_answered() -> None:
    """ "Nearly everyone I know does my kind of work": "Very true of me" lowers breadth, and the
    reason says exactly that answer, not a bare statement that could be read either way."""
    responses = SETTLED | {"breadth_1": 3, "breadth_2": 3, "breadth_3": 5}
    instrument, _answers, result, plan = shipped(responses, mode="offline")
    step = next(s for s in plan.steps if s.reason.facet_id == "breadth")
    assert step.reason.drivers[0] == "breadth_3"
    assert instrument.item("breadth_3").reverse
    texts = plan_markdown(instrument, result, plan, language="ja", messages=default_messages())
    english = plan_markdown(instrument, result, plan, language="en", messages=default_messages())
    assert "『仕事上の知り合いは、ほとんどが自分と同じ職種の人だ』→『とてもあてはまる』" in texts
    assert "you answered “Very true of me” to “Nearly everyone I know through work" in english


# --- what a skipped question cost the plan (issue 23) ---------------------------------------------


@LANGUAGES
@pytest.mark.parametrize("hours", [None, "h1", "h5"])
def test_the_plan_says_what_time_it_assumed_when_the_hours_were_not_given(
    messages: Messages, language: str, hours: str | None
) -> None:
    """The time a week skipped: the Markdown and the HTML say the plan assumed 2–3 hours, named
    by the profile question's own option; answered, neither says so."""
    instrument = default_instrument()
    profile = {} if hours is None else {"hours": hours}
    answers = Answers({item.id: item.scale.values[0] for item in instrument.items}, profile)
    result = score(instrument, answers)
    plan = make_plan(instrument, result, answers, shipped_catalogue_stand_in(), today=MADE_ON)
    options = {o.code: o.label for q in instrument.profile if q.id == "hours" for o in q.options}
    said = messages.text("plan.hours_assumed", language, hours=options["h3"].in_language(language))
    kept = {"language": language, "messages": messages, "answers": answers}
    markdown = plan_markdown(instrument, result, plan, **kept)
    page = plan_html(instrument, result, plan, **kept)
    assumed = hours not in options
    assert (escape_markdown(said) in markdown) is assumed
    assert (html.escape(said) in page) is assumed
