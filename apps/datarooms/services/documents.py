"""Documents and their versions: upload (checked by content before anything is stored), new versions, renames,
moves, classification and deletion; the PDF stamp template each version keeps for fast watermarking."""

from __future__ import annotations

import logging
import tempfile
from functools import partial
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.authz import require_permission
from apps.core.errors import Conflict, ValidationFailed

from .. import audit_actions as A
from .. import storage
from ..access import CONTRIBUTE, MANAGE
from ..files import UploadRefused, inspect_upload
from ..files.names import clean_filename
from ..files.watermark import StampTemplate, build_template
from ..models import DataRoom, Document, DocumentVersion, Folder
from ..models.documents import classification_flags
from ..scan.services import version_scan_queue
from .common import UploadRefusedError, upload_limits

logger = logging.getLogger(__name__)


def inspect_or_refuse(*, actor: Any, room: DataRoom, f: BinaryIO, filename: str | None, bulk: bool = False) -> Any:
    try:
        return inspect_upload(f, filename=filename, bulk=bulk, limits=upload_limits())
    except UploadRefused as refused:
        # Not inside a transaction that will roll back: the refusal stays in the trail.
        audit_record(action=A.UPLOAD_REFUSED, actor=actor, target=room, company=room.owner_company,
                     details={"code": refused.code, "detail": refused.detail[:300],
                              "name": clean_filename(filename)[:200]})
        raise UploadRefusedError(refused) from None


def version_create(*, document: Document, inspected: Any, f: BinaryIO, actor: Any, number: int,
                   stored: list[str]) -> DocumentVersion:
    """Store one checked file (`inspected`: what the upload gate found in `f`) as version `number` of the document
    and make it current; PDFs get their stamp template. Every stored name goes into `stored`: the caller deletes
    them if its transaction rolls back, so nothing is left half-stored. The one way a version is made (upload, new
    version, bulk import)."""
    name = storage.store(f, document.room.public_id)
    stored.append(name)
    version = DocumentVersion.objects.create(
        document=document, number=number, storage_name=name, original_name=inspected.name,
        kind=inspected.kind, content_type=inspected.content_type, size=inspected.size, sha256=inspected.sha256,
        pages=inspected.pdf_pages, uploaded_by=actor,
    )
    _attach_stamp_template(version, f, stored, document.room.public_id)
    Document.objects.filter(pk=document.pk).update(current_version=version, updated_at=timezone.now())
    document.current_version = version
    version_scan_queue(version=version)  # every new version is scanned; the export gate holds it until then
    return version


def _attach_stamp_template(version: DocumentVersion, f: BinaryIO, stored: list[str], room_public_id: Any) -> None:
    """Prepare the PDF's stamp template once, so every download only writes the stamp into it."""
    if version.kind != "pdf":
        return
    try:
        with tempfile.TemporaryFile(prefix="gpc-tpl-") as tmp:
            f.seek(0)
            template = build_template(f, tmp)
            name = storage.store(tmp, room_public_id)
    except Exception:  # an optimisation only: downloads fall back to stamping with pikepdf
        logger.warning("no stamp template for version %s", version.pk, exc_info=True)
        return
    finally:
        f.seek(0)
    stored.append(name)
    version.stamp_template_name = name
    version.stamp_template = {"content_offset": template.content_offset, "cmap_offset": template.cmap_offset,
                              "size": template.size}
    DocumentVersion.objects.filter(pk=version.pk).update(stamp_template_name=name,
                                                         stamp_template=version.stamp_template)


def version_forget_stamp_template(version: DocumentVersion) -> None:
    logger.warning("stamp template %s of version %s is missing", version.stamp_template_name, version.pk)
    DocumentVersion.objects.filter(pk=version.pk).update(stamp_template_name="", stamp_template={})
    version.stamp_template_name, version.stamp_template = "", {}


def version_stamp_template(version: DocumentVersion) -> StampTemplate | None:
    """The version's stamp template, built now if it has none yet (versions stored before templates
    existed); None if the file cannot be templated (the caller stamps with pikepdf instead)."""
    if version.kind != "pdf":
        return None
    if not version.stamp_template_name:
        stored: list[str] = []
        with storage.local_copy(version.storage_name) as src:
            _attach_stamp_template(version, src, stored, version.document.room.public_id)
        if not version.stamp_template_name:
            return None
    try:
        return StampTemplate(**version.stamp_template)
    except TypeError:  # a malformed record: stamp with pikepdf rather than fail the download
        return None


def document_upload(*, actor: Any, folder: Folder, f: BinaryIO, filename: str | None,
                    classifications: list[str] | None = None, name: str | None = None) -> Document:
    """A contributor uploads a new document (version 1). The file is checked before anything is stored."""
    room = folder.room
    require_permission(actor, CONTRIBUTE, folder)
    inspected = inspect_or_refuse(actor=actor, room=room, f=f, filename=filename)
    stored: list[str] = []
    try:
        with transaction.atomic():
            doc_name = clean_filename(name) if name else inspected.name
            if Document.objects.filter(folder=folder, name=doc_name).exists():
                raise Conflict(_("A document with this name already exists in the folder; upload a new version "
                                 "of it instead."), code="document_exists")
            document = Document.objects.create(room=room, folder=folder, name=doc_name, created_by=actor,
                                               **classification_flags(classifications))
            version_create(document=document, inspected=inspected, f=f, actor=actor, number=1, stored=stored)
            audit_record(action=A.DOCUMENT_UPLOADED, actor=actor, target=document, company=room.owner_company,
                         details={"room": room.pk, "sha256": inspected.sha256, "size": inspected.size,
                                  "type": inspected.kind})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        raise
    return document


def document_version_upload(*, actor: Any, document: Document, f: BinaryIO, filename: str | None) -> DocumentVersion:
    """A new immutable version becomes current; earlier ones stay readable to the owner."""
    room = document.room
    require_permission(actor, CONTRIBUTE, document)
    inspected = inspect_or_refuse(actor=actor, room=room, f=f, filename=filename)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = version_create(document=locked, inspected=inspected, f=f, actor=actor, number=number,
                                     stored=stored)
            audit_record(action=A.DOCUMENT_VERSION_UPLOADED, actor=actor, target=locked, company=room.owner_company,
                         details={"version": number, "sha256": inspected.sha256, "size": inspected.size})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        raise
    return version


@transaction.atomic
def document_update(*, actor: Any, document: Document, name: str | None = None, folder: Folder | None = None,
                    classifications: list[str] | None = None) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    require_permission(actor, CONTRIBUTE, document)
    changed: list[str] = []
    if name is not None and clean_filename(name) != document.name:
        document.name = clean_filename(name)
        changed.append("name")
    if folder is not None and folder.pk != document.folder_id:
        if folder.room_id != document.room_id:
            raise ValidationFailed(_("The folder belongs to another data room."), code="wrong_room",
                                   fields={"folder": [_("Not in this data room.")]})
        document.folder = folder
        changed.append("folder")
    if classifications is not None:
        for key, value in classification_flags(classifications).items():
            if getattr(document, key) != value:
                setattr(document, key, value)
                changed.append(key)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise Conflict(_("A document with this name already exists in the folder."), code="document_exists") from None
    audit_record(action=A.DOCUMENT_UPDATED, actor=actor, target=document, company=document.room.owner_company,
                 details={"changed": changed, "classifications": document.classifications})
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Managers remove a document with all its versions; the bytes go after commit."""
    require_permission(actor, MANAGE, document)
    names = [name for pair in document.versions.values_list("storage_name", "stamp_template_name")
             for name in pair if name]
    audit_record(action=A.DOCUMENT_DELETED, actor=actor, target=document, company=document.room.owner_company,
                 details={"versions": len(names)})
    Document.objects.filter(pk=document.pk).update(current_version=None)
    document.delete()
    for name in names:
        transaction.on_commit(partial(storage.delete_quietly, name))
