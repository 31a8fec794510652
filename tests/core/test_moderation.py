"""Listings, financing rounds and calls for assets go through the one moderation workflow (apps/core/moderation.py)
and each still answers in its own words: a refused move is a 409 naming the subject, in English and Chinese, that
records and tells nothing. The apps' own tests cover each flow end to end."""

import pytest

from apps.audit.models import AuditEvent
from apps.notifications.models import OutboxEvent
from tests.catalog.helpers import make_asset
from tests.financing.helpers import make_round
from tests.partnering.helpers import make_call

# subject: (a published one, its endpoint, the refusal to publish it again in English and Chinese)
PUBLISHED = {
    "listing": (lambda world: make_asset(world.licensor, status="published"), "/api/v1/assets/{}/publish/",
                "Only a submitted listing can be published.", "只有已提交的资产条目才能发布。"),
    "round": (lambda world: make_round(world.licensor, status="published"), "/api/v1/rounds/{}/publish/",
              "Only a submitted round can be published.", "只有已提交的融资轮可以发布。"),
    "call": (lambda world: make_call(world, status="open"), "/api/v1/calls/{}/publish/",
             "Only a submitted call can be published.", "只有已提交的征集才能发布。"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("subject", sorted(PUBLISHED))
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_publishing_what_is_already_published_is_refused_in_the_subjects_words(world, subject, language):
    make, url, english, chinese = PUBLISHED[subject]
    published = make(world)
    audited, told = AuditEvent.objects.count(), OutboxEvent.objects.count()
    response = world.client("staff", language=language).post(url.format(published.pk), {}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["message"] == (chinese if language == "zh-hans" else english)
    assert (AuditEvent.objects.count(), OutboxEvent.objects.count()) == (audited, told)
