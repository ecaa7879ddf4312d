"""Links from the book to the class hub: each chapter's lab, opened through nbgitpuller.

One setting decides where the hub is: ``launch_buttons.jupyterhub_url`` in _config.yml.
From it this extension makes

- the ``{practise}`` directive, which ends each chapter: a box linking to that chapter's
  lab on the hub, and saying how to do it offline;
- the theme's JupyterHub launch button on every notebook page of a chapter that has a
  lab. The theme would point it at the page itself in a GitHub repository; here it
  opens the chapter's lab from the hub's own labs repository, which works offline.

nbgitpuller clones ``<hub>/services/course/labs`` into ``~/labs`` the first time and
merges later releases without overwriting a learner's edits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

# chapter folder -> the lab that practises it (labs/<lab>/<lab>.ipynb)
LABS = {
    "book/studio": "apps",
    "book/domains": "domains",
    "book/spaces": "spaces",
    "book/sharing": "sharing",
    "book/containers": "images",
    "book/storage": "storage",
    "book/managing": "costs",
    "book/capstone": "incidents",
    "book/classic": "quiz",
    "book/review": "quiz",
    "book/glossary": "quiz",
}


def hub_url(app: Sphinx) -> str:
    options = app.config.html_theme_options or {}
    return (options.get("launch_buttons", {}).get("jupyterhub_url") or "").rstrip("/")


def lab_link(hub: str, lab: str) -> str:
    """The nbgitpuller link that opens ``labs/<lab>/<lab>.ipynb`` on the hub."""
    query = urlencode(
        {
            "repo": f"{hub}/services/course/labs",
            "branch": "main",
            "targetpath": "labs",
            "urlpath": f"lab/tree/labs/{lab}/{lab}.ipynb",
        },
        safe="/",
    )
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def lab_of(docname: str) -> str | None:
    for prefix, lab in LABS.items():
        if docname == prefix or docname.startswith(prefix + "/"):
            return lab
    return None


class PractiseDirective(SphinxDirective):
    """The box that ends a chapter: what its lab practises (the directive's content), the
    lab on the class hub, and the lab offline with ``make lab``. A page that a second lab
    practises names it: ``{practise} policy``."""

    has_content = True
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        lab = self.arguments[0] if self.arguments else lab_of(self.env.docname)
        if lab is None:
            raise self.error(f"{self.env.docname}: no lab practises this chapter (see LABS)")
        if not (Path(self.env.srcdir) / "labs" / lab / f"{lab}.ipynb").is_file():
            raise self.error(f"{self.env.docname}: there is no lab labs/{lab}/{lab}.ipynb")
        box = nodes.admonition(classes=["practise", "seealso"])
        box += nodes.title(text="Practise it")
        self.state.nested_parse(self.content, self.content_offset, box)
        hub = hub_url(self.env.app)
        if hub:
            para = nodes.paragraph()
            para += nodes.Text("Open the ")
            para += nodes.literal(text=lab)
            para += nodes.Text(" lab ")
            link = nodes.reference("", "on the class hub", refuri=lab_link(hub, lab))
            link["classes"].append("practise-link")
            para += link
            para += nodes.Text(" (your own JupyterLab server, nothing to install).")
            box += para
        notebook = f"labs/{lab}/{lab}.ipynb"
        offline = StringList(
            [
                f"Offline: run `make lab` and open `{lab}/{lab}.ipynb` "
                f"({{download}}`{notebook} </{notebook}>`)."
            ]
        )
        self.state.nested_parse(offline, self.content_offset, box)
        return [box]


def _point_launch_button_at_lab(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    hub, lab = hub_url(app), lab_of(pagename)
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        buttons = group["buttons"]
        for button in list(buttons):
            if button.get("text") == "JupyterHub":
                if lab and hub:
                    button["url"] = lab_link(hub, lab)
                    button["tooltip"] = f"Open the {lab} lab on the class hub"
                else:
                    buttons.remove(button)
        if not buttons:
            context["header_buttons"].remove(group)
        break


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("practise", PractiseDirective)
    # after the theme's own launch buttons (priority 501)
    app.connect("html-page-context", _point_launch_button_at_lab, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
