"""Provider profiles and their track records."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.catalog.fields import CodeListField
from apps.companies.models import (
    MANAGING_ROLES,
    Company,
    VerificationStatus,
    company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel
from apps.core.search import SearchDocumentMixin
from apps.providers.taxonomy import RecordOutcome, RecordType

from .common import _in_verified_company

# --- providers -----------------------------------------------------------------------------------------------

COMPANY_NAME_FIELDS = {"company_name_en": "name_en", "company_name_zh": "name_zh"}


def company_names(company: Any) -> dict[str, str]:
    """The profile's copy of its company's names (what the provider list sorts and searches by), by profile field:
    the one rule a profile's save and a company's save (apps/providers/receivers.py) both copy by."""
    return {field: getattr(company, source) or "" for field, source in COMPANY_NAME_FIELDS.items()}


def copy_company_names(profile: Any, company: Any) -> None:
    for field, value in company_names(company).items():
        setattr(profile, field, value)


class ProviderProfile(SearchDocumentMixin, GuardedModel):
    """The bilingual profile of a company of kind `service_provider`. Shown to biotechs only once verified."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="provider_profile",
                                   verbose_name=_("company"))
    headline_en = models.CharField(_("headline (English)"), max_length=200)
    headline_zh = models.CharField(_("headline (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), max_length=8000, blank=True)
    categories = CodeListField(_("service categories"))
    # Where the provider works: sorted ISO country codes (regions resolved by apps.catalog.territories).
    jurisdictions = CodeListField(_("jurisdictions served"))
    agencies = CodeListField(_("agencies served"), blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas of experience"), blank=True)
    modalities = CodeListField(_("modalities of experience"), blank=True)
    languages = CodeListField(_("working languages"), blank=True)
    price_min = models.DecimalField(_("indicative price from"), null=True, blank=True, max_digits=20, decimal_places=2)
    price_max = models.DecimalField(_("indicative price up to"), null=True, blank=True, max_digits=20, decimal_places=2)
    price_currency = models.CharField(_("price currency"), max_length=3, choices=Currency.choices, blank=True)
    # Kept by the review services (hidden reviews excluded): the profile shows average and count cheaply.
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    # Search words of the public profile (apps.core.search: segmented Chinese, Simplified, synonyms), kept by
    # SearchDocumentMixin; on PostgreSQL a generated tsvector with a GIN index (migration 0003).
    search_document = models.TextField(_("search words"), blank=True, default="", db_default="", editable=False)
    searched_fields = ("headline_en", "headline_zh", "description_en", "description_zh")  # public text only
    # The company's names, copied here (apps/providers/receivers.py keeps them): the list sorts by the English name
    # and searches both, so one index on this table serves a page without joining every company (B7).
    company_name_en = models.CharField(_("name (English)"), max_length=200, default="", editable=False)
    company_name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["company_name_en", "id"]
        indexes = [
            models.Index(fields=["updated_at"], name="provider_updated_idx"),
            # The list's cursor orders (apps/providers/api/views/providers.py): a page walks one of these.
            models.Index(fields=["company_name_en", "id"], name="provider_company_name_idx"),
            models.Index(fields=["rating_count", "id"], name="provider_rating_count_idx"),
        ]

    def __str__(self) -> str:
        return self.company.name_en if self.company_id else self.headline_en

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        copy_company_names(self, self.company)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *COMPANY_NAME_FIELDS}
        super().save(*args, **kwargs)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(company_id__in=company_ids_of(user)) | (
                Q(company__verification_status=VerificationStatus.VERIFIED) & Q(_in_verified_company(user)))
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class ProviderRecord(models.Model):
    """An inspection or certification record on a provider's profile (agency, type, date). Read with the
    profile that holds it; written only through the profile services."""

    provider = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="records")
    record_type = models.CharField(_("type"), max_length=24, choices=RecordType.choices)
    agency = models.CharField(_("agency or body"), max_length=8)
    outcome = models.CharField(_("outcome"), max_length=12, choices=RecordOutcome.choices,
                               default=RecordOutcome.PASSED)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("inspection or certification record")
        verbose_name_plural = _("inspection and certification records")
        ordering = ["provider_id", "-date", "id"]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_record_type_display()} {self.date}"
