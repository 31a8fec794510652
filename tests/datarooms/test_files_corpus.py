"""Every hostile upload in the corpus is refused with its reason; every good file is accepted.

Pure tests: no database, no Django settings (run alone with `-p no:django --confcutdir tests/datarooms`)."""

import io

import pytest

from apps.datarooms.files import UploadLimits, UploadRefused, inspect_upload
from apps.datarooms.files.errors import REASONS
from apps.datarooms.files.gate import inspect_bulk
from apps.datarooms.files.zipcheck import ZipLimits
from tests.datarooms.hostile import GOOD, HOSTILE, Case


def _limits(case: Case) -> UploadLimits:
    zip_limits = ZipLimits(max_total_bytes=case.limits.get("zip_max_total_bytes", ZipLimits.max_total_bytes))
    return UploadLimits(max_bytes=case.limits.get("max_bytes", UploadLimits.max_bytes), zip=zip_limits)


def test_corpus_holds_at_least_twenty_hostile_files():
    assert len(HOSTILE) >= 20
    assert len({c.id for c in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_hostile_upload_is_refused_with_its_reason(case: Case):
    data = io.BytesIO(case.content())
    with pytest.raises(UploadRefused) as refused:
        if case.bulk:
            inspect_bulk(data, filename=case.filename, limits=_limits(case)).close()
        else:
            inspect_upload(data, filename=case.filename, limits=_limits(case))
    assert refused.value.code == case.code, refused.value.detail
    assert 400 <= refused.value.status_code < 500


@pytest.mark.parametrize(("filename", "build", "kind"), GOOD, ids=[g[0] for g in GOOD])
def test_good_file_is_accepted_with_the_type_its_bytes_show(filename, build, kind):
    result = inspect_upload(io.BytesIO(build()), filename=filename)
    assert result.kind == kind
    assert len(result.sha256) == 64


def test_type_comes_from_bytes_not_name():
    png_bytes = GOOD[5][1]()
    result = inspect_upload(io.BytesIO(png_bytes), filename="chart")
    assert (result.kind, result.content_type, result.name) == ("png", "image/png", "chart.png")


def test_chinese_filename_survives():
    result = inspect_upload(io.BytesIO("数据".encode()), filename="临床/../研究报告.txt")
    assert result.name == "研究报告.txt"


def test_nul_in_upload_name_is_cleaned():
    result = inspect_upload(io.BytesIO(b"plain text"), filename="notes\x00.txt")
    assert result.name == "notes.txt"


def test_every_refusal_code_has_a_client_error_status():
    assert all(400 <= status < 500 for status, _ in REASONS.values())


def test_unknown_refusal_code_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadRefused("no_such_code")


def test_bulk_archive_is_refused_whole_when_one_entry_is_bad():
    case = next(c for c in HOSTILE if c.id == "zip_bad_entry_inside")
    with pytest.raises(UploadRefused) as refused:
        inspect_bulk(io.BytesIO(case.content()), filename="tree.zip")
    assert "csr.pdf" in refused.value.detail


def test_bulk_only_accepts_zip():
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(GOOD[0][1]()), filename="csr.pdf", bulk=True)
    assert refused.value.code == "type_not_allowed"
