"""What a document carries that the cross-border rules care about: Chinese personal information and genetic data.

Each detector finds candidates with a pattern and keeps only those that validate (a PRC resident identity number
needs a real region, a real birth date and its ISO 7064 MOD 11-2 check character; a bank card its Luhn digit), so
a lot number or a lab value does not count. A hit is kept as a masked sample with its location, never as the full
identifier: what a scan stores cannot itself leak what it found.

Spans are claimed in the order of `DETECTORS`: an 18-digit identity number is not also a bank card, a mobile number
inside it is not also counted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PERSONAL_INFORMATION = "personal_information"
HGR = "hgr"

# First two digits of a mainland resident identity number: the province-level division (GB/T 2260).
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _valid_prc_id(match: re.Match[str]) -> bool:
    number = match.group(0).upper()
    if int(number[:2]) not in PROVINCES:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
        return False
    return id_check_character(number[:17]) == number[17]


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _valid_card(match: re.Match[str]) -> bool:
    digits = re.sub(r"[ -]", "", match.group(0))
    # UnionPay (62), Visa (4), Mastercard (51-55, 2221-2720), Amex (34, 37), JCB (35).
    issuer = digits.startswith(("62", "4", "34", "35", "37")) or 51 <= int(digits[:2]) <= 55 or \
        2221 <= int(digits[:4]) <= 2720
    return 16 <= len(digits) <= 19 and issuer and luhn_ok(digits)


def _mask_middle(keep_start: int, keep_end: int) -> Callable[[str], str]:
    def mask(value: str) -> str:
        value = value.strip()
        hidden = max(len(value) - keep_start - keep_end, 1)
        return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")
    return mask


def _mask_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1)


def _mask_sequence(value: str) -> str:
    return f"{value[:6]}… ({len(value)} bases)"


@dataclass(frozen=True)
class Detector:
    name: str
    category: str
    pattern: re.Pattern[str]
    mask: Callable[[str], str]
    valid: Callable[[re.Match[str]], bool] = lambda match: True
    group: str | int = 0  # the part of the match that is the identifier (a label before it is not)


NAME_VALUE = re.compile(
    r"(?:姓名|患者姓名|受试者姓名|患者|病人姓名|patient name|name of (?:the )?patient|subject name)\s*[:：]\s*"
    r"(?P<name>[\u4e00-\u9fff·]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})", re.IGNORECASE)
AMINO = ("Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Ter|Sec|Pyl")

DETECTORS: list[Detector] = [
    Detector("prc_resident_id", PERSONAL_INFORMATION,
             re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[0-9Xx](?![0-9A-Za-z])"),
             _mask_middle(4, 2), _valid_prc_id),
    Detector("bank_card", PERSONAL_INFORMATION,
             re.compile(r"(?<![0-9])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![0-9])"),
             _mask_middle(4, 4), _valid_card),
    Detector("mainland_mobile", PERSONAL_INFORMATION,
             re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])"),
             _mask_middle(3, 2)),
    Detector("email", PERSONAL_INFORMATION,
             re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"),
             _mask_email),
    # PRC passports: E + 8 digits, E + letter + 7 digits, or the older G + 8 digits; only after a passport label,
    # since the bare shape is also a batch or lot number.
    Detector("prc_passport", PERSONAL_INFORMATION,
             re.compile(r"(?:护照(?:号码?|号)?|passport(?: no\.?| number)?)\s*[:：#]?\s*"
                        r"(?P<value>(?:E[A-HJ-NP-Z]\d{7}|E\d{8}|G\d{8}))(?![0-9A-Za-z])", re.IGNORECASE),
             _mask_middle(2, 2), group="value"),
    Detector("labelled_name", PERSONAL_INFORMATION, NAME_VALUE, _mask_name, group="name"),
    Detector("nucleotide_sequence", HGR,
             re.compile(r"(?<![A-Za-z])(?=[ACGTN]*[ACGT][ACGTN]*[ACGT])[ACGTN]{30,}(?![A-Za-z])"), _mask_sequence),
    Detector("hgvs_variant", HGR,
             re.compile(r"(?<![\w.])(?:[cgmnr]\.(?:-|\*)?\d+(?:[+-]\d+)?(?:_(?:-|\*)?\d+(?:[+-]\d+)?)?"
                        r"(?:[ACGT]>[ACGT]|delins[ACGT]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+)"
                        rf"|p\.\(?(?:{AMINO})\d+(?:{AMINO}|\*|=|fs(?:Ter\d+)?|del|dup)\)?)(?![\w>])"),
             _mask_middle(3, 1)),
    Detector("rs_identifier", HGR, re.compile(r"(?<![\w])rs\d{3,12}(?![\w])"), _mask_middle(4, 0)),
]
BY_NAME = {detector.name: detector for detector in DETECTORS}


@dataclass
class Finding:
    count: int = 0
    samples: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ScanResult:
    """Counts and a few masked samples per detector, the genomic file formats recognised, and readability."""

    readable: bool = True
    units: int = 0  # pages, sheets' rows or lines read
    findings: dict[str, Finding] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    samples_per_detector: int = 3

    def add(self, detector: Detector, value: str, location: str) -> None:
        finding = self.findings.setdefault(detector.name, Finding())
        finding.count += 1
        if len(finding.samples) < self.samples_per_detector:
            finding.samples.append({"masked": detector.mask(value), "location": location})

    @property
    def proposed(self) -> list[str]:
        """The classifications the content points to: personal information, HGR information."""
        categories = {BY_NAME[name].category for name, finding in self.findings.items() if finding.count}
        if self.formats:
            categories.add(HGR)
        return sorted(categories)

    def as_json(self) -> dict[str, object]:
        return {"readable": self.readable, "units": self.units, "formats": self.formats,
                "proposed": self.proposed,
                "findings": {name: {"count": finding.count, "samples": finding.samples}
                             for name, finding in sorted(self.findings.items())}}


def scan_text(text: str, location: str, result: ScanResult) -> None:
    """Run every detector over one piece of text (a page, a row, a line), claiming spans in priority order."""
    claimed: list[tuple[int, int]] = []
    for detector in DETECTORS:
        for match in detector.pattern.finditer(text):
            start, end = match.span()
            if any(start < c_end and c_start < end for c_start, c_end in claimed):
                continue
            if not detector.valid(match):
                continue
            claimed.append((start, end))
            result.add(detector, match.group(detector.group), location)


# Genomic file formats, recognised from the head of a text file (the first lines), not from its name.
def sniff_formats(lines: Iterable[str]) -> list[str]:
    head = [line.rstrip("\r\n") for line in lines]
    body = [line for line in head if line]
    if not body:
        return []
    found = []
    if body[0].startswith("##fileformat=VCF") or any(line.startswith("#CHROM\tPOS\tID\tREF\tALT") for line in body):
        found.append("VCF")
    if any(re.match(r"^@(HD|SQ|RG|PG)\t", line) for line in body[:20]) or any(
            len(line.split("\t")) >= 11 and re.fullmatch(r"(\*|(\d+[MIDNSHP=X])+)", line.split("\t")[5] or "")
            for line in body[:50] if not line.startswith("@")):
        found.append("SAM")
    if len(body) >= 4 and body[0].startswith("@") and body[2].startswith("+") and \
            re.fullmatch(r"[ACGTNacgtn]+", body[1]) and len(body[1]) == len(body[3]):
        found.append("FASTQ")
    if body[0].startswith(">") and len(body) > 1 and re.fullmatch(r"[ACGTNacgtn]+", body[1]):
        found.append("FASTA")
    return found
