"""Published reference distributions (e.g. Japan's national loneliness survey) and where one
person's answer stands in them.

>>> survey = default_reference()
>>> standing = stand_in(survey, value=4)          # "sometimes"
>>> standing.round.year, standing.share, standing.lonelier, standing.less_lonely
(2023, 14.8, 4.8, 79.0)
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

from assess.core.reference import Reference, Standing, SurveyRound, stand_in
from assess.datafiles.checker import Checker, FileKind, read_yaml

FORMAT = "assess-reference/1"
REFERENCE = FileKind(
    FORMAT,
    "a reference file",
    ("id", "item", "name", "checked", "caveats", "categories", "rounds"),
    optional=("source",),
)

__all__ = [
    "FORMAT",
    "Reference",
    "Standing",
    "SurveyRound",
    "default_reference",
    "default_reference_path",
    "load_reference",
    "parse_reference",
    "stand_in",
]


def default_reference_path() -> Path:
    return Path(
        str(resources.files("assess.data") / "reference" / "national_loneliness_survey.yaml")
    )


def default_reference() -> Reference:
    return load_reference(default_reference_path())


def load_reference(path: str | Path) -> Reference:
    return parse_reference(read_yaml(Path(path)), source=str(path))


def parse_reference(document: object, *, source: str) -> Reference:
    """Check a reference file: shares per round match the categories and add up to ~100 %."""
    check = Checker(source)
    top = check.top_level(document, REFERENCE)
    if "source" in top:
        # One link for the whole survey cited one round's page beside another round's figures.
        check.add("source", "each round has its own report: move it to rounds[n].source")
    identifier = check.identifier(top.get("id"), "id")
    item = check.identifier(top.get("item"), "item")
    name = check.text(top.get("name"), "name")
    caveats = check.text(top.get("caveats"), "caveats")
    checked = top.get("checked")
    if not isinstance(checked, datetime.date):
        check.add("checked", "must be the date the figures were checked, as YYYY-MM-DD")
    categories = [
        value
        for position, node in enumerate(check.sequence(top.get("categories"), "categories"))
        if (value := check.integer(node, f"categories[{position}]")) is not None
    ]
    rounds: list[SurveyRound] = []
    for position, node in enumerate(check.sequence(top.get("rounds"), "rounds")):
        where = f"rounds[{position}]"
        fields = check.mapping(
            node,
            where,
            required=("id", "year", "label", "respondents", "shares", "no_answer", "source"),
        )
        if fields is None:
            continue
        round_id = check.identifier(fields.get("id"), f"{where}.id")
        year = check.integer(fields.get("year"), f"{where}.year", minimum=1900)
        label = check.text(fields.get("label"), f"{where}.label")
        respondents = check.integer(fields.get("respondents"), f"{where}.respondents", minimum=1)
        no_answer = check.number(fields.get("no_answer"), f"{where}.no_answer")
        url = check.string(fields.get("source"), f"{where}.source")
        if url is not None and not url.startswith("https://"):
            check.add(
                f"{where}.source",
                "must be an https:// address of where this round's figures were published",
            )
            url = None
        shares = [
            check.number(s, f"{where}.shares")
            for s in check.sequence(fields.get("shares"), f"{where}.shares")
        ]
        if len(shares) != len(categories):
            check.add(
                f"{where}.shares", f"has {len(shares)} shares for {len(categories)} categories"
            )
        elif None not in shares and no_answer is not None:
            total = sum(s for s in shares if s is not None) + no_answer
            if abs(total - 100.0) > 0.5:
                check.add(
                    f"{where}.shares", f"add up to {total:.1f} % with no_answer; expected 100"
                )
        if None in (round_id, year, label, respondents, no_answer, url) or None in shares:
            continue
        assert round_id and year and label and respondents and no_answer is not None and url
        rounds.append(
            SurveyRound(
                round_id, year, label, respondents, tuple(s or 0.0 for s in shares), no_answer, url
            )
        )
    check.raise_if_any()
    assert identifier and item and name and caveats and isinstance(checked, datetime.date)
    return Reference(identifier, item, name, checked, caveats, tuple(categories), tuple(rounds))
