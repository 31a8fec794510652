"""Deal records: who reads them, staff curation, validation, USD with the agreements app's dated rates."""

import datetime
from decimal import Decimal

import pytest

from apps.agreements.models import ExchangeRate
from apps.audit.models import AuditEvent
from apps.intelligence.models import DealRecord
from tests.intelligence.helpers import public_deal

pytestmark = pytest.mark.django_db

BODY = {
    "reference": "akeso-summit-ivonescimab", "announced_on": "2022-12-06", "licensor_name_en": "Akeso",
    "licensor_country": "CN", "licensee_name_en": "Summit Therapeutics", "licensee_country": "US",
    "asset_name": "ivonescimab", "modality": "bispecific_antibody", "therapeutic_area": "oncology",
    "stage": "phase_3", "deal_type": "exclusive_license", "territory": "other", "currency": "USD",
    "upfront": "500000000", "milestones_total": "4500000000",
    "source_url": "https://news.example.test/akeso", "source_read_on": "2026-11-30",
}


def test_staff_add_a_public_record_and_it_is_audited(world):
    response = world.client("staff").post("/api/v1/intelligence/deals/", BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_value"] == "5000000000.00"  # upfront + milestones, as headlines quote it
    assert body["upfront_usd"] == "500000000.00"
    assert AuditEvent.objects.filter(action="intelligence.deal_created", target_id=str(body["id"])).exists()


def test_a_public_record_without_its_source_is_refused_and_nothing_is_written(world):
    body = {**BODY, "source_url": ""}
    response = world.client("staff").post("/api/v1/intelligence/deals/", body, format="json")
    assert response.status_code == 400
    assert "source_url" in response.json()["error"]["fields"]
    assert not DealRecord.objects.exists()


def test_amounts_as_floats_are_refused(world):
    response = world.client("staff").post("/api/v1/intelligence/deals/", {**BODY, "upfront": 5e8}, format="json")
    assert response.status_code == 400
    assert "upfront" in response.json()["error"]["fields"]


def test_company_members_read_but_do_not_curate(world):
    deal = public_deal()
    assert world.client("member").get(f"/api/v1/intelligence/deals/{deal.pk}/").status_code == 200
    assert world.client("member").patch(f"/api/v1/intelligence/deals/{deal.pk}/", {"notes": "x"},
                                        format="json").status_code == 403
    assert world.client("outsider").get(f"/api/v1/intelligence/deals/{deal.pk}/").status_code == 404


def test_usd_uses_the_rate_valid_on_the_announcement_date(world):
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.14"), valid_on=datetime.date(2024, 1, 1))
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.13"), valid_on=datetime.date(2025, 1, 1))
    deal = public_deal(currency="CNY", upfront=Decimal("1000000"), milestones_total=None,
                       announced_on=datetime.date(2024, 6, 30))
    assert deal.upfront_usd == Decimal("140000.00") and deal.usd_rate_date == datetime.date(2024, 1, 1)


def test_a_record_without_a_rate_has_no_usd_figure_and_reprice_fills_it(world):
    deal = public_deal(currency="EUR", upfront=Decimal("1000000"), milestones_total=None)
    assert deal.upfront_usd is None
    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.10"), valid_on=datetime.date(2024, 1, 1))
    response = world.client("staff").post("/api/v1/intelligence/deals/reprice/")
    assert response.json() == {"changed": 1}
    deal.refresh_from_db()
    assert deal.upfront_usd == Decimal("1100000.00")
