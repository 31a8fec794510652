"""Stamp every page of a PDF with who took it and when, cheaply enough to do on every download.

Design:
- ONE Form XObject per file holds the stamp text (two short lines). Every page only gains a tiny
  content stream `Q q <matrix> cm /GPCwm Do Q ...` placing that shared XObject twice (a footer band
  along the bottom edge and a faint diagonal across the middle), and pages with the same geometry even
  share that stream. A 200-page file grows by a few kilobytes, not by 200 copies of the text.
- The matrix is computed from the visible box (CropBox clipped to MediaBox) and /Rotate, so the stamp
  reads upright at the bottom of the page as displayed, whatever the page size or rotation.
- The original content is bracketed by `q ... Q` (one shared "q" stream) so its graphics state can
  never leak into the stamp.
- Text must be extractable. Latin-1/WinAnsi text uses the standard Helvetica font (nothing embedded).
  Anything else (e.g. a Chinese name) uses the standard Adobe-GB1 CID font STSong-Light with the
  predefined UniGB-UCS2-H encoding — a font every CJK-capable reader provides, so NOTHING is embedded
  (no subset needed, the file stays small) — plus an explicit /ToUnicode CMap listing exactly the
  characters used, so any extractor reads the real characters back. Readers without CJK support show
  substitute glyphs, but the e-mail and download id are always ASCII Helvetica and always legible.
- Output is written to a temporary file on disk and streamed back in chunks: memory stays bounded by
  qpdf's object table, never by the file size.
- Downloads normally skip qpdf altogether: `build_template` prepares each version once (at upload) with the
  overlay and placements in place and two fixed-size slots, and `StampedFromTemplate` writes one person's
  stamp into those slots while streaming the template (see the section at the end of this module).
  `stamp_pdf`/`WatermarkedPdf` remain for files without a template.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

FONT_SIZE = 7.0
LEADING = 9.0
PADDING = 3.0
FOOTER_MARGIN = 10.0
CHUNK_SIZE = 64 * 1024
XOBJECT_NAME = Name("/GPCwm")

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Stamp:
    person: str
    email: str
    company: str
    download_id: str
    at: datetime

    def lines(self) -> list[str]:
        at = self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        return [
            f"Confidential - {self.person} <{self.email}> - {self.company}",
            f"GPC download {self.download_id} - {at} UTC",
        ]


# --- text and fonts -------------------------------------------------------------------------------------


def _runs(text: str) -> list[tuple[str, str]]:
    """Split a line into (font, text) runs: F1 for what WinAnsi can encode, F2 (CJK) for the rest."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        if ord(ch) > 0xFFFF:
            ch = "?"  # outside UCS-2; keeps the line (and the id/e-mail) intact
        try:
            ch.encode("cp1252")
            font = "F1"
        except UnicodeEncodeError:
            font = "F2"
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _run_width(font: str, text: str, size: float) -> float:
    if font == "F2":
        return size * len(text)  # CJK glyphs are one em wide (/DW 1000)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, "Helvetica", size)


def _to_unicode_cmap(chars: list[str]) -> bytes:
    out = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for i in range(0, len(chars), 100):
        block = chars[i : i + 100]
        out.append(f"{len(block)} beginbfchar")
        out.extend(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block)
        out.append("endbfchar")
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out).encode("ascii")


def _fonts(pdf: pikepdf.Pdf, cjk_chars: list[str], to_unicode: Stream | None = None) -> Dictionary:
    fonts = Dictionary(
        F1=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    if cjk_chars or to_unicode is not None:
        descriptor = pdf.make_indirect(
            Dictionary(
                Type=Name.FontDescriptor,
                FontName=Name("/STSong-Light"),
                Flags=6,
                FontBBox=Array([-25, -254, 1000, 880]),
                ItalicAngle=0,
                Ascent=880,
                Descent=-120,
                CapHeight=880,
                StemV=93,
            )
        )
        cid_font = Dictionary(
            Type=Name.Font,
            Subtype=Name.CIDFontType0,
            BaseFont=Name("/STSong-Light"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("GB1"), Supplement=2),
            FontDescriptor=descriptor,
            DW=1000,
        )
        if to_unicode is None:
            to_unicode = Stream(pdf, _to_unicode_cmap(cjk_chars))
        fonts.F2 = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/STSong-Light"),
            Encoding=Name("/UniGB-UCS2-H"),
            DescendantFonts=Array([pdf.make_indirect(cid_font)]),
            ToUnicode=pdf.make_indirect(to_unicode),
        )
    return fonts


def build_overlay(pdf: pikepdf.Pdf, stamp: Stamp) -> tuple[Stream, float, float]:
    """The shared Form XObject carrying the stamp; returns it with its width and height."""
    lines = [_runs(line) for line in stamp.lines()]
    width = max(sum(_run_width(f, t, FONT_SIZE) for f, t in runs) for runs in lines) + 2 * PADDING
    height = len(lines) * LEADING + 2 * PADDING
    cjk_chars = sorted({c for runs in lines for f, t in runs if f == "F2" for c in t})

    ops: list[tuple[list, pikepdf.Operator]] = [
        ([], pikepdf.Operator("q")),
        ([Name("/GS0")], pikepdf.Operator("gs")),
        ([0.35], pikepdf.Operator("g")),
        ([], pikepdf.Operator("BT")),
        ([PADDING, height - PADDING - FONT_SIZE], pikepdf.Operator("Td")),
    ]
    for i, runs in enumerate(lines):
        if i:
            ops.append(([0, -LEADING], pikepdf.Operator("Td")))
        for font, text in runs:
            ops.append(([Name(f"/{font}"), FONT_SIZE], pikepdf.Operator("Tf")))
            raw = text.encode("utf-16-be") if font == "F2" else text.encode("cp1252")
            ops.append(([String(raw)], pikepdf.Operator("Tj")))
    ops += [([], pikepdf.Operator("ET")), ([], pikepdf.Operator("Q"))]

    xobject = Stream(pdf, pikepdf.unparse_content_stream(ops))
    xobject.Type = Name.XObject
    xobject.Subtype = Name.Form
    xobject.BBox = Array([0, 0, width, height])
    xobject.Resources = Dictionary(
        Font=_fonts(pdf, cjk_chars),
        ExtGState=Dictionary(GS0=Dictionary(Type=Name.ExtGState, ca=0.55, CA=0.55)),
    )
    return pdf.make_indirect(xobject), width, height


# --- geometry -------------------------------------------------------------------------------------------


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: p' = p · m · n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _rotate(deg: float) -> Matrix:
    r = math.radians(deg)
    return (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0.0, 0.0)


def _visible_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    def norm(box: Array) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = (float(v) for v in box)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    mx0, my0, mx1, my1 = norm(page.mediabox)
    cx0, cy0, cx1, cy1 = norm(page.cropbox)
    box = max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1)
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:  # crop box outside the media box: readers use media
        return mx0, my0, mx1, my1
    return box


def placements(box: tuple[float, float, float, float], rotation: int, width: float, height: float) -> list[Matrix]:
    """Matrices placing the overlay (width x height) as a footer and a diagonal on a page whose visible
    box is `box`, displayed rotated clockwise by `rotation` degrees."""
    x0, y0, x1, y1 = box
    rotation %= 360
    corner = {0: (x0, y0), 90: (x1, y0), 180: (x1, y1), 270: (x0, y1)}[rotation]
    display_w, display_h = (x1 - x0, y1 - y0) if rotation in (0, 180) else (y1 - y0, x1 - x0)
    # display frame (origin bottom-left of the page as shown, x right, y up) -> user space
    to_user = _mul(_rotate(rotation), (1, 0, 0, 1, corner[0], corner[1]))

    scale = min(1.0, (display_w - 2 * FOOTER_MARGIN) / width) if display_w > 2 * FOOTER_MARGIN else display_w / width
    footer = (
        scale,
        0,
        0,
        scale,
        FOOTER_MARGIN if display_w > 2 * FOOTER_MARGIN else 0,
        min(FOOTER_MARGIN, display_h / 10),
    )

    diagonal_len = math.hypot(display_w, display_h)
    angle = math.degrees(math.atan2(display_h, display_w))
    d_scale = min(3.0, 0.7 * diagonal_len / width)
    diagonal = _mul(
        _mul((d_scale, 0, 0, d_scale, -width * d_scale / 2, -height * d_scale / 2), _rotate(angle)),
        (1, 0, 0, 1, display_w / 2, display_h / 2),
    )
    return [_mul(footer, to_user), _mul(diagonal, to_user)]


def _fmt(m: Matrix) -> str:
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") if v != 0 else "0" for v in m)


# --- the whole file -------------------------------------------------------------------------------------


def stamp_pdf(pdf: pikepdf.Pdf, stamp: Stamp) -> int:
    """Stamp every page of an open Pdf in place; returns the number of pages."""
    overlay, width, height = build_overlay(pdf, stamp)
    _place_on_every_page(pdf, overlay, width, height)
    pdf.docinfo[Name("/GPCDownloadId")] = String(stamp.download_id)
    return len(pdf.pages)


def _place_on_every_page(pdf: pikepdf.Pdf, overlay: Stream, width: float, height: float) -> None:
    push = pdf.make_indirect(Stream(pdf, b"q\n"))
    place_cache: dict[tuple, Stream] = {}
    for page in pdf.pages:
        box = _visible_box(page)
        rotation = int(page.rotation) // 90 * 90 if page.rotation else 0
        key = (box, rotation % 360)
        stream = place_cache.get(key)
        if stream is None:
            body = "Q\n" + "".join(
                f"q {_fmt(m)} cm {XOBJECT_NAME} Do Q\n" for m in placements(box, rotation, width, height)
            )
            stream = place_cache[key] = pdf.make_indirect(Stream(pdf, body.encode("ascii")))
        _add_xobject(page, overlay)
        page.contents_add(push, prepend=True)
        page.contents_add(stream, prepend=False)


def _add_xobject(page: pikepdf.Page, overlay: Stream) -> None:
    if "/Resources" not in page.obj:
        # Inherited resources: give the page its own (shallow) copy so siblings are untouched.
        inherited = page.obj.get("/Parent")
        resources = None
        while inherited is not None and resources is None:
            resources = inherited.get("/Resources")
            inherited = inherited.get("/Parent")
        page.obj.Resources = Dictionary(dict(resources.items())) if resources is not None else Dictionary()
    resources = page.obj.Resources
    if "/XObject" not in resources:
        resources.XObject = Dictionary()
    existing = resources.XObject.get(XOBJECT_NAME)
    if existing is None or existing.objgen != overlay.objgen:
        resources.XObject[XOBJECT_NAME] = overlay


def watermark_to_file(src: BinaryIO | str, stamp: Stamp, out: BinaryIO) -> int:
    """Read a PDF (path or seekable file), stamp it, write it to `out`; returns the page count.

    Streams already compressed in the source are copied as they are (no recompression), which is
    what keeps this close to raw file-copy speed.
    """
    with pikepdf.open(src) as pdf:
        pages = stamp_pdf(pdf, stamp)
        pdf.save(
            out,
            compress_streams=True,
            recompress_flate=False,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            linearize=False,
        )
    return pages


class WatermarkedPdf:
    """A stamped copy on a temporary file, iterable in fixed-size chunks; closes itself when exhausted
    or when `close()` is called (Django's StreamingHttpResponse calls close())."""

    def __init__(self, src: BinaryIO | str, stamp: Stamp, *, chunk_size: int = CHUNK_SIZE):
        self._file = tempfile.TemporaryFile(prefix="gpc-wm-")  # noqa: SIM115 - closed by close()
        try:
            self.pages = watermark_to_file(src, stamp, self._file)
        except BaseException:
            self._file.close()
            raise
        self.size = self._file.tell()
        self._file.seek(0)
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                chunk = self._file.read(self.chunk_size)
                if not chunk:
                    break
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


# --- stamp templates: the per-download work reduced to a byte copy ---------------------------------------------
#
# Everything about a stamp except its text is the same for every download of a version: the shared XObject,
# its fonts, the placement streams on every page. A template is the version saved once (at upload) with all
# of that in place and two fixed-size, uncompressed slots: the XObject's content stream and the CJK font's
# ToUnicode map. A download then streams the template and overwrites the two slots with this person's
# stamp, padded with whitespace to the same length, so every byte offset (and the cross-reference table)
# stays valid. Same PDF structure and extractable text as `stamp_pdf`, at the cost of a file copy.

TEMPLATE_WIDTH = 600.0
TEMPLATE_HEIGHT = 2 * LEADING + 2 * PADDING
CONTENT_SLOT = 8192
CMAP_SLOT = 16384


@dataclass(frozen=True)
class StampTemplate:
    content_offset: int
    cmap_offset: int
    size: int


class TemplateError(Exception):
    """The file could not be turned into a template; downloads fall back to stamping with pikepdf."""


def build_template(src: BinaryIO | str, out: BinaryIO) -> StampTemplate:
    import secrets

    content_mark = b"%GPC-STAMP-" + secrets.token_hex(12).encode()
    cmap_mark = b"%GPC-CMAP-" + secrets.token_hex(12).encode()
    start = out.tell()
    with pikepdf.open(src) as pdf:
        cmap = Stream(pdf, cmap_mark + b" " * (CMAP_SLOT - len(cmap_mark)))
        overlay = Stream(pdf, content_mark + b" " * (CONTENT_SLOT - len(content_mark)))
        overlay.Type = Name.XObject
        overlay.Subtype = Name.Form
        overlay.BBox = Array([0, 0, TEMPLATE_WIDTH, TEMPLATE_HEIGHT])
        overlay.Resources = Dictionary(
            Font=_fonts(pdf, [], to_unicode=pdf.make_indirect(cmap)),
            ExtGState=Dictionary(GS0=Dictionary(Type=Name.ExtGState, ca=0.55, CA=0.55)),
        )
        _place_on_every_page(pdf, pdf.make_indirect(overlay), TEMPLATE_WIDTH, TEMPLATE_HEIGHT)
        # Nothing decoded, nothing (re)compressed: the slots stay literal bytes, the rest as it came.
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve, linearize=False)
    size = out.tell() - start
    offsets = _find_once(out, start, size, (content_mark, cmap_mark))
    return StampTemplate(content_offset=offsets[0], cmap_offset=offsets[1], size=size)


def _find_once(f: BinaryIO, start: int, size: int, marks: tuple[bytes, ...]) -> list[int]:
    found: dict[bytes, list[int]] = {m: [] for m in marks}
    overlap = max(len(m) for m in marks)
    f.seek(start)
    position, previous = 0, b""
    while position < size:
        chunk = f.read(min(1024 * 1024, size - position))
        if not chunk:
            break
        window = previous + chunk
        base = position - len(previous)
        for mark in marks:
            i = window.find(mark)
            while i >= 0:
                if base + i not in found[mark]:
                    found[mark].append(base + i)
                i = window.find(mark, i + 1)
        previous = window[-overlap:]
        position += len(chunk)
    if any(len(v) != 1 for v in found.values()):
        raise TemplateError("slot markers not found exactly once")
    return [found[m][0] for m in marks]


def render_slots(stamp: Stamp) -> tuple[bytes, bytes]:
    """The XObject content and the ToUnicode map for one stamp, each padded to its slot's length."""
    person, company = stamp.person, stamp.company
    for _ in range(12):
        candidate = Stamp(person=person, email=stamp.email, company=company, download_id=stamp.download_id,
                          at=stamp.at)
        content, cmap = _render(candidate)
        if len(content) <= CONTENT_SLOT and len(cmap) <= CMAP_SLOT:
            return content.ljust(CONTENT_SLOT, b" "), cmap.ljust(CMAP_SLOT, b" ")
        # Overlong names are shortened; the e-mail and the download id are never cut.
        person, company = person[: len(person) * 2 // 3], company[: len(company) * 2 // 3]
    raise TemplateError("stamp does not fit its slot")


def _render(stamp: Stamp) -> tuple[bytes, bytes]:
    lines = [_runs(line) for line in stamp.lines()]
    text_width = max(sum(_run_width(f, t, FONT_SIZE) for f, t in runs) for runs in lines)
    squeeze = min(100.0, 100.0 * (TEMPLATE_WIDTH - 2 * PADDING) / max(text_width, 1.0))
    out = [f"q /GS0 gs 0.35 g BT {squeeze:.2f} Tz {PADDING} {TEMPLATE_HEIGHT - PADDING - FONT_SIZE} Td"]
    for i, runs in enumerate(lines):
        if i:
            out.append(f"0 {-LEADING} Td")
        for font, text in runs:
            raw = text.encode("utf-16-be") if font == "F2" else text.encode("cp1252")
            out.append(f"/{font} {FONT_SIZE} Tf <{raw.hex()}> Tj")
    out.append("ET Q\n")
    cjk_chars = sorted({c for runs in lines for f, t in runs if f == "F2" for c in t})
    return "\n".join(out).encode("ascii"), _to_unicode_cmap(cjk_chars)


class StampedFromTemplate:
    """Streams a template with one person's stamp written into its slots; bounded memory, closes itself."""

    def __init__(self, template_file: BinaryIO, template: StampTemplate, stamp: Stamp, *,
                 chunk_size: int = CHUNK_SIZE):
        content, cmap = render_slots(stamp)
        self._patches = sorted([(template.content_offset, content), (template.cmap_offset, cmap)])
        self._file = template_file
        self.size = template.size
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        try:
            self._file.seek(0)
            position = 0
            while True:
                chunk = self._file.read(self.chunk_size)
                if not chunk:
                    break
                end = position + len(chunk)
                if any(offset < end and offset + len(data) > position for offset, data in self._patches):
                    buffer = bytearray(chunk)
                    for offset, data in self._patches:
                        lo, hi = max(offset, position), min(offset + len(data), end)
                        if lo < hi:
                            buffer[lo - position: hi - position] = data[lo - offset: hi - offset]
                    chunk = bytes(buffer)
                position = end
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
