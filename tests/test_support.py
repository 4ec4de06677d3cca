"""Graded support: which help a person sees, decided from their answers, in a safe order."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_examples import examples

from assess import default_instrument
from assess.core.model import Answers, Instrument, Result
from assess.core.scoring import score
from assess.core.support import JAPAN, Support, SupportDirectory, support_for
from assess.datafiles.catalogue import default_support
from assess.datafiles.messages import default_messages
from assess.render.views import help_view

INSTRUMENT = default_instrument()
DIRECTORY = default_support()

# A settled freelancer: nothing at either end, so that each pattern below changes one thing.
SETTLED: dict[str, int] = {item.id: 3 for item in INSTRUMENT.items}
SETTLED |= {"lonely_direct": 2, "depth_2": 4, "safety_net_1": 4, "safety_net_2": 2}


def answered(**changes: int | None) -> Answers:
    """The settled answers with some changed; None leaves that question unanswered."""
    responses = {k: v for k, v in (SETTLED | changes).items() if v is not None}
    return Answers(responses)


def worst_end(instrument: Instrument) -> Answers:
    """Every question answered at the end that counts most towards isolation."""
    responses = {}
    for item in instrument.items:
        risk = instrument.index(instrument.facet(item.facet).index).higher_is == "risk"
        low, high = item.scale.values[0], item.scale.values[-1]
        towards_need = high if risk else low
        responses[item.id] = (
            (low if towards_need == high else high) if item.reverse else towards_need
        )
    return Answers(responses)


def best_end(instrument: Instrument) -> Answers:
    worst = worst_end(instrument)
    return Answers(
        {
            item.id: item.scale.values[0]
            if worst.responses[item.id] == item.scale.values[-1]
            else item.scale.values[-1]
            for item in instrument.items
        }
    )


def support(answers: Answers, *, now: datetime.datetime | None = None) -> Support:
    return support_for(INSTRUMENT, score(INSTRUMENT, answers), answers, DIRECTORY, now=now)


def isolation(answers: Answers) -> float:
    percent = score(INSTRUMENT, answers).index("isolation_risk").percent
    assert percent is not None
    return percent


# --- the table: answer pattern -> level --------------------------------------------------------

ONLY_WORRIED_ABOUT_COVER = answered(
    safety_net_1=2, safety_net_2=4, safety_net_3=4, safety_net_4=4, spatial_1=4, spatial_2=4
)

PATTERNS: dict[str, tuple[Answers, str]] = {
    "settled answers": (answered(), "none"),
    "every answer at the best end": (best_end(INSTRUMENT), "none"),
    "nothing answered": (Answers({}), "none"),
    "somewhat worried about cover if ill (isolation moderate)": (
        ONLY_WORRIED_ABOUT_COVER,
        "practical",
    ),
    "safety net at its worst, feelings settled": (
        answered(safety_net_1=1, safety_net_2=5, safety_net_3=5, safety_net_4=5),
        "practical",
    ),
    "nobody to compare rates with": (answered(informational_2=5), "practical"),
    "no fellow freelancer to ask about pricing": (answered(depth_2=1), "practical"),
    "informational isolation high": (
        answered(informational_1=5, informational_2=5, informational_3=1, informational_4=5),
        "practical",
    ),
    "lonely sometimes, otherwise settled": (answered(lonely_direct=4), "practical"),
    "lonely often or always, but someone to confide in": (
        answered(lonely_direct=5, emotional_1=2, emotional_2=4, emotional_3=2),
        "practical",
    ),
    "nobody to confide in, but never lonely": (
        answered(emotional_1=5, emotional_2=1, emotional_3=5, lonely_direct=1),
        "practical",
    ),
    "lonely often or always and carrying things alone": (
        answered(lonely_direct=5, emotional_1=4, emotional_2=2, emotional_3=4),
        "prominent",
    ),
    "every emotional answer at the worst end, loneliness skipped": (
        answered(emotional_1=5, emotional_2=1, emotional_3=5, lonely_direct=None),
        "prominent",
    ),
    "every answer at the worst end of its scale": (worst_end(INSTRUMENT), "prominent"),
}


@pytest.mark.parametrize(("answers", "level"), PATTERNS.values(), ids=PATTERNS)
def test_each_answer_pattern_gets_its_level_of_support(answers: Answers, level: str) -> None:
    """The level follows the answers as data/README.md explains."""
    assert support(answers).level == level


def test_worry_about_a_safety_net_alone_is_a_practical_need_not_an_emergency() -> None:
    """Overall isolation in the middle (around 56) with a thin safety net: work help, no box."""
    assert 50 <= isolation(ONLY_WORRIED_ABOUT_COVER) <= 65
    shown = support(ONLY_WORRIED_ABOUT_COVER)
    assert shown.prominent == ()
    assert "freelance_trouble_110" in [s.id for s in shown.practical]


# --- what the prominent box holds, and in what order -----------------------------------------

DISTRESS = PATTERNS["lonely often or always and carrying things alone"][0]


def ids(services: tuple[object, ...]) -> list[str]:
    return [getattr(s, "id", "") for s in services]


def test_the_free_24_hour_line_comes_first_then_the_ambulance() -> None:
    """Without the hour, the free line open around the clock leads, then 119."""
    shown = support(DISTRESS)
    assert ids(shown.prominent)[:2] == ["yorisoi_hotline", "emergency_ambulance"]
    assert shown.prominent[0].phone == "0120-279-338"


@pytest.mark.parametrize(
    ("hour", "day", "second"),
    [
        (17, 26, "inochi_free"),  # the free lifeline answers 16:00-21:00
        (23, 26, "emergency_ambulance"),  # it is closed: 119 follows the 24-hour line
        (3, 11, "inochi_free"),  # 10th from 08:00 to the 11th at 08:00
        (9, 11, "emergency_ambulance"),
    ],
)
def test_free_lines_open_now_come_before_the_ambulance(hour: int, day: int, second: str) -> None:
    """At a given hour in Japan, the free lines that answer then follow the 24-hour line."""
    now = datetime.datetime(2026, 11, day, hour, tzinfo=JAPAN)
    order = ids(support(DISTRESS, now=now).prominent)
    assert order[0] == "yorisoi_hotline"
    assert order[1] == second
    assert order.index("emergency_ambulance") < order.index("inochi_navi")


def test_the_prominent_box_appears_only_at_its_level() -> None:
    """Practical and none levels never carry lines to call now at the top."""
    for answers, level in PATTERNS.values():
        assert bool(support(answers).prominent) == (level == "prominent")


def test_everyone_gets_the_quiet_list() -> None:
    """The "if things get hard" list is there at every level (less what is shown above)."""
    for answers, _level in PATTERNS.values():
        shown = support(answers)
        assert {"yorisoi_hotline", "emergency_ambulance"} <= set(ids(shown.services))


# --- properties over any answers -------------------------------------------------------------

ANY_ANSWERS = st.fixed_dictionaries(
    {},
    optional={item.id: st.sampled_from(item.scale.values) for item in INSTRUMENT.items},
)


@settings(max_examples=examples(1.5))
@given(ANY_ANSWERS)
def test_no_service_is_listed_twice_and_police_never(responses: dict[str, int]) -> None:
    """Whatever the answers, each service appears once, and 110 not at all."""
    shown = support(Answers(responses))
    listed = ids(shown.services)
    assert len(listed) == len(set(listed))
    assert all(s.phone != "110" for s in shown.services)


@settings(max_examples=examples(1.5))
@given(ANY_ANSWERS)
def test_the_prominent_box_needs_the_emotional_answers(responses: dict[str, int]) -> None:
    """Only answers about feelings open the box: a thin safety net or isolation from news never
    does on their own, whatever the other facets say."""
    answers = Answers(responses)
    result = score(INSTRUMENT, answers)
    shown = support_for(INSTRUMENT, result, answers, DIRECTORY)
    if shown.level == "prominent":
        assert emotional_percent(result) >= 65
        assert shown.prominent[0].id == "yorisoi_hotline"


def emotional_percent(result: Result) -> float:
    return result.facet("emotional").percent or 0.0


def test_a_directory_without_rules_shows_only_the_quiet_list() -> None:
    """No rules: level none, the quiet list in the file's order."""
    bare = SupportDirectory(DIRECTORY.services, (), quiet=("kokoro_dial", "yorisoi_hotline"))
    answers = worst_end(INSTRUMENT)
    shown = support_for(INSTRUMENT, score(INSTRUMENT, answers), answers, bare)
    assert (shown.level, ids(shown.services)) == ("none", ["kokoro_dial", "yorisoi_hotline"])


# --- open now first, by the person's clock ---------------------------------------------------

CLOCK = [
    datetime.datetime(2026, 11, 26, 11, 58, tzinfo=JAPAN),
    datetime.datetime(2026, 11, 26, 16, 30, tzinfo=JAPAN),
    datetime.datetime(2026, 11, 26, 21, 30, tzinfo=JAPAN),
    datetime.datetime(2026, 11, 27, 3, 0, tzinfo=JAPAN),
    # the same 11:58 in Japan, read on a clock in London
    datetime.datetime(2026, 11, 26, 2, 58, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("now", CLOCK, ids=lambda now: now.isoformat())
def test_closed_lines_come_after_every_open_one_soonest_first(now: datetime.datetime) -> None:
    """At any hour, no line that is closed then comes before one that answers; the closed ones
    follow in the order they open."""
    shown = support(DISTRESS, now=now).prominent
    closed = [shown.index(s) for s in shown if s.closed_until(now) is not None]
    assert closed == list(range(len(shown) - len(closed), len(shown)))
    openings = [s.closed_until(now) for s in shown[len(shown) - len(closed) :]]
    assert openings == sorted(openings)


@pytest.mark.parametrize(
    ("now", "first_three", "last"),
    [
        (CLOCK[0], ["yorisoi_hotline", "emergency_ambulance", "inochi_sos"], ["inochi_free"]),
        (CLOCK[1], ["yorisoi_hotline", "inochi_free", "emergency_ambulance"], []),
        (CLOCK[2], ["yorisoi_hotline", "emergency_ambulance", "inochi_sos"], ["inochi_free"]),
        (
            CLOCK[3],
            ["yorisoi_hotline", "emergency_ambulance", "inochi_sos"],
            ["inochi_navi", "inochi_free"],
        ),
        (CLOCK[4], ["yorisoi_hotline", "emergency_ambulance", "inochi_sos"], ["inochi_free"]),
    ],
    ids=["11:58", "16:30", "21:30", "03:00", "11:58 JST on a UTC clock"],
)
def test_the_free_lifeline_comes_where_its_hours_put_it(
    now: datetime.datetime, first_three: list[str], last: list[str]
) -> None:
    """The free いのちの電話 line (16–21時) leads with the 24-hour line while it answers, and
    waits at the end of the box, with the other closed lines, while it does not."""
    order = ids(support(DISTRESS, now=now).prominent)
    assert order[:3] == first_three
    assert order[len(order) - len(last) :] == last


@pytest.mark.parametrize(
    ("now", "language", "says"),
    [
        (CLOCK[0], "ja", "いまは受付時間外です。今日の16時から受け付けます"),
        (CLOCK[2], "ja", "いまは受付時間外です。明日の16時から受け付けます"),
        (CLOCK[3], "ja", "いまは受付時間外です。今日の16時から受け付けます"),
        (CLOCK[0], "en", "closed now; opens today at 16:00, Japan time"),
        (CLOCK[2], "en", "closed now; opens tomorrow at 16:00, Japan time"),
    ],
)
def test_a_closed_line_says_when_it_opens(now: datetime.datetime, language: str, says: str) -> None:
    """Beside its hours, in every rendering of the box: nobody calls a line into silence."""
    shown = support(DISTRESS, now=now)
    lifeline = ids(shown.prominent).index("inochi_free")
    assert says in help_view(shown, language, default_messages()).urgent[lifeline].hours


def test_an_open_line_says_nothing_of_opening() -> None:
    """At 16:30 the lifeline answers: its hours are shown as they are."""
    help_box = help_view(support(DISTRESS, now=CLOCK[1]), "ja", default_messages())
    assert not any("受付時間外" in s.hours for s in help_box.urgent)
