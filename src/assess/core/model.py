"""Value objects of an assessment: the instrument as declared in data, and what scoring returns.

Everything here is frozen and free of I/O.  An instrument is normally built by
:func:`assess.datafiles.instrument.load_instrument` from a YAML file; tests and notebooks may also
build one by hand.  Kept in one module, though long: these are the nouns every other module
speaks in, and reading them side by side is how a newcomer learns the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Literal, TypeVar

LANGUAGES: tuple[str, ...] = ("ja", "en")
"""The languages of the shipped data, Japanese first: what tests and examples go through.  The
languages a build offers are data (``data/i18n/languages.yaml``, read into :class:`Languages`);
code that serves every language asks those, or a text itself, not this pair."""

T = TypeVar("T")


def find(entries: Iterable[T], key: object, by: Callable[[T], object] = attrgetter("id")) -> T:
    """The first of `entries` whose `by` (its id unless told) is `key`: how every collection of
    the model is looked up, with a :class:`KeyError` naming the key when none is.

    >>> options = [Option(1, 0, Text("a", "a")), Option(2, 5, Text("b", "b"))]
    >>> find(options, 2, by=lambda option: option.value).score
    5
    >>> find(options, 3, by=lambda option: option.value)
    Traceback (most recent call last):
    KeyError: 3
    """
    for entry in entries:
        if by(entry) == key:
            return entry
    raise KeyError(key)


class Text:
    """A text in every language a build offers, by language code.

    Written ``Text(ja=..., en=...)`` (or positionally, Japanese first) for the two shipped
    languages; any other language is one more keyword, or ``Text.of`` a mapping.

    >>> Text(ja="孤独", en="isolation")["en"], Text.of({"ja": "孤独", "xx": "ïşøłáţïøñ"})["xx"]
    ('isolation', 'ïşøłáţïøñ')
    """

    __slots__ = ("_by_language",)
    _by_language: tuple[tuple[str, str], ...]

    def __init__(self, ja: str | None = None, en: str | None = None, **others: str) -> None:
        given = {"ja": ja, "en": en, **others}
        object.__setattr__(
            self,
            "_by_language",
            tuple((code, text) for code, text in given.items() if text is not None),
        )

    @classmethod
    def of(cls, by_language: Mapping[str, str]) -> Text:
        return cls(**by_language)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Text is frozen")

    def __reduce__(self) -> tuple[object, tuple[dict[str, str]]]:
        return (Text.of, (self.by_language,))

    def __getitem__(self, language: str) -> str:
        for code, text in self._by_language:
            if code == language:
                return text
        raise KeyError(f"no text in language {language!r}; this text has {self.languages}")

    def get(self, language: str, default: str | None = None) -> str | None:
        return dict(self._by_language).get(language, default)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self._by_language)

    @property
    def by_language(self) -> dict[str, str]:
        """Every language's text, e.g. for a JSON take-away that carries all of them."""
        return dict(self._by_language)

    @property
    def ja(self) -> str:
        return self["ja"]

    @property
    def en(self) -> str:
        return self["en"]

    def in_language(self, language: str) -> str:
        try:
            return self[language]
        except KeyError as error:
            raise ValueError(error.args[0]) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return dict(self._by_language) == dict(other._by_language)

    def __hash__(self) -> int:
        return hash(frozenset(self._by_language))

    def __repr__(self) -> str:
        inside = ", ".join(f"{code}={text!r}" for code, text in self._by_language)
        return f"Text({inside})"


@dataclass(frozen=True, slots=True)
class Language:
    """A language a build offers, with the few ways of writing that differ between languages
    and are not whole messages (those are in ``data/i18n``): what the data says for it."""

    code: str
    name: str
    """The language's name in itself, as the language switch shows it (日本語, English)."""
    english_name: str
    """The language's name in English, as the data checker's messages name it."""
    html_lang: str
    """What ``<html lang>`` says for a page in this language (BCP 47)."""
    list_separator: str
    """Between the items of a list inside a sentence: 、 or ", "."""
    colon: str
    """After a name that a text follows: ： or ": "."""
    quotes: tuple[str, str]
    """Around a name inside a sentence: 「」 in Japanese; none in English."""
    between_quoted: str
    """Between quoted names side by side: nothing in Japanese (「A」「B」: the brackets already
    set them apart), ", " in English."""
    aside: tuple[str, str]
    """Around a short note after a word or number: （） or " (" and ")"."""
    between_sentences: str
    """Between two sentences put side by side: nothing in Japanese, a space in English."""
    full_stop: str
    """At the end of a sentence made from parts: 。 or ". "."""

    def listed(self, parts: Iterable[object]) -> str:
        """`parts` inside a sentence: 3、5 in Japanese, 3, 5 in English.

        >>> ENGLISH_LIKE.listed([3, 5]), ENGLISH_LIKE.quoted(["Space", "Safety net"])
        ('3, 5', 'Space, Safety net')
        """
        return self.list_separator.join(str(part) for part in parts)

    def quoted(self, names: Iterable[str]) -> str:
        opening, closing = self.quotes
        return self.between_quoted.join(f"{opening}{name}{closing}" for name in names)

    def noted(self, note: str) -> str:
        opening, closing = self.aside
        return f"{opening}{note}{closing}"


ENGLISH_LIKE = Language(
    code="en",
    name="English",
    english_name="English",
    html_lang="en",
    list_separator=", ",
    colon=": ",
    quotes=("", ""),
    between_quoted=", ",
    aside=(" (", ")"),
    between_sentences=" ",
    full_stop=". ",
)
"""Only for examples in docstrings; the build's languages come from the data."""


@dataclass(frozen=True, slots=True)
class Languages:
    """The languages a build offers, in the order the switch shows them, and the one a page
    opens in when it asks for none it offers (the fallback)."""

    offered: tuple[Language, ...]
    default: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.offered)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def require(self, code: str) -> None:
        """Refuse a language the build does not offer (a renderer asked for one by mistake)."""
        if code not in self.codes:
            raise ValueError(f"unknown language {code!r}; expected one of {self.codes}")

    def chosen(self, requested: str | None) -> str:
        """`requested` if offered, else the fallback."""
        return requested if requested in self.codes else self.default

    def __getitem__(self, code: str) -> Language:
        """The language `code`, or the fallback for a code the build does not offer."""
        chosen = self.chosen(code)
        return next(language for language in self.offered if language.code == chosen)


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a person can pick: the `value` recorded, and the `score` it counts for."""

    value: int
    score: float
    label: Text


@dataclass(frozen=True, slots=True)
class Scale:
    """A response scale shared by items; options in the order they are shown."""

    id: str
    options: tuple[Option, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    @property
    def min_score(self) -> float:
        return min(option.score for option in self.options)

    @property
    def max_score(self) -> float:
        return max(option.score for option in self.options)

    def score_of(self, value: int) -> float:
        return self.option(value).score

    def option(self, value: int) -> Option:
        return find(self.options, value, by=lambda option: option.value)


@dataclass(frozen=True, slots=True)
class Item:
    """A scored question.  `reverse` mirrors its score within the scale's score range."""

    id: str
    facet: str
    scale: Scale
    text: Text
    reverse: bool = False
    weight: float = 1.0

    def keyed_score(self, value: int) -> float:
        """The score this answer adds to the facet, after reverse keying.

        >>> s = Scale("s", (Option(1, 1, Text("a", "a")), Option(2, 2, Text("b", "b")),
        ...                 Option(3, 3, Text("c", "c"))))
        >>> Item("i", "f", s, Text("q", "q"), reverse=True).keyed_score(1)
        3.0
        """
        score = self.scale.score_of(value)
        if self.reverse:
            return float(self.scale.min_score + self.scale.max_score - score)
        return float(score)


class Aggregation(StrEnum):
    """How a facet combines its items, or an index its facets."""

    SUM = "sum"
    MEAN = "mean"


class BandBasis(StrEnum):
    """Whether bands cut the raw score (e.g. a published total 3–9) or its 0–100 rescaling."""

    RAW = "raw"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Band:
    """A half-open range ``[lower, upper)`` of scores; the highest band also holds its upper end."""

    id: str
    lower: float
    upper: float
    label: Text
    explanation: Text


@dataclass(frozen=True, slots=True)
class Bands:
    basis: BandBasis
    bands: tuple[Band, ...]

    def band_for(self, score: float) -> Band:
        """The band a score falls in; bands are checked on load to cover their range without gaps.

        >>> low = Band("low", 0, 50, Text("低", "low"), Text("", ""))
        >>> high = Band("high", 50, 100, Text("高", "high"), Text("", ""))
        >>> Bands(BandBasis.PERCENT, (low, high)).band_for(100).id
        'high'
        """
        for band in self.bands:
            if band.lower <= score < band.upper:
                return band
        last = self.bands[-1]
        if score == last.upper:
            return last
        raise ValueError(f"score {score} lies outside every band")


@dataclass(frozen=True, slots=True)
class MissingRule:
    """How many missing parts a score tolerates.  Within it, sums are prorated to the full count.

    `max_missing` counts a facet's unanswered items, or an index's unscored facets.  An index may
    also limit the unanswered items over all its facets (`max_missing_items`, None: no limit), as
    published scales with subscales do: the total goes unscored while each subscale keeps its own.
    """

    max_missing: int = 0
    max_missing_items: int | None = None


@dataclass(frozen=True, slots=True)
class Facet:
    """A group of items scored together, e.g. emotional isolation."""

    id: str
    index: str
    label: Text
    description: Text
    aggregation: Aggregation
    missing: MissingRule
    bands: Bands


@dataclass(frozen=True, slots=True)
class Reliability:
    """How steady an index's 0–100 scores are when nothing has changed: the test–retest
    reliability of the index and of each of its facets, and the spread (standard deviation) of
    scores among the people who take it.  From these, :meth:`noise` says how large a change
    must be before it is more than answering the same situation a little differently
    (Jacobson & Truax 1991)."""

    index: float
    facets: float
    spread: float
    source: str
    """Where the values come from: a publication, or ``assumption``."""
    note: str = ""
    """Why the values were chosen, for authors (required for an assumption)."""

    @property
    def assumed(self) -> bool:
        return self.source == "assumption"

    def noise(self, *, of_facet: bool) -> float:
        """The largest change (in points of 0–100) that measurement noise alone explains
        95 % of the time: 1.96 · SD · √(2(1 − r)).

        >>> round(Reliability(0.8, 0.7, 20, "assumption").noise(of_facet=False), 1)
        24.8
        """
        retest = self.facets if of_facet else self.index
        return 1.96 * self.spread * math.sqrt(2 * (1 - retest))


@dataclass(frozen=True, slots=True)
class Index:
    """A group of facets scored together, e.g. isolation risk.  `higher_is` says how to read it."""

    id: str
    label: Text
    description: Text
    aggregation: Aggregation
    missing: MissingRule
    bands: Bands
    higher_is: Literal["risk", "strength"]
    reliability: Reliability | None = None
    """How steady its scores are (None: not declared; every change then counts)."""


@dataclass(frozen=True, slots=True)
class ProfileOption:
    code: str
    label: Text


@dataclass(frozen=True, slots=True)
class ProfileQuestion:
    """A question that is not scored but shapes the plan (field of work, time available, ...)."""

    id: str
    text: Text
    options: tuple[ProfileOption, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A whole questionnaire: scales, items, facets, indices and profile questions."""

    id: str
    version: str
    title: Text
    description: Text
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    facets: tuple[Facet, ...]
    indices: tuple[Index, ...]
    profile: tuple[ProfileQuestion, ...] = ()
    source: str = ""

    def item(self, item_id: str) -> Item:
        return find(self.items, item_id)

    def facet(self, facet_id: str) -> Facet:
        return find(self.facets, facet_id)

    def index(self, index_id: str) -> Index:
        return find(self.indices, index_id)

    def items_of(self, facet_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.facet == facet_id)

    def facets_of(self, index_id: str) -> tuple[Facet, ...]:
        return tuple(facet for facet in self.facets if facet.index == index_id)

    def profile_question(self, question_id: str) -> ProfileQuestion:
        return find(self.profile, question_id)


@dataclass(frozen=True, slots=True)
class Answers:
    """What one person answered: item id → option value, and profile id → option code.

    Items left out, or answered ``None``, are missing.  Values are checked against the instrument
    by :func:`assess.core.scoring.check_answers`, not here, so that all problems are reported at
    once.
    """

    responses: Mapping[str, object] = field(default_factory=dict)
    profile: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Copies, so that the caller's dicts changing later cannot change a frozen value.
        object.__setattr__(self, "responses", _FrozenMapping(self.responses))
        object.__setattr__(self, "profile", _FrozenMapping(self.profile))


class _FrozenMapping(Mapping[str, object]):
    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, object]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)


# --- results -------------------------------------------------------------------------------------


class Status(StrEnum):
    """How a score came about."""

    COMPLETE = "complete"
    """Every part answered."""
    PRORATED = "prorated"
    """Some parts missing, within what the missing-answer rule allows."""
    UNSCORED = "unscored"
    """Too much missing: no score, and `reason` says why."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one answer pushed its facet: `pull` is −1 (towards the bottom) … +1 (towards the top)."""

    item_id: str
    value: int
    keyed_score: float
    weight: float
    pull: float


@dataclass(frozen=True, slots=True)
class FacetScore:
    facet_id: str
    status: Status
    raw: float | None
    percent: float | None
    band: Band | None
    answered: int
    expected: int
    missing_items: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    """Answers in the order of how strongly they pulled the score, strongest first."""
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IndexScore:
    index_id: str
    status: Status
    raw: float | None
    percent: float | None
    band: Band | None
    scored_facets: int
    expected_facets: int
    missing_facets: tuple[str, ...]
    reason: str | None = None
    missing_items: tuple[str, ...] = ()
    """The unanswered items of all the index's facets, for its own rule over items."""


@dataclass(frozen=True, slots=True)
class Result:
    """Everything scoring one person gives back."""

    instrument_id: str
    instrument_version: str
    facets: tuple[FacetScore, ...]
    indices: tuple[IndexScore, ...]
    answered: int
    expected: int

    @property
    def completeness(self) -> float:
        """The share of scored items answered, 0–1."""
        return self.answered / self.expected if self.expected else 1.0

    def facet(self, facet_id: str) -> FacetScore:
        return find(self.facets, facet_id, by=lambda score: score.facet_id)

    def index(self, index_id: str) -> IndexScore:
        return find(self.indices, index_id, by=lambda score: score.index_id)


# --- actions and support ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """One thing the answers must show: a facet in one of `bands`, a facet's 0–100 score at
    `min_percent` or above, an item answered with one of `values`, or all of several
    (`all_of`).  An unscored facet or a missing answer never meets a condition."""

    facet: str | None = None
    bands: tuple[str, ...] = ()
    min_percent: float | None = None
    item: str | None = None
    values: tuple[int, ...] = ()
    all_of: tuple[Condition, ...] = ()
    """Conditions that must hold together (a tie is denied only when every sign of it is)."""

    def holds(self, result: Result, answers: Answers) -> bool:
        if self.all_of:
            return all(condition.holds(result, answers) for condition in self.all_of)
        if self.facet is not None:
            try:
                scored = result.facet(self.facet)
            except KeyError:
                return False
            if scored.status is Status.UNSCORED or scored.percent is None:
                return False
            if self.min_percent is not None:
                return scored.percent >= self.min_percent
            return scored.band is not None and scored.band.id in self.bands
        if self.item is not None:
            value = answers.responses.get(self.item)
            return isinstance(value, int) and not isinstance(value, bool) and value in self.values
        return False


@dataclass(frozen=True, slots=True)
class ActionVariant:
    """Field-specific steps that replace an action's default steps (e.g. design hashtags)."""

    field: str
    steps: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a person can do, from the catalogue written from the article's strategies."""

    id: str
    facets: tuple[str, ...]
    """Facets it strengthens, the main one first."""
    mode: Literal["online", "offline", "either"]
    minutes: int
    horizon: Literal["today", "week", "month"]
    fields: tuple[str, ...]
    """Profile `field` codes it suits, or ("any",)."""
    areas: tuple[str, ...]
    """Profile `area` codes it suits; none listed: every area."""
    title: Text
    steps: tuple[Text, ...]
    why: Text
    variants: tuple[ActionVariant, ...] = ()
    called_for: tuple[Condition, ...] = ()
    """Answers that call for this step whatever the facet order (any one of them)."""
    denied_by: tuple[Condition, ...] = ()
    """Answers that deny a tie the step presumes (any one of them keeps it out of the plan)."""
    presumes: str | None = None
    """The tie the step presumes (for authors; `denied_by` says which answers deny it)."""
    services: tuple[str, ...] = ()
    """Support services the step points to; a plan names each service once."""
    sessions: int = 1
    """How many times the step is done in its horizon ("twice this week"), each of `minutes`."""

    @property
    def total_minutes(self) -> int:
        """The time the step takes in all, every session counted."""
        return self.minutes * self.sessions

    def suits_field(self, field: str | None) -> bool:
        return "any" in self.fields or (field is not None and field in self.fields)

    def suits_area(self, area: str | None) -> bool:
        """Whether it suits a person living in `area` (None: not said; no areas: all)."""
        return area is None or not self.areas or area in self.areas

    def steps_for(self, field: str | None) -> tuple[Text, ...]:
        """The variant's steps for this field of work, or the default steps."""
        for variant in self.variants:
            if variant.field == field:
                return variant.steps
        return self.steps


@dataclass(frozen=True, slots=True)
class ActionCatalogue:
    id: str
    version: str
    actions: tuple[Action, ...]

    def action(self, action_id: str) -> Action:
        return find(self.actions, action_id)
