"""The demo starter set: real deals with sources, nothing guessed, loaded idempotently."""

import pytest
from django.core.management import call_command

from apps.intelligence import demo
from apps.intelligence.models import DealRecord, MarketFigure

pytestmark = pytest.mark.django_db


def test_demo_loads_the_starter_set_once():
    demo.load({})
    demo.load({})
    assert DealRecord.objects.filter(source_kind="public").count() == len(demo.STARTER_SET) >= 15
    assert MarketFigure.objects.count() == len(demo.MARKET_FIGURES)


def test_every_starter_deal_has_its_source_and_reading_date_and_is_china_out_licensing():
    demo.load({})
    for deal in DealRecord.objects.all():
        assert deal.source_url.startswith("http") and deal.source_read_on is not None, deal.reference
        assert deal.licensor_country == "CN" and deal.licensee_country != "CN", deal.reference
        deal.full_clean()
    # Undisclosed figures stay empty, never guessed.
    assert DealRecord.objects.get(reference="2017-legend-janssen-lcar-b38m").milestones_total is None
    assert DealRecord.objects.get(reference="2024-medilink-roche-yl211").upfront is None


def test_the_whole_demo_gives_lumina_comparables(world):
    call_command("load_demo", verbosity=0)
    from apps.agreements.models import Agreement

    agreement = Agreement.objects.get(title__startswith="LMN-2201")
    body = world.client("staff").get("/api/v1/intelligence/analytics/china-out-licensing/?group_by=year").json()
    assert body["overall"]["count"] == len(demo.STARTER_SET)
    from apps.intelligence import selectors

    admin = agreement.created_by
    result = selectors.agreement_comparables(admin, agreement.pk)
    assert result["upfront"]["n"] >= 2 and "percentile" in result["upfront"]["text"]
