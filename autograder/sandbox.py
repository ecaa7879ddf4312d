"""An operating-system sandbox for one notebook's kernel, built on bubblewrap.

A kernel runs student code, so it gets new user, PID, IPC, UTS, network and mount
namespaces and sees only: the system's programs and libraries (read-only), the Python
it runs on and the course's environment (read-only), a fresh size-limited tmpfs as its
home and /tmp, and one folder holding the ZeroMQ sockets the grader talks to it through.
The repository, solutions/, every gradebook, OUT/, the other submissions and the
grader's home are not mounted at all. It has no network, loopback included (its
network namespace is its own), and resource limits. When its first process exits or
is killed, the kernel tears the whole PID namespace down: nothing it started survives.

Run as root, the grader starts bubblewrap as root (so it can mount anything the
environment needs) and the kernel drops to a uid of its own before any student code
runs; run as another user, bubblewrap maps the kernel to an unprivileged uid inside a
user namespace (outside it, the kernel then has the grader's uid but none of its files).
"""

from __future__ import annotations

import fcntl
import functools
import importlib.util
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

HOME = "/home/sagemaker-user"  # Studio's home folder, so paths in a lab look like Studio's
SITE = "/opt/autograder/site"  # the kernel's sitecustomize: the audit hook, and hook resets
KERNEL_SITE = Path(__file__).with_name("kernel_site")
PACKAGES = ("studio_mock", "labkit")  # course packages labs import, wherever installed
UID_RANGE = range(61000, 62000)  # uids for kernels when the grader runs as root (see uid_range)
INSIDE_UID = 1000  # the kernel's uid inside its user namespace (non-root grader)
MiB = 1024**2
GiB = 1024**3


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


@dataclass(frozen=True)
class Limits:
    """What one notebook's kernel may use. A kernel that passes a limit is stopped (or the
    call that would pass it fails) and the submission is flagged with the limit's name."""

    memory: int = 2 * GiB  # address space of each process (RLIMIT_AS)
    processes: int = 64  # processes and threads (RLIMIT_NPROC)
    cpu_seconds: int = 600  # CPU time of each process (RLIMIT_CPU)
    file_size: int = 64 * MiB  # largest file it may write (RLIMIT_FSIZE)
    open_files: int = 256  # open file descriptors (RLIMIT_NOFILE)
    disk: int = 256 * MiB  # size of its home (and of /tmp, which the audit hook refuses)
    output_per_cell: int = 100 * MiB  # bytes of output one cell may send
    output_per_notebook: int = 250 * MiB  # bytes of output the whole notebook may send
    cells: int = 1000  # code and text cells in a notebook
    source: int = 2 * MiB  # bytes of code and text in a notebook (as JSON stores them)

    DESCRIPTIONS = {
        "memory": "memory per kernel",
        "processes": "processes and threads",
        "cpu_seconds": "CPU seconds per process",
        "file_size": "size of one file",
        "open_files": "open files",
        "disk": "space in the kernel's home and in its /tmp",
        "output_per_cell": "output of one cell",
        "output_per_notebook": "output of a notebook",
        "cells": "cells in a notebook",
        "source": "code and text in a notebook",
    }

    def shown(self, name: str) -> str:
        value = getattr(self, name)
        return _size(value) if name in BYTE_LIMITS else f"{value:,}"

    def describe(self, name: str) -> str:
        return f"the {self.DESCRIPTIONS[name]} limit ({self.shown(name)})"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


BYTE_LIMITS = {"memory", "file_size", "disk", "output_per_cell", "output_per_notebook", "source"}


def _size(value: int) -> str:
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if value >= factor and value % factor == 0:
            return f"{value // factor} {unit}"
    return f"{value} bytes"


def parse_size(text: str) -> int:
    """'2G', '512M', '64k' or a number of bytes."""
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    factors = {"K": 1024, "M": MiB, "G": GiB}
    if text and text[-1] in factors:
        return int(float(text[:-1]) * factors[text[-1]])
    return int(text)


INSTALL_HINT = (
    "Install Debian's 'bubblewrap' package (sudo apt-get install bubblewrap; `make grader` "
    "does it), or pass --no-sandbox to run student code without an operating-system "
    "sandbox (unsafe: a submission could then read the hidden tests and change grades)."
)


@functools.lru_cache(maxsize=1)
def check_available() -> str:
    """The bubblewrap binary, after proving it can build a sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(
            "The grader needs bubblewrap (bwrap), which is not installed. " + INSTALL_HINT
        )
    trial = [
        bwrap,
        *_namespace_args(),
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "true",
    ]
    try:
        done = subprocess.run(trial, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SandboxUnavailable(f"bubblewrap could not be run: {err}. {INSTALL_HINT}") from err
    if done.returncode != 0:
        raise SandboxUnavailable(
            "bubblewrap cannot create namespaces on this machine "
            f"({done.stderr.strip() or 'exit code ' + str(done.returncode)}). Unprivileged "
            "user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone), or "
            f"run the grader as root. {INSTALL_HINT}"
        )
    return bwrap


def _as_root() -> bool:
    return os.geteuid() == 0


def _namespace_args() -> list[str]:
    user = (
        [] if _as_root() else ["--unshare-user", "--uid", str(INSIDE_UID), "--gid", str(INSIDE_UID)]
    )
    return [
        *user,
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-net",
        "--unshare-cgroup-try",
        "--hostname",
        "sandbox",
        "--die-with-parent",  # the grader's death takes the kernel with it
        "--new-session",  # no controlling terminal to inject keystrokes into
    ]


def uid_range() -> range:
    """Kernel uids; AUTOGRADER_UIDS=FIRST-LAST gives graders running side by side their own."""
    text = os.environ.get("AUTOGRADER_UIDS", "")
    if not text:
        return UID_RANGE
    first, _, last = text.partition("-")
    try:
        chosen = range(int(first), int(last or first) + 1)
    except ValueError:
        raise SandboxUnavailable(f"AUTOGRADER_UIDS={text!r} is not FIRST-LAST") from None
    if not chosen or chosen.start < 1000:
        raise SandboxUnavailable(f"AUTOGRADER_UIDS={text!r}: uids below 1000 belong to the system")
    return chosen


class UidClaim:
    """A uid no other running kernel has (root only): RLIMIT_NPROC counts per uid, and
    a kernel must not be able to signal or starve another."""

    def __init__(self) -> None:
        folder = Path(tempfile.gettempdir()) / "autograder-sandbox-uids"
        folder.mkdir(mode=0o700, exist_ok=True)
        uids = uid_range()
        for uid in uids:
            if _uid_in_use(uid):
                continue
            handle = os.open(folder / str(uid), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            self.uid, self._handle = uid, handle
            return
        raise SandboxUnavailable(f"all {len(uids)} sandbox uids are in use")

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _uid_in_use(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True  # a real account: never borrow it
    except KeyError:
        return False


@dataclass
class KernelSandbox:
    """The bubblewrap command for one kernel, and what must be cleaned up after it."""

    limits: Limits
    folder: Path  # this kernel's private folder on the host
    claim: UidClaim | None = None  # the kernel's uid when the grader runs as root

    @property
    def uid(self) -> int | None:
        return self.claim.uid if self.claim else None

    @property
    def sockets(self) -> Path:
        """Bound read-write at the same path: the kernel's ZeroMQ sockets."""
        return self.folder / "s"

    def command(
        self,
        kernel_cmd: list[str],
        extra_files: dict[str, Path] | None = None,
    ) -> list[str]:
        bwrap = check_available()
        args = [bwrap, *_namespace_args()]
        args += _system_mounts()
        layout = python_layout()
        for host, inside in layout.binds:
            args += [*_parents(inside), "--ro-bind", host, inside]
        args += [*_parents(SITE), "--ro-bind", str(KERNEL_SITE), SITE]
        for name in ("passwd", "group"):
            args += ["--ro-bind", str(self.folder / name), f"/etc/{name}"]
        size = str(self.limits.disk)
        # a tmpfs is root's: world-writable (sticky) so the kernel's uid can use it
        args += ["--size", size, "--perms", "1777", "--tmpfs", HOME]
        args += ["--perms", "1777", "--dir", f"{HOME}/tmp"]
        args += ["--size", size, "--perms", "1777", "--tmpfs", "/tmp"]
        for name, source in (extra_files or {}).items():
            args += ["--ro-bind", str(source), f"{HOME}/{name}"]
        args += [*_parents(str(self.sockets)), "--bind", str(self.sockets), str(self.sockets)]
        args += ["--chdir", HOME, "--clearenv"]
        for key, value in kernel_environment().items():
            args += ["--setenv", key, value]
        if _as_root():
            # bubblewrap runs as root to mount; the kernel drops to its own uid, with no
            # capabilities and no way to gain any, before any student code runs
            args += ["--cap-drop", "ALL"]
            args += [
                "--cap-add",
                "CAP_SETUID",
                "--cap-add",
                "CAP_SETGID",
                "--cap-add",
                "CAP_SETPCAP",
            ]
            args += [
                "setpriv",
                f"--reuid={self.uid}",
                f"--regid={self.uid}",
                "--clear-groups",
                "--no-new-privs",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--",
            ]
        # limits are set inside the namespaces: counted for this kernel's processes only
        args += [
            "prlimit",
            f"--as={self.limits.memory}",
            f"--nproc={self.limits.processes}",
            f"--cpu={self.limits.cpu_seconds}",
            f"--fsize={self.limits.file_size}",
            f"--nofile={self.limits.open_files}",
            "--core=0",
            "--",
        ]
        if kernel_cmd and os.path.realpath(kernel_cmd[0]) == os.path.realpath(sys.executable):
            kernel_cmd = [layout.executable, *kernel_cmd[1:]]
        return args + kernel_cmd

    @classmethod
    def create(cls, limits: Limits) -> KernelSandbox:
        """A private folder (short: Unix socket paths have 107 bytes) with the socket
        folder and the sandbox's /etc/passwd and /etc/group."""
        base = Path(tempfile.gettempdir()) / f"autograder-{os.geteuid()}"
        base.mkdir(mode=0o711, exist_ok=True)
        claim = UidClaim() if _as_root() else None
        sandbox = cls(limits, Path(tempfile.mkdtemp(prefix="k", dir=base)).resolve(), claim)
        sandbox.sockets.mkdir(mode=0o700)
        if claim:
            os.chown(sandbox.sockets, claim.uid, claim.uid)
        passwd, group = identity_files(sandbox.uid)
        (sandbox.folder / "passwd").write_bytes(passwd)
        (sandbox.folder / "group").write_bytes(group)
        return sandbox

    def hand_over(self, path: Path) -> None:
        """Make a file the grader wrote in the socket folder readable by the kernel."""
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)  # never follows symlinks
        if self.claim is not None:
            self.claim.release()


PRELOAD = (
    "boto3",
    "moto",
    "studio_mock",
    "moto.ec2.models",
    "moto.efs.models",
    "moto.iam.models",
    "moto.sts.models",
    "moto.sagemaker.models",
)


def kernel_environment() -> dict[str, str]:
    """Everything the kernel's environment holds: nothing of the grader's."""
    return {
        "PATH": f"{ENVIRONMENT}/bin:{PYTHON}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME,
        "USER": "sagemaker-user",
        "LANG": "C.UTF-8",
        "TMPDIR": f"{HOME}/tmp",
        "IPYTHONDIR": f"{HOME}/.ipython",
        "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
        "MPLBACKEND": "agg",
        "PYTHONPATH": f"{SITE}:{PACKAGES_INSIDE}",
        # an interpreter built with an absolute runpath (pyenv's) finds its libpython here
        "LD_LIBRARY_PATH": f"{PYTHON}/lib",
        # sitecustomize puts the environment's site folders in place of the interpreter's
        "AUTOGRADER_SITE_PACKAGES": os.pathsep.join(python_layout().site_packages),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "NBGRADER_EXECUTION": "autograde",
        # loaded at boot (sitecustomize), while the kernel waits for its notebook: the
        # labs' imports and the moto backends the mock loads on its first call (~1.5 s)
        "AUTOGRADER_PRELOAD": ",".join(PRELOAD),
        # defence in depth, inside the sandbox: the audit hook in SITE refuses writes
        # outside these folders, network connections and new processes
        "AUTOGRADER_WRITABLE": HOME,
        # the labs talk to the in-process mock; these only keep boto3 from looking further
        "AWS_ACCESS_KEY_ID": "autograder-no-aws",
        "AWS_SECRET_ACCESS_KEY": "autograder-no-aws",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@functools.lru_cache(maxsize=1)
def _system_mounts() -> tuple[str, ...]:
    """/usr and its companions read-only (merged-/usr systems link /bin, /lib… into /usr),
    a minimal /dev and /proc, and the few files of /etc that programs read."""
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for name in ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return tuple(args)


# read by the C library, Python's standard library and matplotlib; no secrets among them
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "mime.types",
    "fonts",
    "alternatives",
    "ssl/certs",
    "ssl/openssl.cnf",
)


def identity_files(uid: int | None) -> tuple[bytes, bytes]:
    """/etc/passwd and /etc/group for the sandbox: the kernel's own user and nobody else."""
    inside = uid if (uid is not None and _as_root()) else INSIDE_UID
    passwd = f"sagemaker-user:x:{inside}:{inside}:learner:{HOME}:/bin/sh\n"
    group = f"sagemaker-user:x:{inside}:\n"
    return passwd.encode(), group.encode()


@dataclass(frozen=True)
class PythonLayout:
    """Where the kernel finds its Python: the grader's interpreter, environment and course
    packages, mounted read-only under /opt at neutral paths, so that neither the
    repository (an editable install points into it) nor the grader's home (where pyenv or
    conda keep interpreters) appears inside the sandbox at all."""

    binds: tuple[tuple[str, str], ...]  # (host folder, folder inside)
    executable: str  # the interpreter, inside
    site_packages: tuple[str, ...]  # the environment's site folders, inside


PYTHON = "/opt/python"
ENVIRONMENT = "/opt/course-env"
PACKAGES_INSIDE = "/opt/autograder/packages"


@functools.lru_cache(maxsize=1)
def python_layout() -> PythonLayout:
    base = os.path.realpath(sys.base_prefix)
    prefix = os.path.realpath(sys.prefix)

    def inside(path: str) -> str | None:
        path = os.path.realpath(path)
        if prefix != base and (path == prefix or path.startswith(prefix + os.sep)):
            return ENVIRONMENT + path[len(prefix) :]
        if path == base or path.startswith(base + os.sep):
            return PYTHON + path[len(base) :]
        return None

    binds = [(base, PYTHON)] + ([(prefix, ENVIRONMENT)] if prefix != base else [])
    for name in PACKAGES:  # installed in place (editable): mounted on their own
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            if inside(folder) is None:
                binds.append((os.path.realpath(folder), f"{PACKAGES_INSIDE}/{name}"))
    executable = inside(os.path.realpath(sys.executable)) or sys.executable
    found = [inside(p) for p in site.getsitepackages() if os.path.isdir(p)]
    return PythonLayout(tuple(binds), executable, tuple(p for p in found if p))


def _parents(path: str) -> list[str]:
    """Directories leading to a mount point, world-traversable (bubblewrap would make them
    0700, and the kernel's uid could not reach what is mounted beneath)."""
    args: list[str] = []
    parts = Path(path).parts[1:-1]
    for i in range(len(parts)):
        args += ["--perms", "0755", "--dir", "/" + "/".join(parts[: i + 1])]
    return args
