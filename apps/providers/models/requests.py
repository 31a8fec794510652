"""Service requests (RFPs): their audience, confidentiality terms acceptances and attachments."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.catalog.fields import CodeListField
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    MANAGING_ROLES,
    Company,
    company_ids_of,
    verified_company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel
from apps.providers.taxonomy import ServiceCategory

from .common import COMPARE, DECIDE, MANAGE, PROPOSE

# --- service requests ----------------------------------------------------------------------------------------


class RequestVisibility(models.TextChoices):
    INVITED = "invited", _("Invited providers only")
    OPEN = "open", _("Every verified provider that matches")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open for proposals")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceRequest(GuardedModel):
    """What a biotech needs abroad (an RFP): category, where, scope, timeline, budget, deadline for proposals."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="service_requests",
                                verbose_name=_("requester"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("service category"), max_length=32, choices=ServiceCategory.choices)
    jurisdictions = CodeListField(_("jurisdictions"))
    scope_en = models.TextField(_("scope (English)"), max_length=8000)
    scope_zh = models.TextField(_("scope (Chinese)"), max_length=8000, blank=True)
    timeline = models.CharField(_("timeline"), max_length=400, blank=True)
    budget_min = models.DecimalField(_("budget from"), null=True, blank=True, max_digits=20, decimal_places=2)
    budget_max = models.DecimalField(_("budget up to"), null=True, blank=True, max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    deadline = models.DateTimeField(_("deadline for proposals"))
    asset = models.ForeignKey("catalog.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("asset"))
    visibility = models.CharField(_("visibility"), max_length=8, choices=RequestVisibility.choices,
                                  default=RequestVisibility.INVITED)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN,
                              db_index=True)
    # Confidentiality terms for the attachments; 0 = none. Each change is a new version to accept.
    terms_en = models.TextField(_("confidentiality terms (English)"), max_length=50_000, blank=True)
    terms_zh = models.TextField(_("confidentiality terms (Chinese)"), max_length=50_000, blank=True)
    terms_version = models.PositiveIntegerField(_("terms version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user))
            return Q(company_id__in=company_ids_of(user)) | Q(pk__in=audience.values("request_id"))
        if action == COMPARE:  # the requester's whole team reads the comparison; staff read everything
            return True if user.is_staff else Q(company_id__in=company_ids_of(user))
        if action in (CHANGE, MANAGE):
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        if action == DECIDE:
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        if action == PROPOSE:
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user, CONTRIBUTING_ROLES))
            return Q(pk__in=audience.values("request_id"))
        return False


class AudienceSource(models.TextChoices):
    INVITED = "invited", _("Invited")
    MATCHED = "matched", _("Matched")


class RequestAudience(models.Model):
    """A provider company that may read (and answer) a request: invited, or matched by category and jurisdiction.

    Rows, not a live JSON match, so visibility is one indexed subquery and the people notified are exactly the
    people who see it."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="audience")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, choices=AudienceSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "company"], name="request_audience_once")]
        indexes = [models.Index(fields=["company", "request"], name="request_audience_company_idx")]

    def __str__(self) -> str:
        return f"{self.company_id} @ request {self.request_id} ({self.source})"


class RequestTermsAcceptance(models.Model):
    """Who accepted which version of a request's confidentiality terms, for which company, when, from where
    (the data rooms' CDA acceptance, for a request)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "version", "user"], name="request_terms_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted terms v{self.version} of request {self.request_id}"


class RequestAttachment(GuardedModel):
    """A confidential file of a request, stored privately; handed out only through the API."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=255)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.CharField(_("detected type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
        ordering = ["request_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            invited = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user),
                                                     source=AudienceSource.INVITED)
            accepted = RequestTermsAcceptance.objects.filter(request_id=OuterRef("request_id"), user=user,
                                                             version=OuterRef("request__terms_version"))
            return Q(request__company_id__in=company_ids_of(user)) | (
                Q(request_id__in=invited.values("request_id")) & Q(Exists(accepted)))
        if action == "delete":
            return Q(request__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False
