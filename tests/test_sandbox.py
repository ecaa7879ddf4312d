"""The sandbox a kernel runs in, tested from inside a kernel: what it can see, write,
reach and use, and that nothing it starts survives it. (The red-team class tests the
same boundary through the whole grader, as a student would attack it.)"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.config import REPO
from autograder.kernel import SandboxedKernelManager
from autograder.sandbox import HOME, Limits, kernel_environment, uid_range

# set inside by ipykernel, pydevd and the shell itself
IPYKERNEL_ADDS = {"CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "PAGER", "GIT_PAGER", "TERM", "PWD"}
IPYKERNEL_ADDS |= {"PYDEVD_USE_FRAME_EVAL"}

PROBE = r"""
import importlib, json, os, resource, socket, sys
def imports(names):
    broken = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            broken[name] = repr(error)
    return broken
def can_write(path):
    try:
        with open(path, "w") as f:
            f.write("x")
        return True
    except OSError:
        return False
print(json.dumps({
    "uid": os.getuid(),
    "cwd": os.getcwd(),
    "home_entries": sorted(os.listdir(os.path.expanduser("~"))),
    "root_entries": sorted(os.listdir("/")),
    "repo_visible": os.path.exists(REPO),
    "solutions_visible": os.path.exists(os.path.join(REPO, "solutions")),
    "grader_home_entries": sorted(os.listdir(GRADER_HOME)) if os.path.isdir(GRADER_HOME) else None,
    "interfaces": [name for _, name in socket.if_nameindex()],
    "env": sorted(os.environ),
    "write_usr": can_write("/usr/redteam-probe"),
    "write_home": can_write(os.path.expanduser("~/probe.txt")),
    "as": resource.getrlimit(resource.RLIMIT_AS)[0],
    "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
    "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "version": sys.version,
    "broken_imports": imports(["ssl", "sqlite3", "ctypes", "boto3", "moto", "studio_mock"]),
}))
"""


async def _run(code: str, *, after=None) -> tuple[str, SandboxedKernelManager]:
    km = SandboxedKernelManager(kernel_name="python3", limits=Limits(memory=1024**3))
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=120)
        msg_id = kc.execute(code)
        text = []
        while True:
            msg = await kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                text.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                text.append(msg["content"]["ename"] + ": " + msg["content"]["evalue"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        if after:
            await after(km)
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    return "".join(text), km


@pytest.fixture(scope="module")
def probe():
    code = f"REPO = {str(REPO)!r}\nGRADER_HOME = {str(Path.home())!r}\n" + PROBE
    text, _ = asyncio.run(_run(code))
    return json.loads(text.strip().splitlines()[-1])


def test_the_kernel_runs_the_graders_python_with_the_course_environment(probe):
    assert probe["version"] == sys.version
    assert probe["broken_imports"] == {}


def test_the_kernel_has_its_own_unprivileged_uid(probe):
    assert probe["uid"] != os.getuid()
    if os.geteuid() == 0:
        assert probe["uid"] in uid_range()


def test_the_kernel_sees_neither_the_repository_nor_the_graders_files(probe):
    assert not probe["repo_visible"] and not probe["solutions_visible"]
    # only the folders leading to the Python it runs on, never the grader's own files
    assert probe["grader_home_entries"] in (None, [".pyenv"], [".local"], [".venv"])
    assert probe["root_entries"] == sorted(
        set(probe["root_entries"]) & {"bin", "dev", "etc", "home", "lib", "lib32", "lib64",
                                      "libx32", "opt", "proc", "root", "sbin", "tmp", "usr",
                                      "work", "srv", "var", "mnt"}
    )  # fmt: skip


def test_its_home_is_fresh_and_the_only_writable_place(probe):
    assert probe["cwd"] == HOME
    # IPython's own folder and the temporary one: nothing left by an earlier kernel
    assert probe["home_entries"] == [".ipython", "tmp"]
    assert probe["write_home"] and not probe["write_usr"]


def test_no_network_but_its_own_loopback(probe):
    assert probe["interfaces"] == ["lo"]


def test_nothing_of_the_graders_environment_leaks(probe):
    extra = set(probe["env"]) - set(kernel_environment())
    assert extra <= IPYKERNEL_ADDS, f"variables from outside: {sorted(extra - IPYKERNEL_ADDS)}"


def test_limits_are_set(probe):
    assert probe["as"] == 1024**3
    assert probe["nproc"] == Limits().processes
    assert probe["nofile"] == Limits().open_files
    assert probe["fsize"] == Limits().file_size


def test_it_sees_only_its_own_processes(probe):
    assert max(probe["pids"]) < 50  # a PID namespace of its own, not this machine's


def test_a_host_listener_is_out_of_reach():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.settimeout(3)
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2); print('reached')\n"
        "except OSError as e:\n"
        "    print('refused', e.errno)\n"
    )
    text, _ = asyncio.run(_run(code))
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()
    assert "refused" in text


def test_processes_it_starts_die_with_it():
    marker = f"sandbox-test-{os.getpid()}-{time.time_ns()}"
    code = (  # through libc, around the audit hook, detached into a session of its own
        "import ctypes\n"
        f"ctypes.CDLL(None).system(b\"setsid sh -c 'sleep 600 # {marker}' &\")\n"
        "print('started')\n"
    )
    text, km = asyncio.run(_run(code))
    assert "started" in text
    time.sleep(2)
    survivors = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert survivors.strip() == ""
    assert not km.sandbox.folder.exists()  # the sockets folder is gone too


def test_the_grader_refuses_without_bubblewrap(tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH with Python but no bwrap
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(tmp_path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PATH": str(bin_dir)},
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "bubblewrap" in result.stdout and "--no-sandbox" in result.stdout
    assert not (tmp_path / "o").exists()  # refused before anything was written


def test_the_graded_learner_is_the_one_the_tests_see():
    """The kernel is told whose submission it runs (labs build that learner's variant);
    a notebook that claims to be someone else is undone before each test."""
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.execute import SandboxedExecute

    claim = new_code_cell(
        "import os, labkit\n"
        "print('graded as', labkit.student_id())\n"
        "os.environ['COURSE_STUDENT_ID'] = 'friend'\n"
        "labkit.set_student_id('friend')\n"
        "labkit.student_id = lambda: 'friend'"
    )
    test = new_code_cell("import labkit\nassert labkit.student_id() == 'ana', labkit.student_id()")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1, "solution": False}
    nb = new_notebook(cells=[claim, test])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    resources = {"nbgrader": {"student": "ana", "notebook": "n"}, "metadata": {"path": "/tmp"}}
    SandboxedExecute(timeout=60).preprocess(nb, resources)
    assert "graded as ana" in nb.cells[0].outputs[0]["text"]
    assert [o for o in nb.cells[1].outputs if o["output_type"] == "error"] == []


def _notebook(*sources: str):
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _graded(nb, student: str):
    from autograder.execute import SandboxedExecute

    resources = {"nbgrader": {"student": student, "notebook": "n"}, "metadata": {"path": "/tmp"}}
    SandboxedExecute(timeout=60).preprocess(nb, resources)
    return "".join(o.get("text", "") for c in nb.cells for o in c.outputs)


def test_a_kernel_booted_ahead_is_fresh_and_serves_the_next_learner():
    """The grader boots the next notebook's kernel while one runs. The next notebook must
    still meet a kernel of its own: nothing the previous one left in memory or in its
    home, and the next learner's id, not the previous one's nor none."""
    from autograder.execute import SPARE

    SPARE.discard()
    first = _notebook(
        "import os, pathlib\n"
        "planted = 41\n"
        "pathlib.Path(os.environ['HOME'], 'planted.txt').write_text('from ana')\n"
        "os.environ['PLANTED'] = 'yes'\n"
        "print('ran')"
    )
    assert "ran" in _graded(first, "ana")
    ahead = SPARE.km
    assert ahead is not None and ahead.has_kernel, "no kernel was booted ahead"
    folder = ahead.sandbox.folder
    assert folder.exists()
    second = _notebook(
        "import os, pathlib, sys, labkit\n"
        "print('planted' in globals(), pathlib.Path(os.environ['HOME'], 'planted.txt').exists(),"
        " os.environ.get('PLANTED'), labkit.student_id(), 'studio_mock' in sys.modules)"
    )
    shown = _graded(second, "ben")
    assert "False False None ben True" in shown, shown
    assert not folder.exists(), "the second notebook did not run in the kernel booted ahead"
    left = SPARE.km
    assert left is not None and left is not ahead
    process = left.provisioner.process
    SPARE.discard()
    assert process.poll() is not None, "the kernel booted ahead outlived its discard"
    assert not left.sandbox.folder.exists()


def test_a_notebook_that_swaps_its_builtins_does_not_decide_a_test():
    """A cell that rebinds the notebook's ``__builtins__`` (or the module in sys.modules)
    to a stand-in whose names lie: the tests that follow see the real builtins."""
    from nbformat.v4 import new_code_cell

    swap = new_code_cell(
        "import builtins, sys, types\n"
        "fake = types.ModuleType('builtins')\n"
        "fake.__dict__.update(vars(builtins))\n"
        "fake.len = lambda *a: 3\n"
        "fake.sorted = lambda *a, **k: ['right']\n"
        "__builtins__ = {**vars(builtins), 'len': fake.len, 'sorted': fake.sorted}\n"
        "sys.modules['builtins'] = fake"
    )
    test = new_code_cell("assert len([1, 2]) == 3 and sorted('x') == ['right']")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1, "solution": False}
    nb = _notebook(swap.source)
    nb.cells.append(test)
    _graded(nb, "ana")
    errors = [o for o in nb.cells[1].outputs if o["output_type"] == "error"]
    assert errors, "the swapped builtins decided the test"
