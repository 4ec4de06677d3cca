"""The ``assess`` command: validate data files, score answers (one person or a cohort).

assess validate data/instruments/*.yaml
assess score answers.json            # JSON result for one respondent
assess score cohort.csv > scores.csv # CSV for a cohort, one row per respondent
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from assess.bank import DataFileError, default_instrument_path, load_instrument, validate_files
from assess.export import answers_from_document, result_json
from assess.model import Instrument
from assess.scoring import AnswerError, score


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
    return parser


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

        from assess.cohort import score_cohort

        frame = pd.read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",")
        scores = score_cohort(instrument, frame, long=arguments.long)
        scores.to_csv(sys.stdout, index=not arguments.long)
        return 0
    answers = answers_from_document(_read_mapping(path))
    print(result_json(instrument, answers, score(instrument, answers)))
    return 0


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
