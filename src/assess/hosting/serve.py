"""``assess serve``: the quiz alone on standalone Voilà, set up for hosting.

What it runs is Voilà's own command line, built here from ``voila.json`` (the settings ``make
quiz`` and the browser tests use: the ``assess`` template, sources stripped, no tracebacks, a 60 s
``iopub_timeout``, idle culling) with the hosting options on top.

The quiz notebook, ``voila.json`` and the page template ship inside this package (this folder:
``quiz.ipynb``, ``voila.json``, ``jupyter/voila/templates/assess/``), so that ``pip install
'assess[app]'`` followed by ``assess serve`` works in any folder; a checkout's
``notebooks/quiz.ipynb`` is a link to the same file.  The hosting options:

- ``--ip``/``--port``/``--base-url``: where it listens and the path prefix of a reverse proxy;
- ``--preheat N``: N kernels kept warm with the notebook already run (Voilà's
  ``preheat_kernel``/``default_pool_size``); the quiz then waits in
  :func:`assess.hosting.voila_page.query_string` for its visitor's ``?lang=``.  A kernel taken from
  the
  pool is replaced ``--refill-after`` seconds later (not Voilà's 1 s, which puts N kernel starts
  in the middle of a burst); visitors who find no warm kernel get one started at once;
- ``--cull-idle SECONDS``: idle kernels (closed tabs) are shut down after that long;
- ``--max-kernels N``: at most N visitors hold a kernel; the next one gets the "busy" page
  (HTTP 503, :mod:`assess.hosting.kernel_cap`) instead of a page that never shows its widgets;
- the log: Voilà at INFO or WARNING, never DEBUG (debug logs carry message contents); widget
  messages are not logged, and the kernel logs its errors without values
  (:func:`assess.hosting.voila_page.keep_errors_off_the_page`).

Only the quiz notebook is served (single-notebook mode: no other notebook can be rendered, and
``/voila/files/`` gives images only).  The page's shutdown beacon, which Voilà sends without an
XSRF token, is accepted (``disable_check_xsrf``), so that a closed tab frees its kernel at once;
it shuts down only a kernel of the browser that sends it (:mod:`assess.hosting.guard`: Voilà
runs with the guards of a hosted quiz, ``--kernels-per-address``, ``--allowed-host`` and
``--trusted-proxy`` among their settings).

This module builds the command and its environment as plain data (tested without starting
anything); :func:`run` writes the package's bytecode (:func:`compile_bytecode`), then replaces
the current process with Voilà.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

QUIZ_NOTEBOOK = Path("quiz.ipynb")
SETTINGS_FILE = "voila.json"
TEMPLATES = Path("jupyter")
"""A Jupyter data folder (an entry of JUPYTER_PATH): Voilà finds the ``assess`` page template in
its ``voila/templates/assess/``."""
KERNEL_MANAGER = "assess.hosting.kernel_cap.CappedKernelManager"
GUARDED_VOILA = "assess.hosting.guard"
"""Voilà's application with the guards of a hosted quiz (:mod:`assess.hosting.guard`)."""
LOG_LEVELS = ("INFO", "WARNING", "ERROR")
DEFAULT_MAX_KERNELS = 60
"""About 80 MB each at the results (measured: benchmarks/README.md), so about 5 GB at the cap."""
ADDRESS_SHARE = 0.25
"""The share of ``--max-kernels`` one client address may hold at once, unless
``--kernels-per-address`` says otherwise: a share, not a fixed number, so that a few addresses
can never hold a small server's every kernel (three page reads locked a cap-3 server when the
limit was a fixed 10), and a large server still takes a room behind one router."""
DEFAULT_PORT = 8866
DEFAULT_REFILL_AFTER = 120
"""Seconds before Voilà replaces a preheated kernel that a visitor took.  Voilà's own 1 s makes a
burst of N visitors start N kernels while they take the quiz (benchmarks/README.md)."""
MIN_IOPUB_TIMEOUT = 60
"""Under a burst Voilà's default (4 s) leaves pages without widgets (brief: 8 of 30 shown)."""

Settings = dict[str, dict[str, object]]


class ServeError(ValueError):
    """An option, or the folder of the quiz's files, does not allow serving the quiz."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """The hosting options; ``None`` means "as voila.json says"."""

    ip: str = "127.0.0.1"
    port: int | None = None
    base_url: str = "/"
    preheat: int = 0
    cull_idle: int | None = None
    max_kernels: int = DEFAULT_MAX_KERNELS
    log_level: str = "INFO"
    refill_after: int = DEFAULT_REFILL_AFTER
    kernels_per_address: int | None = None
    allowed_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.port is not None and not 1 <= self.port <= 65535:
            raise ServeError(f"--port {self.port}: a port is between 1 and 65535")
        if self.preheat < 0:
            raise ServeError(f"--preheat {self.preheat}: the number of warm kernels is 0 or more")
        if self.cull_idle is not None and self.cull_idle < 1:
            raise ServeError(
                f"--cull-idle {self.cull_idle}: give the seconds after which an idle kernel is "
                "shut down (1 or more); a hosted quiz must free the kernels of closed tabs"
            )
        if self.refill_after < 0:
            raise ServeError(f"--refill-after {self.refill_after}: seconds, 0 or more")
        if self.max_kernels < 1:
            raise ServeError(f"--max-kernels {self.max_kernels}: allow at least 1 visitor")
        per_address = self.kernels_per_address
        if per_address is not None and per_address < 1:
            raise ServeError(f"--kernels-per-address {per_address}: allow at least 1 kernel")
        for host in self.allowed_hosts:
            if not _HOST.match(host):
                raise ServeError(f"--allowed-host {host!r}: a host name such as quiz.example.org")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                raise ServeError(
                    f"--trusted-proxy {proxy!r}: the proxy's IP address, e.g. 127.0.0.1"
                ) from None
        if self.log_level not in LOG_LEVELS:
            raise ServeError(
                f"--log-level {self.log_level}: one of {', '.join(LOG_LEVELS)} "
                "(DEBUG would write message contents, i.e. answers, to the log)"
            )
        normalise_base_url(self.base_url)


def kernels_per_address(options: ServeOptions) -> int:
    """Kernels one address may hold: as given, else :data:`ADDRESS_SHARE` of the cap.

    >>> kernels_per_address(ServeOptions(max_kernels=3)), kernels_per_address(ServeOptions())
    (1, 15)
    >>> kernels_per_address(ServeOptions(max_kernels=3, kernels_per_address=3))
    3
    """
    if options.kernels_per_address is not None:
        return options.kernels_per_address
    return max(1, math.floor(options.max_kernels * ADDRESS_SHARE))


_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$")
_BASE_URL = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")


def normalise_base_url(text: str) -> str:
    """The path prefix a reverse proxy serves the quiz under, with its slashes.

    >>> normalise_base_url("quiz"), normalise_base_url("/quiz"), normalise_base_url("/")
    ('/quiz/', '/quiz/', '/')
    >>> normalise_base_url("/a/../b")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    assess.hosting.serve.ServeError: --base-url '/a/../b': a path such as /quiz/ (letters, ...
    """
    url = "/" + text.strip("/") + "/" if text.strip("/") else "/"
    segments = [s for s in url.split("/") if s]
    if not _BASE_URL.match(url) or any(s in {".", ".."} for s in segments):
        raise ServeError(f"--base-url {text!r}: a path such as /quiz/ (letters, digits, . _ ~ -)")
    return url


def packaged_root() -> Path:
    """The folder of the installed package that holds the quiz notebook, voila.json and the page
    template (for an editable install: src/assess/hosting of the checkout)."""
    return Path(__file__).resolve().parent


def find_root(start: Path | None = None) -> Path:
    """The folder that holds the quiz notebook, voila.json and the page template: `start`
    (``--root``, e.g. a copy with other settings) or, by default, the installed package's."""
    candidate = packaged_root() if start is None else start
    if (candidate / QUIZ_NOTEBOOK).is_file() and (candidate / SETTINGS_FILE).is_file():
        return candidate.resolve()
    raise ServeError(
        f"no {QUIZ_NOTEBOOK} with {SETTINGS_FILE} beside it in {candidate}: pass --root a folder "
        f"that holds both (and {TEMPLATES}/voila/templates/assess/), or leave --root out to "
        "serve the installed package's"
    )


def read_settings(root: Path) -> Settings:
    """voila.json in `root`, as ``{section: {name: value}}``."""
    path = root / SETTINGS_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ServeError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(document, dict) or not all(
        isinstance(section, dict) for section in document.values()
    ):
        raise ServeError(f"{path}: expected sections of settings, e.g. {{'Voila': {{...}}}}")
    return {str(name): dict(section) for name, section in document.items()}


def voila_config(options: ServeOptions, settings: Mapping[str, Mapping[str, object]]) -> Settings:
    """voila.json with the hosting options on top: the whole configuration Voilà runs with."""
    config: Settings = {name: dict(section) for name, section in settings.items()}

    def section(name: str) -> dict[str, object]:
        return config.setdefault(name, {})

    voila = section("Voila")
    voila["ip"] = options.ip
    voila["port"] = options.port or _int(voila.get("port"), DEFAULT_PORT)
    voila["port_retries"] = 0  # a busy port is an error, not a surprise port behind the proxy
    voila["base_url"] = normalise_base_url(options.base_url)
    voila["open_browser"] = False
    voila["log_level"] = options.log_level
    voila["tornado_settings"] = {"disable_check_xsrf": True}

    page = section("VoilaConfiguration")
    page.setdefault("template", "assess")
    page["strip_sources"] = True
    page["show_tracebacks"] = False
    page["multi_kernel_manager_class"] = KERNEL_MANAGER
    page["preheat_kernel"] = options.preheat > 0
    page["default_pool_size"] = options.preheat
    if options.preheat:
        page["progressive_rendering"] = False  # Voilà refuses both at once
        section("VoilaKernelManager")["fill_delay"] = options.refill_after

    executor = section("VoilaExecutor")
    executor["iopub_timeout"] = max(_int(executor.get("iopub_timeout"), 0), MIN_IOPUB_TIMEOUT)

    kernels = section("MappingKernelManager")
    cull_idle = options.cull_idle or _int(kernels.get("cull_idle_timeout"), 600)
    kernels["cull_idle_timeout"] = cull_idle
    kernels["cull_interval"] = max(1, min(_int(kernels.get("cull_interval"), 60), cull_idle // 2))
    kernels["cull_connected"] = True  # a tab left open still frees its kernel when idle

    section("CappedKernelManager")["max_kernels"] = options.max_kernels
    guard = section("AssessGuard")  # assess.hosting.guard
    per_address = kernels_per_address(options)
    guard["kernels_per_address"] = per_address
    guard["starts_per_minute"] = max(_int(guard.get("starts_per_minute"), 0), 2 * per_address)
    if options.allowed_hosts:
        guard["allowed_hosts"] = ",".join(options.allowed_hosts)
    if options.trusted_proxies:
        guard["trusted_proxies"] = ",".join(options.trusted_proxies)
    # Kernels on Unix sockets in Voilà's private connection directory, not on TCP ports of
    # 127.0.0.1: with TCP, a kernel started in a burst can find its port taken by another
    # connection (ZMQError "Address already in use": a visitor without a page, measured), and
    # any local user could reach the port.
    section("KernelManager")["transport"] = "ipc"
    return config


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _arguments(section: str, name: str, value: object) -> list[str]:
    if isinstance(value, Mapping):
        # traitlets reads a Dict trait from the command line as key=value items, one an
        # option: the option given once for each (the page template's filters, say).
        return [f"--{section}.{name}={key}={_argument_value(item)}" for key, item in value.items()]
    return [f"--{section}.{name}={_argument_value(value)}"]


def _argument_value(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float | str):
        return str(value)
    raise ServeError(f"cannot pass {value!r} on Voilà's command line")


def voila_arguments(config: Mapping[str, Mapping[str, object]]) -> list[str]:
    """The configuration as Voilà command-line options, one per setting."""
    return [
        argument
        for section, values in config.items()
        for name, value in values.items()
        for argument in _arguments(section, name, value)
    ]


def voila_command(options: ServeOptions, root: Path, *, python: str = sys.executable) -> list[str]:
    """The command that serves the quiz, to be run in `root`."""
    config = voila_config(options, read_settings(root))
    return [python, "-m", GUARDED_VOILA, str(QUIZ_NOTEBOOK), *voila_arguments(config)]


def voila_environment(
    options: ServeOptions, root: Path, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of the server (and so of its kernels)."""
    env = dict(os.environ if base is None else base)
    templates = str(root / TEMPLATES)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (templates, env.get("JUPYTER_PATH")) if p)
    # A preheated kernel asks the server for its visitor's request over a websocket to
    # VOILA_APP_IP (default 127.0.0.1); a server bound to one other address must say which.
    if options.ip not in {"", "0.0.0.0", "::", "localhost"}:
        env["VOILA_APP_IP"] = options.ip
    env["PYTHONUNBUFFERED"] = "1"  # log lines in order, as they happen
    return env


def describe(options: ServeOptions, root: Path) -> str:
    """One paragraph for the terminal: where the quiz is and what it runs with."""
    config = voila_config(options, read_settings(root))
    voila = config["Voila"]
    kernels = config["MappingKernelManager"]
    host = "127.0.0.1" if options.ip in {"", "0.0.0.0", "::"} else options.ip
    warm = f"{options.preheat} kernel(s) kept warm" if options.preheat else "no preheated kernels"
    return (
        f"Serving the quiz at http://{host}:{voila['port']}{voila['base_url']} "
        f"({warm}; at most {options.max_kernels} visitors at once; idle kernels shut down "
        f"after {kernels['cull_idle_timeout']} s). Stop with Ctrl-C."
    )


def compile_bytecode(package: Path | None = None) -> bool:
    """Write this package's bytecode once, before any kernel imports it; True when all of it
    could be written.

    A wheel installed by pip comes compiled, but an editable install, or an image built with
    ``PYTHONDONTWRITEBYTECODE=1`` (common in Dockerfiles), leaves every kernel to compile the
    quiz's modules again: ~50 ms of CPU per visitor, a third of what the quiz adds to a blank
    kernel's start (benchmarks/README.md).  A package folder that cannot be written is left
    as it is."""
    import compileall

    folder = package or Path(__file__).resolve().parents[1]
    return bool(compileall.compile_dir(folder, quiet=2, workers=1))


def run(options: ServeOptions, root: Path) -> NoReturn:  # pragma: no cover - replaces the process
    """Become the Voilà server (signals reach Voilà directly, as under systemd or Docker)."""
    command = voila_command(options, root)
    env = voila_environment(options, root)
    compile_bytecode()
    print(describe(options, root), file=sys.stderr, flush=True)
    os.chdir(root)
    os.execve(command[0], command, env)


def shell_line(command: Sequence[str], env: Mapping[str, str], root: Path) -> str:
    """The command as one line for a shell, with the variables it needs (for --print)."""
    import shlex

    variables = [
        f"{key}={shlex.quote(env[key])}" for key in ("JUPYTER_PATH", "VOILA_APP_IP") if key in env
    ]
    return f"cd {shlex.quote(str(root))} && " + " ".join(
        [*variables, *(shlex.quote(part) for part in command)]
    )
