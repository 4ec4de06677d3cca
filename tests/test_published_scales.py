"""The instrument format can express the standard published short scales, scored as they publish.

Each scale is written out here in the instrument format with placeholder item texts: the real
wording is not reproduced (licences vary), only the scoring facts in
/work/shared/reference/facts.md.  Every expected score below is worked out by hand in a comment.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
import yaml

from assess.core.model import Answers, Instrument, Status
from assess.core.scoring import score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import parse_instrument
from assess.datafiles.messages import default_messages
from assess.group.cohort import score_cohort
from assess.ui.results import index_unscored_reason


def load(text: str, source: str) -> Instrument:
    """Parse an instrument written as YAML text in this module."""
    return parse_instrument(yaml.safe_load(textwrap.dedent(text)), source=source)


def band_id(band: object) -> str | None:
    """The id of a band, or None when the score has no band."""
    return getattr(band, "id", None)


# --- UCLA 3-item loneliness scale (Hughes et al. 2004) ------------------------------------------

UCLA3 = """
    format: assess-instrument/1
    id: ucla3
    version: "2004"
    title: {ja: UCLA孤独感尺度3項目版, en: UCLA 3-item loneliness scale}
    source: "Hughes et al. 2004, Research on Aging 26(6); wording omitted"
    scales:
      - id: ucla_freq3
        options:
          - {value: 1, label: {ja: ほとんどない, en: Hardly ever}}
          - {value: 2, label: {ja: 時々ある, en: Some of the time}}
          - {value: 3, label: {ja: よくある, en: Often}}
    indices:
      - id: loneliness
        label: {ja: 孤独感, en: Loneliness}
        description: {ja: 合計3〜9点, en: Total 3 to 9}
        higher_is: risk
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: not_lonely, from: 3, to: 6, label: {ja: 孤独でない, en: Not lonely}, explanation: {ja: 3〜5点, en: 3 to 5}}
            - {id: lonely, from: 6, to: 9, label: {ja: 孤独, en: Lonely}, explanation: {ja: 6〜9点, en: 6 to 9}}
    facets:
      - id: ucla
        index: loneliness
        label: {ja: UCLA合計, en: UCLA total}
        description: {ja: 3項目の合計, en: Sum of the three items}
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: not_lonely, from: 3, to: 6, label: {ja: 孤独でない, en: Not lonely}, explanation: {ja: 3〜5点, en: 3 to 5}}
            - {id: lonely, from: 6, to: 9, label: {ja: 孤独, en: Lonely}, explanation: {ja: 6〜9点, en: 6 to 9}}
    items:
      - {id: ucla_1, facet: ucla, scale: ucla_freq3, text: {ja: "UCLA項目1（文言は省略）", en: "UCLA item 1 (wording omitted)"}}
      - {id: ucla_2, facet: ucla, scale: ucla_freq3, text: {ja: "UCLA項目2（文言は省略）", en: "UCLA item 2 (wording omitted)"}}
      - {id: ucla_3, facet: ucla, scale: ucla_freq3, text: {ja: "UCLA項目3（文言は省略）", en: "UCLA item 3 (wording omitted)"}}
"""


@pytest.fixture(scope="module")
def ucla3() -> Instrument:
    """The UCLA 3-item scale in the instrument format."""
    return load(UCLA3, "ucla3.yaml")


@pytest.mark.parametrize(
    ("answers", "raw", "band"),
    [
        ((1, 1, 1), 3.0, "not_lonely"),  # the lowest total
        ((1, 2, 2), 5.0, "not_lonely"),  # just below the threshold
        ((1, 2, 3), 6.0, "lonely"),  # 6 or more is the common "lonely" threshold
        ((2, 2, 2), 6.0, "lonely"),
        ((3, 3, 2), 8.0, "lonely"),
        ((3, 3, 3), 9.0, "lonely"),  # the highest total holds the last band's upper end
    ],
)
def test_ucla_3_item_totals_3_to_9_and_is_lonely_from_6(
    ucla3: Instrument, answers: tuple[int, int, int], raw: float, band: str
) -> None:
    """UCLA-3 sums three 1–3 answers to 3–9, and 6 or more falls in the lonely band."""
    result = score(ucla3, Answers(dict(zip(("ucla_1", "ucla_2", "ucla_3"), answers, strict=True))))
    total = result.index("loneliness")
    assert total.status is Status.COMPLETE
    assert total.raw == raw
    assert band_id(total.band) == band
    assert result.facet("ucla").raw == raw
    assert band_id(result.facet("ucla").band) == band


def test_ucla_3_item_percent_is_the_position_between_3_and_9(ucla3: Instrument) -> None:
    """Raw 6 on 3–9 is (6 − 3) / (9 − 3) = 50 %."""
    result = score(ucla3, Answers({"ucla_1": 1, "ucla_2": 2, "ucla_3": 3}))
    assert result.index("loneliness").percent == 50.0


def test_ucla_3_item_allows_no_missing_answer_by_default(ucla3: Instrument) -> None:
    """Without max_missing, one unanswered item leaves the total unscored with a reason."""
    result = score(ucla3, Answers({"ucla_1": 3, "ucla_2": 3}))
    total = result.index("loneliness")
    assert total.status is Status.UNSCORED
    assert total.raw is None
    assert result.facet("ucla").reason == "1 of 3 questions unanswered; this facet tolerates 0"
    assert total.reason == "1 of 1 facets could not be scored (ucla); this index tolerates 0"


# --- De Jong Gierveld 6-item loneliness scale (2006) --------------------------------------------

DJG_SCALES = """
    scales:
      # Emotional items are negatively worded: "yes" and "more or less" count as lonely (1).
      - id: djg_negative
        options:
          - {value: 1, score: 1, label: {ja: はい, en: "Yes"}}
          - {value: 2, score: 1, label: {ja: どちらともいえない, en: More or less}}
          - {value: 3, score: 0, label: {ja: いいえ, en: "No"}}
      # Social items are positively worded: "no" and "more or less" count as lonely (1).
      - id: djg_positive
        options:
          - {value: 1, score: 0, label: {ja: はい, en: "Yes"}}
          - {value: 2, score: 1, label: {ja: どちらともいえない, en: More or less}}
          - {value: 3, score: 1, label: {ja: いいえ, en: "No"}}
"""

DJG_BANDS = """
        bands:
          basis: raw
          ranges:
            - {id: not_lonely, from: 0, to: 2, label: {ja: 孤独でない, en: Not lonely}, explanation: {ja: 0〜1点, en: 0 to 1}}
            - {id: moderately_lonely, from: 2, to: 5, label: {ja: やや孤独, en: Moderately lonely}, explanation: {ja: 2〜4点, en: 2 to 4}}
            - {id: severely_lonely, from: 5, to: 6, label: {ja: 強い孤独, en: Severely lonely}, explanation: {ja: 5〜6点, en: 5 to 6}}
"""

DJG_ITEMS = """
    items:
      - {id: djg_e1, facet: FACET_E, scale: djg_negative, text: {ja: "DJG情緒項目1（文言は省略）", en: "DJG emotional item 1 (wording omitted)"}}
      - {id: djg_e2, facet: FACET_E, scale: djg_negative, text: {ja: "DJG情緒項目2（文言は省略）", en: "DJG emotional item 2 (wording omitted)"}}
      - {id: djg_e3, facet: FACET_E, scale: djg_negative, text: {ja: "DJG情緒項目3（文言は省略）", en: "DJG emotional item 3 (wording omitted)"}}
      - {id: djg_s1, facet: FACET_S, scale: djg_positive, text: {ja: "DJG社会項目1（文言は省略）", en: "DJG social item 1 (wording omitted)"}}
      - {id: djg_s2, facet: FACET_S, scale: djg_positive, text: {ja: "DJG社会項目2（文言は省略）", en: "DJG social item 2 (wording omitted)"}}
      - {id: djg_s3, facet: FACET_S, scale: djg_positive, text: {ja: "DJG社会項目3（文言は省略）", en: "DJG social item 3 (wording omitted)"}}
"""

# With subscales: emotional and social facets (0–3 each) under a summed total index (0–6).
# Each subscale tolerates one missing item; the total tolerates no unscored subscale and, as
# published, no more than one missing item over all six (`max_missing_items`).
DJG6 = (
    """
    format: assess-instrument/1
    id: djg6
    version: "2006"
    title: {ja: De Jong Gierveld孤独感尺度6項目版, en: De Jong Gierveld 6-item loneliness scale}
    source: "De Jong Gierveld & Van Tilburg 2006; wording omitted"
    """
    + DJG_SCALES
    + """
    indices:
      - id: djg_total
        label: {ja: 孤独感合計, en: Loneliness total}
        description: {ja: 合計0〜6点, en: Total 0 to 6}
        higher_is: risk
        aggregation: sum
        max_missing: 0
        max_missing_items: 1
    """
    + DJG_BANDS
    + """
        facet_bands:
          basis: raw
          ranges:
            - {id: low, from: 0, to: 2, label: {ja: 低, en: Low}, explanation: {ja: 0〜1点, en: 0 to 1}}
            - {id: high, from: 2, to: 3, label: {ja: 高, en: High}, explanation: {ja: 2〜3点, en: 2 to 3}}
    facets:
      - id: emotional
        index: djg_total
        label: {ja: 情緒的孤独, en: Emotional loneliness}
        description: {ja: 情緒的孤独の3項目, en: Three emotional items}
        aggregation: sum
        max_missing: 1
      - id: social
        index: djg_total
        label: {ja: 社会的孤独, en: Social loneliness}
        description: {ja: 社会的孤独の3項目, en: Three social items}
        aggregation: sum
        max_missing: 1
    """
    + DJG_ITEMS.replace("FACET_E", "emotional").replace("FACET_S", "social")
)

# Without subscales: one facet of all six items, which expresses "the total is missing when
# more than one item is" exactly, at the cost of the emotional and social subscores.
DJG6_TOTAL_ONLY = (
    """
    format: assess-instrument/1
    id: djg6-total
    version: "2006"
    title: {ja: De Jong Gierveld孤独感尺度6項目版, en: De Jong Gierveld 6-item loneliness scale}
    """
    + DJG_SCALES
    + """
    indices:
      - id: djg_total
        label: {ja: 孤独感合計, en: Loneliness total}
        description: {ja: 合計0〜6点, en: Total 0 to 6}
        higher_is: risk
        aggregation: sum
    """
    + DJG_BANDS
    + """
    facets:
      - id: djg
        index: djg_total
        label: {ja: 孤独感, en: Loneliness}
        description: {ja: 6項目の合計, en: Sum of the six items}
        aggregation: sum
        max_missing: 1
    """
    + DJG_BANDS
    + DJG_ITEMS.replace("FACET_E", "djg").replace("FACET_S", "djg")
)

DJG_IDS = ("djg_e1", "djg_e2", "djg_e3", "djg_s1", "djg_s2", "djg_s3")
YES, MORE_OR_LESS, NO = 1, 2, 3


@pytest.fixture(scope="module")
def djg6() -> Instrument:
    """The De Jong Gierveld 6-item scale with emotional and social subscales."""
    return load(DJG6, "djg6.yaml")


@pytest.fixture(scope="module")
def djg6_total_only() -> Instrument:
    """The De Jong Gierveld 6-item scale as a single total, without subscales."""
    return load(DJG6_TOTAL_ONLY, "djg6_total_only.yaml")


def djg_answers(*values: int | None) -> Answers:
    """Answers to the six items in order e1, e2, e3, s1, s2, s3 (None: unanswered)."""
    return Answers(dict(zip(DJG_IDS, values, strict=True)))


@pytest.mark.parametrize(
    ("answers", "emotional", "social", "raw", "band"),
    [
        # emotional: no → 0 each; social: yes → 0 each
        ((NO, NO, NO, YES, YES, YES), 0.0, 0.0, 0.0, "not_lonely"),
        # emotional: yes → 1, no, no; social: yes each → 0
        ((YES, NO, NO, YES, YES, YES), 1.0, 0.0, 1.0, "not_lonely"),
        # emotional: more or less → 1, no, no; social: more or less → 1, yes, yes
        ((MORE_OR_LESS, NO, NO, MORE_OR_LESS, YES, YES), 1.0, 1.0, 2.0, "moderately_lonely"),
        # emotional: yes, more or less, no → 2; social: no → 1, more or less → 1, yes → 0
        ((YES, MORE_OR_LESS, NO, NO, MORE_OR_LESS, YES), 2.0, 2.0, 4.0, "moderately_lonely"),
        # emotional: all 1; social: no, no, yes → 2
        ((YES, YES, MORE_OR_LESS, NO, NO, YES), 3.0, 2.0, 5.0, "severely_lonely"),
        # every answer counts: emotional yes, social no
        ((YES, YES, YES, NO, NO, NO), 3.0, 3.0, 6.0, "severely_lonely"),
        # the same words score oppositely on the two subscales: all "yes" gives 3 + 0
        ((YES, YES, YES, YES, YES, YES), 3.0, 0.0, 3.0, "moderately_lonely"),
        # all "no" gives 0 + 3
        ((NO, NO, NO, NO, NO, NO), 0.0, 3.0, 3.0, "moderately_lonely"),
    ],
)
def test_de_jong_gierveld_dichotomises_answers_and_bands_the_total_0_to_6(
    djg6: Instrument,
    answers: tuple[int, ...],
    emotional: float,
    social: float,
    raw: float,
    band: str,
) -> None:
    """Emotional items count yes/more-or-less, social items no/more-or-less; total banded 0–1/2–4/5–6."""
    result = score(djg6, djg_answers(*answers))
    assert result.facet("emotional").raw == emotional
    assert result.facet("social").raw == social
    total = result.index("djg_total")
    assert total.status is Status.COMPLETE
    assert total.raw == raw
    assert band_id(total.band) == band


def test_de_jong_gierveld_prorates_the_total_with_one_item_missing(djg6: Instrument) -> None:
    """One emotional item missing: that subscale is prorated over its two answers, and so is the total."""
    # emotional: yes → 1, no → 0, missing → 1 of 2 possible, prorated to 1/2 · 3 = 1.5
    # social: no → 1, more or less → 1, yes → 0 → 2
    # total: gained 1.5 + 2 = 3.5 of 3 + 3 possible → 0 + 3.5/6 · 6 = 3.5 → 2 ≤ 3.5 < 5
    result = score(djg6, djg_answers(YES, NO, None, NO, MORE_OR_LESS, YES))
    emotional = result.facet("emotional")
    assert emotional.status is Status.PRORATED
    assert emotional.missing_items == ("djg_e3",)
    assert emotional.raw == pytest.approx(1.5)
    total = result.index("djg_total")
    assert total.status is Status.PRORATED
    assert total.raw == pytest.approx(3.5)
    assert total.percent == pytest.approx(100 * 3.5 / 6)
    assert band_id(total.band) == "moderately_lonely"


def test_de_jong_gierveld_leaves_the_total_unscored_with_two_items_missing_in_one_subscale(
    djg6: Instrument,
) -> None:
    """Two social items missing: the subscale is unscored, and so the total, each with a reason."""
    result = score(djg6, djg_answers(YES, YES, NO, NO, None, None))
    social = result.facet("social")
    assert social.status is Status.UNSCORED
    assert social.reason == "2 of 3 questions unanswered; this facet tolerates 1"
    total = result.index("djg_total")
    assert total.status is Status.UNSCORED
    assert (total.raw, total.percent, total.band) == (None, None, None)
    assert total.reason == "1 of 2 facets could not be scored (social); this index tolerates 0"


def test_de_jong_gierveld_leaves_the_total_unscored_with_two_items_missing_in_different_subscales(
    djg6: Instrument,
) -> None:
    """The published rule over items: one gap in each subscale keeps both subscales, not the total."""
    # emotional: yes → 1, no → 0, missing → 1 of 2 possible → 1/2 · 3 = 1.5
    # social: no → 1, yes → 0, missing → 1 of 2 possible → 1.5
    # total: 2 of its 6 items missing, more than the 1 it tolerates → unscored
    result = score(djg6, djg_answers(YES, NO, None, NO, YES, None))
    for subscale in ("emotional", "social"):
        assert result.facet(subscale).status is Status.PRORATED
        assert result.facet(subscale).raw == pytest.approx(1.5)
    total = result.index("djg_total")
    assert total.status is Status.UNSCORED
    assert (total.raw, total.percent, total.band) == (None, None, None)
    assert total.missing_facets == ()
    assert total.missing_items == ("djg_e3", "djg_s3")
    assert total.reason == "2 of 6 questions unanswered; this index tolerates 1"


@pytest.mark.parametrize(
    ("answers", "status", "raw", "emotional", "social"),
    [
        # nothing missing: 2 + 2 = 4
        ((YES, MORE_OR_LESS, NO, NO, MORE_OR_LESS, YES), Status.COMPLETE, 4.0, 2.0, 2.0),
        # one social item missing: social no → 1, more or less → 1 → 2 of 2 → 2/2 · 3 = 3;
        # the total adds its subscales, each over its whole range: 2 + 3 = 5
        ((YES, MORE_OR_LESS, NO, NO, MORE_OR_LESS, None), Status.PRORATED, 5.0, 2.0, 3.0),
        # one emotional item missing: emotional 0 of 2 → 0; social yes, yes, yes → 0; total 0
        ((None, NO, NO, YES, YES, YES), Status.PRORATED, 0.0, 0.0, 0.0),
        # two missing, one per subscale: subscales 1/2 · 3 = 1.5 and 0/2 · 3 = 0, no total
        ((YES, None, NO, None, YES, YES), Status.UNSCORED, None, 1.5, 0.0),
        # three missing, two in one subscale: emotional unscored, social 1 of 2 → 1.5, no total
        ((YES, None, None, NO, None, YES), Status.UNSCORED, None, None, 1.5),
    ],
)
def test_de_jong_gierveld_total_is_missing_when_more_than_one_item_is_and_subscales_stay(
    djg6: Instrument,
    answers: tuple[int | None, ...],
    status: Status,
    raw: float | None,
    emotional: float | None,
    social: float | None,
) -> None:
    """With subscales, the total follows the published rule and each subscale its own."""
    result = score(djg6, djg_answers(*answers))
    total = result.index("djg_total")
    assert total.status is status
    assert total.raw == (pytest.approx(raw) if raw is not None else None)
    assert result.facet("emotional").raw == (
        pytest.approx(emotional) if emotional is not None else None
    )
    assert result.facet("social").raw == (pytest.approx(social) if social is not None else None)


def test_the_cohort_scorer_applies_the_index_rule_over_items_in_the_same_words(
    djg6: Instrument,
) -> None:
    """Scored as a cohort, the same rows give the same totals and reasons as one by one."""
    rows = [
        (YES, MORE_OR_LESS, NO, NO, MORE_OR_LESS, None),
        (YES, NO, None, NO, YES, None),
        (YES, None, None, NO, None, YES),
    ]
    frame = pd.DataFrame([dict(zip(DJG_IDS, row, strict=True)) for row in rows])
    scores = score_cohort(djg6, frame)
    for position, row in enumerate(rows):
        total = score(djg6, djg_answers(*row)).index("djg_total")
        assert scores.loc[position, "djg_total_status"] == total.status.value
        assert scores.loc[position, "djg_total_raw"] == pytest.approx(
            total.raw if total.raw is not None else np.nan, nan_ok=True
        )
        reason = scores.loc[position, "djg_total_reason"]
        assert (reason if isinstance(reason, str) else None) == total.reason


@pytest.mark.parametrize(
    ("change", "entry", "fragment"),
    [
        (
            ("max_missing_items: 1", "max_missing_items: 6"),
            "indices (id 'djg_total').max_missing_items",
            "allows all 6 items of its facets to be missing (6); lower it below",
        ),
        (
            ("max_missing_items: 1", "max_missing_items: -1"),
            "indices[0] (id 'djg_total').max_missing_items",
            "must be at least 0",
        ),
        (
            ("max_missing_items: 1", "max_missing_items: one"),
            "indices[0] (id 'djg_total').max_missing_items",
            "one",
        ),
        (
            (
                "        max_missing: 1\n      - id: social",
                "        max_missing_items: 1\n      - id: social",
            ),
            "facets[0] (id 'emotional')",
            "max_missing_items",
        ),
    ],
)
def test_a_wrong_max_missing_items_is_named_by_file_and_entry(
    change: tuple[str, str], entry: str, fragment: str
) -> None:
    """Too large, negative, not a number, or on a facet: each names the entry and the fix."""
    text = DJG6.replace(*change, 1)
    assert text != DJG6
    with pytest.raises(DataFileError) as caught:
        load(text, "djg6.yaml")
    problems = [p for p in caught.value.problems if p.entry == entry]
    assert problems, [str(p) for p in caught.value.problems]
    assert fragment in problems[0].message
    assert problems[0].file == "djg6.yaml"


@pytest.mark.parametrize(
    ("answers", "status", "raw", "band"),
    [
        ((YES, MORE_OR_LESS, NO, NO, MORE_OR_LESS, YES), Status.COMPLETE, 4.0, "moderately_lonely"),
        # one missing: 4 of 5 answered count → prorated 4/5 · 6 = 4.8
        (
            (YES, MORE_OR_LESS, None, NO, MORE_OR_LESS, YES),
            Status.PRORATED,
            4.8,
            "moderately_lonely",
        ),
        # one missing: 1 of 5 → 1/5 · 6 = 1.2
        ((NO, NO, NO, None, YES, MORE_OR_LESS), Status.PRORATED, 1.2, "not_lonely"),
        # two missing, in different subscales: more than one item, so no total
        ((YES, NO, None, NO, YES, None), Status.UNSCORED, None, None),
        # two missing in the same subscale: no total either
        ((YES, NO, NO, NO, None, None), Status.UNSCORED, None, None),
    ],
)
def test_de_jong_gierveld_as_a_single_total_is_missing_when_more_than_one_item_is(
    djg6_total_only: Instrument,
    answers: tuple[int | None, ...],
    status: Status,
    raw: float | None,
    band: str | None,
) -> None:
    """One facet of all six items with max_missing 1 expresses the published missing rule exactly."""
    result = score(djg6_total_only, djg_answers(*answers))
    total = result.index("djg_total")
    assert total.status is status
    assert total.raw == (pytest.approx(raw) if raw is not None else None)
    assert band_id(total.band) == band
    if status is Status.UNSCORED:
        assert result.facet("djg").reason == "2 of 6 questions unanswered; this facet tolerates 1"
        assert total.reason is not None


# --- Lubben Social Network Scale, LSNS-6 (Lubben et al. 2006) -----------------------------------

LSNS6 = """
    format: assess-instrument/1
    id: lsns6
    version: "2006"
    title: {ja: Lubben社会的ネットワーク尺度6項目版, en: Lubben Social Network Scale LSNS-6}
    source: "Lubben et al. 2006, The Gerontologist 46(4); wording omitted"
    scales:
      - id: lsns_people
        options:
          - {value: 0, label: {ja: いない, en: None}}
          - {value: 1, label: {ja: 1人, en: One}}
          - {value: 2, label: {ja: 2人, en: Two}}
          - {value: 3, label: {ja: 3〜4人, en: Three or four}}
          - {value: 4, label: {ja: 5〜8人, en: Five to eight}}
          - {value: 5, label: {ja: 9人以上, en: Nine or more}}
    indices:
      - id: lsns_total
        label: {ja: 社会的ネットワーク, en: Social network}
        description: {ja: 合計0〜30点, en: Total 0 to 30}
        higher_is: strength
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: at_risk, from: 0, to: 12, label: {ja: 孤立のおそれ, en: At risk of isolation}, explanation: {ja: 12点未満, en: Below 12}}
            - {id: not_at_risk, from: 12, to: 30, label: {ja: 孤立のおそれは低い, en: Not at risk}, explanation: {ja: 12点以上, en: 12 or more}}
        # facts.md gives no subscale cut-off: these bands only split each 0–15 subscale in half.
        facet_bands:
          basis: percent
          ranges:
            - {id: smaller, from: 0, to: 50, label: {ja: 小さい, en: Smaller}, explanation: {ja: 下半分, en: Lower half}}
            - {id: larger, from: 50, to: 100, label: {ja: 大きい, en: Larger}, explanation: {ja: 上半分, en: Upper half}}
    facets:
      - id: family
        index: lsns_total
        label: {ja: 家族, en: Family}
        description: {ja: 家族・親戚の3項目, en: Three items on relatives}
        aggregation: sum
      - id: friends
        index: lsns_total
        label: {ja: 友人, en: Friends}
        description: {ja: 友人の3項目, en: Three items on friends}
        aggregation: sum
    items:
      - {id: lsns_fam1, facet: family, scale: lsns_people, text: {ja: "LSNS家族項目1（文言は省略）", en: "LSNS family item 1 (wording omitted)"}}
      - {id: lsns_fam2, facet: family, scale: lsns_people, text: {ja: "LSNS家族項目2（文言は省略）", en: "LSNS family item 2 (wording omitted)"}}
      - {id: lsns_fam3, facet: family, scale: lsns_people, text: {ja: "LSNS家族項目3（文言は省略）", en: "LSNS family item 3 (wording omitted)"}}
      - {id: lsns_fri1, facet: friends, scale: lsns_people, text: {ja: "LSNS友人項目1（文言は省略）", en: "LSNS friends item 1 (wording omitted)"}}
      - {id: lsns_fri2, facet: friends, scale: lsns_people, text: {ja: "LSNS友人項目2（文言は省略）", en: "LSNS friends item 2 (wording omitted)"}}
      - {id: lsns_fri3, facet: friends, scale: lsns_people, text: {ja: "LSNS友人項目3（文言は省略）", en: "LSNS friends item 3 (wording omitted)"}}
"""

LSNS_IDS = ("lsns_fam1", "lsns_fam2", "lsns_fam3", "lsns_fri1", "lsns_fri2", "lsns_fri3")


@pytest.fixture(scope="module")
def lsns6() -> Instrument:
    """The LSNS-6 in the instrument format."""
    return load(LSNS6, "lsns6.yaml")


def test_lsns_6_scores_the_six_counts_0_to_5(lsns6: Instrument) -> None:
    """Counts 0, 1, 2, 3–4, 5–8, 9+ score 0 to 5; subscales run 0–15 and the total 0–30."""
    scale = lsns6.items[0].scale
    assert [option.score for option in scale.options] == [0, 1, 2, 3, 4, 5]
    assert [option.label.en for option in scale.options][3:] == [
        "Three or four",
        "Five to eight",
        "Nine or more",
    ]


@pytest.mark.parametrize(
    ("answers", "family", "friends", "raw", "band"),
    [
        ((0, 0, 0, 0, 0, 0), 0.0, 0.0, 0.0, "at_risk"),
        # family 2 + 2 + 2 = 6, friends 1 + 1 + 3 = 5 → 11 < 12
        ((2, 2, 2, 1, 1, 3), 6.0, 5.0, 11.0, "at_risk"),
        # family 2 + 2 + 2 = 6, friends 2 + 2 + 2 = 6 → 12, the threshold
        ((2, 2, 2, 2, 2, 2), 6.0, 6.0, 12.0, "not_at_risk"),
        # family 5 + 4 + 3 = 12, friends 0 + 0 + 1 = 1 → 13
        ((5, 4, 3, 0, 0, 1), 12.0, 1.0, 13.0, "not_at_risk"),
        ((5, 5, 5, 5, 5, 5), 15.0, 15.0, 30.0, "not_at_risk"),
    ],
)
def test_lsns_6_totals_family_and_friends_and_is_at_risk_below_12(
    lsns6: Instrument,
    answers: tuple[int, ...],
    family: float,
    friends: float,
    raw: float,
    band: str,
) -> None:
    """LSNS-6 sums two 0–15 subscales to a 0–30 total; below 12 indicates risk of isolation."""
    result = score(lsns6, Answers(dict(zip(LSNS_IDS, answers, strict=True))))
    assert result.facet("family").raw == family
    assert result.facet("friends").raw == friends
    total = result.index("lsns_total")
    assert total.status is Status.COMPLETE
    assert total.raw == raw
    assert band_id(total.band) == band


def test_lsns_6_subscale_percent_is_the_position_between_0_and_15(lsns6: Instrument) -> None:
    """Family 6 of 15 is 40 %, in the lower half; friends 5 of 15 is 33.3 %."""
    result = score(lsns6, Answers(dict(zip(LSNS_IDS, (2, 2, 2, 1, 1, 3), strict=True))))
    family = result.facet("family")
    assert family.percent == pytest.approx(40.0)
    assert band_id(family.band) == "smaller"
    assert result.facet("friends").percent == pytest.approx(100 / 3)
    assert result.index("lsns_total").percent == pytest.approx(100 * 11 / 30)


# --- Japan's national survey, indirect 3-item scale (Cabinet Office) ----------------------------

JAPAN3 = """
    format: assess-instrument/1
    id: japan-indirect3
    version: "R5"
    title: {ja: 人々のつながりに関する基礎調査 間接質問, en: National survey indirect loneliness scale}
    source: "Cabinet Office; 厚生労働白書 令和5年版 fig. 1-3-8; wording omitted"
    scales:
      - id: freq4
        options:
          - {value: 1, label: {ja: 決してない, en: Never}}
          - {value: 2, label: {ja: ほとんどない, en: Hardly ever}}
          - {value: 3, label: {ja: 時々ある, en: Sometimes}}
          - {value: 4, label: {ja: 常にある, en: Always}}
    indices:
      - id: indirect_total
        label: {ja: 間接質問合計, en: Indirect scale total}
        description: {ja: 合計3〜12点, en: Total 3 to 12}
        higher_is: risk
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: score_3, from: 3, to: 4, label: {ja: 3点, en: "3"}, explanation: {ja: 3点, en: "3"}}
            - {id: score_4_6, from: 4, to: 7, label: {ja: 4〜6点, en: 4 to 6}, explanation: {ja: 4〜6点, en: 4 to 6}}
            - {id: score_7_9, from: 7, to: 10, label: {ja: 7〜9点, en: 7 to 9}, explanation: {ja: 7〜9点, en: 7 to 9}}
            - {id: score_10_12, from: 10, to: 12, label: {ja: 10〜12点, en: 10 to 12}, explanation: {ja: 10〜12点, en: 10 to 12}}
        facet_bands:
          basis: raw
          ranges:
            - {id: score_3, from: 3, to: 4, label: {ja: 3点, en: "3"}, explanation: {ja: 3点, en: "3"}}
            - {id: score_4_6, from: 4, to: 7, label: {ja: 4〜6点, en: 4 to 6}, explanation: {ja: 4〜6点, en: 4 to 6}}
            - {id: score_7_9, from: 7, to: 10, label: {ja: 7〜9点, en: 7 to 9}, explanation: {ja: 7〜9点, en: 7 to 9}}
            - {id: score_10_12, from: 10, to: 12, label: {ja: 10〜12点, en: 10 to 12}, explanation: {ja: 10〜12点, en: 10 to 12}}
    facets:
      - id: indirect
        index: indirect_total
        label: {ja: 間接質問, en: Indirect questions}
        description: {ja: 3項目の合計, en: Sum of the three items}
        aggregation: sum
    items:
      - {id: jp_1, facet: indirect, scale: freq4, text: {ja: "間接質問1（文言は省略）", en: "Indirect item 1 (wording omitted)"}}
      - {id: jp_2, facet: indirect, scale: freq4, text: {ja: "間接質問2（文言は省略）", en: "Indirect item 2 (wording omitted)"}}
      - {id: jp_3, facet: indirect, scale: freq4, text: {ja: "間接質問3（文言は省略）", en: "Indirect item 3 (wording omitted)"}}
"""


@pytest.fixture(scope="module")
def japan3() -> Instrument:
    """The national survey's indirect scale in the instrument format."""
    return load(JAPAN3, "japan_indirect3.yaml")


@pytest.mark.parametrize(
    ("answers", "raw", "band"),
    [
        ((1, 1, 1), 3.0, "score_3"),
        ((1, 1, 2), 4.0, "score_4_6"),
        ((2, 2, 2), 6.0, "score_4_6"),
        ((3, 2, 2), 7.0, "score_7_9"),
        ((3, 3, 3), 9.0, "score_7_9"),
        ((4, 3, 3), 10.0, "score_10_12"),
        ((4, 4, 4), 12.0, "score_10_12"),
    ],
)
def test_japan_national_survey_indirect_scale_bands_3_4_to_6_7_to_9_10_to_12(
    japan3: Instrument, answers: tuple[int, int, int], raw: float, band: str
) -> None:
    """Three 1–4 answers total 3–12, banded 3 / 4–6 / 7–9 / 10–12 as the white paper does."""
    result = score(japan3, Answers(dict(zip(("jp_1", "jp_2", "jp_3"), answers, strict=True))))
    total = result.index("indirect_total")
    assert total.raw == raw
    assert band_id(total.band) == band
    assert band_id(result.facet("indirect").band) == band


# --- scoring rules the scales above do not exercise ---------------------------------------------

KEYING = """
    format: assess-instrument/1
    id: keying
    version: "1"
    title: {ja: 採点規則, en: Scoring rules}
    scales:
      - id: agree5
        options:
          - {value: 1, label: {ja: まったく, en: Not at all}}
          - {value: 2, label: {ja: あまり, en: A little}}
          - {value: 3, label: {ja: どちらとも, en: Somewhat}}
          - {value: 4, label: {ja: かなり, en: Quite}}
          - {value: 5, label: {ja: とても, en: Very}}
    indices:
      - id: overall
        label: {ja: 全体, en: Overall}
        description: {ja: 全体, en: Overall}
        higher_is: risk
        aggregation: mean
        bands:
          basis: percent
          ranges:
            - {id: low, from: 0, to: 50, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 50, to: 100, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
        facet_bands:
          basis: raw
          ranges:
            - {id: low, from: 1, to: 3, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 3, to: 5, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
    facets:
      - id: mixed
        index: overall
        label: {ja: 混合, en: Mixed}
        description: {ja: 逆転と重み, en: Reverse keying and weights}
        aggregation: mean
      - id: mirrored
        index: overall
        label: {ja: 逆転, en: Mirrored}
        description: {ja: 逆転項目のみ, en: A reversed item only}
        aggregation: sum
    items:
      - {id: plain, facet: mixed, scale: agree5, text: {ja: 項目1, en: Item 1}}
      - {id: reversed, facet: mixed, scale: agree5, reverse: true, text: {ja: 項目2, en: Item 2}}
      - {id: heavy, facet: mixed, scale: agree5, weight: 2, text: {ja: 項目3, en: Item 3}}
      - {id: only, facet: mirrored, scale: agree5, reverse: true, text: {ja: 項目4, en: Item 4}}
"""


@pytest.fixture(scope="module")
def keying() -> Instrument:
    """A small instrument with a reversed item, a weighted item and a mean facet."""
    return load(KEYING, "keying.yaml")


@pytest.mark.parametrize(("value", "keyed"), [(1, 5.0), (2, 4.0), (3, 3.0), (4, 2.0), (5, 1.0)])
def test_reverse_keying_mirrors_a_1_to_5_scale(
    keying: Instrument, value: int, keyed: float
) -> None:
    """A reversed item scores 1 + 5 − answer: 1 ↔ 5, 2 ↔ 4, 3 stays."""
    assert keying.item("only").keyed_score(value) == keyed
    others = {"plain": 3, "reversed": 3, "heavy": 3}
    assert score(keying, Answers({**others, "only": value})).facet("mirrored").raw == keyed


@pytest.mark.parametrize(
    ("answers", "raw", "band"),
    [
        # (1 + (6 − 1) + 2·1) / (1 + 1 + 2) = 8 / 4 = 2
        ((1, 1, 1), 2.0, "low"),
        # (5 + (6 − 5) + 2·5) / 4 = 16 / 4 = 4
        ((5, 5, 5), 4.0, "high"),
        # (4 + (6 − 2) + 2·1) / 4 = 10 / 4 = 2.5
        ((4, 2, 1), 2.5, "low"),
        # (2 + (6 − 4) + 2·4) / 4 = 12 / 4 = 3
        ((2, 4, 4), 3.0, "high"),
        # (5 + (6 − 1) + 2·5) / 4 = 20 / 4 = 5, the top
        ((5, 1, 5), 5.0, "high"),
    ],
)
def test_a_mean_facet_weighs_its_items_and_mirrors_reversed_ones(
    keying: Instrument, answers: tuple[int, int, int], raw: float, band: str
) -> None:
    """Weighted mean: Σ weight · keyed score / Σ weight, with reversed answers mirrored first."""
    responses = dict(zip(("plain", "reversed", "heavy"), answers, strict=True))
    result = score(keying, Answers({**responses, "only": 3}))
    mixed = result.facet("mixed")
    assert mixed.raw == pytest.approx(raw)
    assert band_id(mixed.band) == band


def test_percent_is_the_position_between_the_lowest_and_highest_possible(
    keying: Instrument,
) -> None:
    """Mixed raw 2.5 on 1–5 is (2.5 − 1) / 4 = 37.5 %; mirrored 5 → 1 is 0 %; the index averages them."""
    result = score(keying, Answers({"plain": 4, "reversed": 2, "heavy": 1, "only": 5}))
    assert result.facet("mixed").percent == pytest.approx(37.5)
    mirrored = result.facet("mirrored")
    assert (mirrored.raw, mirrored.percent) == (1.0, 0.0)
    overall = result.index("overall")
    # mean of 37.5 and 0 = 18.75, in the low band
    assert overall.percent == pytest.approx(18.75)
    assert overall.raw == pytest.approx(18.75)
    assert band_id(overall.band) == "low"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_results_page_says_how_many_questions_the_total_misses(
    djg6: Instrument, language: str
) -> None:
    """Unscored by its rule over items, the total is explained by questions, not by facets."""
    total = score(djg6, djg_answers(YES, NO, None, NO, YES, None)).index("djg_total")
    reason = index_unscored_reason(djg6, total, default_messages(), language)
    # 2 of its 6 questions are unanswered; scoring it needs at least 6 − 1 = 5
    expected = {
        "ja": "6問のうち2問が未回答のため、この指標は出せませんでした（5問以上の回答が必要です）",
        "en": "2 of its 6 questions are unanswered (scoring it needs at least 5 answers)",
    }
    assert expected[language] in reason
