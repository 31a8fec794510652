"""Charts as PNG and SVG, labelled in the reader's language with a CJK font."""

import datetime
from pathlib import Path

import pytest

from apps.intelligence import charts
from tests.intelligence.helpers import negotiation, public_deal

pytestmark = pytest.mark.django_db

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_a_cjk_font_is_found():
    path = charts.cjk_font_path()
    assert path is not None and Path(path).is_file(), "fonts-noto-cjk is missing: `make system-deps` installs it"
    assert "cjk" in Path(path).name.lower()


@pytest.mark.parametrize("name", ["deals-per-year", "upfront-vs-total"])
def test_charts_in_both_formats_and_both_languages(world, name):
    for year, area in ((2023, "oncology"), (2024, "oncology"), (2024, "immunology")):
        public_deal(announced_on=datetime.date(year, 3, 1), therapeutic_area=area)
    png = world.client("member").get(f"/api/v1/intelligence/charts/{name}.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content.startswith(PNG_MAGIC)
    english = world.client("member").get(f"/api/v1/intelligence/charts/{name}.svg")
    chinese = world.client("member", language="zh-hans").get(f"/api/v1/intelligence/charts/{name}.svg")
    assert english["Content-Type"] == "image/svg+xml" and chinese["Content-Language"] == "zh-hans"
    english_svg, chinese_svg = english.content.decode(), chinese.content.decode()
    assert "<svg" in english_svg and "Oncology" in english_svg
    assert "肿瘤" in chinese_svg  # the area's Chinese label, drawn as glyph paths of the CJK font
    assert "CJK" in chinese_svg or "cjk" in chinese_svg.lower()


def test_the_comparables_strip_marks_the_proposed_terms(world):
    public_deal(modality="bispecific_antibody")
    agreement = negotiation(world)
    response = world.client("owner").get(f"/api/v1/intelligence/agreements/{agreement.pk}/comparables-chart.svg")
    assert response.status_code == 200
    assert "percentile" in response.content.decode()
    assert world.client("staff").get(
        f"/api/v1/intelligence/agreements/{agreement.pk}/comparables-chart.png").status_code == 403


def test_unknown_chart_is_404(world):
    assert world.client("member").get("/api/v1/intelligence/charts/pie.png").status_code == 404
    assert world.client("outsider").get("/api/v1/intelligence/charts/deals-per-year.png").status_code == 404
