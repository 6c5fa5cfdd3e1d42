"""The documentation website builds with `--strict`; its generated pages are complete, and
the tutorial page shows the notebook executed (the build runs it once per session).

Also: the gallery hook refuses missing or uncaptioned figures, and CITATION.cff and
CHANGELOG.md keep to their formats and to the package version.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import re
import tomllib
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import yaml

from tests.site_build import ROOT, SiteBuild, build_site

PACKAGE = ROOT / "src" / "loyalsim"
HOOK = ROOT / "docs" / "hooks" / "site_pages.py"
GALLERY = ROOT / "docs" / "images" / "gallery"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.getbasetemp())


def test_site_builds_strictly_without_warnings(site: SiteBuild) -> None:
    warnings = [line for line in site.log.splitlines() if re.match(r"\s*(WARNING|ERROR)\s+-", line)]
    assert site.returncode == 0 and warnings == [], site.log[-5000:]


def public_modules() -> list[str]:
    """Dotted names of the package's modules and packages, without private ones."""
    names = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            names.append(".".join(parts))
    return sorted(names)


def test_api_reference_has_a_page_for_every_public_module(site: SiteBuild) -> None:
    modules = public_modules()
    assert "loyalsim.plot" in modules and "loyalsim.scenario.io" in modules
    for name in modules:
        page = site.page("reference/" + name.replace(".", "/"))
        assert f'id="{name}"' in page, name
    pages = {
        p.parent.relative_to(site.site / "reference")
        for p in site.site.glob("reference/**/index.html")
    }
    assert {".".join(p.parts) for p in pages} == set(modules)  # and no private module


def test_api_reference_renders_docstrings_and_signatures(site: SiteBuild) -> None:
    page = site.page("reference/loyalsim/scenario/io")
    assert 'id="loyalsim.scenario.io.load"' in page
    assert "overrides" in page  # the signature's parameters are shown


def test_gallery_page_shows_every_captioned_figure(site: SiteBuild) -> None:
    entries = tomllib.loads((GALLERY / "captions.toml").read_text("utf-8"))["figure"]
    images = sorted(p.name for p in GALLERY.glob("*.png"))
    assert sorted(e["file"] for e in entries) == images and images
    page = site.page("gallery")
    assert page.count("<figcaption>") == len(entries)
    for entry in entries:
        assert f'src="../images/gallery/{entry["file"]}"' in page
        assert (site.site / "images" / "gallery" / entry["file"]).is_file()


# The gallery hook, called directly on small folders.


def load_hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_pages", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_gallery(docs: Path, captions: str | None, images: list[str]) -> str:
    folder = docs / "images" / "gallery"
    folder.mkdir(parents=True)
    if captions is not None:
        (folder / "captions.toml").write_text(captions, "utf-8")
    for name in images:
        (folder / name).write_bytes(b"\x89PNG\r\n")
    page: Any = SimpleNamespace(file=SimpleNamespace(src_uri="gallery.md"))
    config: Any = SimpleNamespace(docs_dir=str(docs))
    markdown: str = load_hook().on_page_markdown(
        "# Gallery\n\n<!-- gallery -->\n", page=page, config=config, files=None
    )
    return markdown


ONE = '[[figure]]\nfile = "a.png"\ntitle = "A figure"\ncaption = "What `a` shows."\n'


def test_gallery_hook_turns_entries_into_figures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        markdown = render_gallery(tmp_path, ONE, ["a.png"])
    assert caplog.records == []
    assert "## A figure" in markdown and "(images/gallery/a.png)" in markdown
    assert "What `a` shows." in markdown and "<!-- gallery -->" not in markdown


@pytest.mark.parametrize(
    ("captions", "images", "complaint"),
    [
        (ONE, [], "names a.png, which does not exist"),
        (ONE, ["a.png", "b.png"], "b.png has no entry"),
        ('[[figure]]\nfile = "a.png"\ntitle = "A"\n', ["a.png"], "has no caption"),
        (None, [], "captions.toml is missing"),
        ("[[figure]\n", [], "captions.toml"),
    ],
)
def test_gallery_hook_warns_so_that_strict_builds_fail(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    captions: str | None,
    images: list[str],
    complaint: str,
) -> None:
    with caplog.at_level(logging.WARNING):
        render_gallery(tmp_path, captions, images)
    assert any(complaint in r.getMessage() for r in caplog.records), caplog.text


# Citation and changelog.


def project_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    version: str = project["version"]
    return version


def latest_release() -> tuple[str, dt.date]:
    """Version and date of the newest release section of CHANGELOG.md."""
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    found = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert found, "CHANGELOG.md has no release section"
    return found[1], dt.date.fromisoformat(found[2])


def test_citation_file_has_the_keys_cff_1_2_requires() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title"):
        assert isinstance(cff[key], str) and cff[key].strip(), key
    authors = cff["authors"]
    assert authors and all(
        isinstance(a, dict) and ("name" in a or "family-names" in a) for a in authors
    )
    assert cff["type"] == "software" and cff["license"] == "MIT"
    assert (str(cff["version"]), cff["date-released"]) == latest_release()
    allowed = {
        "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
        "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
        "references", "repository", "repository-artifact", "repository-code", "title", "type",
        "url", "version",
    }  # fmt: skip
    assert set(cff) <= allowed, set(cff) - allowed


def test_changelog_keeps_a_changelog_format() -> None:
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[0] == "[Unreleased]"
    assert headings[1:] and all(
        re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", h) for h in headings[1:]
    )
    assert latest_release()[0] == project_version()
    kinds = set(re.findall(r"^### (.+)$", text, re.M))
    assert kinds and kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_tutorial_page_shows_the_executed_outputs(site: SiteBuild) -> None:
    html = site.page("tutorial")
    figures = html.count("data:image/png;base64,")
    assert figures >= 7  # compare, gap by age, gap by group, enforcement, amnesty, bands, ...
    for printed in (
        "largest difference 0",  # the counterfactual equals the default until the first order
        "criticisms voiced",
        "95% low",  # the interval table of `loyalsim summarize`
        "report.html",
        "temporary folder removed: True",
    ):
        assert printed in html, printed
    assert "Traceback" not in html
    assert 'OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"' not in html


def test_tutorial_leaves_nothing_in_the_temporary_folder(site: SiteBuild) -> None:
    assert sorted(p.name for p in Path(site.tmp).iterdir()) == []
