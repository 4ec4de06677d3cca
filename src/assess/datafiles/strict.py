"""``assess validate --strict``: the product's rules beyond a file's structure, where the people
who edit the data see them, every problem at once with the file, the entry and the fix.

- **wording**: every Japanese and English text keeps the rules of
  :mod:`assess.datafiles.wording` (full-width punctuation, no stray spaces, dates as people
  write them, ...);
- **time budgets**: every action fits the time some person has (a week's step done twice counts
  both sessions), or no plan could ever hold it;
- **the profile grid**: every profile the instrument can be given (field, online or in person,
  area, time a week), with any one facet at its worst, gets a complete plan from the catalogue.

Files with structural problems are left to the structural checks (:func:`validate_files`),
which report them; these rules read the files that pass.

>>> from assess.datafiles.catalogue import default_actions
>>> budget_problems(default_actions(), source="freelance_actions.yaml")
[]
>>> wording_problems({"title": {"ja": "出典: 調査", "en": "Source"}}, source="x.yaml")[0].entry
'title.ja'
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

from assess.core.model import ActionCatalogue, Answers, Instrument
from assess.core.planning import PlanError, budget_minutes, make_plan, most_minutes
from assess.core.scoring import score
from assess.datafiles.checker import DataFileError, Problem, read_yaml
from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.shipped import data_files_in, parse_data_file
from assess.datafiles.wording import bilingual_texts, problems_in_english, problems_in_japanese

__all__ = [
    "budget_problems",
    "profile_grid_problems",
    "strict_problems",
    "wording_problems",
]

PLAN_DAY = datetime.date(2026, 1, 5)
"""Any day serves: a plan's steps do not depend on the date it is made."""


def strict_problems(paths: Iterable[str | Path]) -> list[Problem]:
    """Every problem the strict rules find in the files `paths` name (a folder: its files).

    An action catalogue is tried against the instruments among the files, or the shipped
    instrument when none is given."""
    problems: list[Problem] = []
    parsed: list[tuple[str, object]] = []
    for path in data_files_in(paths):
        try:
            document = read_yaml(path)
            parsed.append((str(path), parse_data_file(document, source=str(path))))
        except DataFileError:
            continue  # the structural checks report it
        problems += wording_problems(document, source=str(path))
    instruments = [value for _, value in parsed if isinstance(value, Instrument)]
    for source, value in parsed:
        if isinstance(value, ActionCatalogue):
            problems += budget_problems(value, source=source)
            for instrument in instruments or [load_instrument(default_instrument_path())]:
                problems += profile_grid_problems(value, instrument, source=source)
    return problems


def wording_problems(document: object, *, source: str) -> list[Problem]:
    """The wording rules, applied to each bilingual text of a parsed data file."""
    return [
        Problem(source, f"{entry}.{language}", f"{problem} (in {text!r})")
        for entry, ja, en in bilingual_texts(document)
        for language, text, problems in (
            ("ja", ja, problems_in_japanese(ja)),
            ("en", en, problems_in_english(en)),
        )
        for problem in problems
    ]


def budget_problems(catalogue: ActionCatalogue, *, source: str) -> list[Problem]:
    """Actions longer than every person's time for their horizon: no plan could hold them."""
    problems = []
    for position, action in enumerate(catalogue.actions):
        cost, most = budget_minutes(action), most_minutes(action.horizon)
        if cost > most:
            sessions = f" ({action.sessions} sessions of {action.minutes})"
            problems.append(
                Problem(
                    source,
                    f"actions[{position}] (id {action.id!r}).minutes",
                    f"takes {cost} minutes{sessions if action.sessions > 1 else ''}, but a "
                    f"{action.horizon!r} step fits nobody's time above {most}; shorten it, "
                    "split it into sessions of a longer horizon, or give it a longer horizon",
                )
            )
    return problems


def profile_grid_problems(
    catalogue: ActionCatalogue, instrument: Instrument, *, source: str
) -> list[Problem]:
    """Profiles (field, mode, area, hours, as the instrument offers them) that, with one facet at
    its worst and the rest at their best, get no complete plan from the catalogue."""
    problems = []
    # The scores do not depend on the profile: one result per weak facet, planned per profile.
    weak = {facet.id: _with_weak_facet(instrument, facet.id, {}) for facet in instrument.facets}
    results = {facet_id: score(instrument, answers) for facet_id, answers in weak.items()}
    for profile in _profiles(instrument):
        for facet in instrument.facets:
            answers = Answers(weak[facet.id].responses, profile)
            try:
                plan = make_plan(instrument, results[facet.id], answers, catalogue, today=PLAN_DAY)
            except PlanError as error:
                failure = str(error)
            else:
                if plan.week and plan.month.action.horizon == "month":
                    continue
                failure = "the plan lacks a step for the week or a goal for the month"
            described = ", ".join(f"{key} {code!r}" for key, code in profile.items())
            problems.append(
                Problem(
                    source,
                    "actions",
                    f"gives no complete plan to a person with {described or 'no profile'} whose "
                    f"{facet.id!r} is at its worst ({failure}); add a step that fits them",
                )
            )
    return problems


def _profiles(instrument: Instrument) -> Iterator[dict[str, str]]:
    """Every combination of the instrument's profile answers."""
    questions = instrument.profile
    for codes in itertools.product(*(question.codes for question in questions)):
        yield {question.id: code for question, code in zip(questions, codes, strict=True)}


def _with_weak_facet(instrument: Instrument, weak: str, profile: dict[str, str]) -> Answers:
    """Answers that put the `weak` facet at its worst and every other facet at its best."""
    responses = {}
    for item in instrument.items:
        higher_is_risk = instrument.index(instrument.facet(item.facet).index).higher_is == "risk"
        want_high = (item.facet == weak) == higher_is_risk
        ordered = sorted(item.scale.values, key=item.keyed_score)
        responses[item.id] = ordered[-1] if want_high else ordered[0]
    return Answers(responses, profile)
