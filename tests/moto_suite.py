"""moto's own SageMaker tests, run with the Studio extension installed.

The extension must not break what moto does, except the Domain behaviours it corrects on
purpose (README, "What the mock corrects in moto"). moto's source distribution on PyPI
ships its tests, so this script fetches the sdist of the installed version with pip (a
package download: the only network CI has), unpacks ``tests/test_sagemaker`` into a
scratch folder and runs it in a fresh interpreter that installs the extension first.

    .venv/bin/python tests/moto_suite.py        # prints the figures
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

# moto tests of behaviour the extension corrects on purpose (README lists them, with why)
CORRECTED = {
    "test_sagemaker_domains.py::test_create_domain",
    "test_sagemaker_domains.py::test_describe_domain",
    "test_sagemaker_domains.py::test_describe_domain_defaults",
    "test_sagemaker_domains.py::test_list_domains",
    "test_sagemaker_domains.py::test_delete_domain",
}
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "studio-mock"
_BOOT = (
    "import sys, pytest, studio_mock; studio_mock.install(); sys.exit(pytest.main(sys.argv[1:]))"
)


@dataclass
class SuiteResult:
    moto_version: str
    passed: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    output: str = ""

    @property
    def total(self) -> int:
        return len(self.passed) + len(self.failed)


def moto_sdist(version: str) -> Path:
    """The sdist of moto ``version``, downloaded once into the user's cache."""
    target = CACHE / f"moto-{version}.tar.gz"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"moto=={version}", "--no-binary",
             ":all:", "--no-deps", "--no-build-isolation", "--quiet", "-d", str(CACHE)],
            check=True,
        )  # fmt: skip
    return target


def unpack_tests(sdist: Path, into: Path) -> Path:
    """tests/__init__.py, conftest.py, markers.py and test_sagemaker/ from the sdist."""
    wanted = ("tests/__init__.py", "tests/conftest.py", "tests/markers.py", "tests/test_sagemaker/")
    with tarfile.open(sdist) as archive:
        members = [
            m
            for m in archive.getmembers()
            if m.isfile() and m.name.split("/", 1)[-1].startswith(wanted)
        ]
        for member in members:
            member.name = member.name.split("/", 1)[1]  # drop "moto-X.Y.Z/"
        archive.extractall(into, members=members, filter="data")
    return into / "tests"


def run(workdir: Path | None = None) -> SuiteResult:
    version = importlib.metadata.version("moto")
    with tempfile.TemporaryDirectory(prefix="moto-suite-") as scratch:
        root = workdir or Path(scratch)
        unpack_tests(moto_sdist(version), root)
        report = root / "report.xml"
        proc = subprocess.run(
            [sys.executable, "-c", _BOOT, "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
             f"--junitxml={report}", "tests/test_sagemaker"],
            cwd=root, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        result = SuiteResult(version, output=proc.stdout[-4000:] + proc.stderr[-2000:])
        for case in ET.parse(report).getroot().iter("testcase"):
            name = f"{case.get('classname', '').rsplit('.', 1)[-1]}.py::{case.get('name')}"
            failed = case.find("failure") is not None or case.find("error") is not None
            if case.find("skipped") is None:
                (result.failed if failed else result.passed).add(name)
    return result


def main() -> int:
    result = run()
    unexpected = sorted(result.failed - CORRECTED)
    print(
        f"moto {result.moto_version} tests/test_sagemaker with studio_mock installed: "
        f"{result.total} tests, {len(result.passed)} passed, {len(result.failed)} failed "
        f"({len(result.failed & CORRECTED)} of them Domain corrections)"
    )
    for name in unexpected:
        print("  unexpected failure:", name)
    return 1 if unexpected else 0


if __name__ == "__main__":
    raise SystemExit(main())
