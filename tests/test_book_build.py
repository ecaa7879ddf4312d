"""The website: it builds without warnings, teaches every row of CONTENT.md, has a
complete glossary, no broken links or images, loads nothing remote, and its live
examples really ran."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from book_support import ROOT, PageParser, build_book, page_text, parse, toc_pages

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
    "applications": [
        "book/studio/index",
        "book/studio/applications",
        "book/studio/navigation",
        "book/studio/remote-ide",
        "book/studio/names",
    ],
    "classic": ["book/classic/index", "book/classic/timeline", "book/classic/migration"],
    "spaces": ["book/spaces/index", "book/spaces/create", "book/spaces/lifecycle"],
    "domains": [
        "book/domains/index",
        "book/domains/user-profiles",
        "book/domains/defaults",
        "book/domains/networking",
    ],
    "sharing": ["book/sharing/index", "book/sharing/visibility", "book/sharing/iam"],
    "collaboration": ["book/sharing/collaboration"],
    "storage": [
        "book/storage/index",
        "book/storage/why-ebs",
        "book/storage/legacy-efs",
        "book/storage/git",
    ],
    "containers": [
        "book/containers/index",
        "book/containers/distribution",
        "book/containers/custom-images",
        "book/containers/lifecycle-configurations",
    ],
    "managing": [
        "book/managing/index",
        "book/managing/stopping",
        "book/managing/costs",
        "book/managing/failures",
    ],
    "glossary": ["book/glossary"],
    "short-answer": ["book/review/short-answer"],
    "essays": ["book/review/essays"],
}

# CONTENT.md row -> (chapters, key phrases that must appear in their built text)
CONTENT_ROWS: dict[int, tuple[list[str], list[str]]] = {
    1: (["applications"], ["JupyterLab", "RStudio", "Code Editor", "Canvas", "MLflow", "licen"]),
    2: (["classic"], ["Studio Classic", "no longer available for onboarding", "end of support"]),
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
    # Beyond the seeds (CONTENT.md rows 18-24)
    18: (
        ["managing"],
        ["idle shutdown", "SageMaker Distribution image, version 2.0", "no file is being viewed"],
    ),
    19: (
        ["containers"],
        ["CreateStudioLifecycleConfig", "LifecycleConfigArns", "LifecycleConfigOnStart"],
    ),
    20: (["managing"], ["ResourceLimitExceeded", "FailureReason", "Service Quotas"]),
    21: (["domains"], ["VpcOnly", "NAT gateway", "pip install"]),
    22: (["storage"], ["git clone", "CodeRepositories", "Moving files between spaces"]),
    23: (["applications"], ["RemoteAccess", "StartSession", "local IDE"]),
    24: (["applications"], ["Amazon SageMaker AI", "SageMaker Unified Studio"]),
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


def main_text(page: Path) -> str:
    """The visible text of a page's article only (no sidebar, no page navigation)."""
    source = page.read_text(encoding="utf-8")
    start = source.index('<article class="bd-article">')
    article = source[start : source.index("</article>", start)]
    parser = PageParser()
    parser.feed(article)
    text = " ".join("".join(parser.text).split())
    return text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))  # smart quotes


# Issue 11, part 1: each correction, with its source named on the page, and the old
# wrong statement gone. (page, phrases that must appear, phrases that must not)
CORRECTIONS: list[tuple[str, list[str], list[str]]] = [
    (  # Studio Classic's status in the Developer Guide's words (page sm-q)
        "book/classic/timeline",
        [
            "is still maintained for existing workloads but is no longer available for onboarding",
            "You can only stop or delete existing Studio Classic applications and cannot "
            "create new ones",
            "sm-q",
            "Reported:",
            "amazon-sagemaker-build-train-deploy",
        ],
        ["the course did not find one official documentation sentence"],
    ),
    (  # idle: JupyterLab's rule and Code Editor's rule; SageMaker Distribution 2.0
        "book/managing/stopping",
        [
            "JupyterLab counts as idle when",
            "Code Editor counts as idle when",
            "no background process is running",
            "no unsaved work",
            "SageMaker Distribution image, version 2.0 or later",
            "lifecycle configuration",
            "studio-updated-idle-shutdown",
        ],
        ["- Idle means no kernel sessions and no terminal sessions."],
    ),
    (  # EFS: a mount target in each subnet; the privacy of attaching the whole home EFS
        "book/storage/legacy-efs",
        [
            "a mount target in each of the subnets the domain uses",
            "domain-custom-efs",
            "Attaching the whole home EFS is a privacy decision",
            "every user's folder",
            "for domains created through quick setup after 1 June 2026",
            "studio-updated-automount",
        ],
        ["a mount target in the subnet,"],
    ),
    (  # resizing: what AWS documents, and no stop-first rule it does not state
        "book/storage/index",
        ["neither says whether the space must be stopped first", "UpdateSpace"],
        ["by editing the space while it is stopped"],
    ),
    (  # shared spaces: JupyterLab and Classic only; no CodeEditorAppSettings
        "book/sharing/index",
        ["JupyterLab and for", "domain-space", "no CodeEditorAppSettings"],
        ["whether they can be shared is not settled"],
    ),
    (  # jupyter-collaboration: named by SageMaker Distribution's package list, not by AWS
        "book/sharing/collaboration",
        ["aws/sagemaker-distribution", "cpu.env.in", "likely but not stated by AWS"],
        ["shared JupyterLab spaces use JupyterLab's real-time collaboration"],
    ),
    (  # shared spaces take DefaultSpaceSettings, never the user settings
        "book/domains/defaults",
        ["SageMaker doesn't apply these settings to shared spaces", "DefaultSpaceSettings"],
        ["the course and its mock fall back"],
    ),
    (  # quotas and failed starts are run live, now that the mock has both
        "book/managing/failures",
        [
            "is 0 Apps, with current utilization of 0 Apps",
            "Ensure that the UID/GID provided in the AppImageConfig matches the default",
            "DEVELOPMENT.md",
        ],
        ["does not yet simulate quotas", "because the mock has no quotas yet"],
    ),
    (  # statuses take time on AWS
        "book/spaces/lifecycle",
        ["On AWS these steps take time", "Pending", "Deleting", "no waiter"],
        [],
    ),
]


@pytest.mark.parametrize("page,present,absent", CORRECTIONS, ids=[c[0] for c in CORRECTIONS])
def test_corrected_statements(book_html: Path, page: str, present: list, absent: list) -> None:
    text = main_text(html_of(book_html, page))
    missing = [phrase for phrase in present if phrase not in text]
    stale = [phrase for phrase in absent if phrase in text]
    assert not missing, f"{page}: corrected statement or source missing: {missing}"
    assert not stale, f"{page}: old statement still there: {stale}"


NEW_PAGES = {
    "book/containers/lifecycle-configurations": ["CreateStudioLifecycleConfig", "jl-lcc-debug"],
    "book/storage/git": ["git clone", "studio-updated-jl-admin-guide-git-attach"],
    "book/domains/networking": ["VpcOnly", "studio-updated-and-internet-access"],
    "book/managing/failures": ["ResourceLimitExceeded", "amazon-sagemaker-feedback"],
    "book/studio/remote-ide": ["RemoteAccess", "remote-access-remote-setup"],
    "book/studio/names": ["Amazon SageMaker AI", "SageMaker Unified Studio", "whatis"],
}


@pytest.mark.parametrize("page", sorted(NEW_PAGES))
def test_new_topic_page_is_complete(book_html: Path, page: str) -> None:
    """Each new topic: objectives, its facts with their sources, a folded self-check and
    key points, and an example (live when the mock can show it, else marked as AWS's)."""
    built = html_of(book_html, page)
    text = main_text(built)
    source = built.read_text(encoding="utf-8")
    for part in ["Learning objectives", "Sources:", "Check yourself", "Key points"]:
        assert part in text, f"{page}: no {part!r}"
    assert "sd-dropdown" in source, f"{page}: the self-check answer is not folded"
    missing = [phrase for phrase in NEW_PAGES[page] if phrase not in text]
    assert not missing, f"{page}: {missing} not found"
    live = "{code-cell}" in (ROOT / f"{page}.md").read_text()
    assert live or "not run in this book" in text, f"{page}: no example, live or marked static"


# Each chapter (as _toc.yml lists them) ends with the lab that practises it.
LAST_PAGE_LAB = {
    "book/studio/names": "apps",
    "book/domains/networking": "domains",
    "book/spaces/lifecycle": "spaces",
    "book/sharing/collaboration": "sharing",
    "book/containers/lifecycle-configurations": "images",
    "book/storage/git": "storage",
    "book/classic/migration": "quiz",
    "book/managing/failures": "costs",
    "book/capstone/index": "incidents",
    "book/glossary": "quiz",
    "book/review/essays": "quiz",
}


def test_every_chapter_ends_with_its_lab(book_html: Path) -> None:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    last_pages = {
        (chapter.get("sections") or [chapter])[-1]["file"]
        for part in toc["parts"]
        for chapter in part["chapters"]
    }
    assert set(LAST_PAGE_LAB) <= last_pages, "a chapter's last page changed: update the map"
    for page in sorted(last_pages):
        lab = LAST_PAGE_LAB.get(page)
        if lab is None:
            continue  # a chapter this module does not know (for example, added elsewhere)
        built = html_of(book_html, page)
        text = main_text(built)
        assert text.rstrip().endswith(")."), f"{page}: the practise box is not at the end"
        assert f"labs/{lab}/{lab}.ipynb" in text, f"{page}: does not name labs/{lab}"
        links = [
            h
            for h in parse(built).links
            if h.endswith(f"/{lab}.ipynb") and not h.startswith(("http:", "https:"))
        ]
        assert links, f"{page}: no link to the {lab} lab's notebook"
        assert all((built.parent / unquote(h)).exists() for h in links), page


def test_the_review_chapter_states_the_quiz_scoring(book_html: Path) -> None:
    """Issue 11, part 4: the quiz's partial-credit rule, its figures and why, and the
    essays' half marks, where learners read about the quiz."""
    text = main_text(html_of(book_html, "book/review/index"))
    for phrase in [
        "It has 61 points",
        "net-correct",
        'partial-credit="net-correct"',
        "3 for exactly the true ones, 2 for the true ones plus one false one",
        "0 for every option ticked",
        "3/7 of a point",
        "right or wrong as a whole",
        "guessing earns nothing",
    ]:
        assert phrase in text, f"the review chapter does not say {phrase!r}"
    assert "all or nothing" not in text
    essays = main_text(html_of(book_html, "book/review/essays"))
    assert "a half when covered in part" in essays


def test_said_once_and_linked(book_html: Path) -> None:
    """The Classic dates live on the timeline page only, and "a filter is not a lock" is
    explained once, in the visibility page; other pages link there."""
    dates = ["31 December 2024", "31 Dec 2024", "30 November 2023", "30 Nov 2023"]
    for page in toc_pages():
        text = main_text(html_of(book_html, page))
        if page != "book/classic/timeline":
            found = [d for d in dates if d in text]
            assert not found, f"{page} restates Classic's dates {found}: link to the timeline"
        if page != "book/sharing/visibility":
            assert "That is a filter" not in text and "**filter**" not in text, page
    linking = ["book/sharing/index", "book/managing/index", "book/glossary"]
    for page in linking:
        hrefs = parse(html_of(book_html, page)).links
        assert any("visibility.html#filter-not-lock" in h for h in hrefs), page
    for page in ["book/classic/index", "book/glossary", "book/review/essays"]:
        hrefs = parse(html_of(book_html, page)).links
        assert any("timeline.html#classic-status" in h for h in hrefs), page


def test_the_iam_page_ends_with_the_policy_lab(book_html: Path) -> None:
    """A page a second lab practises names it ({practise} policy), after its key points."""
    built = html_of(book_html, "book/sharing/iam")
    text = main_text(built)
    assert "no policy can hide another user's private space from a listing" in text
    assert text.rstrip().endswith(")."), "the practise box is not at the end"
    assert "labs/policy/policy.ipynb" in text
    links = [
        h
        for h in parse(built).links
        if h.endswith("/policy.ipynb") and not h.startswith(("http:", "https:"))
    ]
    assert links and all((built.parent / unquote(h)).exists() for h in links)
