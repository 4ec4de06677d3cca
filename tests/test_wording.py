"""The product's rules beyond structure (`assess validate --strict`): the shipped data keeps them,
and each rule catches the mistake it was written for.

Wording: Japanese takes full-width brackets and punctuation, no stray half-width spaces, no Latin
words but the names of services and formats a Japanese reader meets in Latin letters, dates
written as 2026年11月26日, and never the app "feeling" something; English takes no Japanese
punctuation and no ISO dates in prose.  Plans: every action fits someone's time, and every
profile gets a complete plan whichever facet is weakest.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assess import default_instrument
from assess.app.cli import main
from assess.datafiles.catalogue import default_actions
from assess.datafiles.strict import (
    budget_problems,
    profile_grid_problems,
    strict_problems,
    wording_problems,
)
from assess.datafiles.wording import bilingual_texts, problems_in_english, problems_in_japanese

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_shipped_data_keeps_every_strict_rule() -> None:
    """`assess validate --strict data` finds nothing: wording, time budgets, the profile grid."""
    assert [str(problem) for problem in strict_problems([DATA])] == []


def test_every_data_file_is_read() -> None:
    """The texts come from each folder of data/, so that no file escapes the review."""
    import yaml

    # layouts/ holds no text a person reads: result codes' question ids and option values.
    folders = {path.parent.name for path in DATA.rglob("*.yaml")} - {"layouts"}
    assert folders == {"instruments", "actions", "support", "i18n", "reference"}
    texts = [
        text
        for path in DATA.rglob("*.yaml")
        for text in bilingual_texts(yaml.safe_load(path.read_text(encoding="utf-8")))
    ]
    assert len(texts) > 600


# --- each wording rule catches what a reader saw ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("「空間的な孤立」が高い(94/100)でした。", "half-width bracket"),
        ("出典: 調査）. 全国の", "half-width colon"),
        ("なぜ役立つか: 声を交わすだけで", "half-width colon"),
        ("出典：調査）. 全国の", "half-width full stop"),
        ("岩手県からは 0120-279-226 に", "stray half-width space"),
        ("という結果でした。 特に影響したのは", "stray half-width space"),
        ("2026-11-26時点で確認", "ISO date"),
        ("回答から、つらい状態にあると感じました。", "感じました"),
        ("今月の目標", "今月の目標"),
        ("結果コードを読めません（invalid checksum）", "Latin word 'invalid'"),
        ("はい, いいえ", "half-width punctuation"),
        ("一日が終わることが多い。 — とてもあてはまる", "English dash"),
        ("（「精神的な孤立」、「情報面の孤立」）", "、 between 「」-quoted items"),
        ("側面ごとの得点", "側面"),
    ],
)
def test_the_japanese_rules_catch_what_the_reader_saw(text: str, problem: str) -> None:
    """The mistakes seen on screen are each caught, with what to write instead."""
    found = problems_in_japanese(text)
    assert any(p.startswith(problem) for p in found), found
    assert all(":" in p for p in found)


@pytest.mark.parametrize(
    "text",
    [
        "「空間的な孤立」は94/100（高い）でした。",
        "毎日午後4時〜午後9時。毎月10日は午前8時から翌日午前8時までの24時間。",
        "Facebookで「#uiux」を検索する。Slackのコミュニティに参加する。",
        "{date}時点で確認",
        "電話（無料）：0120-279-338",
        "「—」は、少人数の区分から個人が特定されないように伏せた数です。",
        "（「精神的な孤立」と「情報面の孤立」）",
    ],
)
def test_well_written_japanese_passes(text: str) -> None:
    assert problems_in_japanese(text) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Call 119（ambulance）。", "Japanese punctuation"),
        ("checked on 2026-11-26", "ISO date"),
        ("Around 2027-01-04, take the self-check again", "ISO date"),
        (" Save the file", "stray space"),
    ],
)
def test_the_english_rules_catch_what_the_reader_saw(text: str, problem: str) -> None:
    assert any(p.startswith(problem) for p in problems_in_english(text))


@pytest.mark.parametrize(
    "text", ["Search for #ライター (writer).", "checked on 26 November 2026", "Phone: 0120-279-338"]
)
def test_well_written_english_passes(text: str) -> None:
    assert problems_in_english(text) == []


def test_a_wording_problem_names_the_file_the_entry_and_the_language() -> None:
    """As the structural checks do: where to look, and what to write instead."""
    document = {"actions": [{"id": "call", "why": {"ja": "なぜ:声", "en": "Why（voice）"}}]}
    found = [str(p) for p in wording_problems(document, source="actions.yaml")]
    assert found == [
        "actions.yaml: actions[0] (id 'call').why.ja: half-width colon: use ： (in 'なぜ:声')",
        "actions.yaml: actions[0] (id 'call').why.en: Japanese punctuation in English: "
        "use ( ) . , : ! ? (in 'Why（voice）')",
    ]


# --- plans: time budgets and the profile grid ---------------------------------------------------


def test_an_action_longer_than_anyones_week_is_reported() -> None:
    """A week's step done twice for two hours each fits nobody's week (at most 3 hours)."""
    catalogue = default_actions()
    actions = list(catalogue.actions)
    position = next(i for i, a in enumerate(actions) if a.id == "join_online_coworking")
    actions[position] = dataclasses.replace(actions[position], minutes=120)
    found = budget_problems(
        dataclasses.replace(catalogue, actions=tuple(actions)), source="actions.yaml"
    )
    assert [(p.entry, "takes 240 minutes (2 sessions of 120)" in p.message) for p in found] == [
        (f"actions[{position}] (id 'join_online_coworking').minutes", True)
    ]


def test_a_catalogue_without_a_step_for_some_profile_is_reported() -> None:
    """Without a step for today that works online, someone who prefers online contact gets no
    plan: the validator names the profile and the facet, and nobody else is reported."""
    catalogue = default_actions()
    kept = tuple(a for a in catalogue.actions if a.horizon != "today" or a.mode == "offline")
    instrument = default_instrument()
    one_of_each = tuple(
        q if q.id == "mode" else dataclasses.replace(q, options=q.options[:1])
        for q in instrument.profile
    )
    found = profile_grid_problems(
        dataclasses.replace(catalogue, actions=kept),
        dataclasses.replace(instrument, profile=one_of_each),
        source="actions.yaml",
    )
    assert len(found) == len(instrument.facets)
    assert all(p.entry == "actions" and "mode 'online'" in p.message for p in found)


def test_the_validate_command_applies_the_strict_rules_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`assess validate` checks structure; `--strict` adds the product's rules."""
    messages = tmp_path / "messages.yaml"
    messages.write_text(
        'format: assess-messages/1\nmessages:\n  app.title: {ja: "出典: 調査", en: Source}\n',
        encoding="utf-8",
    )
    assert main(["validate", str(messages)]) == 0
    assert main(["validate", "--strict", str(messages)]) != 0
    out = capsys.readouterr().out
    assert "messages.app.title.ja: half-width colon: use ：" in out
