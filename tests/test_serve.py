"""`assess serve`: the Voilà command it builds, and the hosted quiz it runs.

The first half checks the command as data (fast, nothing started).  The second half starts real
servers on free ports of 127.0.0.1 (marked `server`) and visits them at the protocol level:
preheated kernels still honour ``?lang=``, the kernel cap answers with the busy page, closed
tabs and idle kernels are freed, a base URL works behind a proxy, and a whole quiz leaves no
answer or result code in the server's log.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from fresh_quiz import refusing, take_the_quiz
from tornado import web
from voila.app import Voila
from voila_client import QuizVisit, english_welcome, get_page, shutdown_beacon
from voila_server import REPO, ServerStartError, free_port, running, serve_command
from wheels import build_wheel, new_environment, outside_any_checkout, wheel_files

from assess.app.cli import main
from assess.datafiles import shipped as datafiles
from assess.datafiles.compiled import document_if_current
from assess.hosting.kernel_cap import CappedKernelManager
from assess.hosting.serve import (
    KERNEL_MANAGER,
    MIN_IOPUB_TIMEOUT,
    ServeError,
    ServeOptions,
    compile_bytecode,
    find_root,
    normalise_base_url,
    packaged_root,
    read_settings,
    voila_command,
    voila_config,
    voila_environment,
)
from assess.hosting.voila_page import keep_errors_off_the_page
from assess.hosting.voila_private import VOILA_MANAGERS

TIMEOUT = 60.0
QUIZ_FILES = packaged_root()  # the notebook, voila.json and template the package ships

# --- the command, as data ----------------------------------------------------------------------


def _parsed(command: list[str]) -> dict[str, dict[str, str]]:
    """What Voilà's own command-line parser makes of the options (values as text)."""
    app = Voila()
    app.parse_command_line(command[4:])
    return {
        section: {name: str(value) for name, value in values.items()}
        for section, values in app.config.items()
    }


def _fake_root(tmp_path: Path, settings: dict[str, dict[str, object]]) -> Path:
    (tmp_path / "quiz.ipynb").write_text("{}")
    (tmp_path / "voila.json").write_text(json.dumps(settings))
    return tmp_path


def test_the_command_serves_the_quiz_notebook_alone_with_voila_json_settings() -> None:
    """Every setting of voila.json reaches Voilà, except those a hosting option replaces."""
    settings = read_settings(QUIZ_FILES)
    options = ServeOptions()
    command = voila_command(options, QUIZ_FILES, python="python")
    assert command[:4] == ["python", "-m", "assess.hosting.guard", "quiz.ipynb"]
    parsed = _parsed(command)
    replaced = {("Voila", "ip"), ("Voila", "port"), ("Voila", "open_browser")}
    for section, values in settings.items():
        for name, value in values.items():
            if (section, name) in replaced:
                continue
            expected = str(value).lower()
            assert parsed[section][name].lower() == expected, f"{section}.{name}"


def test_hosting_options_are_on_voilas_command_line() -> None:
    """Address, port, base URL, preheated pool, culling and the cap, as Voilà reads them."""
    options = ServeOptions(
        ip="0.0.0.0", port=9000, base_url="quiz", preheat=3, cull_idle=120, max_kernels=25
    )
    parsed = _parsed(voila_command(options, QUIZ_FILES))
    assert parsed["Voila"]["ip"] == "0.0.0.0"
    assert parsed["Voila"]["port"] == "9000"
    assert parsed["Voila"]["port_retries"] == "0"
    assert parsed["Voila"]["base_url"] == "/quiz/"
    assert parsed["Voila"]["log_level"] == "INFO"
    assert parsed["VoilaConfiguration"]["preheat_kernel"] == "True"
    assert parsed["VoilaConfiguration"]["default_pool_size"] == "3"
    assert parsed["VoilaConfiguration"]["multi_kernel_manager_class"] == KERNEL_MANAGER
    assert parsed["MappingKernelManager"]["cull_idle_timeout"] == "120"
    assert int(parsed["MappingKernelManager"]["cull_interval"]) <= 60
    assert parsed["MappingKernelManager"]["cull_connected"] == "True"
    assert parsed["CappedKernelManager"]["max_kernels"] == "25"
    assert parsed["KernelManager"]["transport"] == "ipc"  # no TCP port races in a burst


def test_the_hardening_holds_whatever_voila_json_says(tmp_path: Path) -> None:
    """Sources stripped, tracebacks hidden, a burst-proof iopub timeout, culling on."""
    root = _fake_root(
        tmp_path,
        {
            "VoilaConfiguration": {"show_tracebacks": True, "strip_sources": False},
            "VoilaExecutor": {"iopub_timeout": 4},
            "MappingKernelManager": {"cull_connected": False},
        },
    )
    config = voila_config(ServeOptions(), read_settings(root))
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["VoilaConfiguration"]["strip_sources"] is True
    assert config["VoilaConfiguration"]["template"] == "assess"
    assert config["VoilaExecutor"]["iopub_timeout"] == MIN_IOPUB_TIMEOUT
    assert config["MappingKernelManager"]["cull_connected"] is True
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 600
    assert config["Voila"]["port"] == 8866


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"port": 0}, "--port 0"),
        ({"port": 70000}, "--port 70000"),
        ({"preheat": -1}, "--preheat -1"),
        ({"cull_idle": 0}, "--cull-idle 0"),
        ({"max_kernels": 0}, "--max-kernels 0"),
        ({"log_level": "DEBUG"}, "answers"),
        ({"base_url": "/a/../b"}, "--base-url"),
        ({"base_url": "/quiz?x=1"}, "--base-url"),
        ({"base_url": "/quiz path/"}, "--base-url"),
        ({"base_url": "/quiz/#x"}, "--base-url"),
    ],
)
def test_options_that_cannot_host_the_quiz_are_refused(
    options: dict[str, object], fragment: str
) -> None:
    """Each refusal names the option and says what would do."""
    with pytest.raises(ServeError, match=fragment.replace("?", r"\?")):
        ServeOptions(**options)  # type: ignore[arg-type]


def test_a_base_url_gets_its_slashes() -> None:
    assert [normalise_base_url(u) for u in ("/", "", "quiz", "/a/b", "/a/b/")] == [
        "/",
        "/",
        "/quiz/",
        "/a/b/",
        "/a/b/",
    ]


def test_the_server_finds_the_template_and_tells_kernels_its_address() -> None:
    """JUPYTER_PATH starts with the package's Jupyter data folder, which holds the template; a
    preheated kernel is told the address to fetch its visitor's request from when it is not
    loopback or any."""
    options = ServeOptions(ip="10.1.2.3")
    env = voila_environment(options, QUIZ_FILES, base={"JUPYTER_PATH": "/x"})
    assert env["JUPYTER_PATH"].split(":") == [str(QUIZ_FILES / "jupyter"), "/x"]
    assert (QUIZ_FILES / "jupyter" / "voila" / "templates" / "assess" / "conf.json").is_file()
    assert env["VOILA_APP_IP"] == "10.1.2.3"
    assert "VOILA_APP_IP" not in voila_environment(ServeOptions(ip="0.0.0.0"), QUIZ_FILES, base={})


def test_a_directory_without_the_quiz_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="--root"):
        find_root(tmp_path)
    assert find_root() == QUIZ_FILES.resolve()  # by default: the installed package's files


def test_the_package_holds_the_only_copy_of_the_notebook_settings_and_template() -> None:
    """notebooks/quiz.ipynb (Binder, JupyterLab) is a link to the notebook `assess serve`
    ships; no second voila.json or page template lies anywhere in the checkout."""
    link = REPO / "notebooks" / "quiz.ipynb"
    assert link.is_symlink() and link.resolve() == (QUIZ_FILES / "quiz.ipynb").resolve()
    skip = {".venv", "node_modules", "build", "dist", ".git", "site", "artifacts"}
    found: dict[str, list[tuple[str, ...]]] = {}
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [name for name in subfolders if name not in skip]
        for name in {"quiz.ipynb", "voila.json", "index.html.j2", "503.html"} & set(files):
            path = Path(folder) / name
            if not path.is_symlink():
                found.setdefault(name, []).append(path.relative_to(REPO).parts[:3])
    assert found == {name: [("src", "assess", "hosting")] for name in found}
    assert len(found) == 4


def test_assess_serve_prints_the_command_it_would_run(capsys: pytest.CaptureFixture[str]) -> None:
    """`--print-command`: one shell line, with the directory and the template path."""
    assert main(["serve", "--print-command", "--port", "9999"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"cd {QUIZ_FILES} && JUPYTER_PATH={QUIZ_FILES / 'jupyter'}")
    assert "-m assess.hosting.guard quiz.ipynb" in line
    assert "--Voila.port=9999" in line


def test_assess_serve_explains_a_bad_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--cull-idle", "0", "--print-command"]) == 1
    assert "--cull-idle 0" in capsys.readouterr().err


def test_assess_serve_refuses_to_start_with_a_broken_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file read only at the results is checked before any visitor arrives, by name."""
    broken = tmp_path / "freelance_actions.yaml"
    broken.write_text("format: assess-actions/1\nactions: [{id: a1}]\n", encoding="utf-8")
    paths = [p for p in datafiles.shipped_data_paths() if p.name != broken.name] + [broken]
    monkeypatch.setattr(datafiles, "shipped_data_paths", lambda: paths)
    assert main(["serve", "--print-command"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(broken) in captured.err and "Not serving" in captured.err


def test_every_data_file_the_quiz_reads_is_checked_before_serving() -> None:
    """The list `assess serve` checks holds every shipped file the quiz can open."""
    checked = {path.resolve() for path in datafiles.shipped_data_paths()}
    assert checked == {path.resolve() for path in (REPO / "data").rglob("*.yaml")}


def test_serving_writes_the_packages_bytecode_once_for_every_kernel(tmp_path: Path) -> None:
    """Even where PYTHONDONTWRITEBYTECODE is set: every module gets its .pyc."""
    package = tmp_path / "quizpkg"
    (package / "ui").mkdir(parents=True)
    for module in ("__init__.py", "model.py", "ui/__init__.py", "ui/quiz.py"):
        (package / module).write_text("VALUE = 1\n", encoding="utf-8")
    assert compile_bytecode(package) is True
    for module in package.rglob("*.py"):
        assert Path(importlib.util.cache_from_source(str(module))).is_file(), module


def test_a_package_whose_bytecode_cannot_be_written_is_served_as_it_is(tmp_path: Path) -> None:
    package = tmp_path / "quizpkg"
    package.mkdir()
    (package / "model.py").write_text("VALUE = 1\n", encoding="utf-8")
    (package / "__pycache__").write_text("", encoding="utf-8")  # not a folder: nothing fits
    assert compile_bytecode(package) is False


def test_the_kernel_log_keeps_the_error_type_and_drops_its_values() -> None:
    """What a refused widget message leaves in the server log: no value, no traceback."""
    stream = io.StringIO()
    handler = keep_errors_off_the_page(stream)
    try:
        try:
            raise ValueError("the secret answer 4")
        except ValueError:
            logging.getLogger("ipykernel.comm").error("Exception in comm_msg", exc_info=True)
    finally:
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    assert "ValueError" in text and "details withheld" in text
    assert "secret" not in text and "Traceback" not in text


def test_the_cap_counts_kernels_handed_out_by_the_preheat_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Voilà's pool subclasses the capped manager; the cap guards its hand-over too."""

    class VoilaKernelManager(CappedKernelManager):
        __module__ = VOILA_MANAGERS  # what Voilà's factory makes, without its kernels

        async def get_rendered_notebook(self, notebook_name: str) -> tuple[str, list[str], str]:
            return ("render", [], f"kernel-of-{notebook_name}")

        def get_pool_size(self, notebook_name: str) -> int:
            return 1

    pool = VoilaKernelManager(max_kernels=1)
    pool._pools = {}  # type: ignore[attr-defined]
    monkeypatch.setattr(pool, "list_kernel_ids", lambda: ["kernel-of-quiz"])
    kernel = SimpleNamespace(last_activity=None)
    monkeypatch.setattr(pool, "get_kernel", lambda _kernel_id: kernel)

    async def visits() -> None:
        assert (await pool.get_rendered_notebook("quiz"))[2] == "kernel-of-quiz"
        with pytest.raises(web.HTTPError) as busy:
            await pool.get_rendered_notebook("quiz")
        assert busy.value.status_code == 503

    asyncio.run(visits())
    assert pool.visitor_kernels == 1
    assert kernel.last_activity is not None  # its idle time starts with the visit


# --- real servers ------------------------------------------------------------------------------


@contextmanager
def _serve(tmp_path: Path, *options: str, base_url: str = "/") -> Iterator[str]:
    """`assess serve` with `options` on a free port; its log in tmp_path/server.log."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{base_url}"
    log = tmp_path / "server.log"
    try:
        with running(serve_command(port, *options), url, log):
            yield url
    except ServerStartError as error:
        pytest.fail(str(error))


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _kernel_exists(base_url: str, kernel_id: str) -> bool:
    return _status(f"{base_url}api/kernels/{kernel_id}")[0] == 200


@pytest.mark.server
def test_preheated_kernels_open_in_the_language_the_visitor_asked_for(tmp_path: Path) -> None:
    """With a warm pool the notebook has run before the visit; ?lang= still decides."""
    # Every visitor of these tests comes from 127.0.0.1: that address may hold all the kernels.
    with _serve(tmp_path, "--preheat=1", "--max-kernels=6", "--kernels-per-address=6") as url:

        async def visits() -> list[str]:
            shown = []
            for language in ("en", "ja", "en"):
                visit = QuizVisit(url, language=language, timeout=TIMEOUT)
                await visit.open()
                shown.append(
                    "en"
                    if visit.button("welcome.start").state["description"]
                    == QuizVisit(url, "en").text("welcome.start")
                    else "ja"
                )
                await visit.leave()
            return shown

        assert asyncio.run(visits()) == ["en", "ja", "en"]
    assert "Using pre-heated kernel" in (tmp_path / "server.log").read_text()


@pytest.mark.server
@pytest.mark.parametrize("preheat", [0, 1])
def test_a_visitor_over_the_cap_gets_the_busy_page(tmp_path: Path, preheat: int) -> None:
    """Two kernels allowed: the third visitor reads 'busy' (HTTP 503, both languages); once a
    tab is closed (its beacon frees the kernel) the next visitor gets the quiz."""
    options = ("--max-kernels=2", "--kernels-per-address=2", f"--preheat={preheat}")
    with _serve(tmp_path, *options) as url:

        async def visits() -> None:
            first = await get_page(url, timeout=TIMEOUT)
            second = await get_page(url, timeout=TIMEOUT)
            assert (first.status, second.status) == (200, 200)
            busy = await get_page(url, timeout=TIMEOUT)
            assert busy.status == 503
            assert "混み合っています" in busy.body and "busy right now" in busy.body
            assert "Traceback" not in busy.body and "kernel" not in busy.body.lower()
            assert first.kernel_id
            assert await shutdown_beacon(url, first.kernel_id, cookie=first.cookie) == 204
            assert not _kernel_exists(url, first.kernel_id)
            again = await get_page(url, timeout=TIMEOUT)
            assert again.status == 200

        asyncio.run(visits())
    assert "Turned a visitor away: 2 of 2 kernels in use" in (tmp_path / "server.log").read_text()


@pytest.mark.server
def test_kernels_of_tabs_left_without_a_beacon_are_culled(tmp_path: Path) -> None:
    """A visitor whose beacon was lost: the kernel goes once idle for --cull-idle seconds."""
    with _serve(tmp_path, "--cull-idle=2") as url:

        async def visit_and_vanish() -> str:
            visit = QuizVisit(url, timeout=TIMEOUT)
            await visit.open()
            await visit.start()
            await visit.close()  # no beacon
            assert visit.page is not None and visit.page.kernel_id
            return visit.page.kernel_id

        kernel_id = asyncio.run(visit_and_vanish())
        deadline = time.monotonic() + 30
        while _kernel_exists(url, kernel_id) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _kernel_exists(url, kernel_id)


@pytest.mark.server
def test_the_quiz_works_under_a_reverse_proxy_prefix(tmp_path: Path) -> None:
    """--base-url /quiz/: page, websocket and widgets under the prefix; nothing at /."""
    with _serve(tmp_path, "--base-url=/quiz/", base_url="/quiz/") as url:

        async def visit() -> str | None:
            quiz = QuizVisit(url, language="en", timeout=TIMEOUT)
            await quiz.open()
            await quiz.start()
            code = await quiz.finish()
            await quiz.leave()
            return code

        assert asyncio.run(visit())
        assert _status(url.removesuffix("quiz/"))[0] == 404


@pytest.mark.server
def test_a_whole_quiz_leaves_no_answer_in_the_server_log(tmp_path: Path) -> None:
    """Every answer, the profile, the result code: none of it is in the log, in either
    language; the log does say that kernels started."""
    with _serve(tmp_path) as url:

        async def visits() -> list[QuizVisit]:
            done = []
            for language in ("ja", "en"):
                visit = QuizVisit(url, language=language, timeout=TIMEOUT)
                await visit.open()
                await visit.start()
                await visit.finish()
                await visit.leave()
                done.append(visit)
            return done

        visits_done = asyncio.run(visits())
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Kernel started" in log
    secrets: set[str] = set()
    for visit in visits_done:
        secrets.add(str(visit.result_code()))
        for message in visit.session.messages:
            data = message.get("content", {}).get("data", {})
            state = data.get("state", {}) if isinstance(data, dict) else {}
            for label in state.get("_options_labels", []):
                if len(label) >= 4:
                    secrets.add(label)
    from assess.datafiles.instrument import default_instrument_path, load_instrument

    instrument = load_instrument(default_instrument_path())
    secrets |= {item.id for item in instrument.items}
    secrets |= {question.id for question in instrument.profile}
    leaked = sorted(secret for secret in secrets if secret in log)
    assert leaked == []
    for fragment in ('"method"', '"state"', '"index"', "comm_msg", "buffer_paths"):
        assert fragment not in log


# --- an installed package, far from any checkout -----------------------------------------------


@pytest.mark.slow
@pytest.mark.server
def test_an_installed_wheel_serves_the_quiz_from_any_folder(tmp_path: Path) -> None:
    """The wheel carries the notebook, voila.json, the template and every data file compiled to
    JSON; installed with [app] into a new environment, it runs the quiz without PyYAML, and
    `assess serve` started in an unrelated folder serves the quiz with its template and
    settings."""
    wheel = build_wheel(tmp_path).wheel
    files = wheel_files(wheel)
    for name in ("quiz.ipynb", "voila.json", "jupyter/voila/templates/assess/index.html.j2"):
        assert f"assess/hosting/{name}" in files, name
    shipped_yaml = [name for name in files if name.endswith(".yaml")]
    assert len(shipped_yaml) == len(list((REPO / "data").rglob("*.yaml")))
    for name in shipped_yaml:
        text = files[name].decode("utf-8")
        compiled = files[name.removesuffix(".yaml") + ".json"].decode("utf-8")
        assert document_if_current(compiled, text) is not None, name

    venv = tmp_path / "venv"
    python = str(new_environment(venv, f"{wheel}[app]"))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = outside_any_checkout(tmp_path, venv)
    lines = take_the_quiz(
        before=refusing("yaml"),
        after_start="import assess; print(assess.__file__, sorted(set(refused)))",
        python=python,
        cwd=elsewhere,
    )
    package, _, refused = lines[0].partition(" ")
    assert package.startswith(str(venv)) and refused == "[]"

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [str(venv / "bin" / "assess"), "serve", f"--port={port}"]
    try:
        with running(command, url, tmp_path / "server.log", env=env, cwd=elsewhere):
            body, start = english_welcome(url, timeout=TIMEOUT)
    except ServerStartError as error:
        pytest.fail(str(error))
    assert start == QuizVisit(url, language="en").text("welcome.start")
    assert "cdn.jsdelivr.net" not in body and "font-awesome" not in body  # the assess template
    assert '<html lang="ja">' in body  # voila.json's VoilaExporter.language_code
    assert 'id="assess-page-texts"' in body  # the page scripts' words: voila.json's filters
    assert list(elsewhere.iterdir()) == []
