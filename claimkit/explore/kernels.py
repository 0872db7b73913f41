"""The kernel manager of the server ``claimkit explore`` starts: at most ``max_kernels`` at once.

Every visit to a Voila dashboard starts a kernel (about 300 MB with the explorer loaded). Idle
kernels are culled by Jupyter Server's own settings (``cull_idle_timeout``); this class adds
the cap, so a burst of requests cannot exhaust the machine's memory: a kernel asked for beyond
the cap is refused with HTTP 503 until another one is shut down or culled.

Loaded by the server process only (``--ServerApp.kernel_manager_class``).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer


class CappedKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager with a limit on how many kernels run at once."""

    max_kernels = Integer(8, config=True, help="Most kernels running at once; more are refused with HTTP 503.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernels being started: not in the map yet, but already counted

    async def start_kernel(self, *, kernel_id: str | None = None, path: Any = None,  # type: ignore[override]
                           **kwargs: Any) -> str:
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)  # already running
        if len(self.list_kernel_ids()) + self._starting >= self.max_kernels:
            self.log.warning("Refused a new kernel: %d kernels are running (the limit)", self.max_kernels)
            raise web.HTTPError(503, f"{self.max_kernels} kernels are running, the most this server allows; "
                                     "close a dashboard or notebook, or wait until an idle one is culled")
        self._starting += 1
        try:
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            self._starting -= 1
