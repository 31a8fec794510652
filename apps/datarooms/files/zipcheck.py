"""Inspect a zip archive before a single byte of it is extracted.

Everything the bulk import will do is decided here from the central directory and the local headers:
the number of files, what they unpack to, each entry's compression ratio, every path, and the tree
that will be created. Any problem refuses the archive whole. Extraction afterwards goes through
`read_entry`, which also refuses an entry that inflates past the size its header declared.
"""

from __future__ import annotations

import itertools
import lzma
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import UploadRefused
from .names import clean_filename

_JUNK_DIRS = {"__MACOSX"}
_JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", "._.DS_Store"}
_SAFE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_LOCAL_HEADER = struct.Struct(
    "<4s5H3I2H"
)  # signature, version, flags, method, time, date, crc, csize, usize, nlen, xlen


@dataclass(frozen=True)
class ZipLimits:
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_entry_bytes: int = 512 * 1024 * 1024
    max_files: int = 2_000
    max_ratio: int = 100
    # Tiny files (a blank CSV, an empty XML part) legitimately compress 1000:1; the ratio only means a
    # bomb once the entry is big enough to hurt. Many small entries are bounded by max_files/total.
    ratio_min_size: int = 1024 * 1024
    max_depth: int = 16
    skip_junk: bool = True  # drop __MACOSX/ and .DS_Store instead of importing them


@dataclass(frozen=True)
class PlannedEntry:
    path: tuple[str, ...]  # cleaned folder names, then the cleaned file name
    size: int
    compressed_size: int
    info: zipfile.ZipInfo = field(compare=False, repr=False)

    @property
    def folder(self) -> tuple[str, ...]:
        return self.path[:-1]

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass
class ZipPlan:
    files: list[PlannedEntry]
    folders: list[tuple[str, ...]]  # every folder to create, parents before children
    total_bytes: int


def _eocd_entry_count(f: BinaryIO) -> int | None:
    f.seek(0, 2)
    size = f.tell()
    start = max(0, size - (65535 + 22))
    f.seek(start)
    tail = f.read()
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    (total,) = struct.unpack("<H", tail[pos + 10 : pos + 12])
    return None if total == 0xFFFF else total  # zip64: let zipfile read the real count


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """zipfile decodes names without the UTF-8 flag as cp437; Chinese Windows zips are GBK. Recover
    the real name from the raw bytes."""
    name = info.orig_filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    enc = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return info.orig_filename.encode(enc, errors="surrogateescape")


def _key(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", p).casefold() for p in parts)


# What reading a damaged archive raises besides BadZipFile: a corrupt deflate, bzip2 or lzma stream (zlib.error,
# OSError, LZMAError), truncated headers (EOFError, struct.error), an unsupported method (NotImplementedError).
ZIP_READ_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, zlib.error, lzma.LZMAError,
                   NotImplementedError)


def inspect_zip(f: BinaryIO, limits: ZipLimits | None = None) -> ZipPlan:
    """Check a seekable zip and return the planned tree, or raise UploadRefused. Reads headers only."""
    limits = limits or ZipLimits()
    count = _eocd_entry_count(f)
    if count is not None and count > limits.max_files:
        raise UploadRefused("zip_too_many_files", detail=str(count))
    f.seek(0)
    try:
        zf = zipfile.ZipFile(f)
        infos = zf.infolist()
    except ZIP_READ_ERRORS as exc:
        raise UploadRefused("zip_corrupt", detail=str(exc)[:200]) from exc
    if len(infos) > limits.max_files:
        raise UploadRefused("zip_too_many_files", detail=str(len(infos)))

    files: list[PlannedEntry] = []
    folders: set[tuple[str, ...]] = set()
    seen_raw: set[str] = set()
    file_keys: dict[tuple[str, ...], str] = {}
    total = 0
    total_compressed = 0
    spans: list[tuple[int, int, str]] = []

    for info in infos:
        raw = info.orig_filename
        if "\x00" in raw:
            raise UploadRefused("zip_nul_in_name", detail=raw.replace("\x00", "\\0")[:200])
        if raw in seen_raw:
            raise UploadRefused("zip_duplicate_name", detail=raw[:200])
        seen_raw.add(raw)
        if info.flag_bits & 0x1:
            raise UploadRefused("zip_encrypted", detail=raw[:200])
        # Unix type bits (many tools write permission bits only, which is a plain file).
        file_type = stat.S_IFMT(info.external_attr >> 16)
        if info.create_system == 3 and file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            raise UploadRefused("zip_symlink", detail=raw[:200])
        name = _decoded_name(info).replace("\\", "/")
        if name.startswith("/") or (len(name) > 1 and name[1] == ":") or name.startswith("//"):
            raise UploadRefused("zip_unsafe_path", detail=name[:200])
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts) or any(p.strip(" .") == "" for p in parts):
            raise UploadRefused("zip_unsafe_path", detail=name[:200])
        if not parts:
            continue
        if len(parts) > limits.max_depth:
            raise UploadRefused("zip_too_deep", detail=name[:200])
        if limits.skip_junk and (parts[0] in _JUNK_DIRS or parts[-1] in _JUNK_FILES or parts[-1].startswith("._")):
            continue
        cleaned = tuple(clean_filename(p) for p in parts)
        is_dir = info.is_dir()
        for depth in range(1, len(cleaned) if not is_dir else len(cleaned) + 1):
            folders.add(cleaned[:depth])
        if is_dir:
            continue
        if info.compress_type not in _SAFE_METHODS:
            raise UploadRefused("zip_unsupported_compression", detail=raw[:200])
        if info.file_size > limits.max_entry_bytes:
            raise UploadRefused("zip_too_large", detail=f"{raw[:200]}: {info.file_size} bytes")
        if info.file_size >= limits.ratio_min_size and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise UploadRefused("zip_bomb", detail=f"{raw[:200]}: ratio {info.file_size}/{info.compress_size}")
        total += info.file_size
        total_compressed += info.compress_size
        if total > limits.max_total_bytes:
            raise UploadRefused("zip_too_large", detail=f"more than {limits.max_total_bytes} bytes")
        key = _key(cleaned)
        if key in file_keys:
            raise UploadRefused("zip_duplicate_name", detail=f"{file_keys[key]} / {raw}"[:200])
        file_keys[key] = raw
        spans.append(_local_span(f, info))
        files.append(PlannedEntry(path=cleaned, size=info.file_size, compressed_size=info.compress_size, info=info))

    if total >= limits.ratio_min_size and total > limits.max_ratio * max(total_compressed, 1):
        raise UploadRefused("zip_bomb", detail="overall ratio")
    folder_keys = {_key(p) for p in folders}
    clash = next((raw for key, raw in file_keys.items() if key in folder_keys), None)
    if clash:
        raise UploadRefused("zip_duplicate_name", detail=f"{clash} is both a file and a folder")
    spans.sort()
    for (_, end, a), (start, _, b) in itertools.pairwise(spans):
        if start < end:
            raise UploadRefused("zip_overlapping_entries", detail=f"{a} / {b}"[:200])
    ordered = sorted(folders, key=lambda p: (len(p), _key(p)))
    return ZipPlan(files=files, folders=ordered, total_bytes=total)


def _local_span(f: BinaryIO, info: zipfile.ZipInfo) -> tuple[int, int, str]:
    """Where this entry's local header and data lie; the header's name must match the directory's."""
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise UploadRefused("zip_corrupt", detail=f"{info.orig_filename[:200]}: truncated local header")
    sig, _v, _flags, _m, _t, _d, _crc, _cs, _us, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    if sig != b"PK\x03\x04":
        raise UploadRefused("zip_corrupt", detail=f"{info.orig_filename[:200]}: bad local header")
    local_name = f.read(name_len)
    if local_name != _raw_name(info):
        raise UploadRefused("zip_corrupt", detail=f"{info.orig_filename[:200]}: names differ in headers")
    end = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
    return info.header_offset, end, info.orig_filename


def read_entry(zf: zipfile.ZipFile, entry: PlannedEntry, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
    """Yield an entry's bytes in chunks; refuse it if it inflates past its declared size (a header that
    lies about the size is a bomb) or fails its CRC."""
    produced = 0
    try:
        with zf.open(entry.info) as src:
            while True:
                chunk = src.read(chunk_size)
                if not chunk:
                    break
                produced += len(chunk)
                if produced > entry.size:
                    raise UploadRefused("zip_bomb", detail=f"{entry.info.orig_filename[:200]}: larger than declared")
                yield chunk
    except ZIP_READ_ERRORS as exc:
        raise UploadRefused("zip_corrupt", detail=str(exc)[:200]) from exc
