"""Staff curate deal records in the console: saves go through the services (validated, audited), platform deals are
not listed there, and the dashboard carries the deal-intelligence panel."""

import pytest

from apps.audit.models import AuditEvent
from apps.intelligence.models import DealRecord
from tests.console.conftest import console, superuser  # noqa: F401  (fixtures)
from tests.intelligence.helpers import public_deal, quick_platform_deal

pytestmark = pytest.mark.django_db

FORM = {
    "reference": "console-deal", "announced_on": "2024-11-14", "licensor_name_en": "LaNova Medicines",
    "licensor_name_zh": "", "licensor_country": "CN", "licensee_name_en": "Merck & Co.", "licensee_name_zh": "",
    "licensee_country": "US", "asset_name": "LM-299", "modality": "bispecific_antibody",
    "therapeutic_area": "oncology", "stage": "phase_1", "deal_type": "exclusive_license", "territory": "worldwide",
    "currency": "USD", "upfront": "588000000", "equity": "", "near_term": "", "milestones_total": "2700000000",
    "total_value": "", "royalty_description": "", "royalty_low": "", "royalty_high": "",
    "source_url": "https://news.example.test/lanova", "source_read_on": "2026-11-30", "notes": "",
}


def test_staff_add_a_deal_in_the_console_through_the_service(console, superuser):  # noqa: F811
    client = console(superuser)
    response = client.post("/admin/intelligence/dealrecord/add/", FORM)
    assert response.status_code == 302, response.content[:2000]
    deal = DealRecord.objects.get(reference="console-deal")
    assert deal.total_value == 3_288_000_000 and deal.upfront_usd == 588_000_000
    # One act, one event: the service's own, not a second generic "added in the console" beside it.
    assert list(AuditEvent.objects.filter(target_id=str(deal.pk), target_type="intelligence.dealrecord")
                .values_list("action", flat=True)) == ["intelligence.deal_created"]


def test_editing_and_bulk_deleting_deals_in_the_console_leave_one_event_each(console, superuser):  # noqa: F811
    client = console(superuser)
    client.post("/admin/intelligence/dealrecord/add/", FORM)
    deal = DealRecord.objects.get(reference="console-deal")
    other = public_deal()
    response = client.post(f"/admin/intelligence/dealrecord/{deal.pk}/change/", {**FORM, "upfront": "600000000"})
    assert response.status_code == 302
    response = client.post("/admin/intelligence/dealrecord/", {
        "action": "delete_selected", "_selected_action": [deal.pk, other.pk], "post": "yes"})
    assert response.status_code == 302
    assert not DealRecord.objects.filter(pk__in=[deal.pk, other.pk]).exists()
    actions = lambda pk: sorted(AuditEvent.objects.filter(  # noqa: E731
        target_id=str(pk), target_type="intelligence.dealrecord").values_list("action", flat=True))
    assert actions(deal.pk) == ["intelligence.deal_created", "intelligence.deal_deleted",
                                "intelligence.deal_updated"]
    assert actions(other.pk) == ["intelligence.deal_deleted"]


def test_a_deal_without_its_source_is_refused_in_the_console(console, superuser):  # noqa: F811
    response = console(superuser).post("/admin/intelligence/dealrecord/add/", {**FORM, "source_url": ""})
    assert response.status_code == 200  # the form again, with the error
    assert not DealRecord.objects.exists()


def test_platform_deals_are_not_listed_in_the_console(console, superuser):  # noqa: F811
    public = public_deal()
    platform = quick_platform_deal("50000000")
    page = console(superuser).get("/admin/intelligence/dealrecord/").content.decode()
    assert public.asset_name in page and platform.asset_name not in page
    assert console(superuser).get(f"/admin/intelligence/dealrecord/{platform.pk}/change/").status_code in (302, 404)


def test_the_dashboard_includes_the_panel(console, superuser):  # noqa: F811
    page = console(superuser).get("/admin/").content.decode()
    assert 'id="intelligence-charts"' in page and "/api/v1/intelligence/charts/deals-per-year.png" in page
