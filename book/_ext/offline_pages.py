"""A small Sphinx extension for this book: pages that work offline and load each script once.

Jupyter Book always loads sphinx-thebe, even with Thebe switched off (``launch_buttons.thebe:
false``). Its inline configuration names a script on unpkg.com, and it is added twice to
every page, which makes browsers report "Identifier 'THEBE_JS_URL' has already been
declared". With no launch button there is nothing for Thebe to do, so its scripts are
dropped, and any other script added twice is kept once.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _is_thebe(script: Any) -> bool:
    filename = getattr(script, "filename", None) or ""
    body = (getattr(script, "attributes", None) or {}).get("body", "") or ""
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _clean_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    seen: set[tuple[str, str]] = set()
    kept = []
    for script in context.get("script_files", []):
        key = (
            getattr(script, "filename", None) or "",
            (getattr(script, "attributes", None) or {}).get("body", "") or "",
        )
        if _is_thebe(script) or key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
