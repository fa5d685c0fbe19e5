"""The locked-down URL fetcher WeasyPrint uses, and the template folders it may read.

Reports are rendered from data that may come from someone else (a rubric, a mentor's notes).
Everything in that data is escaped, but the renderer is locked down as well, so that even a
hostile template override cannot reach further:

* only ``file:`` URLs are served, and only for regular files whose real path (symlinks
  resolved) lies inside one of the template folders;
* a file is looked up in the folders in order, so a user's ``--templates DIR`` wins over the
  bundled file of the same relative name;
* ``http:``, ``https:``, ``ftp:``, ``data:`` and every other scheme are refused, as are files
  outside the folders, folders themselves, and files above a size limit.

Refused URLs are recorded in ``TemplateFetcher.blocked`` so the caller can say so.
WeasyPrint is imported lazily: ``assess --help`` must not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_RESOURCE_BYTES = 20_000_000

MIME_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


class BlockedResource(ValueError):
    """A URL the report renderer refuses to read."""


class TemplateFolders:
    """An ordered list of template folders: the first that holds a relative name wins."""

    def __init__(self, roots: Sequence[Path | str]) -> None:
        resolved: list[Path] = []
        for root in roots:
            real = Path(os.path.realpath(root))
            if real not in resolved:
                resolved.append(real)
        if not resolved:
            raise ValueError("at least one template folder is needed")
        self.roots: tuple[Path, ...] = tuple(resolved)

    @property
    def base(self) -> Path:
        """The folder relative URLs in the templates are resolved against."""
        return self.roots[0]

    def base_url(self) -> str:
        return self.base.as_uri() + "/"

    def _inside(self, real: Path) -> Path | None:
        for root in self.roots:
            if real == root or root in real.parents:
                return root
        return None

    def relative_name(self, path: Path) -> str | None:
        """The name of ``path`` relative to the folder (not resolving symlinks) it lies in."""
        absolute = Path(os.path.abspath(path))
        for root in self.roots:
            try:
                return absolute.relative_to(root).as_posix()
            except ValueError:
                continue
        return None

    def find(self, name: str) -> Path | None:
        """The first regular file called ``name`` (a relative, ``/``-separated path) whose real
        path stays inside its folder; ``None`` when there is none."""
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if not parts or any(part == ".." or "\\" in part or "\x00" in part for part in parts):
            return None
        for root in self.roots:
            candidate = Path(os.path.realpath(root.joinpath(*parts)))
            if self._inside(candidate) is not root:
                continue
            if candidate.is_file():
                return candidate
        return None

    def font_files(self) -> list[Path]:
        """The font files in the folders' ``fonts/`` subfolders (what the PDF can embed)."""
        found: list[Path] = []
        for root in self.roots:
            folder = root / "fonts"
            if folder.is_dir():
                found += sorted(p for p in folder.iterdir()
                                if p.suffix.lower() in (".ttf", ".otf") and p.is_file())
        return found

    def read_text(self, name: str) -> str:
        """Read a template-folder file as UTF-8 (``FileNotFoundError`` when there is none)."""
        path = self.find(name)
        if path is None:
            raise FileNotFoundError(name)
        with path.open("rb") as handle:  # a regular file (find checked), read with a cap
            data = handle.read(MAX_RESOURCE_BYTES + 1)
        if len(data) > MAX_RESOURCE_BYTES:
            raise OSError(f"{name}: larger than {MAX_RESOURCE_BYTES} bytes")
        return data.decode("utf-8")


def _url_to_name(folders: TemplateFolders, url: str) -> str | None:
    """Map a ``file:`` URL to a name relative to one of the template folders."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    raw = unquote(parts.path)
    if "\x00" in raw or not raw.startswith("/"):
        return None
    return folders.relative_name(Path(raw))


def make_fetcher(folders: TemplateFolders) -> Any:
    """A WeasyPrint ``URLFetcher`` that can read only files inside ``folders``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.folders = folders
            self.blocked: list[str] = []
            self.served: list[str] = []

        def _refuse(self, url: str, why: str) -> BlockedResource:
            shown = url if len(url) <= 120 else url[:117] + "..."
            self.blocked.append(shown)
            return BlockedResource(f"blocked {shown}: {why}")

        def fetch(self, url: str, headers: Any = None) -> Any:
            name = _url_to_name(self.folders, url)
            if name is None:
                raise self._refuse(url, "only files inside the templates folder can be read")
            path = self.folders.find(name)
            if path is None:
                raise self._refuse(url, "no such file inside the templates folder")
            size = path.stat().st_size
            if size > MAX_RESOURCE_BYTES:
                raise self._refuse(url, f"file is larger than {MAX_RESOURCE_BYTES} bytes")
            data = path.read_bytes()
            mime = MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
            self.served.append(name)
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime})

    return TemplateFetcher()
