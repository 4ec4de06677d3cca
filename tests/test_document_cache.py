"""Parsed data files are kept by content: the same text is parsed once, an edited one afresh,
and a cache that is broken, unwritable or turned off only costs the parse."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.datafiles.cache import cache_dir, parsed
from assess.datafiles.checker import DataFileError, read_yaml
from assess.datafiles.instrument import default_instrument_path, load_instrument


class CountingParser:
    """A YAML parser that counts how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> object:
        self.calls += 1
        return yaml.safe_load(text)


def test_the_same_text_is_parsed_once(tmp_path: Path) -> None:
    """The second read comes from the cache and equals the first."""
    parse = CountingParser()
    first = parsed("a: 1\nb: [x, y]\n", parse, directory=tmp_path)
    second = parsed("a: 1\nb: [x, y]\n", parse, directory=tmp_path)
    assert first == second == {"a": 1, "b": ["x", "y"]}
    assert parse.calls == 1


def test_an_edited_text_is_parsed_afresh(tmp_path: Path) -> None:
    """Entries are named by content: a changed file can never be answered from a stale entry."""
    parse = CountingParser()
    parsed("a: 1\n", parse, directory=tmp_path)
    assert parsed("a: 2\n", parse, directory=tmp_path) == {"a": 2}
    assert parse.calls == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path: Path) -> None:
    parse = CountingParser()
    parsed("a: 1\n", parse, directory=tmp_path)
    (entry,) = tmp_path.iterdir()
    entry.write_text('{"a": ', encoding="utf-8")  # cut short, e.g. a full disk
    assert parsed("a: 1\n", parse, directory=tmp_path) == {"a": 1}
    assert parsed("a: 1\n", parse, directory=tmp_path) == {"a": 1}
    assert parse.calls == 2


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("checked: 2025-03-31\n", {"checked": datetime.date(2025, 3, 31)}),
        ("1: one\n2: two\n", {1: "one", 2: "two"}),
    ],
    ids=["a date", "integer keys"],
)
def test_documents_json_cannot_hold_exactly_are_not_kept(
    tmp_path: Path, text: str, document: object
) -> None:
    """They are returned as parsed, every time, and leave no entry."""
    parse = CountingParser()
    assert parsed(text, parse, directory=tmp_path) == document
    assert parsed(text, parse, directory=tmp_path) == document
    assert parse.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_only_costs_the_parse(tmp_path: Path) -> None:
    """A cache path that is a file (or read-only): the document still comes back."""
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("", encoding="utf-8")
    parse = CountingParser()
    assert parsed("a: 1\n", parse, directory=blocked / "documents") == {"a": 1}
    assert parsed("a: 1\n", parse, directory=blocked / "documents") == {"a": 1}
    assert parse.calls == 2


def test_a_text_that_does_not_parse_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(yaml.YAMLError):
        parsed("a: [1\n", CountingParser(), directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"ASSESS_CACHE_DIR": "/srv/cache"}, Path("/srv/cache")),
        ({"ASSESS_CACHE_DIR": ""}, None),
        ({"XDG_CACHE_HOME": "/var/cache/me"}, Path("/var/cache/me/assess/documents")),
    ],
    ids=["set", "turned off", "XDG"],
)
def test_the_cache_lives_where_the_environment_says(
    environ: dict[str, str], expected: Path | None
) -> None:
    assert cache_dir(environ) == expected


def test_the_shipped_instrument_reads_the_same_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed from YAML, then from the entry it left: the same instrument, one entry."""
    monkeypatch.setenv("ASSESS_CACHE_DIR", str(tmp_path))
    fresh = load_instrument(default_instrument_path())
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert load_instrument(default_instrument_path()) == fresh


def test_a_syntax_error_is_reported_with_its_line_whatever_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESS_CACHE_DIR", str(tmp_path / "cache"))
    broken = tmp_path / "bank.yaml"
    broken.write_text("format: assess-instrument/1\nitems: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataFileError, match="line 3"):
            read_yaml(broken)


plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(document=plain)
def test_whatever_yaml_parses_comes_back_equal_from_the_cache(document: object) -> None:
    """For any plain document: written as YAML, read twice, equal to YAML's own parse."""
    import tempfile

    text = yaml.safe_dump(document, allow_unicode=True)
    with tempfile.TemporaryDirectory() as folder:
        first = parsed(text, yaml.safe_load, directory=Path(folder))
        second = parsed(text, yaml.safe_load, directory=Path(folder))
    assert first == second == yaml.safe_load(text)
