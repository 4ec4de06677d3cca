"""A small question bank written out here, so that tests of the scoring rules do not move when
the team edits the shipped one (``tests/conftest.py`` serves it as fixtures)."""

from __future__ import annotations

import textwrap

SMALL_INSTRUMENT = textwrap.dedent(
    """
    format: assess-instrument/1
    id: small
    version: "1"
    title: {ja: 小さな質問票, en: A small instrument}
    scales:
      - id: agree5
        options:
          - {value: 1, label: {ja: まったく, en: Not at all}}
          - {value: 2, label: {ja: あまり, en: A little}}
          - {value: 3, label: {ja: どちらとも, en: Somewhat}}
          - {value: 4, label: {ja: かなり, en: Quite}}
          - {value: 5, label: {ja: とても, en: Very}}
      - id: yes_no_dichotomised
        options:
          - {value: 1, score: 1, label: {ja: はい, en: "Yes"}}
          - {value: 2, score: 1, label: {ja: どちらとも, en: More or less}}
          - {value: 3, score: 0, label: {ja: いいえ, en: "No"}}
    indices:
      - id: risk
        label: {ja: リスク, en: Risk}
        description: {ja: リスクの説明, en: What risk means}
        higher_is: risk
        aggregation: mean
        max_missing: 1
        bands:
          basis: percent
          ranges:
            - {id: low, from: 0, to: 50, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 50, to: 100, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
        facet_bands:
          basis: percent
          ranges:
            - {id: low, from: 0, to: 50, label: {ja: 低, en: Low}, explanation: {ja: 低い, en: Low}}
            - {id: high, from: 50, to: 100, label: {ja: 高, en: High}, explanation: {ja: 高い, en: High}}
      - id: strength
        label: {ja: 強さ, en: Strength}
        description: {ja: 強さの説明, en: What strength means}
        higher_is: strength
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: weak, from: 0, to: 2, label: {ja: 弱, en: Weak}, explanation: {ja: 弱い, en: Weak}}
            - {id: strong, from: 2, to: 3, label: {ja: 強, en: Strong}, explanation: {ja: 強い, en: Strong}}
    facets:
      - id: alone
        index: risk
        label: {ja: 一人, en: Alone}
        description: {ja: 一人の時間, en: Time alone}
        aggregation: mean
        max_missing: 1
      - id: unheard
        index: risk
        label: {ja: 聞かれない, en: Unheard}
        description: {ja: 話せない, en: Nobody to talk to}
        aggregation: sum
        max_missing: 1
      - id: ties
        index: strength
        label: {ja: つながり, en: Ties}
        description: {ja: つながり, en: Ties}
        aggregation: sum
        bands:
          basis: raw
          ranges:
            - {id: weak, from: 0, to: 2, label: {ja: 弱, en: Weak}, explanation: {ja: 弱い, en: Weak}}
            - {id: strong, from: 2, to: 3, label: {ja: 強, en: Strong}, explanation: {ja: 強い, en: Strong}}
    items:
      - {id: a1, facet: alone, scale: agree5, text: {ja: 質問a1, en: Question a1}}
      - {id: a2, facet: alone, scale: agree5, reverse: true, text: {ja: 質問a2, en: Question a2}}
      - {id: a3, facet: alone, scale: agree5, weight: 2, text: {ja: 質問a3, en: Question a3}}
      - {id: u1, facet: unheard, scale: agree5, text: {ja: 質問u1, en: Question u1}}
      - {id: u2, facet: unheard, scale: agree5, reverse: true, text: {ja: 質問u2, en: Question u2}}
      - {id: t1, facet: ties, scale: yes_no_dichotomised, text: {ja: 質問t1, en: Question t1}}
      - {id: t2, facet: ties, scale: yes_no_dichotomised, text: {ja: 質問t2, en: Question t2}}
      - {id: t3, facet: ties, scale: yes_no_dichotomised, text: {ja: 質問t3, en: Question t3}}
    profile:
      - id: mode
        text: {ja: 好み, en: Preference}
        options:
          - {code: online, label: {ja: オンライン, en: Online}}
          - {code: offline, label: {ja: 対面, en: In person}}
    """
)
