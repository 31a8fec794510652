"""Authorization-matrix rows for every catalog operation (see tests/authz/matrix.py).

Personas: Lumina (verified licensor) owner/admin/member contribute, viewer reads; other_member is a
member of Northbridge (verified partner), granted the confidential core only where the row says so;
outsider has an account but no company; staff moderate.
"""

from apps.catalog.models import AssetStatus, ExpressionOfInterest, InterestProfile, Patent, RegulatoryEvent
from apps.catalog.models import WatchlistEntry as Watch
from tests.authz.matrix import Row, expect
from tests.catalog.helpers import grant_confidential, make_asset
from tests.factories import CompanyFactory

LUMINA = {"viewer": 200, "member": 200, "admin": 200, "owner": 200}
CONTRIBUTORS_201 = {"member": 201, "admin": 201, "owner": 201}
CONTRIBUTORS_200 = {"member": 200, "admin": 200, "owner": 200}
CONTRIBUTORS_204 = {"member": 204, "admin": 204, "owner": 204}


def _published(world):
    return {"id": make_asset(world.licensor, status=AssetStatus.PUBLISHED).pk}


def _draft(world):
    return {"id": make_asset(world.licensor, status=AssetStatus.DRAFT).pk}


def _submitted(world):
    return {"id": make_asset(world.licensor, status=AssetStatus.SUBMITTED).pk}


def _event(world, granted=False):
    asset = make_asset(world.licensor)
    if granted:
        grant_confidential(world.partner, asset)
    event = RegulatoryEvent.objects.create(asset=asset, agency="FDA", event_type="ind_cleared", date="2026-03-01")
    return {"id": event.pk}


def _patent(world, granted=False):
    asset = make_asset(world.licensor)
    if granted:
        grant_confidential(world.partner, asset)
    return {"id": Patent.objects.create(asset=asset, family="PF-1", jurisdiction="US", number="US 11,000,001").pk}


def _interest(world, company=None):
    asset = make_asset(world.licensor)
    interest = ExpressionOfInterest.objects.create(asset=asset, company=company or world.partner,
                                                   created_by=world.other_member, message="Interested.")
    return {"id": interest.pk}


def _profile(world):
    return {"id": InterestProfile.objects.create(company=world.partner, therapeutic_areas=["oncology"]).pk}


def _watched_by(world, persona):
    """DELETE has no body: this hook puts the asset on the persona's watchlist first (if they can see it)."""
    user = world.people.get(persona)
    asset_id = world.extra["asset_id"]
    if user is not None and persona != "outsider":
        Watch.objects.get_or_create(user=user, asset_id=asset_id)
    return {}


def _published_for_watch(world):
    world.extra["asset_id"] = make_asset(world.licensor, status=AssetStatus.PUBLISHED).pk
    return {"id": world.extra["asset_id"]}


def _asset_body(world, persona):
    return {"code_name": f"NEW-{persona[:3].upper()}", "modality": "adc", "stage": "preclinical",
            "territories": ["worldwide_ex_greater_china"], "therapeutic_areas": ["oncology"]}


def _event_body(world, persona):
    asset = make_asset(world.licensor)
    return {"asset": asset.pk, "agency": "NMPA", "event_type": "designation", "designation": "breakthrough_therapy",
            "date": "2026-05-01"}


def _patent_body(world, persona):
    asset = make_asset(world.licensor)
    return {"asset": asset.pk, "family": "PF-2", "jurisdiction": "CN", "number": "CN 123456789 A",
            "expiry": "2041-01-01"}


ROWS = [
    Row("GET /api/v1/regions/", expect(200)),
    Row("GET /api/v1/assets/", expect(200)),
    Row("POST /api/v1/assets/", expect(403, other_member=201, **CONTRIBUTORS_201), body=_asset_body),
    Row("GET /api/v1/assets/{id}/", expect(200, outsider=404), params=_published, variant="published"),
    Row("GET /api/v1/assets/{id}/", expect(404, staff=200, **LUMINA), params=_draft, variant="draft"),
    Row("PATCH /api/v1/assets/{id}/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_200),
        params=_draft, body=lambda w, p: {"summary_en": "Updated teaser."}),
    Row("PATCH /api/v1/assets/{id}/", expect(403, outsider=404, **CONTRIBUTORS_200), params=_published,
        body=lambda w, p: {"stage": "phase_3"}, variant="published: partners may see, not edit"),
    Row("POST /api/v1/assets/{id}/submit/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_200),
        params=_draft),
    Row("POST /api/v1/assets/{id}/publish/", expect(403, outsider=404, other_member=404, staff=200),
        params=_submitted, body=lambda w, p: {}),
    Row("POST /api/v1/assets/{id}/request-changes/", expect(403, outsider=404, other_member=404, staff=200),
        params=_submitted, body=lambda w, p: {"reason": "Add a Chinese summary."}),
    Row("POST /api/v1/assets/{id}/archive/", expect(403, outsider=404, staff=200, **CONTRIBUTORS_200),
        params=_published, body=lambda w, p: {}),
    Row("POST /api/v1/assets/{id}/watch/", expect(201, outsider=404), params=_published),
    Row("DELETE /api/v1/assets/{id}/watch/", expect(204, outsider=404), params=_published_for_watch,
        body=_watched_by),
    Row("POST /api/v1/assets/{id}/interest/", expect(403, outsider=404, other_member=201), params=_published,
        body=lambda w, p: {"message": "We would like to discuss ex-China rights."}),
    Row("GET /api/v1/assets/recommended/", expect(200)),
    Row("GET /api/v1/regulatory-events/", expect(200)),
    Row("POST /api/v1/regulatory-events/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_201),
        body=_event_body),
    Row("GET /api/v1/regulatory-events/{id}/", expect(404, staff=200, **LUMINA), params=_event),
    Row("GET /api/v1/regulatory-events/{id}/", expect(404, staff=200, other_member=200, **LUMINA),
        params=lambda w: _event(w, granted=True), variant="partner granted"),
    Row("DELETE /api/v1/regulatory-events/{id}/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_204),
        params=_event),
    Row("GET /api/v1/patents/", expect(200)),
    Row("POST /api/v1/patents/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_201),
        body=_patent_body),
    Row("GET /api/v1/patents/{id}/", expect(404, staff=200, **LUMINA), params=_patent),
    Row("GET /api/v1/patents/{id}/", expect(404, staff=200, other_member=200, **LUMINA),
        params=lambda w: _patent(w, granted=True), variant="partner granted"),
    Row("DELETE /api/v1/patents/{id}/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS_204),
        params=_patent),
    Row("GET /api/v1/watchlist/", expect(200)),
    Row("GET /api/v1/interests/", expect(200)),
    Row("GET /api/v1/interests/{id}/", expect(200, outsider=404), params=_interest, variant="own company's"),
    Row("GET /api/v1/interests/{id}/", expect(404, staff=200, **LUMINA),
        params=lambda w: _interest(w, company=CompanyFactory(name_en="Rhine Valley Therapeutics", kind="pharma")),
        variant="another partner's: bidder isolation"),
    Row("GET /api/v1/interest-profiles/", expect(200)),
    Row("POST /api/v1/interest-profiles/", expect(403, outsider=404, other_member=201),
        body=lambda w, p: {"company": w.partner.pk, "therapeutic_areas": ["oncology"], "modalities": ["adc"],
                           "stage_min": "phase_1", "stage_max": "phase_3", "territories": ["us", "eu"]}),
    Row("GET /api/v1/interest-profiles/{id}/", expect(404, other_member=200, staff=200), params=_profile),
    Row("PATCH /api/v1/interest-profiles/{id}/", expect(404, other_member=200, staff=403), params=_profile,
        body=lambda w, p: {"deal_types": ["exclusive_license"]}),
]
