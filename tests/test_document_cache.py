"""Data files are parsed once, when the package is built, into JSON that kernels read without a
YAML parser: a compiled file is used only while it matches its YAML text, reading writes nothing
anywhere, and the quiz's kernel path needs neither PyYAML nor numpy, pandas or SQLAlchemy."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fresh_quiz import refusing, take_the_quiz
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

from assess import default_instrument
from assess.datafiles import compiled
from assess.datafiles.catalogue import default_actions, default_support
from assess.datafiles.checker import DataFileError, read_yaml
from assess.datafiles.compiled import (
    CannotCompileError,
    compile_file,
    compile_folder,
    compile_text,
    compiled_path,
    document_if_current,
    fingerprint,
    read_document,
)
from assess.datafiles.instrument import load_instrument
from assess.datafiles.messages import default_messages
from assess.datafiles.reference import default_reference
from assess.datafiles.shipped import parse_data_file, shipped_data_paths

ROOT = Path(__file__).resolve().parents[1]
COMPILED_PACKAGES = ("yaml", "numpy", "pandas", "sqlalchemy")


class CountingParser:
    """YAML's own parse, counting how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> object:
        self.calls += 1
        return yaml.safe_load(text)


@pytest.fixture(scope="module")
def shipped() -> list[Path]:
    """The shipped data files, with their JSON compiled as `make` compiles it in a checkout
    (beside the YAML, ignored by git; a wheel carries them already, so nothing is written)."""
    paths = shipped_data_paths()
    for path in paths:
        assert compile_file(path), path
    return paths


def _plain_yaml(tmp_path: Path, text: str, name: str = "file.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the compiled form -----------------------------------------------------------------------


def test_a_compiled_file_is_read_instead_of_the_yaml(tmp_path: Path) -> None:
    """Compiled once, then read without asking the parser."""
    source = _plain_yaml(tmp_path, "a: 1\nb: [x, y]\n")
    assert compile_file(source)
    parse = CountingParser()
    assert read_document(source, source.read_text(), parse) == {"a": 1, "b": ["x", "y"]}
    assert parse.calls == 0


def test_a_yaml_file_edited_after_compiling_is_parsed_afresh(tmp_path: Path) -> None:
    """The JSON records the YAML text's SHA-256: an edited file never gets a stale document."""
    source = _plain_yaml(tmp_path, "a: 1\n")
    compile_file(source)
    source.write_text("a: 2\n", encoding="utf-8")
    parse = CountingParser()
    assert read_document(source, source.read_text(), parse) == {"a": 2}
    assert parse.calls == 1
    assert json.loads(compiled_path(source).read_text())["sha256"] == fingerprint("a: 1\n")


@pytest.mark.parametrize(
    "damage",
    ['{"format": "assess-compiled/1", "sha2', "[1, 2]", '{"sha256": "x"}', "\udcff"],
    ids=["cut short", "not ours", "no document", "not UTF-8"],
)
def test_a_damaged_or_foreign_json_beside_the_yaml_is_ignored(tmp_path: Path, damage: str) -> None:
    source = _plain_yaml(tmp_path, "a: 1\n")
    compiled_path(source).write_bytes(damage.encode("utf-8", "surrogateescape"))
    parse = CountingParser()
    assert read_document(source, "a: 1\n", parse) == {"a": 1}
    assert parse.calls == 1


def test_dates_come_back_as_dates(tmp_path: Path) -> None:
    """Support services and the survey carry `checked: YYYY-MM-DD`; their parsers want dates."""
    text = "checked: 2026-11-26\nat: 2026-11-26 10:30:00\n"
    document = document_if_current(compile_text(text), text)
    assert document == {
        "checked": datetime.date(2026, 11, 26),
        "at": datetime.datetime(2026, 11, 26, 10, 30),
    }


@pytest.mark.parametrize(
    "text",
    ["1: one\n2: two\n", "when: {$date: '2026-11-26'}\n", "x: .nan\n", "b: !!binary aGk=\n"],
    ids=["integer keys", "a mapping that reads as a date", "not a number", "bytes"],
)
def test_documents_json_cannot_give_back_exactly_stay_yaml(tmp_path: Path, text: str) -> None:
    """Not compiled (and a stale JSON from before is removed): the YAML is read every time."""
    with pytest.raises(CannotCompileError):
        compile_text(text)
    source = _plain_yaml(tmp_path, text)
    compiled_path(source).write_text("stale", encoding="utf-8")
    assert compile_file(source) is False
    assert not compiled_path(source).exists()


def test_a_file_with_a_syntax_error_is_not_compiled_and_reported_with_its_line(
    tmp_path: Path,
) -> None:
    source = _plain_yaml(tmp_path, "format: assess-instrument/1\nitems: [\n")
    assert compile_folder(tmp_path) == [source]
    with pytest.raises(DataFileError, match="line 3"):
        read_yaml(source)


def test_a_file_with_a_key_written_twice_is_not_compiled_and_the_loader_names_both_lines(
    tmp_path: Path,
) -> None:
    """The compiler refuses a repeated key, so reading the file still reports it, with both lines."""
    source = tmp_path / "bank.yaml"
    source.write_text("format: x\nid: a\nid: b\n", encoding="utf-8")
    assert not compiled.compile_file(source)
    assert not compiled.compiled_path(source).exists()
    with pytest.raises(DataFileError, match="line 3: repeats key 'id' of line 2"):
        read_yaml(source)


def test_compiling_again_leaves_a_current_file_as_it_is(tmp_path: Path) -> None:
    source = _plain_yaml(tmp_path, "a: 1\n")
    compile_file(source)
    target = compiled_path(source)
    os.utime(target, (0, 0))
    assert compile_file(source)
    assert target.stat().st_mtime == 0


def test_the_command_compiles_files_and_folders(tmp_path: Path) -> None:
    """`python src/assess/datafiles/compiled.py PATH...`, as make runs it (a script needing
    only the standard library and PyYAML); a broken file is named."""
    (tmp_path / "i18n").mkdir()
    good = _plain_yaml(tmp_path / "i18n", "a: 1\n", "app.yaml")
    broken = _plain_yaml(tmp_path, "a: [\n", "broken.yaml")
    done = subprocess.run(
        [sys.executable, compiled.__file__, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert compiled_path(good).is_file() and not compiled_path(broken).exists()
    assert str(broken) in done.stderr and "assess validate" in done.stderr
    assert compiled.main([]) == 2


keys = st.text(max_size=8).filter(lambda key: not key.startswith("$"))  # "$date" tags dates
plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(0.8))
@given(document=plain)
def test_whatever_yaml_parses_comes_back_equal_from_its_compiled_form(document: object) -> None:
    """For any plain document: written as YAML, compiled, read back equal to YAML's parse."""
    text = yaml.safe_dump(document, allow_unicode=True)
    assert document_if_current(compile_text(text), text) == yaml.safe_load(text)


# --- the shipped data ------------------------------------------------------------------------


def test_every_shipped_file_reads_the_same_from_json_as_from_yaml(shipped: list[Path]) -> None:
    """Parsed into the same values (instrument, messages, actions, support, survey) both ways."""
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        from_json = document_if_current(compiled_path(path).read_text(encoding="utf-8"), text)
        assert from_json is not None, f"{path}: no current compiled JSON"
        from_yaml = yaml.safe_load(text)
        assert from_json == from_yaml, path
        assert parse_data_file(from_json, source=str(path)) == parse_data_file(
            from_yaml, source=str(path)
        )


def test_the_instrument_loads_the_same_with_and_without_its_json(
    shipped: list[Path], tmp_path: Path
) -> None:
    (instrument,) = [path for path in shipped if path.parent.name == "instruments"]
    alone = tmp_path / instrument.name  # the YAML without its compiled JSON
    alone.write_text(instrument.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_instrument(instrument) == load_instrument(alone)


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(path): path.stat().st_mtime for path in folder.rglob("*")}


@pytest.mark.parametrize("compiled_too", [True, False], ids=["compiled", "YAML only"])
def test_reading_the_data_writes_nothing_anywhere(
    shipped: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled_too: bool
) -> None:
    """Under a temporary HOME (no XDG folders), from a temporary working folder: reading every
    shipped file, and copies of them with or without their JSON, leaves the home folder, the
    working folder and both data folders as they were."""
    home, work, copies = tmp_path / "home", tmp_path / "work", tmp_path / "copies"
    for folder in (home, work, copies):
        folder.mkdir()
    for name in [name for name in os.environ if name.startswith("XDG_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    for path in shipped:
        copy = copies / path.name
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        if compiled_too:
            compile_file(copy)
    shipped_folder = shipped[0].parents[1]
    before = _snapshot(copies), _snapshot(shipped_folder)

    for path in [*shipped, *copies.glob("*.yaml")]:
        parse_data_file(read_yaml(path), source=str(path))
    default_instrument(), default_messages(), default_actions(), default_support()
    default_reference()

    assert list(home.iterdir()) == [] and list(work.iterdir()) == []
    assert (_snapshot(copies), _snapshot(shipped_folder)) == before


# --- the quiz's kernel path ------------------------------------------------------------------


@pytest.mark.slow
def test_the_quiz_runs_to_the_results_without_yaml_numpy_pandas_or_sqlalchemy(
    shipped: list[Path],
) -> None:
    """A fresh interpreter in which importing any of them fails (as in a browser's Python
    without them) builds the quiz, shows the first question and the results and makes every
    take-away, and never even asks for one of them."""
    every_download = (
        "box = quiz.results_page.downloads\n"
        "for make in box.buttons.values():\n"
        "    make.click()\n"
        'print("results:", [bool(link.value) for link in box.links.values()], refused)'
    )
    lines = take_the_quiz(
        before=refusing(*COMPILED_PACKAGES),
        after_start='print("first question:", quiz.page, refused)',
        at_the_results=every_download,
    )
    assert lines[0] == "first question: 1 []"
    assert lines[-1] == "results: [True, True, True, True] []"


def test_importing_assess_brings_none_of_them(shipped: list[Path]) -> None:
    """`import assess` and the quiz's composition root import no compiled package."""
    script = (
        "import sys; import assess, assess.app.roots; "
        f"print(sorted({{m.partition('.')[0] for m in sys.modules}} & {set(COMPILED_PACKAGES)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
