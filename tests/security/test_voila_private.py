"""Each hook of the hosted quiz's guard into Voilà's, Jupyter's or IPython's private insides
(:mod:`assess.hosting.voila_private`) still finds what it depends on in the installed versions,
and refuses loudly (no server, a clear exception) when that has moved: a silent fallback would
switch a guard off (the kernel cap, tracebacks kept off the page, a handler unguarded)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from traitlets.config import Configurable
from voila import app as voila_app  # type: ignore[import-untyped]
from voila.voila_kernel_manager import voila_kernel_manager_factory  # type: ignore[import-untyped]

from assess.hosting import voila_private
from assess.hosting.guard_handlers import wrap_handlers
from assess.hosting.kernel_cap import CappedKernelManager
from assess.hosting.serve import packaged_root
from assess.hosting.voila_private import (
    VOILA_MANAGERS,
    VOILA_START_SHAPE,
    VoilaMovedError,
    handler_kinds,
    is_preheat_pool,
    kernel_process,
    pool_of,
    start_guarded,
    start_shape,
    withhold_tracebacks,
)

# --- Voila.start ------------------------------------------------------------------------------


def test_voilas_start_is_the_one_the_guard_copies() -> None:
    """The installed Voilà's start() is, statement for statement, the one copied."""
    assert start_shape(voila_app.Voila.start) == VOILA_START_SHAPE


def test_a_changed_start_is_refused_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Voilà whose start() differs: no server, an exception naming the hook."""

    def start(self: Any) -> None:
        self.listen()

    monkeypatch.setattr(voila_app.Voila, "start", start)
    app = SimpleNamespace(init_settings=lambda: pytest.fail("ran a changed start"))
    with pytest.raises(VoilaMovedError, match=r"Voila\.start changed"):
        start_guarded(
            app,
            application_class=object,
            guard_settings=dict,
            wrap_handlers=lambda handlers: handlers,
            before_listen=lambda: None,
        )


# --- the preheat pool -------------------------------------------------------------------------


class _Parent(Configurable):
    """What Voilà's pool reads of its application: a folder without notebooks to preheat."""

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root_dir = root
        self.notebook_path = None


def test_voilas_preheat_pool_is_recognised_and_gets_the_cap() -> None:
    """Voilà's factory turns the capped manager into its pool: the cap wraps its hand-over,
    and the pool's entries are where the cap reads them."""
    pool_class = voila_kernel_manager_factory(
        CappedKernelManager, preheat_kernel=True, default_pool_size=1
    )
    assert is_preheat_pool(pool_class)
    for name in voila_private.POOL_METHODS:
        assert "CappedKernelManager.__init_subclass__" in getattr(pool_class, name).__qualname__
    with tempfile.TemporaryDirectory() as root:
        pool = pool_class(parent=_Parent(root))
        assert pool_of(pool, "quiz.ipynb") == []
        pool._pools["quiz.ipynb"] = entries = ["entry"]
        assert pool_of(pool, "quiz.ipynb") is entries


def test_voilas_plain_manager_is_not_a_pool() -> None:
    """Without preheating, Voilà's class is left as it is."""
    plain = voila_kernel_manager_factory(
        CappedKernelManager, preheat_kernel=False, default_pool_size=0
    )
    assert not is_preheat_pool(plain)


@pytest.mark.parametrize(
    ("name", "methods"),
    [
        ("VoilaKernelManager", ("get_pool_size",)),  # the hand-over renamed
        ("VoilaKernelManager", ("get_rendered_notebook",)),  # the pool's size renamed
        ("PooledKernelManager", ("get_rendered_notebook", "get_pool_size")),  # a new class
    ],
)
def test_a_pool_that_moved_is_refused(name: str, methods: tuple[str, ...]) -> None:
    """A pool class of Voilà's without what the cap wraps: refused when it is made."""

    async def method(self: Any, *args: Any) -> Any:
        return None

    namespace: dict[str, Any] = {"__module__": VOILA_MANAGERS, **dict.fromkeys(methods, method)}
    with pytest.raises(VoilaMovedError):
        type(name, (CappedKernelManager,), namespace)


def test_a_pool_without_its_entries_is_refused() -> None:
    """No ``_pools``: an error, not an empty pool (which would switch the cap's order off)."""
    with pytest.raises(VoilaMovedError, match="_pools"):
        pool_of(SimpleNamespace(), "quiz.ipynb")


# --- IPython's traceback ----------------------------------------------------------------------


def test_every_traceback_of_ipythons_shell_goes_through_the_hook() -> None:
    """A real shell's showtraceback reaches the replacement: nothing is printed."""
    program = """
from IPython.core.interactiveshell import InteractiveShell
from assess.hosting.voila_private import withhold_tracebacks
shell = InteractiveShell.instance()
seen = []
withhold_tracebacks(shell, lambda etype, value, stb: seen.append(etype.__name__))
try:
    1 / 0
except ZeroDivisionError:
    shell.showtraceback()
print(seen)
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "['ZeroDivisionError']"
    assert "Traceback" not in result.stdout + result.stderr


def test_a_shell_without_the_traceback_hook_is_refused() -> None:
    with pytest.raises(VoilaMovedError, match="_showtraceback"):
        withhold_tracebacks(SimpleNamespace(showtraceback=print), lambda *args: None)


# --- the kernel's process ---------------------------------------------------------------------


def test_jupyter_clients_local_provisioner_keeps_the_process() -> None:
    """The attribute the memory ceiling and the crash check read."""
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    assert hasattr(LocalProvisioner, "process")
    process = SimpleNamespace(pid=42, poll=lambda: None)
    manager = SimpleNamespace(
        get_kernel=lambda _k: SimpleNamespace(provisioner=SimpleNamespace(process=process))
    )
    assert kernel_process(manager, "k") is process


def test_a_provisioner_without_its_process_is_refused() -> None:
    manager = SimpleNamespace(get_kernel=lambda _k: SimpleNamespace(provisioner=SimpleNamespace()))
    with pytest.raises(VoilaMovedError, match="process"):
        kernel_process(manager, "k")


# --- the handler table ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def voila_handlers() -> Iterator[list[Any]]:
    """The handler table of a Voilà set up as assess serve sets it up (no server started)."""
    app = voila_app.Voila()
    root = packaged_root()
    app.initialize([str(root / "quiz.ipynb"), "--no-browser", f"--Voila.root_dir={root}"])
    with tempfile.TemporaryDirectory() as connections:
        app.connection_dir = connections
        app.init_settings()
        yield app.init_handlers()
        asyncio.run(app.kernel_manager.shutdown_all())


def test_every_handler_the_guard_wraps_is_in_voilas_table(voila_handlers: list[Any]) -> None:
    """Each class the guard wraps by class is one that Voilà's table holds today."""
    kinds = handler_kinds()
    classes = [handler for _pattern, handler, *_rest in voila_handlers]
    for kind in voila_private.REQUIRED_KINDS:
        assert any(issubclass(handler, kinds[kind]) for handler in classes), kind
    wrapped = wrap_handlers(voila_handlers)
    assert all(
        handler is not original
        for (_p, handler, *_r), original in zip(wrapped, classes, strict=True)
    )


@pytest.mark.parametrize("kind", voila_private.REQUIRED_KINDS)
def test_a_table_without_a_guarded_handler_is_refused(voila_handlers: list[Any], kind: str) -> None:
    """A handler moved to another class: no server rather than one left unguarded."""
    cls = handler_kinds()[kind]
    table = [entry for entry in voila_handlers if not issubclass(entry[1], cls)]
    with pytest.raises(VoilaMovedError, match=kind):
        wrap_handlers(table)


def test_the_kernel_cap_needs_no_private_clock() -> None:
    """jupyter_server's private ``_tz`` is no longer imported by the hosting code."""
    for module in Path(voila_private.__file__).parent.glob("*.py"):
        assert "jupyter_server._tz" not in module.read_text(encoding="utf-8"), module.name
