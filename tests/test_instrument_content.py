"""The project's own instrument measures what the product promises, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from assess import Instrument, default_instrument
from assess.core.model import Text

FACETS_BY_INDEX = {
    "isolation_risk": ("spatial", "emotional", "informational", "safety_net"),
    "network_strength": ("online", "offline", "breadth", "depth", "contribution", "solitude"),
}
ALL_FACETS = [facet for facets in FACETS_BY_INDEX.values() for facet in facets]

PROFILE_CODES = {
    "field": (
        "design",
        "engineering",
        "writing",
        "marketing",
        "consulting",
        "translation",
        "media",
        "other",
    ),
    "mode": ("online", "offline", "either"),
    "hours": ("h1", "h3", "h5"),
    "area": ("urban", "suburban", "rural"),
    "years": ("y0", "y1", "y3", "y10"),
}

# Japan's national loneliness survey (人々のつながりに関する基本調査), from never to often/always.
NATIONAL_SURVEY_CATEGORIES = (
    ("決してない", "Never"),
    ("ほとんどない", "Hardly ever"),
    ("たまにある", "Occasionally"),
    ("時々ある", "Sometimes"),
    ("しばしばある・常にある", "Often or always"),
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    """The instrument shipped with the package."""
    return default_instrument()


def visible_texts(instrument: Instrument) -> Iterator[tuple[str, Text]]:
    """Every text a person can see, with where it stands."""
    yield "title", instrument.title
    yield "description", instrument.description
    for scale in instrument.scales:
        for option in scale.options:
            yield f"scale {scale.id} option {option.value}", option.label
    for index in instrument.indices:
        yield f"index {index.id} label", index.label
        yield f"index {index.id} description", index.description
        for band in index.bands.bands:
            yield f"index {index.id} band {band.id} label", band.label
            yield f"index {index.id} band {band.id} explanation", band.explanation
    for facet in instrument.facets:
        yield f"facet {facet.id} label", facet.label
        yield f"facet {facet.id} description", facet.description
        for band in facet.bands.bands:
            yield f"facet {facet.id} band {band.id} explanation", band.explanation
    for item in instrument.items:
        yield f"item {item.id}", item.text
    for question in instrument.profile:
        yield f"profile {question.id}", question.text
        for option in question.options:
            yield f"profile {question.id} option {option.code}", option.label


def test_our_instrument_loads_with_its_id_and_version(instrument: Instrument) -> None:
    """The shipped file loads without problems, as freelance-connection 1.0."""
    assert (instrument.id, instrument.version) == ("freelance-connection", "1.0")


def test_the_description_says_it_is_not_a_diagnosis(instrument: Instrument) -> None:
    """The description calls the quiz a self-check, not a diagnosis, in both languages."""
    assert "診断ではありません" in instrument.description.ja
    assert "not a diagnosis" in instrument.description.en


def test_it_has_between_24_and_40_scored_items(instrument: Instrument) -> None:
    """The bank is long enough to be reliable and short enough to finish."""
    assert 24 <= len(instrument.items) <= 40


@pytest.mark.parametrize(("index_id", "facet_ids"), FACETS_BY_INDEX.items())
def test_each_index_has_the_facets_the_product_names(
    instrument: Instrument, index_id: str, facet_ids: tuple[str, ...]
) -> None:
    """Each index is made of exactly the facets the product names, in that order."""
    assert tuple(facet.id for facet in instrument.facets_of(index_id)) == facet_ids


@pytest.mark.parametrize("facet_id", ALL_FACETS)
def test_every_facet_has_at_least_three_items(instrument: Instrument, facet_id: str) -> None:
    """No facet rests on one or two answers."""
    assert len(instrument.items_of(facet_id)) >= 3


@pytest.mark.parametrize("index_id", FACETS_BY_INDEX)
def test_some_items_are_reverse_keyed_in_each_index(instrument: Instrument, index_id: str) -> None:
    """Both indices mix item directions, so agreeing with everything does not max them out."""
    facet_ids = {facet.id for facet in instrument.facets_of(index_id)}
    items = [item for item in instrument.items if item.facet in facet_ids]
    reversed_items = [item for item in items if item.reverse]
    assert reversed_items
    assert len(reversed_items) < len(items) / 2


def test_there_is_exactly_one_direct_loneliness_question(instrument: Instrument) -> None:
    """The direct question sits in emotional isolation on its own scale, not reversed."""
    item = instrument.item("lonely_direct")
    assert (item.facet, item.scale.id, item.reverse) == ("emotional", "lonely5", False)
    assert [i.id for i in instrument.items if i.scale.id == "lonely5"] == ["lonely_direct"]


def test_the_direct_loneliness_question_follows_the_national_survey(
    instrument: Instrument,
) -> None:
    """Its five options are the national survey's categories, from never to often or always."""
    options = instrument.item("lonely_direct").scale.options
    assert [option.value for option in options] == [1, 2, 3, 4, 5]
    assert [(o.label.ja, o.label.en) for o in options] == list(NATIONAL_SURVEY_CATEGORIES)


def test_the_profile_questions_are_those_the_action_catalogue_matches_on(
    instrument: Instrument,
) -> None:
    """The profile asks exactly the questions whose ids the catalogue knows."""
    assert [question.id for question in instrument.profile] == list(PROFILE_CODES)


@pytest.mark.parametrize(("question_id", "codes"), PROFILE_CODES.items())
def test_each_profile_question_offers_exactly_the_known_codes(
    instrument: Instrument, question_id: str, codes: tuple[str, ...]
) -> None:
    """A profile answer is always a code the action catalogue understands."""
    assert instrument.profile_question(question_id).codes == codes


def test_every_visible_text_is_translated(instrument: Instrument) -> None:
    """No English text is a copy of the Japanese one, which catches untranslated entries."""
    copies = [where for where, text in visible_texts(instrument) if text.ja == text.en]
    assert copies == []


def test_every_japanese_text_is_written_in_japanese(instrument: Instrument) -> None:
    """Each Japanese text contains kana or kanji, so an English one did not slip in."""
    latin_only = [
        where for where, text in visible_texts(instrument) if not JAPANESE.search(text.ja)
    ]
    assert latin_only == []


@pytest.mark.parametrize("seconds_per_question", [8, 10, 12])
def test_the_quiz_takes_five_to_eight_minutes(
    instrument: Instrument, seconds_per_question: int
) -> None:
    """At 8 to 12 seconds a question, scored and profile alike, it takes the promised time."""
    questions = len(instrument.items) + len(instrument.profile)
    assert 5 * 60 <= questions * seconds_per_question <= 8 * 60
