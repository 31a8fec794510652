import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only record of a sensitive act. Each row hashes its predecessor, so any edit shows.

    On PostgreSQL a trigger refuses UPDATE and DELETE; `manage.py verify_audit_chain` finds the first
    broken link if rows were changed another way.
    """

    created_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_company = models.ForeignKey(
        "companies.Company", verbose_name=_("actor's company"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["actor_company", "created_at"]),
        ]

    def __str__(self) -> str:
        from apps.audit.registry import label_for  # the label in the reader's language (the code if unknown)

        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {label_for(self.action)} {self.target_repr}"

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.canonical())

    def canonical(self) -> dict[str, Any]:
        return {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_company": self.actor_company_id,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_repr": self.target_repr,
            "ip": self.ip_address,
            "user_agent": self.user_agent,
            "details": self.details,
        }


GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()
