"""The zip plan is decided from headers alone; extraction refuses entries that lie about their size."""

import io
import zipfile

import pytest

from apps.datarooms.files import UploadRefused
from apps.datarooms.files.zipcheck import ZipLimits, inspect_zip, read_entry
from tests.datarooms.hostile import zip_bytes, zip_with_chinese_gbk_names


def test_plan_lists_folders_parents_first_and_files():
    data = zip_bytes([("CMC/Stability/6m.pdf", b"x"), ("Clinical/CSR.pdf", b"y"), ("Clinical/", b"")])
    plan = inspect_zip(io.BytesIO(data))
    assert plan.folders == [("Clinical",), ("CMC",), ("CMC", "Stability")]
    assert [f.path for f in plan.files] == [("CMC", "Stability", "6m.pdf"), ("Clinical", "CSR.pdf")]
    assert plan.total_bytes == 2


def test_mac_junk_is_skipped():
    data = zip_bytes([("__MACOSX/._a.pdf", b"x"), ("docs/.DS_Store", b"x"), ("docs/a.txt", b"a")])
    plan = inspect_zip(io.BytesIO(data))
    assert [f.path for f in plan.files] == [("docs", "a.txt")]


def test_gbk_names_from_chinese_windows_are_recovered():
    plan = inspect_zip(io.BytesIO(zip_with_chinese_gbk_names()))
    assert ("临床", "研究报告.txt") in [f.path for f in plan.files]


def test_file_and_folder_with_the_same_name_clash():
    with pytest.raises(UploadRefused) as refused:
        inspect_zip(io.BytesIO(zip_bytes([("a", b"1"), ("a/b.txt", b"2")])))
    assert refused.value.code == "zip_duplicate_name"


def test_entry_that_inflates_beyond_its_declared_size_is_refused():
    data = bytearray(zip_bytes([("a.txt", b"A" * 5000)], method=zipfile.ZIP_STORED))
    # Shrink the declared size in the central directory: the reader must not trust it.
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    plan = inspect_zip(io.BytesIO(bytes(data)))
    with pytest.raises(UploadRefused) as refused:
        b"".join(read_entry(zf, plan.files[0], chunk_size=64))
    assert refused.value.code in {"zip_bomb", "zip_corrupt"}


def test_deep_nesting_is_refused():
    with pytest.raises(UploadRefused) as refused:
        inspect_zip(io.BytesIO(zip_bytes([("/".join(["d"] * 20) + "/f.txt", b"x")])), ZipLimits(max_depth=16))
    assert refused.value.code == "zip_too_deep"


def test_local_header_name_must_match_directory():
    data = zip_bytes([("good.txt", b"x")])
    local = data.find(b"good.txt")
    tampered = data[:local] + b"evil.txt" + data[local + 8 :]
    with pytest.raises(UploadRefused) as refused:
        inspect_zip(io.BytesIO(tampered))
    assert refused.value.code == "zip_corrupt"


def test_office_file_with_a_corrupt_deflate_stream_is_refused_with_a_code():
    """Found by the fuzzer: a damaged deflate stream raises zlib.error, which is not a BadZipFile."""
    from apps.datarooms.files import inspect_upload
    from tests.datarooms.hostile import docx

    data = bytearray(docx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("[Content_Types].xml")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    # The compressed bytes start after the 30-byte local header, the name and the extra field.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(bytes(data)), filename="report.docx")
    assert refused.value.code in {"office_corrupt", "zip_corrupt"}
