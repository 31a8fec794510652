"""Watchlist, expressions of interest (bidder isolation), interest profiles, matching and `recommended`."""

import pytest

from apps.catalog import services
from apps.catalog.models import AssetStatus, ExpressionOfInterest, InterestProfile
from apps.catalog.territories import Territory
from apps.core.errors import Conflict, PermissionRefused
from apps.notifications.models import OutboxEvent
from tests.catalog.helpers import make_asset
from tests.factories import CompanyFactory, UserFactory, add_member


@pytest.fixture
def rival(world):
    company = CompanyFactory(name_en="Rhine Valley Therapeutics", name_zh="莱茵谷治疗", kind="pharma", country="DE")
    person = UserFactory(email="bd@rhine.test")
    add_member(company, person, "admin")
    world.people["rival"] = person
    return company


@pytest.mark.django_db
def test_watchlist_is_private_and_idempotent_only_once(world):
    asset = make_asset(world.licensor)
    client = world.client("other_member")
    assert client.post(f"/api/v1/assets/{asset.pk}/watch/").status_code == 201
    assert client.post(f"/api/v1/assets/{asset.pk}/watch/").status_code == 409
    assert [row["asset"] for row in client.get("/api/v1/watchlist/").json()["results"]] == [asset.pk]
    assert world.client("owner").get("/api/v1/watchlist/").json()["results"] == []
    assert client.delete(f"/api/v1/assets/{asset.pk}/watch/").status_code == 204
    assert client.delete(f"/api/v1/assets/{asset.pk}/watch/").status_code == 404


@pytest.mark.django_db
def test_interest_notifies_the_licensor_and_is_audited(world):
    asset = make_asset(world.licensor, code_name="LMN-2201")
    response = world.client("other_member").post(f"/api/v1/assets/{asset.pk}/interest/",
                                                 {"message": "Keen on ex-China rights."}, format="json")
    assert response.status_code == 201
    event = OutboxEvent.objects.get(kind="catalog.interest_expressed")
    assert set(event.recipient_ids) == {world.owner.pk, world.admin.pk, world.member.pk}
    assert event.context["partner"] == "Northbridge Pharma" and event.context["asset"] == "LMN-2201"
    from apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="catalog.interest_expressed", actor=world.other_member).exists()


@pytest.mark.django_db
def test_interest_twice_is_a_conflict_and_own_asset_is_refused(world):
    asset = make_asset(world.licensor)
    services.interest_express(actor=world.other_member, asset=asset, message="Hello")
    with pytest.raises(Conflict):
        services.interest_express(actor=world.other_member, asset=asset, message="Again")
    with pytest.raises(PermissionRefused):
        services.interest_express(actor=world.member, asset=asset, message="Our own")


@pytest.mark.django_db
def test_interest_needs_a_published_listing(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT)
    with pytest.raises(Conflict):
        services.interest_express(actor=world.staff, asset=asset, message="x")


@pytest.mark.django_db
def test_licensor_sees_who_is_interested_partners_never_see_each_other(world, rival):
    asset = make_asset(world.licensor)
    services.interest_express(actor=world.other_member, asset=asset, message="Northbridge here")
    services.interest_express(actor=world.people["rival"], asset=asset, message="Rhine here")
    licensor_view = world.client("viewer").get(f"/api/v1/interests/?asset={asset.pk}").json()["results"]
    assert {row["company_name_en"] for row in licensor_view} == {"Northbridge Pharma", "Rhine Valley Therapeutics"}
    partner_view = world.client("other_member").get(f"/api/v1/interests/?asset={asset.pk}").json()["results"]
    assert [row["company_name_en"] for row in partner_view] == ["Northbridge Pharma"]
    rival_row = ExpressionOfInterest.objects.get(company=rival)
    assert world.client("other_member").get(f"/api/v1/interests/{rival_row.pk}/").status_code == 404


@pytest.mark.django_db
def test_licensor_sees_interest_only_in_its_own_assets(world, rival):
    other_licensor = CompanyFactory(name_en="Suzhou Other Bio")
    foreign = make_asset(other_licensor, code_name="OTH-1")
    services.interest_express(actor=world.other_member, asset=foreign, message="x")
    assert world.client("owner").get("/api/v1/interests/").json()["results"] == []


@pytest.mark.django_db
def test_interest_profile_validates_and_reversed_stage_range_is_400(world):
    client = world.client("other_member")
    bad = client.post("/api/v1/interest-profiles/", {"company": world.partner.pk, "stage_min": "phase_3",
                                                     "stage_max": "phase_1"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "reversed_range"
    unknown = client.post("/api/v1/interest-profiles/", {"company": world.partner.pk, "territories": ["atlantis"]},
                          format="json")
    assert unknown.status_code == 400
    good = client.post("/api/v1/interest-profiles/", {"company": world.partner.pk, "territories": ["us"],
                                                      "modalities": ["adc"]}, format="json")
    assert good.status_code == 201 and good.json()["territories"] == ["US"]
    assert InterestProfile.objects.get(company=world.partner).modalities == ["adc"]


def _profile(company, **fields):
    defaults = dict(therapeutic_areas=["oncology"], modalities=["bispecific_antibody", "adc"], stage_min="phase_1",
                    stage_max="phase_3", territories=Territory.parse("us").codes(), deal_types=["exclusive_license"])
    defaults.update(fields)
    return InterestProfile.objects.create(company=company, **defaults)


@pytest.mark.django_db
def test_publish_fans_out_once_to_members_of_matching_partners(world, rival):
    _profile(world.partner)
    _profile(rival, therapeutic_areas=["metabolic"])  # does not match an oncology asset
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_publish(actor=world.staff, asset=asset)
    events = OutboxEvent.objects.filter(kind="catalog.asset_matched")
    assert events.count() == 1
    assert events.get().recipient_ids == [world.other_member.pk]


@pytest.mark.django_db
def test_no_fan_out_when_nothing_matches(world):
    _profile(world.partner, territories=Territory.parse("greater_china").codes())
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_publish(actor=world.staff, asset=asset)
    assert not OutboxEvent.objects.filter(kind="catalog.asset_matched").exists()
    assert OutboxEvent.objects.filter(kind="catalog.asset_published").count() == 1


@pytest.mark.django_db
def test_recommended_ranks_by_matched_criteria_and_says_which(world):
    _profile(world.partner)
    make_asset(world.licensor, code_name="ALL-5")
    make_asset(world.licensor, code_name="TWO-2", modality="peptide", stage="preclinical", deal_types=["newco"])
    make_asset(world.licensor, code_name="NONE", modality="peptide", stage="discovery", deal_types=["newco"],
               therapeutic_areas=["metabolic"], territories=["SG"])
    make_asset(world.licensor, code_name="DRAFT", status=AssetStatus.DRAFT)
    body = world.client("other_member").get("/api/v1/assets/recommended/").json()
    assert [row["asset"]["code_name"] for row in body] == ["ALL-5", "TWO-2"]
    assert body[0]["matched"] == ["therapeutic_areas", "modalities", "stage", "territories", "deal_types"]
    assert body[1]["matched"] == ["therapeutic_areas", "territories"] and body[1]["score"] == 2
    assert body[0]["asset"]["access"] == "teaser"


@pytest.mark.django_db
def test_recommended_without_a_profile_is_empty_and_bad_limit_is_400(world):
    assert world.client("other_member").get("/api/v1/assets/recommended/").json() == []
    assert world.client("other_member").get("/api/v1/assets/recommended/?limit=1000").status_code == 400
    assert world.client("other_member").get("/api/v1/assets/recommended/?company=abc").status_code == 400
