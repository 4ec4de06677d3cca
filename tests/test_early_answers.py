"""Answering before Python is ready: the first page's question pages are the quiz's own, and
what a person did there reaches the quiz whole, while a forged hand-over changes nothing."""

from __future__ import annotations

import datetime
import html
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.app.roots import build_quiz
from assess.core.early_answers import LONGEST, PREFIX, allowed_values, read_early_answers
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.messages import default_messages
from assess.render.early_pages import early_pages_html
from assess.ui.resume import Resume

DAY = datetime.date(2026, 11, 26)
BANK = load_instrument(default_instrument_path())
MESSAGES = default_messages()
CODES = MESSAGES.languages.codes
PAGES = -(-len(BANK.items) // 5) + 1  # question pages, then the profile
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


def fresh_quiz(query_string: str = "") -> Any:
    return build_quiz(query_string=query_string, today=DAY)


def hand_over(quiz: Any, **payload: object) -> bool:
    """What the first page's script does: the hand-over, through the quiz's hidden field."""
    (resume,) = [child for child in quiz.children if isinstance(child, Resume)]
    return bool(resume.take(PREFIX + json.dumps(payload)))


def varied(position: int) -> dict[str, object]:
    """Answers to every scored question (option `position` mod its count) and the profile."""
    answers: dict[str, object] = {}
    for item in BANK.items:
        answers[item.id] = item.scale.options[position % len(item.scale.options)].value
    for question in BANK.profile:
        answers[question.id] = question.codes[position % len(question.codes)]
    return answers


# --- reading the hand-over ----------------------------------------------------------------------


def test_a_hand_over_keeps_the_answers_page_language_and_choices() -> None:
    """Every scored and profile answer, the page turned to, the language, keep and finish."""
    given_answers = varied(2)
    early = read_early_answers(
        json.dumps(
            {
                "page": PAGES,
                "answers": given_answers,
                "language": "en",
                "keep": True,
                "finish": True,
            }
        ),
        BANK,
        pages=PAGES,
        languages=CODES,
    )
    assert early is not None
    assert {**early.answers.responses, **early.answers.profile} == given_answers
    assert (early.page, early.language, early.keep, early.finish) == (PAGES, "en", True, True)


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        ({"spatial_1": 3}, {"spatial_1": 3}),
        ({"spatial_1": 99}, {}),  # not among its options
        ({"spatial_1": True}, {}),  # True == 1 in Python, but not an option's value
        ({"spatial_1": "3"}, {}),  # a string is not the number
        ({"spatial_1": 1.0}, {}),
        ({"not_a_question": 1}, {}),
        ({"field": "nonsense"}, {}),
        ("a list, not a mapping", {}),
    ],
)
def test_only_questions_of_the_bank_and_values_among_their_options_are_kept(
    answers: object, kept: dict[str, object]
) -> None:
    """A forged answer is dropped, the rest of the hand-over read."""
    early = read_early_answers(
        json.dumps({"page": 2, "answers": answers}), BANK, pages=PAGES, languages=CODES
    )
    assert early is not None
    assert dict(early.answers.responses) == kept


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "not json",
        '{"answers": {}}',  # no page
        '{"page": -1}',
        f'{{"page": {PAGES + 1}}}',
        '{"page": true}',
        '{"page": "2"}',
        '{"page": 1, "language": "xx"}',
        '{"page": 1, "language": 3}',
        '{"page": 1, "answers": {}, "pad": "' + "x" * LONGEST + '"}',
    ],
)
def test_a_hand_over_that_is_not_one_is_refused_whole(text: str) -> None:
    """Nothing half-read is shown: a page or language out of range refuses it all."""
    assert read_early_answers(text, BANK, pages=PAGES, languages=CODES) is None


def test_finish_counts_only_from_the_last_page() -> None:
    """Results are asked for from the profile page, not from a page in the middle."""
    early = read_early_answers('{"page": 2, "finish": true}', BANK, pages=PAGES, languages=CODES)
    assert early is not None and early.finish is False


@given(JSON_VALUES)
def test_any_json_at_all_is_read_or_refused_without_an_error(value: object) -> None:
    """Whatever a page sends, the quiz gets a hand-over or None, never an exception."""
    early = read_early_answers(json.dumps(value), BANK, pages=PAGES, languages=CODES)
    if early is not None:
        allowed = allowed_values(BANK)
        for question_id, answer in {**early.answers.responses, **early.answers.profile}.items():
            assert answer in [value for _part, value in allowed[question_id]]


# --- the quiz taking it -------------------------------------------------------------------------


def test_the_quiz_carries_on_from_the_page_turned_to_with_every_answer() -> None:
    """Answers of three pages given early: the quiz opens page 4 and holds them all."""
    quiz = fresh_quiz()
    given_answers = {item.id: 2 for item in BANK.items[:15]}
    assert hand_over(quiz, page=4, answers=given_answers, language="ja")
    assert quiz.page == 4
    assert dict(quiz.answers.responses) == given_answers
    quiz.page = 2  # a page built after the hand-over shows its answers too
    assert quiz.question_pages[1].answers == {item.id: 2 for item in BANK.items[5:10]}


def test_the_quiz_speaks_the_language_the_person_switched_to() -> None:
    """Switched to English on the first page before Python was ready: the quiz follows."""
    quiz = fresh_quiz()
    assert hand_over(quiz, page=1, answers={}, language="en")
    assert quiz.language == "en"


def test_the_keep_choice_made_on_the_first_page_is_kept() -> None:
    """Ticked on the first page, the keep box is ticked in the quiz."""
    quiz = fresh_quiz()
    (resume,) = [child for child in quiz.children if isinstance(child, Resume)]
    assert hand_over(quiz, page=1, answers={}, keep=True)
    assert resume.keep.box.value is True


@pytest.mark.parametrize("position", [0, 1, 3])
def test_results_asked_for_early_equal_those_of_the_same_answers_given_in_the_quiz(
    position: int,
) -> None:
    """Finished before Python was ready: the same result and code as taking the quiz."""
    early = fresh_quiz()
    assert hand_over(early, page=PAGES, answers=varied(position), finish=True)
    direct = fresh_quiz()
    direct.start.click()
    while direct.page <= direct.last_question_page:
        for question in direct.question_pages[direct.page - 1].questions:
            question.choices.value = varied(position)[question.question_id]
        direct.next.click()
    for question in direct.profile_page.questions:
        question.choices.value = varied(position)[question.question_id]
    direct.next.click()
    assert early.page == early.results_index
    assert early.result_code == direct.result_code
    assert early.result == direct.result


def test_a_forged_hand_over_changes_nothing() -> None:
    """A page out of range: the quiz stays where it is, with no answer."""
    quiz = fresh_quiz()
    assert not hand_over(quiz, page=999, answers={"spatial_1": 3})
    assert quiz.page == 0
    assert not quiz.answers.responses


# --- the pages themselves -----------------------------------------------------------------------

PAGES_HTML = early_pages_html(BANK, MESSAGES)


def shown(fragment: str, language: str) -> str:
    """The text of `fragment` a reader of `language` sees (the other languages' spans out)."""
    others = "|".join(code for code in CODES if code != language)
    without = re.sub(rf'<span lang="(?:{others})">.*?</span>', "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", without))


def question_block(question_id: str) -> str:
    (found,) = re.findall(
        rf'<div class="assess-question" data-question="{question_id}">.*?</div></div>',
        PAGES_HTML,
        flags=re.S,
    )
    return found


@pytest.mark.parametrize("language", CODES)
@pytest.mark.parametrize("item", BANK.items, ids=lambda item: item.id)
def test_every_question_reads_as_in_the_quiz_with_its_options_in_order(
    item: Any, language: str
) -> None:
    """The bank's words in each language, numbered as the quiz numbers them."""
    block = question_block(item.id)
    number = BANK.items.index(item) + 1
    read = shown(block, language)
    assert read.startswith(f"{number}. {item.text.in_language(language)}")
    labels = [option.label.in_language(language) for option in item.scale.options]
    positions = [read.index(label) for label in labels]
    assert positions == sorted(positions)
    values = [json.loads(html.unescape(v)) for v in re.findall(r'value="([^"]*)"', block)]
    assert values == [option.value for option in item.scale.options]


def test_each_radio_group_is_named_by_its_question_for_keyboard_and_screen_readers() -> None:
    """One name per question (Tab reaches it once, arrows choose), labelled by its text."""
    for item in BANK.items:
        block = question_block(item.id)
        assert f'aria-labelledby="q-{item.id}"' in block and f'id="q-{item.id}"' in block
        assert set(re.findall(r'name="([^"]+)"', block)) == {f"q-{item.id}"}


def test_the_rules_for_telling_a_skip_are_the_banks() -> None:
    """Pages, facets and their missing-answer rule as the scorer has them; no </ in the JSON."""
    (raw,) = re.findall(r'class="assess-early-rules">(.*?)</script>', PAGES_HTML, flags=re.S)
    rules = json.loads(raw)
    assert [id_ for page in rules["pages"][:-1] for id_ in page] == [i.id for i in BANK.items]
    assert rules["pages"][-1] == [question.id for question in BANK.profile]
    assert [facet["maxMissing"] for facet in rules["facets"]] == [
        facet.missing.max_missing for facet in BANK.facets
    ]
    assert set(rules["languages"]) == set(CODES)
    assert "</" not in raw
