"""A labelled corpus for the document scan, generated (no real person's data): synthetic identities with valid check
characters, near-misses that must not match (a wrong check character, an impossible birth date, a landline, a lot
number shaped like a passport), genetic strings and clean clinical text, in Chinese and English; written into CSV,
XLSX, DOCX and PDF. Each item is one line, row, paragraph or page, with the counts each detector must report.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import zipfile
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

from apps.datarooms.scan.detectors import PROVINCES, id_check_character, luhn_ok


@dataclass
class Item:
    text: str
    expected: Counter


def prc_id(rng: random.Random, *, valid: bool = True, flaw: str = "check") -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
    province = rng.choice(sorted(PROVINCES))
    first17 = f"{province}{rng.randrange(10000):04d}{born:%Y%m%d}{rng.randrange(1000):03d}"
    check = id_check_character(first17)
    if valid:
        return first17 + check
    if flaw == "check":
        return first17 + rng.choice([c for c in "0123456789X" if c != check])
    if flaw == "date":
        bad = f"{province}{rng.randrange(10000):04d}{born:%Y}13{born:%d}{rng.randrange(1000):03d}"
        return bad + id_check_character(bad)
    bad = f"99{rng.randrange(10000):04d}{born:%Y%m%d}{rng.randrange(1000):03d}"  # no such province
    return bad + id_check_character(bad)


def card(rng: random.Random, *, valid: bool = True, spaced: bool = False) -> str:
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(13))
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    digit = check if valid else str((int(check) + rng.randrange(1, 10)) % 10)
    number = body + digit
    return " ".join(number[i:i + 4] for i in range(0, 16, 4)) if spaced else number


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
FIRST = ["John", "Maria", "Wei", "Anna", "David", "Emily"]
LAST = ["Smith", "Garcia", "Zhang", "Muller", "Brown", "Chen"]


def name_zh(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def sequence(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(length))


CLEAN = [
    "Patients received 300 mg every three weeks; ALT rose to 45 U/L in cycle 2.",
    "受试者在第 2 周期接受 300 mg 给药，ALT 升至 45 U/L。",
    "Study NCT04567890, protocol LMN-2201-201, amendment 3 dated 2024-01-15.",
    "批号 20240115001，有效期至 2026-12-31，储存于 2–8 °C。",
    "Site contact: +86 21 6088 1234 (landline), fax 021-6088-1235.",
    "Lot E12345678 released by QA on 12 March 2024.",
    "Objective response rate 41.2% (95% CI 33.1–49.6), median PFS 8.3 months.",
    "客观缓解率 41.2%，中位无进展生存期 8.3 个月。",
    "Sample accession 123456789012345678 (laboratory system internal number).",
    "HER2-low breast cancer cohort, n=120; ECOG 0–1; prior lines ≤ 2.",
    "The CAT scan and GATT trade rules were mentioned in the appendix.",
    "Enrolment: 1350 patients across 86 sites in 12 countries.",
]


def build(seed: int = 7, per_kind: int = 12) -> list[Item]:
    rng = random.Random(seed)
    items: list[Item] = []

    def add(text: str, **counts: int) -> None:
        items.append(Item(text, Counter(counts)))

    for _ in range(per_kind):
        add(f"身份证号：{prc_id(rng)}", prc_resident_id=1)
        add(f"ID number {prc_id(rng)} verified at screening.", prc_resident_id=1)
        add(f"证件号 {prc_id(rng, valid=False, flaw=rng.choice(['check', 'date', 'region']))}")
        add(f"手机：{mobile(rng)}", mainland_mobile=1)
        add(f"Mobile +86 {mobile(rng)}; office 010-8888 6666.", mainland_mobile=1)
        add(f"Reference 12{rng.randrange(10**9):09d} is a 11-digit order number.")
        add(f"银行卡号 {card(rng)}", bank_card=1)
        add(f"Card {card(rng, spaced=True)} on file.", bank_card=1)
        add(f"Invoice number {card(rng, valid=False)}.")
        add(f"Contact: {rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}@hospital.example.cn", email=1)
        add(f"护照号：E{rng.randrange(10**8):08d}", prc_passport=1)
        add(f"Passport No. G{rng.randrange(10**8):08d} (expired).", prc_passport=1)
        add(f"Batch E{rng.randrange(10**8):08d} shipped.")
        add(f"患者姓名：{name_zh(rng)}，性别：男", labelled_name=1)
        add(f"Patient name: {rng.choice(FIRST)} {rng.choice(LAST)}", labelled_name=1)
        add(f">sample_{rng.randrange(999)} chr7\t{sequence(rng, rng.randrange(40, 90))}", nucleotide_sequence=1)
        add(f"BRAF c.{rng.randrange(100, 2000)}T>A (p.Val600Glu) detected.", hgvs_variant=2)
        add(f"EGFR c.{rng.randrange(2000, 2600)}_{rng.randrange(2600, 2700)}del in exon 19.", hgvs_variant=1)
        add(f"Germline variant rs{rng.randrange(10**4, 10**9)} in CYP2C19.", rs_identifier=1)
        add(rng.choice(CLEAN))
    add(f"患者：{name_zh(rng)}，身份证 {prc_id(rng)}，手机 {mobile(rng)}",
        labelled_name=1, prc_resident_id=1, mainland_mobile=1)
    return items


# --- writers ----------------------------------------------------------------------------------------------------


def to_csv(items: list[Item]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for item in items:
        writer.writerow([item.text])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(items: list[Item]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Patients"
    for item in items:
        sheet.append([item.text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_docx(items: list[Item]) -> bytes:
    """A minimal Word document: one paragraph per item (what Word itself writes, less styles)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(item.text)}</w:t></w:r></w:p>'
                         for item in items)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{paragraphs}</w:body>' \
               "</w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def to_pdf(items: list[Item]) -> bytes:
    """One item per page; PDF's standard fonts have no Chinese, so the PDF carries the items in Latin script."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for item in items:
        page.setFont("Helvetica", 8)
        page.drawString(36, 720, item.text)
        page.showPage()
    page.save()
    return buffer.getvalue()


def latin(items: list[Item]) -> list[Item]:
    return [item for item in items if item.text.isascii()]
