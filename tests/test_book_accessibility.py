"""Accessibility of the website in headless Chromium: every page passes axe-core's WCAG 2.1
A and AA rules with no violation, and a folded answer opens from the keyboard alone.

Builds on the Chromium test (tests/test_book_browser.py): the same built site, server and
browser. axe-core comes from the axe-playwright-python package, which ships its own copy
of the engine, so nothing is fetched."""

from __future__ import annotations

from typing import Any

import pytest
import test_book_browser as chromium_test
from book_support import toc_pages

pytestmark = chromium_test.pytestmark

# The Chromium test's fixtures: the built book, served on 127.0.0.1, and one browser.
book_html = chromium_test.book_html
site = chromium_test.site
browser = chromium_test.browser
watched = chromium_test.watched

WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe() -> Any:
    sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    return sync.Axe()


def describe(violations: list[dict[str, Any]], page_name: str) -> str:
    """One line per rule that fails, with where on the page (first three elements)."""
    lines = []
    for rule in violations:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
        lines.append(
            f"{page_name}: {rule['id']} ({rule['impact']}, {len(rule['nodes'])} element(s)): "
            f"{rule['help']} -- {targets}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("page_name", toc_pages())
def test_page_has_no_wcag_21_violation(watched: Any, site: str, axe: Any, page_name: str) -> None:
    watched.page.goto(f"{site}/{page_name}.html", wait_until="networkidle")
    options = {"runOnly": {"type": "tag", "values": WCAG_21_A_AA}, "resultTypes": ["violations"]}
    violations = axe.run(watched.page, options=options).response["violations"]
    assert not violations, "axe-core (WCAG 2.1 A/AA):\n" + describe(violations, page_name)


FOCUSED_DROPDOWN = """() => {
  const el = document.activeElement;
  return !!el && el.tagName === 'SUMMARY' && !!el.closest('details.sd-dropdown');
}"""


def test_folded_answer_opens_from_the_keyboard(watched: Any, site: str) -> None:
    page = watched.page
    page.goto(f"{site}/book/spaces/index.html", wait_until="networkidle")
    for _ in range(400):  # Tab through the page until a dropdown's summary has focus
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_DROPDOWN):
            break
    else:
        pytest.fail("Tab never reached the summary of a folded answer (details.sd-dropdown)")
    dropdown = page.locator("details.sd-dropdown").first
    content = dropdown.locator(".sd-summary-content")
    assert dropdown.get_attribute("open") is None and not content.is_visible()

    page.keyboard.press("Enter")
    content.wait_for(state="visible", timeout=5_000)
    assert dropdown.get_attribute("open") is not None
    assert "Two spaces" in content.inner_text(), "the answer that opened is not this page's"

    page.keyboard.press("Enter")  # and it folds again
    content.wait_for(state="hidden", timeout=5_000)
    assert not watched.problems, "\n".join(watched.problems)
