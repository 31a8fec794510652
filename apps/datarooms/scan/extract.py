"""Text out of every accepted document type, a piece at a time, so a 200 MB file never sits in memory whole.

Each extractor yields `(location, text)`: a PDF page ("page 3"), a Word paragraph ("paragraph 12"), a spreadsheet
row ("sheet Patients, row 7"), a line of a CSV or text file ("line 40"). What has no text to read — images, and
PDFs whose pages carry no text layer (scans) — raises `Unreadable`: the scan reports "not readable" rather than
guessing.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from defusedxml.ElementTree import iterparse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_KINDS = {"csv", "txt", "fasta", "fastq", "vcf", "sam"}
IMAGE_KINDS = {"png", "jpg", "jpeg", "tif", "tiff", "gif", "bmp", "webp"}


class Unreadable(Exception):
    """The document has no text to read (an image, a scanned PDF)."""


def kind_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def extract(stream: IO[bytes], name: str) -> Iterator[tuple[str, str]]:
    kind = kind_of(name)
    if kind == "pdf":
        yield from _pdf(stream)
    elif kind == "docx":
        yield from _docx(stream)
    elif kind in ("xlsx", "xlsm"):
        yield from _xlsx(stream)
    elif kind in TEXT_KINDS or kind == "":
        yield from _lines(stream)
    elif kind in IMAGE_KINDS:
        raise Unreadable(kind)
    else:
        raise Unreadable(kind or "unknown")


def _pdf(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(stream)  # objects are read from the stream as pages ask for them
    any_text = False
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        any_text = any_text or bool(text.strip())
        yield f"page {number}", text
    if not any_text:
        raise Unreadable("pdf without a text layer")


def _docx(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(stream) as archive, archive.open("word/document.xml") as xml:
        number = 0
        parts: list[str] = []
        # defusedxml: an uploaded document is untrusted (no entity expansion, no external references).
        for _event, element in iterparse(xml, events=("end",)):
            if element.tag == f"{W}t" and element.text:
                parts.append(element.text)
            elif element.tag == f"{W}tab":
                parts.append("\t")
            elif element.tag == f"{W}p":
                number += 1
                if parts:
                    yield f"paragraph {number}", "".join(parts)
                parts = []
                element.clear()  # keep memory flat: drop each paragraph once read


def _xlsx(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)  # read-only mode streams the rows
    try:
        for sheet in workbook.worksheets:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell(value) for value in row if value is not None]
                if cells:
                    yield f"sheet {sheet.title}, row {number}", "\t".join(cells)
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lines(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    """UTF-8 (with or without BOM), else GB 18030 (which also reads GBK and GB2312): decided on the first 64 KB."""
    head = stream.read(65536)
    stream.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "gb18030"
    for number, line in enumerate(codecs.getreader(encoding)(stream, "replace"), start=1):
        yield f"line {number}", line
