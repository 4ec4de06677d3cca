"""Every place where the hosted quiz reaches into Voilà's, Jupyter's or IPython's private insides.

Public extension points come first (Voilà's traits such as ``multi_kernel_manager_class`` and
``kernel_websocket_connection_class``, Tornado's application settings, jupyter_server's handler
classes as its public modules export them).  What remains has no public door, and each hook here
says what it depends on and fails loudly, at start-up, when that has moved: a renamed attribute
would otherwise switch a guard off in silence (no kernel cap, tracebacks on the page, a handler
unguarded).  ``tests/security/test_voila_private.py`` checks each one against the installed
versions; ``pyproject.toml`` bounds Voilà to the minor version they were written for.

- :func:`start_guarded`: the body of ``voila.app.Voila.start`` (0.5.13), with the application
  class and the settings of the guard.  Voilà builds ``tornado.web.Application`` inside ``start``
  and offers no hook between building it and listening; the Host check needs the application's
  ``find_handler`` and the per-address connection limit its ``listen``.  Refused unless
  ``Voila.start`` is, statement for statement, the one copied (:data:`VOILA_START_SHAPE`).
- :func:`is_preheat_pool`, :func:`pool_of`: the preheat pool's class and its entries,
  ``VoilaKernelManager._pools`` (a dict of lists of tasks, one list per notebook), which
  :mod:`assess.hosting.kernel_cap` reorders and counts; and :data:`POOL_METHODS`, the pool's
  methods it wraps.
- :func:`withhold_tracebacks`: IPython's ``InteractiveShell._showtraceback(etype, evalue, stb)``,
  the one place every traceback shown in a kernel goes through (ipywidgets' handlers included).
- :func:`kernel_process`: jupyter_client's ``LocalProvisioner.process`` (a ``subprocess.Popen``):
  the kernel's pid for the memory ceiling, and whether it is still alive (a crashed kernel).
- :func:`handler_kinds`: the classes of Voilà's handler table that the guard wraps by class;
  :func:`check_handler_table` refuses a table in which one of them is missing.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

VOILA_START_SHAPE = "eb432abb"
"""The first 8 hex digits of the SHA-256 of ``ast.dump`` of ``Voila.start`` in Voilà 0.5.13
(docstrings and log lines included: any change of the method means reading it again)."""
POOL_METHODS = ("get_rendered_notebook", "get_pool_size")


class VoilaMovedError(RuntimeError):
    """A private part of Voilà, Jupyter or IPython that the guard depends on has changed."""


def _moved(what: str) -> VoilaMovedError:
    return VoilaMovedError(
        f"{what}: the hosted quiz's guard depends on it (assess.hosting.voila_private); "
        "install the Voilà version pyproject.toml allows, or adapt that module"
    )


def start_shape(method: Callable[..., Any]) -> str:
    """A short digest of a method's syntax tree (comments and layout do not count)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(method)))
    return hashlib.sha256(ast.dump(tree).encode("utf-8")).hexdigest()[:8]


def start_guarded(
    app: Any,
    *,
    application_class: type[Any],
    guard_settings: Callable[[], Mapping[str, Any]],
    wrap_handlers: Callable[[list[Any]], list[Any]],
    before_listen: Callable[[], None],
) -> None:
    """``Voila.start`` with `application_class` and the settings `guard_settings` gives once
    ``init_settings`` has run (see the module's text)."""
    import tempfile

    from voila.app import Voila  # type: ignore[import-untyped]

    try:
        shape = start_shape(Voila.start)
    except (OSError, TypeError) as error:  # no source: cannot tell what start does
        raise _moved(f"the source of voila.app.Voila.start ({error})") from None
    if shape != VOILA_START_SHAPE:
        raise _moved(f"voila.app.Voila.start changed (shape {shape}, not {VOILA_START_SHAPE})")
    app.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=app.connection_dir_root)
    settings = app.init_settings()
    app.app = application_class(**settings)
    app.app.settings.update(app.tornado_settings)
    app.app.settings.update(guard_settings())
    app.app.add_handlers(".*$", wrap_handlers(app.init_handlers()))
    before_listen()
    app.listen()


VOILA_MANAGERS = "voila.voila_kernel_manager"
"""The module in which Voilà subclasses the kernel manager class it is given (its factory
``voila_kernel_manager_factory``): ``VoilaKernelManager`` (the preheat pool) or
``NormalKernelManager``."""


def is_preheat_pool(cls: type[Any]) -> bool:
    """Whether `cls` is Voilà's preheat pool (made from our kernel manager by Voilà's factory);
    refused if it is one of Voilà's classes that the guard does not know, or a pool without the
    methods :mod:`assess.hosting.kernel_cap` wraps."""
    if cls.__module__ != VOILA_MANAGERS:
        return False
    if cls.__name__ == "NormalKernelManager":
        return False
    if cls.__name__ != "VoilaKernelManager":
        raise _moved(f"Voilà's kernel manager class {cls.__name__}")
    for name in POOL_METHODS:
        if not callable(cls.__dict__.get(name)):
            raise _moved(f"Voilà's preheat pool class has no method {name}")
    return True


def pool_of(manager: Any, notebook_name: str) -> list[Any]:
    """The preheat pool's entries for a notebook (the list itself, to be reordered in place)."""
    try:
        pools = manager._pools
    except AttributeError:
        raise _moved("Voilà's preheat pool has no _pools") from None
    if not isinstance(pools, dict):
        raise _moved("Voilà's preheat pool's _pools is not a dict")
    entries = pools.get(notebook_name, [])
    if not isinstance(entries, list):
        raise _moved("Voilà's preheat pool's entries are not a list")
    return entries


def withhold_tracebacks(
    shell: Any, instead: Callable[[type[BaseException], Any, Any], None]
) -> None:
    """Put `instead` where IPython shows every traceback."""
    if not callable(getattr(shell, "_showtraceback", None)):
        raise _moved("IPython's InteractiveShell._showtraceback")
    shell._showtraceback = instead


def kernel_process(manager: Any, kernel_id: str) -> Any | None:
    """The kernel's process (a ``subprocess.Popen``); None if the kernel is not (or no longer,
    or not yet) there."""
    try:
        kernel = manager.get_kernel(kernel_id)
    except KeyError:
        return None
    provisioner = getattr(kernel, "provisioner", None)
    if provisioner is None:
        return None  # being started or shut down
    if not hasattr(provisioner, "process"):
        raise _moved(f"jupyter_client's {type(provisioner).__name__}.process")
    process = provisioner.process
    if process is not None and not (hasattr(process, "pid") and callable(process.poll)):
        raise _moved("jupyter_client's provisioner process is not a Popen")
    return process


def handler_kinds() -> dict[str, type[Any]]:
    """The handler classes of Voilà's table that the guard wraps, by the guard's name for them."""
    from jupyter_server.auth.login import LoginFormHandler
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.services.kernels.handlers import KernelHandler
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from tornado import web
    from voila.handler import VoilaHandler  # type: ignore[import-untyped]
    from voila.shutdown_kernel_handler import (  # type: ignore[import-untyped]
        VoilaShutdownKernelHandler,
    )

    return {
        "page": VoilaHandler,
        "websocket": KernelWebsocketHandler,
        "kernel": KernelHandler,
        "beacon": VoilaShutdownKernelHandler,
        "static": web.StaticFileHandler,
        "login": LoginFormHandler,
        "logout": LogoutHandler,
    }


REQUIRED_KINDS = ("page", "websocket", "kernel", "beacon", "static")
"""Handlers every quiz server has (login and logout come with a token only)."""


def check_handler_table(found: set[str]) -> None:
    """Refuse to serve when a handler the guard must wrap was not in Voilà's table."""
    missing = [kind for kind in REQUIRED_KINDS if kind not in found]
    if missing:
        raise _moved(
            f"Voilà's handler table has no {', '.join(missing)} handler of the known class"
        )
