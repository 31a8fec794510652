"""Proposals, their versions, and the bidders' questions on a request."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    MANAGING_ROLES,
    Company,
    company_ids_of,
    verified_company_ids_of,
)
from apps.core.authz import VIEW, GuardedModel

from .common import DECIDE, REVISE
from .requests import RequestAudience, ServiceRequest

# --- proposals -----------------------------------------------------------------------------------------------


class PricingModel(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    TIME_AND_MATERIALS = "time_and_materials", _("Time and materials")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    PRICE = "price", _("Price")
    TIMELINE = "timeline", _("Timeline")
    CAPABILITY = "capability", _("Capability")
    SCOPE = "scope", _("Scope")
    OTHER = "other", _("Other")


def _read_by_both_sides(user: Any, path: str = "") -> Q:
    """Who reads a proposal, and each version of it (`path` leads from a version to its proposal): the people of
    the requesting company and those of the proposing provider."""
    return (Q(**{f"{path}request__company_id__in": company_ids_of(user)})
            | Q(**{f"{path}company_id__in": company_ids_of(user)}))


class Proposal(GuardedModel):
    """One provider's priced answer to a request. Its content is its versions; the latest is current."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="proposals")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.SUBMITTED, db_index=True)
    current_version = models.ForeignKey("ProposalVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    decline_reason = models.CharField(_("reason for declining"), max_length=12, choices=DeclineReason.choices,
                                      blank=True)
    decline_note = models.TextField(_("note"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "company"], name="proposal_one_per_provider")]

    def __str__(self) -> str:
        return f"proposal {self.pk} to request {self.request_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return _read_by_both_sides(user)
        if action == REVISE:
            return Q(company_id__in=verified_company_ids_of(user, CONTRIBUTING_ROLES))
        if action == DECIDE:
            return Q(request__company_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class ProposalVersion(GuardedModel):
    """One immutable submission of a proposal's terms: price, payment milestones, timeline, team, assumptions."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    pricing_model = models.CharField(_("pricing"), max_length=20, choices=PricingModel.choices)
    amount = models.DecimalField(_("price"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # [{"title": str, "amount": "decimal string", "due": str}], amounts in the proposal's currency.
    milestones = models.JSONField(_("payment milestones"), default=list, blank=True)
    timeline = models.CharField(_("timeline"), max_length=1000)
    team = models.TextField(_("team"), max_length=4000, blank=True)
    assumptions = models.TextField(_("assumptions"), max_length=8000, blank=True)
    note = models.CharField(_("what changed"), max_length=400, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal_id", "number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")]

    def __str__(self) -> str:
        return f"proposal {self.proposal_id} v{self.number}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return _read_by_both_sides(user, "proposal__")
        return False


class RequestQuestion(GuardedModel):
    """A provider's clarification question on a request. Private to its provider and the requester, unless the
    answer is published to all bidders (then read by the whole audience, never with the asker's identity)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="questions")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"), max_length=4000)
    answer = models.TextField(_("answer"), max_length=8000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("published to all bidders"), default=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user))
            return (Q(request__company_id__in=company_ids_of(user)) | Q(company_id__in=company_ids_of(user))
                    | Q(published=True, request_id__in=audience.values("request_id")))
        if action == "answer":
            return Q(request__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False
