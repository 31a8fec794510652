"""Getting in: a partner's access request, the grant that answers it (company or named person, view or download,
room or chosen folders, until an expiry), and the export clearances a compliance officer records.

Grants live here rather than in guardian rows because they carry an expiry, a level and a scope guardian cannot
express; apps/datarooms/access.py reads them (in `room_scope`) on every request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.companies.models import Company
from apps.core.authz import GuardedModel

from .. import access
from ..choices import AccessRequestStatus, ClearanceType, GrantLevel, GrantScope
from .rooms import DataRoom, Folder


class AccessRequest(GuardedModel):
    """A partner company asks to enter a room. Bidder isolation: partners see only their own company's."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="access_requests",
                             verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=AccessRequestStatus.choices,
                              default=AccessRequestStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["room", "company"], condition=Q(status="pending"),
                                    name="access_request_one_pending_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.room}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.access_request_q(user, action)


class AccessGrant(GuardedModel):
    """Access of a partner company (all its members, or one named person in it) to a room, until expiry."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="grants", verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("named person"),
                             help_text=_("Empty: every member of the company."))
    level = models.CharField(_("level"), max_length=10, choices=GrantLevel.choices, default=GrantLevel.VIEW)
    scope = models.CharField(_("scope"), max_length=10, choices=GrantScope.choices, default=GrantScope.ROOM)
    # Scope "folders": these folders and their subtrees. Scope "room": held-back folders released to this grant.
    folders = models.ManyToManyField(Folder, blank=True, related_name="+", verbose_name=_("folders"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    request = models.ForeignKey(AccessRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    expired_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "revoked_at", "expires_at"], name="grant_active_idx")]

    def __str__(self) -> str:
        return f"{self.company} @ {self.room} ({self.level})"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.grant_q(user, action)


class ExportClearance(models.Model):
    """A compliance officer's record that data of a room may go to a foreign company (managed in the admin)."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="clearances", verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    clearance_type = models.CharField(_("type"), max_length=20, choices=ClearanceType.choices)
    reference = models.CharField(_("reference number"), max_length=120)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export clearance")
        verbose_name_plural = _("export clearances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_clearance_type_display()} {self.reference}"
