"""Authorization matrix rows for deal intelligence (tests/authz/test_matrix.py runs them per persona).

Public records: staff and members of verified companies read, staff curate. A platform deal between Lumina and
Northbridge: only their members read it (staff too are refused). An agreement's comparables, chart, valuation and
contribution: its parties only (staff see the agreement but are no party: 403)."""

from apps.intelligence import services
from apps.intelligence.models import MarketFigure, PhaseTransition
from tests.agreements import helpers as agreement_helpers
from tests.authz.matrix import Row, expect
from tests.intelligence import helpers

STAFF_ONLY = {"staff": 200}
DEAL_BODY = {
    "reference": "matrix-deal", "announced_on": "2024-01-02", "licensor_name_en": "Licensor Co",
    "licensor_country": "CN", "licensee_name_en": "Licensee Co", "licensee_country": "US", "asset_name": "X-1",
    "modality": "adc", "therapeutic_area": "oncology", "stage": "phase_1", "deal_type": "exclusive_license",
    "territory": "worldwide", "currency": "USD", "upfront": "1000000", "source_url": "https://news.example.test/x",
    "source_read_on": "2026-11-30",
}
FIGURE_BODY = {
    "metric": "deal_count", "period_label": "2024", "period_start": "2024-01-01", "period_end": "2024-12-31",
    "scope_en": "China out-licensing", "value": "80", "currency": "", "source_name": "Example",
    "source_url": "https://example.test/figures", "as_of": "2025-03-20",
}
CSV = (b"reference,announced_on,licensor_name_en,licensor_country,licensee_name_en,licensee_country,asset_name,"
       b"modality,therapeutic_area,stage,deal_type,territory,currency,upfront,source_url,source_read_on\n"
       b"matrix-import,2024-01-02,A,CN,B,US,X,adc,oncology,phase_1,exclusive_license,worldwide,USD,1000000,"
       b"https://news.example.test/y,2026-11-30\n")
VALUATION_BODY = {"start_year": 2026, "launch_year": 2031, "peak_sales": "1000000000", "discount_rate": "0.1"}


def _deal(world):
    return {"id": helpers.public_deal().pk}


def _platform_deal(world):
    agreement = agreement_helpers.executed(world, the_asset=helpers.licensor_asset(world))
    services.contribution_consent(actor=world.owner, agreement=agreement)
    services.contribution_consent(actor=agreement_helpers.partner_admin(world), agreement=agreement)
    return {"id": agreement.deal_record.pk}


def _import(world):
    deal_import = services.import_preview(actor=world.staff, file_name="deals.csv", content=CSV)
    return {"id": deal_import.pk}


def _figure(world):
    return {"id": MarketFigure.objects.create(**{**FIGURE_BODY, "value": "80"}).pk}


def _transition(world):
    return {"id": PhaseTransition.objects.get(phase="phase_2", therapeutic_area="").pk}


def _asset(world):
    return {"id": helpers.licensor_asset(world).pk}


def _negotiation(world):
    return {"id": helpers.negotiation(world).pk}


def _chart_of_negotiation(world):
    return {**_negotiation(world), "fmt": "svg"}


def _executed(world):
    return {"id": agreement_helpers.executed(world, the_asset=helpers.licensor_asset(world)).pk}


def _consented(world):
    agreement = agreement_helpers.executed(world, the_asset=helpers.licensor_asset(world))
    services.contribution_consent(actor=world.owner, agreement=agreement)
    return {"id": agreement.pk}


def _upload(world, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("deals.csv", CSV)}


def _chart(world):
    return {"name": "deals-per-year", "fmt": "png"}


READERS = dict(outsider=404)
PARTIES = dict(viewer=200, member=200, admin=200, owner=200, other_member=200, staff=403, outsider=404)

ROWS = [
    Row("GET /api/v1/intelligence/deals/", expect(200)),
    Row("POST /api/v1/intelligence/deals/", expect(403, staff=201), body=lambda w, p: DEAL_BODY),
    Row("GET /api/v1/intelligence/deals/{id}/", expect(200, **READERS), params=_deal),
    Row("GET /api/v1/intelligence/deals/{id}/", expect(404, viewer=200, member=200, admin=200, owner=200,
                                                       other_member=200), params=_platform_deal,
        variant="platform deal: its parties only, never staff"),
    Row("PATCH /api/v1/intelligence/deals/{id}/", expect(403, staff=200, **READERS), params=_deal,
        body=lambda w, p: {"notes": "Checked against the press release."}),
    Row("DELETE /api/v1/intelligence/deals/{id}/", expect(403, staff=204, **READERS), params=_deal),
    Row("POST /api/v1/intelligence/deals/reprice/", expect(403, staff=200)),
    Row("GET /api/v1/intelligence/deal-imports/", expect(200)),
    Row("POST /api/v1/intelligence/deal-imports/", expect(403, staff=201), body=_upload, multipart=True),
    Row("GET /api/v1/intelligence/deal-imports/{id}/", expect(404, staff=200), params=_import),
    Row("POST /api/v1/intelligence/deal-imports/{id}/confirm/", expect(404, staff=200), params=_import),
    Row("GET /api/v1/intelligence/market-figures/", expect(200)),
    Row("POST /api/v1/intelligence/market-figures/", expect(403, staff=201), body=lambda w, p: FIGURE_BODY),
    Row("GET /api/v1/intelligence/market-figures/{id}/", expect(200, **READERS), params=_figure),
    Row("PATCH /api/v1/intelligence/market-figures/{id}/", expect(403, staff=200, **READERS), params=_figure,
        body=lambda w, p: {"value": "81"}),
    Row("DELETE /api/v1/intelligence/market-figures/{id}/", expect(403, staff=204, **READERS), params=_figure),
    Row("GET /api/v1/intelligence/phase-transitions/", expect(200)),
    Row("GET /api/v1/intelligence/phase-transitions/{id}/", expect(200, **READERS), params=_transition),
    Row("PATCH /api/v1/intelligence/phase-transitions/{id}/", expect(403, staff=200, **READERS),
        params=_transition, body=lambda w, p: {"probability": "0.3", "source": "Staff review 2026"}),
    Row("GET /api/v1/intelligence/analytics/", expect(200, **READERS)),
    Row("GET /api/v1/intelligence/analytics/china-out-licensing/", expect(200, **READERS)),
    Row("GET /api/v1/intelligence/charts/{name}.{fmt}", expect(200, **READERS), params=_chart),
    Row("GET /api/v1/intelligence/asset-comparables/{id}/", expect(200, **READERS), params=_asset),
    Row("GET /api/v1/intelligence/agreements/{id}/comparables/", expect(**PARTIES), params=_negotiation),
    Row("GET /api/v1/intelligence/agreements/{id}/comparables-chart.{fmt}", expect(**PARTIES),
        params=_chart_of_negotiation),
    Row("POST /api/v1/intelligence/agreements/{id}/valuation/", expect(**PARTIES), params=_negotiation,
        body=lambda w, p: VALUATION_BODY),
    Row("POST /api/v1/intelligence/agreements/{id}/contribution/",
        expect(403, owner=201, admin=201, outsider=404), params=_executed),
    Row("DELETE /api/v1/intelligence/agreements/{id}/contribution/",
        expect(403, owner=204, admin=204, outsider=404), params=_consented),
]
