"""A room's confidentiality agreement (CDA) in versions, and who accepted which. A partner sees a room's
folders and documents only after accepting its current version (apps/datarooms/access.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.companies.models import Company
from apps.core.authz import GuardedModel

from .. import access
from .rooms import DataRoom


class CdaVersion(GuardedModel):
    """A version of a room's confidentiality agreement, in English and Chinese. Immutable once published."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="cda_versions",
                             verbose_name=_("data room"))
    version = models.PositiveIntegerField(_("version"))
    text_en = models.TextField(_("text (English)"), max_length=50_000)
    text_zh = models.TextField(_("text (Chinese)"), max_length=50_000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confidentiality agreement version")
        verbose_name_plural = _("confidentiality agreement versions")
        ordering = ["room_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["room", "version"], name="cda_unique_version")]

    def __str__(self) -> str:
        return f"CDA v{self.version}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.cda_version_q(user, action)


class CdaAcceptance(models.Model):
    """Who accepted which CDA version, for which company, when and from where."""

    cda = models.ForeignKey(CdaVersion, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("confidentiality agreement acceptance")
        verbose_name_plural = _("confidentiality agreement acceptances")
        constraints = [models.UniqueConstraint(fields=["cda", "user"], name="cda_acceptance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.cda}"
