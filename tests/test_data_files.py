"""Every data file shipped is valid, and the files agree with one another."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from assess import default_instrument
from assess.datafiles.catalogue import check_against_instrument, default_actions, default_support
from assess.datafiles.checker import DataFileError
from assess.datafiles.messages import default_messages, parse_messages
from assess.datafiles.reference import default_reference
from assess.datafiles.shipped import validate_files

DATA = Path(__file__).resolve().parents[1] / "data"
SHIPPED = sorted(DATA.rglob("*.yaml"))


def test_the_data_folder_holds_every_kind_of_file() -> None:
    """Instruments, actions, support, wording and the reference survey."""
    folders = {path.parent.name for path in SHIPPED}
    assert {"instruments", "actions", "support", "i18n", "reference"} <= folders


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(DATA)))
def test_every_shipped_data_file_is_valid(path: Path) -> None:
    """`assess validate` finds nothing wrong with it."""
    assert validate_files([path]) == []


def test_the_catalogue_and_support_rules_fit_the_instrument() -> None:
    """Every facet, band, item and value the other files name exists in the instrument."""
    instrument = default_instrument()
    assert check_against_instrument(default_actions(), instrument) == []
    assert check_against_instrument(default_support(), instrument) == []


def test_the_reference_survey_compares_an_item_of_the_instrument() -> None:
    """The national survey's categories are the direct question's option values."""
    reference = default_reference()
    item = default_instrument().item(reference.item)
    assert sorted(reference.categories) == sorted(item.scale.values)


def test_all_wording_files_merge_without_clashes() -> None:
    """Keys are unique across data/i18n/*.yaml (a clash is an error on load)."""
    assert len(default_messages().texts) > 50


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("greeting: {ja: こんにちは}", "missing translation: add the English text under 'en'"),
        ("greeting: {en: Hello}", "missing translation: add the Japanese text under 'ja'"),
        (
            'greeting: {ja: "{name}さん", en: "Hello {nom}"}',
            "placeholders differ between languages",
        ),
        ("greeting: Hello", "must give the text in Japanese and English"),
    ],
)
def test_a_message_without_its_other_language_is_an_error(entry: str, fragment: str) -> None:
    """A wording key that lacks Japanese or English (or mismatches placeholders) fails to load."""
    document = yaml.safe_load(
        textwrap.dedent(f"""
        format: assess-messages/1
        messages:
          {entry}
        """)
    )
    with pytest.raises(DataFileError, match=fragment):
        parse_messages(document, source="ui.yaml")


def _parsers() -> list[object]:
    from assess.datafiles.catalogue import parse_actions
    from assess.datafiles.instrument import parse_instrument
    from assess.datafiles.reference import parse_reference
    from assess.datafiles.support import parse_support

    return [
        pytest.param("instruments/freelance_connection.yaml", parse_instrument, id="instruments"),
        pytest.param("actions/freelance_actions.yaml", parse_actions, id="actions"),
        pytest.param("support/services.yaml", parse_support, id="support"),
        pytest.param("i18n/app.yaml", parse_messages, id="i18n"),
        pytest.param("reference/national_loneliness_survey.yaml", parse_reference, id="reference"),
    ]


@pytest.mark.parametrize(("name", "parse"), _parsers())
def test_every_kind_of_file_says_a_wrong_format_the_same_way(
    name: str, parse: Callable[..., object]
) -> None:
    """Another kind's ``format:`` is one problem on the format entry, quoting what was given."""
    document = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    expected = document["format"]
    document["format"] = "assess-something-else/9"
    with pytest.raises(DataFileError) as raised:
        parse(document, source=name)
    assert [(p.entry, p.message) for p in raised.value.problems] == [
        ("format", f"must be {expected!r} for {_what(parse)}, not 'assess-something-else/9'")
    ]


@pytest.mark.parametrize(("name", "parse"), _parsers())
def test_every_kind_of_file_says_a_missing_format_once(
    name: str, parse: Callable[..., object]
) -> None:
    """No ``format:`` at all: one problem, the missing key, not a second about its value."""
    document = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    del document["format"]
    with pytest.raises(DataFileError) as raised:
        parse(document, source=name)
    assert [(p.entry, p.message) for p in raised.value.problems] == [
        ("top level", "missing required key 'format'; add it")
    ]


def _what(parse: Callable[..., object]) -> str:
    return {
        "parse_instrument": "an instrument",
        "parse_actions": "an action catalogue",
        "parse_support": "a support directory",
        "parse_messages": "a messages file",
        "parse_reference": "a reference file",
    }[parse.__name__]
