"""A learner's way through a lab, in JupyterLab in headless Chromium, started as `make lab`
starts it (labkit.workspace): Run All goes past unanswered exercises, each says plainly
that it is not answered, and the instructor's nbgrader tools and the news pop-up are not
there. Screenshots go to _build/screenshots/learner-flow/."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

from labkit.workspace import lab_command
from shared_space.server import free_port

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots" / "learner-flow"
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the one on screen


def _tiny(path: Path, tagged: bool) -> None:
    """Three cells: the middle one raises, as an unanswered stub does."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell("print('first')"),
        nbformat.v4.new_code_cell("raise NotImplementedError('unanswered')"),
        nbformat.v4.new_code_cell("print('after the error')"),
    ]
    if tagged:
        nb.cells[1].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my-labs")
    shutil.copy(ROOT / "labs" / "spaces" / "spaces.ipynb", folder)
    _tiny(folder / "untagged.ipynb", tagged=False)
    _tiny(folder / "tagged.ipynb", tagged=True)
    port, token = free_port(), secrets.token_hex(16)
    command, env = lab_command(
        folder,
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--allow-root",  # CI and containers run as root
    )
    log = (folder.parent / "lab.log").open("w")
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (folder.parent / "lab.log").read_text()[-3000:]
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser, base, token, folder.parent / "lab.log", folder
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


def _open(lab, notebook: str):
    browser, base, token, *_ = lab
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    # a workspace of its own: JupyterLab would reopen the notebooks of the last page
    page.goto(f"{base}/lab/workspaces/{notebook.split('.')[0]}/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(f"{NOTEBOOK} .jp-CodeCell", timeout=60_000)
    # the kernel is up (the status bar names it and says Idle)
    page.wait_for_function(
        "() => /ipykernel\\) \\| Idle/.test(document.querySelector('.jp-StatusBar-Widget')"
        "?.innerText || '')",
        timeout=60_000,
    )
    return page


def _idle(page) -> bool:
    return "| Idle" in page.inner_text(".jp-StatusBar-Widget")


def _run_all_and_save(page, path: Path, timeout: float = 120, quiet: float = 3):
    """Run > Run All Cells, as a learner does; once the kernel has been idle for
    ``quiet`` seconds, save (Ctrl+S) and read what JupyterLab saved. The saved file,
    not the page, says which cells ran: JupyterLab does not keep off-screen cells in
    the page."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    deadline, since = time.monotonic() + timeout, None
    first = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").first
    page.wait_for_function("e => /\\d/.test(e.textContent)", arg=first.element_handle())
    while True:
        if not _idle(page):
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        assert time.monotonic() < deadline, "Run All did not finish"
        page.wait_for_timeout(250)
    before = path.stat().st_mtime_ns
    page.locator(f"{NOTEBOOK}").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    while path.stat().st_mtime_ns == before:
        assert time.monotonic() < deadline + 30, "JupyterLab did not save the notebook"
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)  # the write completes
    return nbformat.read(path, as_version=4)


def _ran(nb) -> list[bool]:
    return [bool(c.execution_count) for c in nb.cells if c.cell_type == "code"]


def _text(nb) -> str:
    """Every output as the learner reads it (errors: their traceback lines)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                parts += out.traceback
            elif out.output_type == "stream":
                parts.append(out.text)
            else:
                parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_run_all_stops_at_an_error_unless_the_cell_is_tagged_raises_exception(lab):
    folder = lab[4]
    untagged = _run_all_and_save(_open(lab, "untagged.ipynb"), folder / "untagged.ipynb")
    assert _ran(untagged) == [True, True, False], "JupyterLab ran past an untagged error"
    tagged = _run_all_and_save(_open(lab, "tagged.ipynb"), folder / "tagged.ipynb")
    assert _ran(tagged) == [True, True, True]
    assert "after the error" in _text(tagged)


def test_a_released_lab_runs_to_its_end_and_says_which_exercises_are_unanswered(lab):
    page = _open(lab, "spaces.ipynb")
    nb = _run_all_and_save(page, lab[4] / "spaces.ipynb")
    assert all(_ran(nb)), f"cells that did not run: {_ran(nb)}"
    text = _text(nb)
    for n in (1, 2, 3, 4):
        assert f"Exercise {n} is not answered yet" in text
    assert "NotImplementedError" not in text and "NameError" not in text
    # the first exercise and its check, as the learner sees them after Run All
    page.get_by_text("Exercise 1 is not answered yet").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, 350)  # the message mid-page, its exercise above it
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "run-all-unanswered.png")


def test_the_learner_sees_no_instructor_tools_and_no_news_prompt(lab):
    page = _open(lab, "spaces.ipynb")
    page.wait_for_timeout(1500)  # the news prompt, when there is one, comes after load
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "learner-lab.png")
    menus = page.eval_on_selector_all(".lm-MenuBar-itemLabel", "es => es.map(e => e.textContent)")
    assert "Nbgrader" not in menus, menus
    assert "Create Assignment" not in page.inner_text("body")
    assert not page.locator(".jp-Notification-Toast").count(), page.inner_text("body")[:500]
    assert page.locator(".jp-Toolbar").get_by_text("Validate", exact=True).count(), (
        "the Validate button is gone"
    )
    # the server side of Formgrader is off too
    _, base, token, *_ = lab
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{base}/formgrader?token={token}", timeout=10)
