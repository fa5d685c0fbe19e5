"""Which characters of a report no font can draw, and what to install for them.

The PDF uses the bundled font (Latin) first; WeasyPrint falls back to installed system fonts
through fontconfig for everything else (CJK, Arabic, Indic scripts, emoji). A character that
neither covers would be drawn as a blank glyph (``.notdef``), which PDF/A and PDF/UA forbid.
So before the PDF is rendered:

* ``missing_characters`` lists every character of the report text that no available font
  covers: the bundled fonts are read with fontTools, system fonts are asked through
  fontconfig (one query per character the bundled font lacks);
* ``replace_missing`` swaps each of them for a visible replacement mark the bundled font has;
* ``warning`` words the one-line message with the Debian package that covers the script.

fontconfig is reached through ctypes, only when the bundled font lacks a character, so
Latin-only reports pay nothing for it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

# A visible mark in the bundled font's character set (WHITE SQUARE).
REPLACEMENT = "\u25a1"

# Characters that are never drawn as glyphs of their own: joiners, variation selectors,
# bidirectional marks, tags. Fonts need not list them, so they are not checked.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Mn", "Me"}

# Script ranges and the Debian packages whose fonts cover them.
_PACKAGES: tuple[tuple[int, int, str], ...] = (
    (0x1F000, 0x1FAFF, "fonts-noto-color-emoji"),
    (0x2600, 0x27BF, "fonts-noto-color-emoji"),
    (0x2B00, 0x2BFF, "fonts-noto-color-emoji"),
    (0x1100, 0x11FF, "fonts-noto-cjk"),
    (0x2E80, 0x33FF, "fonts-noto-cjk"),
    (0x3400, 0x4DBF, "fonts-noto-cjk"),
    (0x4E00, 0x9FFF, "fonts-noto-cjk"),
    (0xA960, 0xA97F, "fonts-noto-cjk"),
    (0xAC00, 0xD7FF, "fonts-noto-cjk"),
    (0xF900, 0xFAFF, "fonts-noto-cjk"),
    (0xFE30, 0xFE4F, "fonts-noto-cjk"),
    (0xFF00, 0xFFEF, "fonts-noto-cjk"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk"),
)
DEFAULT_PACKAGE = "fonts-noto-core"


def package_for(char: str) -> str:
    """The Debian package whose fonts cover ``char`` (Noto core for every other script)."""
    code = ord(char)
    for low, high, package in _PACKAGES:
        if low <= code <= high:
            return package
    return DEFAULT_PACKAGE


def warning(char: str) -> str:
    """``Warning: no installed font has 😬 (U+1F62C); install fonts-noto-color-emoji``."""
    return (f"Warning: no installed font has {char} (U+{ord(char):04X}); "
            f"install {package_for(char)}")


def _drawn(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def text_of(value: Any) -> Iterable[str]:
    """Every string inside a JSON-like value (keys of mappings excluded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from text_of(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from text_of(item)


@lru_cache(maxsize=16)
def _font_cmap(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - an unreadable override font covers nothing
        return frozenset()


def bundled_coverage(font_files: Iterable[Path]) -> frozenset[int]:
    """The code points the given font files cover, together."""
    covered: set[int] = set()
    for path in font_files:
        try:
            covered |= _font_cmap(str(path), path.stat().st_mtime)
        except OSError:
            continue
    return frozenset(covered)


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.c_void_p)]


@lru_cache(maxsize=1)
def _fontconfig() -> Any:
    """The fontconfig library through ctypes (no C parsing at start-up), or None."""
    lib = None
    for candidate in ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            lib = ctypes.CDLL(candidate)
            break
        except OSError:
            continue
    if lib is None:  # an unusual name: ask the platform (slower: it may run ldconfig)
        name = ctypes.util.find_library("fontconfig")
        try:
            lib = ctypes.CDLL(name) if name else None
        except OSError:
            lib = None
    if lib is None:
        return None
    ptr = ctypes.c_void_p
    lib.FcInit.restype = ctypes.c_int
    lib.FcCharSetCreate.restype = ptr
    lib.FcCharSetAddChar.argtypes = [ptr, ctypes.c_uint]
    lib.FcCharSetDestroy.argtypes = [ptr]
    lib.FcPatternCreate.restype = ptr
    lib.FcPatternAddCharSet.argtypes = [ptr, ctypes.c_char_p, ptr]
    lib.FcPatternDestroy.argtypes = [ptr]
    lib.FcObjectSetCreate.restype = ptr
    lib.FcObjectSetAdd.argtypes = [ptr, ctypes.c_char_p]
    lib.FcObjectSetDestroy.argtypes = [ptr]
    lib.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    lib.FcFontList.argtypes = [ptr, ptr, ptr]
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    if not lib.FcInit():
        return None
    return lib


@lru_cache(maxsize=4096)
def system_font_has(code: int) -> bool:
    """Whether any font fontconfig knows covers the code point."""
    lib = _fontconfig()
    if lib is None:
        return False
    charset = lib.FcCharSetCreate()
    pattern = lib.FcPatternCreate()
    objects = lib.FcObjectSetCreate()
    try:
        lib.FcCharSetAddChar(charset, code)
        lib.FcPatternAddCharSet(pattern, b"charset", charset)
        lib.FcObjectSetAdd(objects, b"family")
        fonts = lib.FcFontList(None, pattern, objects)
        if not fonts:
            return False
        try:
            return bool(fonts.contents.nfont > 0)
        finally:
            lib.FcFontSetDestroy(fonts)
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
        lib.FcCharSetDestroy(charset)


def missing_characters(texts: Iterable[str], font_files: Iterable[Path]) -> list[str]:
    """Characters of ``texts`` that neither the font files nor any system font covers,
    in order of first appearance."""
    files = list(font_files)
    cmaps: list[frozenset[int]] = []  # read one font at a time, only as far as needed

    def bundled(code: int) -> bool:
        for i in range(len(files) + 1):
            if i == len(cmaps):
                if i == len(files):
                    return False
                cmaps.append(bundled_coverage(files[i:i + 1]))
            if code in cmaps[i]:
                return True
        return False

    seen: set[str] = set()
    missing: list[str] = []
    for text in texts:
        for char in text:
            if char in seen:
                continue
            seen.add(char)
            code = ord(char)
            if code < 0x80 or not _drawn(char) or bundled(code):
                continue
            if not system_font_has(code):
                missing.append(char)
    return missing


_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-Fa-f]{4,6})\)")


def notdef_characters(warnings: Iterable[str]) -> list[str]:
    """The characters WeasyPrint's warnings say it drew as ``.notdef``."""
    found: list[str] = []
    for message in warnings:
        match = _NOTDEF.search(message)
        if match and chr(int(match.group(1), 16)) not in found:
            found.append(chr(int(match.group(1), 16)))
    return found


def replace_missing(value: Any, missing: Iterable[str]) -> Any:
    """A copy of a JSON-like value with every missing character replaced by a visible mark."""
    table = {ord(c): REPLACEMENT for c in missing}
    if not table:
        return value

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return item.translate(table)
        if isinstance(item, Mapping):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, tuple):
            return tuple(walk(v) for v in item)
        return item

    return walk(value)
