"""The ``assess`` command: validate data files, score answers (one person or a cohort).

assess validate data/instruments/*.yaml
assess validate data                 # every data file in the folder
assess validate --strict data        # and the product's rules (wording, budgets, plans)
assess score answers.json            # JSON result for one respondent
assess score cohort.csv > scores.csv # CSV for a cohort, one row per respondent
assess plan answers.json --format html --lang en > plan.html
assess plan --code AUQRtu8m... --format ics > plan.ics
assess cohort --codes codes.txt --format csv > cohort.csv  # a workshop's anonymous figures
assess serve --port 8866 --base-url /quiz/ --preheat 4  # host the quiz (docs/hosting.md)

One module, though long: each subcommand's arguments sit beside the handler that reads them.
What the command reads from people and prints back is in :mod:`assess.app.cli_input`.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from assess.app.cli_input import (
    MAX_ANSWERS_BYTES,
    MAX_CODES_BYTES,
    MAX_COHORT_CSV_BYTES,
    MAX_MESSAGE,
    check_header,
    decoded,
    one_line_ends,
    printable,
    read_mapping,
    read_text,
    shortened,
)
from assess.app.extras import missing_extra
from assess.core.model import Instrument
from assess.core.result_code import CodeLayout
from assess.core.scoring import AnswerError, as_given, score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.shipped import data_files_in, validate_files
from assess.render.export import answers_from_document, json_text, result_document

USAGE = 2
"""Exit status for a command line that cannot be run as written (argparse's own)."""
BAD_DATA = 1
"""Exit status for a file or value that was read and found wrong."""

MAX_SYNTHETIC = 100_000
"""The most synthetic participants ``assess cohort --synthetic`` makes up."""
WARNINGS_LISTED = 5
_ERROR = "error: "


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    fail = functools.partial(_fail, names=_file_names(arguments))
    try:
        code: int = arguments.run(arguments)
    except (DataFileError, AnswerError) as error:
        return fail(_summary(error))
    except FileNotFoundError as error:
        return fail(f"{error.filename}: does not exist; check the path")
    except IsADirectoryError as error:
        return fail(f"{error.filename}: is a folder; give a file")
    except PermissionError as error:
        return fail(f"{error.filename}: cannot be read (permission denied)")
    except ModuleNotFoundError as error:
        needed = missing_extra(error)
        if needed is None:
            raise
        return fail(needed)
    except RecursionError:
        return fail("the input nests lists or mappings too deeply to read; flatten it")
    except MemoryError:
        return fail("the input is too large to read in the memory available")
    except (OSError, ValueError, OverflowError) as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return 130
    return code


def _file_names(arguments: argparse.Namespace) -> list[str]:
    """The file names given on the command line, which a message may echo."""
    names: list[str] = []
    for option in ("answers", "paths", "codes", "instrument", "root"):
        value = getattr(arguments, option, None)
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, Path):
                names.append(str(name))
    return names


def _fail(message: str, *, names: Sequence[str] = ()) -> int:
    """Print one cleaned line of at most MAX_MESSAGE characters to standard error, each long
    file name in it shortened (a 4,000-character name would leave no room for the reason);
    return the exit status for bad data."""
    for name in sorted(names, key=len, reverse=True):
        message = message.replace(name, shortened(name))
    print(f"{_ERROR}{printable(message, limit=MAX_MESSAGE - len(_ERROR))}", file=sys.stderr)
    return BAD_DATA


def _summary(error: DataFileError | AnswerError) -> str:
    """Every problem of an error on one line, the first few in full."""
    problems = [str(problem) for problem in error.problems]
    unlisted = 0
    if (
        isinstance(error, AnswerError)
        and error.problems[-1:]
        and error.problems[-1].question_id == "…"
    ):
        # The scorer lists the first few and counts the rest as "and N more".
        unlisted = int("".join(c for c in error.problems[-1].message if c.isdigit()) or 0)
        problems.pop()
    head = "; ".join(printable(p, limit=MAX_MESSAGE // 2) for p in problems[:3])
    rest = len(problems) - 3 + unlisted if len(problems) > 3 else unlisted
    more = f" (and {rest} more)" if rest > 0 else ""
    if isinstance(error, DataFileError) and len(problems) > 1:
        return f"{len(problems)} problems: {head}{more}"
    return head + more


class _Parser(argparse.ArgumentParser):
    """argparse with one-line, escaped usage errors (exit status 2) and no echo of long values."""

    def error(self, message: str) -> NoReturn:
        head, tail = f"{self.prog}: error: ", f" (see {self.prog} --help)"
        shown = printable(message, limit=MAX_MESSAGE - len(head) - len(tail))
        self.exit(USAGE, f"{head}{shown}{tail}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="assess",
        description="Freelancer isolation and network self-check: data tools and scoring.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check data files (instruments, actions, support) and list every problem",
        description="Check data files; a folder means every data file (*.yaml) in it.",
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="also check the product's rules: wording, time budgets, a plan for every profile",
    )
    validate.set_defaults(run=_validate)

    score_command = commands.add_parser(
        "score",
        help="score answers: a JSON/YAML file for one respondent, a CSV file for a cohort",
    )
    score_command.add_argument(
        "answers",
        type=Path,
        metavar="ANSWERS",
        help=(
            f"JSON or YAML (one person, up to {MAX_ANSWERS_BYTES // 1_000_000} MB), or CSV/TSV "
            f"(a cohort, up to {MAX_COHORT_CSV_BYTES // 1_000_000} MB), UTF-8"
        ),
    )
    _instrument_option(score_command)
    score_command.add_argument(
        "--long", action="store_true", help="cohort CSV in long format (one row per scope)"
    )
    score_command.set_defaults(run=_score)

    plan_command = commands.add_parser(
        "plan",
        help="the first-step plan for answers or a result code: Markdown, HTML, .ics or JSON",
        description="Write the first-step plan to standard output.",
    )
    source = plan_command.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "answers",
        nargs="?",
        type=Path,
        default=None,
        metavar="ANSWERS_FILE",
        help="answers as JSON or YAML (a result document, or question ids to values)",
    )
    source.add_argument("--code", help="a result code, instead of an answers file")
    plan_command.add_argument(
        "--format",
        choices=("markdown", "html", "ics", "json"),
        default="markdown",
        help="what to write (default: markdown)",
    )
    plan_command.add_argument(
        "--lang", type=_offered_language, default="ja", help="language (default: ja)"
    )
    plan_command.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the plan is made, 2020-01-01 to 2149-12-31 (default: today)",
    )
    _instrument_option(plan_command)
    plan_command.set_defaults(run=_plan)

    cohort_command = commands.add_parser(
        "cohort",
        help="a workshop's anonymous group figures (the facilitator's view) as text, CSV or JSON",
        description=(
            "Summarise a group: participants, distributions and bands of both indices and every "
            "facet, the weakest facets, the direct loneliness question beside the national "
            "survey, and Cronbach's alpha per facet.  Figures from fewer than --min-group people "
            "are withheld; no individual's answers are written."
        ),
    )
    cohort_source = cohort_command.add_mutually_exclusive_group(required=True)
    cohort_source.add_argument(
        "--store",
        nargs="?",
        const="",
        metavar="URL",
        help="read saved results of --cohort from the result store at URL (no URL: the default)",
    )
    cohort_source.add_argument(
        "--codes",
        type=Path,
        metavar="FILE",
        help="read result codes, one per line, from FILE ('-': standard input)",
    )
    cohort_source.add_argument(
        "--synthetic",
        type=_count(1, MAX_SYNTHETIC),
        metavar="N",
        help="make up N synthetic (sample) participants, to try the figures out",
    )
    cohort_command.add_argument(
        "--cohort",
        type=_workshop_code,
        metavar="CODE",
        help="workshop code (needed with --store; a label otherwise)",
    )
    cohort_command.add_argument(
        "--min-group",
        type=int,
        default=5,
        metavar="N",
        help="withhold figures from fewer than N people (default: 5; at least 3)",
    )
    cohort_command.add_argument(
        "--format", choices=("text", "csv", "json"), default="text", help="default: text"
    )
    cohort_command.add_argument(
        "--table",
        choices=("overview", "distributions", "bands", "weakest", "survey", "alphas"),
        default=None,
        help="with --format csv: only this table (default: all, with a 'table' column)",
    )
    cohort_command.add_argument(
        "--lang",
        type=_offered_language,
        default="ja",
        help="language of labels (default: ja)",
    )
    cohort_command.add_argument(
        "--seed",
        type=_count(0, 2**63 - 1),
        default=2026,
        help="with --synthetic: the random seed (default: 2026)",
    )
    _instrument_option(cohort_command)
    cohort_command.set_defaults(run=_cohort)
    _serve_parser(commands)
    return parser


def _offered_language(text: str) -> str:
    """A language the data offers (``data/i18n/languages.yaml``), read only when asked for, so
    that `assess validate` still reports a broken list."""
    from assess.datafiles.languages import default_languages

    codes = default_languages().codes
    if text not in codes:
        raise argparse.ArgumentTypeError(
            f"{printable(repr(text), limit=40)} is not a language offered; use one of "
            + ", ".join(codes)
        )
    return text


def _iso_date(text: str) -> datetime.date:
    from assess.core.result_code import EPOCH, LAST_DATE

    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{printable(repr(text), limit=40)} is not a date; write it as YYYY-MM-DD, "
            "e.g. 2026-11-26"
        ) from None
    if not EPOCH <= day <= LAST_DATE:
        # A plan's steps fall weeks after this day, and its code holds the day: both need it here.
        raise argparse.ArgumentTypeError(f"give a day from {EPOCH} to {LAST_DATE}, not {day}")
    return day


def _workshop_code(text: str) -> str:
    from assess.store.records import COHORT_MAX_LENGTH, normalise_cohort

    try:
        normalise_cohort(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a workshop code has only letters A–Z, digits, '-' and '_' (up to {COHORT_MAX_LENGTH})"
        ) from None
    return text


def _count(lowest: int, highest: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `lowest` to `highest`."""

    def count(text: str) -> int:
        try:
            number = int(text, 10) if len(text) <= 20 else None
        except ValueError:
            number = None
        if number is None or not lowest <= number <= highest:
            given = printable(repr(text), limit=40)
            raise argparse.ArgumentTypeError(
                f"give a whole number from {lowest:,} to {highest:,}, not {given}"
            )
        return number

    count.__name__ = "whole number"
    return count


def _instrument_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--instrument",
        type=Path,
        default=None,
        help="question bank to score with (default: the project's own)",
    )


def _load(path: Path | None) -> Instrument:
    return load_instrument(path or default_instrument_path())


def _layouts(path: Path | None) -> tuple[CodeLayout, ...]:
    """The layouts the bank's earlier result codes were made with (see data/README.md)."""
    from assess.datafiles.layouts import layouts_path, load_layouts

    return load_layouts(layouts_path(path or default_instrument_path()))


def _validate(arguments: argparse.Namespace) -> int:
    problems = validate_files(arguments.paths)
    if arguments.strict:
        from assess.datafiles.strict import strict_problems

        problems += strict_problems(arguments.paths)
    files = len(data_files_in(arguments.paths))
    for problem in problems:
        print(printable(str(problem), limit=1000))
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return BAD_DATA
    print(f"{files} file(s) valid")
    return 0


def _score(arguments: argparse.Namespace) -> int:
    instrument = _load(arguments.instrument)
    path: Path = arguments.answers
    if path.suffix.lower() in {".csv", ".tsv"}:
        return _score_csv(instrument, path, long=arguments.long)
    answers = as_given(answers_from_document(read_mapping(path)))
    from assess.datafiles.messages import default_messages

    disclaimer = default_messages().get("disclaimer")
    result = score(instrument, answers)
    print(json_text(result_document(instrument, answers, result, disclaimer=disclaimer)))
    return 0


def _score_csv(instrument: Instrument, path: Path, *, long: bool) -> int:
    """Score a cohort file to standard output, every text cell defused for spreadsheets."""
    import pandas as pd

    from assess.group.cohort import score_cohort
    from assess.group.csv_safe import write_csv

    text = one_line_ends(read_text(path, limit=MAX_COHORT_CSV_BYTES, what="a cohort CSV file"))
    separator = "\t" if path.suffix.lower() == ".tsv" else ","
    check_header(instrument, text, separator, source=str(path))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator)
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"{path}: is empty; give a header row and one row per respondent"
        ) from None
    except pd.errors.ParserError as error:
        reason = " ".join(str(error).split())
        raise ValueError(f"{path}: is not a CSV table ({reason}); check the separators") from None
    del text
    scores = score_cohort(instrument, frame, long=long)
    write_csv(scores, sys.stdout, index=not long)
    return 0


def _plan(arguments: argparse.Namespace) -> int:
    # Imported here so that the other commands work while the catalogue or its data is missing.
    from assess.core.planning import make_plan
    from assess.core.result_code import decode_result, encode_result
    from assess.core.support import support_for
    from assess.datafiles.catalogue import default_actions, default_support
    from assess.datafiles.messages import default_messages
    from assess.render.files import takeaway_file

    instrument = _load(arguments.instrument)
    today: datetime.date = arguments.date or datetime.date.today()
    if arguments.code is not None:
        answers, taken_on = decode_result(
            instrument, arguments.code, layouts=_layouts(arguments.instrument)
        )
    else:
        document = read_mapping(arguments.answers)
        answers = as_given(answers_from_document(document))
        taken_on = _taken_on(document) or today
    result = score(instrument, answers)
    try:
        code: str | None = encode_result(instrument, answers, taken_on)
    except ValueError:  # a date no code can hold; the plan is still worth having
        code = None
    plan = make_plan(instrument, result, answers, default_actions(), today=today)
    # The same files as the quiz's download buttons; the calendar is "ics" on the command line.
    file = takeaway_file(
        "calendar" if arguments.format == "ics" else arguments.format,
        instrument=instrument,
        answers=answers,
        result=result,
        plan=plan,
        taken_on=taken_on,
        language=arguments.lang,
        messages=default_messages(),
        result_code=code,
        support=support_for(instrument, result, answers, default_support()),
    )
    sys.stdout.flush()
    sys.stdout.buffer.write(file.data)
    sys.stdout.buffer.flush()
    return 0


def _cohort(arguments: argparse.Namespace) -> int:
    import pandas as pd

    from assess.group.answers import workshop_frame
    from assess.group.codes import frame_from_codes
    from assess.group.csv_safe import to_csv
    from assess.group.disclosure import check_min_group
    from assess.group.summarise import summarise
    from assess.group.summary_tables import combined_frame, summary_frames, summary_json
    from assess.group.summary_text import summary_text

    min_group = check_min_group(arguments.min_group)
    instrument = _load(arguments.instrument)
    cohort: str | None = arguments.cohort
    frame: pd.DataFrame
    if arguments.store is not None:
        from assess.store.results import ResultStore, StoreError

        if not cohort:
            raise ValueError("--store needs --cohort CODE: the workshop code to summarise")
        try:
            with ResultStore.open(arguments.store or None) as store:
                frame = workshop_frame(instrument, store, cohort)
                damaged, skipped = store.skipped_damaged, store.skipped
        except StoreError as error:
            return _fail(str(error))
        if damaged:
            print(
                f"warning: {damaged} result(s) could not be read (damaged database pages) "
                "and were left out",
                file=sys.stderr,
            )
        if skipped > damaged:
            print(
                f"warning: {skipped - damaged} result(s) could not be read (not a valid "
                "result: edited by hand?) and were left out",
                file=sys.stderr,
            )
    elif arguments.codes is not None:
        path: Path = arguments.codes
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_CODES_BYTES + 1)
            text = decoded(data, "<standard input>", MAX_CODES_BYTES, "a file of result codes")
        else:
            text = read_text(path, limit=MAX_CODES_BYTES, what="a file of result codes")
        frame, problems = frame_from_codes(
            instrument, text.splitlines(), layouts=_layouts(arguments.instrument)
        )
        for problem in problems[:WARNINGS_LISTED]:
            print(f"warning: {printable(str(problem), limit=MAX_MESSAGE - 9)}", file=sys.stderr)
        if len(problems) > WARNINGS_LISTED:
            print(
                f"warning: and {len(problems) - WARNINGS_LISTED} more lines not counted",
                file=sys.stderr,
            )
    else:
        from assess.group.synthetic import synthetic_cohort

        frame = synthetic_cohort(instrument, arguments.synthetic, seed=arguments.seed)
    from assess.datafiles.reference import default_reference

    summary = summarise(
        instrument, frame, min_group=min_group, reference=default_reference(), cohort=cohort
    )
    language: str = arguments.lang
    if arguments.format == "json":
        output = summary_json(summary, language=language)
    elif arguments.format == "csv":
        frames = summary_frames(summary, language=language)
        table = frames[arguments.table] if arguments.table else combined_frame(frames)
        output = to_csv(table)
    else:
        from assess.datafiles.messages import default_messages

        output = summary_text(summary, language=language, messages=default_messages())
    sys.stdout.write(output)
    return 0


def _taken_on(document: dict[str, object]) -> datetime.date | None:
    """The date a result document says it was taken on, if it says one."""
    value = document.get("taken_on")
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


# --- serve (the hosted quiz) ---------------------------------------------------------------


def _serve_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    from assess.hosting.serve import (
        ADDRESS_SHARE,
        DEFAULT_MAX_KERNELS,
        DEFAULT_REFILL_AFTER,
        LOG_LEVELS,
    )

    serve = commands.add_parser(
        "serve",
        help="host the quiz alone on standalone Voilà (for a reverse proxy or a workshop)",
        description=(
            "Serve the quiz notebook with Voilà, with the settings of voila.json and the "
            "assess template, all shipped in the package; see docs/hosting.md."
        ),
    )
    serve.add_argument("--ip", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (voila.json's, else 8866)")
    serve.add_argument(
        "--base-url", default="/", help="path prefix behind a reverse proxy, e.g. /quiz/"
    )
    serve.add_argument(
        "--preheat",
        type=int,
        default=0,
        metavar="N",
        help="kernels kept warm with the quiz already run, for bursts of visitors (0)",
    )
    serve.add_argument(
        "--cull-idle",
        type=int,
        default=None,
        metavar="SECONDS",
        help="shut down kernels idle this long, e.g. closed tabs (voila.json's)",
    )
    serve.add_argument(
        "--max-kernels",
        type=int,
        default=DEFAULT_MAX_KERNELS,
        metavar="N",
        help=f"visitors holding a kernel at once; more get a 'busy' page ({DEFAULT_MAX_KERNELS})",
    )
    serve.add_argument(
        "--refill-after",
        type=int,
        default=DEFAULT_REFILL_AFTER,
        metavar="SECONDS",
        help=f"replace a preheated kernel this long after its use ({DEFAULT_REFILL_AFTER})",
    )
    serve.add_argument(
        "--kernels-per-address",
        type=int,
        default=None,
        metavar="N",
        help=(
            "kernels one client address may hold (a workshop room behind one router needs "
            f"its size; default: {ADDRESS_SHARE:.0%} of --max-kernels)"
        ),
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the quiz is reached at, e.g. quiz.example.org (repeatable)",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For is believed (repeatable)",
    )
    serve.add_argument("--log-level", choices=LOG_LEVELS, default="INFO")
    serve.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a folder with quiz.ipynb, voila.json and jupyter/ (the installed package's)",
    )
    serve.add_argument(
        "--print-command",
        action="store_true",
        help="print the Voilà command line instead of running it",
    )
    serve.set_defaults(run=_serve)


def _serve(arguments: argparse.Namespace) -> int:
    from assess.datafiles.shipped import shipped_data_paths
    from assess.hosting.serve import (
        ServeOptions,
        find_root,
        run,
        shell_line,
        voila_command,
        voila_environment,
    )

    options = ServeOptions(
        ip=arguments.ip,
        port=arguments.port,
        base_url=arguments.base_url,
        preheat=arguments.preheat,
        cull_idle=arguments.cull_idle,
        max_kernels=arguments.max_kernels,
        log_level=arguments.log_level,
        refill_after=arguments.refill_after,
        kernels_per_address=arguments.kernels_per_address,
        allowed_hosts=tuple(arguments.allowed_host),
        trusted_proxies=tuple(arguments.trusted_proxy),
    )
    root = find_root(arguments.root)
    problems = validate_files(shipped_data_paths())
    if problems:  # found now, not by a visitor who has answered every question
        for problem in problems:
            print(problem, file=sys.stderr)
        print("Not serving: fix the data files above first.", file=sys.stderr)
        return 2
    if arguments.print_command:
        command = voila_command(options, root)
        print(shell_line(command, voila_environment(options, root), root))
        return 0
    return run(options, root)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
