"""The ``assess`` command: validate data files, score answers (one person or a cohort).

assess validate data/instruments/*.yaml
assess score answers.json            # JSON result for one respondent
assess score cohort.csv > scores.csv # CSV for a cohort, one row per respondent
assess plan answers.json --format html --lang en > plan.html
assess plan --code AUQRtu8m... --format ics > plan.ics
assess cohort --codes codes.txt --format csv > cohort.csv  # a workshop's anonymous figures
assess serve --port 8866 --base-url /quiz/ --preheat 4  # host the quiz (docs/hosting.md)
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from assess.core.model import Instrument
from assess.core.scoring import AnswerError, score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.shipped import validate_files
from assess.render.export import answers_from_document, result_json


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        code: int = arguments.run(arguments)
    except (DataFileError, AnswerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assess",
        description="Freelancer isolation and network self-check: data tools and scoring.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check data files (instruments, actions, support) and list every problem"
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(run=_validate)

    score_command = commands.add_parser(
        "score",
        help="score answers: a JSON/YAML file for one respondent, a CSV file for a cohort",
    )
    score_command.add_argument("answers", type=Path, metavar="ANSWERS")
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
        "--lang", choices=("ja", "en"), default="ja", help="language (default: ja)"
    )
    plan_command.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the plan is made (default: today)",
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
        type=int,
        metavar="N",
        help="make up N synthetic (sample) participants, to try the figures out",
    )
    cohort_command.add_argument(
        "--cohort", metavar="CODE", help="workshop code (needed with --store; a label otherwise)"
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
        "--lang", choices=("ja", "en"), default="ja", help="language of labels (default: ja)"
    )
    cohort_command.add_argument(
        "--seed", type=int, default=2026, help="with --synthetic: the random seed (default: 2026)"
    )
    _instrument_option(cohort_command)
    cohort_command.set_defaults(run=_cohort)
    _serve_parser(commands)
    return parser


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-26"
        ) from None


def _instrument_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--instrument",
        type=Path,
        default=None,
        help="question bank to score with (default: the project's own)",
    )


def _load(path: Path | None) -> Instrument:
    return load_instrument(path or default_instrument_path())


def _validate(arguments: argparse.Namespace) -> int:
    problems = validate_files(arguments.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(arguments.paths)} file(s)", file=sys.stderr)
        return 1
    print(f"{len(arguments.paths)} file(s) valid")
    return 0


def _score(arguments: argparse.Namespace) -> int:
    instrument = _load(arguments.instrument)
    path: Path = arguments.answers
    if path.suffix.lower() in {".csv", ".tsv"}:
        import pandas as pd

        from assess.group.cohort import score_cohort

        frame = pd.read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",")
        scores = score_cohort(instrument, frame, long=arguments.long)
        scores.to_csv(sys.stdout, index=not arguments.long)
        return 0
    answers = answers_from_document(_read_mapping(path))
    from assess.datafiles.messages import default_messages

    disclaimer = default_messages().get("disclaimer")
    print(result_json(instrument, answers, score(instrument, answers), disclaimer=disclaimer))
    return 0


def _plan(arguments: argparse.Namespace) -> int:
    # Imported here so that the other commands work while the catalogue or its data is missing.
    from assess.core.planning import make_plan
    from assess.core.result_code import decode_result, encode_result
    from assess.datafiles.catalogue import default_actions
    from assess.datafiles.messages import default_messages
    from assess.render.takeaways import plan_html, plan_ics, plan_json, plan_markdown

    instrument = _load(arguments.instrument)
    today: datetime.date = arguments.date or datetime.date.today()
    if arguments.code is not None:
        answers, taken_on = decode_result(instrument, arguments.code)
    else:
        document = _read_mapping(arguments.answers)
        answers = answers_from_document(document)
        taken_on = _taken_on(document) or today
    result = score(instrument, answers)
    try:
        code: str | None = encode_result(instrument, answers, taken_on)
    except ValueError:  # a date no code can hold; the plan is still worth having
        code = None
    plan = make_plan(instrument, result, answers, default_actions(), today=today)
    language: str = arguments.lang
    messages = default_messages()
    output: str | bytes
    if arguments.format == "ics":
        output = plan_ics(plan, language=language, messages=messages)
    elif arguments.format == "json":
        output = (
            plan_json(
                instrument,
                answers,
                result,
                plan,
                taken_on=taken_on,
                result_code=code,
                disclaimer=messages.get("disclaimer"),
            )
            + "\n"
        )
    elif arguments.format == "html":
        output = plan_html(
            instrument, result, plan, language=language, messages=messages, result_code=code
        )
    else:
        output = plan_markdown(
            instrument, result, plan, language=language, messages=messages, result_code=code
        )
    data = output if isinstance(output, bytes) else output.encode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def _cohort(arguments: argparse.Namespace) -> int:
    import pandas as pd

    from assess.group.facilitator import (
        check_min_group,
        combined_frame,
        frame_from_codes,
        summarise,
        summary_frames,
        summary_json,
        summary_text,
        to_csv,
    )

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
                frame = store.cohort_frame(cohort, instrument=instrument)
        except StoreError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    elif arguments.codes is not None:
        path: Path = arguments.codes
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        frame, problems = frame_from_codes(instrument, text.splitlines())
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
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


def _read_mapping(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in {".yaml", ".yml"}:
        import yaml

        document = yaml.safe_load(text)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of question ids to answers")
    return document


# --- serve (issue 5: hosting) ---------------------------------------------------------------


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from assess.hosting.serve import (
        DEFAULT_KERNELS_PER_ADDRESS,
        DEFAULT_MAX_KERNELS,
        DEFAULT_REFILL_AFTER,
        LOG_LEVELS,
    )

    serve = commands.add_parser(
        "serve",
        help="host the quiz alone on standalone Voilà (for a reverse proxy or a workshop)",
        description=(
            "Serve notebooks/quiz.ipynb with Voilà, with the settings of voila.json and the "
            "assess template; see docs/hosting.md."
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
        default=DEFAULT_KERNELS_PER_ADDRESS,
        metavar="N",
        help=f"kernels one client address may hold ({DEFAULT_KERNELS_PER_ADDRESS})",
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
        "--root", type=Path, default=None, help="the repository checkout (the current directory)"
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
