"""A cap on the kernels that visitors of a hosted quiz hold at once.

Every plain GET of a Voilà page starts a kernel (about 100 MB and 4 CPU-seconds for the quiz), so
without a cap a burst of visitors, or anyone with a loop of requests, can take the machine.
With ``max_kernels`` set, a visitor who arrives when that many kernels are in use gets HTTP 503
and the friendly "busy, try again in a minute" page of the ``assess`` template (``503.html``)
instead of a page that never shows its widgets; the kernels already running keep all the CPU
and memory they need.  Culled, shut down or dead kernels free their place.

Kernels that Voilà keeps warm in its preheat pool are not counted (the pool's size bounds them);
a pooled kernel counts from the moment a visitor takes it, and its idle time starts then (Voilà
would otherwise cull a kernel that had waited in the pool longer than the idle timeout before
its visitor's page could connect).  ``assess serve`` selects this class
with ``VoilaConfiguration.multi_kernel_manager_class``; Voilà's preheat pool, when enabled,
subclasses it, and ``__init_subclass__`` then puts the same check in front of the pool.
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

from assess.hosting.visitors import CURRENT_VISIT, VisitorBook
from assess.hosting.voila_private import is_preheat_pool, pool_of

BUSY_REASON = "Busy"
PREHEAT_VARIABLE = "VOILA_PREHEAT"


class CappedKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with a cap on the kernels visitors hold at once."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels visitors may hold at once; more visitors get HTTP 503 (0: no cap).",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._visitor_kernels: set[str] = set()
        self._admitting = 0
        # Set by the guarded server (assess.hosting.guard): the per-address accounts, and
        # whether the process is short of file descriptors for one more kernel.
        self.visitors: VisitorBook | None = None
        self.descriptors_short: Callable[[], bool] = lambda: False
        # Called with the id of every kernel shut down (culled, beacon, memory...): the guard
        # closes its websockets, so that the page learns at once that its kernel is gone.
        self.kernel_ended: Callable[[str], None] = lambda kernel_id: None
        # Called as a shutdown begins: the guard then takes the kernel's ending process for a
        # shutdown, not a crash (a crash is a kernel whose process ends with nobody asking).
        self.kernel_ending: Callable[[str], None] = lambda kernel_id: None

    @property
    def visitor_kernels(self) -> int:
        """Kernels held by visitors, counting those being started or handed over right now."""
        running = set(self.list_kernel_ids())
        self._visitor_kernels &= running
        return len(self._visitor_kernels) + self._admitting

    def _admit(self) -> None:
        if self.max_kernels > 0 and self.visitor_kernels >= self.max_kernels:
            self._turn_away(f"{self.visitor_kernels} of {self.max_kernels} kernels in use")
        if self.descriptors_short():
            self._turn_away("the server is short of file descriptors")
        visit = CURRENT_VISIT.get()
        if self.visitors is not None and visit is not None:
            refusal = self.visitors.refusal(visit.address)
            if refusal is not None:
                self._turn_away(f"the limit of {refusal}")
            self.visitors.starting(visit.address)
        self._admitting += 1

    def _turn_away(self, why: str) -> None:
        self.log.warning("Turned a visitor away: %s", why)
        raise web.HTTPError(503, reason=BUSY_REASON)

    async def _admitted(self, start: Awaitable[str]) -> str:
        """Run `start` (which gives a kernel id) for an admitted visitor; count the kernel."""
        visit = CURRENT_VISIT.get()
        try:
            kernel_id = await start
        finally:
            self._admitting -= 1
            if self.visitors is not None and visit is not None:
                self.visitors.start_ended(visit.address)
        self._visitor_kernels.add(kernel_id)
        if self.visitors is not None and visit is not None:
            self.visitors.started(kernel_id, address=visit.address, owner=visit.owner)
            visit.kernels.append(kernel_id)
        return kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        env = kwargs.get("env") or {}
        if kwargs.get("kernel_id") is not None or env.get(PREHEAT_VARIABLE) == "True":
            # An existing kernel, or one for the preheat pool: not a visitor (yet).
            kernel_id: str = await super().start_kernel(*args, **kwargs)
            return kernel_id
        self._admit()
        return await self._admitted(super().start_kernel(*args, **kwargs))

    async def shutdown_kernel(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        kernel_id = kwargs.get("kernel_id", args[0] if args else None)
        self._visitor_kernels.discard(str(kernel_id))
        if self.visitors is not None:
            self.visitors.ended(str(kernel_id))
        self.kernel_ending(str(kernel_id))
        try:
            await super().shutdown_kernel(*args, **kwargs)  # type: ignore[no-untyped-call]
        finally:
            self.kernel_ended(str(kernel_id))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Voilà's preheat pool (a subclass made by Voilà) hands out kernels in
        `get_rendered_notebook`: admit visitors there too.  And count only *warm* kernels as the
        pool's size: Voilà sends a visitor to the pool while it holds any entry, even a refill
        still waiting out its delay (``VoilaKernelManager.fill_delay``), and that visitor would
        wait for it; with nothing warm, the visitor's kernel is started at once instead."""
        super().__init_subclass__(**kwargs)
        if not is_preheat_pool(cls):  # refuses a pool that moved what is wrapped here
            return
        take: Callable[..., Awaitable[tuple[Any, Any, str]]] = cls.__dict__["get_rendered_notebook"]

        def get_pool_size(self: CappedKernelManager, notebook_name: str) -> int:
            return sum(_warm(entry) for entry in _pool(self, notebook_name))

        async def get_rendered_notebook(
            self: CappedKernelManager, notebook_name: str, *args: Any, **kwargs: Any
        ) -> tuple[Any, Any, str]:
            self._admit()
            pool = _pool(self, notebook_name)
            pool.sort(key=lambda entry: not _warm(entry))  # warm first; Voilà takes the first
            handed: list[tuple[Any, Any, str]] = []

            async def hand_over() -> str:
                handed.append(await take(self, notebook_name, *args, **kwargs))
                kernel_id = handed[0][2]
                # It may have waited in the pool for longer than the idle timeout; the culler
                # would take it before its visitor's websocket connects.  Its visit starts now.
                kernel: Any = self.get_kernel(kernel_id)
                kernel.last_activity = datetime.datetime.now(datetime.UTC)
                return kernel_id

            await self._admitted(hand_over())
            return handed[0]

        cls.get_pool_size = get_pool_size  # type: ignore[attr-defined]
        cls.get_rendered_notebook = get_rendered_notebook  # type: ignore[attr-defined]


def _pool(manager: CappedKernelManager, notebook_name: str) -> list[Any]:
    return pool_of(manager, notebook_name)


def _warm(entry: Any) -> bool:
    """A pool entry (an asyncio task) whose kernel has started."""
    return bool(entry.done() and not entry.cancelled() and entry.exception() is None)
