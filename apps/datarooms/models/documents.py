"""Documents and their immutable versions. Who may see, take or change them: apps/datarooms/access.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.authz import GuardedModel

from .. import access
from ..choices import EXPORT_CONTROLLED, DataClassification
from .rooms import DataRoom, Folder


class Document(GuardedModel):
    """A document in a folder; its content is the latest of its immutable versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="documents", verbose_name=_("data room"))
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("folder"))
    name = models.CharField(_("name"), max_length=255)
    # Data classifications as flags: one cheap indexed filter each, and `export_controlled` for the gate.
    is_hgr = models.BooleanField(_("human genetic resources information"), default=False)
    has_personal_information = models.BooleanField(_("personal information"), default=False)
    is_important_data = models.BooleanField(_("important data"), default=False)
    is_clinical = models.BooleanField(_("clinical data"), default=False)
    current_version = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("current version"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["folder_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["folder", "name"], name="document_unique_name_in_folder")]

    def __str__(self) -> str:
        return self.name

    @property
    def classifications(self) -> list[str]:
        return [str(code) for field, code in CLASSIFICATION_FIELDS.items() if getattr(self, field)]

    @property
    def export_controlled(self) -> list[str]:
        return [c for c in self.classifications if c in EXPORT_CONTROLLED]

    @classmethod
    def access_q(cls, user: Any, action: str, scope: access.RoomScope | None = None) -> Q | bool:
        return access.document_q(user, action, scope)


class DocumentVersion(GuardedModel):
    """One immutable upload of a document, stored under a random name in private storage."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("document"))
    number = models.PositiveIntegerField(_("version"))
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("uploaded file name"), max_length=255)
    kind = models.CharField(_("detected type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # PDFs: the stamp template (apps/datarooms/files/watermark.py) and where its two slots are.
    stamp_template_name = models.CharField(max_length=255, blank=True, editable=False)
    stamp_template = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return access.version_q(user, action)


# Which flag of a document holds which classification: read by Document.classifications, written by
# classification_flags (uploads, the owner's edits, a confirmed scan).
CLASSIFICATION_FIELDS = {
    "is_hgr": DataClassification.HGR,
    "has_personal_information": DataClassification.PERSONAL_INFORMATION,
    "is_important_data": DataClassification.IMPORTANT_DATA,
    "is_clinical": DataClassification.CLINICAL,
}


def classification_flags(classifications: list[str] | None) -> dict[str, bool]:
    """The document's flag fields for a list of classification codes (every flag named, on or off)."""
    chosen = set(classifications or [])
    return {field: code in chosen for field, code in CLASSIFICATION_FIELDS.items()}
