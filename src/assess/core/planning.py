"""The personalised first-step plan: pure functions from a result, a profile and the catalogue.

The plan holds one step for today (at most 15 minutes, on the weakest facet the person can act
on now), two or three for this week, one goal for the month and a date to check in again. Each
step says why it was chosen: the facet, its band and the answers that drove it (with the answer
given).

What the plan promises the person, whatever they answered:

- today's and the week's steps together fit the time a week they said they have, every session
  of a repeated step counted (an action's ``sessions``);
- no step presumes a tie their answers deny (an action's ``presumes``, denied by any one of its
  ``denied_by``, each a single answer or several together), and none is offered
  against their preference for online or in-person contact, their area or their field;
- answers that call for a particular step (an action's ``called_for``, e.g. nobody to ask about
  rates) get it in the week, before the facets are taken in turn, and its reason names the
  facet of the answers it quotes;
- no action, and no support service, appears twice.

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
from collections.abc import Iterable, Mapping, Sequence, Set
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

# Time a person said they have a week → how many week steps, how long each may take, how long a
# session of the month goal may take, and the minutes today's and the week's steps may add up to
# (the least of what they said: "2–3 hours" gets 150 minutes, "4 hours or more" gets 4 hours).
WEEK_BUDGET: Mapping[str, tuple[int, int, int, int]] = {
    # hours code: (week steps, minutes per week step, minutes per month session, week total)
    "h1": (2, 30, 60, 60),
    "h3": (3, 60, 120, 150),
    "h5": (3, 180, 240, 240),
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
    answers: tuple[int, ...] = ()
    """The answer given to each driver, in the same order (empty when not known)."""


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
        pulling = [
            c
            for c in sorted(
                scored.contributions, key=lambda c: (-sign * c.pull * c.weight, c.item_id)
            )
            if sign * c.pull > 0
        ][:2]
        reason = Reason(
            facet.id,
            facet.label,
            scored.band,
            scored.percent,
            need,
            tuple(c.item_id for c in pulling),
            answers=tuple(c.value for c in pulling),
        )
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
    week_count, week_minutes, month_minutes, week_total = WEEK_BUDGET[profile.hours]
    needs = facet_needs(instrument, result)
    weak = [n for n in needs if n.need >= WEAK_NEED]
    rest = [n for n in needs if n.need < WEAK_NEED]
    focus = weak + rest if weak else _maintenance_order(needs)
    if not focus:
        raise PlanError("no facet could be scored: answer more questions to get a plan")
    eligible = [
        a for a in catalogue.actions if _fits(a, profile) and not _denied(a, result, answers)
    ]
    chosen: list[Action] = []
    seed = _seed(answers)

    def free(action: Action) -> bool:
        """Not yet in the plan, and pointing to no service the plan already names."""
        used = {service for taken in chosen for service in taken.services}
        return all(a.id != action.id for a in chosen) and not used & set(action.services)

    def pick(horizon: str, max_minutes: int, facets: Sequence[_Need]) -> PlanStep | None:
        for need in facets:
            action = _best(
                [a for a in eligible if free(a)],
                horizon,
                max_minutes,
                need.facet_id,
                profile,
                seed=seed,
            )
            if action is not None:
                chosen.append(action)
                return PlanStep(horizon, action, action.steps_for(profile.field), need.reason)
        return None

    today_step = pick("today", TODAY_MAX_MINUTES, focus)
    if today_step is None:
        raise PlanError(
            "the action catalogue has no step of at most 15 minutes for today that fits this "
            f"profile ({profile}); add one with mode 'either' and every area"
        )
    left = week_total - today_step.action.total_minutes
    week: list[PlanStep] = []
    # Steps the answers call for come first, one for each facet they speak for (one answer about
    # rates calls for one step, not two), leaving room for one step taken facet by facet.
    by_facet = {n.facet_id: n for n in needs}
    for action in eligible:
        if len(week) >= max(1, week_count - 1):
            break
        if (
            action.horizon == "week"
            and action.total_minutes <= min(week_minutes, left)
            and free(action)
            and (reason := _called_for(action, result, answers, by_facet, instrument))
            and all(step.reason.facet_id != reason.facet_id for step in week)
        ):
            chosen.append(action)
            week.append(PlanStep("week", action, action.steps_for(profile.field), reason))
            left -= action.total_minutes
    # Then the week spreads over the weak facets, those no step addresses yet first, one facet
    # each, then round again.
    covered = {today_step.reason.facet_id, *(step.reason.facet_id for step in week)}
    for need in _rotation(focus, covered):
        if len(week) == week_count:
            break
        step = pick("week", min(week_minutes, left), [need])
        if step is not None:
            week.append(step)
            left -= step.action.total_minutes
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


def _denied(action: Action, result: Result, answers: Answers) -> bool:
    """Whether the answers deny a tie the step presumes (e.g. a peer to ask, when there is none)."""
    return any(condition.holds(result, answers) for condition in action.denied_by)


def _called_for(
    action: Action,
    result: Result,
    answers: Answers,
    needs: Mapping[str, _Need],
    instrument: Instrument,
) -> Reason | None:
    """The reason to give when the answers call for this step, or None when they do not: the
    facet it strengthens, and the answers that called for it as the drivers."""
    met = [c for c in action.called_for if c.holds(result, answers)]
    if not met:
        return None
    # The reason names the facet its quoted answers belong to: nobody to ask about pricing is a
    # matter of depth, even on a step that strengthens face-to-face engagement.  Each met
    # condition speaks for one facet (its own, or its item's); among those that were scored, a
    # facet the step strengthens comes first, then the one most in need.
    known = _item_ids(instrument)
    quoted: dict[str, list[str]] = {}
    for condition in met:
        if condition.facet is not None:
            quoted.setdefault(condition.facet, [])
        elif condition.item is not None and condition.item in known:
            quoted.setdefault(instrument.item(condition.item).facet, []).append(condition.item)
    candidates = [f for f in quoted if f in needs]
    if not candidates:
        scored = [f for f in action.facets if f in needs]
        if not scored:
            return None
        return needs[max(scored, key=lambda f: (needs[f].need, -scored.index(f)))].reason
    facet = max(
        candidates,
        key=lambda f: (f in action.facets, needs[f].need, -candidates.index(f)),
    )
    base = needs[facet].reason
    items = quoted[facet]
    if not items:
        return base
    values = [answers.responses[item] for item in items]
    return Reason(
        base.facet_id,
        base.facet_label,
        base.band,
        base.percent,
        base.need,
        tuple(items[:2]),
        maintenance=False,
        answers=tuple(v for v in values[:2] if isinstance(v, int)),
    )


def _item_ids(instrument: Instrument) -> frozenset[str]:
    return frozenset(item.id for item in instrument.items)


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
        answers=reason.answers,
    )


def _rotation(focus: Sequence[_Need], covered: Set[str]) -> Iterable[_Need]:
    """The focus facets twice over, so that a week can hold two steps on the weakest facet when
    only one facet is weak, but every weak facet gets a step before any gets a second; facets
    that today's step or a step the answers called for already address wait their turn."""
    weak = [n for n in focus if n.need >= WEAK_NEED] or list(focus[:3])
    yield from (n for n in weak if n.facet_id not in covered)
    yield from weak
    yield from weak
    yield from focus


def _fits(action: Action, profile: Profile) -> bool:
    """Never against a stated preference, an area or a field."""
    if profile.mode == "online" and action.mode == "offline":
        return False
    if profile.mode == "offline" and action.mode == "online":
        return False
    if not action.suits_area(profile.area):
        return False
    return action.suits_field(profile.field)


def budget_minutes(action: Action) -> int:
    """The minutes a step takes against the budget: every session of a week's step counts ("twice
    this week, 30 minutes each" is an hour), while a month goal's budget is for one session."""
    return action.minutes if action.horizon == "month" else action.total_minutes


def most_minutes(horizon: str) -> int:
    """The most minutes any person's time allows a step of this horizon (`budget_minutes`).

    >>> most_minutes("today"), most_minutes("week"), most_minutes("month")
    (15, 180, 240)
    """
    if horizon == "today":
        return TODAY_MAX_MINUTES
    column = 1 if horizon == "week" else 2
    return max(budget[column] for budget in WEEK_BUDGET.values())


def _best(
    actions: Sequence[Action],
    horizon: str,
    max_minutes: int,
    facet_id: str,
    profile: Profile,
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
        if a.horizon == horizon and budget_minutes(a) <= max_minutes and facet_id in a.facets
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
