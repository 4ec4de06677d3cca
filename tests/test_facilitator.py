"""The facilitator's view and command line: the three sources (pasted codes, saved results, the
synthetic sample), every state drawn in either language, a shared layout that cannot hide the
view, the notebook, and the token that keeps the view off the quiz's server."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import pty
import queue
import re
import secrets
import shlex
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest
import traitlets
from cohort_samples import FakeStore, codes_for, saved_results
from nbclient import NotebookClient

from assess import Instrument, default_instrument
from assess.app.cli import main
from assess.app.facilitator import build_facilitator, load_from_store
from assess.datafiles.messages import default_messages, load_messages
from assess.datafiles.reference import default_reference
from assess.group.disclosure import WithheldReason
from assess.group.summarise import summarise
from assess.group.summary_tables import (
    summary_frames,
)
from assess.group.synthetic import synthetic_cohort
from assess.store.results import ResultStore
from assess.ui.components import FULL_WIDTH
from assess.ui.facilitator import MAX_CODES, SOURCES, FacilitatorView, SourceProblem

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    """The shipped questionnaire."""
    return default_instrument()


# --- the command line ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["cohort", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_line_writes_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Text in Japanese by default, in English on request, marked as synthetic."""
    code, out, _ = run(capsys, "--synthetic", "30", "--seed", "5")
    assert code == 0
    assert "参加者：30人" in out and "合成（サンプル）データ" in out
    code, out, _ = run(capsys, "--synthetic", "30", "--seed", "5", "--lang", "en")
    assert code == 0
    assert "Participants: 30" in out and "synthetic (sample) data" in out
    assert "Cronbach" in out


def test_the_command_line_writes_csv(capsys: pytest.CaptureFixture[str]) -> None:
    """All tables in one CSV with a table column, or one table, with the same figures."""
    code, out, _ = run(capsys, "--synthetic", "40", "--format", "csv", "--lang", "en")
    assert code == 0
    combined = pd.read_csv(io.StringIO(out))
    assert set(combined["table"]) == {
        "overview",
        "distributions",
        "bands",
        "weakest",
        "survey",
        "alphas",
    }
    code, out, _ = run(capsys, "--synthetic", "40", "--format", "csv", "--table", "alphas")
    alphas = pd.read_csv(io.StringIO(out))
    instrument = default_instrument()
    expected = summary_frames(summarise(instrument, synthetic_cohort(instrument, 40, seed=2026)))
    assert alphas["alpha"].tolist() == expected["alphas"]["alpha"].tolist()
    assert combined.loc[combined["table"] == "overview", "participants"].tolist() == [40]


def test_the_command_line_writes_json(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON with the head count, the threshold, the flag and every table; null where withheld."""
    code, out, _ = run(capsys, "--synthetic", "12", "--format", "json", "--min-group", "4")
    assert code == 0
    document = json.loads(out)
    assert document["participants"] == 12 and document["min_group"] == 4
    assert document["synthetic"] is True
    assert set(document["tables"]) == {"distributions", "bands", "weakest", "survey", "alphas"}
    for record in document["tables"]["bands"]:
        assert (record["count"] is None) == (record["withheld"] is not None)


def test_the_command_line_reads_codes_and_reports_bad_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, instrument: Instrument
) -> None:
    """--codes FILE: bad lines are warnings by line number; the rest are summarised."""
    codes = codes_for(instrument, synthetic_cohort(instrument, 6, seed=9))
    path = tmp_path / "codes.txt"
    path.write_text("\n".join([*codes[:3], "garbage", *codes[3:]]) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--codes", str(path), "--format", "json", "--cohort", "ws-1")
    assert code == 0
    assert json.loads(out)["participants"] == 6
    assert json.loads(out)["cohort"] == "ws-1"
    assert "warning: line 4:" in err and "garbage" not in err


def test_the_command_line_reads_a_workshop_from_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, instrument: Instrument
) -> None:
    """--store URL --cohort CODE reads only that workshop's saved results."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    with ResultStore.open(url) as store:
        for record in saved_results(instrument, 7, cohort="ws-store"):
            store.save(record, consent=True)
        for record in saved_results(instrument, 2, cohort="other"):
            store.save(record, consent=True)
    code, out, _ = run(capsys, "--store", url, "--cohort", "WS-Store", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["participants"] == 7 and document["synthetic"] is False
    code, _, err = run(capsys, "--store", url)
    assert code == 1 and "--cohort" in err


def test_the_command_line_refuses_a_threshold_below_three(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--min-group 2 is an error, not a quieter kind of summary."""
    code, out, err = run(capsys, "--synthetic", "30", "--min-group", "2")
    assert code == 1 and out == "" and "at least 3" in err


# --- the view ------------------------------------------------------------------------------------


def view_html(view: FacilitatorView) -> str:
    parts = [view.status.value]
    for child in view.results.children:
        if hasattr(child, "value"):
            parts.append(child.value)
    return "\n".join(parts)


def test_the_view_shows_a_synthetic_sample_from_the_query_string() -> None:
    """?source=synthetic shows at once: counts, charts, weakest facets, survey, alphas, CSVs."""
    view = build_facilitator(query_string="source=synthetic&size=40&lang=en")
    assert view.summary is not None and view.summary.participants == 40
    html = view_html(view)
    assert "synthetic (sample) data" in html
    assert "Participants: 40" in html
    assert "Where the room needs most support" in html
    assert "National survey (2023)" in html and "cao.go.jp/kodoku_koritsu" in html  # its own report
    assert "Cronbach" in html
    assert set(view.figures) == {"indices", "facets", "survey"}
    assert len(view.downloads) == 6
    for content in view.downloads.values():
        assert content.startswith("\ufeff".encode())


def test_the_view_says_why_figures_are_withheld(instrument: Instrument) -> None:
    """A group of four: the view says "fewer than 5 people" (Japanese first, English too)."""
    view = build_facilitator(query_string="source=synthetic&size=4")
    assert "5人未満" in view_html(view)
    view.language = "en"
    assert "fewer than 5 people" in view_html(view)
    assert view.language_toggle.value == "en"


def test_the_view_reads_pasted_codes_and_lists_bad_lines(instrument: Instrument) -> None:
    """Pasted codes are summarised; bad lines are listed by number, in the view's language."""
    view = build_facilitator(query_string="lang=en")
    codes = codes_for(instrument, synthetic_cohort(instrument, 8, seed=14))
    view.source_toggle.value = "codes"
    view.codes_input.value = "\n".join([codes[0], "oops", *codes[1:], codes[1]])
    view.show()
    assert view.summary is not None and view.summary.participants == 8
    html = view_html(view)
    assert "Line 2:" in html and "Line 10:" in html and "oops" not in html


def test_the_view_reads_a_workshop_from_a_real_store(
    instrument: Instrument, tmp_path: Path
) -> None:
    """?source=store&cohort=… summarises the results saved under that code in SQLite, and
    only those."""
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    with ResultStore.open(url) as store:
        for record in saved_results(instrument, 12) + saved_results(instrument, 3, cohort="x"):
            store.save(record, consent=True)
    view = build_facilitator(query_string="source=store&cohort=WS-Osaka&lang=en", store_url=url)
    assert view.summary is not None and view.summary.participants == 12
    assert not view.summary.synthetic
    assert "Workshop code: WS-Osaka" in view_html(view)


def test_loading_from_a_store_reads_once_and_closes_it(instrument: Instrument) -> None:
    """The store is asked for the workshop once and closed, even when reading fails."""
    fake = FakeStore(saved_results(instrument, 5), skipped=1)
    frame, skipped = load_from_store(
        instrument, "sqlite://", "ws-osaka", open_store=lambda url: fake
    )
    assert fake.asked == ["ws-osaka"] and fake.closed and len(frame) == 5 and skipped == 1
    mixed = FakeStore(saved_results(instrument, 3) + saved_results(instrument, 3, cohort="x"))
    with pytest.raises(SourceProblem):
        load_from_store(instrument, "sqlite://", "", open_store=lambda url: mixed)
    assert mixed.closed


def test_saved_results_the_store_cannot_read_are_counted_on_the_page(
    instrument: Instrument, tmp_path: Path
) -> None:
    """A row damaged by hand is left out of the figures, and the view says how many were."""
    path = tmp_path / "results.sqlite3"
    url = f"sqlite:///{path}"
    records = saved_results(instrument, 7)
    with ResultStore.open(url) as store:
        for record in records:
            store.save(record, consent=True)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE assess_results SET answers = 'not json' WHERE id = ?", (records[0].id,)
        )
    view = build_facilitator(query_string="source=store&cohort=ws-osaka&lang=en", store_url=url)
    assert view.summary is not None and view.summary.participants == 6
    assert "1 saved result(s) could not be read and were left out." in view.status.value
    view.language = "ja"
    assert "1件は読み取れなかった" in view.status.value


def test_the_view_rechecks_what_a_forged_message_could_set(instrument: Instrument) -> None:
    """An unknown source, an oversized paste, a bad size or a missing code are refused."""
    view = build_facilitator(query_string="lang=en")
    view.source_toggle._trait_values["value"] = "filesystem"
    view.show()
    assert view.summary is None and "choose where the answers come from" in view.status.value
    view.source_toggle._trait_values["value"] = "codes"
    view.codes_input.value = "\n".join(["x"] * (MAX_CODES + 1))
    view.show()
    assert view.summary is None and f"at most {MAX_CODES}" in view.status.value
    view.source_toggle._trait_values["value"] = "synthetic"
    view.size_input._trait_values["value"] = 10**9
    view.show()
    assert view.summary is None and "from 1 to 1000" in view.status.value
    view.source_toggle._trait_values["value"] = "store"
    view.cohort_input.value = ""
    view.show()
    assert view.summary is None and "enter the workshop code" in view.status.value


def test_a_failing_store_is_reported_in_plain_words_and_logged(
    instrument: Instrument, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store that cannot be opened leaves the page working: the page says so in both
    languages without the details, which go to the server's log."""
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("", encoding="utf-8")
    view = build_facilitator(
        query_string="source=store&cohort=ws-1&lang=en",
        store_url=f"sqlite:///{blocker / 'results.sqlite3'}",
    )
    assert view.summary is None
    messages = default_messages()
    assert messages.text("facilitator.error.store", "en") in unescape(view.status.value)
    assert "a-file-not" not in view.status.value and "sqlite" not in view.status.value
    assert any("a-file-not-a-folder" in record.getMessage() for record in caplog.records)
    view.language = "ja"
    assert messages.text("facilitator.error.store", "ja") in view.status.value


def test_a_workshop_code_no_store_could_hold_is_refused_before_the_store_is_opened(
    instrument: Instrument,
) -> None:
    """An address typed as a workshop code is refused with the rule, in the view's words."""
    opened: list[object] = []
    view = build_facilitator(
        query_string="source=store&cohort=taro@example.com&lang=en",
        open_store=lambda url: opened.append(url) or FakeStore([]),
    )
    assert view.summary is None and opened == []
    assert "A workshop code has only letters" in unescape(view.status.value)


def test_the_query_string_cannot_lower_the_threshold() -> None:
    """min_group is the composition's setting, not the page's."""
    view = build_facilitator(query_string="source=synthetic&size=4&min_group=1&lang=en")
    assert view.summary is not None and view.summary.min_group == 5
    assert view.summary.withheld is not None


def test_the_wording_exists_in_both_languages_with_the_same_placeholders() -> None:
    """data/i18n/facilitator.yaml loads on its own and merged with the other catalogues."""
    own = load_messages(ROOT / "data" / "i18n" / "facilitator.yaml")
    assert all(key.startswith("facilitator.") for key in own.texts)
    merged = default_messages()
    for key in own.texts:
        assert merged.get(key) == own.texts[key]
    for reason in WithheldReason:
        assert f"facilitator.withheld.{reason.value}" in own.texts


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_state_of_the_view_is_drawn_in_either_language(
    instrument: Instrument, language: str
) -> None:
    """Small, partial and full groups, pasted codes with bad lines, and a failure: each is
    drawn, then redrawn in `language` when the facilitator switches to it, wording and all."""
    messages = default_messages()
    other = "en" if language == "ja" else "ja"
    views = {
        f"{size} people": build_facilitator(
            query_string=f"source=synthetic&size={size}&lang={other}"
        )
        for size in (3, 7, 25, 60)
    }
    codes = codes_for(instrument, synthetic_cohort(instrument, 7, seed=15))
    with_problems = build_facilitator(query_string=f"lang={other}")
    with_problems.codes_input.value = "\n".join([*codes, "oops", codes[0]])
    with_problems.show()
    views["codes with problems"] = with_problems
    failed = build_facilitator(query_string=f"lang={other}")
    failed.source_toggle.value = "store"
    failed.show()
    views["a failure"] = failed
    for name, view in views.items():
        view.language = language
        assert view_html(view), name
        assert "facilitator." not in view_html(view), f"{name}: a message key in place of words"

    def say(key: str, **values: object) -> str:
        return messages.text(f"facilitator.{key}", language, **values)

    problems = with_problems.status.value
    assert with_problems.summary is not None and with_problems.summary.participants == 7
    assert say("codes.problems", count=2) in problems
    assert say("codes.problem", line=9, reason=say("code.duplicate")) in problems
    assert say("codes.problem", line=8, reason="") in problems
    assert say("participants", count=7) in view_html(with_problems)
    assert say("error.cohort_missing") in failed.status.value


def test_the_japanese_view_writes_dates_colons_and_brackets_as_japanese_does() -> None:
    """2026年11月26日, full-width colons and brackets: no English punctuation in Japanese."""
    view = build_facilitator(query_string="source=synthetic&size=30")
    checked = default_reference().checked
    shown = view_html(view)
    assert f"{checked.year}年{checked.month}月{checked.day}日時点で確認" in shown
    assert "出典：" in shown and "孤立リスク：" in shown and "孤立リスク: " not in shown
    assert view.figures["indices"].layout.title.text.endswith("（合成（サンプル）データ）")
    view.language = "en"
    assert f"checked on {checked.day} {checked:%B} {checked.year}" in view_html(view)


@pytest.mark.parametrize("source", SOURCES)
def test_choosing_a_source_hides_only_the_inputs_it_does_not_need(source: str) -> None:
    """Whichever source is chosen, the view, its heading, status and results stay displayed;
    only the rows of the other sources' inputs are hidden."""
    view = build_facilitator(query_string="lang=en")
    for chosen in (*SOURCES, source):  # through every source, ending on this one
        view.source_toggle.value = chosen
    always = [view, view.heading, view.source_toggle, view.show_button, view.status, view.results]
    for widget in always:
        assert widget.layout.display in (None, ""), type(widget).__name__
    rows = {"codes": view.codes_row, "synthetic": view.size_row}
    for row_source, row in rows.items():
        assert (row.layout.display == "none") == (row_source != source), row_source


def test_a_view_opened_on_the_synthetic_sample_is_displayed() -> None:
    """?source=synthetic&size=30 opens with the sample summarised and the view not hidden."""
    view = build_facilitator(query_string="source=synthetic&size=30&lang=en")
    assert view.summary is not None and view.summary.participants == 30
    assert view.layout.display in (None, "") and view.results.layout.display in (None, "")
    assert view.results.children


def test_the_charts_are_drawn_without_capturing_a_display() -> None:
    """Each chart is its Output's outputs from the start, never a display captured into it:
    a capture, while Voilà runs the notebook, sends messages back to the kernel on the channel
    whose reply the page waits for, and under load that page sometimes never finished."""
    view = build_facilitator(query_string="source=synthetic&size=30")
    charts = [
        child
        for child in view.results.children
        if isinstance(child, widgets.Output) and "assess-chart" in child._dom_classes
    ]
    assert len(charts) == 3
    for chart in charts:
        assert chart.msg_id == ""
        [output] = chart.outputs
        assert output["output_type"] == "display_data"
        assert output["data"]["application/vnd.plotly.v1+json"]["data"]


def test_a_shared_layout_refuses_to_change() -> None:
    """FULL_WIDTH is shared by many widgets: hiding it, from the kernel or by a message from
    the page, is refused instead of hiding every widget that shares it."""
    with pytest.raises(traitlets.TraitError, match="layout of its own"):
        FULL_WIDTH.display = "none"
    with pytest.raises(traitlets.TraitError):
        FULL_WIDTH.set_state({"display": "none", "width": "1px"})
    assert FULL_WIDTH.display in (None, "") and FULL_WIDTH.width == "100%"


# --- the notebook and its server -----------------------------------------------------------------

NOTEBOOK = ROOT / "facilitator" / "cohort.ipynb"


def test_the_facilitator_notebook_sits_outside_the_quiz_folder() -> None:
    """The quiz server serves notebooks/; the facilitator's notebook is not there, and thin."""
    assert NOTEBOOK.exists()
    assert not (ROOT / "notebooks" / "cohort.ipynb").exists()
    assert not NOTEBOOK.resolve().is_relative_to((ROOT / "notebooks").resolve())
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == 1 and "build_facilitator" in code[0].source


@pytest.mark.slow
def test_the_notebook_runs_headless_with_the_synthetic_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Executed as Voilà would with ?source=synthetic, the view shows a summary and no error."""
    monkeypatch.setenv("QUERY_STRING", "source=synthetic&size=30&lang=en")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import json\n"
            "print(json.dumps({'participants': view.summary.participants,"
            " 'synthetic': view.summary.synthetic, 'figures': sorted(view.figures)}))"
        )
    )
    NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert json.loads(printed.strip().splitlines()[-1]) == {
        "participants": 30,
        "synthetic": True,
        "figures": ["facets", "indices", "survey"],
    }


def facilitator_command(port: int) -> tuple[list[str], dict[str, str]]:
    """The `make facilitator` recipe, as an argument list and its environment."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("facilitator:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().removesuffix("\\").strip())
    # The recipe's own settings (`NAME ?= value`), then what a test run puts in their place.
    variables = dict(re.findall(r"^([A-Z_]+) \?= (.*)$", "\n".join(lines), flags=re.M))
    variables |= {
        "CURDIR": str(ROOT),
        "BIN": str(Path(sys.executable).parent),
        "FACILITATOR_PORT": str(port),
    }
    command = re.sub(r"\$\(([A-Z_]+)\)", lambda used: variables[used.group(1)], " ".join(recipe))
    words = shlex.split(command)
    environment = dict(os.environ)
    while "=" in words[0] and not words[0].startswith("-"):
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    return words, environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, response.getheader("Location") or "", body
    finally:
        connection.close()


def test_the_make_target_serves_the_notebook_locally_with_a_token() -> None:
    """`make facilitator` runs Voilà (behind assess's guard) on 127.0.0.1:8867 with a token, its
    own port, no retries, and the quiz's page template (no outside requests)."""
    words, environment = facilitator_command(8867)
    assert words[1:4] == ["-m", "assess.app.facilitator_server", "facilitator/cohort.ipynb"]
    assert "--VoilaConfiguration.template=assess" in words
    assert (
        "--VoilaExporter.filters=assess_page_texts=assess.hosting.page_texts.assess_page_texts"
        in (words)
    )  # the page template's scripts say their words (data/i18n/page.yaml)
    assert "--token" in words and "--Voila.ip=127.0.0.1" in words
    assert "--VoilaExecutor.timeout=30" in words  # the Makefile's setting, expanded
    assert "--port=8867" in words and "--Voila.port_retries=0" in words
    assert environment["JUPYTER_PATH"] == str(ROOT / "src" / "assess" / "hosting" / "jupyter")


@contextlib.contextmanager
def facilitator_server(
    port: int, environment: dict[str, str], *, terminal: bool
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The `make facilitator` recipe running, with its standard output (and error) on a pipe
    or a terminal (a pseudo-terminal, as `make` run by a person has), in a session of its own;
    yields the server and what it wrote until Voilà said it was running."""
    words, command_environment = facilitator_command(port)
    command_environment.pop("QUERY_STRING", None)
    command_environment.pop("JUPYTER_TOKEN", None)
    command_environment.update(environment)
    reader, writer = pty.openpty() if terminal else os.pipe()
    server = subprocess.Popen(
        words,
        cwd=ROOT,
        env=command_environment,
        stdin=subprocess.DEVNULL,
        stdout=writer,
        stderr=writer,
        start_new_session=True,
    )
    os.close(writer)
    chunks: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # a pseudo-terminal whose other end has closed
                chunk = b""
            chunks.put(chunk.decode("utf-8", "replace"))
            if not chunk:
                return

    threading.Thread(target=pump, daemon=True).start()
    output = ""
    try:
        deadline = time.monotonic() + 120
        while "running at" not in output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "Voilà did not start:\n" + output
            chunk = chunks.get(timeout=remaining)
            assert chunk, "Voilà stopped:\n" + output
            output += chunk
        yield server, output
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
            server.kill()
            server.wait(timeout=30)
        os.close(reader)


@pytest.mark.slow
def test_the_facilitator_server_refuses_requests_without_the_token() -> None:
    """A real Voilà from the make recipe: no token or a wrong one is sent to the login page
    (the kernel API is refused too); the right token gets the page with the view."""
    port = free_port()
    token = secrets.token_hex(24)
    with facilitator_server(port, {"JUPYTER_TOKEN": token}, terminal=False) as (_, output):
        assert token not in output, "the token must not be logged"

        status, location, body = get(port, "/")
        assert status in (302, 403) and "/login" in location
        assert "widget-view" not in body
        status, location, _ = get(port, "/?token=" + secrets.token_hex(24))
        assert status in (302, 403)
        status, _, _ = get(port, "/api/kernels")
        assert status in (302, 403)
        status, _, _ = get(port, "/voila/render/cohort.ipynb")
        assert status in (302, 403, 404)

        status, _, body = get(port, "/?token=" + token)
        assert status == 200
        assert "application/vnd.jupyter.widget-view+json" in body
        assert 'id="assess-page-texts"' in body  # its page scripts' words, from the recipe
        assert "Traceback" not in body
        status, _, body = get(port, "/", headers={"Authorization": f"token {token}"})
        assert status == 200


@pytest.mark.slow
def test_without_a_token_given_the_terminal_shows_the_link_to_log_in_with() -> None:
    """`make facilitator` with no $JUPYTER_TOKEN, in a terminal: the link with a new token is
    printed there once, the log lines never carry it, the link opens the view, and a wrong
    token is still refused."""
    port = free_port()
    with facilitator_server(port, {}, terminal=True) as (_, output):
        links = re.findall(rf"http://127\.0\.0\.1:{port}/\?token=([0-9a-f]+)", output)
        assert len(links) == 1, output
        token = links[0]
        assert len(token) >= 32 and output.count(token) == 1
        status, _, body = get(port, "/?token=" + token)
        assert status == 200 and "application/vnd.jupyter.widget-view+json" in body
        status, location, _ = get(port, "/?token=" + secrets.token_hex(24))
        assert status in (302, 403) and "/login" in location


def test_without_a_token_or_a_terminal_the_server_does_not_start() -> None:
    """Run as a service (no terminal, output to a journal) and no $JUPYTER_TOKEN: a new token
    could be shown to nobody, so one line asks for $JUPYTER_TOKEN and nothing is served."""
    words, environment = facilitator_command(free_port())
    environment.pop("JUPYTER_TOKEN", None)
    ended = subprocess.run(
        words,
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        check=False,
    )
    assert ended.returncode == 2 and ended.stdout == ""
    assert ended.stderr.splitlines() == [
        "error: no terminal to show a new login token on; set JUPYTER_TOKEN, e.g. "
        "JUPYTER_TOKEN=$(openssl rand -hex 24)"
    ]
