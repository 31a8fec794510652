"""The scan of one document version and the owner's decision on what it proposes (issue 18).

A scan row is made with every version and run in the background (scan/tasks.py). It keeps counts and masked
samples only — never a full identifier — so the row itself cannot leak what it found. The export gate reads it
through apps/datarooms/access.py (gate_classifications): an unfinished scan holds, a positive scan nobody
confirmed holds, a decision replaces the proposal.

Visible to the owner company's people (and the room's delegated managers) and to compliance officers; a partner
never learns that a scan exists (404).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.authz import GuardedModel
from apps.datarooms import access
from apps.datarooms.choices import DataClassification, ScanDecision, ScanStatus
from apps.datarooms.models.documents import Document, DocumentVersion


class DocumentScan(GuardedModel):
    """What a scan of one version found, what it proposes, and what the owner's managers decided."""

    version = models.OneToOneField(DocumentVersion, on_delete=models.CASCADE, related_name="scan",
                                   verbose_name=_("document version"))
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="scans", verbose_name=_("document"))
    status = models.CharField(_("status"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.PENDING,
                              db_index=True)
    # {detector: {"count": n, "samples": [{"masked": "1101**********23", "location": "page 2"}]}}
    findings = models.JSONField(_("findings"), default=dict, blank=True)
    formats = models.JSONField(_("genomic file formats"), default=list, blank=True)
    # The proposal as flags, compared in SQL with the document's declared flags (the console's worklist).
    proposes_hgr = models.BooleanField(_("proposes HGR information"), default=False)
    proposes_personal_information = models.BooleanField(_("proposes personal information"), default=False)
    units_done = models.PositiveIntegerField(_("pages or lines read"), default=0)
    units_total = models.PositiveIntegerField(_("pages to read"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=ScanDecision.choices,
                                default=ScanDecision.UNDECIDED)
    # The classifications the decision settled on (export-relevant ones; the gate reads these once decided).
    classifications = models.JSONField(_("decided classifications"), default=list, blank=True)
    reason = models.TextField(_("reason for the override"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the worker scanning it, as for bulk imports: past it the worker is gone and the sweeper
    # queues the scan again (or fails it after DATAROOMS_SCAN_MAX_ATTEMPTS claims).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("document scan")
        verbose_name_plural = _("document scans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version_id}: {self.status}"

    @property
    def proposed(self) -> list[str]:
        flags = [(self.proposes_hgr, DataClassification.HGR),
                 (self.proposes_personal_information, DataClassification.PERSONAL_INFORMATION)]
        return [str(code) for on, code in flags if on]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.scan_q(user, action)
