"""Regulatory events (with the signal agreements hook into) and patents."""

import pytest

from apps.catalog import services
from apps.catalog.models import RegulatoryEvent
from apps.catalog.signals import regulatory_event_recorded
from apps.core.errors import ValidationFailed
from tests.catalog.helpers import grant_confidential, make_asset


@pytest.mark.django_db
def test_recording_an_event_sends_the_signal_inside_the_service(world):
    asset = make_asset(world.licensor)
    received = []

    def receiver(sender, event, actor, **kwargs):
        received.append((sender, event.designation, actor))

    regulatory_event_recorded.connect(receiver)
    try:
        services.regulatory_event_record(actor=world.member, asset=asset, agency="FDA", event_type="designation",
                                         designation="fast_track", date="2026-02-01", indication="NSCLC")
    finally:
        regulatory_event_recorded.disconnect(receiver)
    assert received == [(RegulatoryEvent, "fast_track", world.member)]


@pytest.mark.django_db
def test_a_failing_receiver_rolls_the_event_back(world):
    asset = make_asset(world.licensor)

    def receiver(**kwargs):
        raise RuntimeError("milestone hook failed")

    regulatory_event_recorded.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            services.regulatory_event_record(actor=world.member, asset=asset, agency="NMPA", event_type="approved",
                                             date="2026-02-01")
    finally:
        regulatory_event_recorded.disconnect(receiver)
    assert not RegulatoryEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [
    {"event_type": "designation"},  # which designation?
    {"event_type": "approved", "designation": "orphan_drug"},
    {"event_type": "designation", "designation": "other"},  # other needs its name
    {"agency": "other", "event_type": "ind_cleared"},  # other needs the agency name
    {"agency": "WHO", "event_type": "ind_cleared"},
])
def test_inconsistent_events_are_refused(world, fields):
    asset = make_asset(world.licensor)
    with pytest.raises(ValidationFailed):
        services.regulatory_event_record(actor=world.member, asset=asset, date="2026-02-01",
                                         **{"agency": "FDA", **fields})


@pytest.mark.django_db
def test_events_and_patents_appear_in_the_full_detail_only(world):
    asset = make_asset(world.licensor)
    client = world.client("member")
    assert client.post("/api/v1/regulatory-events/", {
        "asset": asset.pk, "agency": "NMPA", "event_type": "designation", "designation": "breakthrough_therapy",
        "date": "2026-04-01", "indication": "Non-small cell lung cancer"}, format="json").status_code == 201
    assert client.post("/api/v1/patents/", {"asset": asset.pk, "family": "WO2024/123456", "jurisdiction": "wo",
                                            "number": "WO 2024/123456", "expiry": "2044-06-30"},
                       format="json").status_code == 201
    full = world.client("owner").get(f"/api/v1/assets/{asset.pk}/").json()
    assert full["regulatory_events"][0]["designation"] == "breakthrough_therapy"
    assert full["patents"][0]["jurisdiction"] == "WO"
    teaser = world.client("other_member").get(f"/api/v1/assets/{asset.pk}/").json()
    assert "regulatory_events" not in teaser and "patents" not in teaser
    assert world.client("other_member").get("/api/v1/regulatory-events/").json()["results"] == []
    grant_confidential(world.partner, asset)
    assert len(world.client("other_member").get("/api/v1/patents/").json()["results"]) == 1


@pytest.mark.django_db
def test_unknown_patent_jurisdiction_is_400(world):
    asset = make_asset(world.licensor)
    response = world.client("member").post("/api/v1/patents/", {"asset": asset.pk, "family": "F", "jurisdiction": "ZZ",
                                                                "number": "1"}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_designation_filter_matches_recorded_designations(world):
    asset = make_asset(world.licensor, code_name="LMN-2201")
    make_asset(world.licensor, code_name="LMN-3105")
    services.regulatory_event_record(actor=world.member, asset=asset, agency="FDA", event_type="designation",
                                     designation="orphan_drug", date="2026-02-01")
    rows = world.client("owner").get("/api/v1/assets/?designation=orphan_drug").json()["results"]
    assert [row["code_name"] for row in rows] == ["LMN-2201"]
