"""The facilitator's view in a real browser, from each of its three sources: pasted result codes,
results saved in the store under a workshop code, and the synthetic sample.

A Voilà of its own serves ``facilitator/cohort.ipynb`` (as ``make facilitator`` does, without
the token, on a free port of 127.0.0.1), with a temporary SQLite store holding results saved
with consent under one workshop code.  Each page must show the head count and its charts; a
picture of each at phone width, in Japanese and in English, goes to artifacts/screenshots.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from quizdriver import (
    INSTRUMENT,
    KEPT_OFF_LINE_STARTS,
    MESSAGES,
    WIDGETS_TIMEOUT,
    Quiz,
    line_starts,
)
from voila_server import (
    REPO,
    ServerStartError,
    free_port,
    quiz_command,
    running,
    voila_environment,
)

from assess.core.model import Answers
from assess.core.result_code import encode_result
from assess.group.synthetic import synthetic_cohort
from assess.store.results import DATABASE_URL_ENV, ResultRecord, ResultStore

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WORKSHOP = "ws-e2e"
SAVED = 6
"""Results saved under the workshop code: above the smallest group of 5, so figures show."""
PASTED = 8
SYNTHETIC = 30
DAY = datetime.date(2026, 11, 26)
CELL_TIMEOUT = 30
"""Seconds for the notebook's cell, as ``make facilitator`` gives it: Voilà now and then misses
the kernel's reply to the cell and, with no bound, waits for ever (the page never loads); when a
bounded wait ends it looks again and finds the reply.  The cell takes 1-15 s under load."""


def sample_answers(size: int, seed: int) -> list[Answers]:
    frame = synthetic_cohort(INSTRUMENT, size, seed=seed)
    return [
        Answers(
            {item.id: int(row[item.id]) for item in INSTRUMENT.items if pd.notna(row[item.id])},
            {question.id: row[question.id] for question in INSTRUMENT.profile},
        )
        for _, row in frame.iterrows()
    ]


@pytest.fixture(scope="module")
def facilitator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The facilitator's Voilà, reading a temporary SQLite store of one workshop's results."""
    folder = tmp_path_factory.mktemp("facilitator-store")
    url = f"sqlite:///{folder / 'results.sqlite3'}"
    with ResultStore.open(url) as store:
        for answers in sample_answers(SAVED, seed=31):
            record = ResultRecord.create(
                INSTRUMENT.id, INSTRUMENT.version, DAY, answers, cohort=WORKSHOP
            )
            store.save(record, consent=True)
    port = free_port()
    log = REPO / "artifacts" / "voila-e2e-facilitator.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    environment = voila_environment()
    environment[DATABASE_URL_ENV] = url
    base = f"http://127.0.0.1:{port}/"
    try:
        command = [
            *quiz_command(port, "facilitator/cohort.ipynb"),
            f"--VoilaExecutor.timeout={CELL_TIMEOUT}",
        ]
        with running(command, base, log, env=environment):
            yield base
    except ServerStartError as error:
        pytest.fail(str(error))


def say(key: str, language: str, **values: object) -> str:
    return MESSAGES.text(f"facilitator.{key}", language, **values)


def open_view(page: Page, url: str, query: str) -> None:
    page.set_viewport_size(PHONE)
    # Voilà sends the page once the notebook has run (the whole summary, for a store or a
    # sample): loading it waits for the kernel as long as the widgets may.
    page.goto(url + ("?" + query if query else ""), timeout=WIDGETS_TIMEOUT)
    expect(page.locator(".assess-facilitator")).to_be_visible(timeout=WIDGETS_TIMEOUT)


def expect_summary(page: Page, language: str, participants: int) -> None:
    """The head count, the three charts (indices, facets, national survey) drawn to fit, and
    the band tables, all visible."""
    view = page.locator(".assess-facilitator")
    expect(view).to_be_visible()
    count = say("participants", language, count=participants)
    expect(view.locator(".assess-participants")).to_have_text(count)
    charts = view.locator(".assess-chart .js-plotly-plot")
    expect(charts).to_have_count(3)
    for position in range(3):
        expect(charts.nth(position)).to_be_visible()
    expect(view.locator("h2", has_text=say("indices.title", language))).to_be_visible()
    expect(view.locator("table.assess-table").first).to_be_visible()
    # Plotly draws at its default width first, then fits its box: wait for the fitted charts.
    page.wait_for_function(
        """() => [...document.querySelectorAll('.assess-facilitator .assess-chart')].every(out => {
            const svg = out.querySelector('.js-plotly-plot svg.main-svg');
            return svg !== null
                && svg.getBoundingClientRect().width <= out.getBoundingClientRect().width + 1;
        })"""
    )


def picture(page: Page, url: str, screenshots: Path, name: str) -> None:
    Quiz(page, url).screenshot(screenshots, f"facilitator-{name}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_pasted_codes_show_the_room_in_counts_and_charts(
    page: Page, facilitator_url: str, screenshots: Path, language: str
) -> None:
    """Eight result codes pasted and shown: the head count and the charts appear."""
    open_view(page, facilitator_url, "lang=en" if language == "en" else "")
    codes = [encode_result(INSTRUMENT, a, DAY) for a in sample_answers(PASTED, seed=32)]
    field = page.locator(".assess-facilitator textarea")
    expect(field).to_be_visible()
    field.fill("\n".join(codes))
    field.press("Tab")
    page.get_by_role("button", name=say("show", language), exact=True).click()
    expect_summary(page, language, PASTED)
    picture(page, facilitator_url, screenshots, f"{language}-phone-codes")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_saved_results_of_a_workshop_show_the_room(
    page: Page, facilitator_url: str, screenshots: Path, language: str
) -> None:
    """?source=store&cohort=… shows the results saved with consent under that code at once."""
    lang = "&lang=en" if language == "en" else ""
    open_view(page, facilitator_url, f"source=store&cohort={WORKSHOP}{lang}")
    expect_summary(page, language, SAVED)
    shown = say("cohort.shown", language, cohort=WORKSHOP)
    expect(page.locator(".assess-facilitator-results")).to_contain_text(shown)
    expect(page.locator(".assess-facilitator textarea")).to_be_hidden()
    picture(page, facilitator_url, screenshots, f"{language}-phone-store")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_synthetic_sample_shows_the_room_marked_as_synthetic(
    page: Page, facilitator_url: str, screenshots: Path, language: str
) -> None:
    """?source=synthetic&size=30: thirty synthetic people, marked as such, with charts."""
    lang = "&lang=en" if language == "en" else ""
    open_view(page, facilitator_url, f"source=synthetic&size={SYNTHETIC}{lang}")
    expect_summary(page, language, SYNTHETIC)
    expect(page.locator(".assess-synthetic")).to_contain_text(say("synthetic.banner", language))
    picture(page, facilitator_url, screenshots, f"{language}-phone-synthetic")


def test_the_served_view_starts_with_the_view_not_with_notes_for_the_notebooks_readers(
    page: Page, facilitator_url: str
) -> None:
    """The notebook's own heading and its "serve it with make facilitator" note are for readers
    in JupyterLab: served, the page shows one title, the view's own, and no serving note."""
    open_view(page, facilitator_url, "")
    notes = next(
        "".join(cell["source"])
        for cell in json.loads((REPO / "facilitator" / "cohort.ipynb").read_text("utf-8"))["cells"]
        if cell["cell_type"] == "markdown"
    )
    shown = page.locator("body").inner_text()
    assert "make facilitator" in notes and "make facilitator" not in shown
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".assess-facilitator h1")).to_have_count(1)


def test_the_views_japanese_headings_keep_small_kana_off_a_line_start(
    page: Page, facilitator_url: str
) -> None:
    """At 375 px, with the sample's figures shown: no line of the title or a heading starts with
    a small kana, a long-vowel mark or closing punctuation (the title broke 「（フ／ァシリ…」)."""
    open_view(page, facilitator_url, f"source=synthetic&size={SYNTHETIC}")
    expect_summary(page, "ja", SYNTHETIC)
    seen = line_starts(page, ".assess-facilitator :is(h1, h2, h3, h4)")
    assert seen, "no heading wrapped: the check measured nothing"
    bad = [(heading, start) for heading, start in seen if start in KEPT_OFF_LINE_STARTS]
    assert not bad, f"lines starting with a character kept off a line start: {bad}"
