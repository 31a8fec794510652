"""Whatever bytes arrive, the file layer either accepts them or refuses them with a code: never another
exception (which the API would turn into a 5xx)."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.datarooms.files import UploadRefused, inspect_upload
from apps.datarooms.files.gate import inspect_bulk
from tests.datarooms.hostile import docx, good_pdf, png, zip_bytes

SEEDS = [good_pdf(1), docx(), png(), zip_bytes([("a/b.txt", b"hello"), ("c.csv", b"a,b\n1,2\n")]), b"a,b\n1,2\n"]
NAMES = st.sampled_from(["f.pdf", "f.docx", "f.png", "f.zip", "f.csv", "f", "../x.txt", "\x00.pdf", "报告.pdf"])


def _check(data: bytes, name: str, bulk: bool) -> None:
    try:
        if bulk:
            inspect_bulk(io.BytesIO(data), filename=name).close()
        else:
            inspect_upload(io.BytesIO(data), filename=name)
    except UploadRefused:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), name=NAMES, bulk=st.booleans())
def test_random_bytes_are_accepted_or_refused_with_a_code(data, name, bulk):
    _check(data, name, bulk)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                                  max_size=8),
       cut=st.integers(0, 10**6), name=NAMES, bulk=st.booleans())
def test_damaged_real_files_are_accepted_or_refused_with_a_code(seed, flips, cut, name, bulk):
    data = bytearray(seed)
    for position, value in flips:
        data[position % len(data)] = value
    _check(bytes(data[: max(1, cut % (len(data) + 1))]), name, bulk)
