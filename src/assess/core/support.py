"""Graded support: which help a person is shown, and in what order, from their answers alone.

Three levels, declared as data in ``data/support/services.yaml`` (format in ``data/README.md``):

- ``none``: only the quiet "if things get hard" list that everyone gets;
- ``practical``: freelancer and work-trouble services beside the quiet list, for answers that show
  a practical need (a thin safety net, being cut off from the news of one's field, nobody to ask
  about rates);
- ``prominent``: a box of lines to call now, for answers that suggest acute distress.

Each rule names a level and conditions that must all hold; the highest level any rule reaches
wins.  In the prominent box, free lines that are open now come first (those open around the clock
before those open at this hour), then the emergency number for a danger to life, then the rest in
the order the file gives.  No service is listed twice.

>>> import datetime
>>> from assess.core.model import Text
>>> t = Text("x", "x")
>>> day = datetime.date(2026, 11, 26)
>>> line = SupportService("line", "jp", "crisis", t, t, "0120-000-000", None, t, "https://e", day,
...                       free=True, open=(OpenWindow.always(),))
>>> ambulance = SupportService("ambulance", "jp", "emergency", t, t, "119", None, t, "https://e",
...                            day)
>>> directory = SupportDirectory((ambulance, line), (), prominent=("ambulance", "line"))
>>> [s.id for s in order_prominent(directory.listed(directory.prominent), now=None)]
['line', 'ambulance']
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assess.core.model import Answers, Condition, Instrument, Result, Text, find

Region = Literal["jp", "global"]
Kind = Literal["crisis", "mental_health", "general", "legal", "portal", "emergency"]
Level = Literal["none", "practical", "prominent"]
LEVELS: tuple[Level, ...] = ("none", "practical", "prominent")
"""From least to most: a rule's level, and the level a person is shown."""
RULE_LEVELS: tuple[Level, ...] = ("practical", "prominent")

JAPAN = datetime.timezone(datetime.timedelta(hours=9), "JST")
"""Opening hours of the Japanese lines are in Japan's time (no daylight saving)."""


@dataclass(frozen=True, slots=True)
class OpenWindow:
    """When a line answers: daily (``day`` None) or on one day of each month, from ``start`` up
    to ``end`` in Japan's time; an ``end`` at or before ``start`` runs into the next day, so
    ``start == end`` is a whole 24 hours."""

    start: datetime.time
    end: datetime.time
    day: int | None = None
    always_open: bool = False

    @classmethod
    def always(cls) -> OpenWindow:
        return cls(datetime.time(0), datetime.time(0), always_open=True)

    def is_open(self, moment: datetime.datetime) -> bool:
        """Whether the line answers at `moment` (a timezone-aware time; read in Japan's time).

        >>> w = OpenWindow(datetime.time(16), datetime.time(21))
        >>> w.is_open(datetime.datetime(2026, 11, 26, 17, tzinfo=JAPAN))
        True
        >>> w.is_open(datetime.datetime(2026, 11, 26, 22, tzinfo=JAPAN))
        False
        """
        if self.always_open:
            return True
        local = moment.astimezone(JAPAN).replace(tzinfo=None)
        for opened_on in (local.date(), local.date() - datetime.timedelta(days=1)):
            if self.day is not None and opened_on.day != self.day:
                continue
            start = datetime.datetime.combine(opened_on, self.start)
            end = datetime.datetime.combine(opened_on, self.end)
            if end <= start:
                end += datetime.timedelta(days=1)
            if start <= local < end:
                return True
        return False

    def next_opening(self, moment: datetime.datetime) -> datetime.datetime | None:
        """When the line next starts answering after `moment`, in Japan's time (None when it is
        open around the clock).

        >>> w = OpenWindow(datetime.time(16), datetime.time(21))
        >>> w.next_opening(datetime.datetime(2026, 11, 26, 22, tzinfo=JAPAN)).isoformat()
        '2026-11-27T16:00:00+09:00'
        """
        if self.always_open:
            return None
        local = moment.astimezone(JAPAN)
        # A day of the month comes round within 62 days (31 is skipped by short months).
        for ahead in range(63):
            day = local.date() + datetime.timedelta(days=ahead)
            if self.day is not None and day.day != self.day:
                continue
            start = datetime.datetime.combine(day, self.start, tzinfo=JAPAN)
            if start > local:
                return start
        return None


@dataclass(frozen=True, slots=True)
class SupportService:
    """A place to get help: only verified numbers, with where and when they were checked."""

    id: str
    region: Region
    kind: Kind
    name: Text
    offers: Text
    phone: str | None
    url: str | None
    hours: Text
    source: str
    checked: datetime.date
    free: bool = False
    """A call costs the caller nothing (toll-free)."""
    open: tuple[OpenWindow, ...] = ()
    """When it answers, where that was verified; empty when the hours vary or are unknown."""

    @property
    def always_open(self) -> bool:
        return any(window.always_open for window in self.open)

    def open_at(self, moment: datetime.datetime) -> bool:
        return any(window.is_open(moment) for window in self.open)

    def closed_until(self, moment: datetime.datetime) -> datetime.datetime | None:
        """When a line with known hours that is closed at `moment` opens next (Japan's time);
        None when it is open, or when its hours are not known."""
        if not self.open or self.open_at(moment):
            return None
        openings = [o for w in self.open if (o := w.next_opening(moment)) is not None]
        return min(openings, default=None)


@dataclass(frozen=True, slots=True)
class SupportRule:
    """A level of support, reached when every condition holds."""

    id: str
    level: Level
    conditions: tuple[Condition, ...]

    def applies(self, result: Result, answers: Answers) -> bool:
        """Whether these answers meet every condition (a rule without conditions never does).

        >>> rule = SupportRule("often", "prominent", (Condition(item="lonely", values=(5,)),))
        >>> rule.applies(Result("i", "1", (), (), 1, 1), Answers({"lonely": 5}))
        True
        """
        return bool(self.conditions) and all(c.holds(result, answers) for c in self.conditions)


@dataclass(frozen=True, slots=True)
class SupportDirectory:
    """The services, the rules for each level, and which services each list holds, in order."""

    services: tuple[SupportService, ...]
    rules: tuple[SupportRule, ...]
    prominent: tuple[str, ...] = ()
    practical: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()

    def service(self, service_id: str) -> SupportService:
        return find(self.services, service_id)

    def for_region(self, region: str) -> tuple[SupportService, ...]:
        return tuple(service for service in self.services if service.region == region)

    def listed(self, ids: Sequence[str]) -> tuple[SupportService, ...]:
        """The services of a list, in its order (ids the directory lacks are skipped)."""
        known = {service.id: service for service in self.services}
        return tuple(known[i] for i in ids if i in known)

    def triggered(self, result: Result, answers: Answers) -> tuple[SupportRule, ...]:
        """The rules these answers meet."""
        return tuple(rule for rule in self.rules if rule.applies(result, answers))


@dataclass(frozen=True, slots=True)
class Support:
    """What a person is shown: the level, then each list in the order to show it."""

    level: Level
    prominent: tuple[SupportService, ...]
    """Lines to call now; empty below the prominent level."""
    practical: tuple[SupportService, ...]
    """Freelancer and work-trouble services; empty when no practical rule applies."""
    quiet: tuple[SupportService, ...]
    """The "if things get hard" list everyone gets, less what is already shown above."""
    rules: tuple[str, ...]
    """The ids of the rules that applied, in file order."""
    now: datetime.datetime | None = None
    """The person's clock when the lists were made (None: the hour was not known)."""

    def closed_until(self, service: SupportService) -> datetime.datetime | None:
        """When a line closed at the person's hour opens (Japan's time), None if open or unknown.

        Shown beside each closed line of the prominent box, so that nobody calls into silence."""
        return None if self.now is None else service.closed_until(self.now)

    @property
    def services(self) -> tuple[SupportService, ...]:
        """Every service shown, in order, each once."""
        return (*self.prominent, *self.practical, *self.quiet)


def support_for(
    instrument: Instrument,
    result: Result,
    answers: Answers,
    directory: SupportDirectory,
    *,
    now: datetime.datetime | None = None,
) -> Support:
    """The support these answers call for.

    `instrument` is accepted so that a rule is read against the bank it was written for; `now`
    (timezone-aware) puts the free lines open at this hour before the rest of the prominent box;
    without it only the lines open around the clock go first.
    """
    del instrument  # the rules were checked against it when the directory was loaded
    applied = directory.triggered(result, answers)
    levels = {rule.level for rule in applied}
    level: Level = (
        "prominent" if "prominent" in levels else "practical" if "practical" in levels else "none"
    )
    shown: set[str] = set()

    def fresh(services: Sequence[SupportService]) -> tuple[SupportService, ...]:
        kept = tuple(s for s in services if s.id not in shown)
        shown.update(s.id for s in kept)
        return kept

    prominent = (
        fresh(order_prominent(directory.listed(directory.prominent), now=now))
        if level == "prominent"
        else ()
    )
    practical = fresh(directory.listed(directory.practical)) if "practical" in levels else ()
    quiet = fresh(directory.listed(directory.quiet))
    return Support(
        level=level,
        prominent=prominent,
        practical=practical,
        quiet=quiet,
        rules=tuple(rule.id for rule in applied),
        now=now,
    )


def order_prominent(
    services: Sequence[SupportService], *, now: datetime.datetime | None
) -> tuple[SupportService, ...]:
    """Free lines open around the clock, then free lines open at `now` (the person's clock),
    then the emergency number, then the rest as listed, and last the lines closed at `now`, the
    soonest to open first: a person in distress reaches a listener first, the ambulance is there
    for a danger to life, and nobody is sent to a line that does not answer at this hour."""

    def rank(position: int, service: SupportService) -> tuple[int, float, int]:
        listener = service.kind != "emergency"
        if service.free and service.always_open and listener:
            return (0, 0, position)
        if service.free and now is not None and service.open_at(now) and listener:
            return (1, 0, position)
        if service.kind == "emergency" and service.region == "jp":
            return (2, 0, position)
        if now is not None and (opens := service.closed_until(now)) is not None:
            return (4, (opens - now).total_seconds(), position)
        return (3, 0, position)

    ranked = sorted(enumerate(services), key=lambda pair: rank(*pair))
    return tuple(service for _, service in ranked)


__all__ = (
    "JAPAN",
    "LEVELS",
    "RULE_LEVELS",
    "Condition",
    "Kind",
    "Level",
    "OpenWindow",
    "Region",
    "Support",
    "SupportDirectory",
    "SupportRule",
    "SupportService",
    "order_prominent",
    "support_for",
)
