"""Keeps each provider profile's copy of its company's names (`company_name_en`, `company_name_zh`) equal to the
company's: the provider list sorts by the English name and searches both on the profile itself (B7,
docs/performance.md). A profile copies them on every save (ProviderProfile.save); a company's save (its own
people through `company_update`, staff in the console) copies them to its profile here."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from apps.companies.models import Company
from apps.providers.models import ProviderProfile, company_names


def on_company_saved(sender: Any, instance: Company, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures load rows as they are
        return
    names = company_names(instance)
    ProviderProfile.objects.filter(company_id=instance.pk).exclude(**names).update(**names)


def connect() -> None:
    post_save.connect(on_company_saved, sender=Company, dispatch_uid="providers.company_names")
