"""The staff console: provider verification and hiding reviews, with a reason, audited, in English and Chinese."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from apps.audit.models import AuditEvent
from apps.notifications.models import OutboxEvent
from apps.providers import services
from apps.providers.models import RequestAudience
from tests.console.conftest import console, moderator  # noqa: F401  (fixtures)
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _act(client, changelist, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], "index": 0, **extra}
    return client.post(reverse(changelist), data)


def test_moderator_verifies_a_pending_provider_which_then_sees_matching_requests(console, moderator, world):  # noqa: F811
    request = helpers.rfp(world, visibility="open")
    profile = helpers.providers(world)["matching_provider"]
    company = profile.company
    RequestAudience.objects.filter(company=company).delete()
    company.verification_status = "pending"
    company.save()
    client = world.client("matching_provider")
    assert client.get(f"/api/v1/providers/{profile.pk}/").status_code == 200  # its own, in any state
    assert world.client("member").get(f"/api/v1/providers/{profile.pk}/").status_code == 404
    response = _act(console(moderator), "admin:providers_providerprofile_changelist", "verify_providers", [profile],
                    apply="1", reason="Registry and FDA agent letter checked")
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.verification_status == "verified"
    assert AuditEvent.objects.filter(action="company.verified", target_id=str(company.pk), actor=moderator).exists()
    assert world.client("member").get(f"/api/v1/providers/{profile.pk}/").status_code == 200
    assert client.get(f"/api/v1/service-requests/{request.pk}/").status_code == 200


def test_moderator_hides_a_review_with_a_reason_and_the_author_is_told(console, moderator, world):  # noqa: F811
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.member, engagement=engagement, rating=1, text="Insulting words")
    changelist = "admin:providers_review_changelist"
    asked = _act(console(moderator), changelist, "hide_reviews", [review])
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    response = _act(console(moderator), changelist, "hide_reviews", [review], apply="1", reason="Insults")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.hidden and review.hidden_reason == "Insults" and review.hidden_by == moderator
    assert AuditEvent.objects.filter(action="provider.review_hidden", target_id=str(review.pk)).exists()
    event = OutboxEvent.objects.get(kind="provider.review_hidden")
    assert event.recipient_ids == [world.member.pk]


def test_hiding_needs_a_reason(console, moderator, world):  # noqa: F811
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.member, engagement=engagement, rating=1, text="Rude")
    response = _act(console(moderator), "admin:providers_review_changelist", "hide_reviews", [review], apply="1",
                    reason=" ")
    assert response.status_code == 200
    review.refresh_from_db()
    assert not review.hidden


def test_the_provider_pages_speak_chinese_to_a_chinese_moderator(console, moderator, world):  # noqa: F811
    helpers.providers(world)
    moderator.preferred_language = "zh-hans"
    moderator.save()
    page = console(moderator).get(reverse("admin:providers_providerprofile_changelist")).content.decode()
    assert "服务提供商" in page and "认证所选服务提供商" in page


def _translated(text) -> bool:
    with translation.override("en"):
        english = str(text)
    with translation.override("zh-hans"):
        chinese = str(text)
    return english != chinese


def test_every_model_field_and_choice_label_of_the_console_pages_has_chinese():
    untranslated = []
    for model in apps.get_app_config("providers").get_models():
        if model not in admin.site._registry:
            continue
        for label in (model._meta.verbose_name, model._meta.verbose_name_plural):
            if not _translated(label):
                untranslated.append(f"{model._meta.label}: {label}")
        for field in model._meta.get_fields():
            name = getattr(field, "verbose_name", None)
            if isinstance(name, Promise) and not _translated(name):
                untranslated.append(f"{model._meta.label}.{field.name}: {name}")
            for _value, choice in getattr(field, "choices", None) or []:
                if isinstance(choice, Promise) and not _translated(choice):
                    untranslated.append(f"{model._meta.label}.{field.name} choice: {choice}")
    assert not untranslated, untranslated
