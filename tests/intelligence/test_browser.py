"""The staff console's dashboard shows the deal-intelligence charts (the console's panel hook), and they load, in
English and in Chinese. Screenshots go to artifacts/screenshots/ like the console's own browser tests."""

from __future__ import annotations

import datetime

import pytest

from apps.intelligence import demo
from tests.console.conftest import browser, open_page, staff_member  # noqa: F401  (fixtures)
from tests.console.test_browser import sign_in
from tests.intelligence.helpers import public_deal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

LOADED = """id => { const img = document.getElementById(id);
                    return img && img.complete && img.naturalWidth > 0; }"""


@pytest.mark.parametrize(("locale", "language", "caption"), [("en-GB", "en", "Deal intelligence"),
                                                              ("zh-CN", "zh-hans", "交易情报")])
def test_dashboard_shows_the_deal_charts_and_they_load(open_page, live_server, locale, language, caption):  # noqa: F811
    demo.load({})
    public_deal(announced_on=datetime.date(2023, 5, 1), therapeutic_area="immunology")
    staff = staff_member(f"analyst-{language}@gpc.test", "Ana Analyst", is_superuser=True,
                         preferred_language=language)
    page = open_page(locale)
    sign_in(page, live_server.url, staff)
    page.wait_for_selector("#intelligence-charts")
    assert caption.lower() in page.inner_text("#intelligence-charts caption").lower()  # CSS upper-cases it
    for chart in ("chart-deals-per-year", "chart-upfront-vs-total"):
        page.wait_for_function(LOADED, arg=chart, timeout=20_000)
        width = page.evaluate("id => document.getElementById(id).naturalWidth", chart)
        assert width > 300, f"{chart} did not load"
