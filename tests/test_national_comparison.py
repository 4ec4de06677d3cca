"""The direct loneliness answer beside the national survey: said kindly (how many answered the
same or more often, never how many are less lonely), for every answer in both languages, and
cited with the page of the very round whose figures are quoted."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from assess.core.model import LANGUAGES
from assess.datafiles.checker import DataFileError
from assess.datafiles.messages import default_messages
from assess.datafiles.reference import (
    default_reference,
    default_reference_path,
    parse_reference,
    stand_in,
)
from assess.ui.results import survey_html

REFERENCE = default_reference()
MESSAGES = default_messages()
CATEGORIES = REFERENCE.categories


def sentence(page: str) -> str:
    """The comparison's sentence: the first paragraph, unescaped."""
    return html.unescape(re.search(r"<p>(.*?)</p>", page, re.S).group(1))  # type: ignore[union-attr]


EXPECTED = {
    # The loneliest answer, then one in between, then the least lonely ("never"), in R5 figures.
    ("ja", 5): "令和5年の全国調査（11,141人）では、あなたと同じ答えの人が4.8%いました。"
    "孤独を感じることが多いのは、あなただけではありません。",
    ("ja", 3): "令和5年の全国調査（11,141人）では、同じ答えか、より頻繁に孤独を感じると答えた人が"
    "39.3%いました（同じ答えは19.7%）。",
    ("ja", 1): "令和5年の全国調査（11,141人）では、同じ答えか、より頻繁に孤独を感じると答えた人が"
    "98.6%いました（同じ答えは17.9%）。",
    ("en", 5): "In the 2023 national survey (11,141 people), 4.8% gave the same answer as you: "
    "you are not the only one who often feels lonely.",
    ("en", 3): "In the 2023 national survey (11,141 people), 39.3% gave the same answer or said "
    "they felt lonely more often (19.7% gave the same answer).",
    ("en", 1): "In the 2023 national survey (11,141 people), 98.6% gave the same answer or said "
    "they felt lonely more often (17.9% gave the same answer).",
}


@pytest.mark.parametrize(("language", "value"), list(EXPECTED))
def test_the_comparison_reads_as_a_native_reader_would_write_it(language: str, value: int) -> None:
    """The sentences as shown, at both ends of the scale and between, in both languages."""
    page = survey_html(REFERENCE, stand_in(REFERENCE, value=value), MESSAGES, language)
    assert sentence(page) == EXPECTED[(language, value)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", CATEGORIES)
def test_every_answer_is_placed_by_how_many_answered_the_same_or_more_often(
    value: int, language: str
) -> None:
    """Every category: the share with the same answer or a lonelier one is said, the share of
    people less lonely than the person never is."""
    standing = stand_in(REFERENCE, value=value)
    said = sentence(survey_html(REFERENCE, standing, MESSAGES, language))
    assert f"{standing.same_or_more:.1f}%" in said
    assert f"{standing.share:.1f}%" in said
    assert standing.same_or_more == pytest.approx(standing.share + standing.lonelier, abs=0.05)
    if standing.less_lonely > 0:
        assert f"{standing.less_lonely:.1f}%" not in said
    for unkind in ("less often", "less lonely", "頻度が低い", "より少ない"):
        assert unkind not in said


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("round_id", [survey_round.id for survey_round in REFERENCE.rounds])
def test_the_source_link_shown_is_the_page_of_the_round_quoted(
    round_id: str, language: str
) -> None:
    """The figures of one round are cited with that round's page and no other round's."""
    standing = stand_in(REFERENCE, value=CATEGORIES[1], round_id=round_id)
    page = survey_html(REFERENCE, standing, MESSAGES, language)
    links = re.findall(r'href="([^"]+)"', page)
    assert links == [html.escape(standing.round.source, quote=True)]
    assert standing.round.label.in_language(language) in sentence(page)
    assert f"{standing.share:.1f}%" in sentence(page)


def test_the_page_quotes_the_latest_round_with_its_own_report() -> None:
    """By default the latest round is quoted, and its link is its own report, not another's."""
    standing = stand_in(REFERENCE, value=CATEGORIES[0])
    assert standing.round == REFERENCE.latest
    page = survey_html(REFERENCE, standing, MESSAGES, "ja")
    assert f'href="{REFERENCE.latest.source}"' in page
    others = [r.source for r in REFERENCE.rounds if r != REFERENCE.latest]
    assert not any(other in page for other in others)


def test_each_round_of_the_shipped_survey_has_its_own_https_source() -> None:
    """Three rounds, three reports: no two rounds share a link."""
    sources = [survey_round.source for survey_round in REFERENCE.rounds]
    assert all(source.startswith("https://") for source in sources)
    assert len(set(sources)) == len(sources)


def shipped_document() -> dict[str, object]:
    document = yaml.safe_load(Path(default_reference_path()).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_a_survey_wide_source_is_refused_with_where_it_belongs() -> None:
    """One link for the whole survey is what cited one round's page beside another's figures."""
    document = shipped_document()
    document["source"] = "https://example.org/"
    with pytest.raises(DataFileError, match=r"source.*rounds\[n\]\.source"):
        parse_reference(document, source="survey.yaml")


@pytest.mark.parametrize("link", [None, "http://example.org/r5"])
def test_a_round_without_an_https_source_is_refused(link: str | None) -> None:
    """A round must name the https:// page of its own report."""
    document = shipped_document()
    rounds = document["rounds"]
    assert isinstance(rounds, list)
    if link is None:
        del rounds[-1]["source"]
    else:
        rounds[-1]["source"] = link
    with pytest.raises(DataFileError, match=r"rounds\[2\]"):
        parse_reference(document, source="survey.yaml")
