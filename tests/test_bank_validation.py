"""Loading a question bank reports every problem at once, each naming the file, the entry and the fix.

Each file under tests/data/malformed/ is the minimal valid instrument below with one thing broken
(except several_problems.yaml, which breaks five), paired here with the entry it must name and
the fragments its message must contain.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from assess.datafiles.checker import DataFileError, Problem
from assess.datafiles.instrument import load_instrument, parse_instrument
from assess.datafiles.shipped import validate_files

MALFORMED = Path(__file__).parent / "data" / "malformed"
SHIPPED_INSTRUMENTS = sorted((Path(__file__).parents[1] / "data" / "instruments").glob("*.yaml"))

# The valid instrument every malformed file is based on: one scale, one index, one facet of two
# items, raw bands 2–6 on the facet and on the index.
MINIMAL = textwrap.dedent(
    """
    format: assess-instrument/1
    id: minimal
    version: "1"
    title: {ja: 最小の質問票, en: A minimal instrument}
    scales:
      - id: agree3
        options:
          - {value: 1, label: {ja: いいえ, en: "No"}}
          - {value: 2, label: {ja: 少し, en: A little}}
          - {value: 3, label: {ja: はい, en: "Yes"}}
    indices:
      - id: risk
        label: {ja: リスク, en: Risk}
        description: {ja: リスクの説明, en: What risk means}
        higher_is: risk
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: low, from: 2, to: 4, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 4, to: 6, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
    facets:
      - id: alone
        index: risk
        label: {ja: 一人, en: Alone}
        description: {ja: 一人の時間, en: Time alone}
        aggregation: sum
        max_missing: 1
        bands:
          basis: raw
          ranges:
            - {id: low, from: 2, to: 4, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 4, to: 6, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
    items:
      - {id: q1, facet: alone, scale: agree3, text: {ja: 質問1, en: Question 1}}
      - {id: q2, facet: alone, scale: agree3, text: {ja: 質問2, en: Question 2}}
    """
)

# (file, the entry the problem must name, fragments its message must contain)
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("unknown_top_level_key", "top level", ("unknown key 'author'", "remove it", "known keys:")),
    ("unknown_item_key", "items[0] (id 'q1')", ("unknown key 'wieght'", "did you mean 'weight'?")),
    (
        "unknown_scale",
        "items[1] (id 'q2').scale",
        ("unknown scale 'agree4'", "did you mean 'agree3'?"),
    ),
    (
        "duplicate_item_id",
        "items[1]",
        ("duplicate question id 'q1'", "different id"),
    ),
    (
        "duplicate_scale_id",
        "scales[1]",
        ("duplicate scale id 'agree3'", "also at scales[0]", "different id"),
    ),
    ("item_without_facet", "items[1] (id 'q2')", ("has no facet", "name the facet")),
    ("item_without_facet", "items[1] (id 'q2')", ("missing required key 'facet'",)),
    (
        "item_with_unknown_facet",
        "items[1] (id 'q2').facet",
        ("unknown facet 'alon'", "did you mean 'alone'?"),
    ),
    ("item_facet_as_list", "items[1] (id 'q2').facet", ("must be an id", "not a list")),
    ("item_scale_as_list", "items[1] (id 'q2').scale", ("names unknown scale ['agree3']",)),
    ("facet_without_items", "facets (id 'unheard')", ("has no items", "or remove the facet")),
    (
        "facet_with_unknown_index",
        "facets (id 'alone').index",
        ("unknown index 'risks'", "['risk']"),
    ),
    ("facet_without_bands", "facets[0] (id 'alone')", ("has no bands", "facet_bands")),
    ("index_without_facets", "indices (id 'strength')", ("has no facets", "or remove it")),
    (
        "bands_overlap",
        "indices[0] (id 'risk').bands.ranges (id 'high')",
        ("overlaps band 'low'", "starts at 3", "runs to 4"),
    ),
    (
        "bands_gap",
        "indices[0] (id 'risk').bands.ranges (id 'high')",
        ("leaves a gap after band 'low'", "from 4 to 5 fall in no band"),
    ),
    (
        "bands_short_of_range",
        "facets (id 'alone').bands",
        ("cover 2–5", "raw scores here run 2–6", "the last end at 6"),
    ),
    (
        "band_from_not_below_to",
        "facets[0] (id 'alone').bands.ranges[1] (id 'high')",
        ("'from' (6) must be below 'to' (4)",),
    ),
    ("option_value_duplicated", "scales[0] (id 'agree3').options", ("value 2 appears twice",)),
    (
        "option_value_not_whole",
        "scales[0] (id 'agree3').options[1].value",
        ("must be a whole number", "1.5"),
    ),
    (
        "option_score_not_number",
        "scales[0] (id 'agree3').options[2].score",
        ("must be a number", "'high'"),
    ),
    (
        "scale_with_one_option",
        "scales[0] (id 'agree3').options",
        ("has one option", "at least two"),
    ),
    ("missing_english", "title", ("missing translation", "English", "'en'")),
    ("missing_japanese", "items[0] (id 'q1').text", ("missing translation", "Japanese", "'ja'")),
    (
        "text_as_plain_string",
        "facets[0] (id 'alone').label",
        ("Japanese and English", "{ja: ..., en: ...}"),
    ),
    ("weight_as_text", "items[0] (id 'q1').weight", ("must be a number", "'two'")),
    ("reverse_as_yes_text", "items[0] (id 'q1').reverse", ("must be true or false", "'yes'")),
    ("negative_weight", "items[1] (id 'q2').weight", ("must be above 0", "-1")),
    (
        "max_missing_allows_all",
        "facets (id 'alone').max_missing",
        ("allows all of its items to be missing (2)", "lower it below"),
    ),
    ("negative_max_missing", "facets[0] (id 'alone').max_missing", ("must be at least 0", "-1")),
    ("aggregation_unknown", "facets[0] (id 'alone').aggregation", ("'sum', 'mean'", "'median'")),
    ("wrong_format", "format", ("must be 'assess-instrument/1'", "'assess-instrument/2'")),
    ("invalid_yaml_syntax", "line 6, column 7", ("is not valid YAML", "fix the syntax")),
    ("empty_file", "top level", ("must be a mapping", "not nothing")),
    ("list_not_mapping", "top level", ("must be a mapping", "not a list")),
    ("missing_required_key", "top level", ("missing required key 'version'", "add it")),
]

MALFORMED_FILES = sorted(MALFORMED.glob("*.yaml"))


def problems_of(path: Path) -> tuple[Problem, ...]:
    """Every problem load_instrument reports for a file (failing the test if it loads)."""
    with pytest.raises(DataFileError) as caught:
        load_instrument(path)
    return caught.value.problems


def test_the_instrument_the_malformed_files_are_based_on_is_valid() -> None:
    """The minimal instrument parses, so each malformed file fails only for what it breaks."""
    instrument = parse_instrument(yaml.safe_load(MINIMAL), source="minimal.yaml")
    assert [item.id for item in instrument.items] == ["q1", "q2"]


@pytest.mark.parametrize(
    ("name", "entry", "fragments"), CASES, ids=[f"{n}-{e}" for n, e, _ in CASES]
)
def test_each_malformed_file_names_the_entry_and_says_what_is_wrong(
    name: str, entry: str, fragments: tuple[str, ...]
) -> None:
    """The file gives a problem at the expected entry whose message holds every expected fragment."""
    problems = problems_of(MALFORMED / f"{name}.yaml")
    at_entry = [p.message for p in problems if p.entry == entry]
    assert at_entry, f"no problem names {entry!r}; got {[str(p) for p in problems]}"
    assert any(all(f in message for f in fragments) for message in at_entry), at_entry


def test_every_malformed_file_is_checked_and_there_are_at_least_22() -> None:
    """No fixture file is left out of the table, and the table has no file that is missing."""
    in_table = {name for name, _, _ in CASES} | {"several_problems"}
    on_disk = {path.stem for path in MALFORMED_FILES}
    assert in_table == on_disk
    assert len(on_disk) >= 22


@pytest.mark.parametrize(
    "name",
    [
        "weight_as_text",
        "negative_weight",
        "reverse_as_yes_text",
        "missing_japanese",
        "unknown_scale",
        "option_value_not_whole",
        "bands_gap",
        "wrong_format",
    ],
)
def test_one_broken_entry_gives_one_problem_not_a_cascade(name: str) -> None:
    """A broken item does not also make its facet's max_missing 'allow all items to be missing'."""
    problems = problems_of(MALFORMED / f"{name}.yaml")
    assert len(problems) == 1, [str(p) for p in problems]


def test_one_broken_facet_does_not_make_its_index_max_missing_an_error() -> None:
    """An index tolerating one of two facets stays valid when the other facet has a typo."""
    two_facets = MINIMAL.replace(
        "    aggregation: sum\n    bands:",
        "    aggregation: sum\n    max_missing: 1\n    bands:",
        1,
    ).replace(
        "items:\n",
        textwrap.dedent(
            """\
              - id: unheard
                index: risk
                label: {ja: 聞かれない, en: Unheard}
                description: {ja: 話せない, en: Nobody to talk to}
                aggregation: median
                bands: {basis: percent, ranges: [{id: all, from: 0, to: 100, label: {ja: 全体, en: All}, explanation: {ja: 全体, en: All}}]}
            items:
              - {id: q3, facet: unheard, scale: agree3, text: {ja: 質問3, en: Question 3}}
            """
        ),
    )
    with pytest.raises(DataFileError) as caught:
        parse_instrument(yaml.safe_load(two_facets), source="two_facets.yaml")
    assert [(p.entry, p.message) for p in caught.value.problems] == [
        ("facets[1] (id 'unheard').aggregation", "must be one of 'sum', 'mean', not 'median'")
    ]


def test_a_file_with_several_problems_reports_all_of_them_at_once() -> None:
    """Five defects in one file give five problems in one error, so one round of edits fixes all."""
    path = MALFORMED / "several_problems.yaml"
    with pytest.raises(DataFileError) as caught:
        load_instrument(path)
    problems = caught.value.problems
    assert [(p.entry, p.message.split(";")[0]) for p in problems] == [
        ("top level", "unknown key 'author'"),
        ("title", "missing translation: add the English text under 'en'"),
        ("scales[0] (id 'agree3').options[1].value", "must be a whole number, not the number 1.5"),
        ("items[1] (id 'q2').scale", "names unknown scale 'agree4'"),
        ("items[1] (id 'q2').weight", "must be above 0, not -1"),
    ]
    assert str(caught.value).startswith("5 problems found:\n")
    assert str(caught.value).count(f"  - {path}: ") == 5


@pytest.mark.parametrize("path", MALFORMED_FILES, ids=[p.stem for p in MALFORMED_FILES])
def test_every_problem_names_the_file_path(path: Path) -> None:
    """Each problem carries the path it was loaded from, and the error text repeats it per line."""
    with pytest.raises(DataFileError) as caught:
        load_instrument(path)
    problems = caught.value.problems
    assert problems
    assert all(problem.file == str(path) for problem in problems)
    lines = str(caught.value).splitlines()[1:]
    assert len(lines) == len(problems)
    assert all(line.startswith(f"  - {path}: ") for line in lines)


def test_loading_a_file_that_does_not_exist_says_so_and_names_it(tmp_path: Path) -> None:
    """A wrong path gives a DataFileError naming the path, not a bare FileNotFoundError."""
    path = tmp_path / "no_such_bank.yaml"
    with pytest.raises(DataFileError) as caught:
        load_instrument(path)
    assert [(p.file, p.entry, p.message) for p in caught.value.problems] == [
        (str(path), "file", "does not exist; check the path")
    ]
    assert str(path) in str(caught.value)


def test_invalid_yaml_names_the_line_to_fix() -> None:
    """The unclosed mapping on line 5 is reported where the parser notices it, on line 6."""
    (problem,) = problems_of(MALFORMED / "invalid_yaml_syntax.yaml")
    assert problem.entry.startswith("line 6,")
    assert "expected ',' or '}'" in problem.message


@pytest.mark.parametrize("path", SHIPPED_INSTRUMENTS, ids=[p.name for p in SHIPPED_INSTRUMENTS])
def test_every_shipped_instrument_loads_without_problems(path: Path) -> None:
    """Each question bank under data/instruments/ loads and validates cleanly."""
    instrument = load_instrument(path)
    assert instrument.items
    assert validate_files([path]) == []


def test_there_is_at_least_one_shipped_instrument() -> None:
    """The glob above is not silently empty."""
    assert SHIPPED_INSTRUMENTS
