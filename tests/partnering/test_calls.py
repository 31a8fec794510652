"""Calls for assets: moderation like listings, matching biotechs told, who reads what, search in both scripts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.catalog.models import AssetStatus
from apps.notifications.models import OutboxEvent
from apps.partnering.models import CallForAssets, CallStatus
from tests.catalog.helpers import make_asset
from tests.factories import CompanyFactory
from tests.partnering.helpers import make_call, make_event

pytestmark = pytest.mark.django_db


def _body(**extra):
    return {"title_en": "Seeking bispecific antibodies", "title_zh": "寻求双抗资产",
            "description_en": "Oncology, phase 1 or later.", "modalities": ["bispecific_antibody"],
            "therapeutic_areas": ["oncology"], "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            **extra}


def test_a_partner_drafts_submits_and_staff_publish_a_call_which_tells_matching_biotechs(people):
    make_asset(people.licensor, status=AssetStatus.PUBLISHED, modality="bispecific_antibody")
    make_asset(people.extra["jade"], status=AssetStatus.PUBLISHED, modality="peptide",
               therapeutic_areas=["metabolic"])
    partner = people.client("other_member")
    created = partner.post("/api/v1/calls/", _body(), format="json")
    assert created.status_code == 201, created.content
    call_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert partner.post(f"/api/v1/calls/{call_id}/submit/").json()["status"] == "submitted"
    assert OutboxEvent.objects.filter(kind="partnering.call_submitted").exists()
    published = people.client("staff").post(f"/api/v1/calls/{call_id}/publish/", {}, format="json")
    assert published.json()["status"] == "open"
    matched = OutboxEvent.objects.get(kind="partnering.call_matched")
    # Lumina lists a matching bispecific; Jade's peptide does not match.
    assert set(matched.recipient_ids) == {people.owner.pk, people.admin.pk, people.member.pk, people.viewer.pk}
    actions = set(AuditEvent.objects.filter(target_id=str(call_id)).values_list("action", flat=True))
    assert {"partnering.call_created", "partnering.call_submitted", "partnering.call_published"} <= actions


def test_staff_send_a_call_back_with_a_reason_and_it_can_be_resubmitted(people):
    call = make_call(people, status=CallStatus.SUBMITTED)
    response = people.client("staff").post(f"/api/v1/calls/{call.pk}/request-changes/",
                                           {"reason": "Add a Chinese description."}, format="json")
    assert response.json()["status"] == "changes_requested"
    assert response.json()["status_reason"] == "Add a Chinese description."
    event = OutboxEvent.objects.get(kind="partnering.call_changes_requested")
    assert event.recipient_ids == [people.other_member.pk]
    assert people.client("other_member").post(f"/api/v1/calls/{call.pk}/submit/").json()["status"] == "submitted"


def test_publishing_twice_is_a_conflict(people):
    call = make_call(people, status=CallStatus.OPEN)
    response = people.client("staff").post(f"/api/v1/calls/{call.pk}/publish/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_a_biotech_cannot_publish_a_call(people):
    response = people.client("owner").post("/api/v1/calls/", _body(), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_partner"
    assert not CallForAssets.objects.exists()


def test_a_past_deadline_is_refused_and_nothing_is_written(people):
    body = _body(deadline=(timezone.localdate() - timedelta(days=1)).isoformat())
    response = people.client("other_member").post("/api/v1/calls/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "deadline_passed"
    assert not CallForAssets.objects.exists()


def test_open_calls_are_read_by_biotechs_but_not_by_competing_partners(people):
    call = make_call(people)
    def listed(persona):
        return [row["id"] for row in people.client(persona).get("/api/v1/calls/").json()["results"]]
    assert listed("member") == [call.pk]
    assert listed("another_biotech") == [call.pk]
    assert listed("second_partner") == []
    assert listed("outsider") == []


@pytest.mark.parametrize("query", ["双抗", "雙抗", "bispecific antibody", "肿瘤", "腫瘤"])
def test_call_search_finds_short_chinese_words_and_traditional_script(people, query):
    call = make_call(people, title_zh="寻求双特异性抗体", description_zh="肿瘤领域，一期及以后。")
    make_call(people, title_en="GLP-1 for obesity", title_zh="寻求减重资产", description_zh="代谢疾病。",
              modalities=["peptide"])
    response = people.client("member").get("/api/v1/calls/", {"q": query})
    assert [row["id"] for row in response.json()["results"]] == [call.pk]


@pytest.mark.parametrize(("path", "field", "body"), [
    ("/api/v1/calls/", "company", _body),
    ("/api/v1/meetings/", "invitee_company", lambda: {"subject": "First discussion"}),
    ("/api/v1/events/{event}/meetings/", "invitee_company", lambda: {"subject": "First discussion"}),
])
def test_a_company_the_caller_may_not_see_answers_exactly_like_a_missing_one(people, path, field, body):
    # A company waiting for verification is visible only to its own members and staff.
    hidden = CompanyFactory(name_en="Qilin Bio", verification_status="pending")
    event = make_event(people) if "{event}" in path else None
    url = path.format(event=event.pk if event else "")
    client = people.client("other_member")
    answers = [client.post(url, {**body(), field: company_id}, format="json") for company_id in (hidden.pk, 99_999_999)]
    assert answers[0].status_code == answers[1].status_code
    assert answers[0].status_code in (400, 404), answers[0].content
    assert answers[0].content == answers[1].content
    assert field in answers[0].json()["error"]["fields"]
    assert not CallForAssets.objects.exists()
