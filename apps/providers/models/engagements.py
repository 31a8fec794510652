"""Engagements (awarded work), their milestones, and reviews."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.agreements.money import Currency
from apps.companies.models import (
    MANAGING_ROLES,
    Company,
    company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel

from .common import MANAGE, _in_verified_company
from .proposals import Proposal
from .requests import ServiceRequest

# --- engagements ---------------------------------------------------------------------------------------------


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Engagement(GuardedModel):
    """The awarded work: scope, price, payment milestones and (optionally) a data-room grant for the provider."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="engagements")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="engagement")
    requester = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("requester"))
    provider = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    scope = models.TextField(_("scope"), max_length=8000)
    amount = models.DecimalField(_("price"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    status = models.CharField(_("status"), max_length=10, choices=EngagementStatus.choices,
                              default=EngagementStatus.ACTIVE, db_index=True)
    grant = models.ForeignKey("datarooms.AccessGrant", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("data-room grant"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"engagement {self.pk}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(requester_id__in=company_ids_of(user)) | Q(provider_id__in=company_ids_of(user))
        if action in (MANAGE, CHANGE):
            return Q(requester_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class MilestoneStatus(models.TextChoices):
    # A context of their own: "Delivered" elsewhere means an e-mail was delivered.
    PLANNED = "planned", pgettext_lazy("engagement milestone", "Planned")
    DELIVERED = "delivered", pgettext_lazy("engagement milestone", "Delivered")
    ACCEPTED = "accepted", pgettext_lazy("engagement milestone", "Accepted")
    INVOICED = "invoiced", pgettext_lazy("engagement milestone", "Invoiced")
    PAID = "paid", pgettext_lazy("engagement milestone", "Paid")


class EngagementMilestone(GuardedModel):
    """A payment milestone of an engagement: delivered (provider) → accepted (requester) → invoiced (provider)
    → paid (requester)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    due = models.CharField(_("due"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PLANNED)
    delivered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    invoiced_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("engagement milestone")
        verbose_name_plural = _("engagement milestones")
        ordering = ["engagement_id", "position"]
        constraints = [models.UniqueConstraint(fields=["engagement", "position"], name="engagement_milestone_pos")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (Q(engagement__requester_id__in=company_ids_of(user))
                    | Q(engagement__provider_id__in=company_ids_of(user)))
        return False


class Review(GuardedModel):
    """One side's review of the other after a completed engagement (1-5 and text), once per side."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="reviews")
    author_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=4000, blank=True)
    hidden = models.BooleanField(_("hidden by staff"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), max_length=2000, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "author_company"], name="review_once_per_side"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 on engagement {self.engagement_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (Q(author_company_id__in=company_ids_of(user)) | Q(subject_company_id__in=company_ids_of(user))
                    | (Q(hidden=False) & Q(_in_verified_company(user))))
        return False
