"""Loaded at start-up by every kernel the autograder runs (it is first on PYTHONPATH).

Defence in depth only: the boundary is the operating-system sandbox around the kernel
(autograder/sandbox.py), which holds whatever happens in here. This Python audit hook
turns the commonest attempts (writing outside the kernel's folders, connecting to a
network, starting processes) into an early, plain PermissionError in the cell that
tried, which the grader reports; code that goes around it (ctypes, ``_posixsubprocess``)
still meets the sandbox. It also loads grader_reset before any student code runs.
"""

import os
import sys

# In the sandbox the interpreter runs outside its environment's folder (sandbox.py mounts
# both under /opt): its site folders give way to the environment's.
if os.environ.get("AUTOGRADER_SITE_PACKAGES"):
    import site

    _own = set(site.getsitepackages())
    sys.path[:] = [p for p in sys.path if p not in _own]
    for _folder in os.environ["AUTOGRADER_SITE_PACKAGES"].split(os.pathsep):
        site.addsitedir(_folder)

MARK = "grading sandbox"
_WRITABLE = tuple(
    os.path.realpath(p) for p in os.environ.get("AUTOGRADER_WRITABLE", "").split(os.pathsep) if p
) + ("/dev/null",)
_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# event -> which of its arguments are paths it changes
_PATH_EVENTS = {
    "os.remove": (0,), "os.rename": (0, 1), "os.mkdir": (0,), "os.rmdir": (0,),
    "os.truncate": (0,), "os.symlink": (1,), "os.link": (1,), "os.chmod": (0,),
    "os.chown": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "shutil.move": (0, 1),
    "shutil.copyfile": (1,), "shutil.copytree": (1,),
}  # fmt: skip
_PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                   "os.fork", "os.forkpty", "pty.spawn"}  # fmt: skip


def _allowed(path):
    if isinstance(path, int) or path is None:
        return True
    real = os.path.realpath(os.fsdecode(path))
    return any(real == root or real.startswith(root + os.sep) for root in _WRITABLE)


def _refuse(what):
    raise PermissionError(f"{MARK}: {what} is not allowed while a submission is graded")


def _hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing and not _allowed(path):
            _refuse(f"writing {os.fsdecode(path)!r} outside the submission's folder")
    elif event in _PATH_EVENTS:
        for path in (args[i] for i in _PATH_EVENTS[event] if i < len(args)):
            if isinstance(path, str | bytes | os.PathLike) and not _allowed(path):
                _refuse(f"{event} on {os.fsdecode(path)!r} outside the submission's folder")
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not str(address[0]).startswith(_LOOPBACK):
            _refuse(f"connecting to {address[0]} (network access)")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if host and not str(host if isinstance(host, str) else host.decode()).startswith(_LOOPBACK):
            _refuse(f"looking up {host!r} (network access)")
    elif event in _PROCESS_EVENTS:
        _refuse("starting another process")


if _WRITABLE[:-1]:  # only inside the autograder, which sets AUTOGRADER_WRITABLE
    sys.addaudithook(_hook)
    # modules every lab imports, loaded while the kernel boots ahead of its notebook:
    # only sys.modules changes (no name appears in the notebook's namespace)
    import contextlib

    import grader_reset  # noqa: F401 - its copies of the builtins must be the originals

    for _name in filter(None, os.environ.get("AUTOGRADER_PRELOAD", "").split(",")):
        # a module that fails here fails again, with its message, in the notebook's import
        with contextlib.suppress(Exception):
            __import__(_name)
