"""A Jupyter kernel manager whose kernels run in the sandbox (sandbox.py).

The grader talks to the kernel over ZeroMQ's ``ipc`` transport: Unix sockets in a
folder that is the only thing the grader and the kernel share, so the kernel needs no
network at all. Interrupts go as a message on the control channel (the kernel is in
its own session, out of reach of a process-group signal), and killing the kernel kills
bubblewrap, which takes the kernel's whole PID namespace with it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Instance

from .sandbox import KernelSandbox, Limits, kernel_environment


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel command inside bubblewrap."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = await super().pre_launch(**kwargs)  # writes the connection file
        sandbox: KernelSandbox = self.parent.sandbox
        sandbox.hand_over(Path(self.parent.connection_file))
        # the kernel gets none of the environment it was given (the learner's id comes
        # later, through grader_reset.start: the kernel may boot before it is known)
        kwargs["cmd"] = sandbox.command(kwargs["cmd"])
        # bubblewrap itself gets no more than the kernel will (it clears the rest anyway)
        kwargs["env"] = {"PATH": kernel_environment()["PATH"], "LANG": "C.UTF-8"}
        kwargs["cwd"] = str(sandbox.folder)
        # whatever the kernel writes to its own stdout/stderr is student-controlled: never
        # on the instructor's terminal (AUTOGRADER_KERNEL_LOG=1 shows it, for debugging)
        if not os.environ.get("AUTOGRADER_KERNEL_LOG"):
            kwargs["stdout"] = kwargs["stderr"] = subprocess.DEVNULL
        return kwargs


class SandboxedKernelManager(AsyncKernelManager):
    """One kernel, one sandbox: a restart is a new manager."""

    limits = Instance(Limits, args=())
    sandbox = Instance(KernelSandbox, allow_none=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        self.sandbox = KernelSandbox.create(self.limits)
        self.transport = "ipc"
        self.connection_file = str(self.sandbox.sockets / "kernel.json")
        self.ip = str(self.sandbox.sockets / "k")  # sockets are k-1 … k-5
        self.provisioner = SandboxProvisioner(
            kernel_id=self.kernel_id or "sandboxed",
            kernel_spec=self.kernel_spec,
            parent=self,
        )
        return await super()._async_pre_start_kernel(**kw)

    async def _async_interrupt_kernel(self) -> None:
        if not self.has_kernel:
            raise RuntimeError("Cannot interrupt kernel. No kernel is running!")
        self._connect_control_socket()
        self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    interrupt_kernel = _async_interrupt_kernel  # the base class binds its own at definition

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if self.sandbox is not None and not restart:
            self.sandbox.remove()
