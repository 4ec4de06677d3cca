"""The personalised first-step plan: pure functions from a result, a profile and the catalogue.

The plan holds one step for today (at most 15 minutes, on the weakest facet the person can act
on now), two or three for this week, one goal for the month and a date to check in again. Each
step says why it was chosen: the facet, its band and the answers that drove it.

>>> import datetime
>>> from assess import Answers, default_instrument, score
>>> from assess.datafiles.catalogue import default_actions
>>> instrument = default_instrument()
>>> answers = Answers({item.id: item.scale.values[0] for item in instrument.items},
...                   profile={"mode": "online", "hours": "h1", "area": "rural"})
>>> plan = make_plan(instrument, score(instrument, answers), answers, default_actions(),
...                  today=datetime.date(2026, 11, 26))
>>> plan.today.action.minutes <= 15, plan.today.action.mode != "offline"
(True, True)
>>> plan.check_in
datetime.date(2026, 12, 24)
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assess.core.model import (
    Action,
    ActionCatalogue,
    Answers,
    Band,
    Instrument,
    Result,
    Status,
    Text,
)

TODAY_MAX_MINUTES = 15
CHECK_IN_AFTER = datetime.timedelta(weeks=4)
WEAK_NEED = 0.35
"""A facet counts as weak from this need upwards (0 = at its best, 1 = at its worst)."""

# Time a person said they have a week → how many week steps, and how long each may take.
WEEK_BUDGET: Mapping[str, tuple[int, int, int]] = {
    # hours code: (week steps, minutes per week step, minutes per session of the month goal)
    "h1": (2, 30, 60),
    "h3": (3, 60, 120),
    "h5": (3, 240, 240),
}
DEFAULT_HOURS = "h3"
# Facets that keep a network healthy when nothing is weak: giving, then people to consult.
MAINTENANCE_FACETS = ("contribution", "depth", "breadth", "online", "offline")


@dataclass(frozen=True, slots=True)
class Profile:
    """What the plan respects: field of work, online/offline preference, time, area."""

    field: str | None = None
    mode: str = "either"
    hours: str = DEFAULT_HOURS
    area: str | None = None

    @classmethod
    def from_answers(cls, answers: Answers) -> Profile:
        """Read the profile answers; what was not answered takes the neutral default."""
        profile = answers.profile

        def code(key: str) -> str | None:
            value = profile.get(key)
            return value if isinstance(value, str) else None

        return cls(
            field=code("field"),
            mode=code("mode") or "either",
            hours=hours if (hours := code("hours")) in WEEK_BUDGET and hours else DEFAULT_HOURS,
            area=code("area"),
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a step was chosen: the facet it addresses, how that facet came out, and the answers
    that pulled it the wrong way most (item ids, strongest first)."""

    facet_id: str
    facet_label: Text
    band: Band | None
    percent: float | None
    need: float
    drivers: tuple[str, ...]
    maintenance: bool = False
    """True when nothing was weak and the step keeps a strength a strength."""


@dataclass(frozen=True, slots=True)
class PlanStep:
    horizon: str
    action: Action
    steps: tuple[Text, ...]
    """The concrete steps, in the variant for the person's field where one exists."""
    reason: Reason


@dataclass(frozen=True, slots=True)
class Plan:
    today: PlanStep
    week: tuple[PlanStep, ...]
    month: PlanStep
    check_in: datetime.date
    made_on: datetime.date
    focus: tuple[str, ...]
    """Facets in the order the plan gives them attention, weakest first."""

    @property
    def steps(self) -> tuple[PlanStep, ...]:
        return (self.today, *self.week, self.month)


class PlanError(ValueError):
    """No plan can be made: the catalogue has no step that fits the profile."""


@dataclass(frozen=True, slots=True)
class _Need:
    facet_id: str
    need: float
    reason: Reason


def facet_needs(instrument: Instrument, result: Result) -> list[_Need]:
    """Scored facets from most to least in need of attention (ties in instrument order)."""
    needs = []
    for order, facet in enumerate(instrument.facets):
        scored = result.facet(facet.id)
        if scored.status is Status.UNSCORED or scored.percent is None:
            continue
        higher_is_risk = instrument.index(facet.index).higher_is == "risk"
        need = scored.percent / 100.0 if higher_is_risk else 1.0 - scored.percent / 100.0
        # The answers that pulled the facet towards need: up for a risk, down for a strength.
        sign = 1.0 if higher_is_risk else -1.0
        drivers = tuple(
            c.item_id
            for c in sorted(
                scored.contributions, key=lambda c: (-sign * c.pull * c.weight, c.item_id)
            )
            if sign * c.pull > 0
        )[:2]
        reason = Reason(facet.id, facet.label, scored.band, scored.percent, need, drivers)
        needs.append((need, order, _Need(facet.id, need, reason)))
    needs.sort(key=lambda entry: (-entry[0], entry[1]))
    return [entry[2] for entry in needs]


def make_plan(
    instrument: Instrument,
    result: Result,
    answers: Answers,
    catalogue: ActionCatalogue,
    *,
    today: datetime.date,
) -> Plan:
    """Draw today's step, the week's steps and the month's goal from the catalogue."""
    profile = Profile.from_answers(answers)
    week_count, week_minutes, month_minutes = WEEK_BUDGET[profile.hours]
    needs = facet_needs(instrument, result)
    weak = [n for n in needs if n.need >= WEAK_NEED]
    rest = [n for n in needs if n.need < WEAK_NEED]
    focus = weak + rest if weak else _maintenance_order(needs)
    if not focus:
        raise PlanError("no facet could be scored: answer more questions to get a plan")
    eligible = [a for a in catalogue.actions if _fits(a, profile)]
    chosen: list[str] = []
    seed = _seed(answers)

    def pick(horizon: str, max_minutes: int, facets: Sequence[_Need]) -> PlanStep | None:
        for need in facets:
            action = _best(
                eligible, horizon, max_minutes, need.facet_id, profile, chosen, seed=seed
            )
            if action is not None:
                chosen.append(action.id)
                return PlanStep(horizon, action, action.steps_for(profile.field), need.reason)
        return None

    today_step = pick("today", TODAY_MAX_MINUTES, focus)
    if today_step is None:
        raise PlanError(
            "the action catalogue has no step of at most 15 minutes for today that fits this "
            f"profile ({profile}); add one with mode 'either' and every area"
        )
    # Week steps spread over the weak facets first, one facet each, then round again.
    week: list[PlanStep] = []
    for need in _rotation(focus):
        if len(week) == week_count:
            break
        step = pick("week", week_minutes, [need])
        if step is not None:
            week.append(step)
    month = pick("month", month_minutes, focus)
    if month is None or not week:
        raise PlanError(
            "the action catalogue has no week or month step that fits this profile "
            f"({profile}); add steps with mode 'either' and every area"
        )
    return Plan(
        today=today_step,
        week=tuple(week),
        month=month,
        check_in=today + CHECK_IN_AFTER,
        made_on=today,
        focus=tuple(n.facet_id for n in focus),
    )


def _seed(answers: Answers) -> str:
    """The answers as a stable string (the same in every process and Python version)."""
    responses = sorted((k, str(v)) for k, v in answers.responses.items())
    profile = sorted((k, str(v)) for k, v in answers.profile.items())
    return repr((responses, profile))


def _maintenance_order(needs: Sequence[_Need]) -> list[_Need]:
    """Nothing weak: keep strengths strong, giving and depth first."""
    by_facet = {n.facet_id: n for n in needs}
    ordered = [by_facet[f] for f in MAINTENANCE_FACETS if f in by_facet]
    ordered += [n for n in needs if n.facet_id not in MAINTENANCE_FACETS]
    return [_Need(n.facet_id, n.need, _as_maintenance(n.reason)) for n in ordered]


def _as_maintenance(reason: Reason) -> Reason:
    return Reason(
        reason.facet_id,
        reason.facet_label,
        reason.band,
        reason.percent,
        reason.need,
        reason.drivers,
        maintenance=True,
    )


def _rotation(focus: Sequence[_Need]) -> Iterable[_Need]:
    """The focus facets twice over, so that a week can hold two steps on the weakest facet when
    only one facet is weak, but every weak facet gets a step before any gets a second."""
    weak = [n for n in focus if n.need >= WEAK_NEED] or list(focus[:3])
    yield from weak
    yield from weak
    yield from focus


def _fits(action: Action, profile: Profile) -> bool:
    """Never against a stated preference, an area or a field."""
    if profile.mode == "online" and action.mode == "offline":
        return False
    if profile.mode == "offline" and action.mode == "online":
        return False
    if profile.area is not None and profile.area not in action.areas:
        return False
    return action.suits_field(profile.field)


def _best(
    actions: Sequence[Action],
    horizon: str,
    max_minutes: int,
    facet_id: str,
    profile: Profile,
    taken: Sequence[str],
    *,
    seed: str,
) -> Action | None:
    """The action for a facet: aimed at it first, then tailored to the person's field; among
    those equally good, the person's own answers choose (`seed`), so that the same answers always
    give the same plan while different people see different parts of the catalogue.  (Breaking
    ties by the fewest minutes left a third of the catalogue never shown to anyone.)"""
    candidates = [
        a
        for a in actions
        if a.horizon == horizon
        and a.minutes <= max_minutes
        and facet_id in a.facets
        and a.id not in taken
    ]
    if not candidates:
        return None

    def rank(action: Action) -> tuple[int, int, int, str]:
        primary = 0 if action.facets[0] == facet_id else 1
        tailored = profile.field is not None and (
            profile.field in action.fields or any(v.field == profile.field for v in action.variants)
        )
        field_specific = 0 if tailored else 1
        draw = zlib.crc32(f"{seed}|{facet_id}|{action.id}".encode())
        return (primary, field_specific, draw, action.id)

    return min(candidates, key=rank)
