import pytest

from apps.catalog import demo as catalog_demo
from apps.catalog.models import Asset, AssetStatus, ExpressionOfInterest, InterestProfile, WatchlistEntry
from apps.companies import demo as companies_demo


@pytest.mark.django_db
def test_catalog_demo_is_idempotent_and_fills_ctx():
    for _ in range(2):
        ctx: dict = {}
        companies_demo.load(ctx)
        catalog_demo.load(ctx)
    assert set(ctx["assets"]) == {"LMN-2201", "LMN-3105", "LMN-4010", "JP-118"}
    assert Asset.objects.count() == 4
    lead = ctx["assets"]["LMN-2201"]
    assert lead.status == AssetStatus.PUBLISHED and lead.regulatory_events.count() == 3
    assert ctx["assets"]["JP-118"].owner_company.name_en.startswith("Hangzhou Jade Peak")
    assert ctx["assets"]["LMN-3105"].status == AssetStatus.SUBMITTED
    assert (WatchlistEntry.objects.count(), ExpressionOfInterest.objects.count(), InterestProfile.objects.count()) \
        == (1, 1, 1)
