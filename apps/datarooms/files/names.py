"""Filename cleaning. A stored file is always kept under a random name; the cleaned name is only what
people see and what a download's Content-Disposition offers, so it must be harmless on every OS."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 180
MAX_NAME_BYTES = 255  # most filesystems limit a name component to 255 bytes
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Cc: control (incl. NUL, DEL), Cf: format (incl. bidi overrides U+202E used to disguise "gpj.exe"),
# Cs: surrogates, Co: private use, Cn: unassigned, Zl/Zp: line/paragraph separators.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def split_ext(name: str) -> tuple[str, str]:
    """'Report.v2.PDF' -> ('Report.v2', '.pdf'); a name without a dot has no extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext or len(ext) > 10 or not ext.isalnum():
        return name, ""
    return stem, "." + ext.lower()


def clean_filename(name: str | bytes | None, *, fallback: str = "file", max_chars: int = MAX_NAME_CHARS) -> str:
    """Return a display-safe single path component: no directories (/ or \\), no control or bidi
    characters, no leading dots, no reserved Windows names, bounded length; Unicode (e.g. Chinese) kept."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", errors="replace")
    name = name or ""
    # Keep only the last component whichever separator a client used.
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        " " if ch in "\t\r\n" else ch
        for ch in name
        if unicodedata.category(ch) not in _DROPPED_CATEGORIES or ch in "\t\r\n"
    )
    name = _WINDOWS_FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip()
    # Leading dots hide files and make "..": trailing dots and spaces are dropped by Windows.
    name = name.lstrip(". ").rstrip(". ")
    if not name:
        return fallback
    stem, ext = split_ext(name)
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    stem = _truncate(stem, max_chars - len(ext), MAX_NAME_BYTES - len(ext.encode()))
    stem = stem.rstrip(". ") or fallback
    return stem + ext


def _truncate(text: str, max_chars: int, max_bytes: int) -> str:
    text = text[: max(max_chars, 1)]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def with_extension(name: str, extension: str) -> str:
    """Give a cleaned name the extension of the detected type when it has none (e.g. 'scan' -> 'scan.png')."""
    _stem, ext = split_ext(name)
    if ext:
        return name
    return _truncate(name, MAX_NAME_CHARS - len(extension), MAX_NAME_BYTES - len(extension)) + extension


def ascii_fallback(name: str) -> str:
    """An ASCII-only rendering for old clients (Content-Disposition `filename=`); the real name goes in
    `filename*` (RFC 6266)."""
    stem, ext = split_ext(name)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._ ()-]", "_", ascii_stem).strip("._ ")
    if not ascii_stem or set(ascii_stem) <= {"_", " "}:
        ascii_stem = "download"
    return ascii_stem + ext
