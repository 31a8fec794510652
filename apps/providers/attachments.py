"""Confidential attachments of a service request, through the data rooms' upload gate and private storage.

Uploading: the requester's contributors; the file passes the same gate as a data-room document (type by
content, size, PDF active content...). Reading: the requester's people, and invited providers' people who
accepted the request's current confidentiality terms (RequestAttachment.access_q). Every hand-out is audited.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from apps.audit.services import audit_record
from apps.core.authz import VIEW, require_permission, user_can
from apps.core.errors import NotFound
from apps.datarooms import storage
from apps.datarooms.files import UploadRefused, inspect_upload
from apps.datarooms.services import UploadRefusedError, upload_limits

from . import audit_actions as A
from .models import MANAGE, RequestAttachment, ServiceRequest


def attachment_upload(*, actor: Any, request: ServiceRequest, f: BinaryIO, filename: str | None) -> RequestAttachment:
    """The requester's contributors attach a confidential file (refused files leave nothing stored)."""
    require_permission(actor, MANAGE, request)
    try:
        inspected = inspect_upload(f, filename=filename, limits=upload_limits())
    except UploadRefused as refused:
        raise UploadRefusedError(refused) from None
    name = storage.store(f, request.public_id)
    try:
        with transaction.atomic():
            attachment = RequestAttachment.objects.create(
                request=request, name=inspected.name, storage_name=name, kind=inspected.kind,
                content_type=inspected.content_type, size=inspected.size, sha256=inspected.sha256,
                uploaded_by=actor)
            audit_record(action=A.ATTACHMENT_UPLOADED, actor=actor, target=attachment, company=request.company,
                         details={"request": request.pk, "size": inspected.size, "type": inspected.kind})
    except BaseException:
        storage.delete_quietly(name)
        raise
    return attachment


@transaction.atomic
def attachment_download_record(*, actor: Any, attachment: RequestAttachment) -> RequestAttachment:
    """Re-checks the reader's right (terms accepted, still invited, company still verified) and audits the
    hand-out, in one transaction, before any byte leaves."""
    if not user_can(actor, VIEW, attachment):
        raise NotFound()
    audit_record(action=A.ATTACHMENT_DOWNLOADED, actor=actor, target=attachment,
                 details={"request": attachment.request_id, "sha256": attachment.sha256})
    return attachment


def attachment_download(*, actor: Any, attachment: RequestAttachment) -> StreamingHttpResponse:
    attachment = attachment_download_record(actor=actor, attachment=attachment)
    response = StreamingHttpResponse(storage.iter_chunks(attachment.storage_name),
                                     content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: RequestAttachment) -> None:
    """The requester's contributors remove an attachment (its bytes go after commit)."""
    require_permission(actor, "delete", attachment)
    audit_record(action=A.ATTACHMENT_DELETED, actor=actor, target=attachment, details={"name": attachment.name})
    name = attachment.storage_name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete_quietly(name))
