"""Decide what a file is from its bytes — never from its name or the client's content type — and refuse
everything outside the allow-list: PDF, Office (OOXML and legacy OLE), PNG/JPEG/GIF/WebP, CSV/TXT, and
zip for the bulk import only.

The name's extension is used for one thing only: when it names a type other than the detected one the
upload is refused as a mismatch (a ".pdf" carrying PNG bytes is either a mistake or a disguise).
"""

from __future__ import annotations

import codecs
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import olefile

from .errors import UploadRefused
from .names import split_ext

HEAD_BYTES = 64 * 1024
TAIL_BYTES = 64 * 1024 + 22
SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Detected:
    kind: str  # pdf, docx, xlsx, pptx, doc, xls, ppt, png, jpeg, gif, webp, csv, txt, zip
    family: str  # pdf, office, image, text, archive
    content_type: str
    extension: str  # canonical extension of the detected type, with the dot
    encoding: str = ""  # text files only


_KINDS: dict[str, tuple[str, str, str, frozenset[str]]] = {
    # kind: (family, content type, canonical extension, extensions a name may carry for it)
    "pdf": ("pdf", "application/pdf", ".pdf", frozenset({".pdf"})),
    "docx": (
        "office",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        frozenset({".docx", ".dotx"}),
    ),
    "xlsx": (
        "office",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        frozenset({".xlsx", ".xltx"}),
    ),
    "pptx": (
        "office",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        frozenset({".pptx", ".potx", ".ppsx"}),
    ),
    "doc": ("office", "application/msword", ".doc", frozenset({".doc", ".dot"})),
    "xls": ("office", "application/vnd.ms-excel", ".xls", frozenset({".xls", ".xlt"})),
    "ppt": ("office", "application/vnd.ms-powerpoint", ".ppt", frozenset({".ppt", ".pps", ".pot"})),
    "png": ("image", "image/png", ".png", frozenset({".png"})),
    "jpeg": ("image", "image/jpeg", ".jpg", frozenset({".jpg", ".jpeg", ".jpe", ".jfif"})),
    "gif": ("image", "image/gif", ".gif", frozenset({".gif"})),
    "webp": ("image", "image/webp", ".webp", frozenset({".webp"})),
    # CSV and plain text carry the same (low) risk, so either extension fits either content.
    "csv": ("text", "text/csv", ".csv", frozenset({".csv", ".tsv", ".txt", ".text"})),
    "txt": ("text", "text/plain", ".txt", frozenset({".txt", ".text", ".csv", ".tsv", ".log", ".md"})),
    "zip": ("archive", "application/zip", ".zip", frozenset({".zip"})),
}


def detected(kind: str, encoding: str = "") -> Detected:
    family, content_type, ext, _ = _KINDS[kind]
    return Detected(kind=kind, family=family, content_type=content_type, extension=ext, encoding=encoding)


def extension_fits(kind: str, filename: str | None) -> bool:
    _, ext = split_ext(filename or "")
    return not ext or ext in _KINDS[kind][3]


_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
    b"#!",  # scripts
)
_HTML_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<iframe",
    b"<body",
    b"<object",
    b"<embed",
    b"javascript:",
    b"<svg",
    b"<meta http-equiv",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class SniffLimits:
    max_pixels: int = 80_000_000
    # Office files are zips too: bound what their XML may unpack to.
    office_max_total: int = 1024 * 1024 * 1024
    office_max_files: int = 10_000
    office_max_ratio: int = 200


def _read_at(f: BinaryIO, offset: int, size: int) -> bytes:
    f.seek(offset)
    return f.read(size)


def file_size(f: BinaryIO) -> int:
    f.seek(0, 2)
    size = f.tell()
    f.seek(0)
    return size


def scan_for(f: BinaryIO, needles: tuple[bytes, ...], *, lower: bool = True) -> bytes | None:
    """Stream through the whole file looking for any needle (case-insensitive); bounded memory."""
    overlap = max(len(n) for n in needles) - 1
    f.seek(0)
    prev = b""
    while True:
        chunk = f.read(SCAN_CHUNK)
        if not chunk:
            return None
        window = prev + (chunk.lower() if lower else chunk)
        for needle in needles:
            if needle in window:
                return needle
        prev = window[-overlap:] if overlap else b""


def _has_trailing_zip(f: BinaryIO, size: int) -> bool:
    """An End Of Central Directory record that ends exactly at the end of the file means a zip is glued
    onto this file (classic PDF/JPEG + ZIP polyglot)."""
    start = max(0, size - TAIL_BYTES)
    tail = _read_at(f, start, TAIL_BYTES)
    pos = tail.rfind(b"PK\x05\x06")
    while pos >= 0:
        if pos + 22 <= len(tail):
            (comment_len,) = struct.unpack("<H", tail[pos + 20 : pos + 22])
            if start + pos + 22 + comment_len == size:
                return True
        pos = tail.rfind(b"PK\x05\x06", 0, pos)
    return False


def sniff(
    f: BinaryIO, *, filename: str | None = None, allow_archive: bool = False, limits: SniffLimits | None = None
) -> Detected:
    """Detect the type of a seekable binary file, or raise UploadRefused."""
    limits = limits or SniffLimits()
    size = file_size(f)
    if size == 0:
        raise UploadRefused("empty_file")
    head = _read_at(f, 0, HEAD_BYTES)
    lower_head = head.lower()

    if head.startswith(_EXECUTABLE_MAGIC):
        raise UploadRefused("executable")

    if head.startswith(b"%PDF-"):
        if any(m in lower_head[:2048] for m in _HTML_MARKERS) or _has_trailing_zip(f, size):
            raise UploadRefused("polyglot")
        result = detected("pdf")
    elif b"%PDF-" in head[:1024]:
        # Readers accept a PDF header anywhere in the first KB; whatever precedes it is another format.
        raise UploadRefused("polyglot")
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        result = _image(f, "png", size, limits)
    elif head.startswith(b"\xff\xd8\xff"):
        result = _image(f, "jpeg", size, limits)
    elif head.startswith((b"GIF87a", b"GIF89a")):
        result = _image(f, "gif", size, limits)
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        result = _image(f, "webp", size, limits)
    elif head.startswith(_OLE_MAGIC):
        result = _ole(f, size)
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        result = _zip(f, allow_archive=allow_archive, limits=limits)
    elif head.lstrip().lower().startswith(b"{\\rtf"):
        raise UploadRefused("type_not_allowed", detail="rtf")
    else:
        result = _text(f, head)

    if not extension_fits(result.kind, filename):
        raise UploadRefused("type_mismatch", detail=f"{result.kind} content, name {split_ext(filename or '')[1]}")
    return result


# --- images -----------------------------------------------------------------------------------------


def _image(f: BinaryIO, kind: str, size: int, limits: SniffLimits) -> Detected:
    from PIL import Image

    # Markup anywhere in an image is how HTML/JS gets smuggled past type checks (browsers sniffing
    # content, or a later mislabelled serve); real image data essentially never contains these tags.
    if scan_for(f, _HTML_MARKERS):
        raise UploadRefused("html_refused", detail=f"markup inside {kind}")
    if kind in ("png", "jpeg", "gif") and _has_trailing_zip(f, size):
        raise UploadRefused("polyglot")
    expected_format = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}[kind]
    f.seek(0)
    try:
        with Image.open(f) as img:
            if img.format != expected_format:
                raise UploadRefused("image_corrupt", detail=f"header says {kind}, decoder says {img.format}")
            width, height = img.size
            if width * height > limits.max_pixels:
                raise UploadRefused("image_too_large", detail=f"{width}x{height}")
            img.verify()
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRefused("image_too_large") from exc
    except Exception as exc:  # Pillow raises many types for damaged data
        raise UploadRefused("image_corrupt", detail=type(exc).__name__) from exc
    if kind == "png" and _png_has_trailing_data(f, size):
        raise UploadRefused("polyglot", detail="data after PNG IEND")
    f.seek(0)
    return detected(kind)


def _png_has_trailing_data(f: BinaryIO, size: int) -> bool:
    tail = _read_at(f, max(0, size - 12), 12)
    return not tail.startswith(b"\x00\x00\x00\x00IEND")


# --- legacy Office (OLE compound file) --------------------------------------------------------------

def ole_entry_names(f: BinaryIO, size: int) -> list[str]:
    """Names of all storages and streams of an OLE compound file, read from its directory by olefile.

    A real parse (not a byte search) so text inside a document can never pass for a stream name. olefile reads
    the header, the allocation tables and the directory through seeks on `f`, never the whole file.
    """
    f.seek(0)
    try:
        with olefile.OleFileIO(f) as container:
            paths = container.listdir(streams=True, storages=True)
    except (OSError, ValueError, IndexError, struct.error, RecursionError) as exc:
        # olefile raises OSError for a damaged container; a crafted one can reach the others.
        raise UploadRefused("office_corrupt", detail=type(exc).__name__) from exc
    return sorted({name for path in paths for name in path})


def _ole(f: BinaryIO, size: int) -> Detected:
    names = ole_entry_names(f, size)
    lowered = {n.lower() for n in names}
    if "encryptedpackage" in lowered or "encryptioninfo" in lowered:
        raise UploadRefused("office_encrypted")
    # VBA lives in a _VBA_PROJECT stream inside a VBA / Macros / _VBA_PROJECT_CUR storage.
    if lowered & {"_vba_project", "_vba_project_cur", "vba", "macros"}:
        raise UploadRefused("macro_enabled")
    f.seek(0)
    if "worddocument" in lowered:
        return detected("doc")
    if "workbook" in lowered or "book" in lowered:
        return detected("xls")
    if "powerpoint document" in lowered:
        return detected("ppt")
    # MSI installers, Outlook messages, Visio and others share the container: not on the allow-list.
    raise UploadRefused("type_not_allowed", detail="OLE container without a Word/Excel/PowerPoint stream")


# --- zip and OOXML ------------------------------------------------------------------------------------

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "pptx",
}
_CONTENT_TYPE_ATTR = re.compile(rb'ContentType\s*=\s*["\']([^"\']+)["\']')


def _zip(f: BinaryIO, *, allow_archive: bool, limits: SniffLimits) -> Detected:
    from .zipcheck import ZIP_READ_ERRORS, ZipLimits, inspect_zip

    f.seek(0)
    try:
        zf = zipfile.ZipFile(f)
    except ZIP_READ_ERRORS as exc:
        raise UploadRefused("zip_corrupt", detail=str(exc)[:200]) from exc
    with zf:
        names = zf.namelist()
        if "[Content_Types].xml" not in names:
            if "mimetype" in names:
                raise UploadRefused("type_not_allowed", detail="OpenDocument")
            if not allow_archive:
                raise UploadRefused("archive_not_allowed")
            f.seek(0)
            return detected("zip")
        # An Office file is a zip: apply the same before-extraction checks (bomb, paths, overlaps).
        inspect_zip(
            f,
            ZipLimits(
                max_total_bytes=limits.office_max_total,
                max_files=limits.office_max_files,
                max_ratio=limits.office_max_ratio,
                skip_junk=False,
            ),
        )
        lowered = [n.lower() for n in names]
        if any(n.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in f"/{n}" for n in lowered):
            raise UploadRefused("macro_enabled")
        info = zf.getinfo("[Content_Types].xml")
        if info.file_size > 2 * 1024 * 1024:
            raise UploadRefused("office_corrupt", detail="content types too large")
        try:
            # Regex instead of an XML parser: nothing to expand, nothing to fetch.
            types = [t.decode("utf-8", "replace") for t in _CONTENT_TYPE_ATTR.findall(zf.read(info))]
        except ZIP_READ_ERRORS as exc:
            raise UploadRefused("office_corrupt", detail=str(exc)[:200]) from exc
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types):
        raise UploadRefused("macro_enabled")
    kinds = {_OOXML_MAIN[t] for t in types if t in _OOXML_MAIN}
    if len(kinds) != 1:
        raise UploadRefused("type_not_allowed", detail="zip with Office content types of no accepted kind")
    f.seek(0)
    return detected(kinds.pop())


# --- text -----------------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_TEXT_MARKUP = re.compile(
    r"<\s*(script|html|!doctype\s+html|iframe|body|object|embed|svg|meta\s+http-equiv)\b"
    r"|javascript\s*:",
    re.IGNORECASE,
)
# A cell a spreadsheet would evaluate (=, +, @, or - not starting a number) that reaches outside the
# sheet: DDE ("=cmd|' /C calc'!A0") or functions that fetch or call out.
_CSV_DANGER = re.compile(
    r"""^["'\s]*(=|\+|@|-(?![\d.\s])).*(\||\b(HYPERLINK|WEBSERVICE|IMPORTXML|IMPORTDATA|"""
    r"""DDE|CALL|EXEC|REGISTER)\s*\()""",
    re.IGNORECASE,
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\x1a"}


def _guess_encoding(head: bytes) -> str | None:
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if b"\x00" in head:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)(errors="strict").decode(head, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def _text(f: BinaryIO, head: bytes) -> Detected:
    encoding = _guess_encoding(head)
    if encoding is None:
        raise UploadRefused("type_not_allowed", detail="binary content of unknown type")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    f.seek(0)
    sample = ""
    carry = ""
    delimiter_counts: list[tuple[int, int, int]] = []
    try:
        while True:
            chunk = f.read(SCAN_CHUNK)
            text = carry + decoder.decode(chunk, final=not chunk)
            if not chunk and not text:
                break
            if not sample:
                sample = text[:4096]
                stripped = sample.lstrip("\ufeff \t\r\n")
                if stripped.startswith("<"):
                    if re.match(
                        r"<(\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+svg|<svg)", stripped, re.IGNORECASE | re.DOTALL
                    ):
                        raise UploadRefused("svg_refused")
                    raise UploadRefused("html_refused", detail="markup document")
            lines = text.split("\n")
            carry = lines.pop() if chunk else ""
            for line in lines:
                if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in line):
                    raise UploadRefused("type_not_allowed", detail="control characters in text")
                if _TEXT_MARKUP.search(line):
                    svg = re.search(r"<\s*svg\b", line, re.IGNORECASE)
                    raise UploadRefused("svg_refused" if svg else "html_refused", detail="markup in text")
                if len(delimiter_counts) < 50 and line.strip():
                    delimiter_counts.append((line.count(","), line.count(";"), line.count("\t")))
                if any(_CSV_DANGER.search(cell) for cell in re.split(r"[,;\t]", line)):
                    raise UploadRefused("csv_formula_injection")
            if not chunk:
                break
    except UnicodeDecodeError as exc:
        raise UploadRefused("text_encoding") from exc
    f.seek(0)
    return detected("csv" if _looks_like_csv(delimiter_counts) else "txt", encoding=encoding)


def _looks_like_csv(counts: list[tuple[int, int, int]]) -> bool:
    if len(counts) < 2:
        return False
    return any(len({c[i] for c in counts}) == 1 and counts[0][i] > 0 for i in range(3))
