"""The single entry point every upload goes through before anything is stored."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from .errors import UploadRefused
from .names import clean_filename, with_extension
from .pdf import inspect_pdf
from .sniff import Detected, SniffLimits, file_size, sniff
from .zipcheck import ZipLimits, ZipPlan, inspect_zip

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    sniff: SniffLimits = field(default_factory=SniffLimits)
    zip: ZipLimits = field(default_factory=ZipLimits)


@dataclass(frozen=True)
class InspectedFile:
    name: str  # cleaned, with the detected type's extension when the client gave none
    kind: str
    family: str
    content_type: str
    size: int
    sha256: str
    pdf_pages: int | None = None
    zip_plan: ZipPlan | None = None


def sha256_of(f: BinaryIO, chunk: int = 1024 * 1024) -> str:
    digest = hashlib.sha256()
    f.seek(0)
    while block := f.read(chunk):
        digest.update(block)
    f.seek(0)
    return digest.hexdigest()


def inspect_upload(
    f: BinaryIO, *, filename: str | None, bulk: bool = False, limits: UploadLimits | None = None
) -> InspectedFile:
    """Check a seekable upload: size, type by content (allow-list), name/type agreement, then the
    type's own deep check (PDF active content, zip layout). Raises UploadRefused; reads, never writes.

    `bulk=True` is the folder-tree import: only then is a plain zip accepted.
    """
    limits = limits or UploadLimits()
    size = file_size(f)
    if size > limits.max_bytes:
        raise UploadRefused("file_too_large", detail=f"{size} > {limits.max_bytes}")
    name = clean_filename(filename)
    detected: Detected = sniff(f, filename=name, allow_archive=bulk, limits=limits.sniff)
    if bulk and detected.kind != "zip":
        raise UploadRefused("type_not_allowed", detail="the bulk import takes a zip archive")
    pages = plan = None
    if detected.kind == "pdf":
        pages = inspect_pdf(f).pages
    elif detected.kind == "zip":
        plan = inspect_zip(f, limits.zip)
    f.seek(0)
    return InspectedFile(
        name=with_extension(name, detected.extension),
        kind=detected.kind,
        family=detected.family,
        content_type=detected.content_type,
        size=size,
        sha256=sha256_of(f),
        pdf_pages=pages,
        zip_plan=plan,
    )


@dataclass
class BulkEntry:
    path: tuple[str, ...]  # cleaned folders, then the cleaned file name
    file: InspectedFile
    data: BinaryIO  # extracted bytes on a temporary file, positioned at 0


@dataclass
class InspectedBulk:
    """A bulk archive whose every entry was extracted to temporary files and passed `inspect_upload`.
    Nothing is stored yet; close() drops the temporary files."""

    folders: list[tuple[str, ...]]
    entries: list[BulkEntry]
    total_bytes: int

    def close(self) -> None:
        for e in self.entries:
            e.data.close()

    def __enter__(self) -> InspectedBulk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def inspect_bulk(f: BinaryIO, *, filename: str | None, limits: UploadLimits | None = None,
                 progress: Callable[[int], None] | None = None) -> InspectedBulk:
    """Check a folder-tree archive whole: its layout first (no byte extracted), then every entry as an
    upload of its own. The first refused entry refuses the archive; the caller stores nothing."""
    import tempfile
    import zipfile

    from .zipcheck import read_entry

    limits = limits or UploadLimits()
    archive = inspect_upload(f, filename=filename, bulk=True, limits=limits)
    assert archive.zip_plan is not None
    entries: list[BulkEntry] = []
    try:
        with zipfile.ZipFile(f) as zf:
            for planned in archive.zip_plan.files:
                tmp = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, prefix="gpc-bulk-")  # noqa: SIM115
                entries.append(BulkEntry(path=planned.path, file=None, data=cast(BinaryIO, tmp)))  # type: ignore[arg-type]
                for chunk in read_entry(zf, planned):
                    tmp.write(chunk)
                tmp.seek(0)
                try:
                    entries[-1].file = inspect_upload(cast(BinaryIO, tmp), filename=planned.name, limits=limits)
                except UploadRefused as exc:
                    raise UploadRefused(exc.code, detail=f"{'/'.join(planned.path)}: {exc.detail}".strip(": ")) from exc
                if progress is not None:
                    progress(len(entries))
    except BaseException:
        for e in entries:
            e.data.close()
        raise
    f.seek(0)
    return InspectedBulk(folders=archive.zip_plan.folders, entries=entries, total_bytes=archive.zip_plan.total_bytes)
