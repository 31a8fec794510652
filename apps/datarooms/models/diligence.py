"""Diligence: every view and download handed out (traced by its download id), partners' questions, and
folder trees uploaded as a zip."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.companies.models import Company
from apps.core.authz import GuardedModel

from .. import access
from ..choices import BulkImportStatus, DocumentAccessKind
from .documents import Document, DocumentVersion
from .rooms import DataRoom, Folder


class DocumentAccess(GuardedModel):
    """One view or download handed out; its `download_id` is printed on every watermarked page."""

    download_id = models.CharField(_("download id"), max_length=32, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentAccessKind.choices)
    watermarked = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set by the service before stamping, so the time printed on the pages is the time recorded here.
    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["room", "company", "document"], name="docaccess_report_idx")]

    def __str__(self) -> str:
        return self.download_id

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.document_access_q(user, action)


class Question(GuardedModel):
    """A partner's diligence question. Each partner sees only its own, plus answers published as FAQ
    (without the asker's identity)."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="questions", verbose_name=_("data room"))
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions",
                                 verbose_name=_("document"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("asked by"))
    text = models.TextField(_("question"), max_length=8000)
    answer = models.TextField(_("answer"), max_length=20_000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_faq = models.BooleanField(_("published as FAQ"), default=False, db_index=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.question_q(user, action)


class BulkImport(GuardedModel):
    """A folder tree uploaded as a zip, imported in the background; all or nothing. A worker claims it with a
    lease (conditional update); the sweeper re-runs what a dead worker left or whose enqueue was lost."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="imports", verbose_name=_("data room"))
    parent = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("into folder"))
    original_name = models.CharField(_("archive name"), max_length=255)
    storage_name = models.CharField(max_length=255, editable=False)
    size = models.BigIntegerField(_("size in bytes"))
    status = models.CharField(_("status"), max_length=10, choices=BulkImportStatus.choices,
                              default=BulkImportStatus.PENDING, db_index=True)
    total_files = models.PositiveIntegerField(_("files"), default=0)
    processed_files = models.PositiveIntegerField(_("files checked"), default=0)
    created_documents = models.PositiveIntegerField(_("documents created"), default=0)
    error_code = models.CharField(_("refusal code"), max_length=40, blank=True)
    error_detail = models.CharField(_("refusal detail"), max_length=400, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the worker running it: a "running" job past its lease lost its worker (the sweeper
    # re-runs it, or fails it after DATAROOMS_IMPORT_MAX_ATTEMPTS claims).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("bulk import")
        verbose_name_plural = _("bulk imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.bulk_import_q(user, action)
