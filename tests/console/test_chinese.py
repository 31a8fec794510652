"""The console in Simplified Chinese for staff whose preferred language is zh-hans."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from apps.companies.models import VerificationStatus
from tests.factories import CompanyFactory

FOUNDATION_APPS = ("accounts", "companies", "audit")


def _translated(text) -> bool:
    with translation.override("en"):
        english = str(text)
    with translation.override("zh-hans"):
        chinese = str(text)
    return english != chinese


@pytest.mark.parametrize("app_label", FOUNDATION_APPS)
def test_every_model_and_field_label_of_the_foundation_has_a_chinese_translation(app_label):
    untranslated = []
    for model in apps.get_app_config(app_label).get_models():
        if model not in admin.site._registry:
            continue  # e.g. guardian's direct-FK permission tables: never shown
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


def test_every_console_action_reads_in_chinese():
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in FOUNDATION_APPS:
            continue
        for action in model_admin.actions or []:
            description = getattr(action, "short_description", None)
            if isinstance(description, Promise) and not _translated(description):
                missing.append(f"{model._meta.label}: {description}")
    assert not missing, missing


@pytest.mark.django_db
def test_a_chinese_speaking_moderator_gets_the_dashboard_in_chinese(console, moderator):
    moderator.preferred_language = "zh-hans"
    moderator.save(update_fields=["preferred_language"])
    CompanyFactory(verification_status=VerificationStatus.PENDING)
    page = console(moderator).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GPC 员工控制台" in page
    assert "待认证的公司" in page
    assert "审计事件" in page


@pytest.mark.django_db
def test_the_reason_form_and_audit_list_read_in_chinese(console, moderator, world):
    moderator.preferred_language = "zh-hans"
    moderator.save(update_fields=["preferred_language"])
    client = console(moderator)
    form = client.post(reverse("admin:companies_company_changelist"),
                       {"action": "reject_companies", "_selected_action": [world.partner.pk], "index": 0})
    assert "拒绝所选公司" in form.content.decode()
    assert "原因" in form.content.decode()
    audit = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "导出为 CSV" in audit
    assert "时间范围" in audit


@pytest.mark.django_db
def test_an_english_speaking_moderator_keeps_english(console, moderator):
    page = console(moderator).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "GPC staff console" in page
