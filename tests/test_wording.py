"""Wording a native reader trusts: every Japanese and English text shipped in data/, checked.

Japanese: full-width brackets and punctuation, no stray half-width spaces, no Latin words but the
names of services and formats a Japanese reader meets in Latin letters, dates written as
2026年11月26日, and never the app "feeling" something.  English: no Japanese punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

LATIN_NAMES = frozenset(
    {
        # services and platforms, as their Japanese users write them
        "SNS",
        "Slack",
        "Facebook",
        "Discord",
        "LINE",
        "Web",
        # terms of the trade, written in Latin letters in Japanese too
        "Q&A",
        "UI/UX",
        "LP",
        "LT",
        # file formats named on the download buttons
        "Markdown",
        "HTML",
        "ics",
        "JSON",
        "CSV",
        # example workshop codes (what a person types)
        "ws-tokyo",
        "ws-tokyo-0312",
    }
)
NAMES_WITH_SPACES = ("まもろうよ こころ",)
"""Official names written with a space by their owners."""

JAPANESE = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")


def shipped_texts() -> Iterator[tuple[str, str, str]]:
    """(where, Japanese, English) for every bilingual text in every shipped data file."""

    def walk(node: object, where: str) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            if isinstance(node.get("ja"), str) and isinstance(node.get("en"), str):
                yield where, node["ja"], node["en"]
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for position, value in enumerate(node):
                yield from walk(value, f"{where}[{position}]")

    for path in sorted(DATA.rglob("*.yaml")):
        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


TEXTS = list(shipped_texts())


def problems_in_japanese(text: str) -> list[str]:
    """What a native reader would stumble over in a Japanese text (empty when none)."""
    body = PLACEHOLDER.sub("", text)
    for name in NAMES_WITH_SPACES:
        body = body.replace(name, "")
    found = []
    if re.search(r"[()\[\]]", body):
        found.append("half-width bracket: use （）「」")
    if re.search(r"[,;!?]", body):
        found.append("half-width punctuation: use 、。！？")
    if re.search(r"(?<![0-9]):|:(?![0-9])", body):
        found.append("half-width colon: use ：")
    if re.search(r"(?<![A-Za-z0-9])\.|\.(?![A-Za-z0-9])", body):
        found.append("half-width full stop: use 。")
    if re.search(JAPANESE + r" | " + JAPANESE, body) or body != body.strip():
        found.append("stray half-width space")
    if re.search(r"\d{4}-\d{1,2}-\d{1,2}", body):
        found.append("ISO date: write 2026年11月26日")
    for phrase, fix in (("感じました", "the app has no feelings"), ("今月の目標", "これから1か月")):
        if phrase in body:
            found.append(f"{phrase}: {fix}")
    without_tags = re.sub(r"#\S+", "", body)  # hashtags are what a person types
    for word in re.findall(r"[A-Za-z][A-Za-z0-9&/'.-]*", without_tags):
        if word not in LATIN_NAMES and word.rstrip("0123456789") not in LATIN_NAMES:
            found.append(
                f"Latin word {word!r}: write it in Japanese or add the name to LATIN_NAMES"
            )
    return found


def problems_in_english(text: str) -> list[str]:
    found = []
    if re.search(r"[「」『』（）。、：！？]", text):
        found.append("Japanese punctuation in English")
    # A separator (" · ", "; ") is spacing and a mark only; any other text is trimmed.
    if re.search(r"[A-Za-z0-9]", text) and (text != text.strip() or "  " in text):
        found.append("stray space")
    return found


@pytest.mark.parametrize(("where", "ja", "en"), TEXTS, ids=[t[0] for t in TEXTS])
def test_every_japanese_text_reads_as_japanese(where: str, ja: str, en: str) -> None:
    """Full-width brackets and punctuation, no stray spaces, no stray Latin words."""
    assert problems_in_japanese(ja) == [], ja


@pytest.mark.parametrize(("where", "ja", "en"), TEXTS, ids=[t[0] for t in TEXTS])
def test_every_english_text_reads_without_japanese_punctuation(
    where: str, ja: str, en: str
) -> None:
    """Japanese words may be quoted (hashtags, もくもく会); Japanese punctuation may not."""
    assert problems_in_english(en) == [], en


def test_every_data_file_is_read() -> None:
    """The texts come from each folder of data/, so that no file escapes the review."""
    assert len(TEXTS) > 600
    # layouts/ holds no text a person reads: result codes' question ids and option values.
    folders = {path.parent.name for path in DATA.rglob("*.yaml")} - {"layouts"}
    assert folders == {"instruments", "actions", "support", "i18n", "reference"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("「空間的な孤立」が高い(94/100)でした。", "half-width bracket"),
        ("出典: 調査）. 全国の", "half-width colon"),
        ("出典：調査）. 全国の", "half-width full stop"),
        ("岩手県からは 0120-279-226 に", "stray half-width space"),
        ("2026-11-26時点で確認", "ISO date"),
        ("回答から、つらい状態にあると感じました。", "感じました"),
        ("今月の目標", "今月の目標"),
        ("結果コードを読めません（invalid checksum）", "Latin word 'invalid'"),
        ("はい, いいえ", "half-width punctuation"),
    ],
)
def test_the_checks_catch_what_the_reader_saw(text: str, problem: str) -> None:
    """The mistakes seen on screen are each caught."""
    assert any(found.startswith(problem) for found in problems_in_japanese(text))


@pytest.mark.parametrize(
    "text",
    [
        "「空間的な孤立」は「高い」（94/100）という結果でした。",
        "毎日午後4時〜午後9時。毎月10日は午前8時から翌日午前8時までの24時間。",
        "Facebookで「#uiux」を検索する。Slackのコミュニティに参加する。",
        "{date}時点で確認",
        "電話（無料）：0120-279-338",
    ],
)
def test_well_written_japanese_passes(text: str) -> None:
    assert problems_in_japanese(text) == []


def test_english_with_japanese_punctuation_is_caught() -> None:
    assert problems_in_english("Call 119（ambulance）。") != []
    assert problems_in_english("Search for #ライター (writer).") == []
