"""The command line under hostile input: every case ends with one clean line, never a traceback.

Each file in tests/data/hostile/ is something a careless author, a spreadsheet or an attacker
might hand the `assess` command; big inputs (50 MB keys, 25 MB CSVs, 100,000 brackets) are made
here, not committed.  Every case must end with exit status 2 (the command line is wrong) or 1
(the data is wrong) or 0 (the input is fine after all, e.g. a JSON file with a byte-order mark),
a single line on standard error, bounded output, and no character the terminal would act on.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assess.app.cli import MAX_COHORT_CSV_BYTES, main, printable

HOSTILE = Path(__file__).parent / "data" / "hostile"
MAX_STDERR = 300
"""No error line is longer than this, however long the value (or file name) that caused it."""
MAX_STDOUT = 200_000


@dataclass(frozen=True)
class Case:
    """One hostile input: the arguments (HOSTILE and a scratch folder filled in), what to expect."""

    name: str
    argv: Callable[[Path], list[str]]
    status: int
    says: str = ""  # a fragment standard error must contain
    stdin: bytes = b""


def hostile(name: str) -> str:
    return str(HOSTILE / name)


def made(name: str, content: bytes) -> Callable[[Path], str]:
    """A big input written to the scratch folder when the case runs."""

    def write(folder: Path) -> str:
        path = folder / name
        path.write_bytes(content)
        return str(path)

    return write


def score(name: str, *extra: str) -> Callable[[Path], list[str]]:
    return lambda _: ["score", hostile(name), *extra]


def score_made(name: str, content: Callable[[], bytes]) -> Callable[[Path], list[str]]:
    return lambda folder: ["score", made(name, content())(folder)]


def plan(*extra: str) -> Callable[[Path], list[str]]:
    return lambda _: ["plan", hostile("answers_json_bom.json"), *extra]


ESC = "\x1b"
FILE_CASES = [
    Case("yaml syntax error", score("answers_yaml_syntax.yaml"), 1, "not valid YAML"),
    Case("yaml python tag", score("answers_yaml_python_tag.yaml"), 1, "YAML tag"),
    Case("yaml unknown tag", score("answers_yaml_unknown_tag.yaml"), 1, "YAML tag"),
    Case("yaml tab indentation", score("answers_yaml_tab.yaml"), 1, "tab"),
    Case("yaml duplicate key", score("answers_yaml_duplicate_key.yaml"), 1, "repeats key"),
    Case("yaml alias bomb", score("answers_yaml_alias_bomb.yaml"), 1, "not a question"),
    Case("yaml list", score("answers_yaml_list.yaml"), 1, "expected a mapping"),
    Case("yaml with BOM", score("answers_yaml_bom.yaml"), 0),
    Case("json not a mapping", score("answers_json_not_mapping.json"), 1, "expected a mapping"),
    Case("json syntax error", score("answers_json_syntax.json"), 1, "not valid JSON"),
    Case("json text answer", score("answers_json_text_answer.json"), 1, "not str '4'"),
    Case("json boolean answer", score("answers_json_bool_answer.json"), 1, "not bool True"),
    Case("json NaN and Infinity", score("answers_json_nan.json"), 1, "whole number"),
    Case("json 1e999", score("answers_json_huge_number.json"), 1, "whole number"),
    Case("json 5000 digits", score("answers_json_many_digits.json"), 1, "digits long"),
    Case("json duplicate key", score("answers_json_duplicate_key.json"), 1, "appears twice"),
    Case("json escape in key", score("answers_json_escape_key.json"), 1, "not a question"),
    Case("json escape in value", score("answers_json_escape_value.json"), 1, "whole number"),
    Case("json bidi override in key", score("answers_json_bidi_key.json"), 1, "not a question"),
    Case("json NUL bytes", score("answers_json_null_bytes.json"), 1, "not valid JSON"),
    Case("json empty file", score("answers_json_empty.json"), 1, "not valid JSON"),
    Case("json off-scale", score("answers_json_off_scale.json"), 1, "not on scale"),
    Case(
        "json responses a list",
        score("answers_json_responses_not_mapping.json"),
        1,
        "must each map",
    ),
    Case("json escape in profile", score("answers_json_bad_profile.json"), 1, "not an option"),
    Case("json with BOM", score("answers_json_bom.json"), 0),
    Case("json Shift-JIS", score("answers_json_shift_jis.json"), 1, "Shift-JIS"),
    Case("json UTF-16", score("answers_json_utf16.json"), 1, "save it as UTF-8"),
    Case("json binary", score("answers_json_binary.json"), 1, "save it as UTF-8"),
    Case("json far taken_on", lambda _: ["plan", hostile("answers_json_taken_on_far.json")], 0),
    Case("csv formula cells", score("cohort_formula.csv"), 0),
    Case("csv formula cells, long", score("cohort_formula.csv", "--long"), 0),
    Case("csv text answer", score("cohort_text_answer.csv"), 1, "not str 'four'"),
    Case("csv TRUE/FALSE", score("cohort_bool_answer.csv"), 1, "not bool True"),
    Case("csv escape in column", score("cohort_unknown_column.csv"), 1, "not a question"),
    Case("csv ragged rows", score("cohort_ragged.csv"), 1, "not a CSV table"),
    Case("csv empty", score("cohort_empty.csv"), 1, "is empty"),
    Case("csv header only", score("cohort_header_only.csv"), 0),
    Case("csv 3e19 answer", score("cohort_off_scale.csv"), 1, "not on scale"),
    Case("csv long format", score("cohort_long.csv"), 0),
    Case("csv CR-only line ends", score("cohort_cr_line_ends.csv"), 0),
    Case("csv escapes in respondent ids", score("cohort_escape_respondent.csv"), 0),
    Case(
        "csv escapes in respondent ids, long",
        score("cohort_escape_respondent.csv", "--long"),
        0,
    ),
    Case("csv long, an item twice", score("cohort_long_duplicate.csv"), 1, "more than once"),
    Case("tsv", score("cohort_tab.tsv"), 0),
    Case("csv Shift-JIS", score("cohort_shift_jis.csv"), 1, "Shift-JIS"),
    Case("csv Latin-1", score("cohort_latin1.csv"), 1, "save it as UTF-8"),
    Case(
        "bank duplicate key",
        lambda _: ["validate", hostile("bank_duplicate_key.yaml")],
        1,
        "problem(s) in 1 file(s)",
    ),
    Case("bank tab", lambda _: ["validate", hostile("bank_tab.yaml")], 1, "problem(s)"),
    Case(
        "bank weight 1e308 to score with",
        score("answers_json_bom.json", "--instrument", hostile("bank_weight_overflow.yaml")),
        1,
        "from 0.001 to 1,000",
    ),
    Case(
        "bank value 3e19 to score a cohort with",
        score("cohort_header_only.csv", "--instrument", hostile("bank_value_overflow.yaml")),
        1,
        "between",
    ),
    Case("bank unknown format", lambda _: ["validate", hostile("bank_unknown_format.yaml")], 1),
    Case("bank jp key", lambda _: ["validate", hostile("bank_jp_key.yaml")], 1),
    Case("bank Shift-JIS", lambda _: ["validate", hostile("bank_shift_jis.yaml")], 1),
    Case("validate the hostile folder", lambda _: ["validate", str(HOSTILE)], 1, "problem(s)"),
    Case("validate a missing file", lambda f: ["validate", str(f / "none.yaml")], 1),
    Case("score a folder", lambda _: ["score", str(HOSTILE)], 1, "is a folder"),
    Case("score a missing file", lambda f: ["score", str(f / "none.json")], 1, "does not exist"),
    Case(
        "score a 4,000-character file name",
        lambda f: ["score", str(f / ("n" * 200) / ("m" * 3800)) + ".csv"],
        1,
        "mmm.csv: ",
    ),
    Case("score a device", lambda _: ["score", "/dev/null"], 1, "not a regular file"),
    Case(
        "codes with escapes",
        lambda _: ["cohort", "--codes", hostile("codes_escape.txt")],
        0,
        "more lines not counted",
    ),
    Case(
        "codes from standard input",
        lambda _: ["cohort", "--codes", "-"],
        0,
        "line 1",
        stdin=b"\x1b[2Jnot-a-code\n",
    ),
    Case(
        "codes Shift-JIS",
        lambda f: ["cohort", "--codes", made("codes.txt", "山田\n".encode("shift_jis"))(f)],
        1,
        "Shift-JIS",
    ),
]

BIG_CASES = [
    Case(
        "json nested 100,000 deep",
        score_made("deep.json", lambda: b"[" * 100_000 + b"]" * 100_000),
        1,
        "deep",
    ),
    Case(
        "json object nested 100,000 deep",
        score_made("deep_object.json", lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        1,
        "",
    ),
    Case(
        "yaml nested 100,000 deep",
        score_made("deep.yaml", lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000),
        1,
        "deep",
    ),
    Case(
        "json 50 MB unknown key",
        score_made("huge_key.json", lambda: b'{"' + b"k" * 50_000_000 + b'": 1}'),
        1,
        "larger than 1 MB",
    ),
    Case(
        "json 900 kB unknown key",
        score_made("long_key.json", lambda: b'{"' + b"k" * 900_000 + b'": 1}'),
        1,
        "not a question",
    ),
    Case(
        "json 900 kB text answer",
        score_made(
            "long_value.json", lambda: b'{"spatial_1": "' + b"\\u001b" * 10 + b"v" * 900_000 + b'"}'
        ),
        1,
        "whole number",
    ),
    Case(
        "csv over the size limit",
        score_made(
            "big.csv",
            lambda: b"respondent,spatial_1\n" + b"r,4\n" * (MAX_COHORT_CSV_BYTES // 4 + 1),
        ),
        1,
        "larger than",
    ),
    Case(
        "csv 19 MB of one line",
        score_made("one_line.csv", lambda: b"r" * 19_000_000),
        1,
        "header row cannot be read",
    ),
    Case(
        "csv 100,000 unknown columns",
        score_made("wide.csv", lambda: ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n"),
        1,
        "and 99997 more",
    ),
    Case(
        "bank 11 MB",
        lambda f: ["validate", made("big.yaml", b"# " + b"x" * 11_000_000 + b"\n")(f)],
        1,
        "problem(s)",
    ),
]

ARGUMENT_CASES = [
    Case("plan --date 9999-12-20", plan("--date", "9999-12-20"), 2, "2149-12-31"),
    Case("plan --date 0001-01-01", plan("--date", "0001-01-01"), 2, "2020-01-01"),
    Case("plan --date not a date", plan("--date", f"{ESC}[2J2026"), 2, "not a date"),
    Case("plan --code garbage", lambda _: ["plan", "--code", f"{ESC}[2J" + "A" * 5000], 1),
    Case("plan --code empty", lambda _: ["plan", "--code", ""], 1),
    Case(
        "plan --lang escape",
        plan("--lang", f"{ESC}]0;owned\a"),
        2,
        "not a language offered",
    ),
    Case(
        "cohort --cohort escape",
        lambda _: ["cohort", "--synthetic", "5", "--cohort", f"{ESC}[31mws"],
        2,
        "workshop code",
    ),
    Case(
        "cohort --cohort 10 kB",
        lambda _: ["cohort", "--synthetic", "5", "--cohort", "w" * 10_000],
        2,
        "workshop code",
    ),
    Case(
        "cohort --synthetic 10^12",
        lambda _: ["cohort", "--synthetic", "1000000000000"],
        2,
        "100,000",
    ),
    Case("cohort --synthetic -5", lambda _: ["cohort", "--synthetic", "-5"], 2, "whole number"),
    Case(
        "cohort --min-group 1",
        lambda _: ["cohort", "--synthetic", "5", "--min-group", "1"],
        1,
        "at least 3",
    ),
    Case("cohort --seed -1", lambda _: ["cohort", "--synthetic", "5", "--seed", "-1"], 2, "from 0"),
    Case(
        "cohort --store without --cohort",
        lambda _: ["cohort", "--store", "sqlite://"],
        1,
        "--cohort",
    ),
    Case("unknown command", lambda _: [f"{ESC}[2Jscore"], 2, "invalid choice"),
    Case("unknown option", lambda _: ["score", "x.json", f"--{ESC}[5mblink"], 2, "unrecognized"),
    Case(
        "extra argument",
        lambda _: ["score", "x.json", f"{ESC}]0;title\a" + "y" * 5000],
        2,
        "unrecognized",
    ),
    Case("no command", lambda _: [], 2, "required"),
    Case("score --long with JSON", score("answers_json_bom.json", "--long"), 0),
]

CASES = FILE_CASES + BIG_CASES + ARGUMENT_CASES


@pytest.fixture(autouse=True)
def _parse_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No parsed-document cache: each case is parsed by the code under test, and none is kept."""
    monkeypatch.setenv("ASSESS_CACHE_DIR", "")


@dataclass(frozen=True)
class Ending:
    status: int
    stdout: bytes
    stderr: str


def run_in_process(
    argv: list[str], stdin: bytes, capsysbinary: pytest.CaptureFixture[bytes]
) -> Ending:
    """The CLI's `main`, as the `assess` script runs it, with standard input given."""
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = old_stdin
    captured = capsysbinary.readouterr()
    return Ending(status, captured.out, captured.err.decode("utf-8", errors="replace"))


def check_ending(case: Case, argv: list[str], ending: Ending) -> None:
    assert ending.status == case.status, ending.stderr
    assert "Traceback" not in ending.stderr
    lines = ending.stderr.splitlines()
    if case.status != 0:
        assert len(lines) == 1, lines[:5]
    else:
        assert len(lines) <= 7, lines[:10]  # at most 5 warnings and a count
    assert all(len(line) <= MAX_STDERR for line in lines)
    assert case.says in ending.stderr
    # Nothing the terminal acts on: no escape, no bell, no carriage return, no bidi override.
    assert not any(c in ending.stderr for c in "\x1b\x07\r\x9b\u202e\x00")
    assert len(ending.stdout) <= MAX_STDOUT
    if case.status != 0 and argv[:1] != ["validate"]:
        assert ending.stdout == b""  # only `validate` lists problems on standard output
    assert not any(c in ending.stdout for c in (b"\x1b", b"\x07")) or case.status == 0


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_hostile_input_ends_in_one_clean_line(
    case: Case, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Exit 2 for usage, 1 for bad data, 0 when fine; one line on stderr; nothing raw echoed."""
    argv = case.argv(tmp_path)
    check_ending(case, argv, run_in_process(argv, case.stdin, capsysbinary))


def test_the_corpus_holds_every_hostile_file_and_each_is_tried(tmp_path: Path) -> None:
    """A file added to tests/data/hostile/ without a case here would be silently untested."""
    named = {
        arg for case in FILE_CASES for arg in case.argv(tmp_path) if arg.startswith(str(HOSTILE))
    }
    on_disk = {str(path) for path in HOSTILE.iterdir()}
    assert on_disk - named == set()


CORPUS_SIZE = 84
"""The cases there were when this floor was set: a case removed on purpose lowers it here."""


def test_the_corpus_keeps_its_cases_each_under_its_own_name() -> None:
    """No case is dropped unnoticed, and none hides behind another's name (its test id)."""
    names = [case.name for case in CASES]
    assert len(names) >= CORPUS_SIZE
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_formula_cells_are_defused_in_the_cohort_csv(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """`score --long` and the wide output write respondent ids as text no spreadsheet runs."""
    for extra in ([], ["--long"]):
        ending = run_in_process(["score", hostile("cohort_formula.csv"), *extra], b"", capsysbinary)
        cells = [line.split(",")[0] for line in ending.stdout.decode().splitlines()[1:]]
        assert {'\'=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'} & set(cells)
        assert all(not cell.startswith(("=", "@", "+", "-", "\t")) for cell in cells), cells


@pytest.mark.parametrize("extra", [[], ["--long"]], ids=["wide", "long"])
def test_no_output_cell_carries_a_character_the_terminal_acts_on(
    extra: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Respondent ids with ESC sequences, a bell, CSI and a bidi override: written as visible
    escapes (the CSV is often read in a terminal first), and a formula still defused."""
    ending = run_in_process(
        ["score", hostile("cohort_escape_respondent.csv"), *extra], b"", capsysbinary
    )
    text = ending.stdout.decode()
    assert ending.status == 0
    acting = [c for c in text if c not in "\r\n" and unicodedata.category(c) in {"Cc", "Cf"}]
    assert acting == []
    ids = {line.split(",")[0] for line in text.splitlines()[1:]}
    assert ids == {"\\x1b[2J\\x1b]0;owned\\x07r1", "\\u202er2\\x9b31m", "'=\\x1b[5mr3"}


def test_a_cohort_csv_with_old_mac_line_ends_is_read_row_by_row(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """Lines ended by a carriage return alone (as old Mac spreadsheets save): two respondents."""
    ending = run_in_process(["score", hostile("cohort_cr_line_ends.csv")], b"", capsysbinary)
    rows = ending.stdout.decode().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["r1", "r2"]


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """`assess score FIFO` with nobody writing: one line at once, not a command that hangs."""
    pipe = tmp_path / "answers.json"
    os.mkfifo(pipe)
    completed = subprocess.run(
        [sys.executable, "-m", "assess.app.cli", "score", str(pipe)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    case = Case("named pipe", lambda _: [], 1, "not a regular file")
    check_ending(
        case, [], Ending(completed.returncode, completed.stdout, completed.stderr.decode())
    )


def test_a_json_file_with_a_byte_order_mark_scores(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """As Windows Notepad saves it: the answers are read, not refused."""
    ending = run_in_process(["score", hostile("answers_json_bom.json")], b"", capsysbinary)
    assert ending.status == 0
    document = json.loads(ending.stdout)
    assert document["answers"]["responses"]["spatial_1"] == 4


def test_a_cohort_csv_says_why_a_score_is_missing(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """A respondent with one answer has reasons, in the single path's words, beside `unscored`."""
    ending = run_in_process(["score", hostile("cohort_tab.tsv"), "--long"], b"", capsysbinary)
    text = ending.stdout.decode()
    assert text.splitlines()[0].endswith(",status,reason")
    assert "questions unanswered; this facet tolerates" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES
        if c.name
        in {
            "json nested 100,000 deep",
            "yaml nested 100,000 deep",
            "cohort --cohort escape",
            "json escape in key",
        }
    ],
    ids=lambda c: c.name,
)
def test_the_installed_command_ends_the_same_way(case: Case, tmp_path: Path) -> None:
    """In a fresh process (its own stack and recursion limit), as a person runs it."""
    argv = case.argv(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "assess.app.cli", *argv],
        input=case.stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )
    check_ending(
        case, argv, Ending(completed.returncode, completed.stdout, completed.stderr.decode())
    )


def test_printable_escapes_and_cuts() -> None:
    """Escapes become visible text; a long value is cut with an ellipsis."""
    assert printable("\x1b[2Jx") == "\\x1b[2Jx"
    assert printable("\u202e") == "\\u202e"
    assert printable("日本語") == "日本語"
    cut = printable("y" * 5000)
    assert len(cut) == 300 and cut.endswith("…")
