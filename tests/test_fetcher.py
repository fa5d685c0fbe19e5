"""The PDF renderer's URL fetcher reads files inside the template folders and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assess.report.fetcher import BlockedResource, TemplateFolders, make_fetcher
from assess.resources import templates_dir


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[TemplateFolders, Path, Path]:
    user = tmp_path / "user"
    bundled = tmp_path / "bundled"
    (user / "fonts").mkdir(parents=True)
    (bundled / "fonts").mkdir(parents=True)
    (user / "report.css").write_text("/* user */", encoding="utf-8")
    (bundled / "report.css").write_text("/* bundled */", encoding="utf-8")
    (bundled / "print.css").write_text("/* bundled print */", encoding="utf-8")
    (bundled / "fonts" / "a.ttf").write_bytes(b"\x00\x01\x00\x00font")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return TemplateFolders([user, bundled]), user, bundled


def _read(fetcher: object, url: str) -> tuple[bytes, str]:
    response = fetcher.fetch(url)  # type: ignore[attr-defined]
    try:
        return response.read(), response.content_type
    finally:
        response.close()


def test_user_file_wins_and_bundled_fills_in(folders: tuple[TemplateFolders, Path, Path]) -> None:
    tf, user, bundled = folders
    fetcher = make_fetcher(tf)
    assert tf.base_url() == user.resolve().as_uri() + "/"
    assert _read(fetcher, tf.base_url() + "report.css") == (b"/* user */", "text/css")
    # not in the user folder: the bundled file of the same name
    assert _read(fetcher, tf.base_url() + "print.css") == (b"/* bundled print */", "text/css")
    assert _read(fetcher, tf.base_url() + "fonts/a.ttf") == (b"\x00\x01\x00\x00font",
                                                              "font/ttf")
    # a direct URL into the bundled folder is inside too, and the override still wins
    assert _read(fetcher, bundled.resolve().as_uri() + "/print.css")[0] == b"/* bundled print */"
    assert _read(fetcher, bundled.resolve().as_uri() + "/report.css")[0] == b"/* user */"
    assert fetcher.blocked == []
    assert fetcher.served == ["report.css", "print.css", "fonts/a.ttf", "print.css",
                              "report.css"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "data:text/css,body{color:red}",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "file:///etc/hostname",
        "file:///etc/passwd",
        "file://remotehost/etc/hostname",
        "javascript:alert(1)",
        "about:blank",
    ],
)
def test_everything_else_is_refused(folders: tuple[TemplateFolders, Path, Path],
                                    url: str) -> None:
    tf, _, _ = folders
    fetcher = make_fetcher(tf)
    with pytest.raises(BlockedResource):
        fetcher.fetch(url)
    assert fetcher.blocked == [url]
    assert fetcher.served == []


def test_no_escape_by_dots_encoding_or_symlinks(
    folders: tuple[TemplateFolders, Path, Path], tmp_path: Path
) -> None:
    tf, user, _ = folders
    fetcher = make_fetcher(tf)
    base = tf.base_url()
    escapes = [
        base + "../secret.txt",
        base + "%2e%2e/secret.txt",
        base + "fonts/../../secret.txt",
        user.resolve().as_uri() + "/..%2fsecret.txt",
        base,  # the folder itself
        base + "fonts/",
        base + "missing.css",
    ]
    (user / "link.txt").symlink_to(tmp_path / "secret.txt")
    (user / "linkdir").symlink_to(tmp_path)
    escapes += [base + "link.txt", base + "linkdir/secret.txt"]
    for url in escapes:
        with pytest.raises(BlockedResource):
            fetcher.fetch(url)
    assert len(fetcher.blocked) == len(escapes)
    assert fetcher.served == []


def test_find_refuses_odd_names(folders: tuple[TemplateFolders, Path, Path]) -> None:
    tf, _, _ = folders
    for name in ["", ".", "..", "../secret.txt", "fonts/../../secret.txt", "a\x00b",
                 "fonts\\..\\..\\secret.txt"]:
        assert tf.find(name) is None
    assert tf.find("./fonts//a.ttf") is not None


def test_oversized_files_are_refused(folders: tuple[TemplateFolders, Path, Path],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import assess.report.fetcher as fetcher_module

    tf, user, _ = folders
    monkeypatch.setattr(fetcher_module, "MAX_RESOURCE_BYTES", 4)
    fetcher = make_fetcher(tf)
    with pytest.raises(BlockedResource, match="larger than 4 bytes"):
        fetcher.fetch(tf.base_url() + "report.css")


def test_bundled_folder_has_what_the_pdf_needs() -> None:
    folder = templates_dir()
    for name in ["report.html", "report.md", "report.css", "print.css", "fonts.css",
                 "fonts/LiberationSans-Regular.ttf", "fonts/LiberationSans-Bold.ttf",
                 "fonts/LiberationSans-Italic.ttf", "fonts/LICENSE-OFL.txt"]:
        assert (folder / name).is_file(), name
    licence = (folder / "fonts" / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    sections = sorted(p.name for p in (folder / "sections").iterdir())
    assert sections == sorted(
        f"{name}.html" for name in ["cover", "readiness", "gaps", "time", "feasibility", "triage",
                                    "plan", "progress", "practice", "calibration", "stories",
                                    "mentor", "appendix", "mentor_form", "mentor_page",
                                    "triage_lines"]
    )
    assert not any(os.path.islink(p) for p in folder.rglob("*"))
