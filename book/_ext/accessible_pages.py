"""A small Sphinx extension for this book: pages that pass axe-core's WCAG 2.1 A/AA rules.

- The theme's navigation sidebar folds each chapter with a ``<details>`` whose
  ``<summary>`` holds only a chevron icon, so a screen reader announces a nameless
  control (axe: ``summary-name``). Each such summary gets an ``aria-label`` naming the
  chapter it opens ("Sections of Domains").
- ``book/_static/accessibility.css`` overrides colours that fail ``color-contrast``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from sphinx.application import Sphinx


def label_toggles(html: str | BeautifulSoup) -> str | BeautifulSoup:
    """Give every nameless sidebar ``<summary>`` an aria-label from its chapter's link.

    Takes the sidebar as HTML text or as the theme's BeautifulSoup object and returns the
    same kind (a soup is changed in place)."""
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "html.parser")
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else "this chapter"
        summary["aria-label"] = f"Sections of {title}"
    return soup if isinstance(html, BeautifulSoup) else str(soup)


def _wrap_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    generate: Callable[..., Any] | None = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "labels_toggles", False):
        return

    def generate_labelled(kind: str, *args: Any, **kwargs: Any) -> Any:
        out = generate(kind, *args, **kwargs)
        # pydata-sphinx-theme returns the sidebar as a BeautifulSoup object
        return label_toggles(out) if kind == "sidebar" else out

    generate_labelled.labels_toggles = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_labelled


def _static_files(app: Sphinx) -> None:
    app.config.html_static_path.append("book/_static")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _static_files)
    app.connect("html-page-context", _wrap_toctree, priority=900)
    app.add_css_file("accessibility.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
