"""Every watermarked page names the person and the download id, in text an extractor reads back."""

import io
from datetime import UTC, datetime

import pikepdf
import pypdf
import pytest
from pikepdf import Array, Name

from apps.datarooms.files.watermark import Stamp, WatermarkedPdf, placements
from tests.datarooms.hostile import good_pdf

STAMP = Stamp(
    person="Alice Moreau",
    email="alice@northbridge.example",
    company="Northbridge Pharma",
    download_id="dl-3f9a2c1e",
    at=datetime(2026, 5, 27, 8, 30, tzinfo=UTC),
)


def _stamp(data: bytes, stamp: Stamp = STAMP) -> bytes:
    return b"".join(WatermarkedPdf(io.BytesIO(data), stamp))


def _texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_every_page_carries_person_and_download_id():
    texts = _texts(_stamp(good_pdf(5)))
    assert len(texts) == 5
    for i, text in enumerate(texts, start=1):
        assert f"page {i}" in text  # original content still there
        assert "Alice Moreau" in text
        assert "alice@northbridge.example" in text
        assert "Northbridge Pharma" in text
        assert "dl-3f9a2c1e" in text
        assert "2026-05-27 08:30:00 UTC" in text


def test_chinese_name_and_company_read_back():
    stamp = Stamp(
        person="张伟",
        email="zhang.wei@lumina.example",
        company="上海明光生物",
        download_id="dl-cn-0001",
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    text = _texts(_stamp(good_pdf(1), stamp))[0]
    assert "张伟" in text
    assert "上海明光生物" in text
    assert "zhang.wei@lumina.example" in text
    assert "dl-cn-0001" in text


def test_one_shared_overlay_per_file():
    out = _stamp(good_pdf(30))
    with pikepdf.open(io.BytesIO(out)) as pdf:
        overlays = {page.obj.Resources.XObject[Name("/GPCwm")].objgen for page in pdf.pages}
        assert len(overlays) == 1
        assert str(pdf.docinfo["/GPCDownloadId"]) == "dl-3f9a2c1e"


def test_two_hundred_pages_grow_by_less_than_100_kb():
    data = good_pdf(200)
    out = _stamp(data)
    assert len(out) - len(data) < 100 * 1024
    assert len(pypdf.PdfReader(io.BytesIO(out)).pages) == 200


def _odd_pages_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(good_pdf(4))) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.pages[1].obj.MediaBox = Array([0, 0, 842, 595])  # landscape
        pdf.pages[2].obj.CropBox = Array([50, 50, 400, 500])
        pdf.pages[3].obj.Rotate = 270
        pdf.pages[3].obj.MediaBox = Array([-100, -100, 500, 700])  # origin not at 0,0
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


def test_rotated_and_cropped_pages_are_stamped_readably():
    texts = _texts(_stamp(_odd_pages_pdf()))
    for text in texts:
        assert "dl-3f9a2c1e" in text
        assert "alice@northbridge.example" in text


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_footer_stays_inside_the_visible_box(rotation):
    box = (50.0, 60.0, 400.0, 500.0)
    footer, diagonal = placements(box, rotation, 300.0, 24.0)
    for m in (footer, diagonal):
        for corner in ((0, 0), (300, 0), (0, 24), (300, 24)):
            x, y = _apply(m, *corner)
            assert box[0] - 0.01 <= x <= box[2] + 0.01
            assert box[1] - 0.01 <= y <= box[3] + 0.01


def test_inherited_resources_are_not_lost():
    with pikepdf.open(io.BytesIO(good_pdf(2))) as pdf:
        page = pdf.pages[0].obj
        pdf.Root.Pages.Resources = page.Resources
        for p in pdf.pages:
            del p.obj.Resources
        buf = io.BytesIO()
        pdf.save(buf)
    texts = _texts(_stamp(buf.getvalue()))
    assert all("page" in t and "dl-3f9a2c1e" in t for t in texts)


def test_stream_is_chunked_and_reports_size():
    wm = WatermarkedPdf(io.BytesIO(good_pdf(3)), STAMP, chunk_size=1024)
    chunks = list(wm)
    assert all(len(c) <= 1024 for c in chunks)
    assert sum(map(len, chunks)) == wm.size
    assert wm.pages == 3
