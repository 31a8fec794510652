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


# --- stamp templates -------------------------------------------------------------------------------------------

from apps.datarooms.files.watermark import (  # noqa: E402
    CONTENT_SLOT,
    StampedFromTemplate,
    build_template,
    render_slots,
)


def _from_template(data: bytes, stamp: Stamp = STAMP) -> tuple[bytes, int]:
    template_file = io.BytesIO()
    template = build_template(io.BytesIO(data), template_file)
    body = b"".join(StampedFromTemplate(io.BytesIO(template_file.getvalue()), template, stamp, chunk_size=4096))
    assert len(body) == template.size
    return body, template.size


def test_template_stamp_reads_back_on_every_page():
    body, _ = _from_template(good_pdf(5))
    for i, text in enumerate(_texts(body), start=1):
        assert f"page {i}" in text
        assert "Alice Moreau" in text and "alice@northbridge.example" in text and "dl-3f9a2c1e" in text


def test_template_stamp_with_chinese_names_and_rotated_pages():
    stamp = Stamp(person="张伟", email="zhang.wei@lumina.example", company="上海明光生物", download_id="dl-cn-0002",
                  at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    body, _ = _from_template(_odd_pages_pdf(), stamp)
    for text in _texts(body):
        assert "张伟" in text and "上海明光生物" in text and "dl-cn-0002" in text
    with pikepdf.open(io.BytesIO(body)) as pdf:
        assert pdf.get_warnings() == []


def test_template_overhead_for_two_hundred_pages_is_below_100_kb():
    data = good_pdf(200)
    body, size = _from_template(data)
    assert size - len(data) < 100 * 1024
    assert len(pypdf.PdfReader(io.BytesIO(body)).pages) == 200


def test_two_downloads_differ_only_inside_the_slots():
    data = good_pdf(3)
    template_file = io.BytesIO()
    template = build_template(io.BytesIO(data), template_file)
    other = Stamp(person="Bob Rival", email="bob@rheinwald.example", company="Rheinwald", download_id="dl-other",
                  at=STAMP.at)
    a = b"".join(StampedFromTemplate(io.BytesIO(template_file.getvalue()), template, STAMP))
    b = b"".join(StampedFromTemplate(io.BytesIO(template_file.getvalue()), template, other))
    differing = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    slots = [(template.content_offset, template.content_offset + CONTENT_SLOT),
             (template.cmap_offset, template.cmap_offset + 16384)]
    assert differing and all(any(lo <= i < hi for lo, hi in slots) for i in differing)


def test_overlong_names_are_shortened_but_email_and_id_survive():
    stamp = Stamp(person="名" * 3000, email="long@northbridge.example", company="公司" * 3000, download_id="dl-long",
                  at=STAMP.at)
    content, _cmap = render_slots(stamp)
    assert len(content) == CONTENT_SLOT
    text = _texts(_from_template(good_pdf(1), stamp)[0])[0]
    assert "long@northbridge.example" in text and "dl-long" in text
