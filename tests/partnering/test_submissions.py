"""Submissions: bidder isolation, triage states, structured decline reasons read in the biotech's language, and
"advanced" opening the data-room access request flow."""

import pytest
from django.utils import translation

from apps.catalog.models import AssetStatus
from apps.datarooms.models import AccessRequest
from apps.datarooms.services import room_create
from apps.notifications.delivery import event_deliver
from apps.notifications.models import Notification, OutboxEvent
from apps.partnering.models import DeclineReason, Submission, SubmissionStatus
from tests.catalog.helpers import make_asset
from tests.partnering.helpers import make_call, make_submission

pytestmark = pytest.mark.django_db


def _jade_submission(people, call):
    asset = make_asset(people.extra["jade"], status=AssetStatus.PUBLISHED, code_name="JD-7")
    return Submission.objects.create(call=call, asset=asset, company=people.extra["jade"], pitch="Jade's pitch.",
                                     created_by=people.another_biotech)


def test_a_biotech_answers_an_open_call_and_the_partner_is_told(people):
    call = make_call(people)
    asset = make_asset(people.licensor, status=AssetStatus.PUBLISHED)
    response = people.client("member").post("/api/v1/submissions/", {"call": call.pk, "asset": asset.pk,
                                                                    "pitch": "Phase 2 data in hand."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "received"
    event = OutboxEvent.objects.get(kind="partnering.submission_received")
    assert event.recipient_ids == [people.other_member.pk]


def test_the_same_asset_twice_is_a_conflict(people):
    call = make_call(people)
    submission = make_submission(people, call=call)
    response = people.client("member").post("/api/v1/submissions/", {"call": call.pk, "asset": submission.asset_id,
                                                                    "pitch": "Again."}, format="json")
    assert response.status_code == 409
    assert Submission.objects.count() == 1


def test_a_biotech_cannot_submit_someone_elses_asset(people):
    call = make_call(people)
    asset = make_asset(people.licensor, status=AssetStatus.PUBLISHED)
    response = people.client("another_biotech").post("/api/v1/submissions/", {"call": call.pk, "asset": asset.pk,
                                                                             "pitch": "Not ours."}, format="json")
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_bidder_isolation_a_biotech_sees_only_its_own_submission(people):
    call = make_call(people)
    lumina = make_submission(people, call=call)
    jade = _jade_submission(people, call)
    lumina_view = people.client("member").get("/api/v1/submissions/").json()["results"]
    assert [row["id"] for row in lumina_view] == [lumina.pk]
    assert people.client("member").get(f"/api/v1/submissions/{jade.pk}/").status_code == 404
    # Filtering by the call does not reveal who else answered either.
    assert [row["id"] for row in people.client("another_biotech").get(
        "/api/v1/submissions/", {"call": call.pk}).json()["results"]] == [jade.pk]
    partner_view = people.client("other_member").get("/api/v1/submissions/").json()["results"]
    assert {row["id"] for row in partner_view} == {lumina.pk, jade.pk}


def test_triage_walks_received_review_more_information_and_decline(people):
    submission = make_submission(people)
    partner = people.client("other_member")
    url = f"/api/v1/submissions/{submission.pk}/triage/"
    assert partner.post(url, {"status": "under_review"}, format="json").json()["status"] == "under_review"
    asked = partner.post(url, {"status": "more_info_requested", "info_request": "Send the phase 1 topline."},
                         format="json").json()
    assert asked["status"] == "more_info_requested" and asked["info_request"] == "Send the phase 1 topline."
    declined = partner.post(url, {"status": "declined", "decline_reason": "competitive_overlap"}, format="json")
    assert declined.json()["status"] == "declined"
    again = partner.post(url, {"status": "under_review"}, format="json")
    assert again.status_code == 409


def test_a_decline_needs_a_structured_reason(people):
    submission = make_submission(people)
    url = f"/api/v1/submissions/{submission.pk}/triage/"
    missing = people.client("other_member").post(url, {"status": "declined"}, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "reason_required"
    other = people.client("other_member").post(url, {"status": "declined", "decline_reason": "other"}, format="json")
    assert other.status_code == 400 and "decline_note" in other.json()["error"]["fields"]
    assert other.json()["error"]["code"] == "note_required"
    # Each refusal that depends on the status says which rule it is, so a client can tell them apart.
    vague = people.client("other_member").post(url, {"status": "more_info_requested"}, format="json")
    assert vague.status_code == 400 and vague.json()["error"]["code"] == "info_request_required"
    noted = people.client("other_member").post(url, {"status": "under_review", "decline_note": "Too early."},
                                               format="json")
    assert noted.status_code == 400 and noted.json()["error"]["code"] == "decline_only"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED


def test_the_biotech_reads_the_decline_reason_in_its_own_language(people):
    people.owner.preferred_language = "zh-hans"
    people.owner.save()
    submission = make_submission(people)
    people.client("other_member").post(f"/api/v1/submissions/{submission.pk}/triage/",
                                       {"status": "declined", "decline_reason": "too_early"}, format="json")
    event_deliver(event_id=OutboxEvent.objects.get(kind="partnering.submission_status_changed").pk)
    chinese = Notification.objects.get(recipient=people.owner)
    english = Notification.objects.get(recipient=people.member)
    with translation.override("zh-hans"):
        too_early_zh = str(DeclineReason.TOO_EARLY.label)
    assert too_early_zh == "研发阶段过早"
    assert too_early_zh in chinese.body
    assert "Too early in development" in english.body
    # And in the API, per reader's language.
    label = people.client("member", language="zh-hans").get(
        f"/api/v1/submissions/{submission.pk}/").json()["decline_reason_label"]
    assert label == too_early_zh


def test_advancing_opens_the_data_room_access_request_flow(people):
    asset = make_asset(people.licensor, status=AssetStatus.PUBLISHED)
    room_create(actor=people.owner, asset=asset, name="LMN data room")
    submission = make_submission(people, asset=asset)
    response = people.client("other_member").post(f"/api/v1/submissions/{submission.pk}/triage/",
                                                  {"status": "advanced"}, format="json")
    assert response.status_code == 200, response.content
    request = AccessRequest.objects.get()
    assert response.json()["access_request"] == request.pk
    assert request.company == people.partner and request.status == "pending"
    assert OutboxEvent.objects.filter(kind="dataroom.access_requested").exists()


def test_the_biotech_withdraws_an_open_submission(people):
    submission = make_submission(people)
    response = people.client("member").post(f"/api/v1/submissions/{submission.pk}/withdraw/")
    assert response.json()["status"] == "withdrawn"
    assert people.client("member").post(f"/api/v1/submissions/{submission.pk}/withdraw/").status_code == 409
