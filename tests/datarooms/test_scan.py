"""The document scan finds Chinese personal information and genetic data in every accepted format, with the
precision and recall the export gate needs, and never keeps a full identifier."""

import io
import re
from collections import Counter

import pytest

from apps.datarooms.scan import scan_document
from apps.datarooms.scan.detectors import DETECTORS, ScanResult, scan_text, sniff_formats
from tests.datarooms import scan_corpus as corpus

ITEMS = corpus.build()
FORMATS = {
    "csv": (corpus.to_csv, ITEMS, lambda location: int(location.removeprefix("line "))),
    "xlsx": (corpus.to_xlsx, ITEMS, lambda location: int(location.rsplit("row ", 1)[1])),
    "docx": (corpus.to_docx, ITEMS, lambda location: int(location.removeprefix("paragraph "))),
    "pdf": (corpus.to_pdf, corpus.latin(ITEMS), lambda location: int(location.removeprefix("page "))),
}


def per_item_hits(kind: str) -> tuple[list[corpus.Item], list[Counter]]:
    """Scan the corpus written as `kind` and count every detector's raw hits per item (all samples kept)."""
    build, items, index_of = FORMATS[kind]
    data = build(items)
    found = [Counter() for _ in items]
    result = ScanResult(samples_per_detector=10**6)
    scanned = scan_document(io.BytesIO(data), f"corpus.{kind}")
    assert scanned.readable
    from apps.datarooms.scan.extract import extract

    for location, text in extract(io.BytesIO(data), f"corpus.{kind}"):
        before = {name: finding.count for name, finding in result.findings.items()}
        scan_text(text, location, result)
        for name, finding in result.findings.items():
            if finding.count > before.get(name, 0):
                found[index_of(location) - 1][name] += finding.count - before.get(name, 0)
    assert sum(f.count for f in scanned.findings.values()) == sum(f.count for f in result.findings.values())
    return items, found


def scores(items: list[corpus.Item], found: list[Counter]) -> dict[str, tuple[float, float]]:
    out = {}
    for detector in DETECTORS:
        name = detector.name
        tp = sum(min(item.expected[name], hits[name]) for item, hits in zip(items, found, strict=True))
        fp = sum(max(hits[name] - item.expected[name], 0) for item, hits in zip(items, found, strict=True))
        fn = sum(max(item.expected[name] - hits[name], 0) for item, hits in zip(items, found, strict=True))
        if tp + fn:
            out[name] = (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn))
    return out


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_detector_keeps_its_precision_and_recall_in_every_format(kind):
    items, found = per_item_hits(kind)
    measured = scores(items, found)
    low = {name: f"precision {p:.3f} recall {r:.3f}" for name, (p, r) in measured.items() if p < 0.95 or r < 0.99}
    assert not low, low
    expected = {name for item in items for name in item.expected}
    assert set(measured) == expected  # every detector the corpus exercises was measured


def test_near_misses_do_not_count():
    result = ScanResult()
    rng = corpus.random.Random(3)
    for flaw in ("check", "date", "region"):
        scan_text(corpus.prc_id(rng, valid=False, flaw=flaw), "line 1", result)
    scan_text(f"Invoice {corpus.card(rng, valid=False)}; lot E12345678; call 021-6088 1234", "line 2", result)
    assert result.findings == {}


def test_samples_are_masked_and_never_hold_a_full_identifier():
    rng = corpus.random.Random(5)
    identity, phone, bank = corpus.prc_id(rng), corpus.mobile(rng), corpus.card(rng)
    result = ScanResult()
    scan_text(f"身份证 {identity} 手机 {phone} 卡号 {bank} 护照号：E12345678 患者姓名：王小明", "page 4", result)
    stored = repr(result.as_json())
    for secret in (identity, phone, bank, "E12345678", "王小明"):
        assert secret not in stored
    sample = result.findings["prc_resident_id"].samples[0]
    assert sample["location"] == "page 4" and sample["masked"].startswith(identity[:4]) and "*" in sample["masked"]
    assert result.proposed == ["personal_information"]


def test_genomic_files_are_recognised_by_content_not_name():
    fasta = b">NM_004333.6 BRAF\nACGTTGCAACGTTGCAACGT\nACGTTGCA\n"
    fastq = b"@read1\nACGTNACGTA\n+\nIIIIIIIIII\n"
    vcf = (b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
           b"7\t140753336\trs113488022\tA\tT\t.\t.\t.\n")
    sam = b"@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr7\tLN:159345973\n"
    for data, expected in ((fasta, "FASTA"), (fastq, "FASTQ"), (vcf, "VCF"), (sam, "SAM")):
        result = scan_document(io.BytesIO(data), "upload.txt")
        assert expected in result.formats
        assert "hgr" in result.proposed
    assert sniff_formats(["Dose escalation summary", "Cohort 1: 3 mg/kg"]) == []


def test_images_and_scanned_pdfs_are_not_readable_rather_than_clean():
    from tests.datarooms.hostile import good_pdf

    assert scan_document(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "scan.png").readable is False
    import pikepdf

    blank = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(blank)
    blank.seek(0)
    assert scan_document(blank, "scanned.pdf").readable is False
    assert scan_document(io.BytesIO(good_pdf(1)), "report.pdf").readable is True


def test_text_files_in_gb18030_are_read():
    rng = corpus.random.Random(9)
    identity = corpus.prc_id(rng)
    data = f"姓名：李娜\n身份证号：{identity}\n".encode("gb18030")
    result = scan_document(io.BytesIO(data), "patients.csv")
    assert result.findings["prc_resident_id"].count == 1
    assert result.findings["labelled_name"].count == 1
    assert re.fullmatch(r"李\*", result.findings["labelled_name"].samples[0]["masked"])
