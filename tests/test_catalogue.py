"""The action catalogue and the support directory: the shipped files, and what a bad file says."""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from assess import default_instrument
from assess.core.model import Answers, Instrument, ProfileOption, ProfileQuestion, Text
from assess.core.scoring import score
from assess.datafiles.catalogue import (
    TODAY_MAX_MINUTES,
    Action,
    ActionCatalogue,
    SupportDirectory,
    actions_for_facet,
    check_against_instrument,
    default_actions_path,
    default_support_path,
    load_actions,
    load_support,
    parse_actions,
    parse_support,
)
from assess.datafiles.checker import DataFileError, Problem
from assess.datafiles.shipped import problems_in_text, validate_files

FACETS = (
    "spatial",
    "emotional",
    "informational",
    "safety_net",
    "online",
    "offline",
    "breadth",
    "depth",
    "contribution",
    "solitude",
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
CHECKED = datetime.date(2026, 11, 26)
LAST_CHECKED = datetime.date(2026, 11, 29)


@pytest.fixture(scope="module")
def catalogue() -> ActionCatalogue:
    """The action catalogue shipped with the package."""
    return load_actions(default_actions_path())


@pytest.fixture(scope="module")
def directory() -> SupportDirectory:
    """The support directory shipped with the package."""
    return load_support(default_support_path())


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    """The instrument shipped with the package."""
    return default_instrument()


def fits_anyone_online(action: Action) -> bool:
    """Whether a person who prefers online contact, in any field and area, can take it."""
    return action.mode != "offline" and action.fields == ("any",) and action.areas == ()


# --- the shipped action catalogue ------------------------------------------------------------


def test_the_shipped_files_pass_the_validate_command() -> None:
    """`assess validate` finds nothing wrong with either shipped file."""
    assert validate_files([default_actions_path(), default_support_path()]) == []


def test_the_catalogue_fits_the_shipped_instrument(
    catalogue: ActionCatalogue, instrument: Instrument
) -> None:
    """Every facet, field and area an action names exists in the instrument."""
    assert check_against_instrument(catalogue, instrument) == []


def test_the_catalogue_holds_at_least_34_actions(catalogue: ActionCatalogue) -> None:
    """There is enough to choose from for every profile."""
    assert len(catalogue.actions) >= 34
    assert len({action.id for action in catalogue.actions}) == len(catalogue.actions)


@pytest.mark.parametrize("facet_id", FACETS)
def test_every_facet_has_two_short_online_steps_for_today(
    catalogue: ActionCatalogue, facet_id: str
) -> None:
    """Anyone who prefers online contact, wherever they live, gets a step today for any facet."""
    today = [
        action
        for action in actions_for_facet(catalogue, facet_id)
        if action.horizon == "today"
        and action.minutes <= TODAY_MAX_MINUTES
        and fits_anyone_online(action)
    ]
    assert len(today) >= 2, [action.id for action in today]


@pytest.mark.parametrize("facet_id", FACETS)
def test_every_facet_has_steps_for_today_the_week_and_the_month(
    catalogue: ActionCatalogue, facet_id: str
) -> None:
    """A plan can address any facet at each horizon."""
    horizons = {action.horizon for action in actions_for_facet(catalogue, facet_id)}
    assert horizons == {"today", "week", "month"}


@pytest.mark.parametrize("facet_id", FACETS)
def test_an_hour_a_week_online_is_enough_for_a_week_and_a_month_step_on_any_facet(
    catalogue: ActionCatalogue, facet_id: str
) -> None:
    """With about an hour a week, week steps of up to 30 and month steps of up to 60 minutes fit."""
    actions = [a for a in actions_for_facet(catalogue, facet_id) if fits_anyone_online(a)]
    assert any(a.horizon == "week" and a.minutes <= 30 for a in actions)
    assert any(a.horizon == "month" and a.minutes <= 60 for a in actions)


@pytest.mark.parametrize("horizon", ["today", "week", "month"])
def test_a_rural_person_who_prefers_meeting_in_person_has_offline_steps(
    catalogue: ActionCatalogue, horizon: str
) -> None:
    """In the countryside too, each horizon offers an in-person step for offline engagement."""
    assert any(
        action.horizon == horizon and action.mode != "online" and action.suits_area("rural")
        for action in actions_for_facet(catalogue, "offline")
    )


def test_coworking_steps_are_offered_only_in_cities_and_suburbs(
    catalogue: ActionCatalogue,
) -> None:
    """A co-working space near home is not something the countryside can count on."""
    coworking = [a for a in catalogue.actions if "coworking" in a.id and a.mode != "online"]
    assert coworking
    assert all(action.areas == ("urban", "suburban") for action in coworking)


def test_the_catalogue_uses_every_mode(catalogue: ActionCatalogue) -> None:
    """Online, offline and either-way steps all appear, and no mode dominates."""
    counts = {
        m: sum(a.mode == m for a in catalogue.actions) for m in ("online", "offline", "either")
    }
    assert all(count >= 5 for count in counts.values()), counts


def test_hashtag_steps_follow_the_persons_field(catalogue: ActionCatalogue) -> None:
    """A designer is told to follow #uiux and #webdesign; someone without a variant gets the default."""
    action = catalogue.action("follow_field_hashtags")
    design = " ".join(step.ja + step.en for step in action.steps_for("design"))
    assert "#uiux" in design
    assert "#webdesign" in design
    assert action.steps_for("engineering") != action.steps_for("design")
    assert action.steps_for("other") == action.steps
    assert action.steps_for(None) == action.steps


def test_an_action_for_one_field_suits_only_that_field() -> None:
    """Field-specific actions are not offered to other fields, nor to someone who gave none."""
    text = Text("あ", "a")
    for_writers = Action(
        "a", ("depth",), "either", 5, "today", ("writing",), (), text, (text,), text
    )
    for_everyone = Action("b", ("depth",), "either", 5, "today", ("any",), (), text, (text,), text)
    assert for_writers.suits_field("writing")
    assert not for_writers.suits_field("design")
    assert not for_writers.suits_field(None)
    assert for_everyone.suits_field("design")
    assert for_everyone.suits_field(None)


def test_the_legal_help_steps_link_the_official_site_not_a_number(
    catalogue: ActionCatalogue,
) -> None:
    """The freelancer help steps name Freelance Trouble 110 and give no phone number."""
    action = catalogue.action("bookmark_freelance_help")
    steps = " ".join(step.ja for step in action.steps)
    assert "フリーランス・トラブル110番" in steps
    assert not re.search(r"\d{2,4}-\d{2,4}-\d{3,4}", steps)


def action_texts(catalogue: ActionCatalogue) -> list[tuple[str, Text]]:
    texts: list[tuple[str, Text]] = []
    for action in catalogue.actions:
        texts += [(f"{action.id} title", action.title), (f"{action.id} why", action.why)]
        texts += [(f"{action.id} step {i}", s) for i, s in enumerate(action.steps)]
        for variant in action.variants:
            texts += [(f"{action.id} {variant.field} {i}", s) for i, s in enumerate(variant.steps)]
    return texts


def test_every_action_text_is_written_in_both_languages(catalogue: ActionCatalogue) -> None:
    """Japanese texts contain kana or kanji, and no English text is a copy of the Japanese."""
    texts = action_texts(catalogue)
    assert [where for where, text in texts if not JAPANESE.search(text.ja)] == []
    assert [where for where, text in texts if text.ja == text.en] == []


def test_every_why_is_one_or_two_sentences(catalogue: ActionCatalogue) -> None:
    """Explanations stay short enough to read beside the step."""
    long = [a.id for a in catalogue.actions if a.why.ja.count("。") > 2]
    assert long == []


# --- the shipped support directory -----------------------------------------------------------

PUBLIC_LINES = {
    "kokoro_dial": "0570-064-556",
    "inochi_navi": "0570-783-556",
    "inochi_free": "0120-783-556",
    "yorisoi_hotline": "0120-279-338",
    "inochi_sos": "0120-061-338",
    "emergency_ambulance": "119",
}


@pytest.mark.parametrize(("service_id", "phone"), PUBLIC_LINES.items())
def test_the_public_lines_carry_the_verified_numbers(
    directory: SupportDirectory, service_id: str, phone: str
) -> None:
    """Each Japanese public line has exactly the number recorded in the reference facts."""
    assert directory.service(service_id).phone == phone


def test_every_service_says_where_and_when_it_was_checked(directory: SupportDirectory) -> None:
    """A source page over https and the date checked stand beside every entry."""
    assert all(s.source.startswith("https://") for s in directory.services)
    assert all(CHECKED <= s.checked <= LAST_CHECKED for s in directory.services)


def test_the_police_are_not_listed_as_a_place_to_turn(directory: SupportDirectory) -> None:
    """110 is for crime and accidents, not for how a person feels: no entry carries it."""
    assert all(s.phone != "110" for s in directory.services)
    assert all("police" not in s.name.en.lower() for s in directory.services)


def test_freelance_trouble_110_links_its_official_site_without_a_number(
    directory: SupportDirectory,
) -> None:
    """Its number was not verified, so only the official site is given."""
    service = directory.service("freelance_trouble_110")
    assert (service.kind, service.phone) == ("legal", None)
    assert service.url is not None
    assert service.url.startswith("https://")


def test_people_outside_japan_are_told_where_to_turn_without_a_number(
    directory: SupportDirectory,
) -> None:
    """The global entry points to local emergency and crisis services or a doctor."""
    (entry,) = directory.for_region("global")
    assert (entry.phone, entry.url) == (None, None)
    assert "emergency" in entry.offers.en
    assert "doctor" in entry.offers.en


def test_the_distress_rules_fit_the_shipped_instrument(
    directory: SupportDirectory, instrument: Instrument
) -> None:
    """Every facet, band, item and value the rules name exists in the instrument."""
    assert check_against_instrument(directory, instrument) == []
    assert {rule.level for rule in directory.rules} == {"practical", "prominent"}


# --- what a malformed file says --------------------------------------------------------------

ACTIONS = textwrap.dedent(
    """
    format: assess-actions/1
    id: test-actions
    version: "1"
    actions:
      - id: say_hello
        facets: [alone]
        mode: online
        minutes: 10
        horizon: today
        fields: [any]
        title: {ja: 挨拶する, en: Say hello}
        steps:
          - {ja: 一言送る, en: Send a line}
        why: {ja: つながるため, en: To connect}
      - id: write_together
        facets: [ties, unheard]
        mode: either
        minutes: 60
        horizon: week
        fields: [writing]
        areas: [urban, suburban]
        title: {ja: 一緒に書く, en: Write together}
        steps:
          - {ja: 勉強会に行く, en: Go to a study group}
        why: {ja: 仲間ができるため, en: To find peers}
        variants:
          - field: writing
            steps:
              - {ja: ライターの勉強会に行く, en: Go to a study group for writers}
    """
)

SUPPORT = textwrap.dedent(
    """
    format: assess-support/1
    services:
      - id: helpline
        region: jp
        kind: crisis
        name: {ja: 相談電話, en: Helpline}
        offers: {ja: 話を聴きます, en: Someone listens}
        phone: "0120-000-000"
        url: https://example.org/help
        hours: {ja: 24時間, en: 24 hours}
        source: https://example.org/help
        checked: 2026-11-26
    lists:
      quiet: [helpline]
      prominent: [helpline]
    rules:
      - id: unheard_high
        level: prominent
        when:
          - facet: unheard
            bands: [high]
      - id: a1_top
        level: prominent
        when:
          - item: a1
            values: [5]
    """
)


def edited(document: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in document, old
        document = document.replace(old, new, 1)
    return document


def problems(document: str) -> list[Problem]:
    parse = parse_actions if "assess-actions/1" in document else parse_support
    with pytest.raises(DataFileError) as caught:
        parse(yaml.safe_load(document), source="case.yaml")
    return list(caught.value.problems)


def test_the_example_documents_are_valid(small_instrument: Instrument) -> None:
    """The documents the cases below break are themselves valid and fit the small instrument."""
    catalogue = parse_actions(yaml.safe_load(ACTIONS), source="actions.yaml")
    support = parse_support(yaml.safe_load(SUPPORT), source="support.yaml")
    assert check_against_instrument(catalogue, small_instrument) == []
    assert check_against_instrument(support, small_instrument) == []
    assert problems_in_text(ACTIONS) == problems_in_text(SUPPORT) == []


BROKEN = {
    "unknown key": (
        ACTIONS,
        ("title: {ja: 挨拶する", "tittle: {ja: 挨拶する"),
        "actions[0] (id 'say_hello')",
        "unknown key 'tittle'; did you mean 'title'?",
    ),
    "today action over 15 minutes": (
        ACTIONS,
        ("minutes: 10", "minutes: 20"),
        "actions[0] (id 'say_hello').minutes",
        "a step for today takes at most 15 minutes",
    ),
    "minutes not a positive whole number": (
        ACTIONS,
        ("minutes: 60", "minutes: 0"),
        "actions[1] (id 'write_together').minutes",
        "must be at least 1",
    ),
    "unknown mode": (
        ACTIONS,
        ("mode: online", "mode: in_person"),
        "actions[0] (id 'say_hello').mode",
        "must be one of 'online', 'offline', 'either'",
    ),
    "unknown horizon": (
        ACTIONS,
        ("horizon: week", "horizon: year"),
        "actions[1] (id 'write_together').horizon",
        "must be one of 'today', 'week', 'month'",
    ),
    "any mixed with fields": (
        ACTIONS,
        ("fields: [any]", "fields: [any, design]"),
        "actions[0] (id 'say_hello').fields",
        "'any' already covers every field",
    ),
    "variant never shown": (
        ACTIONS,
        ("  - field: writing", "  - field: design"),
        "actions[1] (id 'write_together').variants[0].field",
        "this variant would never be shown",
    ),
    "missing translation": (
        ACTIONS,
        ("why: {ja: つながるため, en: To connect}", "why: {ja: つながるため}"),
        "actions[0] (id 'say_hello').why",
        "missing translation: add the English text under 'en'",
    ),
    "duplicate action id": (
        ACTIONS,
        ("- id: write_together", "- id: say_hello"),
        "actions[1] (id 'say_hello')",
        "duplicate action id 'say_hello'",
    ),
    "unknown top-level key": (
        ACTIONS,
        ('version: "1"', 'version: "1"\nformat_version: 2'),
        "top level",
        "unknown key 'format_version'",
    ),
    "service with neither phone nor url": (
        SUPPORT,
        ('    phone: "0120-000-000"\n    url: https://example.org/help\n', ""),
        "services[0] (id 'helpline')",
        "has neither 'phone' nor 'url'",
    ),
    "http url": (
        SUPPORT,
        ("url: https://example.org/help", "url: http://example.org/help"),
        "services[0] (id 'helpline').url",
        "starts with http://",
    ),
    "source that is not a web address": (
        SUPPORT,
        ("source: https://example.org/help", "source: the ministry's website"),
        "services[0] (id 'helpline').source",
        "must be the https:// address",
    ),
    "bad phone": (
        SUPPORT,
        ('phone: "0120-000-000"', 'phone: "0120 000 000 (free)"'),
        "services[0] (id 'helpline').phone",
        "must be digits and hyphens only",
    ),
    "unquoted phone": (
        SUPPORT,
        ('phone: "0120-000-000"', "phone: 110"),
        "services[0] (id 'helpline').phone",
        "must be the number as quoted text",
    ),
    "bad date": (
        SUPPORT,
        ("checked: 2026-11-26", "checked: 26.11.2026"),
        "services[0] (id 'helpline').checked",
        "must be a date written as YYYY-MM-DD",
    ),
    "impossible date": (
        SUPPORT,
        ("checked: 2026-11-26", 'checked: "2026-02-30"'),
        "services[0] (id 'helpline').checked",
        "must be a date written as YYYY-MM-DD",
    ),
    "unknown region": (
        SUPPORT,
        ("region: jp", "region: japan"),
        "services[0] (id 'helpline').region",
        "must be one of 'jp', 'global'",
    ),
    "unknown kind": (
        SUPPORT,
        ("kind: crisis", "kind: hotline"),
        "services[0] (id 'helpline').kind",
        "must be one of 'crisis', 'mental_health'",
    ),
    "missing translation in a service": (
        SUPPORT,
        ("offers: {ja: 話を聴きます, en: Someone listens}", "offers: {en: Someone listens}"),
        "services[0] (id 'helpline').offers",
        "missing translation: add the Japanese text under 'ja'",
    ),
    "condition on a facet and an item at once": (
        SUPPORT,
        (
            "        bands: [high]\n",
            "        bands: [high]\n        item: a1\n        values: [5]\n",
        ),
        "rules[0] (id 'unheard_high').when[0]",
        "give each as its own entry under 'when'",
    ),
    "condition with half an item": (
        SUPPORT,
        ("        values: [5]\n", ""),
        "rules[1] (id 'a1_top').when[0]",
        "add 'values'",
    ),
    "facet condition without bands": (
        SUPPORT,
        ("        bands: [high]\n", ""),
        "rules[0] (id 'unheard_high').when[0]",
        "exactly one of 'bands' and 'min_percent'",
    ),
    "unknown level": (
        SUPPORT,
        ("level: prominent", "level: urgent"),
        "rules[0] (id 'unheard_high').level",
        "must be one of 'practical', 'prominent'",
    ),
    "level without a list": (
        SUPPORT,
        ("level: prominent", "level: practical"),
        "rules (id 'unheard_high').level",
        "has no 'practical' list",
    ),
    "list naming an unknown service": (
        SUPPORT,
        ("quiet: [helpline]", "quiet: [helpine]"),
        "lists.quiet[0]",
        "did you mean 'helpline'?",
    ),
    "opening hours not a time": (
        SUPPORT,
        (
            "    hours: {ja: 24時間",
            "    open: [{from: '4pm', to: '21:00'}]\n    hours: {ja: 24時間",
        ),
        "services[0] (id 'helpline').open[0].from",
        'written "HH:MM"',
    ),
    "a presumption without the answers that deny it": (
        ACTIONS,
        (
            "    fields: [writing]\n",
            "    fields: [writing]\n    presumes: a writer to write with\n",
        ),
        "actions[1] (id 'write_together')",
        "name the tie the step presumes in 'presumes' and the answers that deny it",
    ),
    "answers that deny a presumption nobody named": (
        ACTIONS,
        (
            "    fields: [writing]\n",
            "    fields: [writing]\n    denied_by: [{item: a1, values: [1]}]\n",
        ),
        "actions[1] (id 'write_together')",
        "gives 'presumes' without 'denied_by' or the other way round",
    ),
    "a conjunction of one condition": (
        ACTIONS,
        (
            "    fields: [writing]\n",
            "    fields: [writing]\n    presumes: a writer\n"
            "    denied_by: [{all: [{item: a1, values: [1]}]}]\n",
        ),
        "actions[1] (id 'write_together').denied_by[0].all",
        "give the single condition without 'all'",
    ),
    "a step for today done twice": (
        ACTIONS,
        ("    minutes: 10\n", "    minutes: 10\n    sessions: 2\n"),
        "actions[0] (id 'say_hello').sessions",
        "a step for today is done once",
    ),
    "duplicate rule id": (
        SUPPORT,
        ("- id: a1_top", "- id: unheard_high"),
        "rules[1] (id 'unheard_high')",
        "duplicate rule id 'unheard_high'",
    ),
}


@pytest.mark.parametrize(("document", "change", "entry", "message"), BROKEN.values(), ids=BROKEN)
def test_a_broken_file_names_the_entry_and_the_fix(
    document: str, change: tuple[str, str], entry: str, message: str
) -> None:
    """Each mistake is reported with the file, the entry it sits in and what to do."""
    found = problems(edited(document, change))
    assert any(p.entry == entry and message in p.message for p in found), found
    assert all(p.file == "case.yaml" for p in found)


def test_all_problems_in_a_file_are_reported_at_once() -> None:
    """Four unrelated mistakes give four problems in one error, not one per round."""
    document = edited(
        ACTIONS,
        ("title: {ja: 挨拶する", "tittle: {ja: 挨拶する"),
        ("minutes: 10", "minutes: 20"),
        ("fields: [writing]", "fields: [writting]"),
        ("- id: write_together", "- id: say_hello"),
    )
    found = problems(document)
    messages = "\n".join(p.message for p in found)
    for expected in ("unknown key 'tittle'", "at most 15 minutes", "'writting'", "duplicate"):
        assert expected in messages
    assert len(found) >= 4


def test_a_file_of_the_other_kind_is_refused() -> None:
    """Loading a support file as an action catalogue says which format it should have."""
    with pytest.raises(DataFileError, match="must be 'assess-actions/1'"):
        parse_actions(
            yaml.safe_load(ACTIONS.replace("assess-actions/1", "assess-support/1")),
            source="case.yaml",
        )


CROSS = {
    "unknown facet in an action": (
        ACTIONS,
        ("facets: [alone]", "facets: [lonely]"),
        "actions (id 'say_hello').facets",
        "names facet 'lonely'",
    ),
    "unknown facet in a rule": (
        SUPPORT,
        ("facet: unheard", "facet: unhead"),
        "rules (id 'unheard_high').facet",
        "did you mean 'unheard'?",
    ),
    "unknown band": (
        SUPPORT,
        ("bands: [high]", "bands: [very_high]"),
        "rules (id 'unheard_high').bands",
        "names band 'very_high'",
    ),
    "unknown item": (
        SUPPORT,
        ("item: a1", "item: a9"),
        "rules (id 'a1_top').item",
        "names item 'a9'",
    ),
    "unknown item among answers that deny a tie together": (
        ACTIONS,
        (
            "    fields: [writing]\n",
            "    fields: [writing]\n    presumes: a writer\n"
            "    denied_by: [{all: [{item: a1, values: [1]}, {item: a7, values: [1]}]}]\n",
        ),
        "actions (id 'write_together').denied_by.all.item",
        "names item 'a7', which instrument",
    ),
    "value the item cannot take": (
        SUPPORT,
        ("values: [5]", "values: [6]"),
        "rules (id 'a1_top').values",
        "names value 6",
    ),
}


@pytest.mark.parametrize(("document", "change", "entry", "message"), CROSS.values(), ids=CROSS)
def test_names_the_instrument_lacks_are_reported(
    small_instrument: Instrument,
    document: str,
    change: tuple[str, str],
    entry: str,
    message: str,
) -> None:
    """A valid file that names a facet, band, item or value the instrument lacks is flagged."""
    text = edited(document, change)
    parse = parse_actions if "assess-actions/1" in text else parse_support
    parsed = parse(yaml.safe_load(text), source="case.yaml")
    found = check_against_instrument(parsed, small_instrument, source="case.yaml")
    assert any(p.entry == entry and message in p.message for p in found), found


def test_an_actions_field_codes_must_be_offered_by_the_instruments_profile(
    small_instrument: Instrument,
) -> None:
    """When the instrument asks for the field of work, an action's fields must be among its codes."""
    designers_only = ProfileQuestion(
        "field", Text("分野", "Field"), (ProfileOption("design", Text("デザイン", "Design")),)
    )
    instrument = dataclasses.replace(small_instrument, profile=(designers_only,))
    catalogue = parse_actions(yaml.safe_load(ACTIONS), source="case.yaml")
    found = check_against_instrument(catalogue, instrument, source="case.yaml")
    assert [(p.entry, "'writing'" in p.message) for p in found] == [
        ("actions (id 'write_together').fields", True)
    ]


def test_rules_apply_to_a_facet_band_or_an_item_answer(small_instrument: Instrument) -> None:
    """A facet in the named band, or an item answered with a named value, triggers its rule."""
    support = parse_support(yaml.safe_load(SUPPORT), source="support.yaml")
    high = Answers({"u1": 5, "u2": 1, "a1": 1})  # the facet 'unheard' in its high band
    top = Answers({"u1": 1, "u2": 5, "a1": 5})
    calm = Answers({"u1": 1, "u2": 5, "a1": 1})
    fired = {
        name: [rule.id for rule in support.triggered(score(small_instrument, a), a)]
        for name, a in (("high", high), ("top", top), ("calm", calm))
    }
    assert fired == {"high": ["unheard_high"], "top": ["a1_top"], "calm": []}


# --- the bank is the one source of profile codes ----------------------------------------------


def _shipped_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(
        Path(default_actions_path()).parents[1], folder, ignore=shutil.ignore_patterns("*.json")
    )
    return folder


def test_an_action_naming_a_field_the_bank_does_not_offer_is_reported_by_validate(
    tmp_path: Path,
) -> None:
    """`assess validate` names the file, the action and the fix for a field code unknown to the
    bank's profile question."""
    folder = _shipped_copy(tmp_path)
    actions = folder / "actions" / "freelance_actions.yaml"
    text = actions.read_text(encoding="utf-8")
    actions.write_text(text.replace("- field: design", "- field: podcasting", 1), "utf-8")
    problems = [str(problem) for problem in validate_files([folder])]
    assert len(problems) == 1, problems
    assert str(actions) in problems[0] and "fields" in problems[0]
    assert "'podcasting'" in problems[0] and "does not offer" in problems[0]


def test_a_field_the_bank_adds_can_be_used_by_actions_without_a_code_change(
    tmp_path: Path,
) -> None:
    """A new profile code in the bank, used by an action's variant: valid as it stands."""
    folder = _shipped_copy(tmp_path)
    bank = folder / "instruments" / "freelance_connection.yaml"
    text = bank.read_text(encoding="utf-8")
    new_option = "      - {code: podcasting, label: {ja: 音声配信, en: Podcasting}}\n"
    anchor = "      - {code: other, label: {ja: その他, en: Other}}\n"
    assert anchor in text
    bank.write_text(text.replace(anchor, new_option + anchor, 1), "utf-8")
    actions = folder / "actions" / "freelance_actions.yaml"
    text = actions.read_text(encoding="utf-8")
    actions.write_text(text.replace("- field: design", "- field: podcasting", 1), "utf-8")
    assert validate_files([folder]) == []
