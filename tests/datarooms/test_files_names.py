"""Filename cleaning keeps names useful (Unicode survives) and harmless (no paths, controls, dots)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.datarooms.files.names import MAX_NAME_BYTES, ascii_fallback, clean_filename, split_ext, with_extension


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\evil\\report.pdf", "report.pdf"),
        ("/abs/path/csr.pdf", "csr.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        (".htaccess", "htaccess"),
        ("...", "file"),
        ("", "file"),
        (None, "file"),
        ("report\x00.exe.pdf", "report.exe.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("line\nbreak\r.txt", "line break .txt".replace(" .", ".")),
        ("临床研究报告.pdf", "临床研究报告.pdf"),
        ("CON.txt", "_CON.txt"),
        ('a<b>c:d"e|f?g*.pdf', "a_b_c_d_e_f_g_.pdf"),
        ("trailing dots...", "trailing dots"),
        ("Ｒｅｐｏｒｔ.PDF", "Ｒｅｐｏｒｔ.pdf"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension():
    name = clean_filename("研" * 500 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= MAX_NAME_BYTES


def test_split_ext_and_with_extension():
    assert split_ext("a.b.PDF") == ("a.b", ".pdf")
    assert split_ext("noext") == ("noext", "")
    assert with_extension("scan", ".png") == "scan.png"
    assert with_extension("scan.jpg", ".png") == "scan.jpg"


def test_ascii_fallback_for_content_disposition():
    assert ascii_fallback("临床报告.pdf") == "download.pdf"
    assert ascii_fallback("Résumé v2.pdf") == "Resume v2.pdf"


@given(st.text(max_size=400))
def test_cleaned_names_are_always_harmless(raw):
    name = clean_filename(raw)
    assert name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert all(ord(c) >= 32 and c != "\x7f" for c in name)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert clean_filename(name) == name  # idempotent
