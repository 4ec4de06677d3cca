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


@pytest.fixture(autouse=True)
def _own_document_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parsed-document cache of this test's own: an entry an older parser left for the same
    text (one that kept a duplicate key silently, say) must not answer for the parser under test."""
    monkeypatch.setenv("ASSESS_CACHE_DIR", str(tmp_path_factory.mktemp("documents")))


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


# --- duplicate keys, encodings, tabs, limits, and coverage reported with everything else ------


def problems_in(tmp_path: Path, text: str | bytes, name: str = "bank.yaml") -> list[Problem]:
    """Every problem loading `text` (written to a file) reports."""
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(DataFileError) as caught:
        load_instrument(path)
    return list(caught.value.problems)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `fragment`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return lines[occurrence - 1]


def test_a_key_written_twice_in_an_item_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    """`facet:` twice would otherwise put the item silently in the second facet."""
    text = MINIMAL.replace(
        "  - {id: q2, facet: alone, scale: agree3, text: {ja: 質問2, en: Question 2}}",
        "  - id: q2\n    facet: alone\n    scale: agree3\n    facet: other\n"
        "    text: {ja: 質問2, en: Question 2}",
    )
    (problem,) = problems_in(tmp_path, text)
    first, again = line_of(text, "facet: alone", 2), line_of(text, "facet: other")
    assert problem.entry == f"line {again}"
    assert f"repeats key 'facet' of line {first}" in problem.message


def test_a_second_items_section_is_an_error_not_a_truncated_bank(tmp_path: Path) -> None:
    """The first `items:` is not dropped for a band message whose advice would hide the loss."""
    text = MINIMAL + "items:\n  - {id: q9, facet: alone, scale: agree3, text: {ja: 九, en: Nine}}\n"
    problems = problems_in(tmp_path, text)
    assert [p.entry for p in problems] == [f"line {line_of(text, 'items:', 2)}"]
    assert f"repeats key 'items' of line {line_of(text, 'items:')}" in problems[0].message


@pytest.mark.parametrize("loader_name", ["CSafeLoader", "SafeLoader"])
def test_duplicate_keys_are_found_with_and_without_libyaml(
    loader_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check lives in the constructor both loaders share, so the pure-Python one finds it too."""
    from assess.datafiles import checker

    if loader_name == "SafeLoader":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(checker, "_LOADERS", {})
    with pytest.raises(DataFileError, match=r"line 2: repeats key 'a' of line 1"):
        checker.parse_yaml("a: 1\na: 2\n", source="x.yaml")
    with pytest.raises(DataFileError, match=r"line 1: repeats key 'a' of line 1"):
        checker.parse_yaml("{a: 1, a: 2}\n", source="x.yaml")
    assert checker.parse_yaml("a: {b: 1}\nc: {b: 2}\n", source="x.yaml") == {
        "a": {"b": 1},
        "c": {"b": 2},
    }


def test_band_coverage_is_reported_together_with_other_problems(tmp_path: Path) -> None:
    """A band short of the range is listed beside an unrelated typo, not only after it is fixed."""
    text = MINIMAL.replace("- {id: high, from: 4, to: 6,", "- {id: high, from: 4, to: 5,").replace(
        'version: "1"\n', 'version: "1"\nauthor: me\n'
    )
    entries = [p.entry for p in problems_in(tmp_path, text)]
    assert "top level" in entries
    assert "facets (id 'alone').bands" in entries
    assert "indices (id 'risk').bands" in entries


def test_a_tab_in_the_indentation_is_called_a_tab(tmp_path: Path) -> None:
    """PyYAML's "found character '\\t' that cannot start any token" becomes plain advice."""
    text = MINIMAL.replace("    options:\n", "    options:\n\t", 1)
    (problem,) = problems_in(tmp_path, text)
    assert "indented with a tab" in problem.message
    assert "spaces" in problem.message


def test_a_shift_jis_file_is_named_as_such_with_where_and_how_to_fix(tmp_path: Path) -> None:
    """Bytes saved as Shift-JIS by older Japanese software: say so, where, and save as UTF-8."""
    text = MINIMAL
    (problem,) = problems_in(tmp_path, text.encode("shift_jis"))
    line = line_of(text, "最小の質問票")
    assert problem.entry == f"line {line}, column {text.splitlines()[line - 1].index('最') + 1}"
    assert "Shift-JIS" in problem.message
    assert "save it as UTF-8" in problem.message
    assert "byte 0x" in problem.message


def test_other_non_utf8_bytes_say_which_encoding_to_save_in(tmp_path: Path) -> None:
    """Latin-1 text is not called Shift-JIS, but still told to be saved as UTF-8."""
    (problem,) = problems_in(tmp_path, b"format: assess-instrument/1\nid: caf\xe9\xff\n")
    assert problem.entry == "line 2, column 8"
    assert "is not UTF-8 text (byte 0xe9); save it as UTF-8" in problem.message


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    """Windows Notepad writes a BOM before UTF-8 text; it is not part of the first key."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_instrument(path).id == "minimal"


def test_a_duplicated_band_id_points_to_the_other_band(tmp_path: Path) -> None:
    """ "also at" names where the first band with that id stands, not the same place again."""
    text = MINIMAL.replace("- {id: high, from: 4, to: 6,", "- {id: low, from: 4, to: 6,", 1)
    problems = [p for p in problems_in(tmp_path, text) if "duplicate band id" in p.message]
    assert len(problems) == 1
    assert problems[0].entry == "indices[0] (id 'risk').bands.ranges[1] (id 'low')"
    assert "also at indices[0] (id 'risk').bands.ranges[0] (id 'low')" in problems[0].message


@pytest.mark.parametrize(("written", "meant"), [("jp", "ja"), ("japanese", "ja"), ("eng", "en")])
def test_a_habitual_language_key_suggests_the_one_meant(
    tmp_path: Path, written: str, meant: str
) -> None:
    """`jp:` is a common slip for `ja:`; one problem that says so, not a second 'missing'."""
    text = MINIMAL.replace("title: {ja: 最小の質問票, en: A minimal instrument}", "")
    original = {"ja": "最小の質問票", "en": "A minimal instrument"}
    title = ", ".join(f"{written if k == meant else k}: {v}" for k, v in original.items())
    (problem,) = problems_in(tmp_path, text.replace("version:", f"title: {{{title}}}\nversion:"))
    assert problem.entry == "title"
    assert f"unknown key {written!r}; did you mean {meant!r}?" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "entry", "fragment"),
    [
        ("{value: 3,", "{value: 30000000000000000000,", "options[2].value", "between"),
        ("{value: 3,", "{value: 3, score: 1.0e+300,", "options[2].score", "between"),
        (
            "scale: agree3, text: {ja: 質問1",
            "scale: agree3, weight: 1.0e+308, text: {ja: 質問1",
            "items[0] (id 'q1').weight",
            "from 0.001 to 1,000",
        ),
        (
            "scale: agree3, text: {ja: 質問1",
            "scale: agree3, weight: 1.0e-300, text: {ja: 質問1",
            "items[0] (id 'q1').weight",
            "from 0.001 to 1,000",
        ),
        ("{value: 3,", "{value: 3, score: .nan,", "options[2].score", "must be a number"),
    ],
)
def test_values_that_would_break_scoring_do_not_validate(
    tmp_path: Path, old: str, new: str, entry: str, fragment: str
) -> None:
    """Option values, scores and weights are finite and bounded (data/README.md, Limits)."""
    problems = problems_in(tmp_path, MINIMAL.replace(old, new, 1))
    assert any(p.entry.endswith(entry) and fragment in p.message for p in problems), [
        str(p) for p in problems
    ]


def test_more_bands_than_the_cohort_scorer_can_number_do_not_validate(tmp_path: Path) -> None:
    """200 bands would wrap the cohort scorer's one-byte band numbers: at most 100."""
    ranges = "".join(
        f"\n        - {{id: b{k}, from: {2 + k * 0.02:g}, to: {2 + (k + 1) * 0.02:g}, "
        "label: {ja: 帯, en: Band}, explanation: {ja: 帯, en: Band}}"
        for k in range(200)
    )
    text = MINIMAL.replace(
        "      ranges:\n        - {id: low, from: 2, to: 4, label: {ja: 低, en: Low}, "
        "explanation: {ja: 低い, en: Low}}\n        - {id: high, from: 4, to: 6, label: {ja: 高, "
        "en: High}, explanation: {ja: 高い, en: High}}",
        "      ranges:" + ranges,
        1,
    )
    assert text != MINIMAL
    problems = problems_in(tmp_path, text)
    assert [p.message for p in problems] == ["has 200 bands; give at most 100"]


def test_a_bank_at_the_limits_scores_the_same_on_both_paths() -> None:
    """Values of ±1,000,000 with weight 1,000 and 0.001: one person and a cohort agree."""
    import pandas as pd

    from assess.core.model import Answers
    from assess.core.scoring import score
    from assess.group.cohort import score_cohort

    text = (
        MINIMAL.replace("{value: 1,", "{value: -1000000,")
        .replace("{value: 3,", "{value: 1000000,")
        .replace("scale: agree3, text: {ja: 質問1", "scale: agree3, weight: 1000, text: {ja: 質問1")
        .replace(
            "scale: agree3, text: {ja: 質問2", "scale: agree3, weight: 0.001, text: {ja: 質問2"
        )
        .replace("basis: raw", "basis: percent")
        .replace("from: 2, to: 4", "from: 0, to: 50")
        .replace("from: 4, to: 6", "from: 50, to: 100")
    )
    instrument = parse_instrument(yaml.safe_load(text), source="limits.yaml")
    rows = [{"q1": a, "q2": b} for a in (-1000000, 2, 1000000) for b in (-1000000, 2, 1000000)]
    cohort = score_cohort(instrument, pd.DataFrame(rows))
    for position, row in enumerate(rows):
        one = score(instrument, Answers(row))
        assert cohort.loc[position, "alone_percent"] == pytest.approx(one.facets[0].percent)
        assert cohort.loc[position, "risk_percent"] == pytest.approx(one.indices[0].percent)


def test_a_folder_means_every_data_file_in_it(tmp_path: Path) -> None:
    """`validate data` checks each file under the folder instead of failing on 'Is a directory'."""
    (tmp_path / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "bad.yaml").write_text(
        MINIMAL.replace("id: minimal", "id: minimal\nauthor: me"), encoding="utf-8"
    )
    (tmp_path / "notes.md").write_text("# not a data file\n", encoding="utf-8")
    problems = validate_files([tmp_path])
    assert [(Path(p.file).name, p.entry) for p in problems] == [("bad.yaml", "top level")]


def test_the_shipped_data_folder_validates_as_a_whole() -> None:
    """Every file under data/ is valid, found through the folder alone."""
    assert validate_files([Path(__file__).parents[1] / "data"]) == []


def test_an_empty_folder_is_a_problem_not_a_pass(tmp_path: Path) -> None:
    """Nothing checked is not 'valid'."""
    (problem,) = validate_files([tmp_path])
    assert "holds no data files" in problem.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: !!python/object:os.system {}\n", "uses a YAML tag"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nests"),
        ("a: [1, 2\n", "is not valid YAML"),
    ],
    ids=["python tag", "deep nesting", "syntax"],
)
def test_hostile_yaml_gives_one_problem_not_a_crash(
    tmp_path: Path, text: str, fragment: str
) -> None:
    """Tags, ten thousand brackets and broken syntax all end as a problem naming the file."""
    (problem,) = problems_in(tmp_path, text)
    assert fragment in problem.message
    assert len(str(problem)) < 300
