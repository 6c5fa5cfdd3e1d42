"""MkDocs hook: pages that come from outside `docs/` or from data files.

- `tutorial.ipynb` is `examples/tutorial.ipynb` (rendered by mkdocs-jupyter);
- `changelog.md` is the repository's `CHANGELOG.md`;
- the gallery page lists `docs/images/gallery/` from its captions file
  (`captions.toml`): a captioned image that is missing, an image without a caption or an
  entry without a title or caption is a warning, so `mkdocs build --strict` fails on it.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.site_pages")

GALLERY_PAGE = "gallery.md"
GALLERY_DIR = "images/gallery"
CAPTIONS = "captions.toml"
MARKER = "<!-- gallery -->"
IMAGE_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".webp"}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


@event_priority(100)  # before mkdocs-jupyter, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the tutorial notebook and the changelog to the site's files."""
    root = _root(config)
    notebook = root / "examples" / "tutorial.ipynb"
    files.append(
        File(
            notebook.name,
            src_dir=str(notebook.parent),
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
    )
    changelog = (root / "CHANGELOG.md").read_text("utf-8")
    files.append(File.generated(config, "changelog.md", content=changelog))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the gallery page's marker with one figure per entry of the captions file."""
    if page.file.src_uri != GALLERY_PAGE:
        return markdown
    if MARKER not in markdown:
        log.warning("%s: the marker %s is missing", GALLERY_PAGE, MARKER)
        return markdown
    folder = Path(config.docs_dir) / GALLERY_DIR
    entries = _entries(folder / CAPTIONS)
    captioned = {str(entry.get("file", "")) for entry in entries}
    for image in sorted(folder.iterdir()):
        if image.suffix.lower() in IMAGE_SUFFIXES and image.name not in captioned:
            log.warning("%s/%s has no entry in %s", GALLERY_DIR, image.name, CAPTIONS)
    blocks = [_figure(entry, folder) for entry in entries]
    return markdown.replace(MARKER, "\n\n".join(blocks))


def _entries(path: Path) -> list[dict[str, Any]]:
    """The `[[figure]]` tables of the captions file (a warning if it is missing or empty)."""
    if not path.is_file():
        log.warning("%s/%s is missing", GALLERY_DIR, CAPTIONS)
        return []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        log.warning("%s/%s: %s", GALLERY_DIR, CAPTIONS, exc)
        return []
    entries = data.get("figure", [])
    if not entries:
        log.warning("%s/%s has no [[figure]] entries", GALLERY_DIR, CAPTIONS)
    return [entry for entry in entries if isinstance(entry, dict)]


def _figure(entry: dict[str, Any], folder: Path) -> str:
    """One figure as Markdown: a heading, the image and its caption."""
    name = str(entry.get("file", ""))
    for key in ("file", "title", "caption"):
        if not str(entry.get(key, "")).strip():
            log.warning("%s/%s: figure %r has no %s", GALLERY_DIR, CAPTIONS, name, key)
    if name and not (folder / name).is_file():
        log.warning("%s/%s names %s, which does not exist", GALLERY_DIR, CAPTIONS, name)
    title = str(entry.get("title", name)).strip()
    caption = " ".join(str(entry.get("caption", "")).split())
    return (
        f"## {title}\n\n"
        f'<figure markdown="span">\n'
        f"  ![{title}]({GALLERY_DIR}/{name})\n"
        f'  <figcaption markdown="span">{caption}</figcaption>\n'
        f"</figure>"
    )
