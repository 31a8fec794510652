"""The document scan behind the export gate: extract text (extract.py), find personal information and genetic data
(detectors.py), and propose a classification."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import IO

from apps.datarooms.scan.detectors import ScanResult, scan_text, sniff_formats
from apps.datarooms.scan.extract import TEXT_KINDS, Unreadable, extract, kind_of

SNIFF_LINES = 40


def scan_document(stream: IO[bytes], name: str, progress: Callable[[int], None] | None = None) -> ScanResult:
    """Scan one document, streamed; an unreadable one (image, scanned PDF) comes back `readable=False`.
    `progress` is called with the number of units (pages, rows, lines) read so far, after each one."""
    result = ScanResult()
    kind = kind_of(name)
    if kind in TEXT_KINDS or kind == "":
        head = [text for _location, text in islice(extract(stream, name), SNIFF_LINES)]
        result.formats = sniff_formats(head)
        stream.seek(0)
    try:
        for location, text in extract(stream, name):
            result.units += 1
            scan_text(text, location, result)
            if progress is not None:
                progress(result.units)
    except Unreadable:
        result.readable = False
    return result
