"""The demo data: an open call with a submission, a private evaluation and a confirmed meeting, and a call waiting
for moderation; idempotent."""

import pytest

from apps.catalog import demo as catalog_demo
from apps.companies import demo as companies_demo
from apps.datarooms import demo as datarooms_demo
from apps.partnering import demo as partnering_demo
from apps.partnering.models import CallForAssets, Evaluation, EventRegistration, Meeting, Submission


@pytest.mark.django_db
def test_partnering_demo_is_idempotent_and_try_able(sent_tasks):
    for _ in range(2):
        ctx: dict = {}
        companies_demo.load(ctx)
        catalog_demo.load(ctx)
        datarooms_demo.load(ctx)
        partnering_demo.load(ctx)
    call = CallForAssets.objects.get(status="open")
    # A moderator finds a second call waiting for review on the console's dashboard.
    waiting = CallForAssets.objects.get(status="submitted")
    assert waiting.company == ctx["companies"]["rhine"] and waiting.submitted_at is not None
    submission = Submission.objects.get()
    assert submission.call == call and submission.asset.code_name == "LMN-2201"
    assert submission.status == "under_review"
    meeting = Meeting.objects.get(context_type="submission")
    assert meeting.status == "confirmed" and meeting.starts_at is not None
    assert Evaluation.objects.get().company == call.company
    assert EventRegistration.objects.count() == 2
    # What a demo reader sees: the Lumina admin finds the call by a two-character Chinese word.
    lumina_admin = ctx["people"]["lumina_admin"]
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(lumina_admin)
    assert [row["id"] for row in client.get("/api/v1/calls/", {"q": "双抗"}).json()["results"]] == [call.pk]
