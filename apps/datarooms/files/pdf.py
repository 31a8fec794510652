"""Refuse PDFs that can act on the reader's machine: JavaScript, actions run on open or on events,
launching programs, embedded or attached files, XFA and rich media. Encrypted, damaged and truncated
files are refused too: we could neither inspect nor watermark them reliably.

Every object in the file is walked (also objects no page references: a reader may still reach them
through name trees), including direct dictionaries nested inside arrays and dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .errors import UploadRefused

_ACTION_CODES = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_launch",
    "/ImportData": "pdf_active_content",
    "/SubmitForm": "pdf_active_content",
    "/RichMediaExecute": "pdf_active_content",
    "/GoToE": "pdf_embedded_file",  # jump into an embedded file
    "/Rendition": "pdf_javascript",  # may carry /JS
}
MAX_OBJECTS = 2_000_000
MAX_NESTING = 64


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    version: str


def _open(f: BinaryIO) -> pikepdf.Pdf:
    f.seek(0)
    try:
        return pikepdf.open(f)
    except pikepdf.PasswordError as exc:
        raise UploadRefused("pdf_encrypted") from exc
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise UploadRefused("pdf_corrupt", detail=str(exc)[:200]) from exc


def _looks_truncated(f: BinaryIO) -> bool:
    f.seek(0, 2)
    size = f.tell()
    f.seek(max(0, size - 2048))
    return b"%%EOF" not in f.read()


def inspect_pdf(f: BinaryIO, *, allow_destination_open_action: bool = True) -> PdfFacts:
    """Raise UploadRefused with the first dangerous feature found; return basic facts otherwise.

    An /OpenAction that is a bare destination array ("open at page 1, fit width") runs nothing and is
    written by LaTeX and many converters, so it is allowed unless `allow_destination_open_action` is
    False; an /OpenAction that is an action dictionary is always refused.
    """
    if _looks_truncated(f):
        raise UploadRefused("pdf_truncated")
    pdf = _open(f)
    try:
        if pdf.is_encrypted:
            # Owner-password-only files open without a password but still carry /Encrypt.
            raise UploadRefused("pdf_encrypted")
        try:
            facts = _inspect(pdf, allow_destination_open_action)
        except UploadRefused:
            raise
        except (pikepdf.PdfError, ValueError, RuntimeError, TypeError, KeyError) as exc:
            raise UploadRefused("pdf_corrupt", detail=str(exc)[:200]) from exc
        if any("damaged" in w.lower() or "reconstruct" in w.lower() for w in pdf.get_warnings()):
            # qpdf silently rebuilds broken cross-reference tables; such a file is truncated or damaged.
            raise UploadRefused("pdf_corrupt", detail="cross-reference table had to be reconstructed")
        return facts
    finally:
        pdf.close()
        f.seek(0)


def _inspect(pdf: pikepdf.Pdf, allow_destination_open_action: bool) -> PdfFacts:
    root = pdf.Root
    open_action = root.get("/OpenAction")
    if open_action is not None:
        is_destination = isinstance(open_action, Array)
        if not is_destination or not allow_destination_open_action:
            action = open_action if isinstance(open_action, Dictionary) else None
            if action is not None:
                _check_action(action)  # a JavaScript/Launch open action gets its more precise code
            raise UploadRefused("pdf_open_action")
    if "/AA" in root:
        raise UploadRefused("pdf_additional_actions", detail="document")
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        if "/JavaScript" in names:
            raise UploadRefused("pdf_javascript", detail="document-level JavaScript")
        if "/EmbeddedFiles" in names:
            raise UploadRefused("pdf_embedded_file")
    acro = root.get("/AcroForm")
    if isinstance(acro, Dictionary) and "/XFA" in acro:
        raise UploadRefused("pdf_active_content", detail="XFA form")
    for count, obj in enumerate(pdf.objects, start=1):
        if count > MAX_OBJECTS:
            raise UploadRefused("pdf_corrupt", detail="too many objects")
        if isinstance(obj, Dictionary | Stream | Array):
            _walk(obj, 0)
    try:
        pages = len(pdf.pages)
    except Exception as exc:  # a broken page tree
        raise UploadRefused("pdf_corrupt", detail="page tree") from exc
    if pages == 0:
        raise UploadRefused("pdf_corrupt", detail="no pages")
    return PdfFacts(pages=pages, version=str(pdf.pdf_version))


def _check_action(d: Dictionary) -> None:
    kind = d.get("/S")
    if isinstance(kind, Name):
        code = _ACTION_CODES.get(str(kind))
        if code:
            raise UploadRefused(code, detail=f"action {kind}")
    if "/JS" in d:
        raise UploadRefused("pdf_javascript", detail="/JS entry")


def _walk(obj: object, depth: int) -> None:
    """Check a dictionary/stream and the direct (non-indirect) objects inside it. Indirect objects are
    visited by the caller's loop over pdf.objects, so nothing is checked twice and cycles are impossible."""
    if depth > MAX_NESTING:
        raise UploadRefused("pdf_corrupt", detail="nesting too deep")
    if isinstance(obj, Stream):
        d = obj.stream_dict
    elif isinstance(obj, Dictionary):
        d = obj
    elif isinstance(obj, Array):
        for item in obj:
            if isinstance(item, Dictionary | Array) and not item.is_indirect:
                _walk(item, depth + 1)
        return
    else:
        return
    _check_dictionary(d)
    for key in d.keys():  # noqa: SIM118 - pikepdf dictionaries iterate keys explicitly
        value = d.get(key)
        if isinstance(value, Dictionary | Array) and not value.is_indirect:
            _walk(value, depth + 1)


def _check_dictionary(d: Dictionary) -> None:
    _check_action(d)
    type_ = d.get("/Type")
    subtype = d.get("/Subtype")
    if type_ == Name.EmbeddedFile or "/EF" in d or (type_ == Name.Filespec and "/EF" in d):
        raise UploadRefused("pdf_embedded_file")
    if subtype == Name.FileAttachment:
        raise UploadRefused("pdf_embedded_file", detail="file attachment annotation")
    if subtype in (Name("/RichMedia"), Name("/Movie"), Name("/Sound"), Name("/Screen")) and "/Rect" in d:
        raise UploadRefused("pdf_active_content", detail=f"{subtype} annotation")
    if "/AA" in d:
        raise UploadRefused("pdf_additional_actions")
    if "/EmbeddedFiles" in d:
        raise UploadRefused("pdf_embedded_file")
    if "/XFA" in d and "/Fields" in d:
        raise UploadRefused("pdf_active_content", detail="XFA form")
