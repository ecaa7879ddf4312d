"""The website: it builds without warnings, teaches every row of CONTENT.md, has a
complete glossary, no broken links or images, loads nothing remote, and its live
examples really ran."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from book_support import ROOT, build_book, page_text, parse, toc_pages

# The 21 terms of the study guide's glossary (seeds/001_*.txt), as the book spells them.
GLOSSARY_TERMS = [
    "Code Editor",
    "Container Image",
    "Data Wrangler",
    "EBS",
    "ECR",
    "EFS",
    "EMR",
    "Endpoint",
    "Feature Store",
    "HyperPod",
    "JupyterLab Space",
    "MLflow",
    "Private Space",
    "RStudio",
    "RTC",
    "SageMaker Canvas",
    "SageMaker Classic",
    "SageMaker Domain",
    "SageMaker Studio",
    "Shared Space",
    "User Profile",
]


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built site; book_support builds it once per session for both book test modules."""
    return build_book()


SEEDS = ROOT.parent / "shared" / "seeds"

CHAPTERS = {
    "applications": ["book/studio/index", "book/studio/applications", "book/studio/navigation"],
    "classic": ["book/classic/index", "book/classic/timeline", "book/classic/migration"],
    "spaces": ["book/spaces/index", "book/spaces/create", "book/spaces/lifecycle"],
    "domains": ["book/domains/index", "book/domains/user-profiles", "book/domains/defaults"],
    "sharing": ["book/sharing/index", "book/sharing/visibility", "book/sharing/iam"],
    "collaboration": ["book/sharing/collaboration"],
    "storage": ["book/storage/index", "book/storage/why-ebs", "book/storage/legacy-efs"],
    "containers": [
        "book/containers/index",
        "book/containers/distribution",
        "book/containers/custom-images",
    ],
    "managing": ["book/managing/index", "book/managing/stopping", "book/managing/costs"],
    "glossary": ["book/glossary"],
    "short-answer": ["book/review/short-answer"],
    "essays": ["book/review/essays"],
}

# CONTENT.md row -> (chapters, key phrases that must appear in their built text)
CONTENT_ROWS: dict[int, tuple[list[str], list[str]]] = {
    1: (["applications"], ["JupyterLab", "RStudio", "Code Editor", "Canvas", "MLflow", "licen"]),
    2: (["classic"], ["Studio Classic", "deprecat", "retire", "end of support"]),
    3: (
        ["applications"],
        ["Running instances", "HyperPod", "Data Wrangler", "Feature Store", "EMR", "Endpoints"],
    ),
    4: (["spaces"], ["instance", "volume", "sharing", "image"]),
    5: (["sharing"], ["Private", "Shared", "collaborat", "execution role"]),
    6: (["sharing"], ["Space management", "ListSpaces", "filter", "administrator"]),
    7: (["classic"], ["EFS", "EBS", "execution role", "automatically"]),
    8: (["storage"], ["EBS", "EFS", "NFS", "performance"]),
    9: (["containers"], ["ECR", "container", "SageMaker Distribution", "SageMaker Python SDK"]),
    10: (["spaces", "managing"], ["stop", "volume", "persist", "billing"]),
    11: (["managing"], ["endpoint", "EMR", "S3", "keep billing"]),
    12: (["managing"], ["Space management", "console", "Studio", "every space"]),
    13: (["collaboration"], ["RTC", "circle", "initial", "Launcher"]),
    14: (["domains"], ["domain", "user profile", "execution role", "DefaultUserSettings"]),
    15: (["glossary"], GLOSSARY_TERMS),
    16: (
        ["short-answer"],
        ["Default storage", "Real-time collaboration", "Private versus shared", "EFS"],
    ),
    17: (["essays"], ["essay", "private", "shared", "Classic"]),
}


def html_of(html: Path, page: str) -> Path:
    return html / f"{page}.html"


def all_pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


def test_glossary_terms_match_the_study_guide() -> None:
    seed = sorted(SEEDS.glob("001_*.txt"))
    if not seed:
        pytest.skip("the study guide is not beside this checkout")
    lines = seed[0].read_text().split("Term\tDefinition", 1)[1].strip().splitlines()
    terms = [re.sub(r"\s*\(.*\)$", "", line.split("\t")[0]).strip() for line in lines if line]
    assert terms == GLOSSARY_TERMS


def test_every_glossary_term_has_an_entry(book_html: Path) -> None:
    ids = parse(book_html / "book" / "glossary.html").ids
    missing = [t for t in GLOSSARY_TERMS if f"term-{t.replace(' ', '-')}" not in ids]
    assert not missing, f"glossary entries missing: {missing}"
    source = (book_html / "book" / "glossary.html").read_text()
    assert len(re.findall(r'<dt id="term-', source)) >= len(GLOSSARY_TERMS)


@pytest.mark.parametrize("row", sorted(CONTENT_ROWS))
def test_content_row_is_taught(book_html: Path, row: int) -> None:
    chapters, phrases = CONTENT_ROWS[row]
    text = " ".join(
        page_text(html_of(book_html, page)) for chapter in chapters for page in CHAPTERS[chapter]
    ).lower()
    missing = [p for p in phrases if p.lower() not in text]
    assert not missing, f"CONTENT.md row {row}: {missing} not found in {chapters}"


def test_every_toc_page_was_built(book_html: Path) -> None:
    missing = [p for p in toc_pages() if not html_of(book_html, p).exists()]
    assert not missing


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def test_no_broken_internal_links(book_html: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = parse(page).ids
        return ids[page]

    broken = []
    for page in all_pages(book_html):
        for href in parse(page).links:
            if not _local(href) or href.startswith(("mailto:", "javascript:")):
                continue
            parts = urlsplit(href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if target.suffix != ".html":
                if not target.exists():
                    broken.append(f"{page.relative_to(book_html)}: {href}")
                continue
            if not target.exists():
                broken.append(f"{page.relative_to(book_html)}: {href} (no such page)")
            elif parts.fragment and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{page.relative_to(book_html)}: {href} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_images_and_figures_exist(book_html: Path) -> None:
    missing, seen = [], 0
    for page in all_pages(book_html):
        for tag, url in parse(page).resources:
            if tag in ("img", "object") and _local(url) and not url.startswith("data:"):
                seen += 1
                if not (page.parent / unquote(urlsplit(url).path)).exists():
                    missing.append(f"{page.relative_to(book_html)}: <{tag}> {url}")
    assert not missing, "missing images:\n" + "\n".join(missing)
    figures = sorted((ROOT / "book" / "images").glob("*.svg"))
    assert figures and seen >= len(figures)
    built = {p.name for p in (book_html / "_images").glob("*")}
    assert {f.name for f in figures} <= built, "a figure of book/images/ is not in the site"


def test_nothing_is_loaded_from_the_network(book_html: Path) -> None:
    remote = [
        f"{page.relative_to(book_html)}: <{tag}> {url}"
        for page in all_pages(book_html)
        for tag, url in parse(page).resources
        if not _local(url) and not url.startswith("data:")
    ]
    assert not remote, "remote resources (the book must work offline):\n" + "\n".join(remote)


def _outputs(page: Path) -> str:
    """The raw HTML of a page's code-cell outputs."""
    source = page.read_text()
    found = re.findall(
        r'<div class="cell_output docutils container">(.*?)(?=<div class="cell |</section>)',
        source,
        re.S,
    )
    return "".join(found)


def test_live_examples_ran(book_html: Path) -> None:
    visibility = book_html / "book" / "sharing" / "visibility.html"
    outputs = _outputs(visibility)
    assert outputs.count("class='studio-view'") == 3, "the three Studio views were not rendered"
    assert "Studio: Spaces of alice" in outputs and "Console: Space management" in outputs
    assert "AccessDeniedException" in outputs
    iam = _outputs(book_html / "book" / "sharing" / "iam.html")
    assert "AccessDeniedException" in iam and "allowed" in iam
    collaboration = _outputs(book_html / "book" / "sharing" / "collaboration.html")
    assert "RTC" in collaboration and "title='bob'" in collaboration
    lifecycle = _outputs(book_html / "book" / "spaces" / "lifecycle.html")
    assert lifecycle.count("analysis.ipynb") >= 2, "the file did not survive the stop"
    costs = _outputs(book_html / "book" / "managing" / "costs.html")
    assert "class='studio-cost'" in costs and "EMR cluster" in costs and "Endpoint" in costs


def test_every_live_page_shows_outputs_and_no_errors(book_html: Path) -> None:
    live = [p for p in toc_pages() if "{code-cell}" in (ROOT / f"{p}.md").read_text()]
    assert len(live) >= 15
    for page in live:
        built = html_of(book_html, page)
        outputs = _outputs(built)
        assert outputs, f"{page}: no cell output"
        assert "Traceback" not in outputs and "output error" not in built.read_text(), page
        assert "<!-- LIVE" not in (ROOT / f"{page}.md").read_text(), page
